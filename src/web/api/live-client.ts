// The id of this tab's live stream (GET /api/live sends it in its `ready` event): evaluations
// that carry it as `watch` stay live, and their changed values arrive as `metric.updated`.
import { useSyncExternalStore } from 'react';

let clientId: string | null = null;
const listeners = new Set<() => void>();

export function setLiveClientId(id: string | null): void {
  if (id === clientId) return;
  clientId = id;
  for (const listener of [...listeners]) listener();
}

/** The open stream's id, or null (no stream yet, or no EventSource). */
export function useLiveClientId(): string | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => clientId,
    () => null,
  );
}

interface Group {
  key: string | null;
  label: string;
  value: string | null;
  recordCount: number;
}

/** The payload of a `metric.updated` event (src/server/live/live-metrics.ts). */
export interface MetricUpdate {
  view: string;
  groups: Group[];
  total: { value: string | null; recordCount: number };
  mode: 'delta' | 'refresh';
}

/**
 * An evaluation with an update applied: changed groups replaced, new ones added, emptied ones
 * removed, the total replaced. Groups keep their order; new ones go to the end.
 */
export function applyMetricUpdate<E extends { groups: Group[]; total: MetricUpdate['total'] }>(evaluation: E, update: MetricUpdate): E {
  const changed = new Map(update.groups.map((g) => [g.key, g]));
  const groups = evaluation.groups.flatMap((g) => {
    const next = changed.get(g.key);
    if (!next) return [g];
    changed.delete(g.key);
    return next.recordCount === 0 ? [] : [{ ...g, value: next.value, recordCount: next.recordCount }];
  });
  for (const g of changed.values()) if (g.recordCount > 0) groups.push(g);
  return { ...evaluation, groups, total: update.total };
}

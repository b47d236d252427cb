/**
 * Live metric values. A client that evaluates a metric with `watch` (its SSE connection id)
 * gets a live view of that evaluation: the server keeps the view's integer primitives per
 * group and, when records change, updates them and sends the changed values as a
 * `metric.updated` event — without re-scanning the tenant's records.
 *
 * - Batch API and webhook writes carry each record's before and after image (events.ts):
 *   the view takes the old contribution out and puts the new one in (core/metrics/
 *   incremental.ts), exact integer arithmetic, synchronously after the commit.
 * - Imports, seeds, metrics with min/max/distinct leaves, and changes without exact images
 *   re-evaluate the view's query instead (coalesced: one refresh at a time per view, and one
 *   more if records changed meanwhile), then send the groups whose value changed.
 * - Every evaluation of the same metric resets the view to the query's result, so a view never
 *   drifts for long from what the store says (e.g. writes by another server process).
 *
 * Views live as long as a watching connection (at most MAX_VIEWS_PER_CLIENT per connection,
 * the oldest dropped first); a view nobody watches is dropped.
 */
import { createHash } from 'node:crypto';
import type { DatasetDef } from '../../core/data/datasets.js';
import type { OrgSnapshot } from '../../core/metrics/evaluate.js';
import { finaliseEvaluation, type RawEvaluation } from '../../core/metrics/finalise.js';
import { applyContribution, cloneRaw, contributionOf, isIncremental, pickGroups } from '../../core/metrics/incremental.js';
import { onRecordsChanged, type RecordsChangedEvent } from '../../store/events.js';
import { loadOrg } from '../../store/metrics/snapshot.js';
import {
  evaluatePreparedRaw, groupLabelOf, prepareMetric, toMetricResult,
  type EvaluateRequest, type MetricResult, type PreparedMetric, type ServiceResult,
} from '../../store/metrics/service.js';
import { SYSTEM_ACTOR, type Store, type TenantScope } from '../../store/store.js';
import type { LiveHub } from './hub.js';

export const MAX_VIEWS_PER_CLIENT = 20;
const ORG_TTL_MS = 30_000;

export interface MetricUpdateGroup {
  key: string | null;
  label: string;
  value: string | null;
  recordCount: number;
}

/** The payload of a `metric.updated` event. */
export interface MetricUpdate {
  /** The view id the evaluation returned as `live.view`. */
  view: string;
  metric: MetricResult['metric'];
  period: string;
  groupBy: string | null;
  /** Groups whose value or record count changed (a group without records any more: recordCount 0, value null). */
  groups: MetricUpdateGroup[];
  total: MetricResult['total'];
  /** delta: updated from the changed records' images; refresh: the view's query ran again. */
  mode: 'delta' | 'refresh';
  cause: { dataset: string; source: RecordsChangedEvent['source'] };
  /** Server time of the update (ms since epoch). */
  at: number;
}

interface View {
  id: string;
  tenantId: string;
  prepared: PreparedMetric;
  incremental: boolean;
  datasets: Map<string, DatasetDef>;
  org: OrgSnapshot | null;
  labels: Map<string, string>;
  state: RawEvaluation;
  /** The values last sent (or returned), by group key, and the total: to send only what changed. */
  sent: Map<string | null, { value: string | null; recordCount: number }>;
  sentTotal: MetricResult['total'];
  watchers: Set<string>;
  refreshing: boolean;
  /** Records changed while a refresh ran: run once more. */
  dirty: { dataset: string; source: RecordsChangedEvent['source'] } | null;
}

/** The view of one evaluation: same metric version, period, grouping and filters. */
function viewKey(tenantId: string, prepared: PreparedMetric, request: EvaluateRequest): string {
  const metric = 'definition' in request.metric ? { definition: request.metric.definition } : { key: prepared.ref.key, version: prepared.ref.version };
  const text = JSON.stringify([tenantId, metric, prepared.period.key, prepared.grouping.dimension, request.filters ?? []]);
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

export class LiveMetrics {
  private readonly views = new Map<string, View>();
  private readonly byTenant = new Map<string, Set<View>>();
  private readonly byClient = new Map<string, string[]>();
  /** Record-change events seen per tenant, to tell whether one arrived during an evaluation. */
  private readonly sequence = new Map<string, number>();
  private readonly orgs = new Map<string, { org: OrgSnapshot; at: number }>();
  private readonly stopListening: () => void;
  private readonly stopHub: () => void;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly hub: LiveHub,
    private readonly options: { onError?: (error: unknown) => void } = {},
  ) {
    this.stopListening = onRecordsChanged((event) => this.onRecordsChanged(event));
    this.stopHub = hub.onClientRemoved((client) => this.unwatchClient(client.id));
  }

  close(): void {
    this.closed = true;
    this.stopListening();
    this.stopHub();
    this.views.clear();
    this.byTenant.clear();
    this.byClient.clear();
  }

  /** Number of live views (of a tenant). */
  size(tenantId?: string): number {
    return tenantId ? (this.byTenant.get(tenantId)?.size ?? 0) : this.views.size;
  }

  /**
   * Evaluates a metric (always with the store's query) and, when `watch` names a live
   * connection of the caller, keeps the evaluation live for it. Returns the result and the
   * view id that `metric.updated` events name.
   */
  async evaluate(scope: TenantScope, request: EvaluateRequest, watch: string | null): Promise<ServiceResult<MetricResult & { live?: { view: string } }>> {
    const prepared = await prepareMetric(scope, request);
    if (!prepared.ok) return prepared;
    const seen = this.sequence.get(scope.tenantId) ?? 0;
    const raw = await evaluatePreparedRaw(scope, prepared.value);
    if (!watch) return { ok: true, value: toMetricResult(prepared.value, raw, raw.labels) };

    const key = viewKey(scope.tenantId, prepared.value, request);
    let view = this.views.get(key);
    if (!view) {
      const org = await this.orgOf(scope);
      const labels = new Map(raw.labels);
      for (const team of org.teams) if (!labels.has(team.id)) labels.set(team.id, team.name);
      for (const payee of org.payees) if (!labels.has(payee.id)) labels.set(payee.id, payee.name);
      view = {
        id: key, tenantId: scope.tenantId, prepared: prepared.value, incremental: isIncremental(prepared.value.plan),
        datasets: new Map(prepared.value.plan.leaves.map((leaf) => [leaf.dataset.key, leaf.dataset])),
        org, labels, state: cloneRaw(raw), sent: new Map(), sentTotal: { value: null, recordCount: 0 },
        watchers: new Set(), refreshing: false, dirty: null,
      };
      this.views.set(key, view);
      let views = this.byTenant.get(scope.tenantId);
      if (!views) {
        views = new Set();
        this.byTenant.set(scope.tenantId, views);
      }
      views.add(view);
    } else if (!view.refreshing) {
      view.org = await this.orgOf(scope);
      view.state = cloneRaw(raw);
      for (const [k, label] of raw.labels) view.labels.set(k, label);
    }
    const result = toMetricResult(prepared.value, raw, view.labels);
    this.remember(view, result);
    this.watch(view, watch);
    // A change committed while the query ran may or may not be in its result: ask again.
    if ((this.sequence.get(scope.tenantId) ?? 0) !== seen) this.scheduleRefresh(view, { dataset: [...view.datasets.keys()][0] ?? '', source: 'batch' });
    return { ok: true, value: { ...result, live: { view: view.id } } };
  }

  private async orgOf(scope: TenantScope): Promise<OrgSnapshot> {
    const cached = this.orgs.get(scope.tenantId);
    if (cached && Date.now() - cached.at < ORG_TTL_MS) return cached.org;
    const org = await loadOrg(scope);
    this.orgs.set(scope.tenantId, { org, at: Date.now() });
    return org;
  }

  private remember(view: View, result: MetricResult): void {
    view.sent = new Map(result.groups.map((g) => [g.key, { value: g.value, recordCount: g.recordCount }]));
    view.sentTotal = result.total;
  }

  private watch(view: View, clientId: string): void {
    view.watchers.add(clientId);
    const list = (this.byClient.get(clientId) ?? []).filter((id) => id !== view.id);
    list.push(view.id);
    while (list.length > MAX_VIEWS_PER_CLIENT) {
      const dropped = list.shift();
      if (dropped) this.unwatch(dropped, clientId);
    }
    this.byClient.set(clientId, list);
  }

  private unwatch(viewId: string, clientId: string): void {
    const view = this.views.get(viewId);
    if (!view) return;
    view.watchers.delete(clientId);
    if (view.watchers.size > 0) return;
    this.views.delete(viewId);
    const views = this.byTenant.get(view.tenantId);
    views?.delete(view);
    if (views?.size === 0) this.byTenant.delete(view.tenantId);
  }

  private unwatchClient(clientId: string): void {
    for (const viewId of this.byClient.get(clientId) ?? []) this.unwatch(viewId, clientId);
    this.byClient.delete(clientId);
  }

  private onRecordsChanged(event: RecordsChangedEvent): void {
    this.sequence.set(event.tenantId, (this.sequence.get(event.tenantId) ?? 0) + 1);
    const views = this.byTenant.get(event.tenantId);
    if (!views) return;
    const cause = { dataset: event.dataset, source: event.source };
    for (const view of views) {
      const dataset = view.datasets.get(event.dataset);
      if (!dataset) continue;
      if (view.refreshing) {
        view.dirty = cause;
        continue;
      }
      if (!event.images || !view.incremental || !view.org) {
        this.scheduleRefresh(view, cause);
        continue;
      }
      try {
        this.applyDelta(view, dataset, event, cause);
      } catch (error) {
        this.options.onError?.(error);
        this.scheduleRefresh(view, cause);
      }
    }
  }

  private applyDelta(view: View, dataset: DatasetDef, event: RecordsChangedEvent, cause: MetricUpdate['cause']): void {
    const input = { plan: view.prepared.plan, grouping: view.prepared.grouping, period: view.prepared.period, calendar: view.prepared.calendar, org: view.org as OrgSnapshot };
    const touched = new Set<string | null>();
    for (const change of [...event.upserted, ...event.deleted]) {
      if (change.before) for (const key of applyContribution(view.state, contributionOf(input, dataset, change.before), -1n)) touched.add(key);
      if (change.after) for (const key of applyContribution(view.state, contributionOf(input, dataset, change.after), 1n)) touched.add(key);
    }
    const values = finaliseEvaluation(view.prepared.plan, pickGroups(view.state, touched));
    const present = new Map(values.groups.map((g) => [g.key, g]));
    const groups: MetricUpdateGroup[] = [];
    for (const key of touched) {
      const now = present.get(key) ?? { key, value: null, recordCount: 0 };
      const before = view.sent.get(key);
      if (before && before.value === now.value && before.recordCount === now.recordCount) continue;
      if (!before && now.recordCount === 0) continue;
      groups.push({ key, label: groupLabelOf(view.prepared, key, view.labels), value: now.value, recordCount: now.recordCount });
      if (now.recordCount === 0) view.sent.delete(key);
      else view.sent.set(key, { value: now.value, recordCount: now.recordCount });
    }
    this.send(view, groups, values.total, 'delta', cause);
  }

  private send(view: View, groups: MetricUpdateGroup[], total: MetricResult['total'], mode: MetricUpdate['mode'], cause: MetricUpdate['cause']): void {
    const totalChanged = total.value !== view.sentTotal.value || total.recordCount !== view.sentTotal.recordCount;
    view.sentTotal = total;
    if (groups.length === 0 && !totalChanged) return;
    const { prepared } = view;
    const update: MetricUpdate = {
      view: view.id, metric: prepared.ref, period: prepared.period.key, groupBy: prepared.grouping.dimension, groups, total, mode, cause, at: Date.now(),
    };
    for (const clientId of view.watchers) this.hub.client(view.tenantId, clientId)?.send({ type: 'metric.updated', data: update });
  }

  private scheduleRefresh(view: View, cause: MetricUpdate['cause']): void {
    if (view.refreshing) {
      view.dirty = cause;
      return;
    }
    view.refreshing = true;
    view.dirty = null;
    void this.refresh(view, cause).finally(() => {
      view.refreshing = false;
      const again = view.dirty;
      if (again && !this.closed && this.views.get(view.id) === view) this.scheduleRefresh(view, again);
    });
  }

  private async refresh(view: View, cause: MetricUpdate['cause']): Promise<void> {
    try {
      const raw = await this.store.inTenant(view.tenantId, { actor: SYSTEM_ACTOR }, (scope) => evaluatePreparedRaw(scope, view.prepared));
      if (this.closed || this.views.get(view.id) !== view) return;
      for (const [k, label] of raw.labels) view.labels.set(k, label);
      view.state = cloneRaw(raw);
      const result = toMetricResult(view.prepared, raw, view.labels);
      const groups: MetricUpdateGroup[] = [];
      const now = new Map(result.groups.map((g) => [g.key, g]));
      for (const g of result.groups) {
        const before = view.sent.get(g.key);
        if (!before || before.value !== g.value || before.recordCount !== g.recordCount) groups.push(g);
      }
      for (const key of view.sent.keys()) if (!now.has(key)) groups.push({ key, label: groupLabelOf(view.prepared, key, view.labels), value: null, recordCount: 0 });
      view.sent = new Map(result.groups.map((g) => [g.key, { value: g.value, recordCount: g.recordCount }]));
      this.send(view, groups, result.total, 'refresh', cause);
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}

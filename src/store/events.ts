/**
 * In-process change events for records. Every write of records (import, batch API, webhook,
 * seed) goes through `writeRecords` (repos/records.ts), which emits one event per dataset
 * after its transaction commits — never for a rolled-back change. Live updates and the
 * in-memory snapshots subscribe here. In-process only: with several app servers, each sees
 * the changes made through it.
 */

import type { SnapshotRow } from '../core/metrics/snapshot.js';

export interface RecordChange {
  /** The record's id (bigint as a string). */
  id: string;
  extId: string;
  /**
   * The record before and after the change, as the in-memory evaluator reads a row (null:
   * it did not exist / no longer exists). Present only when the event's `images` is true.
   */
  before?: SnapshotRow | null;
  after?: SnapshotRow | null;
}

export interface RecordsChangedEvent {
  tenantId: string;
  dataset: string;
  /** Records inserted or changed (unchanged rows of a re-import are not listed). */
  upserted: RecordChange[];
  deleted: RecordChange[];
  /** True when more records changed than an event lists (MAX_LISTED_CHANGES): reload the dataset instead. */
  truncated: boolean;
  /**
   * True when every listed change carries its before and after images, so metric values
   * can be updated by delta (batch API and webhook writes of up to IMAGE_LIMIT records);
   * false for imports and seeds, whose holders of metric values re-evaluate instead.
   */
  images: boolean;
  source: 'import' | 'batch' | 'webhook' | 'seed';
  importId: string | null;
}

export type RecordsChangedListener = (event: RecordsChangedEvent) => void;

/** Beyond this many changed records in one transaction an event says `truncated` instead of listing them. */
export const MAX_LISTED_CHANGES = 50_000;

const listeners = new Set<RecordsChangedListener>();

/**
 * Subscribes to record changes of every tenant; returns the function that unsubscribes.
 * Listeners run synchronously after the commit; one that throws does not stop the others.
 */
export function onRecordsChanged(listener: RecordsChangedListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function emitRecordsChanged(event: RecordsChangedEvent): void {
  for (const listener of [...listeners]) {
    try {
      listener(event);
    } catch (error) {
      console.error('attain: a records-changed listener failed', error);
    }
  }
}

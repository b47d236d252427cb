/**
 * Open payout runs recalculate by themselves when their inputs change: a record change (deals
 * and any dataset a metric-based component reads), a plan version or an assignment. Changes
 * are coalesced per workspace (DEBOUNCE_MS), then each calculated or approved run of the
 * workspace is recalculated in one transaction of its own; a run whose inputs did not change
 * keeps its lines (the input hash says so) and an approved run whose numbers changed goes back
 * to calculated. Locked and paid runs are never touched. Finance's open pages hear about it as
 * `payout_run.updated`.
 *
 * Deal writes that list their changes with before/after images (batch API, webhooks) only
 * recalculate the payees they touch — the old and new owners and the managers above them
 * (`recalculatePayees`); imports, other datasets, plans and assignments recalculate whole runs.
 */
import { hasPermission } from '../../core/roles.js';
import { onRecordsChanged, type RecordsChangedEvent } from '../../store/events.js';
import { CompError } from '../../store/repos/comp-plans.js';
import { calculateRun, recalculatePayees } from '../../store/repos/payout-runs.js';
import { SYSTEM_ACTOR, type Store } from '../../store/store.js';
import type { LiveHub } from './hub.js';

const DEBOUNCE_MS = 300;

export class CompRecalculator {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  /** Per workspace, what changed since its last recalculation: deal owners, or anything (`whole`). */
  private readonly pending = new Map<string, { whole: boolean; owners: Set<string> }>();
  private readonly stop: () => void;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly hub: LiveHub,
    private readonly options: { onError?: (error: unknown) => void; debounceMs?: number } = {},
  ) {
    this.stop = onRecordsChanged((event) => this.onRecords(event));
  }

  private onRecords(event: RecordsChangedEvent): void {
    const owners = new Set<string>();
    let listed = event.dataset === 'deals' && event.images && !event.truncated;
    for (const change of listed ? [...event.upserted, ...event.deleted] : []) {
      if (change.before === undefined || change.after === undefined) listed = false;
      for (const image of [change.before, change.after]) if (image && typeof image.owner === 'string') owners.add(image.owner);
    }
    this.schedule(event.tenantId, listed ? owners : null);
  }

  /**
   * Asks for a recalculation of the workspace's open runs: of the payees these deal owners'
   * changes touch, or (null, the default: after plan or assignment changes too) of everyone.
   */
  schedule(tenantId: string, owners: ReadonlySet<string> | null = null): void {
    if (this.closed) return;
    const pending = this.pending.get(tenantId) ?? { whole: false, owners: new Set<string>() };
    if (owners === null) pending.whole = true;
    else for (const owner of owners) pending.owners.add(owner);
    this.pending.set(tenantId, pending);
    clearTimeout(this.timers.get(tenantId));
    const timer = setTimeout(() => {
      this.timers.delete(tenantId);
      void this.run(tenantId);
    }, this.options.debounceMs ?? DEBOUNCE_MS);
    timer.unref();
    this.timers.set(tenantId, timer);
  }

  /** Resolves when no recalculation is pending or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.timers.size > 0 || this.running.size > 0) {
      await Promise.all([...this.running.values()]);
      if (this.timers.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    this.closed = true;
    this.stop();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async run(tenantId: string): Promise<void> {
    if (this.running.has(tenantId)) {
      this.again.add(tenantId);
      return;
    }
    const work = this.recalculate(tenantId).finally(() => {
      this.running.delete(tenantId);
      if (this.again.delete(tenantId) && !this.closed) void this.run(tenantId);
    });
    this.running.set(tenantId, work);
    await work;
  }

  private async recalculate(tenantId: string): Promise<void> {
    const pending = this.pending.get(tenantId);
    this.pending.delete(tenantId);
    if (!pending || (!pending.whole && pending.owners.size === 0)) return;
    const owners = pending.whole ? null : [...pending.owners].sort();
    try {
      const ids = await this.store.inTenant(tenantId, { actor: SYSTEM_ACTOR }, async (scope) =>
        (await scope.tx.query<{ id: string }>(`SELECT id FROM payout_runs WHERE tenant_id = $1 AND status IN ('calculated', 'approved') ORDER BY period_start`, [tenantId])).map((r) => r.id),
      );
      for (const id of ids) {
        if (this.closed) return;
        try {
          const result = await this.store.inTenant(tenantId, { actor: SYSTEM_ACTOR }, (scope) => (owners ? recalculatePayees(scope, id, owners) : calculateRun(scope, id)));
          if (result.changed) {
            this.hub.publish(tenantId, { type: 'payout_run.updated', data: { runId: id, status: result.run.status, totals: result.run.totals } }, (client) => hasPermission(client.role, 'comp:manage'));
          }
        } catch (error) {
          // Locked meanwhile: nothing to do. Anything else is logged; the run keeps its last numbers.
          if (!(error instanceof CompError)) this.options.onError?.(error);
        }
      }
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}

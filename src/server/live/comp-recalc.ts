/**
 * Open payout runs recalculate by themselves when their inputs change: a record change (deals
 * and any dataset a metric-based component reads), a plan version or an assignment. Changes
 * are coalesced per workspace (DEBOUNCE_MS), then each calculated or approved run of the
 * workspace is recalculated in one transaction of its own; a run whose inputs did not change
 * keeps its lines (the input hash says so) and an approved run whose numbers changed goes back
 * to calculated. Locked and paid runs are never touched. Finance's open pages hear about it as
 * `payout_run.updated`.
 */
import { hasPermission } from '../../core/roles.js';
import { onRecordsChanged } from '../../store/events.js';
import { CompError } from '../../store/repos/comp-plans.js';
import { calculateRun } from '../../store/repos/payout-runs.js';
import { SYSTEM_ACTOR, type Store } from '../../store/store.js';
import type { LiveHub } from './hub.js';

const DEBOUNCE_MS = 300;

export class CompRecalculator {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly stop: () => void;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly hub: LiveHub,
    private readonly options: { onError?: (error: unknown) => void; debounceMs?: number } = {},
  ) {
    this.stop = onRecordsChanged((event) => this.schedule(event.tenantId));
  }

  /** Asks for a recalculation of the workspace's open runs (after plan or assignment changes too). */
  schedule(tenantId: string): void {
    if (this.closed) return;
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
    try {
      const ids = await this.store.inTenant(tenantId, { actor: SYSTEM_ACTOR }, async (scope) =>
        (await scope.tx.query<{ id: string }>(`SELECT id FROM payout_runs WHERE tenant_id = $1 AND status IN ('calculated', 'approved') ORDER BY period_start`, [tenantId])).map((r) => r.id),
      );
      for (const id of ids) {
        if (this.closed) return;
        try {
          const result = await this.store.inTenant(tenantId, { actor: SYSTEM_ACTOR }, (scope) => calculateRun(scope, id));
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

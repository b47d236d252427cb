import { parsePeriod } from '../../core/period.js';
import type { TenantScope } from '../store.js';
import { recordAudit } from './audit.js';
import { conflict, invalid, notFound } from './okr-common.js';
import { fiscalCalendarOf } from './tenants.js';

/** A quarter or fiscal year in which objectives run. `end` is exclusive. */
export interface OkrCycle {
  id: string;
  key: string;
  kind: 'quarter' | 'year';
  start: string;
  end: string;
  parentCycleId: string | null;
  status: 'open' | 'closed';
  closedAt: string | null;
  closedBy: string | null;
  objectiveCount: number;
}

interface CycleRow {
  id: string; key: string; kind: 'quarter' | 'year'; start_date: string; end_date: string; parent_cycle_id: string | null;
  status: 'open' | 'closed'; closed_at: string | null; closed_by: string | null; objective_count: string;
}
const toCycle = (r: CycleRow): OkrCycle => ({
  id: r.id, key: r.key, kind: r.kind, start: r.start_date, end: r.end_date, parentCycleId: r.parent_cycle_id, status: r.status,
  closedAt: r.closed_at, closedBy: r.closed_by, objectiveCount: Number(r.objective_count),
});
const SELECT = `SELECT c.id, c.key, c.kind, c.start_date, c.end_date, c.parent_cycle_id, c.status, c.closed_at, c.closed_by,
    (SELECT count(*) FROM okr_objectives o WHERE o.tenant_id = c.tenant_id AND o.cycle_id = c.id) AS objective_count
  FROM okr_cycles c WHERE c.tenant_id = $1`;

export async function listCycles(scope: TenantScope): Promise<OkrCycle[]> {
  const rows = await scope.tx.query<CycleRow>(`${SELECT} ORDER BY c.start_date DESC, c.kind`, [scope.tenantId]);
  return rows.map(toCycle);
}

export async function getCycle(scope: TenantScope, id: string): Promise<OkrCycle | null> {
  const [row] = await scope.tx.query<CycleRow>(`${SELECT} AND c.id = $2`, [scope.tenantId, id]);
  return row ? toCycle(row) : null;
}

export async function getCycleByKey(scope: TenantScope, key: string): Promise<OkrCycle | null> {
  const [row] = await scope.tx.query<CycleRow>(`${SELECT} AND c.key = $2`, [scope.tenantId, key]);
  return row ? toCycle(row) : null;
}

export async function requireCycle(scope: TenantScope, id: string): Promise<OkrCycle> {
  const cycle = await getCycle(scope, id);
  if (!cycle) throw notFound('Cycle');
  return cycle;
}

async function checkParent(scope: TenantScope, period: { kind: string; start: string; end: string }, parentCycleId: string | null | undefined): Promise<void> {
  if (!parentCycleId) return;
  const parent = await getCycle(scope, parentCycleId);
  if (!parent) throw invalid('body.parentCycleId', 'No cycle with this id in this workspace');
  if (period.kind !== 'quarter' || parent.kind !== 'year' || parent.start > period.start || parent.end < period.end) {
    throw invalid('body.parentCycleId', 'A quarter may point to the fiscal year it lies in');
  }
}

/**
 * Creates a cycle from its key on the workspace's fiscal calendar ('2026-Q1', 'FY2026'). A
 * quarter links to its fiscal year's cycle when that exists and no parent is given.
 */
export async function createCycle(scope: TenantScope, id: string, input: { key: string; parentCycleId?: string | null | undefined }): Promise<OkrCycle> {
  const calendar = await fiscalCalendarOf(scope);
  const parsed = parsePeriod(input.key, calendar, 'body.key');
  if (!parsed.ok || (parsed.period.kind !== 'quarter' && parsed.period.kind !== 'year')) {
    throw invalid('body.key', 'A cycle is a fiscal quarter (2026-Q1) or fiscal year (FY2026)');
  }
  const period = parsed.period;
  if (await getCycleByKey(scope, period.key)) throw conflict('cycle_exists', `The cycle ${period.key} exists already`);
  let parentCycleId = input.parentCycleId ?? null;
  if (input.parentCycleId === undefined && period.kind === 'quarter') {
    const [year] = await scope.tx.query<{ id: string }>(
      `SELECT id FROM okr_cycles WHERE tenant_id = $1 AND kind = 'year' AND start_date <= $2 AND end_date >= $3`,
      [scope.tenantId, period.start, period.end],
    );
    parentCycleId = year?.id ?? null;
  }
  await checkParent(scope, period, parentCycleId);
  await scope.tx.query(
    `INSERT INTO okr_cycles (tenant_id, id, key, kind, start_date, end_date, parent_cycle_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [scope.tenantId, id, period.key, period.kind, period.start, period.end, parentCycleId],
  );
  if (period.kind === 'year') {
    // Quarters created before their year now point to it.
    await scope.tx.query(
      `UPDATE okr_cycles SET parent_cycle_id = $2 WHERE tenant_id = $1 AND kind = 'quarter' AND parent_cycle_id IS NULL AND start_date >= $3 AND end_date <= $4`,
      [scope.tenantId, id, period.start, period.end],
    );
  }
  const cycle = await getCycle(scope, id);
  if (!cycle) throw new Error('cycle insert not visible');
  await recordAudit(scope, { action: 'okr_cycle.created', entityType: 'okr_cycle', entityId: id, after: cycle });
  return cycle;
}

export async function updateCycle(scope: TenantScope, id: string, patch: { parentCycleId?: string | null | undefined }): Promise<OkrCycle> {
  const before = await requireCycle(scope, id);
  if (patch.parentCycleId !== undefined) {
    await checkParent(scope, { kind: before.kind, start: before.start, end: before.end }, patch.parentCycleId);
    await scope.tx.query('UPDATE okr_cycles SET parent_cycle_id = $3 WHERE tenant_id = $1 AND id = $2', [scope.tenantId, id, patch.parentCycleId]);
  }
  const after = await requireCycle(scope, id);
  await recordAudit(scope, { action: 'okr_cycle.updated', entityType: 'okr_cycle', entityId: id, before, after });
  return after;
}

/** Deletes a cycle without objectives. */
export async function deleteCycle(scope: TenantScope, id: string): Promise<void> {
  const before = await requireCycle(scope, id);
  if (before.objectiveCount > 0) throw conflict('cycle_not_empty', 'Delete or move its objectives first');
  await scope.tx.query('UPDATE okr_cycles SET parent_cycle_id = NULL WHERE tenant_id = $1 AND parent_cycle_id = $2', [scope.tenantId, id]);
  await scope.tx.query('DELETE FROM okr_meetings WHERE tenant_id = $1 AND cycle_id = $2', [scope.tenantId, id]);
  await scope.tx.query('DELETE FROM okr_retrospectives WHERE tenant_id = $1 AND cycle_id = $2', [scope.tenantId, id]);
  await scope.tx.query('DELETE FROM okr_cycles WHERE tenant_id = $1 AND id = $2', [scope.tenantId, id]);
  await recordAudit(scope, { action: 'okr_cycle.deleted', entityType: 'okr_cycle', entityId: id, before });
}

export function assertOpen(cycle: OkrCycle): void {
  if (cycle.status === 'closed') throw conflict('cycle_closed', `The cycle ${cycle.key} is closed`);
}

/**
 * Demo territories and quotas for `attain seed --demo`: an EMEA tree (DACH, Nordics, UK & I by
 * country; the rest of the world by region), the demo's teams assigned as owners, territory
 * plans, and a fiscal year's quota plan with one draft version allocated by history. Also the
 * forecast demo: reps' commit / best-case calls for the current quarter (some with an earlier
 * call as history) and illustrative forecast snapshots of the last four quarters, so the
 * accuracy page has something to measure (their forecasts are the actuals off by a few percent).
 */
import { randomUUID } from 'node:crypto';
import type { Territory } from '../../core/territory/index.js';
import type { Store } from '../store.js';
import type { TenantScope } from '../store.js';
import { pipelineForecastFor, submitForecastCall, wonByGroupAndMonth } from './forecasts.js';
import { allocateQuotaVersion, createQuotaPlan, monthlyWonBookings } from './quotas.js';
import { createAssignment, saveTerritory, saveTerritoryPlan } from './territories.js';
import { fiscalCalendarOf } from './tenants.js';
import { addDays, fiscalYearPeriod, periodContaining, type FiscalCalendar } from '../../core/period.js';

const TREE: { key: string; name: string; parent: string | null; criteria: Territory['criteria']; team?: string }[] = [
  { key: 'emea', name: 'EMEA', parent: null, criteria: { regions: ['EMEA'] } },
  { key: 'dach', name: 'DACH', parent: 'emea', criteria: { countries: ['DE', 'AT', 'CH'] }, team: 'DACH' },
  { key: 'nordics', name: 'Nordics', parent: 'emea', criteria: { countries: ['SE', 'DK', 'NO', 'FI'] }, team: 'Nordics' },
  { key: 'uki', name: 'UK & Ireland', parent: 'emea', criteria: { countries: ['GB', 'IE'] }, team: 'UK & Ireland' },
  { key: 'americas', name: 'Americas', parent: null, criteria: { regions: ['Americas'] } },
  { key: 'apac', name: 'APAC', parent: null, criteria: { regions: ['APAC'] } },
];

export interface DemoPlanningResult {
  territories: number;
  assignments: number;
  quotaPlanId: string | null;
  quotaVersionId: string | null;
}

/**
 * Seeds the planning demo into an existing workspace (idempotent: does nothing when it has
 * territories). `today` picks the fiscal year (default: today, UTC).
 */
export async function seedDemoTerritoriesAndQuotas(store: Store, tenantId: string, options: { today?: string } = {}): Promise<DemoPlanningResult> {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  return store.inTenant(tenantId, { actor: { userId: null, tokenId: null } }, async (scope) => {
    const existing = await scope.tx.query('SELECT 1 FROM territories WHERE tenant_id = $1 LIMIT 1', [tenantId]);
    if (existing.length > 0) return { territories: 0, assignments: 0, quotaPlanId: null, quotaVersionId: null };
    const calendar = await fiscalCalendarOf(scope);
    const fiscalYear = Number(periodContaining('year', today, calendar).key.slice(2));
    const fy = fiscalYearPeriod(fiscalYear, calendar);
    const ids = new Map<string, string>();
    let assignments = 0;
    const teams = await scope.tx.query<{ id: string; name: string }>('SELECT id, name FROM teams WHERE tenant_id = $1', [tenantId]);
    for (const t of TREE) {
      const id = randomUUID();
      ids.set(t.key, id);
      const saved = await saveTerritory(scope, { id, name: t.name, parentId: t.parent ? (ids.get(t.parent) ?? null) : null, criteria: t.criteria }, 'create');
      if (!saved?.ok) throw new Error(`demo territory ${t.name}: ${JSON.stringify(saved)}`);
      const team = t.team ? teams.find((x) => x.name === t.team) : undefined;
      if (team) {
        const assigned = await createAssignment(scope, { id: randomUUID(), territoryId: id, assigneeKind: 'team', assigneeId: team.id, role: 'owner', from: fy.start, until: null });
        if (assigned.ok) assignments += 1;
      }
    }
    // The last twelve complete months' bookings, grown by 15 %, are this year's company target
    // (the demo company grows fast: last fiscal year alone would set a target below today's run rate).
    const thisMonth = `${today.slice(0, 7)}-01`;
    const yearAgo = `${Number(today.slice(0, 4)) - 1}-${today.slice(5, 7)}-01`;
    const lastYear = (await monthlyWonBookings(scope, { start: yearAgo, end: thisMonth })).reduce((sum, m) => sum + m.amountMinor, 0);
    const targetMinor = lastYear > 0 ? Math.round(lastYear * 1.15) : 10_000_000_00;
    const emea = ids.get('emea');
    if (emea) {
      await saveTerritoryPlan(scope, {
        territoryId: emea, period: fy.key, revenueTargetMinor: Math.round(targetMinor / 2), headcount: 20,
        productLineMix: [{ productLine: 'Platform', share: '0.6' }, { productLine: 'Services', share: '0.4' }],
      });
    }
    const plan = await createQuotaPlan(scope, { id: randomUUID(), name: `Sales quota ${fy.key}`, fiscalYear, targetMinor });
    const version = await allocateQuotaVersion(scope, { id: randomUUID(), planId: plan.id, method: 'historical', levels: 'teams', effectiveFrom: fy.start, note: 'Top-down by last year\'s bookings' });
    await seedDemoForecastSnapshots(scope, { today, calendar });
    await seedDemoCalls(scope, today);
    return { territories: TREE.length, assignments, quotaPlanId: plan.id, quotaVersionId: version?.ok ? version.value.id : null };
  });
}

// Off-by-a-few-percent factors for the illustrative snapshots (deterministic, mixed signs).
const SNAPSHOT_ERRORS = [0.88, 1.07, 0.95, 1.12, 0.91, 1.04, 0.97, 1.09];
const round = (minor: number, unitMinor: number): number => Math.round(minor / unitMinor) * unitMinor;

/** Team snapshots taken two weeks before each of the last four completed quarters began. */
async function seedDemoForecastSnapshots(scope: TenantScope, input: { today: string; calendar: FiscalCalendar }): Promise<void> {
  let quarter = periodContaining('quarter', input.today, input.calendar);
  const quarters = [];
  for (let i = 0; i < 4; i += 1) {
    quarter = periodContaining('quarter', addDays(quarter.start, -1), input.calendar);
    quarters.unshift(quarter);
  }
  for (const [qi, q] of quarters.entries()) {
    const won = await wonByGroupAndMonth(scope, { groupBy: 'team', start: q.start, end: q.end });
    const byTeam = new Map<string, number>();
    for (const b of won) if (b.groupKey !== 'unassigned') byTeam.set(b.groupKey, (byTeam.get(b.groupKey) ?? 0) + b.amountMinor);
    if (byTeam.size === 0) continue;
    const id = randomUUID();
    await scope.tx.query(
      `INSERT INTO forecast_snapshots (tenant_id, id, taken_on, group_by, period_kind, method) VALUES ($1, $2, $3, 'team', 'quarter', 'pipeline')`,
      [scope.tenantId, id, addDays(q.start, -14)],
    );
    let ti = 0;
    for (const [team, actual] of [...byTeam].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const factor = SNAPSHOT_ERRORS[(qi * 3 + ti) % SNAPSHOT_ERRORS.length] ?? 1;
      ti += 1;
      await scope.tx.query(
        `INSERT INTO forecast_snapshot_rows (tenant_id, snapshot_id, group_key, period, forecast_minor) VALUES ($1, $2, $3, $4, $5)`,
        [scope.tenantId, id, team, q.key, round(actual * factor, 100_00)],
      );
    }
  }
}

/** Each rep's call for the current quarter from their pipeline; every other rep revised an earlier call. */
async function seedDemoCalls(scope: TenantScope, today: string): Promise<void> {
  const pipeline = await pipelineForecastFor(scope, { groupBy: 'owner', periodKind: 'quarter', periods: 1, today });
  const payees = new Set((await scope.tx.query<{ id: string }>(`SELECT id FROM payees WHERE tenant_id = $1 AND kind = 'employee'`, [scope.tenantId])).map((p) => p.id));
  const rows = pipeline.rows.filter((r) => payees.has(r.groupKey)).sort((a, b) => (a.groupKey < b.groupKey ? -1 : 1));
  const at = (daysAgo: number, hour: number): string => `${addDays(today, -daysAgo)}T${String(hour).padStart(2, '0')}:00:00.000Z`;
  for (const [i, r] of rows.entries()) {
    const commitMinor = round(r.closedWonMinor + r.weightedMinor * 0.8, 1_000_00);
    const bestCaseMinor = Math.max(commitMinor, round(r.closedWonMinor + r.pipelineMinor * 0.6, 1_000_00));
    const call = { payeeId: r.groupKey, period: r.period };
    if (i % 2 === 0) {
      await submitForecastCall(scope, { ...call, id: randomUUID(), commitMinor: round(commitMinor * 0.85, 1_000_00), bestCaseMinor: round(bestCaseMinor * 0.9, 1_000_00), note: 'First call of the quarter', submittedAt: at(21, 9) });
    }
    await submitForecastCall(scope, { ...call, id: randomUUID(), commitMinor, bestCaseMinor, note: i % 2 === 0 ? 'Raised after the pipeline review' : '', submittedAt: at(i % 5 + 1, 10) });
  }
}

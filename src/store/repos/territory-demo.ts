/**
 * Demo territories and quotas for `attain seed --demo`: an EMEA tree (DACH, Nordics, UK & I by
 * country; the rest of the world by region), the demo's teams assigned as owners, territory
 * plans, and a fiscal year's quota plan with one draft version allocated by history.
 */
import { randomUUID } from 'node:crypto';
import type { Territory } from '../../core/territory/index.js';
import type { Store } from '../store.js';
import { allocateQuotaVersion, createQuotaPlan, monthlyWonBookings } from './quotas.js';
import { createAssignment, saveTerritory, saveTerritoryPlan, tenantCalendar } from './territories.js';
import { fiscalYearPeriod, periodContaining } from '../../core/period.js';

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
    const calendar = await tenantCalendar(scope);
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
    // Last year's bookings, grown by 15 %, are this year's company target.
    const previous = fiscalYearPeriod(fiscalYear - 1, calendar);
    const lastYear = (await monthlyWonBookings(scope, previous)).reduce((sum, m) => sum + m.amountMinor, 0);
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
    return { territories: TREE.length, assignments, quotaPlanId: plan.id, quotaVersionId: version?.ok ? version.value.id : null };
  });
}

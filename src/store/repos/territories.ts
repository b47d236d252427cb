/**
 * Territories: the tree (criteria in jsonb), assignments of reps (payees) and teams for date
 * ranges, plans per period, and coverage of a dataset's records. Validation is the core's
 * (src/core/territory); a change is checked against the whole tree before it is written.
 */
import { coverageReport, validateAssignments, validateTerritories, validateTerritoryPlans, type CoverageGap, type CoverageOverlap, type CriteriaOverlap, type Territory, type TerritoryAssignment, type TerritoryCriteria, type TerritoryPlan, type TerritoryRecord } from '../../core/territory/index.js';
import { parsePeriod } from '../../core/period.js';
import { fiscalCalendarOf } from './tenants.js';
import type { TenantScope } from '../store.js';
import { recordAudit } from './audit.js';

export interface Issue {
  code: string;
  path: string;
  message: string;
  severity?: 'error' | 'warning';
}

/** Messages without the ids the caller sent (an unknown id may be another workspace's: never echo it). */
const UNKNOWN: Record<string, string> = {
  unknown_parent: 'no territory with this id in this workspace',
  unknown_territory: 'no territory with this id in this workspace',
};
const message = (code: string, text: string): string => UNKNOWN[code] ?? text;

export type Result<T> = { ok: true; value: T; warnings: Issue[] } | { ok: false; issues: Issue[] };

/** The workspace's fiscal calendar. */
interface TerritoryRow { id: string; name: string; parent_id: string | null; criteria: TerritoryCriteria }
const toTerritory = (r: TerritoryRow): Territory => ({ id: r.id, name: r.name, parentId: r.parent_id, criteria: r.criteria });

export async function listTerritories(scope: TenantScope): Promise<Territory[]> {
  const rows = await scope.tx.query<TerritoryRow>('SELECT id, name, parent_id, criteria FROM territories WHERE tenant_id = $1 ORDER BY created_at, id', [scope.tenantId]);
  return rows.map(toTerritory);
}

export async function getTerritory(scope: TenantScope, id: string): Promise<Territory | null> {
  const [row] = await scope.tx.query<TerritoryRow>('SELECT id, name, parent_id, criteria FROM territories WHERE tenant_id = $1 AND id = $2', [scope.tenantId, id]);
  return row ? toTerritory(row) : null;
}

/** Issues of the tree with `next` in place, with paths pointing into the request body. */
function checkTree(all: readonly Territory[], next: Territory): { errors: Issue[]; warnings: Issue[] } {
  const tree = all.some((t) => t.id === next.id) ? all.map((t) => (t.id === next.id ? next : t)) : [...all, next];
  const index = tree.findIndex((t) => t.id === next.id);
  const prefix = `territories.${index}.`;
  const found = validateTerritories(tree).issues.filter((i) => i.path.startsWith(prefix) || i.path === `territories.${index}`);
  const mapped = found.map((i) => ({ code: i.code, severity: i.severity, message: message(i.code, i.message), path: `body.${i.path.slice(prefix.length)}` }));
  return { errors: mapped.filter((i) => i.severity === 'error'), warnings: mapped.filter((i) => i.severity === 'warning') };
}

export async function saveTerritory(scope: TenantScope, input: Territory, mode: 'create' | 'update'): Promise<Result<Territory> | null> {
  const all = await listTerritories(scope);
  const before = all.find((t) => t.id === input.id) ?? null;
  if (mode === 'update' && !before) return null;
  const { errors, warnings } = checkTree(all, input);
  if (errors.length > 0) return { ok: false, issues: errors };
  if (before) {
    await scope.tx.query('UPDATE territories SET name = $3, parent_id = $4, criteria = $5 WHERE tenant_id = $1 AND id = $2', [scope.tenantId, input.id, input.name, input.parentId, JSON.stringify(input.criteria)]);
  } else {
    await scope.tx.query('INSERT INTO territories (tenant_id, id, name, parent_id, criteria) VALUES ($1, $2, $3, $4, $5)', [scope.tenantId, input.id, input.name, input.parentId, JSON.stringify(input.criteria)]);
  }
  await recordAudit(scope, { action: before ? 'territory.updated' : 'territory.created', entityType: 'territory', entityId: input.id, ...(before ? { before } : {}), after: input });
  return { ok: true, value: input, warnings };
}

export async function deleteTerritory(scope: TenantScope, id: string): Promise<'deleted' | 'not_found' | 'not_empty'> {
  const before = await getTerritory(scope, id);
  if (!before) return 'not_found';
  const kids = await scope.tx.query('SELECT 1 FROM territories WHERE tenant_id = $1 AND parent_id = $2 LIMIT 1', [scope.tenantId, id]);
  if (kids.length > 0) return 'not_empty';
  await scope.tx.query('DELETE FROM territories WHERE tenant_id = $1 AND id = $2', [scope.tenantId, id]);
  await recordAudit(scope, { action: 'territory.deleted', entityType: 'territory', entityId: id, before });
  return 'deleted';
}

// Assignments -------------------------------------------------------------------------------

export interface StoredAssignment extends TerritoryAssignment {
  id: string;
}

interface AssignmentRow { id: string; territory_id: string; payee_id: string | null; team_id: string | null; role: 'owner' | 'overlay'; valid_from: string; valid_until: string | null }
const toAssignment = (r: AssignmentRow): StoredAssignment => ({
  id: r.id, territoryId: r.territory_id, assigneeKind: r.payee_id ? 'rep' : 'team', assigneeId: (r.payee_id ?? r.team_id) as string,
  role: r.role, from: String(r.valid_from), until: r.valid_until === null ? null : String(r.valid_until),
});

export async function listAssignments(scope: TenantScope, filter: { territoryId?: string | undefined } = {}): Promise<StoredAssignment[]> {
  const rows = await scope.tx.query<AssignmentRow>(
    `SELECT id, territory_id, payee_id, team_id, role, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_until, 'YYYY-MM-DD') AS valid_until
       FROM territory_assignments WHERE tenant_id = $1 AND ($2::uuid IS NULL OR territory_id = $2) ORDER BY valid_from, id`,
    [scope.tenantId, filter.territoryId ?? null],
  );
  return rows.map(toAssignment);
}

export async function createAssignment(scope: TenantScope, input: StoredAssignment): Promise<Result<StoredAssignment>> {
  const [territoryIds, existing] = [new Set((await listTerritories(scope)).map((t) => t.id)), await listAssignments(scope)];
  const all = [...existing, input];
  const at = all.length - 1;
  const found = validateAssignments(all, territoryIds).issues.filter((i) => i.path === `assignments.${at}` || i.path.startsWith(`assignments.${at}.`));
  const issues = found.map((i) => ({ code: i.code, severity: i.severity, message: message(i.code, i.message), path: `body${i.path.slice(`assignments.${at}`.length)}` }));
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) return { ok: false, issues: errors };
  const table = input.assigneeKind === 'rep' ? 'payees' : 'teams';
  const exists = await scope.tx.query(`SELECT 1 FROM ${table} WHERE tenant_id = $1 AND id = $2`, [scope.tenantId, input.assigneeId]);
  if (exists.length === 0) return { ok: false, issues: [{ code: 'unknown_assignee', path: 'body.assigneeId', message: `no ${input.assigneeKind === 'rep' ? 'payee' : 'team'} with this id` }] };
  await scope.tx.query(
    'INSERT INTO territory_assignments (tenant_id, id, territory_id, payee_id, team_id, role, valid_from, valid_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [scope.tenantId, input.id, input.territoryId, input.assigneeKind === 'rep' ? input.assigneeId : null, input.assigneeKind === 'team' ? input.assigneeId : null, input.role, input.from, input.until],
  );
  await recordAudit(scope, { action: 'territory_assignment.created', entityType: 'territory_assignment', entityId: input.id, after: input });
  return { ok: true, value: input, warnings: issues.filter((i) => i.severity === 'warning') };
}

export async function deleteAssignment(scope: TenantScope, id: string): Promise<boolean> {
  const [row] = await scope.tx.query<AssignmentRow>(
    `DELETE FROM territory_assignments WHERE tenant_id = $1 AND id = $2
     RETURNING id, territory_id, payee_id, team_id, role, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_until, 'YYYY-MM-DD') AS valid_until`,
    [scope.tenantId, id],
  );
  if (!row) return false;
  await recordAudit(scope, { action: 'territory_assignment.deleted', entityType: 'territory_assignment', entityId: id, before: toAssignment(row) });
  return true;
}

// Plans -------------------------------------------------------------------------------------

interface PlanRow { territory_id: string; period: string; revenue_target_minor: string; product_line_mix: TerritoryPlan['productLineMix']; headcount: number }
const toPlan = (r: PlanRow): TerritoryPlan => ({
  territoryId: r.territory_id, period: r.period, revenueTargetMinor: Number(r.revenue_target_minor), productLineMix: r.product_line_mix, headcount: r.headcount,
});

export async function listTerritoryPlans(scope: TenantScope, filter: { period?: string | undefined } = {}): Promise<TerritoryPlan[]> {
  const rows = await scope.tx.query<PlanRow>(
    `SELECT territory_id, period, revenue_target_minor, product_line_mix, headcount FROM territory_plans
      WHERE tenant_id = $1 AND ($2::text IS NULL OR period = $2) ORDER BY period, territory_id`,
    [scope.tenantId, filter.period ?? null],
  );
  return rows.map(toPlan);
}

/** Creates or replaces the plan of a territory for a period; warnings (children not adding up) come back with it. */
export async function saveTerritoryPlan(scope: TenantScope, plan: TerritoryPlan): Promise<Result<TerritoryPlan>> {
  const [territories, plans, calendar] = [await listTerritories(scope), await listTerritoryPlans(scope), await fiscalCalendarOf(scope)];
  const others = plans.filter((p) => !(p.territoryId === plan.territoryId && p.period === plan.period));
  const all = [...others, plan];
  const at = `plans.${all.length - 1}`;
  const { issues } = validateTerritoryPlans({ plans: all, territories, calendar });
  const errors = issues.filter((i) => i.severity === 'error' && (i.path === at || i.path.startsWith(`${at}.`)))
    .map((i) => ({ code: i.code, severity: i.severity, message: message(i.code, i.message), path: `body${i.path.slice(at.length)}` }));
  if (errors.length > 0) return { ok: false, issues: errors };
  const before = plans.find((p) => p.territoryId === plan.territoryId && p.period === plan.period);
  await scope.tx.query(
    `INSERT INTO territory_plans (tenant_id, territory_id, period, revenue_target_minor, product_line_mix, headcount) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, territory_id, period) DO UPDATE SET revenue_target_minor = EXCLUDED.revenue_target_minor,
       product_line_mix = EXCLUDED.product_line_mix, headcount = EXCLUDED.headcount, updated_at = now()`,
    [scope.tenantId, plan.territoryId, plan.period, plan.revenueTargetMinor, JSON.stringify(plan.productLineMix), plan.headcount],
  );
  await recordAudit(scope, { action: 'territory_plan.saved', entityType: 'territory_plan', entityId: `${plan.territoryId}:${plan.period}`, ...(before ? { before } : {}), after: plan });
  const warnings = issues.filter((i) => i.severity === 'warning').map((i) => ({ code: i.code, severity: i.severity, message: i.message, path: i.path }));
  return { ok: true, value: plan, warnings };
}

// Coverage ----------------------------------------------------------------------------------

export type CoverageDataset = 'deals' | 'accounts';

export interface CoverageSummary {
  dataset: CoverageDataset;
  period: string | null;
  records: number;
  covered: number;
  overlapCount: number;
  gapCount: number;
  /** Per parent (null = top level): how many records fall into several children / none. */
  overlapsByParent: { parentId: string | null; records: number }[];
  gapsByParent: { parentId: string | null; records: number }[];
  /** The first `sample` overlaps and gaps (record ids are the records' external ids). */
  overlaps: CoverageOverlap[];
  gaps: CoverageGap[];
  recordsByTerritory: { territoryId: string; records: number }[];
  criteriaOverlaps: CriteriaOverlap[];
}

/**
 * The territory attributes of a dataset's records, in keyset batches; a deal takes its
 * country and segment (and region when it has none) from its account.
 */
function attributeSql(dataset: CoverageDataset): string {
  if (dataset === 'deals') {
    return `SELECT r.id::text AS id, r.ext_id, coalesce(r.t7, a.t3) AS region, a.t4 AS country, r.t6 AS product_line, a.t2 AS segment, r.t2 AS account
      FROM records r LEFT JOIN records a ON a.tenant_id = r.tenant_id AND a.dataset = 'accounts' AND a.ext_id = r.t2
      WHERE r.tenant_id = $1 AND r.dataset = 'deals' AND r.id > $2 AND ($4::date IS NULL OR (r.d2 >= $4 AND r.d2 < $5))
      ORDER BY r.id LIMIT $3`;
  }
  return `SELECT r.id::text AS id, r.ext_id, r.t3 AS region, r.t4 AS country, NULL AS product_line, r.t2 AS segment, r.ext_id AS account
    FROM records r WHERE r.tenant_id = $1 AND r.dataset = 'accounts' AND r.id > $2 AND ($4::date IS NULL OR (r.d1 >= $4 AND r.d1 < $5))
    ORDER BY r.id LIMIT $3`;
}

interface AttributeRow { id: string; ext_id: string; region: string | null; country: string | null; product_line: string | null; segment: string | null; account: string | null }

/** Streams records with their territory attributes, batch by batch (never the whole dataset as objects). */
export async function forEachTerritoryRecordBatch(
  scope: TenantScope,
  input: { dataset: CoverageDataset; range: { start: string; end: string } | null; batchSize?: number },
  fn: (records: TerritoryRecord[]) => void,
): Promise<void> {
  const sql = attributeSql(input.dataset);
  const size = input.batchSize ?? 20_000;
  let after = '0';
  for (;;) {
    const rows = await scope.tx.query<AttributeRow>(sql, [scope.tenantId, after, size, input.range?.start ?? null, input.range?.end ?? null]);
    if (rows.length === 0) break;
    fn(rows.map((r) => ({ id: r.ext_id, region: r.region, country: r.country, productLine: r.product_line, segment: r.segment, accountId: r.account })));
    if (rows.length < size) break;
    after = (rows[rows.length - 1] as AttributeRow).id;
  }
}

/** Overlaps and gaps of the territory tree over a dataset's records (deals by close date in the period). */
export async function territoryCoverage(scope: TenantScope, input: { dataset: CoverageDataset; period: string | null; sample: number }): Promise<Result<CoverageSummary>> {
  let range: { start: string; end: string } | null = null;
  if (input.period) {
    const parsed = parsePeriod(input.period, await fiscalCalendarOf(scope), 'query.period');
    if (!parsed.ok) return { ok: false, issues: parsed.issues.map((i) => ({ code: 'bad_period', path: 'query.period', message: i.message })) };
    range = { start: parsed.period.start, end: parsed.period.end };
  }
  const territories = await listTerritories(scope);
  const summary: CoverageSummary = {
    dataset: input.dataset, period: input.period, records: 0, covered: 0, overlapCount: 0, gapCount: 0, overlapsByParent: [], gapsByParent: [],
    overlaps: [], gaps: [], recordsByTerritory: territories.map((t) => ({ territoryId: t.id, records: 0 })), criteriaOverlaps: [],
  };
  const byTerritory = new Map(summary.recordsByTerritory.map((r) => [r.territoryId, r] as const));
  const overlapParents = new Map<string | null, number>();
  const gapParents = new Map<string | null, number>();
  await forEachTerritoryRecordBatch(scope, { dataset: input.dataset, range }, (records) => {
    const report = coverageReport({ records, territories });
    summary.records += report.records;
    summary.covered += report.covered;
    summary.overlapCount += report.overlaps.length;
    summary.gapCount += report.gaps.length;
    for (const o of report.overlaps) overlapParents.set(o.parentId, (overlapParents.get(o.parentId) ?? 0) + 1);
    for (const g of report.gaps) gapParents.set(g.parentId, (gapParents.get(g.parentId) ?? 0) + 1);
    summary.overlaps.push(...report.overlaps.slice(0, Math.max(0, input.sample - summary.overlaps.length)));
    summary.gaps.push(...report.gaps.slice(0, Math.max(0, input.sample - summary.gaps.length)));
    for (const r of report.recordsByTerritory) {
      const entry = byTerritory.get(r.territoryId);
      if (entry) entry.records += r.records;
    }
  });
  summary.criteriaOverlaps = coverageReport({ records: [], territories }).criteriaOverlaps;
  summary.overlapsByParent = [...overlapParents].map(([parentId, records]) => ({ parentId, records }));
  summary.gapsByParent = [...gapParents].map(([parentId, records]) => ({ parentId, records }));
  return { ok: true, value: summary, warnings: [] };
}

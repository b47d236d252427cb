/**
 * Quota plans (a company target per fiscal year) and their versions: allocated top-down by
 * the core (allocateQuota over territories → teams → reps), split by learned seasonality,
 * adjusted bottom-up with audited overrides, locked (then immutable: the database refuses
 * too), revised into new effective-dated versions, diffed, exported and imported as CSV.
 * Node keys on the FY lines: 'territory:<id>', 'team:<id>', 'rep:<payee id>'.
 */
import { parse } from 'csv-parse/sync';
import {
  allocateQuota, applyQuotaOverrides, DEFAULT_RAMP, diffQuotaVersions, learnSeasonality, rampedMonths, splitQuotaBySeason,
  type AllocationMethod, type DatedAmount, type NodeQuota, type OrgNode, type QuotaAssigneeKind, type QuotaChange, type QuotaGap, type QuotaLine, type QuotaVersionDiff,
} from '../../core/quota/index.js';
import { fiscalYearPeriod, parsePeriod, type FiscalCalendar } from '../../core/period.js';
import type { TenantScope } from '../store.js';
import { recordAudit } from './audit.js';
import { listTeamSubtreeIds } from './teams.js';
import { listAssignments, listTerritories, type Issue, type Result } from './territories.js';
import { fiscalCalendarOf } from './tenants.js';
import { isUuid } from '../../core/uuid.js';

export type QuotaLevels = 'teams' | 'territories';

export interface QuotaPlan {
  id: string;
  name: string;
  fiscalYear: number;
  currency: string;
  targetMinor: number;
}

export interface QuotaVersionSummary {
  id: string;
  planId: string;
  version: number;
  method: AllocationMethod;
  levels: QuotaLevels;
  effectiveFrom: string;
  effectiveTo: string | null;
  isLocked: boolean;
  lockedAt: string | null;
  lockedBy: string | null;
  note: string;
}

export interface StoredQuotaLine extends QuotaLine {
  assigneeName: string | null;
  /** The node above on the FY line ('team:<id>' …); null at the top or on periodic lines. */
  parentKey: string | null;
  isOverridden: boolean;
}

/** Who sees which lines: quotas are pay-relevant (a manager their team subtree, a rep their own). */
export type QuotaVisibility = { all: true } | { all: false; teamIds: readonly string[]; payeeIds: readonly string[] };

const nodeKey = (kind: QuotaAssigneeKind, id: string): string => `${kind}:${id}`;
const splitKey = (key: string): { kind: QuotaAssigneeKind; id: string } => {
  const at = key.indexOf(':');
  return { kind: key.slice(0, at) as QuotaAssigneeKind, id: key.slice(at + 1) };
};

// Plans ------------------------------------------------------------------------------------

interface PlanRow { id: string; name: string; fiscal_year: number; currency: string; target_minor: string }
const toPlan = (r: PlanRow): QuotaPlan => ({ id: r.id, name: r.name, fiscalYear: r.fiscal_year, currency: r.currency, targetMinor: Number(r.target_minor) });

export async function createQuotaPlan(scope: TenantScope, input: { id: string; name: string; fiscalYear: number; targetMinor: number; currency?: string | undefined }): Promise<QuotaPlan> {
  const [row] = await scope.tx.query<PlanRow>(
    `INSERT INTO quota_plans (tenant_id, id, name, fiscal_year, currency, target_minor)
     VALUES ($1, $2, $3, $4, coalesce($5, (SELECT currency FROM tenants WHERE id = $1)), $6) RETURNING id, name, fiscal_year, currency, target_minor`,
    [scope.tenantId, input.id, input.name, input.fiscalYear, input.currency ?? null, input.targetMinor],
  );
  if (!row) throw new Error('quota plan insert not visible');
  const plan = toPlan(row);
  await recordAudit(scope, { action: 'quota_plan.created', entityType: 'quota_plan', entityId: plan.id, after: plan });
  return plan;
}

export async function getQuotaPlan(scope: TenantScope, id: string): Promise<QuotaPlan | null> {
  const [row] = await scope.tx.query<PlanRow>('SELECT id, name, fiscal_year, currency, target_minor FROM quota_plans WHERE tenant_id = $1 AND id = $2', [scope.tenantId, id]);
  return row ? toPlan(row) : null;
}

export async function listQuotaPlans(scope: TenantScope): Promise<(QuotaPlan & { versions: QuotaVersionSummary[] })[]> {
  const plans = (await scope.tx.query<PlanRow>('SELECT id, name, fiscal_year, currency, target_minor FROM quota_plans WHERE tenant_id = $1 ORDER BY fiscal_year DESC, name', [scope.tenantId])).map(toPlan);
  const versions = await listVersions(scope, null);
  return plans.map((p) => ({ ...p, versions: versions.filter((v) => v.planId === p.id) }));
}

// Versions ---------------------------------------------------------------------------------

interface VersionRow {
  id: string; plan_id: string; version: number; method: AllocationMethod; levels: QuotaLevels; effective_from: string; effective_to: string | null;
  locked_at: string | Date | null; locked_by: string | null; note: string; month_shares: number[];
}
const VERSION_COLUMNS = `id, plan_id, version, method, levels, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, to_char(effective_to, 'YYYY-MM-DD') AS effective_to,
  locked_at, locked_by, note, month_shares`;
const toVersion = (r: VersionRow): QuotaVersionSummary => ({
  id: r.id, planId: r.plan_id, version: r.version, method: r.method, levels: r.levels, effectiveFrom: r.effective_from, effectiveTo: r.effective_to,
  isLocked: r.locked_at !== null, lockedAt: r.locked_at === null ? null : new Date(r.locked_at).toISOString(), lockedBy: r.locked_by, note: r.note,
});

async function listVersions(scope: TenantScope, planId: string | null): Promise<QuotaVersionSummary[]> {
  const rows = await scope.tx.query<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM quota_versions WHERE tenant_id = $1 AND ($2::uuid IS NULL OR plan_id = $2) ORDER BY plan_id, version`,
    [scope.tenantId, planId],
  );
  return rows.map(toVersion);
}

async function versionRow(scope: TenantScope, id: string): Promise<VersionRow | null> {
  const [row] = await scope.tx.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM quota_versions WHERE tenant_id = $1 AND id = $2`, [scope.tenantId, id]);
  return row ?? null;
}

export async function getQuotaVersionSummary(scope: TenantScope, id: string): Promise<QuotaVersionSummary | null> {
  const row = await versionRow(scope, id);
  return row ? toVersion(row) : null;
}

interface PayeeInfo { id: string; teamId: string | null; startDate: string | null; endDate: string | null }

async function loadReps(scope: TenantScope, range: { start: string; end: string }): Promise<PayeeInfo[]> {
  const rows = await scope.tx.query<{ id: string; team_id: string | null; start_date: string | null; end_date: string | null }>(
    `SELECT id, team_id, to_char(start_date, 'YYYY-MM-DD') AS start_date, to_char(end_date, 'YYYY-MM-DD') AS end_date FROM payees
      WHERE tenant_id = $1 AND kind = 'employee' AND (start_date IS NULL OR start_date < $3) AND (end_date IS NULL OR end_date >= $2)
      ORDER BY display_name, id`,
    [scope.tenantId, range.start, range.end],
  );
  return rows.map((r) => ({ id: r.id, teamId: r.team_id, startDate: r.start_date, endDate: r.end_date }));
}

/** Won bookings (or open pipeline) per owner payee, summed in SQL. */
async function amountsByOwner(scope: TenantScope, input: { kind: 'won' | 'open'; start: string; end: string }): Promise<Map<string, number>> {
  const where = input.kind === 'won'
    ? `t4 = 'closed_won' AND d2 >= $2 AND d2 < $3`
    : `t4 NOT IN ('closed_won', 'closed_lost') AND (d2 IS NULL OR d2 < $3) AND $2::date IS NOT NULL`;
  const rows = await scope.tx.query<{ owner: string; amount: string }>(
    `SELECT owner_payee_id AS owner, sum(n1)::text AS amount FROM records
      WHERE tenant_id = $1 AND dataset = 'deals' AND owner_payee_id IS NOT NULL AND n1 IS NOT NULL AND ${where} GROUP BY owner_payee_id`,
    [scope.tenantId, input.start, input.end],
  );
  return new Map(rows.map((r) => [r.owner, Number(r.amount)] as const));
}

/** Won bookings per calendar month over the range (for seasonality). */
export async function monthlyWonBookings(scope: TenantScope, range: { start: string; end: string }): Promise<DatedAmount[]> {
  const rows = await scope.tx.query<{ month: string; amount: string }>(
    `SELECT to_char(date_trunc('month', d2), 'YYYY-MM-DD') AS month, sum(n1)::text AS amount FROM records
      WHERE tenant_id = $1 AND dataset = 'deals' AND t4 = 'closed_won' AND n1 IS NOT NULL AND d2 >= $2 AND d2 < $3 GROUP BY 1 ORDER BY 1`,
    [scope.tenantId, range.start, range.end],
  );
  return rows.map((r) => ({ date: r.month, amountMinor: Number(r.amount) }));
}

/** The org tree to allocate over: the team tree or the territory tree, with reps (payees) as leaves; empty branches pruned. */
async function buildNodes(scope: TenantScope, input: { levels: QuotaLevels; range: { start: string; end: string } }): Promise<{ nodes: OrgNode[]; reps: Map<string, PayeeInfo>; warnings: Issue[] }> {
  const reps = await loadReps(scope, input.range);
  const repById = new Map(reps.map((r) => [r.id, r] as const));
  const warnings: Issue[] = [];
  const nodes: OrgNode[] = [];
  const repNode = (rep: PayeeInfo, parentKey: string): OrgNode => ({
    id: nodeKey('rep', rep.id), parentId: parentKey, kind: 'rep',
    ...(rep.startDate ? { startDate: rep.startDate } : {}), ...(rep.endDate ? { endDate: rep.endDate } : {}),
  });
  if (input.levels === 'teams') {
    const teams = await scope.tx.query<{ id: string; parent_id: string | null }>('SELECT id, parent_id FROM teams WHERE tenant_id = $1 ORDER BY name, id', [scope.tenantId]);
    for (const t of teams) nodes.push({ id: nodeKey('team', t.id), parentId: t.parent_id ? nodeKey('team', t.parent_id) : null, kind: 'team' });
    for (const rep of reps) if (rep.teamId) nodes.push(repNode(rep, nodeKey('team', rep.teamId)));
  } else {
    const territories = await listTerritories(scope);
    for (const t of territories) nodes.push({ id: nodeKey('territory', t.id), parentId: t.parentId ? nodeKey('territory', t.parentId) : null, kind: 'territory' });
    const active = (await listAssignments(scope)).filter((a) => a.role === 'owner' && a.from < input.range.end && (a.until === null || a.until > input.range.start));
    const placed = new Set<string>();
    for (const a of active) {
      const parent = nodeKey('territory', a.territoryId);
      if (a.assigneeKind === 'rep') {
        const rep = repById.get(a.assigneeId);
        if (!rep) continue;
        if (placed.has(rep.id)) { warnings.push({ code: 'assigned_twice', path: `rep:${rep.id}`, message: 'owner of several territories: the quota goes to the first', severity: 'warning' }); continue; }
        placed.add(rep.id);
        nodes.push(repNode(rep, parent));
      } else {
        const key = nodeKey('team', a.assigneeId);
        if (placed.has(key)) { warnings.push({ code: 'assigned_twice', path: key, message: 'owner of several territories: the quota goes to the first', severity: 'warning' }); continue; }
        placed.add(key);
        nodes.push({ id: key, parentId: parent, kind: 'team' });
        for (const rep of reps.filter((r) => r.teamId === a.assigneeId && !placed.has(r.id))) {
          placed.add(rep.id);
          nodes.push(repNode(rep, key));
        }
      }
    }
  }
  // Keep only branches with a rep below them (an empty team should not take a share).
  const keep = new Set<string>();
  const byId = new Map(nodes.map((n) => [n.id, n] as const));
  for (const n of nodes) {
    if (n.kind !== 'rep') continue;
    for (let at: OrgNode | undefined = n; at && !keep.has(at.id); at = at.parentId ? byId.get(at.parentId) : undefined) keep.add(at.id);
  }
  return { nodes: nodes.filter((n) => keep.has(n.id)), reps: repById, warnings };
}

interface LineInsert { kind: QuotaAssigneeKind; id: string; period: string; quotaMinor: number; parentKey: string | null; weight: number; isOverridden: boolean }

async function insertLines(scope: TenantScope, versionId: string, lines: readonly LineInsert[]): Promise<void> {
  for (let i = 0; i < lines.length; i += 5000) {
    const chunk = lines.slice(i, i + 5000);
    await scope.tx.query(
      `INSERT INTO quota_lines (tenant_id, version_id, assignee_kind, assignee_id, period, quota_minor, parent_key, weight, is_overridden)
       SELECT $1, $2, * FROM unnest($3::text[], $4::uuid[], $5::text[], $6::bigint[], $7::text[], $8::float8[], $9::boolean[])`,
      [scope.tenantId, versionId, chunk.map((l) => l.kind), chunk.map((l) => l.id), chunk.map((l) => l.period), chunk.map((l) => l.quotaMinor),
        chunk.map((l) => l.parentKey), chunk.map((l) => l.weight), chunk.map((l) => l.isOverridden)],
    );
  }
}

/** The quarter and month lines of one node's yearly quota (a ramping rep's months follow their ramp under the capacity method). */
function seasonalLines(input: { kind: QuotaAssigneeKind; id: string; quotaMinor: number; fiscalYear: number; calendar: FiscalCalendar; monthShares: readonly number[]; rep: PayeeInfo | undefined; method: AllocationMethod }): LineInsert[] {
  const capacity = input.method === 'capacity' && input.rep?.startDate
    ? rampedMonths({ rep: { startDate: input.rep.startDate, endDate: input.rep.endDate }, fiscalYear: input.fiscalYear, calendar: input.calendar, curve: DEFAULT_RAMP })
    : undefined;
  const split = splitQuotaBySeason({ quotaMinor: input.quotaMinor, fiscalYear: input.fiscalYear, calendar: input.calendar, monthShares: input.monthShares, ...(capacity ? { capacity } : {}) });
  return [...split.quarters, ...split.months].map((p) => ({ kind: input.kind, id: input.id, period: p.period, quotaMinor: p.quotaMinor, parentKey: null, weight: 0, isOverridden: false }));
}

export interface AllocateVersionInput {
  id: string;
  planId: string;
  method: AllocationMethod;
  levels: QuotaLevels;
  effectiveFrom: string;
  effectiveTo?: string | null | undefined;
  note?: string | undefined;
}

/** Allocates the plan's target into a new draft version (lines for every node: FY, quarters, months). Null: no such plan. */
export async function allocateQuotaVersion(scope: TenantScope, input: AllocateVersionInput): Promise<Result<QuotaVersionSummary & { lineCount: number }> | null> {
  const plan = await getQuotaPlan(scope, input.planId);
  if (!plan) return null;
  const calendar = await fiscalCalendarOf(scope);
  const fy = fiscalYearPeriod(plan.fiscalYear, calendar);
  const previous = fiscalYearPeriod(plan.fiscalYear - 1, calendar);
  const { nodes, reps, warnings } = await buildNodes(scope, { levels: input.levels, range: fy });
  if (nodes.length === 0) return { ok: false, issues: [{ code: 'no_nodes', path: 'body.levels', message: input.levels === 'teams' ? 'no employee payees in teams for this fiscal year' : 'no reps or teams assigned as owners of territories in this fiscal year' }] };
  if (input.method === 'historical' || input.method === 'potential') {
    const amounts = await amountsByOwner(scope, input.method === 'historical' ? { kind: 'won', start: previous.start, end: previous.end } : { kind: 'open', start: fy.start, end: fy.end });
    for (const n of nodes) {
      if (n.kind !== 'rep') continue;
      const value = amounts.get(splitKey(n.id).id) ?? 0;
      if (input.method === 'historical') n.historicalMinor = value;
      else n.potentialMinor = value;
    }
  }
  const allocation = allocateQuota({ targetMinor: plan.targetMinor, method: input.method, nodes, fiscalYear: plan.fiscalYear, calendar });
  if (!allocation.ok) return { ok: false, issues: allocation.issues.map((i) => ({ code: i.code, path: i.path, message: i.message })) };
  const history = await monthlyWonBookings(scope, { start: fiscalYearPeriod(plan.fiscalYear - 3, calendar).start, end: fy.start });
  const { monthShares } = learnSeasonality(history, { calendar, historyStart: fiscalYearPeriod(plan.fiscalYear - 3, calendar).start, historyEnd: fy.start });
  const [{ next } = { next: 1 }] = await scope.tx.query<{ next: number }>('SELECT coalesce(max(version), 0) + 1 AS next FROM quota_versions WHERE tenant_id = $1 AND plan_id = $2', [scope.tenantId, plan.id]);
  await scope.tx.query(
    `INSERT INTO quota_versions (tenant_id, id, plan_id, version, method, levels, effective_from, effective_to, month_shares, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [scope.tenantId, input.id, plan.id, next, input.method, input.levels, input.effectiveFrom, input.effectiveTo ?? null, JSON.stringify(monthShares), input.note ?? ''],
  );
  const lines: LineInsert[] = [];
  for (const q of allocation.quotas) {
    const { kind, id } = splitKey(q.nodeId);
    lines.push({ kind, id, period: fy.key, quotaMinor: q.quotaMinor, parentKey: q.parentId, weight: q.weight, isOverridden: false });
    lines.push(...seasonalLines({ kind, id, quotaMinor: q.quotaMinor, fiscalYear: plan.fiscalYear, calendar, monthShares, rep: kind === 'rep' ? reps.get(id) : undefined, method: input.method }));
  }
  await insertLines(scope, input.id, lines);
  const summary = toVersion((await versionRow(scope, input.id)) as VersionRow);
  await recordAudit(scope, {
    action: 'quota_version.created', entityType: 'quota_version', entityId: input.id,
    after: { ...summary, targetMinor: plan.targetMinor, nodes: allocation.quotas.length, lines: lines.length },
  });
  const allocationWarnings = allocation.issues.map((i) => ({ code: i.code, path: i.path, message: i.message, severity: 'warning' as const }));
  return { ok: true, value: { ...summary, lineCount: lines.length }, warnings: [...warnings, ...allocationWarnings] };
}

interface LineRow { assignee_kind: QuotaAssigneeKind; assignee_id: string; period: string; quota_minor: string; parent_key: string | null; weight: number; is_overridden: boolean; assignee_name: string | null }

async function loadLines(scope: TenantScope, versionId: string, filter: { visibility?: QuotaVisibility; period?: string | undefined } = {}): Promise<StoredQuotaLine[]> {
  const v = filter.visibility ?? { all: true };
  const rows = await scope.tx.query<LineRow>(
    `SELECT l.assignee_kind, l.assignee_id, l.period, l.quota_minor, l.parent_key, l.weight, l.is_overridden,
            coalesce(p.display_name, t.name, te.name) AS assignee_name
       FROM quota_lines l
       LEFT JOIN payees p ON l.assignee_kind = 'rep' AND p.tenant_id = l.tenant_id AND p.id = l.assignee_id
       LEFT JOIN teams t ON l.assignee_kind = 'team' AND t.tenant_id = l.tenant_id AND t.id = l.assignee_id
       LEFT JOIN territories te ON l.assignee_kind = 'territory' AND te.tenant_id = l.tenant_id AND te.id = l.assignee_id
      WHERE l.tenant_id = $1 AND l.version_id = $2 AND ($3::text IS NULL OR l.period = $3)
        AND ($4::boolean OR (l.assignee_kind = 'rep' AND l.assignee_id = ANY($5::uuid[])) OR (l.assignee_kind = 'team' AND l.assignee_id = ANY($6::uuid[])))
      ORDER BY (l.period LIKE 'FY%') DESC, length(l.period), l.period, l.assignee_kind DESC, assignee_name, l.assignee_id`,
    [scope.tenantId, versionId, filter.period ?? null, v.all, v.all ? [] : v.payeeIds, v.all ? [] : v.teamIds],
  );
  return rows.map((r) => ({
    assigneeKind: r.assignee_kind, assigneeId: r.assignee_id, assigneeName: r.assignee_name, period: r.period, quotaMinor: Number(r.quota_minor),
    parentKey: r.parent_key, isOverridden: r.is_overridden,
  }));
}

export interface QuotaVersionDetail {
  plan: QuotaPlan;
  version: QuotaVersionSummary;
  lines: StoredQuotaLine[];
  /** Sum of the top-level FY quotas − target; null when the caller sees only part of the lines. */
  totalGapMinor: number | null;
  gaps: QuotaGap[] | null;
}

function gapsOf(plan: QuotaPlan, fyLines: readonly StoredQuotaLine[]): { totalGapMinor: number; gaps: QuotaGap[] } {
  const result = applyQuotaOverrides({ targetMinor: plan.targetMinor, quotas: fyLines.map(toNodeQuota), overrides: [] });
  return { totalGapMinor: result.totalGapMinor, gaps: result.gaps };
}
const toNodeQuota = (l: StoredQuotaLine): NodeQuota => ({ nodeId: nodeKey(l.assigneeKind, l.assigneeId), parentId: l.parentKey, kind: l.assigneeKind, quotaMinor: l.quotaMinor, weight: 0 });

export async function getQuotaVersion(scope: TenantScope, id: string, options: { visibility: QuotaVisibility; period?: string | undefined }): Promise<QuotaVersionDetail | null> {
  const row = await versionRow(scope, id);
  if (!row) return null;
  const plan = (await getQuotaPlan(scope, row.plan_id)) as QuotaPlan;
  const lines = await loadLines(scope, id, { visibility: options.visibility, period: options.period });
  let gap: { totalGapMinor: number | null; gaps: QuotaGap[] | null } = { totalGapMinor: null, gaps: null };
  if (options.visibility.all) {
    const fyKey = `FY${String(plan.fiscalYear).padStart(4, '0')}`;
    gap = gapsOf(plan, options.period === undefined ? lines.filter((l) => l.period === fyKey) : await loadLines(scope, id, { period: fyKey }));
  }
  return { plan, version: toVersion(row), lines, ...gap };
}

export type VersionRefusal = 'not_found' | 'locked';

/** Locks a version: from now on nothing about it changes (a new version is the way to change quotas). */
export async function lockQuotaVersion(scope: TenantScope, id: string): Promise<QuotaVersionSummary | VersionRefusal> {
  const row = await versionRow(scope, id);
  if (!row) return 'not_found';
  if (row.locked_at !== null) return 'locked';
  await scope.tx.query('UPDATE quota_versions SET locked_at = now(), locked_by = $3 WHERE tenant_id = $1 AND id = $2', [scope.tenantId, id, scope.actor.userId]);
  const after = toVersion((await versionRow(scope, id)) as VersionRow);
  await recordAudit(scope, { action: 'quota_version.locked', entityType: 'quota_version', entityId: id, before: toVersion(row), after });
  return after;
}

/** A new draft version (number + 1) with the lines of `id`, in force from `effectiveFrom`. */
export async function reviseQuotaVersion(scope: TenantScope, input: { id: string; newId: string; effectiveFrom: string; note?: string | undefined }): Promise<QuotaVersionSummary | 'not_found'> {
  const row = await versionRow(scope, input.id);
  if (!row) return 'not_found';
  await scope.tx.query(
    `INSERT INTO quota_versions (tenant_id, id, plan_id, version, method, levels, effective_from, month_shares, note)
     SELECT tenant_id, $3, plan_id, (SELECT max(version) + 1 FROM quota_versions WHERE tenant_id = $1 AND plan_id = v.plan_id), method, levels, $4, month_shares, $5
       FROM quota_versions v WHERE tenant_id = $1 AND id = $2`,
    [scope.tenantId, input.id, input.newId, input.effectiveFrom, input.note ?? ''],
  );
  await scope.tx.query(
    `INSERT INTO quota_lines (tenant_id, version_id, assignee_kind, assignee_id, period, quota_minor, parent_key, weight, is_overridden)
     SELECT tenant_id, $3, assignee_kind, assignee_id, period, quota_minor, parent_key, weight, is_overridden FROM quota_lines WHERE tenant_id = $1 AND version_id = $2`,
    [scope.tenantId, input.id, input.newId],
  );
  const after = toVersion((await versionRow(scope, input.newId)) as VersionRow);
  await recordAudit(scope, { action: 'quota_version.revised', entityType: 'quota_version', entityId: input.newId, after: { ...after, revisedFrom: input.id } });
  return after;
}

export async function diffVersions(scope: TenantScope, beforeId: string, afterId: string): Promise<QuotaVersionDiff | 'not_found'> {
  if (!(await versionRow(scope, beforeId)) || !(await versionRow(scope, afterId))) return 'not_found';
  return diffQuotaVersions({ lines: await loadLines(scope, beforeId) }, { lines: await loadLines(scope, afterId) });
}

// Overrides --------------------------------------------------------------------------------

export interface OverrideInput {
  assigneeKind: QuotaAssigneeKind;
  assigneeId: string;
  quotaMinor: number;
  reason: string;
}

export interface OverrideOutcome {
  changes: (QuotaChange & { assigneeKind: QuotaAssigneeKind; assigneeId: string })[];
  gaps: QuotaGap[];
  totalGapMinor: number;
  warnings: Issue[];
}

/** Re-splits a node's quarters and months after its FY quota changed. */
async function resplit(scope: TenantScope, input: { versionId: string; row: VersionRow; plan: QuotaPlan; calendar: FiscalCalendar; kind: QuotaAssigneeKind; id: string; quotaMinor: number }): Promise<void> {
  const reps = input.kind === 'rep' && input.row.method === 'capacity' ? await loadReps(scope, fiscalYearPeriod(input.plan.fiscalYear, input.calendar)) : [];
  await scope.tx.query(`DELETE FROM quota_lines WHERE tenant_id = $1 AND version_id = $2 AND assignee_kind = $3 AND assignee_id = $4 AND period NOT LIKE 'FY%'`, [scope.tenantId, input.versionId, input.kind, input.id]);
  await insertLines(scope, input.versionId, seasonalLines({
    kind: input.kind, id: input.id, quotaMinor: input.quotaMinor, fiscalYear: input.plan.fiscalYear, calendar: input.calendar, monthShares: input.row.month_shares,
    rep: reps.find((r) => r.id === input.id), method: input.row.method,
  }));
}

/** Bottom-up overrides of FY quotas (optionally rebalancing siblings); every change audited with before, after and the reason. */
export async function overrideQuotas(scope: TenantScope, versionId: string, input: { overrides: readonly OverrideInput[]; rebalance: boolean }): Promise<Result<OverrideOutcome> | VersionRefusal> {
  const row = await versionRow(scope, versionId);
  if (!row) return 'not_found';
  if (row.locked_at !== null) return 'locked';
  const plan = (await getQuotaPlan(scope, row.plan_id)) as QuotaPlan;
  const calendar = await fiscalCalendarOf(scope);
  const fyKey = fiscalYearPeriod(plan.fiscalYear, calendar).key;
  const fyLines = await loadLines(scope, versionId, { period: fyKey });
  const known = new Set(fyLines.map((l) => nodeKey(l.assigneeKind, l.assigneeId)));
  const issues: Issue[] = [];
  input.overrides.forEach((o, i) => {
    if (!known.has(nodeKey(o.assigneeKind, o.assigneeId))) issues.push({ code: 'unknown_node', path: `body.overrides.${i}.assigneeId`, message: `no ${o.assigneeKind} line in this version` });
  });
  if (issues.length > 0) return { ok: false, issues };
  const reasons = new Map(input.overrides.map((o) => [nodeKey(o.assigneeKind, o.assigneeId), o.reason] as const));
  const result = applyQuotaOverrides({
    targetMinor: plan.targetMinor, quotas: fyLines.map(toNodeQuota), rebalance: input.rebalance,
    overrides: input.overrides.map((o) => ({ nodeId: nodeKey(o.assigneeKind, o.assigneeId), quotaMinor: o.quotaMinor, reason: o.reason })),
  });
  const errors = result.issues.filter((i) => i.code !== 'cannot_rebalance');
  if (errors.length > 0) return { ok: false, issues: errors.map((i) => ({ code: i.code, path: `body.${i.path}`, message: i.message })) };
  const changes: OverrideOutcome['changes'] = [];
  for (const change of result.changes) {
    // Confirming a quota unchanged writes and audits nothing.
    if (change.beforeMinor === change.afterMinor) continue;
    const { kind, id } = splitKey(change.nodeId);
    await scope.tx.query(
      `UPDATE quota_lines SET quota_minor = $6, is_overridden = is_overridden OR $7 WHERE tenant_id = $1 AND version_id = $2 AND assignee_kind = $3 AND assignee_id = $4 AND period = $5`,
      [scope.tenantId, versionId, kind, id, fyKey, change.afterMinor, change.cause === 'override'],
    );
    await resplit(scope, { versionId, row, plan, calendar, kind, id, quotaMinor: change.afterMinor });
    const reason = change.reason ?? (change.cause === 'rebalance' ? `rebalanced after: ${[...reasons.values()].join('; ')}` : '');
    await recordAudit(scope, {
      action: change.cause === 'override' ? 'quota.overridden' : 'quota.rebalanced', entityType: 'quota_line', entityId: `${versionId}:${change.nodeId}:${fyKey}`,
      before: { quotaMinor: change.beforeMinor }, after: { quotaMinor: change.afterMinor, reason },
    });
    changes.push({ ...change, reason, assigneeKind: kind, assigneeId: id });
  }
  const warnings = result.issues.filter((i) => i.code === 'cannot_rebalance').map((i) => ({ code: i.code, path: i.path, message: i.message, severity: 'warning' as const }));
  return { ok: true, value: { changes, gaps: result.gaps, totalGapMinor: result.totalGapMinor, warnings }, warnings };
}

// CSV --------------------------------------------------------------------------------------

export const QUOTA_CSV_COLUMNS = ['assignee_kind', 'assignee_id', 'assignee_name', 'period', 'quota_minor'] as const;

const csvCell = (value: string): string => (/[",\r\n]/.test(value) || /^[=+\-@]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** The version's lines (as the caller may see them) as CSV: one line per assignee and period, amounts in minor units. */
export async function exportQuotaCsv(scope: TenantScope, versionId: string, visibility: QuotaVisibility): Promise<string | null> {
  if (!(await versionRow(scope, versionId))) return null;
  const lines = await loadLines(scope, versionId, { visibility });
  const out = [QUOTA_CSV_COLUMNS.join(',')];
  for (const l of lines) out.push([l.assigneeKind, l.assigneeId, l.assigneeName ?? '', l.period, String(l.quotaMinor)].map(csvCell).join(','));
  return `${out.join('\r\n')}\r\n`;
}

export interface CsvRowIssue {
  /** The line in the file (the header is line 1). */
  row: number;
  column: string;
  message: string;
}


/**
 * Imports quota lines from CSV into a draft version, all or nothing: every bad row is named
 * (row, column, reason) and nothing is written. Changed lines are marked overridden and each
 * change is audited with before, after and the reason.
 */
export async function importQuotaCsv(scope: TenantScope, versionId: string, input: { csv: string; reason: string }): Promise<{ ok: true; added: number; changed: number; unchanged: number } | { ok: false; issues: CsvRowIssue[] } | VersionRefusal> {
  const row = await versionRow(scope, versionId);
  if (!row) return 'not_found';
  if (row.locked_at !== null) return 'locked';
  const plan = (await getQuotaPlan(scope, row.plan_id)) as QuotaPlan;
  const calendar = await fiscalCalendarOf(scope);
  const fy = fiscalYearPeriod(plan.fiscalYear, calendar);
  let records: string[][];
  try {
    records = parse(input.csv, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { ok: false, issues: [{ row: line, column: '', message: `not readable as CSV: ${(error as Error).message}` }] };
  }
  const [header, ...body] = records;
  const issues: CsvRowIssue[] = [];
  const col = new Map((header ?? []).map((h, i) => [h.toLowerCase(), i] as const));
  for (const required of ['assignee_kind', 'assignee_id', 'period', 'quota_minor']) {
    if (!col.has(required)) issues.push({ row: 1, column: required, message: 'missing column' });
  }
  if (issues.length > 0) return { ok: false, issues };
  const ids = async (sql: string): Promise<Set<string>> => new Set((await scope.tx.query<{ id: string }>(sql, [scope.tenantId])).map((r) => r.id));
  const existing = {
    rep: await ids('SELECT id FROM payees WHERE tenant_id = $1'),
    team: await ids('SELECT id FROM teams WHERE tenant_id = $1'),
    territory: await ids('SELECT id FROM territories WHERE tenant_id = $1'),
  };
  const seen = new Set<string>();
  const parsed: { kind: QuotaAssigneeKind; id: string; period: string; quotaMinor: number }[] = [];
  body.forEach((cells, i) => {
    const line = i + 2;
    const get = (name: string): string => cells[col.get(name) as number] ?? '';
    const kind = get('assignee_kind');
    const id = get('assignee_id');
    const period = get('period');
    const amount = get('quota_minor');
    let ok = true;
    const fail = (column: string, message: string): void => { issues.push({ row: line, column, message }); ok = false; };
    if (kind !== 'rep' && kind !== 'team' && kind !== 'territory') fail('assignee_kind', 'rep, team or territory');
    else if (!isUuid(id)) fail('assignee_id', 'an id (uuid)');
    else if (!existing[kind].has(id.toLowerCase())) fail('assignee_id', `no ${kind === 'rep' ? 'payee' : kind} with this id in this workspace`);
    const p = parsePeriod(period, calendar);
    if (!p.ok || !['year', 'quarter', 'month'].includes(p.period.kind)) fail('period', 'FY2026, 2026-Q1 or 2026-01');
    else if (p.period.start < fy.start || p.period.end > fy.end) fail('period', `outside the plan's fiscal year ${fy.key}`);
    if (!/^\d+$/.test(amount) || !Number.isSafeInteger(Number(amount))) fail('quota_minor', 'a whole, non-negative number of minor units (cents)');
    const key = `${kind}:${id.toLowerCase()}:${period}`;
    if (ok && seen.has(key)) fail('period', 'this assignee and period appear twice');
    seen.add(key);
    if (ok) parsed.push({ kind: kind as QuotaAssigneeKind, id: id.toLowerCase(), period, quotaMinor: Number(amount) });
  });
  if (issues.length > 0) return { ok: false, issues };
  const current = new Map((await loadLines(scope, versionId)).map((l) => [`${l.assigneeKind}:${l.assigneeId}:${l.period}`, l] as const));
  let added = 0;
  let changed = 0;
  let unchanged = 0;
  for (const p of parsed) {
    const before = current.get(`${p.kind}:${p.id}:${p.period}`);
    if (before && before.quotaMinor === p.quotaMinor) { unchanged += 1; continue; }
    await scope.tx.query(
      `INSERT INTO quota_lines (tenant_id, version_id, assignee_kind, assignee_id, period, quota_minor, is_overridden) VALUES ($1, $2, $3, $4, $5, $6, true)
       ON CONFLICT (tenant_id, version_id, assignee_kind, assignee_id, period) DO UPDATE SET quota_minor = EXCLUDED.quota_minor, is_overridden = true`,
      [scope.tenantId, versionId, p.kind, p.id, p.period, p.quotaMinor],
    );
    await recordAudit(scope, {
      action: 'quota.imported', entityType: 'quota_line', entityId: `${versionId}:${p.kind}:${p.id}:${p.period}`,
      before: before ? { quotaMinor: before.quotaMinor } : null, after: { quotaMinor: p.quotaMinor, reason: input.reason },
    });
    if (before) changed += 1;
    else added += 1;
  }
  return { ok: true, added, changed, unchanged };
}

// Reading quotas -----------------------------------------------------------------------------

/** What a caller may see of quotas; payee ids of a rep are their own payee. */
export async function quotaVisibility(scope: TenantScope, caller: { role: string; userId: string | null }): Promise<QuotaVisibility> {
  if (caller.role === 'admin' || caller.role === 'finance') return { all: true };
  if (!caller.userId) return { all: false, teamIds: [], payeeIds: [] };
  if (caller.role === 'manager') {
    const managed = await scope.tx.query<{ id: string }>('SELECT id FROM teams WHERE tenant_id = $1 AND manager_user_id = $2', [scope.tenantId, caller.userId]);
    const teamIds = await listTeamSubtreeIds(scope, managed.map((r) => r.id));
    const payees = await scope.tx.query<{ id: string }>('SELECT id FROM payees WHERE tenant_id = $1 AND (team_id = ANY($2::uuid[]) OR user_id = $3)', [scope.tenantId, teamIds, caller.userId]);
    return { all: false, teamIds, payeeIds: payees.map((p) => p.id) };
  }
  const own = await scope.tx.query<{ id: string }>('SELECT id FROM payees WHERE tenant_id = $1 AND user_id = $2', [scope.tenantId, caller.userId]);
  return { all: false, teamIds: [], payeeIds: own.map((p) => p.id) };
}

export interface PayeeQuota {
  payeeId: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  /** Null: the version in force has no line for this payee and period. */
  quotaMinor: number | null;
  currency: string;
  planId: string;
  versionId: string;
  version: number;
  isLocked: boolean;
  effectiveFrom: string;
}

/**
 * The quota of one payee for one period (FY, quarter or month), from the version in force on
 * the period's first day: the highest-numbered locked version (drafts too when asked) of a plan
 * for that fiscal year whose effective range contains the day. Null: no such version.
 */
export async function quotaForPayee(scope: TenantScope, input: { payeeId: string; period: string; includeDrafts: boolean }): Promise<Result<PayeeQuota | null>> {
  return quotaForAssignee(scope, { kind: 'rep', id: input.payeeId, period: input.period, includeDrafts: input.includeDrafts });
}

/**
 * The quota of a rep (payee) or a team for a period (FY2026, 2026-Q1, 2026-01): its line in
 * the version in force on the period's first day — a locked version before a draft, the
 * latest plan of the fiscal year first. `value.quotaMinor` is null when that version has no
 * line for it; `value` is null when no version is in force.
 */
export async function quotaForAssignee(scope: TenantScope, input: { kind: 'rep' | 'team'; id: string; period: string; includeDrafts: boolean }): Promise<Result<PayeeQuota | null>> {
  const calendar = await fiscalCalendarOf(scope);
  const parsed = parsePeriod(input.period, calendar, 'query.period');
  if (!parsed.ok || !['year', 'quarter', 'month'].includes(parsed.period.kind)) return { ok: false, issues: [{ code: 'bad_period', path: 'query.period', message: 'FY2026, 2026-Q1 or 2026-01' }] };
  const period = parsed.period;
  const fiscalYear = period.kind === 'year' ? Number(period.key.slice(2)) : fiscalYearOfStart(period.start, calendar);
  const [version] = await scope.tx.query<{ id: string; plan_id: string; version: number; locked_at: string | null; effective_from: string; currency: string }>(
    `SELECT v.id, v.plan_id, v.version, v.locked_at, to_char(v.effective_from, 'YYYY-MM-DD') AS effective_from, p.currency
       FROM quota_versions v JOIN quota_plans p ON p.tenant_id = v.tenant_id AND p.id = v.plan_id
      WHERE v.tenant_id = $1 AND p.fiscal_year = $2 AND v.effective_from <= $3 AND (v.effective_to IS NULL OR v.effective_to > $3)
        AND ($4::boolean OR v.locked_at IS NOT NULL)
      ORDER BY (v.locked_at IS NOT NULL) DESC, p.created_at DESC, v.version DESC LIMIT 1`,
    [scope.tenantId, fiscalYear, period.start, input.includeDrafts],
  );
  if (!version) return { ok: true, value: null, warnings: [] };
  const [line] = await scope.tx.query<{ quota_minor: string }>(
    `SELECT quota_minor FROM quota_lines WHERE tenant_id = $1 AND version_id = $2 AND assignee_kind = $5 AND assignee_id = $3 AND period = $4`,
    [scope.tenantId, version.id, input.id, period.key, input.kind],
  );
  return {
    ok: true, warnings: [],
    value: {
      payeeId: input.id, period: period.key, periodStart: period.start, periodEnd: period.end, quotaMinor: line ? Number(line.quota_minor) : null,
      currency: version.currency, planId: version.plan_id, versionId: version.id, version: version.version, isLocked: version.locked_at !== null, effectiveFrom: version.effective_from,
    },
  };
}

function fiscalYearOfStart(start: string, calendar: FiscalCalendar): number {
  const [y, m] = start.split('-').map(Number) as [number, number];
  return m >= calendar.fiscalYearStartMonth ? y : y - 1;
}

/** Quota lines of teams/territories/reps for one period kind, from the latest version of the latest plan of each fiscal year (for charts). */
export async function latestQuotaLines(scope: TenantScope, input: { kind: QuotaAssigneeKind; periods: readonly string[]; visibility: QuotaVisibility }): Promise<{ assigneeId: string; period: string; quotaMinor: number }[]> {
  if (input.periods.length === 0) return [];
  const v = input.visibility;
  const rows = await scope.tx.query<{ assignee_id: string; period: string; quota_minor: string }>(
    `WITH latest AS (
       SELECT DISTINCT ON (p.fiscal_year) v.id FROM quota_versions v JOIN quota_plans p ON p.tenant_id = v.tenant_id AND p.id = v.plan_id
        WHERE v.tenant_id = $1 ORDER BY p.fiscal_year, (v.locked_at IS NOT NULL) DESC, p.created_at DESC, v.version DESC
     )
     SELECT l.assignee_id, l.period, l.quota_minor FROM quota_lines l JOIN latest ON latest.id = l.version_id
      WHERE l.tenant_id = $1 AND l.assignee_kind = $2 AND l.period = ANY($3::text[])
        AND ($4::boolean OR (l.assignee_kind = 'rep' AND l.assignee_id = ANY($5::uuid[])) OR (l.assignee_kind = 'team' AND l.assignee_id = ANY($6::uuid[])))`,
    [scope.tenantId, input.kind, input.periods, v.all, v.all ? [] : v.payeeIds, v.all ? [] : v.teamIds],
  );
  return rows.map((r) => ({ assigneeId: r.assignee_id, period: r.period, quotaMinor: Number(r.quota_minor) }));
}


/**
 * Payout runs: one per period (a month or a quarter), draft → calculated → approved → locked →
 * paid. Calculating gathers the period's inputs from the store — plan versions, assignments,
 * the won deals closed in the period (credits), team tree (manager roll-up), quotas, metric
 * values for metric-based components, open adjustments — and runs the core engine
 * (src/core/comp/calculate.ts). Its lines are saved with their explanations. A locked run
 * never changes (the database refuses, see migration 0011); corrections are adjustments paid
 * in a later run. Every transition is audited.
 */
import { createHash } from 'node:crypto';
import { calculatePayouts, compilePlan, type CompPlan, type CompRecord, type TeamNode } from '../../core/comp/index.js';
import type { Assignment, CalculationInput, PayoutLine, PayoutResult, QuotaInput } from '../../core/comp/payout-types.js';
import { parsePeriod, type FiscalCalendar, type Period } from '../../core/period.js';
import { evaluateMetric } from '../metrics/service.js';
import { recordAudit } from './audit.js';
import { compConflict, compInvalid, compNotFound, listAssignments, listPlanVersions } from './comp-plans.js';
import { fiscalCalendarOf, getTenant } from './tenants.js';
import { CREDIT_SPLITS_DATASET, loadClawbackInputs, loadCreditSplits, loadScores, loadTeamCredit, loadTerritoryCrediting } from './comp-inputs.js';
import { getDataset } from './datasets.js';
import type { TenantScope } from '../store.js';

export type RunStatus = 'draft' | 'calculated' | 'approved' | 'locked' | 'paid';
const OPEN: readonly RunStatus[] = ['draft', 'calculated', 'approved'];

export interface PayoutRun {
  id: string;
  periodKey: string;
  periodStart: string;
  periodEnd: string;
  status: RunStatus;
  inputHash: string | null;
  /** Per currency: payees, earnings, total paid, revenue of the period's deals. */
  totals: PayoutResult['totals'];
  issues: PayoutResult['issues'];
  calculatedAt: string | null;
  approvedAt: string | null;
  lockedAt: string | null;
  paidAt: string | null;
  createdAt: string;
}

interface RunRow {
  id: string; period_key: string; period_start: string; period_end: string; status: RunStatus; input_hash: string | null;
  totals: PayoutResult['totals'] | Record<string, never>; result: { issues?: PayoutResult['issues'] } | null;
  calculated_at: string | null; approved_at: string | null; locked_at: string | null; paid_at: string | null; created_at: string;
}
const toRun = (r: RunRow): PayoutRun => ({
  id: r.id, periodKey: r.period_key, periodStart: r.period_start, periodEnd: r.period_end, status: r.status, inputHash: r.input_hash,
  totals: Array.isArray(r.totals) ? r.totals : [], issues: r.result?.issues ?? [],
  calculatedAt: r.calculated_at, approvedAt: r.approved_at, lockedAt: r.locked_at, paidAt: r.paid_at, createdAt: r.created_at,
});
const RUN_COLUMNS = 'id, period_key, period_start, period_end, status, input_hash, totals, result, calculated_at, approved_at, locked_at, paid_at, created_at';

async function calendarOf(scope: TenantScope): Promise<{ calendar: FiscalCalendar; currency: string }> {
  return { calendar: await fiscalCalendarOf(scope), currency: (await getTenant(scope)).currency };
}

export async function listRuns(scope: TenantScope): Promise<PayoutRun[]> {
  const rows = await scope.tx.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM payout_runs WHERE tenant_id = $1 ORDER BY period_start DESC`, [scope.tenantId]);
  return rows.map(toRun);
}

export async function getRun(scope: TenantScope, id: string): Promise<PayoutRun | null> {
  const [row] = await scope.tx.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM payout_runs WHERE tenant_id = $1 AND id = $2`, [scope.tenantId, id]);
  return row ? toRun(row) : null;
}

async function requireRun(scope: TenantScope, id: string, lock = false): Promise<PayoutRun> {
  const [row] = await scope.tx.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM payout_runs WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [scope.tenantId, id]);
  if (!row) throw compNotFound('Payout run');
  return toRun(row);
}

/** Opens the run of a month or quarter (one per period; 409 when it exists). */
export async function createRun(scope: TenantScope, id: string, periodKey: string): Promise<PayoutRun> {
  const { calendar } = await calendarOf(scope);
  const parsed = parsePeriod(periodKey, calendar, 'body.period');
  if (!parsed.ok) throw compInvalid(parsed.issues.map((i) => ({ path: i.path, message: i.message })));
  if (parsed.period.kind !== 'month' && parsed.period.kind !== 'quarter') throw compInvalid([{ path: 'body.period', message: 'a payout run covers a month (2026-03) or a quarter (2026-Q1)' }]);
  const [existing] = await scope.tx.query<{ id: string }>('SELECT id FROM payout_runs WHERE tenant_id = $1 AND period_key = $2', [scope.tenantId, parsed.period.key]);
  if (existing) throw compConflict('run_exists', `There is a payout run for ${parsed.period.key} already`);
  await scope.tx.query(
    'INSERT INTO payout_runs (tenant_id, id, period_key, period_start, period_end, created_by) VALUES ($1, $2, $3, $4, $5, $6)',
    [scope.tenantId, id, parsed.period.key, parsed.period.start, parsed.period.end, scope.actor.userId],
  );
  const run = await requireRun(scope, id);
  await recordAudit(scope, { action: 'payout_run.created', entityType: 'payout_run', entityId: id, after: { periodKey: run.periodKey } });
  return run;
}

// --- gathering the inputs -----------------------------------------------------------------------

/** The won deals closed in the period as the engine's records (minor units, the deal's or the workspace's currency). */
async function loadDeals(scope: TenantScope, period: Period, currency: string, owners?: readonly string[]): Promise<CompRecord[]> {
  const rows = await scope.tx.query<{
    id: string; amount: string | null; currency: string | null; owner: string | null; close_date: string;
    type: string | null; product: string | null; product_line: string | null; region: string | null; channel: string | null; territory: string | null; stage: string;
  }>(
    // Slots of the built-in deals dataset (src/core/data/datasets.ts).
    `SELECT r.id::text AS id, r.n1::text AS amount, r.t3 AS currency, r.owner_payee_id::text AS owner, r.d2 AS close_date,
            r.t9 AS type, r.t5 AS product, r.t6 AS product_line, r.t7 AS region, r.t10 AS channel, r.t8 AS territory, r.t4 AS stage
       FROM records r
      WHERE r.tenant_id = $1 AND r.dataset = 'deals' AND r.t4 = 'closed_won' AND r.d2 >= $2::date AND r.d2 < $3::date
        AND r.owner_payee_id IS NOT NULL AND r.n1 IS NOT NULL${owners ? ' AND r.owner_payee_id = ANY($4::uuid[])' : ''}
      ORDER BY r.id`,
    owners ? [scope.tenantId, period.start, period.end, owners] : [scope.tenantId, period.start, period.end],
  );
  return rows.map((r) => ({
    id: r.id, dataset: 'deals', amountMinor: Number(r.amount), currency: r.currency ?? currency, ownerId: r.owner ?? '', date: r.close_date,
    fields: { type: r.type, product: r.product, product_line: r.product_line, region: r.region, channel: r.channel, territory: r.territory, stage: r.stage },
    ...(r.territory ? { territoryIds: [r.territory] } : {}),
  }));
}

/** The team tree with each team's manager as a payee (for manager roll-up) and its member payees. */
async function loadTeams(scope: TenantScope): Promise<TeamNode[]> {
  const teams = await scope.tx.query<{ id: string; parent_id: string | null; manager_payee: string | null; members: string[] | null }>(
    `SELECT t.id, t.parent_id, mp.id AS manager_payee,
            (SELECT array_agg(p.id::text ORDER BY p.id) FROM payees p WHERE p.tenant_id = t.tenant_id AND p.team_id = t.id) AS members
       FROM teams t LEFT JOIN payees mp ON mp.tenant_id = t.tenant_id AND mp.user_id = t.manager_user_id
      WHERE t.tenant_id = $1 ORDER BY t.id`,
    [scope.tenantId],
  );
  return teams.map((t) => ({ id: t.id, parentId: t.parent_id, managerId: t.manager_payee, memberIds: t.members ?? [] }));
}

/** Managers above each payee through the team tree (crediting.ts's roll-up rule), nearest first. */
function managersByPayee(teams: readonly TeamNode[]): Map<string, string[]> {
  const byId = new Map(teams.map((t) => [t.id, t]));
  const out = new Map<string, string[]>();
  for (const start of teams) {
    for (const member of start.memberIds) {
      const list = out.get(member) ?? [];
      const visited = new Set<string>();
      for (let team: TeamNode | undefined = start; team && !visited.has(team.id); team = team.parentId === null ? undefined : byId.get(team.parentId)) {
        visited.add(team.id);
        if (team.managerId && team.managerId !== member && !list.includes(team.managerId)) list.push(team.managerId);
      }
      out.set(member, list);
    }
  }
  return out;
}

/** The payees a change of `owners`' deals can touch: the owners and the managers above them. */
export function payeesAffectedBy(teams: readonly TeamNode[], owners: readonly string[]): string[] {
  const managers = managersByPayee(teams);
  const payees = new Set(owners);
  for (const o of owners) for (const m of managers.get(o) ?? []) payees.add(m);
  return [...payees].sort();
}

/** The owners whose deals credit `payeeIds`: themselves, and a manager's whole subtree (roll-up). */
function creditSources(teams: readonly TeamNode[], payeeIds: Iterable<string>): string[] {
  const payees = new Set(payeeIds);
  const sources = new Set(payees);
  for (const [member, above] of managersByPayee(teams)) if (above.some((m) => payees.has(m))) sources.add(member);
  return [...sources].sort();
}

/**
 * Quotas of the period's payees. Until quota versions are locked in quota planning, a payee's
 * quota is read from the latest quota version when one exists (see repos/quotas.ts); payees
 * without one get none (the engine then pays no attainment-based tier and says so).
 */
export type QuotaLoader = (scope: TenantScope, period: Period, payeeIds: readonly string[]) => Promise<QuotaInput[]>;

/**
 * Quotas from quota planning (repos/quotas.ts): each payee's line for the run's period in the
 * version in force on its first day — a locked version before a draft. A quota in another
 * currency than the payee's is left out (money is never converted silently).
 */
export const plannedQuotas: QuotaLoader = async (scope, period, payeeIds) => {
  if (payeeIds.length === 0) return [];
  // One query for every payee: the version in force (quotaForPayee's rule: for the period's
  // fiscal year, in force on its first day, a locked version before a draft, then the newest
  // plan and version), and its rep lines for the period in the payee's own currency.
  const rows = await scope.tx.query<{ payee_id: string; quota_minor: string }>(
    `WITH fy AS (
       SELECT CASE WHEN $3 LIKE 'FY%' THEN substr($3, 3)::int
                   WHEN extract(month FROM $4::date) >= t.fiscal_year_start_month THEN extract(year FROM $4::date)::int
                   ELSE extract(year FROM $4::date)::int - 1 END AS year
         FROM tenants t WHERE t.id = $1),
     version AS (
       SELECT v.id, p.currency FROM quota_versions v JOIN quota_plans p ON p.tenant_id = v.tenant_id AND p.id = v.plan_id
        WHERE v.tenant_id = $1 AND p.fiscal_year = (SELECT year FROM fy) AND v.effective_from <= $4::date AND (v.effective_to IS NULL OR v.effective_to > $4::date)
        ORDER BY (v.locked_at IS NOT NULL) DESC, p.created_at DESC, v.version DESC LIMIT 1)
     SELECT l.assignee_id::text AS payee_id, l.quota_minor::text AS quota_minor
       FROM version v
       JOIN quota_lines l ON l.tenant_id = $1 AND l.version_id = v.id AND l.assignee_kind = 'rep' AND l.period = $3 AND l.assignee_id = ANY($2::uuid[])
       JOIN payees pe ON pe.tenant_id = $1 AND pe.id = l.assignee_id AND pe.currency = v.currency
      ORDER BY l.assignee_id`,
    [scope.tenantId, payeeIds, period.key, period.start],
  );
  return rows.map((r) => ({ payeeId: r.payee_id, periodKey: period.key, quotaMinor: Number(r.quota_minor) }));
};

export interface CalculationContext {
  quotas?: QuotaLoader;
  /**
   * Only these payees (a per-payee recalculation): their assignments, quotas, draw balances,
   * adjustments and history, and the deals that credit them (their own; a manager's subtree's).
   */
  payeeIds?: readonly string[];
  /** The day OKR scores are read at, when it is before the period's last day (default: the system clock). */
  clock?: { today: string; now: string };
}

function systemClock(): { today: string; now: string } {
  const now = new Date().toISOString();
  return { today: now.slice(0, 10), now };
}

/** Everything the engine needs for the run's period, read in the caller's transaction. */
export async function gatherInput(scope: TenantScope, run: PayoutRun, context: CalculationContext = {}): Promise<CalculationInput> {
  const { calendar, currency } = await calendarOf(scope);
  const parsed = parsePeriod(run.periodKey, calendar);
  if (!parsed.ok) throw new Error(`run ${run.id} has a bad period ${run.periodKey}`);
  const period = parsed.period;
  const only = context.payeeIds ? new Set(context.payeeIds) : null;
  const assignmentRows = await listAssignments(scope, { from: period.start, to: period.end, ...(only ? { payeeIds: [...only] } : {}) });
  const assignments: Assignment[] = assignmentRows
    .map((a) => ({ payeeId: a.payeeId, planId: a.planId, planVersion: a.planVersion, from: a.from, to: a.to }));
  const wanted = new Set(assignments.map((a) => `${a.planId}@${a.planVersion}`));
  const plans: CompPlan[] = (await listPlanVersions(scope)).filter((v) => wanted.has(`${v.planId}@${v.version}`)).map((v) => compilePlan(v.document));
  const payeeIds = [...new Set(assignments.map((a) => a.payeeId))].sort();
  const teams = await loadTeams(scope);
  const deals = await loadDeals(scope, period, currency, only ? creditSources(teams, only) : undefined);
  // Credit splits and overlays (the workspace's deal_splits dataset, when it has one).
  const splits = await loadCreditSplits(scope, deals.map((d) => d.id));
  // Territory-based credit (only when a plan counts it): deals attributed by territory criteria.
  const territory = await loadTerritoryCrediting(scope, period, plans, deals.map((d) => d.id));
  const teamCredit = await loadTeamCredit(scope, plans, assignments);
  const records = splits.size === 0 && !territory ? deals : deals.map((d) => {
    const s = splits.get(d.id);
    const withSplits = s ? { ...d, ...(s.splits.length > 0 ? { splits: s.splits } : {}), ...(s.overlays.length > 0 ? { overlays: s.overlays } : {}) } : d;
    if (!territory) return withSplits;
    const { territoryIds: _field, ...rest } = withSplits;
    return { ...rest, territoryIds: territory.territoriesOfDeal.get(d.id) ?? [] };
  });
  const quotas = await (context.quotas ?? plannedQuotas)(scope, period, payeeIds);

  // Metric-based components (partner programmes on custom datasets): the metric per payee.
  const metricKeys = new Set<string>();
  for (const plan of plans) for (const c of plan.components) if ('base' in c && c.base && c.base.kind === 'metric') metricKeys.add(c.base.metric);
  const metricValues: NonNullable<CalculationInput['metricValues']>[number][] = [];
  for (const key of [...metricKeys].sort()) {
    const result = await evaluateMetric(scope, { metric: { key }, period: period.key, groupBy: 'owner' });
    if (!result.ok) continue; // the engine reports the missing value on the payee's line
    for (const g of result.value.groups) if (g.key !== null && g.value !== null && payeeIds.includes(g.key)) metricValues.push({ payeeId: g.key, metric: key, value: g.value });
  }

  // Recoverable draws carry over: the balance the last locked run before this period left.
  const [previous] = await scope.tx.query<{ result: { payees?: { payeeId: string; drawBalanceOutMinor: number }[] } | null }>(
    `SELECT result FROM payout_runs WHERE tenant_id = $1 AND status IN ('locked', 'paid') AND period_end <= $2::date ORDER BY period_end DESC LIMIT 1`,
    [scope.tenantId, period.start],
  );
  const drawBalances = (previous?.result?.payees ?? [])
    .filter((p) => p.drawBalanceOutMinor > 0 && (!only || only.has(p.payeeId)))
    .map((p) => ({ payeeId: p.payeeId, balanceMinor: p.drawBalanceOutMinor }));

  const adjustments = await scope.tx.query<{ id: string; payee_id: string; amount_minor: string; currency: string; reason: string; source_run_id: string | null }>(
    // Each open adjustment belongs to one run: the earliest open run of a period after the run it corrects.
    `SELECT a.id, a.payee_id, a.amount_minor::text, a.currency, a.reason, a.source_run_id FROM payout_adjustments a
      WHERE a.tenant_id = $1 AND (a.applied_run_id = $2 OR (a.applied_run_id IS NULL AND $2 = (
        SELECT r.id FROM payout_runs r
         WHERE r.tenant_id = a.tenant_id AND r.status IN ('draft', 'calculated', 'approved')
           AND (a.source_run_id IS NULL OR r.period_start >= (SELECT s.period_end FROM payout_runs s WHERE s.tenant_id = a.tenant_id AND s.id = a.source_run_id))
         ORDER BY r.period_start, r.id LIMIT 1)))
      ORDER BY a.created_at, a.id`,
    [scope.tenantId, run.id],
  );
  // History: commission paid earlier that a cancellation or churn reverses now; OKR scores for MBO bonuses.
  const { paidCommissions, clawbackEvents } = await loadClawbackInputs(scope, period, plans, payeeIds);
  const scores = await loadScores(scope, period, plans, payeeIds, context.clock ?? systemClock());
  return {
    period, plans, assignments, quotas, records, crediting: { teams, managerRollup: true, ...(territory ? { territories: territory.territories } : {}), ...(teamCredit.length > 0 ? { teamCredit } : {}) }, metricValues, drawBalances, paidCommissions, clawbackEvents, scores,
    adjustments: adjustments.filter((a) => !only || only.has(a.payee_id)).map((a) => ({ id: a.id, payeeId: a.payee_id, amountMinor: Number(a.amount_minor), currency: a.currency, reason: a.reason, ...(a.source_run_id ? { sourceRunId: a.source_run_id } : {}) })),
    explain: true,
  };
}

/** A deal owner's part of a run's input: a digest of their deals in the period and their revenue per currency. */
interface OwnerInputs {
  digest: string;
  revenue: Record<string, number>;
}

/**
 * The input of a run in parts, kept in its result: a digest of everything but the deals, and
 * one per deal owner. The input hash combines them (the owners' digests by a sum modulo 2¹²⁸,
 * so one owner's part can be replaced without reading anyone else's deals).
 */
export interface RunInputs {
  global: string;
  owners: Record<string, OwnerInputs>;
}

const canonicalJson = (value: unknown): string => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

function ownerInputs(records: readonly CompRecord[]): Record<string, OwnerInputs> {
  const byOwner = new Map<string, CompRecord[]>();
  for (const r of records) {
    const list = byOwner.get(r.ownerId);
    if (list) list.push(r);
    else byOwner.set(r.ownerId, [r]);
  }
  const out: Record<string, OwnerInputs> = {};
  for (const owner of [...byOwner.keys()].sort()) {
    const hash = createHash('sha256');
    const revenue: Record<string, number> = {};
    for (const r of byOwner.get(owner) ?? []) {
      hash.update(canonicalJson(r)).update('\n');
      revenue[r.currency] = (revenue[r.currency] ?? 0) + r.amountMinor;
    }
    out[owner] = { digest: hash.digest('hex').slice(0, 32), revenue };
  }
  return out;
}

export function runInputs(input: CalculationInput): RunInputs {
  const { crediting, plans, records, ...rest } = input;
  const global = createHash('sha256').update(canonicalJson({ ...rest, plans: plans.map((p) => p.document), teams: crediting?.teams ?? [] })).digest('hex');
  return { global, owners: ownerInputs(records ?? []) };
}

const MOD_128 = 1n << 128n;
function hashOf(inputs: RunInputs): string {
  let sum = 0n;
  for (const owner of Object.values(inputs.owners)) sum = (sum + BigInt(`0x${owner.digest}`)) % MOD_128;
  return createHash('sha256').update(`${inputs.global}:${sum.toString(16).padStart(32, '0')}`).digest('hex');
}

/** A stable hash of the input: the same data gives the same hash (and the same lines). */
export function inputHash(input: CalculationInput): string {
  return hashOf(runInputs(input));
}

type PayeeResult = Omit<PayoutResult['payees'][number], 'lines'>;
interface StoredResult {
  issues?: PayoutResult['issues'];
  payees?: PayeeResult[];
  inputs?: RunInputs;
}

const lockedMessage = (run: PayoutRun): string => `The ${run.periodKey} run is ${run.status}: it never changes; corrections go into a later run as adjustments`;

/** Calculates (or recalculates) an open run; an approved run goes back to calculated when its numbers change. */
export async function calculateRun(scope: TenantScope, id: string, context: CalculationContext = {}): Promise<{ run: PayoutRun; changed: boolean }> {
  const run = await requireRun(scope, id, true);
  if (!OPEN.includes(run.status)) throw compConflict('run_locked', lockedMessage(run));
  const { payeeIds: _some, ...everyone } = context;
  const input = await gatherInput(scope, run, everyone);
  const inputs = runInputs(input);
  const hash = hashOf(inputs);
  if (hash === run.inputHash && run.status !== 'draft') return { run, changed: false };
  const result = calculatePayouts(input);
  await scope.tx.query('DELETE FROM payout_lines WHERE tenant_id = $1 AND run_id = $2', [scope.tenantId, id]);
  const lines = result.payees.flatMap((p) => p.lines);
  await insertLines(scope, id, lines);
  const stored: StoredResult = { issues: result.issues, payees: result.payees.map(({ lines: _lines, ...rest }) => rest), inputs };
  return saveCalculated(scope, run, { hash, totals: result.totals, stored });
}

async function saveCalculated(scope: TenantScope, run: PayoutRun, next: { hash: string; totals: PayoutResult['totals']; stored: StoredResult; payeeIds?: readonly string[] }): Promise<{ run: PayoutRun; changed: boolean }> {
  await scope.tx.query(
    `UPDATE payout_runs SET status = 'calculated', input_hash = $3, totals = $4, result = $5, calculated_at = now(), approved_at = NULL, approved_by = NULL
      WHERE tenant_id = $1 AND id = $2`,
    [scope.tenantId, run.id, next.hash, JSON.stringify(next.totals), JSON.stringify(next.stored)],
  );
  const after = await requireRun(scope, run.id);
  await recordAudit(scope, {
    action: 'payout_run.calculated', entityType: 'payout_run', entityId: run.id,
    before: { status: run.status, inputHash: run.inputHash, totals: run.totals },
    after: { status: after.status, inputHash: next.hash, totals: after.totals, ...(next.payeeIds ? { payeeIds: next.payeeIds } : {}) },
  });
  return { run: after, changed: true };
}

/** What a payee's lines rest on besides deals: a per-payee recalculation needs them unchanged. */
const payeeBasis = (p: PayeeResult): string => canonicalJson([p.currency, p.quotaMinor, p.drawBalanceInMinor, p.segments.map((s) => [s.planId, s.planVersion, s.from, s.to])]);

/**
 * Recalculates in an open run only the payees a change of some owners' deals touches — the
 * owners and the managers above them (roll-up) — from the deals that credit them: their lines
 * are replaced, and the run's per-payee results, totals (revenue included) and input hash
 * become what a whole recalculation would give (the hash from the stored per-owner digests).
 * A whole recalculation runs instead when the run was never calculated, a plan reads metrics
 * of other datasets, or anything else about these payees changed (plan, quota, draw).
 * A locked or paid run refuses (409 run_locked), like calculateRun.
 */
export async function recalculatePayees(scope: TenantScope, id: string, owners: readonly string[], context: CalculationContext = {}): Promise<{ run: PayoutRun; changed: boolean; payeeIds: string[] | null }> {
  const run = await requireRun(scope, id, true);
  if (!OPEN.includes(run.status)) throw compConflict('run_locked', lockedMessage(run));
  const whole = async () => ({ ...(await calculateRun(scope, id, context)), payeeIds: null });
  if (run.status === 'draft' || run.inputHash === null) return whole();
  // A split credits payees other than the owner and the managers above: recalculate everyone.
  if (await getDataset(scope, CREDIT_SPLITS_DATASET)) return whole();
  // So do territory and team credit, when any plan in force in the period counts them.
  const [territorial] = await scope.tx.query(
    `SELECT 1 FROM comp_plan_versions v JOIN comp_assignments a ON a.tenant_id = v.tenant_id AND a.plan_id = v.plan_id AND a.plan_version = v.version
      WHERE v.tenant_id = $1 AND a.valid_from < $3::date AND (a.valid_to IS NULL OR a.valid_to > $2::date)
        AND jsonb_path_exists(v.document, '$.components[*].base.creditKinds[*] ? (@ == "territory" || @ == "team")') LIMIT 1`,
    [scope.tenantId, run.periodStart, run.periodEnd],
  );
  if (territorial) return whole();
  const [row] = await scope.tx.query<{ result: StoredResult | null }>('SELECT result FROM payout_runs WHERE tenant_id = $1 AND id = $2', [scope.tenantId, id]);
  const stored = row?.result;
  if (!stored?.inputs || !stored.payees) return whole();
  const teams = await loadTeams(scope);
  const payeeIds = payeesAffectedBy(teams, owners);
  const input = await gatherInput(scope, run, { ...context, payeeIds });
  if (input.plans.some((p) => p.components.some((c) => 'base' in c && c.base.kind === 'metric'))) return whole();

  // The deals of every owner whose deals credit these payees were loaded: their digests are fresh.
  const fresh = ownerInputs(input.records ?? []);
  const owners2: Record<string, OwnerInputs> = { ...stored.inputs.owners };
  let dealsChanged = false;
  for (const owner of creditSources(teams, payeeIds)) {
    const before = owners2[owner];
    const after = fresh[owner];
    if (before?.digest !== after?.digest) dealsChanged = true;
    if (after) owners2[owner] = after;
    else delete owners2[owner];
  }
  if (!dealsChanged) return { run, changed: false, payeeIds };

  const result = calculatePayouts(input);
  const previous = new Map(stored.payees.map((p) => [p.payeeId, p]));
  const recalculated = new Map(result.payees.map((p) => [p.payeeId, p]));
  for (const payeeId of payeeIds) {
    const a = previous.get(payeeId);
    const b = recalculated.get(payeeId);
    if ((a === undefined) !== (b === undefined) || (a && b && payeeBasis(a) !== payeeBasis(b))) return whole();
  }

  const freed = await scope.tx.query<{ line_no: number }>('DELETE FROM payout_lines WHERE tenant_id = $1 AND run_id = $2 AND payee_id = ANY($3::uuid[]) RETURNING line_no', [scope.tenantId, id, payeeIds]);
  const [last] = await scope.tx.query<{ max: number | null }>('SELECT max(line_no) AS max FROM payout_lines WHERE tenant_id = $1 AND run_id = $2', [scope.tenantId, id]);
  const lines = result.payees.flatMap((p) => p.lines);
  const numbers = freed.map((r) => r.line_no).sort((x, y) => x - y);
  let next = Math.max(last?.max ?? 0, numbers[numbers.length - 1] ?? 0);
  while (numbers.length < lines.length) numbers.push((next += 1));
  await insertLines(scope, id, lines, numbers);

  for (const payeeId of payeeIds) previous.delete(payeeId);
  for (const p of result.payees) previous.set(p.payeeId, (({ lines: _lines, ...rest }) => rest)(p));
  const payees = [...previous.values()].sort((x, y) => (x.payeeId < y.payeeId ? -1 : x.payeeId > y.payeeId ? 1 : 0));
  const touched = (text: string) => payeeIds.some((p) => text.includes(p));
  const issues = [...(stored.issues ?? []).filter((i) => !touched(i.path) && !touched(i.message)), ...result.issues];
  const totals = new Map<string, PayoutResult['totals'][number]>();
  for (const p of payees) {
    const t = totals.get(p.currency) ?? { currency: p.currency, payees: 0, earningsMinor: 0, totalMinor: 0, revenueMinor: 0 };
    t.payees += 1;
    t.earningsMinor += p.earningsMinor;
    t.totalMinor += p.totalMinor;
    totals.set(p.currency, t);
  }
  for (const owner of Object.values(owners2)) for (const [currency, amount] of Object.entries(owner.revenue)) {
    const t = totals.get(currency);
    if (t) t.revenueMinor += amount;
  }
  const inputs: RunInputs = { global: stored.inputs.global, owners: owners2 };
  const saved = await saveCalculated(scope, run, {
    hash: hashOf(inputs), totals: [...totals.values()].sort((x, y) => (x.currency < y.currency ? -1 : 1)), stored: { issues, payees, inputs }, payeeIds,
  });
  return { ...saved, payeeIds };
}

async function insertLines(scope: TenantScope, runId: string, lines: readonly PayoutLine[], numbers?: readonly number[]): Promise<void> {
  const chunk = 500;
  for (let i = 0; i < lines.length; i += chunk) {
    const part = lines.slice(i, i + chunk);
    await scope.tx.query(
      `INSERT INTO payout_lines (tenant_id, run_id, line_no, line_id, payee_id, kind, component_id, label, plan_id, plan_version, amount_minor, currency, explanation, warnings, reason)
       SELECT $1, $2, u.no, u.line_id, u.payee_id, u.kind, u.component_id, u.label, u.plan_id, u.plan_version, u.amount, u.currency, u.explanation, u.warnings, u.reason
         FROM unnest($3::int[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], $11::bigint[], $12::text[], $13::jsonb[], $14::jsonb[], $15::text[])
           AS u(no, line_id, payee_id, kind, component_id, label, plan_id, plan_version, amount, currency, explanation, warnings, reason)`,
      [
        scope.tenantId, runId,
        part.map((_l, j) => numbers?.[i + j] ?? i + j + 1), part.map((l) => l.lineId), part.map((l) => l.payeeId), part.map((l) => l.kind), part.map((l) => l.componentId),
        part.map((l) => l.label), part.map((l) => l.planId), part.map((l) => l.planVersion), part.map((l) => String(l.amountMinor)), part.map((l) => l.currency),
        part.map((l) => JSON.stringify(l.explanation)), part.map((l) => JSON.stringify(l.warnings)), part.map((l) => l.reason ?? null),
      ],
    );
  }
}

const TRANSITIONS: Record<'approve' | 'reopen' | 'lock' | 'pay', { from: RunStatus[]; to: RunStatus; set: string }> = {
  approve: { from: ['calculated'], to: 'approved', set: 'approved_at = now(), approved_by = $3' },
  reopen: { from: ['approved'], to: 'calculated', set: 'approved_at = NULL, approved_by = NULL' },
  lock: { from: ['approved'], to: 'locked', set: 'locked_at = now(), locked_by = $3' },
  pay: { from: ['locked'], to: 'paid', set: 'paid_at = now(), paid_by = $3' },
};

/** Moves a run along draft → calculated → approved → locked → paid (or back from approved to calculated). */
export async function transitionRun(scope: TenantScope, id: string, action: keyof typeof TRANSITIONS): Promise<PayoutRun> {
  const run = await requireRun(scope, id, true);
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(run.status)) throw compConflict('bad_transition', `A ${run.status} run cannot be ${action === 'pay' ? 'paid' : `${action}d`.replace('ed', 'ed')}: it must be ${rule.from.join(' or ')}`);
  if (action === 'lock') {
    // An adjustment is paid once: a run carrying one that another run settled meanwhile must be recalculated first.
    const [settled] = await scope.tx.query<{ id: string }>(
      `SELECT a.id FROM payout_adjustments a
        WHERE a.tenant_id = $1 AND a.applied_run_id IS NOT NULL AND a.applied_run_id <> $2
          AND EXISTS (SELECT 1 FROM payout_lines l WHERE l.tenant_id = a.tenant_id AND l.run_id = $2 AND l.kind = 'adjustment' AND l.line_id LIKE '%' || a.id::text || '%')`,
      [scope.tenantId, id],
    );
    if (settled) throw compConflict('stale_adjustment', 'This run carries an adjustment another run has paid already: recalculate it before locking');
    // The adjustments this run carries are settled by it.
    await scope.tx.query(
      `UPDATE payout_adjustments a SET applied_run_id = $2
        WHERE a.tenant_id = $1 AND a.applied_run_id IS NULL
          AND EXISTS (SELECT 1 FROM payout_lines l WHERE l.tenant_id = a.tenant_id AND l.run_id = $2 AND l.kind = 'adjustment' AND l.line_id LIKE '%' || a.id::text || '%')`,
      [scope.tenantId, id],
    );
  }
  await scope.tx.query(`UPDATE payout_runs SET status = '${rule.to}', ${rule.set} WHERE tenant_id = $1 AND id = $2`, action === 'reopen' ? [scope.tenantId, id] : [scope.tenantId, id, scope.actor.userId]);
  const after = await requireRun(scope, id);
  await recordAudit(scope, { action: `payout_run.${action === 'pay' ? 'paid' : action === 'reopen' ? 'reopened' : `${action}ed`}`, entityType: 'payout_run', entityId: id, before: { status: run.status }, after: { status: after.status } });
  return after;
}

/** Deletes an open run (its lines go with it); a locked run stays forever. */
export async function deleteRun(scope: TenantScope, id: string): Promise<void> {
  const run = await requireRun(scope, id, true);
  if (!OPEN.includes(run.status)) throw compConflict('run_locked', `The ${run.periodKey} run is ${run.status} and stays`);
  await scope.tx.query('DELETE FROM payout_runs WHERE tenant_id = $1 AND id = $2', [scope.tenantId, id]);
  await recordAudit(scope, { action: 'payout_run.deleted', entityType: 'payout_run', entityId: id, before: { periodKey: run.periodKey, status: run.status } });
}

/** Open runs whose period a change on `day` (or any day, when null) can affect: the ones to recalculate. */
export async function openRunIds(scope: TenantScope): Promise<string[]> {
  const rows = await scope.tx.query<{ id: string }>(`SELECT id FROM payout_runs WHERE tenant_id = $1 AND status IN ('draft', 'calculated', 'approved') ORDER BY period_start`, [scope.tenantId]);
  return rows.map((r) => r.id);
}

// --- lines and statements -----------------------------------------------------------------------

export interface StoredLine extends PayoutLine {
  lineNo: number;
  runId: string;
}

interface LineRow {
  run_id: string; line_no: number; line_id: string; payee_id: string; kind: PayoutLine['kind']; component_id: string | null; label: string;
  plan_id: string | null; plan_version: number | null; amount_minor: string; currency: string; explanation: PayoutLine['explanation']; warnings: PayoutLine['warnings']; reason: string | null;
}
const toLine = (r: LineRow): StoredLine => ({
  runId: r.run_id, lineNo: r.line_no, lineId: r.line_id, payeeId: r.payee_id, kind: r.kind, componentId: r.component_id, label: r.label,
  planId: r.plan_id, planVersion: r.plan_version, amountMinor: Number(r.amount_minor), currency: r.currency, explanation: r.explanation, warnings: r.warnings,
  ...(r.reason === null ? {} : { reason: r.reason }),
});

export async function listLines(scope: TenantScope, runId: string, payeeIds?: readonly string[]): Promise<StoredLine[]> {
  const rows = await scope.tx.query<LineRow>(
    `SELECT run_id, line_no, line_id, payee_id, kind, component_id, label, plan_id, plan_version, amount_minor, currency, explanation, warnings, reason
       FROM payout_lines WHERE tenant_id = $1 AND run_id = $2${payeeIds ? ' AND payee_id = ANY($3::uuid[])' : ''} ORDER BY line_no`,
    payeeIds ? [scope.tenantId, runId, payeeIds] : [scope.tenantId, runId],
  );
  return rows.map(toLine);
}

export interface PayeeSummary {
  payeeId: string;
  payeeName: string;
  externalRef: string | null;
  currency: string;
  quotaMinor: number | null;
  creditedMinor: number;
  attainment: string | null;
  earningsMinor: number;
  drawBalanceInMinor: number;
  drawBalanceOutMinor: number;
  adjustmentsMinor: number;
  totalMinor: number;
  lineCount: number;
}

/** Per payee of a run: what the engine computed (totals, attainment) — of all payees, or of some. */
export async function runPayees(scope: TenantScope, runId: string, payeeIds?: readonly string[]): Promise<PayeeSummary[]> {
  const [row] = await scope.tx.query<{ result: { payees?: (Omit<PayeeSummary, 'payeeName' | 'externalRef' | 'lineCount'> & { lines?: unknown })[] } | null }>(
    'SELECT result FROM payout_runs WHERE tenant_id = $1 AND id = $2', [scope.tenantId, runId],
  );
  if (!row) throw compNotFound('Payout run');
  const wanted = payeeIds ? new Set(payeeIds) : null;
  const payees = (row.result?.payees ?? []).filter((p) => !wanted || wanted.has(p.payeeId));
  if (payees.length === 0) return [];
  const names = await scope.tx.query<{ id: string; display_name: string; external_ref: string | null }>(
    'SELECT id, display_name, external_ref FROM payees WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [scope.tenantId, payees.map((p) => p.payeeId)],
  );
  const counts = await scope.tx.query<{ payee_id: string; n: string }>(
    'SELECT payee_id, count(*) AS n FROM payout_lines WHERE tenant_id = $1 AND run_id = $2 GROUP BY payee_id', [scope.tenantId, runId],
  );
  const byId = new Map(names.map((n) => [n.id, n]));
  const lineCounts = new Map(counts.map((c) => [c.payee_id, Number(c.n)]));
  return payees
    .map((p) => ({
      payeeId: p.payeeId, payeeName: byId.get(p.payeeId)?.display_name ?? p.payeeId, externalRef: byId.get(p.payeeId)?.external_ref ?? null,
      currency: p.currency, quotaMinor: p.quotaMinor, creditedMinor: p.creditedMinor, attainment: p.attainment, earningsMinor: p.earningsMinor,
      drawBalanceInMinor: p.drawBalanceInMinor, drawBalanceOutMinor: p.drawBalanceOutMinor, adjustmentsMinor: p.adjustmentsMinor, totalMinor: p.totalMinor,
      lineCount: lineCounts.get(p.payeeId) ?? 0,
    }))
    .sort((a, b) => a.payeeName.localeCompare(b.payeeName) || (a.payeeId < b.payeeId ? -1 : 1));
}

// --- disputes and adjustments ---------------------------------------------------------------------

export interface Dispute {
  id: string;
  runId: string;
  periodKey: string;
  lineNo: number;
  lineLabel: string;
  amountMinor: number;
  currency: string;
  payeeId: string;
  payeeName: string;
  reason: string;
  status: 'open' | 'accepted' | 'rejected';
  resolution: string | null;
  adjustmentId: string | null;
  raisedBy: string | null;
  resolvedBy: string | null;
  createdAt: string;
  resolvedAt: string | null;
}

// The line as it is now (a recalculation may renumber it), else as the payee disputed it.
const DISPUTE_SELECT = `SELECT d.id, d.run_id, r.period_key, coalesce(l.line_no, d.line_no) AS line_no, coalesce(l.label, d.line_label) AS line_label,
    coalesce(l.amount_minor, d.line_amount_minor)::text AS amount_minor, coalesce(l.currency, d.line_currency) AS currency, d.payee_id, p.display_name AS payee_name,
    d.reason, d.status, d.resolution, d.adjustment_id, ru.name AS raised_by, vu.name AS resolved_by, d.created_at, d.resolved_at
  FROM payout_disputes d
  JOIN payout_runs r ON r.tenant_id = d.tenant_id AND r.id = d.run_id
  LEFT JOIN payout_lines l ON l.tenant_id = d.tenant_id AND l.run_id = d.run_id AND l.line_id = d.line_id
  JOIN payees p ON p.tenant_id = d.tenant_id AND p.id = d.payee_id
  LEFT JOIN users ru ON ru.id = d.raised_by LEFT JOIN users vu ON vu.id = d.resolved_by
  WHERE d.tenant_id = $1`;
type DisputeRow = {
  id: string; run_id: string; period_key: string; line_no: number; line_label: string; amount_minor: string; currency: string; payee_id: string; payee_name: string;
  reason: string; status: Dispute['status']; resolution: string | null; adjustment_id: string | null; raised_by: string | null; resolved_by: string | null; created_at: string; resolved_at: string | null;
};
const toDispute = (r: DisputeRow): Dispute => ({
  id: r.id, runId: r.run_id, periodKey: r.period_key, lineNo: r.line_no, lineLabel: r.line_label, amountMinor: Number(r.amount_minor), currency: r.currency,
  payeeId: r.payee_id, payeeName: r.payee_name, reason: r.reason, status: r.status, resolution: r.resolution, adjustmentId: r.adjustment_id,
  raisedBy: r.raised_by, resolvedBy: r.resolved_by, createdAt: r.created_at, resolvedAt: r.resolved_at,
});

export async function listDisputes(scope: TenantScope, filter: { payeeIds?: readonly string[]; status?: Dispute['status'] } = {}): Promise<Dispute[]> {
  const params: unknown[] = [scope.tenantId];
  let sql = DISPUTE_SELECT;
  if (filter.payeeIds) {
    params.push(filter.payeeIds);
    sql += ` AND d.payee_id = ANY($${params.length}::uuid[])`;
  }
  if (filter.status) {
    params.push(filter.status);
    sql += ` AND d.status = $${params.length}`;
  }
  return (await scope.tx.query<DisputeRow>(`${sql} ORDER BY d.created_at DESC, d.id`, params)).map(toDispute);
}

export async function getDispute(scope: TenantScope, id: string): Promise<Dispute | null> {
  const [row] = await scope.tx.query<DisputeRow>(`${DISPUTE_SELECT} AND d.id = $2`, [scope.tenantId, id]);
  return row ? toDispute(row) : null;
}

/** A payee disputes one of their lines (of a calculated, approved, locked or paid run). */
export async function raiseDispute(scope: TenantScope, id: string, input: { runId: string; lineNo: number; reason: string }): Promise<Dispute> {
  const run = await requireRun(scope, input.runId);
  if (run.status === 'draft') throw compConflict('bad_transition', 'A draft run has no lines to dispute yet');
  const [line] = await scope.tx.query<{ payee_id: string; line_id: string; label: string; amount_minor: string; currency: string }>(
    'SELECT payee_id, line_id, label, amount_minor::text, currency FROM payout_lines WHERE tenant_id = $1 AND run_id = $2 AND line_no = $3',
    [scope.tenantId, input.runId, input.lineNo],
  );
  if (!line) throw compNotFound('Payout line');
  const [open] = await scope.tx.query('SELECT 1 FROM payout_disputes WHERE tenant_id = $1 AND run_id = $2 AND line_id = $3 AND status = $4', [scope.tenantId, input.runId, line.line_id, 'open']);
  if (open) throw compConflict('dispute_open', 'This line has an open dispute already');
  await scope.tx.query(
    `INSERT INTO payout_disputes (tenant_id, id, run_id, line_no, line_id, line_label, line_amount_minor, line_currency, payee_id, raised_by, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [scope.tenantId, id, input.runId, input.lineNo, line.line_id, line.label, line.amount_minor, line.currency, line.payee_id, scope.actor.userId, input.reason],
  );
  const dispute = await getDispute(scope, id);
  if (!dispute) throw new Error('dispute insert not visible');
  await recordAudit(scope, { action: 'payout_dispute.raised', entityType: 'payout_dispute', entityId: id, after: dispute });
  return dispute;
}

/**
 * Finance resolves a dispute: accept with an adjustment (paid in the next run calculated,
 * with the dispute as its reason) or reject with a reason.
 */
export async function resolveDispute(
  scope: TenantScope,
  id: string,
  input: { decision: 'accept' | 'reject'; note: string; adjustmentMinor?: number | null | undefined },
  newId: () => string,
): Promise<Dispute> {
  const before = await getDispute(scope, id);
  if (!before) throw compNotFound('Dispute');
  if (before.status !== 'open') throw compConflict('dispute_closed', `The dispute was ${before.status} already`);
  let adjustmentId: string | null = null;
  if (input.decision === 'accept') {
    const amount = input.adjustmentMinor ?? 0;
    if (!Number.isSafeInteger(amount)) throw compInvalid([{ path: 'body.adjustmentMinor', message: 'an integer amount in minor units' }]);
    if (amount !== 0) {
      adjustmentId = newId();
      await scope.tx.query(
        `INSERT INTO payout_adjustments (tenant_id, id, payee_id, amount_minor, currency, reason, source_run_id, dispute_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [scope.tenantId, adjustmentId, before.payeeId, amount, before.currency, `Dispute on ${before.periodKey} “${before.lineLabel}”: ${input.note}`.slice(0, 2000), before.runId, id, scope.actor.userId],
      );
    }
  }
  await scope.tx.query(
    `UPDATE payout_disputes SET status = $3, resolution = $4, adjustment_id = $5, resolved_by = $6, resolved_at = now() WHERE tenant_id = $1 AND id = $2`,
    [scope.tenantId, id, input.decision === 'accept' ? 'accepted' : 'rejected', input.note, adjustmentId, scope.actor.userId],
  );
  const after = await getDispute(scope, id);
  if (!after) throw new Error('dispute vanished');
  await recordAudit(scope, { action: `payout_dispute.${after.status}`, entityType: 'payout_dispute', entityId: id, before, after });
  return after;
}

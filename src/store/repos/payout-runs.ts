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
import { calculatePayouts, compilePlan, type CompPlan, type CompPlanDocument, type CompRecord, type TeamNode } from '../../core/comp/index.js';
import type { Assignment, CalculationInput, PayoutResult, QuotaInput } from '../../core/comp/payout-types.js';
import { parsePeriod, type FiscalCalendar, type Period } from '../../core/period.js';
import { evaluateMetric } from '../metrics/service.js';
import { AUDIT_INSERT, auditValues, recordAudit } from './audit.js';
import { compConflict, compInvalid, compNotFound, listAssignments, listPlanVersions } from './comp-plans.js';
import { getTenant } from './tenants.js';
import { encodeLines, insertLines, LINE_ARRAYS, LINE_COLUMNS, LINE_VALUES, linesUnnest } from './payout-lines.js';
export { listLines, type StoredLine } from './payout-lines.js';
import { CREDIT_SPLITS_DATASET, loadClawbackInputs, loadCreditSplits, loadScores, loadTeamCredit, loadTerritoryCrediting } from './comp-inputs.js';
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

/** What a run reads of its workspace: the fiscal calendar and the default currency of deals. */
interface Workspace {
  calendar: FiscalCalendar;
  currency: string;
}

/** The run's period in the workspace's calendar. */
function periodOf(run: PayoutRun, calendar: FiscalCalendar): Period {
  const parsed = parsePeriod(run.periodKey, calendar);
  if (!parsed.ok) throw new Error(`run ${run.id} has a bad period ${run.periodKey}`);
  return parsed.period;
}

async function calendarOf(scope: TenantScope): Promise<Workspace> {
  const tenant = await getTenant(scope);
  return { calendar: { fiscalYearStartMonth: tenant.fiscalYearStartMonth }, currency: tenant.currency };
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

/** Fields of a deal a plan's filters may read, and the column of the records table holding each (src/core/data/datasets.ts). */
const DEAL_FIELDS: readonly (readonly [field: string, column: string])[] = [
  ['type', 't9'], ['product', 't5'], ['product_line', 't6'], ['region', 't7'], ['channel', 't10'], ['territory', 't8'], ['stage', 't4'],
];

/** Every field a `where` filter names anywhere in these plan documents. */
function filteredFields(documents: readonly unknown[]): Set<string> {
  const out = new Set<string>();
  for (const document of documents) for (const f of fieldsOf(document)) out.add(f);
  return out;
}

/**
 * Plan documents read as text by a per-payee recalculation, by tenant and text: each version
 * is parsed once, not on every recalculation (bounded; the oldest entry goes first), so that
 * what is derived from a document object below is derived once too.
 */
const documentsByText = new Map<string, object>();
const DOCUMENTS_KEPT = 256;
function documentOf(tenantId: string, text: string): object {
  const key = `${tenantId}\u0000${text}`;
  let document = documentsByText.get(key);
  if (!document) {
    document = JSON.parse(text) as object;
    if (documentsByText.size >= DOCUMENTS_KEPT) documentsByText.delete(documentsByText.keys().next().value as string);
    documentsByText.set(key, document);
  }
  return document;
}

/** `derive` of a plan document, kept per document object (a compiled plan depends on its document alone). */
function perDocument<T>(derive: (document: unknown) => T): (document: unknown) => T {
  const known = new WeakMap<object, T>();
  return (document) => {
    if (document === null || typeof document !== 'object') return derive(document);
    let value = known.get(document);
    if (value === undefined) {
      value = derive(document);
      known.set(document, value);
    }
    return value;
  };
}
const compiledPlan = perDocument((document) => compilePlan(document as CompPlanDocument));
const fieldsOf = perDocument(walkFilteredFields);

function walkFilteredFields(documents: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'where' && Array.isArray(value)) for (const f of value) if (f && typeof f === 'object' && typeof (f as { field?: unknown }).field === 'string') out.add((f as { field: string }).field);
        walk(value);
      }
    }
  };
  walk(documents);
  return out;
}

/** The deal fields read, each with its column. */
type DealColumns = readonly (readonly [field: string, column: string])[];
const dealColumns = (fields: ReadonlySet<string> | null): DealColumns => DEAL_FIELDS.filter(([field]) => fields === null || fields.has(field));
/** Deals are read 250,000 at a time (one row of aggregates each). */
const DEAL_CHUNK = 250_000;
type DealChunkRow = { n: string; last: string | null; ids: string | null; amounts: string | null; owners: string | null; days: string | null; currencies: unknown[] | null } & Record<string, unknown>;

/**
 * One chunk of the period's won deals as one row of aggregates (see loadDeals): parameters
 * `start` (then the period's end), the id to read after, the chunk size, and the owners (uuid[])
 * when only some owners' deals are read.
 */
const dealChunkSelect = (columns: DealColumns, p: { start: number; after: number; limit: number; owners: number | null }): string =>
  `SELECT count(*)::text AS n, max(d.id)::text AS last, string_agg(d.id::text, ',') AS ids, string_agg(d.n1::text, ',') AS amounts,
          string_agg(d.owner_payee_id::text, ',') AS owners, string_agg((d.d2 - DATE '1970-01-01')::text, ',') AS days, json_agg(d.t3) AS currencies
          ${columns.map(([field, column]) => `, json_agg(d.${column}) AS ${field}`).join('')}
     FROM (SELECT r.id, r.n1, r.owner_payee_id, r.d2, r.t3${columns.map(([, column]) => `, r.${column}`).join('')}
             FROM records r
            WHERE r.tenant_id = $1 AND r.dataset = 'deals' AND r.t4 = 'closed_won' AND r.d2 >= $${p.start}::date AND r.d2 < $${p.start + 1}::date
              AND r.owner_payee_id IS NOT NULL AND r.n1 IS NOT NULL AND r.id > $${p.after}::bigint${p.owners === null ? '' : ` AND r.owner_payee_id = ANY($${p.owners}::uuid[])`}
            ORDER BY r.id LIMIT $${p.limit}) d`;

/** 'YYYY-MM-DD' of a day number since 1970-01-01 (as text), each made once: a period has few days, a chunk many deals (to_char in the query cost more than the rest of it). */
const isoDays = new Map<string, string>();
function isoDay(day: string): string {
  let iso = isoDays.get(day);
  if (iso === undefined) {
    iso = new Date(Number(day) * 86_400_000).toISOString().slice(0, 10);
    if (isoDays.size > 100_000) isoDays.clear();
    isoDays.set(day, iso);
  }
  return iso;
}

/** Adds a chunk's deals to `out` as the engine's records; the chunk's size and last id. */
function readDealChunk(row: DealChunkRow | undefined, columns: DealColumns, withTerritory: boolean, currency: string, out: CompRecord[]): { n: number; last: string | null } {
  const n = Number(row?.n ?? 0);
  if (!row || n === 0 || row.last === null) return { n: 0, last: null };
  const ids = (row.ids ?? '').split(',');
  const amounts = (row.amounts ?? '').split(',');
  const ownerIds = (row.owners ?? '').split(',');
  const days = (row.days ?? '').split(',');
  const currencies = row.currencies ?? [];
  const values = columns.map(([field]) => (row[field] ?? []) as (string | null)[]);
  for (let i = 0; i < n; i += 1) {
    const f: Record<string, string | null> = {};
    for (let c = 0; c < columns.length; c += 1) f[(columns[c] as readonly [string, string])[0]] = (values[c] as (string | null)[])[i] ?? null;
    const territory = f.territory;
    const record: CompRecord = {
      id: ids[i] as string, dataset: 'deals', amountMinor: Number(amounts[i]), currency: (currencies[i] as string | null) ?? currency, ownerId: ownerIds[i] as string, date: isoDay(days[i] as string), fields: f,
    };
    out.push(withTerritory && territory ? { ...record, territoryIds: [territory] } : record);
  }
  return { n, last: row.last };
}

/**
 * The won deals closed in the period as the engine's records (minor units, the deal's or the
 * workspace's currency). `fields`: only these fields (the ones plans filter on: a run reads a
 * million deals, and every column costs); null reads them all, with the deal's territory.
 * `out`/`after`: deals read already (a first chunk), and the last id among them.
 */
async function loadDeals(scope: TenantScope, period: Period, currency: string, owners: readonly string[] | undefined, fields: ReadonlySet<string> | null, out: CompRecord[] = [], after = '0'): Promise<CompRecord[]> {
  const columns = dealColumns(fields);
  // A run reads a million deals: row by row, the driver spent seconds making a string per
  // value. So each chunk comes back as one row of columns — numbers, dates and ids joined by
  // commas (they hold none), free text as JSON arrays — that split and JSON.parse read natively.
  // Chunks follow the id order (the primary key); within a chunk every column lists the deals
  // in the same order, and each owner's deals are ordered by id below.
  const sql = dealChunkSelect(columns, { start: 2, after: 4, limit: 5, owners: owners ? 6 : null });
  const chunkAfter = (last: string): Promise<DealChunkRow[]> => {
    const query = scope.tx.query<DealChunkRow>(sql, owners ? [scope.tenantId, period.start, period.end, last, DEAL_CHUNK, owners] : [scope.tenantId, period.start, period.end, last, DEAL_CHUNK]);
    query.catch(() => undefined); // awaited below; a failure while the previous chunk is read must not go unhandled
    return query;
  };
  // The next chunk is asked for before this one is read into records: the database aggregates it meanwhile.
  for (let pending: Promise<DealChunkRow[]> | null = chunkAfter(after); pending;) {
    const rows: DealChunkRow[] = await pending;
    const row = rows[0];
    pending = row && Number(row.n) === DEAL_CHUNK && row.last !== null ? chunkAfter(row.last) : null;
    readDealChunk(row, columns, fields === null, currency, out);
  }
  return out;
}

/** A team's manager as a payee (null without one), for a team row with manager_user_id. */
const MANAGER_PAYEE = (team: string): string => `(SELECT mp.id FROM payees mp WHERE mp.tenant_id = $1 AND mp.user_id = ${team}.manager_user_id)`;
/** A team row with its members comma-separated (splitting that is much cheaper than the driver's array parser). */
type TeamRow = { id: string | null; parent_id: string | null; manager_payee: string | null; members: string | null };
const toTeamNode = (t: TeamRow): TeamNode => ({ id: t.id ?? '', parentId: t.parent_id, managerId: t.manager_payee, memberIds: t.members ? t.members.split(',') : [] });

/** The team tree with each team's manager as a payee (for manager roll-up) and its member payees. */
async function loadTeams(scope: TenantScope): Promise<TeamNode[]> {
  const teams = await scope.tx.query<TeamRow>(
    `SELECT t.id, t.parent_id, ${MANAGER_PAYEE('t')} AS manager_payee, m.members
       FROM teams t
       LEFT JOIN (SELECT p.team_id, string_agg(p.id::text, ',' ORDER BY p.id) AS members FROM payees p WHERE p.tenant_id = $1 AND p.team_id IS NOT NULL GROUP BY p.team_id) m ON m.team_id = t.id
      WHERE t.tenant_id = $1 ORDER BY t.id`,
    [scope.tenantId],
  );
  return teams.map(toTeamNode);
}

/** The teams above the teams of payees $`payees` (recursive CTE `up`). */
const TEAMS_ABOVE = (payees: number): string => `up AS (
       SELECT t.id, t.parent_id, t.manager_user_id FROM teams t
        WHERE t.tenant_id = $1 AND t.id IN (SELECT p.team_id FROM payees p WHERE p.tenant_id = $1 AND p.id = ANY($${payees}::uuid[]))
       UNION
       SELECT t.id, t.parent_id, t.manager_user_id FROM teams t JOIN up ON t.tenant_id = $1 AND t.id = up.parent_id)`;
/** A team's members among payees $`payees`, comma-separated in id order. */
const TEAM_MEMBERS = (team: string, payees: number): string => `(SELECT string_agg(p.id::text, ',' ORDER BY p.id) FROM payees p WHERE p.tenant_id = $1 AND p.team_id = ${team} AND p.id = ANY($${payees}::uuid[]))`;

/** The teams above some payees' teams (each with its manager as a payee), members restricted to those payees, in id order. */
async function teamsAbove(scope: TenantScope, payeeIds: readonly string[]): Promise<TeamNode[]> {
  const rows = await scope.tx.query<TeamRow>(
    `WITH RECURSIVE ${TEAMS_ABOVE(2)}
     SELECT up.id, up.parent_id, ${MANAGER_PAYEE('up')} AS manager_payee, ${TEAM_MEMBERS('up.id', 2)} AS members
       FROM up ORDER BY up.id`,
    [scope.tenantId, payeeIds],
  );
  return rows.map(toTeamNode);
}

/**
 * What a per-payee recalculation needs of the team tree, without reading all of it (read with
 * the rest of its input, see readForPayees): the teams above the owners $`owners` (with their managers) as
 * `around_teams`, and the payees in the subtrees managed by the owners or those managers (a
 * manager's roll-up needs all their deals) as `around_below`.
 */
const TEAMS_AROUND = (owners: number): { ctes: string; columns: string } => ({
  ctes: `${TEAMS_ABOVE(owners)},
     mine AS (SELECT up.id, up.parent_id, ${MANAGER_PAYEE('up')} AS manager_payee FROM up),
     down AS (
       SELECT t.id FROM teams t
        WHERE t.tenant_id = $1 AND t.manager_user_id IN (
          SELECT p.user_id FROM payees p WHERE p.tenant_id = $1 AND p.user_id IS NOT NULL AND (p.id = ANY($${owners}::uuid[]) OR p.id IN (SELECT manager_payee FROM mine)))
       UNION
       SELECT t.id FROM teams t JOIN down ON t.tenant_id = $1 AND t.parent_id = down.id)`,
  columns: `(SELECT json_agg(json_build_array(mine.id, mine.parent_id, mine.manager_payee, ${TEAM_MEMBERS('mine.id', owners)}) ORDER BY mine.id) FROM mine) AS around_teams,
            (SELECT string_agg(p.id::text, ',') FROM down CROSS JOIN LATERAL (SELECT p.id FROM payees p WHERE p.tenant_id = $1 AND p.team_id = down.id OFFSET 0) p) AS around_below`,
});
type AroundRow = { around_teams: [string, string | null, string | null, string | null][] | null; around_below: string | null };

/**
 * The payees a change of `owners`' deals touches (payeesAffectedBy), and the part of the tree
 * that credits the deals of every owner whose deals credit them (creditSources: a manager's
 * whole subtree) — the same credits the whole tree gives those deals.
 */
async function teamsAround(scope: TenantScope, owners: readonly string[], row: AroundRow): Promise<{ payeeIds: string[]; teams: TeamNode[] }> {
  const aboveOwners = (row.around_teams ?? []).map(([id, parentId, manager, members]) => toTeamNode({ id, parent_id: parentId, manager_payee: manager, members }));
  const payeeIds = payeesAffectedBy(aboveOwners, owners);
  const below = row.around_below;
  const sources = [...new Set([...payeeIds, ...(below ? below.split(',') : [])])].sort();
  // Usually nobody manages anyone here: the deals read are the owners' own, and so is the tree.
  const same = sources.length === owners.length && [...owners].sort().every((o, i) => o === sources[i]);
  return { payeeIds, teams: same ? aboveOwners : await teamsAbove(scope, sources) };
}

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
  const rows = await scope.tx.query<{ payee_id: string; quota_minor: string }>(`${QUOTAS_SELECT({ payees: 2, key: 3, start: 4 })} ORDER BY l.assignee_id`, [scope.tenantId, payeeIds, period.key, period.start]);
  return rows.map((r) => ({ payeeId: r.payee_id, periodKey: period.key, quotaMinor: Number(r.quota_minor) }));
};

/**
 * The quotas of payees $`payees` for period $`key` starting $`start`, in one query: the version
 * in force (quotaForPayee's rule: for the period's fiscal year, in force on its first day, a
 * locked version before a draft, then the newest plan and version), and its rep lines for the
 * period in the payee's own currency; columns payee_id and quota_minor (text).
 */
const QUOTAS_SELECT = (p: { payees: number; key: number; start: number }): string => `WITH fy AS (
       SELECT CASE WHEN $${p.key} LIKE 'FY%' THEN substr($${p.key}, 3)::int
                   WHEN extract(month FROM $${p.start}::date) >= t.fiscal_year_start_month THEN extract(year FROM $${p.start}::date)::int
                   ELSE extract(year FROM $${p.start}::date)::int - 1 END AS year
         FROM tenants t WHERE t.id = $1),
     version AS (
       SELECT v.id, p.currency FROM quota_versions v JOIN quota_plans p ON p.tenant_id = v.tenant_id AND p.id = v.plan_id
        WHERE v.tenant_id = $1 AND p.fiscal_year = (SELECT year FROM fy) AND v.effective_from <= $${p.start}::date AND (v.effective_to IS NULL OR v.effective_to > $${p.start}::date)
        ORDER BY (v.locked_at IS NOT NULL) DESC, p.created_at DESC, v.version DESC LIMIT 1)
     SELECT l.assignee_id::text AS payee_id, l.quota_minor::text AS quota_minor
       FROM version v
       JOIN quota_lines l ON l.tenant_id = $1 AND l.version_id = v.id AND l.assignee_kind = 'rep' AND l.period = $${p.key} AND l.assignee_id = ANY($${p.payees}::uuid[])
       JOIN payees pe ON pe.tenant_id = $1 AND pe.id = l.assignee_id AND pe.currency = v.currency`;

export interface CalculationContext {
  quotas?: QuotaLoader;
  /**
   * Only these payees (a per-payee recalculation): their assignments, quotas, draw balances,
   * adjustments and history, and the deals that credit them (their own; a manager's subtree's).
   */
  payeeIds?: readonly string[];
  /** The day OKR scores are read at, when it is before the period's last day (default: the system clock). */
  clock?: { today: string; now: string };
  /**
   * The team tree, when the caller has read it in this transaction already; with `payeeIds`,
   * it may be the part above the deals' owners that credit them (see teamsAround).
   */
  teams?: readonly TeamNode[];
  /**
   * Read of each deal only the fields some plan version of the workspace filters on (a payout
   * run: its hash then covers what can change a payout). Default: every field, as simulations
   * of draft plans need.
   */
  filteredFieldsOnly?: boolean;
  /** The caller knows the workspace has no credit splits dataset (this transaction read it). */
  withoutSplits?: boolean;
  /** The workspace's calendar and currency, when the caller has read them in this transaction. */
  workspace?: Workspace;
  /** Told how long each phase of a whole calculation took (benchmarks). */
  onPhase?: (phase: RunPhase, ms: number) => void;
  /** What the caller read already in this transaction (a per-payee recalculation reads it in one statement, see readForPayees). */
  prefetched?: Prefetched;
}

/** Inputs of some payees read together (readForPayees): gatherInput then skips its own queries for them. */
interface Prefetched {
  assignments: Assignment[];
  versions: readonly { planId: string; version: number; document: unknown }[];
  deals: CompRecord[];
  /** null: read by the context's quota loader. */
  quotas: QuotaInput[] | null;
  drawBalances: NonNullable<CalculationInput['drawBalances']>;
  adjustments: AdjustmentRow[];
}
type AdjustmentRow = { id: string; payee_id: string; amount_minor: string; currency: string; reason: string; source_run_id: string | null };

/** Recoverable draws carry over: the balance the last locked run before the period starting $`start` left, of payees $`payees` (all when null). */
const DRAWS_SELECT = (p: { start: number; payees: number | null }): string => `SELECT p.payee_id::text AS payee_id, p.draw_balance_out_minor::text AS balance FROM payout_run_payees p
      WHERE p.tenant_id = $1 AND p.draw_balance_out_minor > 0${p.payees === null ? '' : ` AND p.payee_id = ANY($${p.payees}::uuid[])`}
        AND p.run_id = (SELECT r.id FROM payout_runs r WHERE r.tenant_id = $1 AND r.status IN ('locked', 'paid') AND r.period_end <= $${p.start}::date ORDER BY r.period_end DESC LIMIT 1)`;
/** The open adjustments run $`run` pays: each belongs to one run, the earliest open run of a period after the run it corrects. */
const ADJUSTMENTS_SELECT = (run: number): string => `SELECT a.id, a.payee_id, a.amount_minor::text AS amount_minor, a.currency, a.reason, a.source_run_id, a.created_at FROM payout_adjustments a
      WHERE a.tenant_id = $1 AND (a.applied_run_id = $${run} OR (a.applied_run_id IS NULL AND $${run} = (
        SELECT r.id FROM payout_runs r
         WHERE r.tenant_id = a.tenant_id AND r.status IN ('draft', 'calculated', 'approved')
           AND (a.source_run_id IS NULL OR r.period_start >= (SELECT s.period_end FROM payout_runs s WHERE s.tenant_id = a.tenant_id AND s.id = a.source_run_id))
         ORDER BY r.period_start, r.id LIMIT 1)))`;

/** A whole calculation's phases: reading the input, its digests, the engine, writing the lines, the rest (payee rows, digests, run, audit). */
export type RunPhase = 'read' | 'digests' | 'engine' | 'lines' | 'rest';

function systemClock(): { today: string; now: string } {
  const now = new Date().toISOString();
  return { today: now.slice(0, 10), now };
}

/** Everything the engine needs for the run's period, read in the caller's transaction. */
export async function gatherInput(scope: TenantScope, run: PayoutRun, context: CalculationContext = {}): Promise<CalculationInput> {
  const { calendar, currency } = context.workspace ?? await calendarOf(scope);
  const period = periodOf(run, calendar);
  const only = context.payeeIds ? new Set(context.payeeIds) : null;
  const pre = context.prefetched;
  const assignments: Assignment[] = pre ? pre.assignments : (await listAssignments(scope, { from: period.start, to: period.end, ...(only ? { payeeIds: [...only] } : {}) }))
    .map((a) => ({ payeeId: a.payeeId, planId: a.planId, planVersion: a.planVersion, from: a.from, to: a.to }));
  const wanted = new Set(assignments.map((a) => `${a.planId}@${a.planVersion}`));
  const versions = pre ? pre.versions : await listPlanVersions(scope);
  const plans: CompPlan[] = versions.filter((v) => wanted.has(`${v.planId}@${v.version}`)).map((v) => compiledPlan(v.document));
  const payeeIds = [...new Set(assignments.map((a) => a.payeeId))].sort();
  const teams = context.teams ? [...context.teams] : await loadTeams(scope);
  // Every version's fields, not only the versions of these payees: a per-payee recalculation must read deals as the whole run did.
  const deals = pre ? pre.deals : await loadDeals(scope, period, currency, only ? creditSources(teams, only) : undefined, context.filteredFieldsOnly ? filteredFields(versions.map((v) => v.document)) : null);
  // Credit splits and overlays (the workspace's deal_splits dataset, when it has one).
  const splits = context.withoutSplits ? new Map<string, never>() : await loadCreditSplits(scope, deals.map((d) => d.id));
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
  const quotas = pre?.quotas ?? await (context.quotas ?? plannedQuotas)(scope, period, payeeIds);

  // Metric-based components (partner programmes on custom datasets): the metric per payee.
  const metricKeys = new Set<string>();
  for (const plan of plans) for (const c of plan.components) if ('base' in c && c.base && c.base.kind === 'metric') metricKeys.add(c.base.metric);
  const metricValues: NonNullable<CalculationInput['metricValues']>[number][] = [];
  for (const key of [...metricKeys].sort()) {
    const result = await evaluateMetric(scope, { metric: { key }, period: period.key, groupBy: 'owner' });
    if (!result.ok) continue; // the engine reports the missing value on the payee's line
    for (const g of result.value.groups) if (g.key !== null && g.value !== null && payeeIds.includes(g.key)) metricValues.push({ payeeId: g.key, metric: key, value: g.value });
  }

  const drawBalances = pre ? pre.drawBalances : (await scope.tx.query<{ payee_id: string; balance: string }>(
    `${DRAWS_SELECT({ start: 2, payees: only ? 3 : null })} ORDER BY p.payee_id`,
    only ? [scope.tenantId, period.start, [...only]] : [scope.tenantId, period.start],
  )).map((r) => ({ payeeId: r.payee_id, balanceMinor: Number(r.balance) }));
  const adjustments = pre ? pre.adjustments : await scope.tx.query<AdjustmentRow>(`${ADJUSTMENTS_SELECT(2)} ORDER BY a.created_at, a.id`, [scope.tenantId, run.id]);
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
 * The input of a run in parts: a digest of everything but the deals, and one per deal owner
 * (kept in payout_run_owners). The input hash combines them — the owners' digests by a sum
 * modulo 2¹²⁸, kept with the run — so one owner's part is replaced without reading anyone
 * else's deals.
 */
export interface RunInputs {
  global: string;
  owners: Map<string, OwnerInputs>;
}

const canonicalJson = (value: unknown): string => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/**
 * An owner's records as the digest reads them: every value the engine sees, column by column
 * (ids, datasets, amounts, currencies, dates, fields, then splits, overlays and territories),
 * as one JSON text — natively serialised, unambiguous, and far cheaper than a JSON text per
 * record or a scan of every value for separators.
 */
function recordsText(records: readonly CompRecord[]): string {
  const ids: string[] = [];
  const datasets: (string | null)[] = [];
  const amounts: number[] = [];
  const currencies: string[] = [];
  const dates: string[] = [];
  const fields: unknown[] = [];
  const extras: unknown[] = [];
  for (const r of records) {
    ids.push(r.id);
    datasets.push(r.dataset ?? null);
    amounts.push(r.amountMinor);
    currencies.push(r.currency);
    dates.push(r.date);
    fields.push(r.fields ?? null);
    extras.push(r.splits || r.overlays || r.territoryIds ? [r.splits ?? null, r.overlays ?? null, r.territoryIds ?? null] : 0);
  }
  return JSON.stringify([ids, datasets, amounts, currencies, dates, fields, extras]);
}

function ownerInputs(records: readonly CompRecord[]): Map<string, OwnerInputs> {
  const byOwner = new Map<string, CompRecord[]>();
  for (const r of records) {
    const list = byOwner.get(r.ownerId);
    if (list) list.push(r);
    else byOwner.set(r.ownerId, [r]);
  }
  const out = new Map<string, OwnerInputs>();
  for (const owner of [...byOwner.keys()].sort()) {
    const list = byOwner.get(owner) ?? [];
    const revenue: Record<string, number> = {};
    for (const r of list) revenue[r.currency] = (revenue[r.currency] ?? 0) + r.amountMinor;
    const digest = createHash('sha256').update(recordsText(list)).digest('hex').slice(0, 32);
    out.set(owner, { digest, revenue });
  }
  return out;
}

export function runInputs(input: CalculationInput): RunInputs {
  const { crediting, plans, records, ...rest } = input;
  const global = createHash('sha256').update(canonicalJson({ ...rest, plans: plans.map((p) => p.document), teams: crediting?.teams ?? [] })).digest('hex');
  return { global, owners: ownerInputs(records ?? []) };
}

const MOD_128 = 1n << 128n;
const digestSum = (owners: Iterable<OwnerInputs>): bigint => {
  let sum = 0n;
  for (const owner of owners) sum = (sum + BigInt(`0x${owner.digest}`)) % MOD_128;
  return sum;
};
const hex128 = (n: bigint): string => (((n % MOD_128) + MOD_128) % MOD_128).toString(16).padStart(32, '0');
const hashOf = (global: string, ownerSum: string): string => createHash('sha256').update(`${global}:${ownerSum}`).digest('hex');

type PayeeResult = Omit<PayoutResult['payees'][number], 'lines'>;
/** The run row's `result`: issues, and the input hash's parts (per-payee results are rows of payout_run_payees). */
interface StoredResult {
  issues?: PayoutResult['issues'];
  /** ownerSum: Σ owner digests mod 2¹²⁸ (hex). Runs calculated before migration 0014 have none. */
  inputs?: { global: string; ownerSum?: string };
  /** No line of the run has a higher number (new lines of a per-payee recalculation are numbered after it). */
  lastLineNo?: number;
}

const lockedMessage = (run: PayoutRun): string => `The ${run.periodKey} run is ${run.status}: it never changes; corrections go into a later run as adjustments`;

interface LockedRun {
  run: PayoutRun;
  stored: StoredResult | null;
  workspace: Workspace;
}

/**
 * The run, locked for update, with its stored result and its workspace's calendar and currency.
 * `perPayee`: on PostgreSQL the rest of the transaction plans its statements generically — a
 * per-payee recalculation's are prepared, few and fixed, and planning each cost more than
 * running it (≈1–1.5 ms against ≈0.3–1 ms); a whole calculation in that transaction sets it
 * back first. (PGlite keeps no prepared statement: a generic plan there is planned every time,
 * and worse — p50 49 ms against 16 ms per payee.)
 */
async function lockRun(scope: TenantScope, id: string, perPayee = false): Promise<LockedRun> {
  const [row] = await scope.tx.query<RunRow & { currency: string; fiscal_year_start_month: number }>(
    `SELECT ${RUN_COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')}, t.currency, t.fiscal_year_start_month${perPayee && scope.tx.prepares === true ? ", set_config('plan_cache_mode', 'force_generic_plan', true) AS plan_cache_mode" : ''}
       FROM payout_runs r JOIN tenants t ON t.id = r.tenant_id WHERE r.tenant_id = $1 AND r.id = $2 FOR UPDATE OF r`,
    [scope.tenantId, id],
    { prepare: true },
  );
  if (!row) throw compNotFound('Payout run');
  return {
    run: toRun(row), stored: row.result as StoredResult | null,
    workspace: { calendar: { fiscalYearStartMonth: row.fiscal_year_start_month }, currency: row.currency },
  };
}

/** Calculates (or recalculates) an open run; an approved run goes back to calculated when its numbers change. */
export async function calculateRun(scope: TenantScope, id: string, context: CalculationContext = {}): Promise<{ run: PayoutRun; changed: boolean }> {
  let mark = performance.now();
  const phase = (name: RunPhase): void => {
    const now = performance.now();
    context.onPhase?.(name, now - mark);
    mark = now;
  };
  const { run, stored, workspace } = await lockRun(scope, id);
  if (!OPEN.includes(run.status)) throw compConflict('run_locked', lockedMessage(run));
  const { payeeIds: _some, ...everyone } = context;
  const input = await gatherInput(scope, run, { ...everyone, workspace, filteredFieldsOnly: true });
  phase('read');
  const inputs = runInputs(input);
  const ownerSum = hex128(digestSum(inputs.owners.values()));
  const hash = hashOf(inputs.global, ownerSum);
  phase('digests');
  // Unchanged, and stored as this version stores runs (else it is written again, equal).
  if (hash === run.inputHash && run.status !== 'draft' && stored?.inputs?.ownerSum === ownerSum) return { run, changed: false };
  const result = calculatePayouts(input);
  phase('engine');
  for (const table of ['payout_lines', 'payout_run_payees', 'payout_run_owners']) {
    await scope.tx.query(`DELETE FROM ${table} WHERE tenant_id = $1 AND run_id = $2`, [scope.tenantId, id]);
  }
  const lines = result.payees.flatMap((p) => p.lines);
  await insertLines(scope, id, lines);
  phase('lines');
  await insertPayeesAndOwners(scope, id, result.payees, inputs.owners);
  const saved = await saveCalculated(scope, run, { hash, totals: result.totals, stored: { issues: result.issues, inputs: { global: inputs.global, ownerSum }, lastLineNo: lines.length } });
  phase('rest');
  return saved;
}

type SavedRun = { hash: string; totals: PayoutResult['totals']; stored: StoredResult; payeeIds?: readonly string[] };

/**
 * Saving a calculated run as CTEs of a statement (`saved` returns the run's row): the run's new
 * status, hash, totals and stored result, and its audit entry; parameters from $`first` on.
 * (A data-modifying CTE runs once whether or not the statement reads it.)
 */
function saveCalculatedCtes(scope: TenantScope, run: PayoutRun, next: SavedRun, first: number): { ctes: string; params: unknown[] } {
  return {
    ctes: `saved AS (
       UPDATE payout_runs SET status = 'calculated', input_hash = $${first}, totals = $${first + 1}, result = $${first + 2}, calculated_at = now(), approved_at = NULL, approved_by = NULL
        WHERE tenant_id = $1 AND id = $2 RETURNING ${RUN_COLUMNS}),
     audited AS (${AUDIT_INSERT(first + 3)} RETURNING 1)`,
    params: [
      next.hash, JSON.stringify(next.totals), JSON.stringify(next.stored),
      ...auditValues(scope, {
        action: 'payout_run.calculated', entityType: 'payout_run', entityId: run.id,
        before: { status: run.status, inputHash: run.inputHash, totals: run.totals },
        after: { status: 'calculated', inputHash: next.hash, totals: next.totals, ...(next.payeeIds ? { payeeIds: next.payeeIds } : {}) },
      }),
    ],
  };
}

async function saveCalculated(scope: TenantScope, run: PayoutRun, next: SavedRun): Promise<{ run: PayoutRun; changed: boolean }> {
  const save = saveCalculatedCtes(scope, run, next, 3);
  const [row] = await scope.tx.query<RunRow>(`WITH ${save.ctes} SELECT saved.* FROM saved`, [scope.tenantId, run.id, ...save.params]);
  if (!row) throw compNotFound('Payout run');
  return { run: toRun(row), changed: true };
}

/**
 * Everything a per-payee recalculation reads after locking the run, in one statement: the
 * teams around the `owners` whose deals changed (TEAMS_AROUND), whether credits reach beyond
 * owners and their managers, the payees' assignments, every plan version, the deals of the
 * owners whose deals credit them (`sources`; past a first chunk, the rest as loadDeals reads
 * it), their quotas (unless the context brings its own loader), draw balances and open
 * adjustments, and what the run holds for those owners (digests) and payees (results).
 */
async function readForPayees(
  scope: TenantScope, run: PayoutRun, workspace: Workspace, owners: readonly string[], payeeIds: readonly string[], sources: readonly string[], withQuotas: boolean,
): Promise<{ prefetched: Prefetched; heldOwners: Map<string, OwnerInputs>; heldPayees: Map<string, PayeeResult>; around: AroundRow; creditsBeyondOwners: boolean }> {
  const period = periodOf(run, workspace.calendar);
  // Parameters: $1 tenant, $2 run, $3 and $4 the period's start and end, $5 its key, $6 the payees, $7 the owners read, $8 and $9 the first deal chunk's start and size,
  // $10 the owners whose deals changed, $11 the credit splits dataset's key.
  const around = TEAMS_AROUND(10);
  type Row = DealChunkRow & {
    assignments: [string, string, number, string, string | null][] | null;
    versions: [string, number, string][] | null;
    quotas: [string, string][] | null;
    draws: [string, string][] | null;
    adjustments: [string, string, string, string, string, string | null][] | null;
    held_owners: [string, string, Record<string, number>][] | null;
    held_payees: PayeeResult[] | null;
    beyond: boolean;
  } & AroundRow;
  const [row] = await scope.tx.query<Row>(
    `WITH RECURSIVE counting AS MATERIALIZED (
       SELECT v.plan_id, v.version FROM comp_plan_versions v
        WHERE v.tenant_id = $1 AND jsonb_path_exists(v.document, '$.components[*].base.creditKinds[*] ? (@ == "territory" || @ == "team")')),
     ${around.ctes}
     SELECT dl.*, ${around.columns},
       -- Splits (the workspace's credit splits dataset) credit payees other than a deal's owner and
       -- the managers above, and so do territory and team credit when a plan in force in the
       -- period counts them: then the recalculation must do everyone.
       EXISTS (SELECT 1 FROM datasets d WHERE d.tenant_id = $1 AND d.key = $11)
         OR EXISTS (SELECT 1 FROM counting c JOIN comp_assignments a ON a.tenant_id = $1 AND a.plan_id = c.plan_id AND a.plan_version = c.version
                     WHERE a.valid_from < $4::date AND (a.valid_to IS NULL OR a.valid_to > $3::date)) AS beyond,
       (SELECT json_agg(json_build_array(a.payee_id, a.plan_id, a.plan_version, a.valid_from, a.valid_to) ORDER BY p.display_name, a.valid_from)
          FROM comp_assignments a JOIN payees p ON p.tenant_id = a.tenant_id AND p.id = a.payee_id
         WHERE a.tenant_id = $1 AND a.payee_id = ANY($6::uuid[]) AND a.valid_from < $4::date AND (a.valid_to IS NULL OR a.valid_to > $3::date)) AS assignments,
       (SELECT json_agg(json_build_array(v.plan_id, v.version, v.document::text) ORDER BY v.plan_id, v.version) FROM comp_plan_versions v WHERE v.tenant_id = $1) AS versions,
       ${withQuotas ? `(SELECT json_agg(json_build_array(q.payee_id, q.quota_minor) ORDER BY q.payee_id) FROM (${QUOTAS_SELECT({ payees: 6, key: 5, start: 3 })}) q)` : 'NULL'} AS quotas,
       (SELECT json_agg(json_build_array(d.payee_id, d.balance) ORDER BY d.payee_id) FROM (${DRAWS_SELECT({ start: 3, payees: 6 })}) d) AS draws,
       (SELECT json_agg(json_build_array(x.id, x.payee_id, x.amount_minor, x.currency, x.reason, x.source_run_id) ORDER BY x.created_at, x.id) FROM (${ADJUSTMENTS_SELECT(2)}) x) AS adjustments,
       (SELECT json_agg(json_build_array(o.owner_id, o.digest, o.revenue)) FROM unnest($7::uuid[]::text[]) AS k(id) CROSS JOIN LATERAL (${ROW_OF_RUN('payout_run_owners', 'owner_id')}) o) AS held_owners,
       (SELECT json_agg(p.result) FROM unnest($6::uuid[]) AS k(id) CROSS JOIN LATERAL (${ROW_OF_RUN('payout_run_payees', 'payee_id')}) p) AS held_payees
     FROM (${dealChunkSelect(DEAL_FIELDS, { start: 3, after: 8, limit: 9, owners: 7 })}) dl`,
    [scope.tenantId, run.id, period.start, period.end, period.key, payeeIds, sources, '0', DEAL_CHUNK, owners, CREDIT_SPLITS_DATASET],
    { prepare: true },
  );
  const versions = (row?.versions ?? []).map(([planId, version, text]) => ({ planId, version, document: documentOf(scope.tenantId, text) }));
  // Every column was read; the records carry only the fields a plan filters on, as a whole run reads them.
  const fields = filteredFields(versions.map((v) => v.document));
  const deals: CompRecord[] = [];
  const first = readDealChunk(row, dealColumns(fields), false, workspace.currency, deals);
  if (first.n === DEAL_CHUNK && first.last !== null) await loadDeals(scope, period, workspace.currency, sources, fields, deals, first.last);
  const prefetched: Prefetched = {
    assignments: (row?.assignments ?? []).map(([payeeId, planId, planVersion, from, to]) => ({ payeeId, planId, planVersion, from, to })),
    versions,
    deals,
    quotas: withQuotas ? (row?.quotas ?? []).map(([payeeId, quota]) => ({ payeeId, periodKey: period.key, quotaMinor: Number(quota) })) : null,
    drawBalances: (row?.draws ?? []).map(([payeeId, balance]) => ({ payeeId, balanceMinor: Number(balance) })),
    adjustments: (row?.adjustments ?? []).map(([id, payeeId, amount, currency, reason, sourceRunId]) => ({ id, payee_id: payeeId, amount_minor: amount, currency, reason, source_run_id: sourceRunId })),
  };
  return {
    prefetched,
    heldOwners: new Map((row?.held_owners ?? []).map(([owner, digest, revenue]) => [owner, { digest, revenue }])),
    heldPayees: new Map((row?.held_payees ?? []).map((p) => [p.payeeId, p])),
    around: { around_teams: row?.around_teams ?? null, around_below: row?.around_below ?? null },
    creditsBeyondOwners: row?.beyond ?? false,
  };
}

/** What a payee's lines rest on besides deals: a per-payee recalculation needs them unchanged. */
const payeeBasis = (p: PayeeResult): string => canonicalJson([p.currency, p.quotaMinor, p.drawBalanceInMinor, p.segments.map((s) => [s.planId, s.planVersion, s.from, s.to])]);

/**
 * Recalculates in an open run only the payees a change of some owners' deals touches — the
 * owners and the managers above them (roll-up) — from the deals that credit them: their lines,
 * their rows of payout_run_payees and the digests of the owners whose deals were read are
 * replaced, and the run's totals (revenue included) and input hash are updated by difference,
 * to what a whole recalculation would give. A whole recalculation runs instead when the run was
 * never calculated (or was stored before migration 0014), a plan reads metrics of other
 * datasets, splits, territory or team credit reach beyond the owners, anything else about these
 * payees changed (plan, quota, draw), or a currency gains or loses its last payee.
 * A locked or paid run refuses (409 run_locked), like calculateRun.
 */
export async function recalculatePayees(scope: TenantScope, id: string, owners: readonly string[], context: CalculationContext = {}): Promise<{ run: PayoutRun; changed: boolean; payeeIds: string[] | null }> {
  const { run, stored, workspace } = await lockRun(scope, id, true);
  if (!OPEN.includes(run.status)) throw compConflict('run_locked', lockedMessage(run));
  const whole = async () => {
    // lockRun left this transaction planning statements generically (right for the few, fixed statements below, not for a whole run's).
    if (scope.tx.prepares === true) await scope.tx.query("SELECT set_config('plan_cache_mode', 'auto', true)");
    return { ...(await calculateRun(scope, id, context)), payeeIds: null };
  };
  const ownerSumBefore = stored?.inputs?.ownerSum;
  if (run.status === 'draft' || run.inputHash === null || !stored?.inputs || ownerSumBefore === undefined || stored.lastLineNo === undefined) return whole();
  // Read first as if the changed deals credited only their owners (nobody manages them or is managed by them, the usual case), and again when not.
  const withQuotas = context.quotas === undefined;
  const ownerIds = [...new Set(owners)].sort();
  let reads = await readForPayees(scope, run, workspace, ownerIds, ownerIds, ownerIds, withQuotas);
  if (reads.creditsBeyondOwners) return whole();
  const { payeeIds, teams } = await teamsAround(scope, ownerIds, reads.around);
  // The deals of every owner whose deals credit these payees are read: their digests are fresh.
  const sources = creditSources(teams, payeeIds);
  if (payeeIds.join() !== ownerIds.join() || sources.join() !== ownerIds.join()) reads = await readForPayees(scope, run, workspace, ownerIds, payeeIds, sources, withQuotas);
  const { prefetched, heldOwners: before, heldPayees: previous } = reads;
  const input = await gatherInput(scope, run, { ...context, payeeIds, teams, workspace, filteredFieldsOnly: true, withoutSplits: true, prefetched });
  if (input.plans.some((p) => p.components.some((c) => 'base' in c && c.base.kind === 'metric'))) return whole();
  const fresh = ownerInputs(input.records ?? []);
  if (sources.every((o) => before.get(o)?.digest === fresh.get(o)?.digest)) return { run, changed: false, payeeIds };

  const result = calculatePayouts(input);
  const recalculated = new Map(result.payees.map((p) => [p.payeeId, p]));
  for (const payeeId of payeeIds) {
    const a = previous.get(payeeId);
    const b = recalculated.get(payeeId);
    if ((a === undefined) !== (b === undefined) || (a && b && payeeBasis(a) !== payeeBasis(b))) return whole();
  }

  // Totals by difference: out go the touched payees' old results and the re-read owners' old revenue, in come the new.
  const totals = new Map(run.totals.map((t) => [t.currency, { ...t }]));
  const currenciesBefore = [...totals.keys()].sort().join();
  const addPayee = (p: PayeeResult, sign: 1 | -1) => {
    const t = totals.get(p.currency) ?? { currency: p.currency, payees: 0, earningsMinor: 0, totalMinor: 0, revenueMinor: 0 };
    t.payees += sign;
    t.earningsMinor += sign * p.earningsMinor;
    t.totalMinor += sign * p.totalMinor;
    totals.set(p.currency, t);
  };
  for (const p of previous.values()) addPayee(p, -1);
  for (const p of result.payees) addPayee(p, 1);
  for (const [currency, t] of totals) if (t.payees === 0) totals.delete(currency);
  // A currency's revenue counts only while it has payees: one appearing or going needs every owner's revenue.
  if ([...totals.keys()].sort().join() !== currenciesBefore) return whole();
  const addRevenue = (revenue: Record<string, number>, sign: 1 | -1) => {
    for (const [currency, amount] of Object.entries(revenue)) {
      const t = totals.get(currency);
      if (t) t.revenueMinor += sign * amount;
    }
  };
  let sum = BigInt(`0x${ownerSumBefore}`);
  for (const o of before.values()) {
    addRevenue(o.revenue, -1);
    sum -= BigInt(`0x${o.digest}`);
  }
  for (const o of fresh.values()) {
    addRevenue(o.revenue, 1);
    sum += BigInt(`0x${o.digest}`);
  }
  const ownerSum = hex128(sum);

  // One statement writes the touched payees' lines (a line keeps its number; a line that went
  // away is deleted, a new one numbered after the highest number the run has given), their
  // rows (their presence was checked above), the re-read owners' digests, and the run (its
  // totals, hash and stored result) with its audit entry.
  const lastLineNo = stored.lastLineNo;
  const lines = result.payees.flatMap((p) => p.lines);
  const gone = [...before.keys()].filter((o) => !fresh.has(o));
  const touched = (text: string) => payeeIds.some((p) => text.includes(p));
  const issues = [...(stored.issues ?? []).filter((i) => !touched(i.path) && !touched(i.message)), ...result.issues];
  // Parameters: tenant, run, payees ($3), the lines' arrays, the payee rows' six, the owner rows' three, the last line number, the owners gone, then the run's.
  const payeeParams = 4 + LINE_ARRAYS;
  const ownerParams = payeeParams + 6;
  const lastParam = ownerParams + 3;
  const save = saveCalculatedCtes(scope, run, {
    hash: hashOf(stored.inputs.global, ownerSum), totals: [...totals.values()].sort((x, y) => (x.currency < y.currency ? -1 : 1)),
    stored: { issues, inputs: { global: stored.inputs.global, ownerSum }, lastLineNo: lastLineNo + lines.length }, payeeIds,
  }, lastParam + 2);
  const [row] = await scope.tx.query<RunRow>(
    `WITH gone_lines AS (
       DELETE FROM payout_lines WHERE ctid = ANY(ARRAY(
         SELECT l.ctid FROM unnest($3::uuid[]) AS k(id)
           CROSS JOIN LATERAL (SELECT ctid, line_id FROM payout_lines WHERE tenant_id = $1 AND payee_id = k.id AND run_id = $2 OFFSET 0) l
          WHERE NOT (l.line_id = ANY($4::text[]))))  -- $4: the line ids, encodeLines' first parameter
       RETURNING 1),
     lines AS (
       INSERT INTO payout_lines (tenant_id, run_id, line_no, ${LINE_COLUMNS})
       SELECT $1, $2, $${lastParam}::int + u.k, ${LINE_VALUES} FROM ${linesUnnest(4)}
       ON CONFLICT (tenant_id, run_id, line_id) DO UPDATE SET
         ${LINE_COLUMNS.split(', ').map((c) => `${c} = excluded.${c}`).join(', ')}
       RETURNING 1),
     payees AS (${PAYEE_ROWS.insert(payeeParams)} ${PAYEE_ROWS.replace} RETURNING 1),
     owners AS (${OWNER_ROWS.insert(ownerParams)} ${OWNER_ROWS.replace} RETURNING 1),
     gone AS (
       DELETE FROM payout_run_owners WHERE ctid = ANY(ARRAY(SELECT o.ctid FROM unnest($${lastParam + 1}::text[]) AS k(id) CROSS JOIN LATERAL (${ROW_OF_RUN('payout_run_owners', 'owner_id', 'ctid')}) o))
       RETURNING 1),
     ${save.ctes}
     SELECT saved.* FROM saved`,
    [scope.tenantId, id, payeeIds, ...encodeLines(lines), ...PAYEE_ROWS.encode(result.payees), ...OWNER_ROWS.encode([...fresh]), lastLineNo, gone, ...save.params],
    { prepare: true },
  );
  if (!row) throw compNotFound('Payout run');
  return { run: toRun(row), changed: true, payeeIds };
}

/**
 * One row of a run's table by key, for `CROSS JOIN LATERAL` over a few keys k(id): an equality
 * on the whole primary key, kept from being flattened into a join (OFFSET 0), so the primary
 * key finds it even before the table has statistics (a bulk-written run has none until analysed,
 * and `key = ANY(…)` then scanned all of the run's rows).
 */
const ROW_OF_RUN = (table: string, key: string, columns = '*'): string => `SELECT ${columns} FROM ${table} WHERE tenant_id = $1 AND run_id = $2 AND ${key} = k.id OFFSET 0`;

/**
 * Rows of a run's payees (the engine's result without its lines) and of its owners' digests:
 * the INSERT from parameter $first on (after tenant $1 and run $2), the clause that replaces a
 * row already there, and the parameter arrays.
 */
const PAYEE_ROWS = {
  insert: (first: number): string => `INSERT INTO payout_run_payees (tenant_id, run_id, payee_id, currency, earnings_minor, total_minor, draw_balance_out_minor, result)
       SELECT $1, $2, u.payee_id, u.currency, u.earnings, u.total, u.draw_out, u.result
         FROM unnest($${first}::uuid[], $${first + 1}::text[], $${first + 2}::bigint[], $${first + 3}::bigint[], $${first + 4}::bigint[], $${first + 5}::jsonb[])
           AS u(payee_id, currency, earnings, total, draw_out, result)`,
  replace: `ON CONFLICT (tenant_id, run_id, payee_id) DO UPDATE SET currency = excluded.currency, earnings_minor = excluded.earnings_minor, total_minor = excluded.total_minor,
         draw_balance_out_minor = excluded.draw_balance_out_minor, result = excluded.result`,
  encode(payees: readonly PayoutResult['payees'][number][]): unknown[][] {
    const rows = payees.map(({ lines: _lines, ...rest }) => rest);
    return [rows.map((p) => p.payeeId), rows.map((p) => p.currency), rows.map((p) => String(p.earningsMinor)), rows.map((p) => String(p.totalMinor)), rows.map((p) => String(p.drawBalanceOutMinor)), rows.map((p) => JSON.stringify(p))];
  },
};
const OWNER_ROWS = {
  insert: (first: number): string => `INSERT INTO payout_run_owners (tenant_id, run_id, owner_id, digest, revenue)
       SELECT $1, $2, u.owner_id, u.digest, u.revenue FROM unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::jsonb[]) AS u(owner_id, digest, revenue)`,
  replace: 'ON CONFLICT (tenant_id, run_id, owner_id) DO UPDATE SET digest = excluded.digest, revenue = excluded.revenue',
  encode: (owners: readonly (readonly [string, OwnerInputs])[]): unknown[][] => [owners.map(([owner]) => owner), owners.map(([, o]) => o.digest), owners.map(([, o]) => JSON.stringify(o.revenue))],
};

/** Writes a run's payee rows and owner digests, 5,000 rows a statement. */
async function insertPayeesAndOwners(scope: TenantScope, runId: string, payees: readonly PayoutResult['payees'][number][], owners: ReadonlyMap<string, OwnerInputs>): Promise<void> {
  const chunk = 5000;
  for (let i = 0; i < payees.length; i += chunk) {
    await scope.tx.query(PAYEE_ROWS.insert(3), [scope.tenantId, runId, ...PAYEE_ROWS.encode(payees.slice(i, i + chunk))]);
  }
  const entries = [...owners];
  for (let i = 0; i < entries.length; i += chunk) {
    await scope.tx.query(OWNER_ROWS.insert(3), [scope.tenantId, runId, ...OWNER_ROWS.encode(entries.slice(i, i + chunk))]);
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
  const [run] = await scope.tx.query('SELECT 1 FROM payout_runs WHERE tenant_id = $1 AND id = $2', [scope.tenantId, runId]);
  if (!run) throw compNotFound('Payout run');
  const some = payeeIds ? ' AND payee_id = ANY($3::uuid[])' : '';
  const rows = await scope.tx.query<{ result: PayeeResult; display_name: string; external_ref: string | null; line_count: string | null }>(
    `SELECT rp.result, pe.display_name, pe.external_ref, c.n::text AS line_count
       FROM payout_run_payees rp
       JOIN payees pe ON pe.tenant_id = rp.tenant_id AND pe.id = rp.payee_id
       LEFT JOIN (SELECT payee_id, count(*) AS n FROM payout_lines WHERE tenant_id = $1 AND run_id = $2${some} GROUP BY payee_id) c ON c.payee_id = rp.payee_id
      WHERE rp.tenant_id = $1 AND rp.run_id = $2${some.replace('payee_id', 'rp.payee_id')}`,
    payeeIds ? [scope.tenantId, runId, payeeIds] : [scope.tenantId, runId],
  );
  return rows
    .map(({ result: p, display_name, external_ref, line_count }) => ({
      payeeId: p.payeeId, payeeName: display_name, externalRef: external_ref,
      currency: p.currency, quotaMinor: p.quotaMinor, creditedMinor: p.creditedMinor, attainment: p.attainment, earningsMinor: p.earningsMinor,
      drawBalanceInMinor: p.drawBalanceInMinor, drawBalanceOutMinor: p.drawBalanceOutMinor, adjustmentsMinor: p.adjustmentsMinor, totalMinor: p.totalMinor,
      lineCount: Number(line_count ?? 0),
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

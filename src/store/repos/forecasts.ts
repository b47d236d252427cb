/**
 * Forecasts over the tenant's deals: the pipeline forecast (stage win rates learned from the
 * won/lost history), the time-series forecast of bookings, kept snapshots and their accuracy,
 * and quota recommendations. Won bookings are summed in SQL (per group and month), open deals
 * read as the only per-deal objects.
 */
import {
  bookingSeries, calibrateToFunnelShape, DEFAULT_STAGES, forecastAccuracy, forecastBookings, latestCalls, learnGroupWinRates, learnStageWinRates, pickSnapshots, pipelineForecast, stagesUpTo, validateForecastCall,
  type AccuracyReport, type Booking, type BookingsForecast, type ClosedDealOutcome, type OpenDeal, type PipelineForecastRow, type RepCall, type StageWinRate, type WonDeal,
} from '../../core/forecast/index.js';
import { recommendQuotas, type QuotaRecommendation } from '../../core/quota/index.js';
import { addDays, fiscalYearPeriod, listPeriods, parsePeriod, periodContaining, type FiscalCalendar } from '../../core/period.js';
import { deepestTerritories, attributeRecord, indexTerritories, type TerritoryIndex } from '../../core/territory/index.js';
import type { TenantScope } from '../store.js';
import { recordAudit } from './audit.js';
import { latestQuotaLines, type QuotaVisibility } from './quotas.js';
import { listTerritories, type Issue, type Result } from './territories.js';
import { fiscalCalendarOf } from './tenants.js';

export type ForecastGroupBy = 'owner' | 'team' | 'territory' | 'company';
export type ForecastPeriodKind = 'month' | 'quarter';

/** Group keys that are not ids: deals without an owner/team, and deals no single territory claims. */
export const UNASSIGNED = 'unassigned';
export const OVERLAP = 'overlap';

interface AttrRow { region: string | null; country: string | null; product_line: string | null; segment: string | null; account: string | null }

function territoryOf(index: TerritoryIndex, row: AttrRow, id: string): string {
  const matched = attributeRecord({ id, region: row.region, country: row.country, productLine: row.product_line, segment: row.segment, accountId: row.account }, index);
  const deepest = deepestTerritories(matched, index);
  return deepest.length === 1 ? (deepest[0] as string) : deepest.length === 0 ? UNASSIGNED : OVERLAP;
}

const ATTRS = `coalesce(r.t7, a.t3) AS region, a.t4 AS country, r.t6 AS product_line, a.t2 AS segment, r.t2 AS account`;
const FROM_DEALS = `FROM records r
  LEFT JOIN records a ON a.tenant_id = r.tenant_id AND a.dataset = 'accounts' AND a.ext_id = r.t2
  LEFT JOIN payees p ON p.tenant_id = r.tenant_id AND p.id = r.owner_payee_id
  WHERE r.tenant_id = $1 AND r.dataset = 'deals'`;

function keyOf(groupBy: ForecastGroupBy, row: { owner: string | null; team: string | null } & AttrRow, index: TerritoryIndex | null, id: string): string {
  switch (groupBy) {
    case 'owner': return row.owner ?? UNASSIGNED;
    case 'team': return row.team ?? UNASSIGNED;
    case 'territory': return index ? territoryOf(index, row, id) : UNASSIGNED;
    case 'company': return 'company';
    default: { const never: never = groupBy; return never; }
  }
}

async function territoryIndex(scope: TenantScope, groupBy: ForecastGroupBy): Promise<TerritoryIndex | null> {
  return groupBy === 'territory' ? indexTerritories(await listTerritories(scope)) : null;
}

/** Won bookings per group and calendar month in [start, end), summed in SQL (territory: per attribute combination). */
export async function wonByGroupAndMonth(scope: TenantScope, input: { groupBy: ForecastGroupBy; start: string; end: string }): Promise<Booking[]> {
  const index = await territoryIndex(scope, input.groupBy);
  const attrs = input.groupBy === 'territory' ? `, ${ATTRS}` : ', NULL AS region, NULL AS country, NULL AS product_line, NULL AS segment, NULL AS account';
  const groupCols = input.groupBy === 'territory' ? ', 4, 5, 6, 7, 8' : '';
  const rows = await scope.tx.query<{ owner: string | null; team: string | null; month: string; amount: string } & AttrRow>(
    `SELECT ${input.groupBy === 'owner' ? 'r.owner_payee_id' : 'NULL::uuid'} AS owner, ${input.groupBy === 'team' ? 'p.team_id' : 'NULL::uuid'} AS team,
            to_char(date_trunc('month', r.d2), 'YYYY-MM-DD') AS month ${attrs}, sum(r.n1)::text AS amount
       ${FROM_DEALS} AND r.t4 = 'closed_won' AND r.n1 IS NOT NULL AND r.d2 >= $2 AND r.d2 < $3
      GROUP BY 1, 2, 3${groupCols}`,
    [scope.tenantId, input.start, input.end],
  );
  return rows.map((r) => ({ date: r.month, amountMinor: Number(r.amount), groupKey: keyOf(input.groupBy, r, index, '') }));
}

/** Stage win rates learned from closed deals (company-wide, and per group for owner/team/territory). */
async function learnRates(scope: TenantScope, groupBy: ForecastGroupBy): Promise<{ base: StageWinRate[]; groups: Map<string, StageWinRate[]> | null }> {
  const index = await territoryIndex(scope, groupBy);
  const attrs = groupBy === 'territory' ? `, ${ATTRS}` : ', NULL AS region, NULL AS country, NULL AS product_line, NULL AS segment, NULL AS account';
  const groupCols = groupBy === 'territory' ? ', 4, 5, 6, 7, 8' : '';
  const rows = await scope.tx.query<{ owner: string | null; team: string | null; stage: string; n: string } & AttrRow>(
    `SELECT ${groupBy === 'owner' ? 'r.owner_payee_id' : 'NULL::uuid'} AS owner, ${groupBy === 'team' ? 'p.team_id' : 'NULL::uuid'} AS team, r.t4 AS stage ${attrs}, count(*)::text AS n
       ${FROM_DEALS} AND r.t4 IN ('closed_won', 'closed_lost') GROUP BY 1, 2, 3${groupCols}`,
    [scope.tenantId],
  );
  // The records keep only the final stage: a won deal reached every stage; a lost deal's last open
  // stage is unknown, so it counts against every stage (the prior carries the stage shape).
  const all = stagesUpTo(DEFAULT_STAGES, null);
  const won: ClosedDealOutcome = { outcome: 'won', stagesReached: all };
  const lost: ClosedDealOutcome = { outcome: 'lost', stagesReached: all };
  const history: (ClosedDealOutcome & { groupKey: string })[] = [];
  for (const r of rows) {
    const item = { ...(r.stage === 'closed_won' ? won : lost), groupKey: keyOf(groupBy, r, index, '') };
    for (let i = 0; i < Number(r.n); i += 1) history.push(item);
  }
  // …so only the overall win rate is learned; the stage shape is the defaults' (calibrateToFunnelShape).
  const learned = learnStageWinRates({ history });
  const base = calibrateToFunnelShape(learned);
  const groups = groupBy === 'company' ? null : new Map([...learnGroupWinRates({ history, base: learned })].map(([key, rates]) => [key, calibrateToFunnelShape(rates)]));
  return { base, groups };
}

export interface PipelineForecastResult {
  from: string;
  to: string;
  winRates: StageWinRate[];
  rows: PipelineForecastRow[];
  /** Open deals without a close date (not in any period). */
  undatedDeals: number;
  /** Names of the groups (payee, team or territory) and, for reps, their team. */
  labels: GroupLabel[];
}

export interface GroupLabel {
  groupKey: string;
  name: string;
  teamId: string | null;
}

/** The pipeline forecast for `periods` periods from the one containing `today`. */
export async function pipelineForecastFor(scope: TenantScope, input: { groupBy: ForecastGroupBy; periodKind: ForecastPeriodKind; periods: number; today: string }): Promise<PipelineForecastResult> {
  const calendar = await fiscalCalendarOf(scope);
  const first = periodContaining(input.periodKind, input.today, calendar);
  const range = listPeriods(input.periodKind, first.start, addDays(first.start, 31 * (input.periodKind === 'quarter' ? 3 : 1) * input.periods - 1), calendar).slice(0, input.periods);
  const to = range[range.length - 1]?.end ?? first.end;
  const index = await territoryIndex(scope, input.groupBy);
  const open = await scope.tx.query<{ id: string; stage: string; amount: string; close_date: string | null; owner: string | null; team: string | null } & AttrRow>(
    `SELECT r.ext_id AS id, r.t4 AS stage, r.n1::text AS amount, to_char(r.d2, 'YYYY-MM-DD') AS close_date, r.owner_payee_id AS owner, p.team_id AS team, ${ATTRS}
       ${FROM_DEALS} AND r.t4 NOT IN ('closed_won', 'closed_lost') AND r.n1 IS NOT NULL AND (r.d2 IS NULL OR (r.d2 >= $2 AND r.d2 < $3))`,
    [scope.tenantId, first.start, to],
  );
  let undatedDeals = 0;
  const openDeals: OpenDeal[] = [];
  for (const r of open) {
    if (!r.close_date) { undatedDeals += 1; continue; }
    const key = keyOf(input.groupBy, r, index, r.id);
    openDeals.push({ id: r.id, stage: r.stage, amountMinor: Number(r.amount), closeDate: r.close_date, ownerId: r.owner ?? UNASSIGNED, teamId: r.team ?? UNASSIGNED, territoryId: input.groupBy === 'territory' ? key : null });
  }
  const won = await wonByGroupAndMonth(scope, { groupBy: input.groupBy, start: first.start, end: to });
  const wonDeals: WonDeal[] = won.map((b) => ({
    amountMinor: b.amountMinor, closeDate: b.date, ownerId: input.groupBy === 'owner' ? b.groupKey : UNASSIGNED,
    teamId: input.groupBy === 'team' ? b.groupKey : null, territoryId: input.groupBy === 'territory' ? b.groupKey : null,
  }));
  const { base, groups } = await learnRates(scope, input.groupBy);
  const calls = await callsForForecast(scope, { periods: range.map((p) => p.key), groupBy: input.groupBy, today: input.today });
  const rows = pipelineForecast({
    openDeals, wonDeals, calls, winRates: base, groupBy: input.groupBy, periodKind: input.periodKind, calendar,
    ...(groups && input.groupBy !== 'company' ? { groupWinRates: { by: input.groupBy, rates: groups } } : {}),
  });
  return { from: first.start, to, winRates: base, rows, undatedDeals, labels: await groupLabels(scope, input.groupBy) };
}

async function groupLabels(scope: TenantScope, groupBy: ForecastGroupBy): Promise<GroupLabel[]> {
  switch (groupBy) {
    case 'owner':
      return (await scope.tx.query<{ id: string; name: string; team_id: string | null }>('SELECT id, display_name AS name, team_id FROM payees WHERE tenant_id = $1 ORDER BY display_name', [scope.tenantId]))
        .map((r) => ({ groupKey: r.id, name: r.name, teamId: r.team_id }));
    case 'team':
      return (await scope.tx.query<{ id: string; name: string }>('SELECT id, name FROM teams WHERE tenant_id = $1 ORDER BY name', [scope.tenantId])).map((r) => ({ groupKey: r.id, name: r.name, teamId: r.id }));
    case 'territory':
      return (await listTerritories(scope)).map((t) => ({ groupKey: t.id, name: t.name, teamId: null }));
    case 'company':
      return [];
    default: { const never: never = groupBy; return never; }
  }
}

/** The latest call per payee for the periods, with the rep's team and (owner) territory for roll-ups. */
async function callsForForecast(scope: TenantScope, input: { periods: string[]; groupBy: ForecastGroupBy; today: string }): Promise<RepCall[]> {
  if (input.periods.length === 0) return [];
  const rows = await scope.tx.query<{ payee_id: string; period: string; commit_minor: string; best_case_minor: string; submitted_at: string; team_id: string | null }>(
    `SELECT c.payee_id, c.period, c.commit_minor::text, c.best_case_minor::text, ${SUBMITTED_AT} AS submitted_at, p.team_id
       FROM forecast_calls c JOIN payees p ON p.tenant_id = c.tenant_id AND p.id = c.payee_id
      WHERE c.tenant_id = $1 AND c.period = ANY($2::text[])`,
    [scope.tenantId, input.periods],
  );
  const latest = latestCalls(rows.map((r) => ({ payeeId: r.payee_id, period: r.period, submittedAt: r.submitted_at, teamId: r.team_id, commitMinor: Number(r.commit_minor), bestCaseMinor: Number(r.best_case_minor) })));
  const territoryOfPayee = input.groupBy === 'territory' ? await ownerTerritories(scope, input.today) : new Map<string, string>();
  return latest.map((c) => ({
    ownerId: c.payeeId, teamId: c.teamId ?? UNASSIGNED, territoryId: territoryOfPayee.get(c.payeeId) ?? UNASSIGNED,
    period: c.period, commitMinor: c.commitMinor, bestCaseMinor: c.bestCaseMinor,
  }));
}

/** A rep's territory for call roll-ups: the one territory they (or their team) own on `today`; none when several or none. */
async function ownerTerritories(scope: TenantScope, today: string): Promise<Map<string, string>> {
  const rows = await scope.tx.query<{ payee_id: string; territory_id: string }>(
    `SELECT DISTINCT p.id AS payee_id, a.territory_id
       FROM payees p JOIN territory_assignments a ON a.tenant_id = p.tenant_id AND (a.payee_id = p.id OR a.team_id = p.team_id)
      WHERE p.tenant_id = $1 AND a.role = 'owner' AND a.valid_from <= $2 AND (a.valid_until IS NULL OR a.valid_until > $2)`,
    [scope.tenantId, today],
  );
  const seen = new Map<string, string[]>();
  for (const r of rows) seen.set(r.payee_id, [...(seen.get(r.payee_id) ?? []), r.territory_id]);
  return new Map([...seen].filter(([, ids]) => ids.length === 1).map(([payee, ids]) => [payee, ids[0] as string] as const));
}

// Reps' calls ------------------------------------------------------------------------------

const SUBMITTED_AT = `to_char(c.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface ForecastCallRecord {
  id: string;
  payeeId: string;
  payeeName: string;
  teamId: string | null;
  period: string;
  commitMinor: number;
  bestCaseMinor: number;
  note: string;
  submittedBy: string | null;
  submittedByName: string | null;
  submittedAt: string;
  /** The call that counts for its payee and period (the latest). */
  isLatest: boolean;
}

/** The payee a call is for, with what the permission check needs (null: not in this workspace). */
export async function payeeForCall(scope: TenantScope, payeeId: string): Promise<{ id: string; userId: string | null; teamId: string | null } | null> {
  const [row] = await scope.tx.query<{ id: string; user_id: string | null; team_id: string | null }>('SELECT id, user_id, team_id FROM payees WHERE tenant_id = $1 AND id = $2', [scope.tenantId, payeeId]);
  return row ? { id: row.id, userId: row.user_id, teamId: row.team_id } : null;
}

/** Calls, newest first, optionally of one payee, period or team; each marked whether it is the one that counts. */
export async function listForecastCalls(scope: TenantScope, filter: { payeeId?: string | undefined; period?: string | undefined; teamId?: string | undefined; limit?: number | undefined }): Promise<ForecastCallRecord[]> {
  const rows = await scope.tx.query<{
    id: string; payee_id: string; payee_name: string; team_id: string | null; period: string; commit_minor: string; best_case_minor: string; note: string;
    submitted_by: string | null; submitted_by_name: string | null; submitted_at: string; is_latest: boolean;
  }>(
    `SELECT c.id, c.payee_id, p.display_name AS payee_name, p.team_id, c.period, c.commit_minor::text, c.best_case_minor::text, c.note,
            c.submitted_by, u.name AS submitted_by_name, ${SUBMITTED_AT} AS submitted_at,
            row_number() OVER (PARTITION BY c.payee_id, c.period ORDER BY c.submitted_at DESC, c.id DESC) = 1 AS is_latest
       FROM forecast_calls c
       JOIN payees p ON p.tenant_id = c.tenant_id AND p.id = c.payee_id
       LEFT JOIN users u ON u.id = c.submitted_by
      WHERE c.tenant_id = $1 AND ($2::uuid IS NULL OR c.payee_id = $2) AND ($3::text IS NULL OR c.period = $3) AND ($4::uuid IS NULL OR p.team_id = $4)
      ORDER BY c.submitted_at DESC, c.id DESC
      LIMIT $5`,
    [scope.tenantId, filter.payeeId ?? null, filter.period ?? null, filter.teamId ?? null, filter.limit ?? 500],
  );
  return rows.map((r) => ({
    id: r.id, payeeId: r.payee_id, payeeName: r.payee_name, teamId: r.team_id, period: r.period, commitMinor: Number(r.commit_minor), bestCaseMinor: Number(r.best_case_minor),
    note: r.note, submittedBy: r.submitted_by, submittedByName: r.submitted_by_name, submittedAt: r.submitted_at, isLatest: r.is_latest,
  }));
}

/**
 * Keeps a rep's call (append-only: it supersedes, not replaces, earlier calls for the period)
 * and audits it. The caller checks who may call for the payee.
 */
export async function submitForecastCall(
  scope: TenantScope,
  input: { id: string; payeeId: string; period: string; commitMinor: number; bestCaseMinor: number; note: string; /** Default: now (the demo backdates). */ submittedAt?: string },
): Promise<Result<ForecastCallRecord>> {
  const issues: Issue[] = validateForecastCall(input).map((i) => ({ code: i.code, path: `body.${i.path}`, message: i.message }));
  if (issues.length === 0) {
    const parsed = parsePeriod(input.period, await fiscalCalendarOf(scope), 'body.period');
    if (!parsed.ok) issues.push(...parsed.issues);
  }
  if (issues.length > 0) return { ok: false, issues };
  await scope.tx.query(
    `INSERT INTO forecast_calls (tenant_id, id, payee_id, period, commit_minor, best_case_minor, note, submitted_by, submitted_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9::timestamptz, clock_timestamp()))`,
    [scope.tenantId, input.id, input.payeeId, input.period, input.commitMinor, input.bestCaseMinor, input.note, scope.actor.userId, input.submittedAt ?? null],
  );
  const saved = (await listForecastCalls(scope, { payeeId: input.payeeId, period: input.period })).find((c) => c.id === input.id);
  if (!saved) throw new Error('forecast call not saved');
  const { id: _id, payeeName: _name, submittedByName: _by, isLatest: _latest, ...after } = saved;
  await recordAudit(scope, { action: 'forecast_call.submitted', entityType: 'forecast_call', entityId: input.id, after });
  return { ok: true, value: saved, warnings: [] };
}

export interface BookingsForecastGroup extends Omit<BookingsForecast, 'detail'> {
  quota: { period: string; quotaMinor: number }[];
}

/** Time-series forecast of won bookings per group: `historyYears` of history before the period containing `today`, `horizon` periods ahead. */
export async function bookingsForecastFor(
  scope: TenantScope,
  input: { groupBy: Exclude<ForecastGroupBy, 'owner'>; periodKind: ForecastPeriodKind; horizon: number; historyYears: number; today: string; quotaVisibility: QuotaVisibility | null },
): Promise<{ from: string; to: string; groups: BookingsForecastGroup[] }> {
  const calendar = await fiscalCalendarOf(scope);
  const to = periodContaining(input.periodKind, input.today, calendar).start;
  const from = periodContaining(input.periodKind, addDays(to, -365 * input.historyYears), calendar).start;
  const bookings = await wonByGroupAndMonth(scope, { groupBy: input.groupBy, start: from, end: to });
  const series = bookingSeries({ bookings, periodKind: input.periodKind, from, to, calendar });
  const forecasts = forecastBookings({ series, periodKind: input.periodKind, horizon: input.horizon, calendar });
  const periods = [...(series[0]?.periods ?? []), ...(forecasts[0]?.forecast.map((f) => f.period) ?? [])];
  const quota = input.quotaVisibility && input.groupBy !== 'company'
    ? await latestQuotaLines(scope, { kind: input.groupBy, periods, visibility: input.quotaVisibility })
    : [];
  return {
    from, to,
    groups: forecasts.map(({ detail: _detail, ...f }) => ({ ...f, quota: quota.filter((q) => q.assigneeId === f.groupKey).map((q) => ({ period: q.period, quotaMinor: q.quotaMinor })) })),
  };
}

// Snapshots and accuracy ---------------------------------------------------------------------

export async function takeForecastSnapshot(scope: TenantScope, input: { id: string; groupBy: ForecastGroupBy; periodKind: ForecastPeriodKind; periods: number; takenOn: string }): Promise<{ id: string; takenOn: string; groupBy: ForecastGroupBy; periodKind: ForecastPeriodKind; rows: number }> {
  const forecast = await pipelineForecastFor(scope, { groupBy: input.groupBy, periodKind: input.periodKind, periods: input.periods, today: input.takenOn });
  await scope.tx.query(
    `INSERT INTO forecast_snapshots (tenant_id, id, taken_on, group_by, period_kind, method, created_by) VALUES ($1, $2, $3, $4, $5, 'pipeline', $6)`,
    [scope.tenantId, input.id, input.takenOn, input.groupBy, input.periodKind, scope.actor.userId],
  );
  const rows = forecast.rows;
  if (rows.length > 0) {
    await scope.tx.query(
      `INSERT INTO forecast_snapshot_rows (tenant_id, snapshot_id, group_key, period, forecast_minor) SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::bigint[])`,
      [scope.tenantId, input.id, rows.map((r) => r.groupKey), rows.map((r) => r.period), rows.map((r) => r.expectedMinor)],
    );
  }
  return { id: input.id, takenOn: input.takenOn, groupBy: input.groupBy, periodKind: input.periodKind, rows: rows.length };
}

export interface AccuracyResult extends AccuracyReport {
  snapshots: number;
}

/** MAPE/WAPE/bias per group, per period and overall: the latest snapshot standing `leadDays` before each period began vs the won bookings of completed periods. */
export async function forecastAccuracyFor(scope: TenantScope, input: { groupBy: ForecastGroupBy; periodKind: ForecastPeriodKind; leadDays: number; today: string }): Promise<AccuracyResult> {
  const calendar: FiscalCalendar = await fiscalCalendarOf(scope);
  const rows = await scope.tx.query<{ group_key: string; period: string; forecast_minor: string; taken_on: string }>(
    `SELECT r.group_key, r.period, r.forecast_minor::text, to_char(s.taken_on, 'YYYY-MM-DD') AS taken_on
       FROM forecast_snapshot_rows r JOIN forecast_snapshots s ON s.tenant_id = r.tenant_id AND s.id = r.snapshot_id
      WHERE r.tenant_id = $1 AND s.group_by = $2 AND s.period_kind = $3`,
    [scope.tenantId, input.groupBy, input.periodKind],
  );
  const snapshots = rows.map((r) => ({ groupKey: r.group_key, period: r.period, forecastMinor: Number(r.forecast_minor), takenOn: r.taken_on }));
  const picked = pickSnapshots({ snapshots, calendar, leadDays: input.leadDays });
  const periods = [...new Set(picked.map((p) => p.period))].map((key) => listPeriodsOf(key, input.periodKind, calendar)).filter((p) => p !== null && p.end <= input.today) as { key: string; start: string; end: string }[];
  const actuals: { groupKey: string; period: string; actualMinor: number }[] = [];
  if (periods.length > 0) {
    const start = periods.reduce((m, p) => (p.start < m ? p.start : m), periods[0]?.start ?? input.today);
    const end = periods.reduce((m, p) => (p.end > m ? p.end : m), periods[0]?.end ?? input.today);
    const done = new Set(periods.map((p) => p.key));
    const sums = new Map<string, number>();
    for (const b of await wonByGroupAndMonth(scope, { groupBy: input.groupBy, start, end })) {
      const period = periodContaining(input.periodKind, b.date, calendar).key;
      if (!done.has(period)) continue;
      const key = `${b.groupKey}\u0000${period}`;
      sums.set(key, (sums.get(key) ?? 0) + b.amountMinor);
    }
    // A group forecast for a completed period that booked nothing has an actual of 0.
    for (const p of picked) if (done.has(p.period) && !sums.has(`${p.groupKey}\u0000${p.period}`)) sums.set(`${p.groupKey}\u0000${p.period}`, 0);
    for (const [key, actualMinor] of sums) {
      const [groupKey, period] = key.split('\u0000') as [string, string];
      actuals.push({ groupKey, period, actualMinor });
    }
  }
  return { ...forecastAccuracy({ snapshots: picked, actuals }), snapshots: new Set(rows.map((r) => r.taken_on)).size };
}

function listPeriodsOf(key: string, kind: ForecastPeriodKind, calendar: FiscalCalendar): { key: string; start: string; end: string } | null {
  const parsed = parsePeriod(key, calendar);
  return parsed.ok && parsed.period.kind === kind ? parsed.period : null;
}

// Quota recommendation -----------------------------------------------------------------------

export interface RecommendationResult {
  fiscalYear: number;
  stretchRate: string;
  items: (QuotaRecommendation & { method: string; isFallback: boolean })[];
}

/** A realistic quota for the fiscal year: the time-series forecast of each team's (or rep's) bookings × (1 + stretch), against the quota in force. */
export async function recommendQuotasFor(
  scope: TenantScope,
  input: { groupBy: 'team' | 'owner'; fiscalYear: number; stretchRate: string; today: string; visibility: QuotaVisibility },
): Promise<Result<RecommendationResult>> {
  const calendar = await fiscalCalendarOf(scope);
  const fy = fiscalYearPeriod(input.fiscalYear, calendar);
  const to = periodContaining('quarter', input.today, calendar).start;
  if (fy.end <= to) return { ok: false, issues: [{ code: 'bad_period', path: 'query.fiscalYear', message: 'a fiscal year that has not ended yet' }] };
  const from = periodContaining('quarter', addDays(to, -365 * 3), calendar).start;
  const bookings = (await wonByGroupAndMonth(scope, { groupBy: input.groupBy, start: from, end: to })).filter((b) => b.groupKey !== UNASSIGNED);
  const v = input.visibility;
  const visible = (key: string): boolean => v.all || (input.groupBy === 'team' ? v.teamIds.includes(key) : v.payeeIds.includes(key));
  const series = bookingSeries({ bookings, periodKind: 'quarter', from, to, calendar }).filter((s) => visible(s.groupKey));
  const quartersAhead = listPeriods('quarter', to, addDays(fy.end, -1), calendar);
  const fyQuarters = new Set(quartersAhead.filter((q) => q.start >= fy.start).map((q) => q.key));
  const forecasts = forecastBookings({ series, periodKind: 'quarter', horizon: Math.max(1, quartersAhead.length), calendar });
  const quotas = await latestQuotaLines(scope, { kind: input.groupBy === 'team' ? 'team' : 'rep', periods: [fy.key], visibility: v });
  const quotaOf = new Map(quotas.map((q) => [q.assigneeId, q.quotaMinor] as const));
  const items = forecasts.map((f) => ({
    id: f.groupKey,
    forecastMinor: f.forecast.filter((p) => fyQuarters.has(p.period)).reduce((sum, p) => sum + p.meanMinor, 0),
    quotaMinor: quotaOf.get(f.groupKey) ?? null,
  }));
  const result = recommendQuotas({ stretchRate: input.stretchRate, items });
  if (!result.ok) return { ok: false, issues: result.issues.map((i) => ({ code: i.code, path: i.path === 'stretchRate' ? 'query.stretch' : i.path, message: i.message })) };
  const meta = new Map(forecasts.map((f) => [f.groupKey, { method: f.modelName, isFallback: f.isFallback }] as const));
  return {
    ok: true, warnings: [],
    value: { fiscalYear: input.fiscalYear, stretchRate: input.stretchRate, items: result.recommendations.map((r) => ({ ...r, ...(meta.get(r.id) ?? { method: 'none', isFallback: true }) })) },
  };
}

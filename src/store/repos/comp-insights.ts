/**
 * "My earnings" (earned to date, the next tier, the forecasted payout of the open pipeline)
 * and what-if simulation of plans and quotas on stored data (docs/earnings-and-what-if.md).
 *
 * Both read only: inputs come from the same loader a payout run uses (payout-runs.ts
 * `gatherInput`), the engine runs in memory (core/comp forecastPayout, comparePlans) and
 * nothing is written — no runs, no lines.
 */
import {
  calculatePayouts, comparePlans, compilePlan, creditRecords, forecastPayout, parseCompPlan,
  type CompPlan, type CompRecord, type OpenDeal, type PayoutForecast,
} from '../../core/comp/index.js';
import { formatRate, fromMinor, mul, parseDecimal, roundMinor, ZERO } from '../../core/comp/money.js';
import type { Assignment, CalculationInput, PayeePayout, QuotaInput } from '../../core/comp/payout-types.js';
import { tierBounds } from '../../core/comp/rate-table.js';
import { DEFAULT_OPEN_STAGE_PROBABILITY, DEFAULT_STAGE_PROBABILITY } from '../../core/okr/metric-source.js';
import { listPeriods, parsePeriod, periodContaining, previousPeriod, type FiscalCalendar, type Period } from '../../core/period.js';
import { compInvalid, compNotFound, listAssignments, listPlanVersions } from './comp-plans.js';
import { gatherInput, listRuns, plannedQuotas, runPayees, type PayoutRun } from './payout-runs.js';
import { getTenant } from './tenants.js';
import type { TenantScope } from '../store.js';

/** A run id no run has: the loader then finds no adjustments (earnings are before adjustments anyway). */
const NO_RUN = '00000000-0000-0000-0000-000000000000';
const SHOWN_TO_PAYEES = new Set(['calculated', 'approved', 'locked', 'paid']);

async function calendarOf(scope: TenantScope): Promise<FiscalCalendar> {
  const tenant = await getTenant(scope);
  return { fiscalYearStartMonth: tenant.fiscalYearStartMonth };
}

/** The engine's input for any month or quarter, read as a run of it would read it (nothing is saved). */
async function loadInput(scope: TenantScope, period: Period): Promise<CalculationInput> {
  const run: PayoutRun = {
    id: NO_RUN, periodKey: period.key, periodStart: period.start, periodEnd: period.end, status: 'draft', inputHash: null, totals: [], issues: [],
    calculatedAt: null, approvedAt: null, lockedAt: null, paidAt: null, createdAt: '',
  };
  return gatherInput(scope, run);
}

const nextPeriodOf = (period: Period, calendar: FiscalCalendar): Period => periodContaining(period.kind === 'quarter' ? 'quarter' : 'month', period.end, calendar);

// --- My earnings ------------------------------------------------------------------------------

export interface EarningsTier {
  index: number;
  label: string;
  /** A decimal fraction (0.07 = 7 %). */
  rate: string;
  /** Where the tier starts, in minor units of the base (for attainment tiers: from × quota). */
  fromMinor: number;
}

export interface EarningsProgress {
  componentId: string;
  label: string;
  basis: 'flat' | 'attainment' | 'amount';
  mode: string;
  /** What the tiers are measured on so far (credited amount), minor units. */
  baseMinor: number;
  tiers: EarningsTier[];
  tierIndex: number;
  next: { index: number; label: string; rate: string; remainingMinor: number } | null;
}

export interface EarningsDeal {
  recordId: string;
  name: string;
  stage: string | null;
  /** Win probability, decimal fraction (the deal's own, else the stage default). */
  probability: string;
  closeDate: string;
  amountMinor: number;
  /** The payout if this deal alone is won (tiers and caps count). */
  payoutIfWonMinor: number;
  /** probability × payoutIfWonMinor. */
  weightedPayoutMinor: number;
}

export interface Earnings {
  payee: { id: string; name: string; currency: string };
  period: { key: string; start: string; end: string; previous: string; next: string };
  source: { kind: 'run'; runId: string; status: string } | { kind: 'live' };
  currency: string;
  /** Earnings of the period so far (before draws and adjustments). */
  earnedMinor: number;
  quotaMinor: number | null;
  creditedMinor: number;
  attainment: string | null;
  plan: { planId: string; version: number; name: string } | null;
  progress: EarningsProgress | null;
  forecast: {
    /** Earned plus the stage-weighted increment of the open pipeline. */
    weightedTotalMinor: number;
    /** Earned plus everything open closing. */
    bestCaseTotalMinor: number;
    weightedIncrementMinor: number;
    bestCaseIncrementMinor: number;
    pipelineMinor: number;
    deals: EarningsDeal[];
  };
}

/** Payees the caller may see the pay of (null = all), as statements: own; a manager's team; finance all. */
export type Visibility = readonly string[] | null;

export interface VisiblePayee {
  id: string;
  name: string;
  currency: string;
  isSelf: boolean;
}

export async function listEarningsPayees(scope: TenantScope, visible: Visibility, userId: string | null): Promise<VisiblePayee[]> {
  const rows = visible === null
    ? await scope.tx.query<{ id: string; display_name: string; currency: string; user_id: string | null }>('SELECT id, display_name, currency, user_id FROM payees WHERE tenant_id = $1 ORDER BY display_name, id', [scope.tenantId])
    : await scope.tx.query<{ id: string; display_name: string; currency: string; user_id: string | null }>(
      'SELECT id, display_name, currency, user_id FROM payees WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY display_name, id', [scope.tenantId, visible],
    );
  return rows.map((r) => ({ id: r.id, name: r.display_name, currency: r.currency, isSelf: userId !== null && r.user_id === userId }));
}

/** The period shown by default: the run's period containing today, else the month (or quarter, when runs are quarterly) of today. */
async function defaultPeriod(scope: TenantScope, today: string, calendar: FiscalCalendar): Promise<Period> {
  const runs = await listRuns(scope);
  const current = runs.find((r) => r.periodStart <= today && today < r.periodEnd);
  if (current) {
    const parsed = parsePeriod(current.periodKey, calendar);
    if (parsed.ok) return parsed.period;
  }
  const quarterly = runs[0]?.periodKey.includes('-Q') ?? false;
  return periodContaining(quarterly ? 'quarter' : 'month', today, calendar);
}

interface OpenDealRow {
  id: string; name: string | null; amount: string; currency: string | null; owner: string; close_date: string; probability: string | null;
  type: string | null; product: string | null; product_line: string | null; region: string | null; channel: string | null; territory: string | null; stage: string;
}

/** Open deals (not won, not lost) expected to close in the period, as the engine's records. */
async function loadOpenDeals(scope: TenantScope, period: Period, currency: string): Promise<{ deal: OpenDeal; name: string }[]> {
  const rows = await scope.tx.query<OpenDealRow>(
    // Slots of the built-in deals dataset (src/core/data/datasets.ts); probability n2 is a percent × 100.
    `SELECT r.id::text AS id, r.t1 AS name, r.n1::text AS amount, r.t3 AS currency, r.owner_payee_id::text AS owner, r.d2 AS close_date, r.n2::text AS probability,
            r.t9 AS type, r.t5 AS product, r.t6 AS product_line, r.t7 AS region, r.t10 AS channel, r.t8 AS territory, r.t4 AS stage
       FROM records r
      WHERE r.tenant_id = $1 AND r.dataset = 'deals' AND r.t4 NOT IN ('closed_won', 'closed_lost') AND r.d2 >= $2::date AND r.d2 < $3::date
        AND r.owner_payee_id IS NOT NULL AND r.n1 IS NOT NULL
      ORDER BY r.id`,
    [scope.tenantId, period.start, period.end],
  );
  return rows.map((r) => ({
    name: r.name ?? r.id,
    deal: {
      id: r.id, dataset: 'deals', amountMinor: Number(r.amount), currency: r.currency ?? currency, ownerId: r.owner, date: r.close_date,
      // Credited as if won: plan filters on the stage see closed_won.
      fields: { type: r.type, product: r.product, product_line: r.product_line, region: r.region, channel: r.channel, territory: r.territory, stage: 'closed_won' },
      ...(r.territory ? { territoryIds: [r.territory] } : {}),
      stage: r.stage,
      probability: probabilityOf(r.probability, r.stage),
    },
  }));
}

/** The deal's probability (percent × 100, clamped to 0–100 %) as a decimal fraction, else its stage's default. */
export function probabilityOf(scaledPercent: string | null, stage: string): string {
  if (scaledPercent === null) {
    const percent = DEFAULT_STAGE_PROBABILITY[stage] ?? DEFAULT_OPEN_STAGE_PROBABILITY;
    return decimalOf(BigInt(percent) * 100n);
  }
  const value = BigInt(scaledPercent);
  return decimalOf(value < 0n ? 0n : value > 10_000n ? 10_000n : value);
}
/** 7500 (ten-thousandths) → '0.75'. */
function decimalOf(tenThousandths: bigint): string {
  const whole = tenThousandths / 10_000n;
  const frac = (tenThousandths % 10_000n).toString().padStart(4, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}

/** The first tiered commission of the payee's last segment: where they are and what is next. */
function progressOf(payout: PayeePayout, plans: readonly CompPlan[]): EarningsProgress | null {
  const segment = payout.segments[payout.segments.length - 1];
  if (!segment) return null;
  const plan = plans.find((p) => p.id === segment.planId && p.version === segment.planVersion);
  if (!plan) return null;
  const lines = payout.lines.filter((l) => l.planId === plan.id && l.planVersion === plan.version && (l.kind === 'commission' || l.kind === 'partner'));
  for (const component of plan.components) {
    if ((component.kind !== 'commission' && component.kind !== 'partner') || component.base.kind !== 'credits') continue;
    const line = lines.find((l) => l.componentId === component.id && l.lineId.includes(`/${segment.from}/`));
    if (!line?.explanation.tier) continue;
    const basis = component.rates.basis;
    const unit = basis === 'attainment'
      ? (segment.quota === null ? null : parseDecimal(segment.quota))
      : plan.prorateAmounts ? parseDecimal(segment.factor) : parseDecimal('1');
    const bounds = tierBounds(component.rates, unit);
    const tiers: EarningsTier[] = bounds.map((bound, i) => ({
      index: i, label: component.rates.tiers[i]?.label ?? '', rate: formatRate(component.rates.tiers[i]?.rate ?? ZERO), fromMinor: roundMinor(bound),
    }));
    const baseMinor = line.explanation.credits.reduce((sum, c) => sum + c.creditedMinor, 0);
    const next = line.explanation.next;
    return {
      componentId: component.id, label: component.label, basis, mode: component.rates.mode, baseMinor, tiers, tierIndex: line.explanation.tier.index,
      next: next === null ? null : { index: next.tierIndex, label: next.label, rate: next.rate, remainingMinor: Math.max(0, Math.ceil(Number(next.remaining))) },
    };
  }
  return null;
}
/**
 * A payee's earnings for a month or quarter: earned to date (the period's run when it has
 * numbers, else computed live), the tier they are in and the next, and the forecasted
 * payout of their open deals expected to close in the period.
 */
export async function earningsOf(scope: TenantScope, args: { payeeId: string; period?: string | undefined; today: string }): Promise<Earnings> {
  const calendar = await calendarOf(scope);
  const [payee] = await scope.tx.query<{ id: string; display_name: string; currency: string }>('SELECT id, display_name, currency FROM payees WHERE tenant_id = $1 AND id = $2', [scope.tenantId, args.payeeId]);
  if (!payee) throw compNotFound('Earnings');
  let period: Period;
  if (args.period) {
    const parsed = parsePeriod(args.period, calendar, 'query.period');
    if (!parsed.ok || (parsed.period.kind !== 'month' && parsed.period.kind !== 'quarter')) throw compInvalid([{ path: 'query.period', message: 'a month (2026-03) or a quarter (2026-Q1)' }]);
    period = parsed.period;
  } else {
    period = await defaultPeriod(scope, args.today, calendar);
  }
  const input = await loadInput(scope, period);
  const mine: CalculationInput = { ...input, assignments: input.assignments.filter((a) => a.payeeId === payee.id), explain: true, adjustments: [], drawBalances: [] };
  const live = calculatePayouts(mine).payees.find((p) => p.payeeId === payee.id) ?? null;

  const run = (await listRuns(scope)).find((r) => r.periodKey === period.key && SHOWN_TO_PAYEES.has(r.status));
  const fromRun = run ? (await runPayees(scope, run.id, [payee.id]))[0] : undefined;
  const currency = live?.currency ?? fromRun?.currency ?? payee.currency;

  const open = (await loadOpenDeals(scope, period, currency)).filter(({ deal }) => deal.currency === currency);
  const credited = new Set(creditRecords(open.map((o) => o.deal), input.crediting ?? {}).credits.filter((c) => c.payeeId === payee.id).map((c) => c.recordId));
  const pipeline = open.filter((o) => credited.has(o.deal.id));
  const forecast: PayoutForecast | null = live ? forecastPayout({ input: mine, payeeId: payee.id, pipeline: pipeline.map((p) => p.deal) }) : null;
  const names = new Map(pipeline.map((p) => [p.deal.id, p]));
  const earnedMinor = fromRun?.earningsMinor ?? live?.earningsMinor ?? 0;
  const segment = live?.segments[live.segments.length - 1];
  const plan = segment ? input.plans.find((p) => p.id === segment.planId && p.version === segment.planVersion) : undefined;
  const deals: EarningsDeal[] = (forecast?.deals ?? []).map((d) => ({
    recordId: d.recordId, name: names.get(d.recordId)?.name ?? d.recordId, stage: d.stage, probability: d.probability, closeDate: names.get(d.recordId)?.deal.date ?? '',
    amountMinor: d.amountMinor, payoutIfWonMinor: d.marginalMinor, weightedPayoutMinor: d.weightedMinor,
  })).sort((a, b) => b.payoutIfWonMinor - a.payoutIfWonMinor || a.closeDate.localeCompare(b.closeDate) || (a.recordId < b.recordId ? -1 : 1));
  const weighted = forecast?.stageWeightedMinor ?? 0;
  const best = forecast?.bestCaseMinor ?? 0;
  return {
    payee: { id: payee.id, name: payee.display_name, currency: payee.currency },
    period: { key: period.key, start: period.start, end: period.end, previous: previousPeriod(period, calendar).key, next: nextPeriodOf(period, calendar).key },
    source: fromRun && run ? { kind: 'run', runId: run.id, status: run.status } : { kind: 'live' },
    currency,
    earnedMinor,
    quotaMinor: fromRun?.quotaMinor ?? live?.quotaMinor ?? null,
    creditedMinor: fromRun?.creditedMinor ?? live?.creditedMinor ?? 0,
    attainment: fromRun?.attainment ?? live?.attainment ?? null,
    plan: plan ? { planId: plan.id, version: plan.version, name: plan.name } : null,
    progress: live ? progressOf(live, input.plans) : null,
    forecast: {
      weightedTotalMinor: earnedMinor + weighted, bestCaseTotalMinor: earnedMinor + best, weightedIncrementMinor: weighted, bestCaseIncrementMinor: best,
      pipelineMinor: deals.reduce((sum, d) => sum + d.amountMinor, 0), deals,
    },
  };
}

// --- what-if ------------------------------------------------------------------------------------

export interface WhatIfRequest {
  /** A month, a quarter or a fiscal year (simulated period by period). */
  period: string;
  /** The plan modelled: its payees are the population. */
  planId: string;
  /** The baseline: a stored version of the plan, or (absent) the versions as assigned. */
  baselineVersion?: number | null | undefined;
  /** The candidate: a stored version, or a draft document; neither = the baseline plan (a quota change only). */
  candidate?: { version?: number | null | undefined; document?: unknown } | undefined;
  quotaMultiplier?: string | null | undefined;
  quotaOverrides?: readonly { payeeId: string; quotaMinor: number }[] | undefined;
  /** Periods of a year: months (default: the cadence of the runs, else months) or quarters. */
  cadence?: 'month' | 'quarter' | undefined;
  top?: number | undefined;
}

export interface WhatIfPayee {
  payeeId: string;
  name: string;
  baselineMinor: number;
  scenarioMinor: number;
  deltaMinor: number;
  revenueMinor: number;
}

export interface WhatIfSide {
  costMinor: number;
  /** cost ÷ revenue, 4 decimals; null without revenue. */
  costShareOfRevenue: string | null;
  distribution: { payees: number; minMinor: number; p25Minor: number; medianMinor: number; p75Minor: number; maxMinor: number };
}

export interface WhatIfPeriod {
  key: string;
  /** actual: the assignments in force then; projected: nobody was on the plan then, so today's payees of the plan are. */
  assignments: 'actual' | 'projected';
  payees: number;
  revenueMinor: number;
  baselineCostMinor: number;
  scenarioCostMinor: number;
}

export interface WhatIfOutcome {
  period: { key: string; start: string; end: string };
  currency: string;
  baseline: WhatIfSide & { label: string };
  scenario: WhatIfSide & { label: string };
  revenueMinor: number;
  deltaMinor: number;
  histogram: { fromMinor: number; toMinor: number; baseline: number; scenario: number }[];
  payees: WhatIfPayee[];
  winners: WhatIfPayee[];
  losers: WhatIfPayee[];
  periods: WhatIfPeriod[];
  warnings: { code: string; path: string; message: string }[];
}

/** A stored or draft plan applied to a whole simulated period, whatever its effective dates. */
const asSimulated = (plan: CompPlan, id: string): CompPlan => ({ ...plan, id, effectiveFrom: '0001-01-01', effectiveTo: null });

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
const share = (cost: number, revenue: number): string | null => {
  if (revenue === 0) return null;
  // Half away from zero at 4 decimals, exact in bigint.
  const scaled = (BigInt(cost) * 20_000n) / BigInt(revenue);
  const rounded = scaled >= 0n ? (scaled + 1n) / 2n : (scaled - 1n) / 2n;
  return decimalOf(rounded);
};
function sideOf(values: readonly number[], cost: number, revenue: number): WhatIfSide {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    costMinor: cost, costShareOfRevenue: share(cost, revenue),
    distribution: { payees: sorted.length, minMinor: sorted[0] ?? 0, p25Minor: percentile(sorted, 25), medianMinor: percentile(sorted, 50), p75Minor: percentile(sorted, 75), maxMinor: sorted[sorted.length - 1] ?? 0 },
  };
}

/** Up to 8 equal buckets on a round step over both sides' per-payee payouts. */
function histogramOf(base: readonly number[], scen: readonly number[]): WhatIfOutcome['histogram'] {
  const all = [...base, ...scen];
  if (all.length === 0) return [];
  const lo = Math.min(0, ...all);
  const hi = Math.max(...all);
  const raw = Math.max(1, (hi - lo) / 8);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const start = Math.floor(lo / step) * step;
  const count = Math.max(1, Math.ceil((hi - start + 1) / step));
  const buckets = Array.from({ length: count }, (_v, i) => ({ fromMinor: Math.round(start + i * step), toMinor: Math.round(start + (i + 1) * step), baseline: 0, scenario: 0 }));
  const at = (v: number) => Math.min(count - 1, Math.floor((v - start) / step));
  for (const v of base) (buckets[at(v)] as { baseline: number }).baseline += 1;
  for (const v of scen) (buckets[at(v)] as { scenario: number }).scenario += 1;
  return buckets;
}

const DECIMAL = /^\d{1,6}(\.\d{1,6})?$/;

/**
 * Simulates a candidate plan (or changed quotas) against the plan as assigned, on a past
 * period's or a whole year's stored data. Reads only; the caller's transaction is read-only.
 */
export async function simulateWhatIf(scope: TenantScope, req: WhatIfRequest): Promise<WhatIfOutcome> {
  const calendar = await calendarOf(scope);
  const parsed = parsePeriod(req.period, calendar, 'body.period');
  if (!parsed.ok || !['month', 'quarter', 'year'].includes(parsed.period.kind)) throw compInvalid([{ path: 'body.period', message: 'a month (2025-07), a quarter (2025-Q3) or a fiscal year (FY2025)' }]);
  const whole = parsed.period;
  const versions = (await listPlanVersions(scope, req.planId)).sort((a, b) => a.version - b.version);
  if (versions.length === 0) throw compInvalid([{ path: 'body.planId', message: `no plan "${req.planId}"` }]);
  const latest = versions[versions.length - 1] as (typeof versions)[number];
  const compiledOf = (version: number, path: string): CompPlan => {
    const found = versions.find((v) => v.version === version);
    if (!found) throw compInvalid([{ path, message: `plan "${req.planId}" has no version ${version}` }]);
    return compilePlan(found.document);
  };
  const fixedBaseline = req.baselineVersion ? asSimulated(compiledOf(req.baselineVersion, 'body.baselineVersion'), '__baseline') : null;
  let candidate: CompPlan | null = null;
  let candidateLabel: string;
  const warnings: WhatIfOutcome['warnings'] = [];
  if (req.candidate?.document !== undefined && req.candidate.document !== null) {
    const result = parseCompPlan(req.candidate.document);
    if (!result.ok) throw compInvalid(result.issues.map((i) => ({ path: `body.candidate.document${i.path ? `.${i.path}` : ''}`, code: i.code, message: i.message })));
    warnings.push(...result.warnings.map((w) => ({ code: w.code, path: `body.candidate.document.${w.path}`, message: w.message })));
    candidate = asSimulated(result.plan, '__candidate');
    candidateLabel = `${result.plan.name} (draft)`;
  } else if (req.candidate?.version) {
    candidate = asSimulated(compiledOf(req.candidate.version, 'body.candidate.version'), '__candidate');
    candidateLabel = `${candidate.name} v${req.candidate.version}`;
  } else {
    candidateLabel = fixedBaseline ? `${fixedBaseline.name} v${fixedBaseline.version}` : 'As assigned';
  }
  const currency = latest.currency;
  if (candidate && candidate.currency !== currency) throw compInvalid([{ path: 'body.candidate.document.currency', message: `the plan pays in ${currency}: a candidate must pay in ${currency} too` }]);
  let multiplier = null;
  if (req.quotaMultiplier) {
    if (!DECIMAL.test(req.quotaMultiplier)) throw compInvalid([{ path: 'body.quotaMultiplier', message: 'a decimal such as 1.1' }]);
    multiplier = parseDecimal(req.quotaMultiplier);
  }
  const overrides = new Map((req.quotaOverrides ?? []).map((o) => [o.payeeId, o.quotaMinor]));

  // A year is simulated run period by run period (tiers, caps and quotas are per period).
  let periods: Period[] = [whole];
  if (whole.kind === 'year') {
    const runs = await listRuns(scope);
    const cadence = req.cadence ?? (runs[0]?.periodKey.includes('-Q') ? 'quarter' : 'month');
    periods = listPeriods(cadence, whole.start, whole.end, calendar);
  }

  // Today's payees of the plan (latest assignment per payee), for periods nobody was on it.
  const allAssignments = await listAssignments(scope);
  const latestByPayee = new Map<string, (typeof allAssignments)[number]>();
  for (const a of allAssignments) {
    const seen = latestByPayee.get(a.payeeId);
    if (!seen || seen.from < a.from) latestByPayee.set(a.payeeId, a);
  }
  const current = [...latestByPayee.values()].filter((a) => a.planId === req.planId);
  const starts = new Map(
    (await scope.tx.query<{ id: string; start_date: string | null; display_name: string }>('SELECT id, to_char(start_date, \'YYYY-MM-DD\') AS start_date, display_name FROM payees WHERE tenant_id = $1', [scope.tenantId]))
      .map((r) => [r.id, r]),
  );

  const totals = new Map<string, WhatIfPayee>();
  const periodRows: WhatIfPeriod[] = [];
  let revenueTotal = 0;
  for (const period of periods) {
    const input = await loadInput(scope, period);
    let assignments: Assignment[] = input.assignments.filter((a) => a.planId === req.planId);
    let mode: WhatIfPeriod['assignments'] = 'actual';
    let quotas: QuotaInput[] = [...(input.quotas ?? [])];
    if (assignments.length === 0) {
      mode = 'projected';
      assignments = current.map((a) => {
        const start = starts.get(a.payeeId)?.start_date;
        return { payeeId: a.payeeId, planId: a.planId, planVersion: a.planVersion, from: start && start > period.start ? start : period.start };
      });
      quotas = await plannedQuotas(scope, period, [...new Set(assignments.map((a) => a.payeeId))].sort());
    }
    const population = new Set(assignments.map((a) => a.payeeId));
    quotas = quotas.filter((q) => population.has(q.payeeId));
    // Stored versions as assigned (projected: open-ended, like the candidate).
    const wanted = new Set(assignments.map((a) => a.planVersion));
    const assignedPlans = [...wanted].map((v) => (mode === 'projected' ? { ...compiledOf(v, 'body.planId'), effectiveFrom: '0001-01-01', effectiveTo: null } : compiledOf(v, 'body.planId')));
    const baseAssignments = fixedBaseline ? assignments.map((a) => ({ ...a, planId: fixedBaseline.id, planVersion: fixedBaseline.version })) : assignments;
    const basePlans = fixedBaseline ? [fixedBaseline] : assignedPlans;
    const scenarioPlan = candidate ?? fixedBaseline;
    const scenarioAssignments = scenarioPlan ? assignments.map((a) => ({ ...a, planId: scenarioPlan.id, planVersion: scenarioPlan.version })) : assignments;
    const scenarioQuotas = quotas.map((q) => {
      const override = overrides.get(q.payeeId);
      if (override !== undefined) return { ...q, quotaMinor: override };
      return multiplier ? { ...q, quotaMinor: roundMinor(mul(fromMinor(q.quotaMinor), multiplier)) } : q;
    });
    for (const [payeeId, quotaMinor] of overrides) if (population.has(payeeId) && !quotas.some((q) => q.payeeId === payeeId)) scenarioQuotas.push({ payeeId, periodKey: period.key, quotaMinor });
    // Credits from every deal (a manager's roll-up needs the team's); revenue from the population's own deals.
    const credits = creditRecords(input.records ?? [], input.crediting ?? {}).credits;
    const records: CompRecord[] = (input.records ?? []).filter((r) => population.has(r.ownerId) && r.currency === currency);
    const result = comparePlans({
      input: { ...input, plans: basePlans, assignments: baseAssignments, quotas, credits, records, adjustments: [], drawBalances: [], explain: false },
      scenario: { plans: scenarioPlan ? [scenarioPlan] : basePlans, assignments: scenarioAssignments, quotas: scenarioQuotas },
      top: 0,
    });
    const revenue = records.reduce((sum, r) => sum + r.amountMinor, 0);
    revenueTotal += revenue;
    const revenueBy = new Map<string, number>();
    for (const r of records) revenueBy.set(r.ownerId, (revenueBy.get(r.ownerId) ?? 0) + r.amountMinor);
    let baseCost = 0;
    let scenCost = 0;
    for (const p of result.payees) {
      if (p.currency !== currency && p.currency !== '') continue;
      const t = totals.get(p.payeeId) ?? { payeeId: p.payeeId, name: starts.get(p.payeeId)?.display_name ?? p.payeeId, baselineMinor: 0, scenarioMinor: 0, deltaMinor: 0, revenueMinor: 0 };
      t.baselineMinor += p.baselineMinor;
      t.scenarioMinor += p.scenarioMinor;
      t.deltaMinor += p.deltaMinor;
      t.revenueMinor += revenueBy.get(p.payeeId) ?? 0;
      totals.set(p.payeeId, t);
      baseCost += p.baselineMinor;
      scenCost += p.scenarioMinor;
    }
    for (const issue of [...result.baselineRun.issues, ...result.scenarioRun.issues]) {
      if (warnings.length < 20 && !warnings.some((w) => w.code === issue.code)) warnings.push({ code: issue.code, path: issue.path, message: issue.message });
    }
    periodRows.push({ key: period.key, assignments: mode, payees: population.size, revenueMinor: revenue, baselineCostMinor: baseCost, scenarioCostMinor: scenCost });
  }
  const payees = [...totals.values()].sort((a, b) => a.name.localeCompare(b.name) || (a.payeeId < b.payeeId ? -1 : 1));
  const top = req.top ?? 5;
  const byDelta = (sign: 1 | -1) => (x: WhatIfPayee, y: WhatIfPayee) => (y.deltaMinor - x.deltaMinor) * sign || (x.payeeId < y.payeeId ? -1 : 1);
  const baseCost = payees.reduce((s, p) => s + p.baselineMinor, 0);
  const scenCost = payees.reduce((s, p) => s + p.scenarioMinor, 0);
  const baselineLabel = fixedBaseline ? `${fixedBaseline.name} v${fixedBaseline.version}` : 'As assigned';
  return {
    period: { key: whole.key, start: whole.start, end: whole.end },
    currency,
    baseline: { label: baselineLabel, ...sideOf(payees.map((p) => p.baselineMinor), baseCost, revenueTotal) },
    scenario: { label: candidateLabel, ...sideOf(payees.map((p) => p.scenarioMinor), scenCost, revenueTotal) },
    revenueMinor: revenueTotal,
    deltaMinor: scenCost - baseCost,
    histogram: histogramOf(payees.map((p) => p.baselineMinor), payees.map((p) => p.scenarioMinor)),
    payees,
    winners: payees.filter((p) => p.deltaMinor > 0).sort(byDelta(1)).slice(0, top),
    losers: payees.filter((p) => p.deltaMinor < 0).sort(byDelta(-1)).slice(0, top),
    periods: periodRows,
    warnings,
  };
}

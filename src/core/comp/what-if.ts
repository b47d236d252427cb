/**
 * What-if: the same period's data under a scenario (other plan versions, remapped
 * assignments, changed quotas) side by side with the baseline. Nothing is saved; both
 * sides are plain `calculatePayouts` runs, so they are exactly what a real run would pay.
 * Cost is earnings (before draws and adjustments); cost share = cost ÷ revenue of the period.
 * The runs skip explanations unless `explain: true` (a simulation is read as totals).
 */
import { formatRational, rational } from '../metrics/rational.js';
import { calculatePayoutsSharing, SharedRunWork } from './calculate.js';
import type { CompPlan } from './plan.js';
import type { Assignment, CalculationInput, PayeePayout, PayoutResult, QuotaInput } from './payout-types.js';

export interface Scenario {
  /** Plans available to the scenario (default: the baseline's). */
  plans?: readonly CompPlan[];
  /** Replaces the baseline's assignments … */
  assignments?: readonly Assignment[];
  /** … or rewrites them: every assignment to `from` goes to `to`. */
  remap?: readonly { from: { planId: string; planVersion: number }; to: { planId: string; planVersion: number } }[];
  quotas?: readonly QuotaInput[];
}

export interface Distribution {
  payees: number;
  minMinor: number;
  p25Minor: number;
  medianMinor: number;
  p75Minor: number;
  maxMinor: number;
}

export interface SideSummary {
  currency: string;
  costMinor: number;
  payoutMinor: number;
  revenueMinor: number;
  /** cost ÷ revenue, 4 decimals; null without revenue. */
  costShareOfRevenue: string | null;
  distribution: Distribution;
}

export interface PayeeDelta {
  payeeId: string;
  currency: string;
  baselineMinor: number;
  scenarioMinor: number;
  deltaMinor: number;
}

export interface WhatIfResult {
  baseline: SideSummary[];
  scenario: SideSummary[];
  payees: PayeeDelta[];
  winners: PayeeDelta[];
  losers: PayeeDelta[];
  baselineRun: PayoutResult;
  scenarioRun: PayoutResult;
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: Float64Array, p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

/** The earnings of a currency's payees, in ascending order (a typed array sorts numbers natively). */
function earningsOf(payees: PayoutResult['payees'], currency: string): Float64Array {
  const values: number[] = [];
  for (const p of payees) if (p.currency === currency) values.push(p.earningsMinor);
  return Float64Array.from(values).sort();
}

function summarise(run: PayoutResult): SideSummary[] {
  return run.totals.map((t) => {
    const values = earningsOf(run.payees, t.currency);
    return {
      currency: t.currency,
      costMinor: t.earningsMinor,
      payoutMinor: t.totalMinor,
      revenueMinor: t.revenueMinor,
      costShareOfRevenue: t.revenueMinor === 0 ? null : formatRational(rational(BigInt(t.earningsMinor), BigInt(t.revenueMinor)), 4),
      distribution: { payees: values.length, minMinor: values[0] ?? 0, p25Minor: percentile(values, 25), medianMinor: percentile(values, 50), p75Minor: percentile(values, 75), maxMinor: values[values.length - 1] ?? 0 },
    };
  });
}

/**
 * @example comparePlans({ input, scenario: { plans: [planV1, planV2], remap: [{ from: { planId: 'ae', planVersion: 1 }, to: { planId: 'ae', planVersion: 2 } }] } })
 *   // { baseline: [{ currency: 'EUR', costMinor: …, costShareOfRevenue: '0.061' }], scenario: […], winners: […], losers: […] }
 */
export function comparePlans(args: { input: CalculationInput; scenario: Scenario; top?: number; explain?: boolean }): WhatIfResult {
  const { input, scenario } = args;
  const top = args.top ?? 10;
  const remapped = (scenario.assignments ?? input.assignments).map((a) => {
    const rule = scenario.remap?.find((r) => r.from.planId === a.planId && r.from.planVersion === a.planVersion);
    return rule ? { ...a, planId: rule.to.planId, planVersion: rule.to.planVersion } : a;
  });
  const explain = args.explain ?? false;
  // The two runs read the same records and credits: crediting and aggregating them once is enough.
  const shared = new SharedRunWork();
  const baselineRun = calculatePayoutsSharing({ ...input, explain }, shared);
  const scenarioRun = calculatePayoutsSharing({ ...input, explain, plans: scenario.plans ?? input.plans, assignments: remapped, quotas: scenario.quotas ?? input.quotas ?? [] }, shared);
  // Both runs list their payees by id, each once: merge them, in id order.
  const payees: PayeeDelta[] = [];
  const before = baselineRun.payees;
  const after = scenarioRun.payees;
  for (let i = 0, j = 0; i < before.length || j < after.length;) {
    const x = before[i];
    const y = after[j];
    const payeeId = x && (!y || x.payeeId <= y.payeeId) ? x.payeeId : (y as PayeePayout).payeeId;
    const b = x?.payeeId === payeeId ? before[i++] : undefined;
    const a = y?.payeeId === payeeId ? after[j++] : undefined;
    const baselineMinor = b?.earningsMinor ?? 0;
    const scenarioMinor = a?.earningsMinor ?? 0;
    payees.push({ payeeId, currency: (a ?? b)?.currency ?? '', baselineMinor, scenarioMinor, deltaMinor: scenarioMinor - baselineMinor });
  }
  const byDelta = (sign: 1 | -1) => (x: PayeeDelta, y: PayeeDelta) => (y.deltaMinor - x.deltaMinor) * sign || (x.payeeId < y.payeeId ? -1 : 1);
  return {
    baseline: summarise(baselineRun),
    scenario: summarise(scenarioRun),
    payees,
    winners: payees.filter((p) => p.deltaMinor > 0).sort(byDelta(1)).slice(0, top),
    losers: payees.filter((p) => p.deltaMinor < 0).sort(byDelta(-1)).slice(0, top),
    baselineRun,
    scenarioRun,
  };
}

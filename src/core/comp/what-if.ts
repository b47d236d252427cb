/**
 * What-if: the same period's data under a scenario (other plan versions, remapped
 * assignments, changed quotas) side by side with the baseline. Nothing is saved; both
 * sides are plain `calculatePayouts` runs, so they are exactly what a real run would pay.
 * Cost is earnings (before draws and adjustments); cost share = cost ÷ revenue of the period.
 * The runs skip explanations unless `explain: true` (a simulation is read as totals).
 */
import { formatRational, rational } from '../metrics/rational.js';
import { calculatePayouts } from './calculate.js';
import type { CompPlan } from './plan.js';
import type { Assignment, CalculationInput, PayoutResult, QuotaInput } from './payout-types.js';

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
const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

function summarise(run: PayoutResult): SideSummary[] {
  return run.totals.map((t) => {
    const values = run.payees.filter((p) => p.currency === t.currency).map((p) => p.earningsMinor).sort((a, b) => a - b);
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
  const baselineRun = calculatePayouts({ ...input, explain });
  const scenarioRun = calculatePayouts({ ...input, explain, plans: scenario.plans ?? input.plans, assignments: remapped, quotas: scenario.quotas ?? input.quotas ?? [] });
  const before = new Map(baselineRun.payees.map((p) => [p.payeeId, p]));
  const after = new Map(scenarioRun.payees.map((p) => [p.payeeId, p]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  const payees: PayeeDelta[] = ids.map((payeeId) => {
    const b = before.get(payeeId);
    const a = after.get(payeeId);
    const baselineMinor = b?.earningsMinor ?? 0;
    const scenarioMinor = a?.earningsMinor ?? 0;
    return { payeeId, currency: (a ?? b)?.currency ?? '', baselineMinor, scenarioMinor, deltaMinor: scenarioMinor - baselineMinor };
  });
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

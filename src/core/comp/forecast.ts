/**
 * Forecasted payout: what a payee would earn if open pipeline deals close in the period.
 *
 * - per deal: the marginal effect of that deal alone = earnings(closed + deal) − earnings(closed),
 *   so tiers count (a deal that crosses into an accelerator is worth more than its rate);
 *   weighted = probability × marginal, rounded half away from zero;
 * - best case: earnings with every open deal closed − earnings now;
 * - stage-weighted: earnings with every open deal closed at probability × amount (rounded
 *   to minor units) − earnings now.
 * Earnings are before draws and adjustments (see PayeePayout.earningsMinor). A deal whose
 * expected close date is outside the period adds nothing (`closesInPeriod: false`).
 */
import { epochDay } from '../period.js';
import { calculatePayouts } from './calculate.js';
import { creditRecords, type CompRecord, type Credit } from './crediting.js';
import { fromMinor, mul, parseDecimal, roundMinor, type Rational } from './money.js';
import type { CalculationInput, PayeePayout } from './payout-types.js';

export interface OpenDeal extends CompRecord {
  /** Expected close date in `date`; the stage's win probability, 0–1 (or use stageProbabilities). */
  probability?: string;
  stage?: string;
}

export interface DealForecast {
  recordId: string;
  stage: string | null;
  probability: string;
  amountMinor: number;
  closesInPeriod: boolean;
  marginalMinor: number;
  weightedMinor: number;
}

export interface PayoutForecast {
  payeeId: string;
  currency: string | null;
  earnedMinor: number;
  bestCaseMinor: number;
  stageWeightedMinor: number;
  deals: DealForecast[];
  attainment: string | null;
}

/**
 * @example forecastPayout({ input, payeeId: 'ann', pipeline: [{ ...makeDeal({ id: 'o1', amountMinor: 5_000_000 }), stage: 'negotiation' }], stageProbabilities: { negotiation: '0.6' } })
 *   // { earnedMinor: 660000, bestCaseMinor: 400000, stageWeightedMinor: 240000, deals: [{ recordId: 'o1', marginalMinor: 400000, weightedMinor: 240000, … }] }
 */
export function forecastPayout(args: { input: CalculationInput; payeeId: string; pipeline: readonly OpenDeal[]; stageProbabilities?: Readonly<Record<string, string>> }): PayoutForecast {
  const { input, payeeId } = args;
  const base = input.credits ?? creditRecords(input.records ?? [], input.crediting ?? {}).credits;
  const mine = base.filter((c) => c.payeeId === payeeId);
  const one = { ...input, explain: false, assignments: input.assignments.filter((a) => a.payeeId === payeeId), credits: mine, records: [] };
  const run = (extra: readonly Credit[]): PayeePayout | undefined => calculatePayouts({ ...one, credits: [...mine, ...extra] }).payees.find((p) => p.payeeId === payeeId);
  const now = run([]);
  const earned = now?.earningsMinor ?? 0;
  const probabilityText = (deal: OpenDeal): string => deal.probability ?? (deal.stage === undefined ? undefined : args.stageProbabilities?.[deal.stage]) ?? '0';
  const probabilityOf = (deal: OpenDeal): Rational => {
    const text = probabilityText(deal);
    const p = parseDecimal(text);
    if (p === null || p.num < 0n || p.num > p.den) throw new Error(`deal ${deal.id}: probability "${text}" is not a decimal between 0 and 1`);
    return p;
  };
  const creditsOf = (deals: readonly CompRecord[]): Credit[] => creditRecords(deals, input.crediting ?? {}).credits.filter((c) => c.payeeId === payeeId);
  const start = epochDay(input.period.start);
  const end = epochDay(input.period.end);
  const sorted = [...args.pipeline].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const deals = sorted.map((deal): DealForecast => {
    const p = probabilityOf(deal);
    const day = epochDay(deal.date);
    const marginal = (run(creditsOf([deal]))?.earningsMinor ?? earned) - earned;
    return {
      recordId: deal.id, stage: deal.stage ?? null, probability: probabilityText(deal),
      amountMinor: deal.amountMinor, closesInPeriod: day >= start && day < end, marginalMinor: marginal, weightedMinor: roundMinor(mul(fromMinor(marginal), p)),
    };
  });
  const best = run(creditsOf(sorted))?.earningsMinor ?? earned;
  const weightedDeals = sorted.map((d) => ({ ...d, amountMinor: roundMinor(mul(fromMinor(d.amountMinor), probabilityOf(d))) }));
  const weighted = run(creditsOf(weightedDeals))?.earningsMinor ?? earned;
  return { payeeId, currency: now?.currency ?? null, earnedMinor: earned, bestCaseMinor: best - earned, stageWeightedMinor: weighted - earned, deals, attainment: now?.attainment ?? null };
}

// The preview's arithmetic: a sample payee run through the real engine (calculatePayouts) in
// the browser, and every tiered rate table priced in all three tier modes (core/comp/preview.ts).
import { calculatePayouts, selectCredits } from '../../../../core/comp/calculate';
import type { Credit, CompRecord } from '../../../../core/comp/crediting';
import { fromMinor, mul, ONE, parseDecimal, parseMajor, rational, ZERO, type Rational } from '../../../../core/comp/money';
import type { PayeePayout } from '../../../../core/comp/payout-types';
import type { CompiledRateTable, CompIssue, CompPlan, CreditKind, TierMode } from '../../../../core/comp/plan';
import { compareTierModes, tierModeCurve, type CurvePoint, type ModePricing } from '../../../../core/comp/preview';
import { addDays, CALENDAR_YEAR, epochDay, listPeriods, periodContaining, type Period } from '../../../../core/period';
import { uid } from './draft';

export const SAMPLE_PAYEE = 'sample';

export interface SampleDeal {
  uid: string;
  /** Major units of the plan's currency, as typed. */
  amount: string;
  kind: CreditKind;
  /** Record fields for filters: `product=X, region=EMEA`. */
  fields: string;
}

export interface SampleInput {
  periodKind: 'month' | 'quarter';
  /** Index into the periods from the plan's effective date; null: the first period the plan covers whole. */
  periodIndex: number | null;
  /** Quota for the period, major units. */
  quota: string;
  mode: 'deals' | 'attainment';
  attainmentPercent: number;
  deals: SampleDeal[];
  /** Metric values by key: major units (money metrics) or units (quantity metrics). */
  metrics: Record<string, string>;
  scores: Record<string, { score: string; aspirational: boolean }>;
}

export const sampleDeal = (amount: string, kind: CreditKind = 'owner', fields = ''): SampleDeal => ({ uid: uid(), amount, kind, fields });

export function defaultSample(): SampleInput {
  return {
    periodKind: 'quarter',
    periodIndex: null,
    quota: '100000',
    mode: 'deals',
    attainmentPercent: 120,
    deals: [sampleDeal('48000'), sampleDeal('36000', 'owner', 'product=X'), sampleDeal('41000', 'split')],
    metrics: {},
    scores: {},
  };
}

/** The periods a preview can run in: a year of them from the plan's effective date. */
export function previewPeriods(plan: { effectiveFrom: string }, kind: 'month' | 'quarter'): Period[] {
  if (epochDay(plan.effectiveFrom) === null) return [];
  return listPeriods(kind, periodContaining(kind, plan.effectiveFrom, CALENDAR_YEAR).start, addDays(plan.effectiveFrom, 365), CALENDAR_YEAR);
}

/** The chosen period, or by default the first one the plan covers from its first day. */
export function previewPeriodIndex(periods: readonly Period[], plan: { effectiveFrom: string }, chosen: number | null): number {
  if (chosen !== null) return Math.max(0, Math.min(chosen, periods.length - 1));
  const whole = periods.findIndex((p) => p.start >= plan.effectiveFrom);
  return whole === -1 ? 0 : whole;
}

function fieldsOf(text: string): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const part of text.split(',')) {
    const [key, ...rest] = part.split('=');
    const k = key?.trim();
    if (!k) continue;
    const v = rest.join('=').trim();
    out[k] = v === 'true' ? true : v === 'false' ? false : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  return out;
}

export interface TierComparison {
  componentIndex: number;
  id: string;
  label: string;
  kind: 'commission' | 'partner';
  table: CompiledRateTable;
  declared: TierMode;
  /** The base priced (minor units, or units of a quantity metric). */
  base: Rational;
  quantity: boolean;
  /** Null: an attainment table without a quota (priced at its first tier). */
  modes: ModePricing[];
  /** Payout against 0–200 % of the reference (the quota, or the sample metric value). */
  curve: CurvePoint[];
  /** What 100 % on the curve is. */
  reference: 'quota' | 'metric';
  /** Where the sample payee sits on the curve (percent). */
  samplePercent: number | null;
}

export interface PreviewResult {
  period: Period;
  quotaMinor: number | null;
  payout: PayeePayout | null;
  issues: CompIssue[];
  comparisons: TierComparison[];
  /** Sample deals whose amount is not an amount in the currency (by uid). */
  badDeals: string[];
}

const toNumber = (r: Rational): number => Number(r.num) / Number(r.den);

/** Runs the plan for the sample payee in the chosen period. Null when there is no period to run. */
export function runPreview(plan: CompPlan, sample: SampleInput): PreviewResult | null {
  const periods = previewPeriods(plan, sample.periodKind);
  const period = periods[previewPeriodIndex(periods, plan, sample.periodIndex)];
  if (!period) return null;
  const quotaMinor = parseMajor(sample.quota.trim() || '0', plan.currency);
  const badDeals: string[] = [];
  // The days of the period the plan covers (the engine prorates quota and amounts by them).
  const periodStart = epochDay(period.start);
  const periodEnd = epochDay(period.end);
  const first = Math.max(periodStart, epochDay(plan.effectiveFrom));
  const last = Math.min(periodEnd, plan.effectiveTo === null ? periodEnd : epochDay(plan.effectiveTo)) - 1;
  const factor = rational(BigInt(Math.max(0, last + 1 - first)), BigInt(periodEnd - periodStart));
  const deals: { amountMinor: number; kind: CreditKind; fields: Record<string, string | number | boolean> }[] =
    sample.mode === 'attainment'
      ? [{ amountMinor: Math.round(((quotaMinor ?? 0) * sample.attainmentPercent) / 100), kind: 'owner', fields: {} }]
      : sample.deals.flatMap((d) => {
          const amountMinor = parseMajor(d.amount.trim(), plan.currency);
          if (amountMinor === null) {
            badDeals.push(d.uid);
            return [];
          }
          return [{ amountMinor, kind: d.kind, fields: fieldsOf(d.fields) }];
        });
  // Sample deals are dated one a day from the first day the plan covers (a SPIFF window can then be tried).
  const credits: Credit[] = deals.map((d, i) => {
    const day = Math.max(first, Math.min(first + i, last));
    const record: CompRecord = { id: `sample-${i + 1}`, amountMinor: d.amountMinor, currency: plan.currency, ownerId: SAMPLE_PAYEE, date: addDays(period.start, day - periodStart), fields: d.fields };
    return { recordId: record.id, payeeId: SAMPLE_PAYEE, kind: d.kind, amountMinor: d.amountMinor, percent: '100', day, record };
  });
  const metricValue = (key: string, unit: 'money' | 'quantity'): string | null => {
    const typed = (sample.metrics[key] ?? '').trim();
    if (typed === '') return null;
    if (unit === 'quantity') return parseDecimal(typed) === null ? null : typed;
    const minor = parseMajor(typed, plan.currency);
    return minor === null ? null : String(minor);
  };
  const metricValues = plan.components.flatMap((c) => {
    if ((c.kind !== 'commission' && c.kind !== 'partner') || c.base.kind !== 'metric') return [];
    const value = metricValue(c.base.metric, c.base.unit);
    return value === null ? [] : [{ payeeId: SAMPLE_PAYEE, metric: c.base.metric, value }];
  });
  const scores = Object.entries(sample.scores).flatMap(([key, s]) =>
    parseDecimal(s.score.trim()) === null ? [] : [{ payeeId: SAMPLE_PAYEE, key, score: s.score.trim(), commitment: s.aspirational ? ('aspirational' as const) : ('committed' as const) }],
  );
  const result = calculatePayouts({
    period,
    plans: [plan],
    assignments: [{ payeeId: SAMPLE_PAYEE, planId: plan.id, planVersion: plan.version, from: plan.effectiveFrom, to: plan.effectiveTo }],
    quotas: quotaMinor === null || quotaMinor === 0 ? [] : [{ payeeId: SAMPLE_PAYEE, periodKey: period.key, quotaMinor }],
    credits,
    metricValues,
    scores,
  });
  const payout = result.payees.find((p) => p.payeeId === SAMPLE_PAYEE) ?? null;
  const quota = quotaMinor === null || quotaMinor === 0 ? null : quotaMinor;

  const comparisons: TierComparison[] = [];
  plan.components.forEach((c, componentIndex) => {
    if ((c.kind !== 'commission' && c.kind !== 'partner') || c.rates.basis === 'flat') return;
    const quantity = c.base.kind === 'metric' && c.base.unit === 'quantity';
    let base: Rational;
    let reference: 'quota' | 'metric' = 'quota';
    // 100 % on the curve: the quota prorated to the days covered, or the sample metric value.
    let referenceBase: Rational | null = quota === null ? null : mul(fromMinor(quota), factor);
    if (c.base.kind === 'credits') {
      base = fromMinor(selectCredits(c.base.selector, credits).reduce((a, x) => a + x.amountMinor, 0));
    } else {
      const value = metricValues.find((m) => m.metric === (c.base.kind === 'metric' ? c.base.metric : ''))?.value;
      base = (value === undefined ? null : parseDecimal(value)) ?? ZERO;
      reference = 'metric';
      referenceBase = base.num > 0n ? base : ONE;
    }
    const unit = c.rates.basis === 'attainment' ? (quota === null ? null : mul(fromMinor(quota), factor)) : plan.prorateAmounts ? factor : ONE;
    const curve = referenceBase === null || factor.num === 0n ? [] : tierModeCurve({ table: c.rates, quotaMinor: quota ?? 0, reference: referenceBase, unit, stepPercent: 1 });
    const samplePercent = referenceBase === null || referenceBase.num === 0n ? null : (toNumber(base) / toNumber(referenceBase)) * 100;
    comparisons.push({
      componentIndex, id: c.id, label: c.label, kind: c.kind, table: c.rates, declared: c.rates.mode, base, quantity,
      modes: compareTierModes({ table: c.rates, base, unit }), curve, reference, samplePercent,
    });
  });
  return { period, quotaMinor: quota, payout, issues: result.issues, comparisons, badDeals };
}

/**
 * Plan editor preview: one rate table priced in each tier mode, side by side, and the payout
 * curve of each mode over attainment. Nothing new in the arithmetic: every number comes from
 * `priceBase` (rate-table.ts) with the table's mode swapped, so the preview cannot disagree
 * with the engine. Amounts are before threshold, cap and floor (those do not depend on the mode).
 */
import { fromMinor, mul, rational, roundMinor, ONE, type Rational } from './money.js';
import type { CompiledRateTable, TierMode } from './plan.js';
import { TIER_MODES } from './plan-document.js';
import { priceBase, type Pricing } from './rate-table.js';

export interface ModePricing {
  mode: TierMode;
  /** The engine's pricing in this mode: exact amount, bands (the per-band arithmetic), tier reached. */
  pricing: Pricing;
  /** The exact amount rounded once (half away from zero), minor units. */
  amountMinor: number;
}

/**
 * The unit tier bounds scale by: the quota for attainment tables (null without a quota),
 * otherwise 1 (amounts as written; the preview prices whole periods).
 */
export function tierUnit(table: CompiledRateTable, quotaMinor: number | null): Rational | null {
  if (table.basis !== 'attainment') return ONE;
  return quotaMinor === null || quotaMinor === 0 ? null : fromMinor(quotaMinor);
}

/**
 * Prices a base through a rate table in a chosen tier mode (the table's own mode ignored).
 * @example priceInMode({ table, mode: 'retroactive', base: rational(25_000_000n), unit: ONE }).amount // 2500000 (25,000.00)
 */
export function priceInMode(args: { table: CompiledRateTable; mode: TierMode; base: Rational; unit: Rational | null }): Pricing {
  return priceBase({ ...args.table, mode: args.mode }, args.base, args.unit);
}

/**
 * The same base priced in all three tier modes, in the order marginal, retroactive, highest_rate.
 * @example compareTierModes({ table, base: rational(25_000_000n), unit: ONE }).map((m) => m.amountMinor)
 *   // tiers 0 → 5 %, 100,000 → 8 %, 200,000 → 10 % by amount, base 250,000.00: [1800000, 2500000, 2500000]
 */
export function compareTierModes(args: { table: CompiledRateTable; base: Rational; unit: Rational | null }): ModePricing[] {
  return TIER_MODES.map((mode) => {
    const pricing = priceInMode({ ...args, mode });
    return { mode, pricing, amountMinor: roundMinor(pricing.amount) };
  });
}

export interface CurvePoint {
  /** Attainment in whole percent (0, 5, … 200). */
  percent: number;
  /** The base at that attainment (quota × percent ÷ 100), minor units, exact. */
  base: Rational;
  /** Payout per mode, minor units (rounded once). */
  amounts: Record<TierMode, number>;
}

/**
 * Payout of a rate table against attainment from 0 to `maxPercent` (default 200) in `stepPercent`
 * steps (default 5), in every tier mode. The base at p % is p % of the reference (default the
 * quota); `unit` scales the tier bounds (default `tierUnit(table, quotaMinor)`; pass the prorated
 * quota or the proration factor for a partial period).
 * @example tierModeCurve({ table, quotaMinor: 10_000_000 })[24].amounts // at 120 %: { marginal: …, retroactive: …, highest_rate: … }
 */
export function tierModeCurve(args: { table: CompiledRateTable; quotaMinor: number; reference?: Rational; unit?: Rational | null; maxPercent?: number; stepPercent?: number }): CurvePoint[] {
  const max = args.maxPercent ?? 200;
  const step = args.stepPercent ?? 5;
  if (!(step > 0) || !Number.isInteger(max) || !Number.isInteger(step)) throw new Error('tierModeCurve needs integer percent steps > 0');
  const unit = args.unit === undefined ? tierUnit(args.table, args.quotaMinor) : args.unit;
  const reference = args.reference ?? fromMinor(args.quotaMinor);
  const points: CurvePoint[] = [];
  for (let percent = 0; percent <= max; percent += step) {
    const base = mul(reference, rational(BigInt(percent), 100n));
    const amounts = {} as Record<TierMode, number>;
    for (const mode of TIER_MODES) amounts[mode] = roundMinor(priceInMode({ table: args.table, mode, base, unit }).amount);
    points.push({ percent, base, amounts });
  }
  return points;
}

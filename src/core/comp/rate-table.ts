/**
 * Prices a base through a rate table: the arithmetic of commission tiers, exact.
 *
 * Tier i covers base values from bound(i) to bound(i+1) (the last one is open). Bounds are
 * the tiers' `from` times the quota (basis attainment), times the proration factor (basis
 * amount, when the plan prorates amounts) or as written. Modes:
 * - marginal:     Σ rate(i) × (min(base, bound(i+1)) − bound(i)) over the bands the base reaches;
 * - retroactive:  base × rate of the tier the base ends in;
 * - highest_rate: base × the highest rate of all tiers reached (differs from retroactive
 *                 only when a later tier pays less, e.g. a decelerator above a cap level).
 * A base ≤ 0 (returns, credit notes) is priced at the first tier's rate.
 */
import { add, compare, maxR, minR, mul, sub, ZERO, type Rational } from './money.js';
import type { CompiledRateTable } from './plan.js';

export interface PricedBand {
  tierIndex: number;
  label: string;
  /** Lower and upper bound in base units (upper null = open). */
  lower: Rational;
  upper: Rational | null;
  /** The slice of the base priced in this band. */
  slice: Rational;
  rate: Rational;
  amount: Rational;
}

export interface Pricing {
  /** Exact amount (minor units), before threshold, cap and floor. */
  amount: Rational;
  /** The tier the base ends in. */
  tierIndex: number;
  /** The rate that priced the whole base (retroactive, highest_rate, flat) or the last band's rate (marginal). */
  rate: Rational;
  bands: PricedBand[];
  /** The next tier's lower bound and rate, when there is one. */
  next: { tierIndex: number; lower: Rational; rate: Rational } | null;
}

/**
 * Tier bounds in base units. `unit` is the quota for attainment tables (null when there is
 * none: then only the first tier applies), else the proration factor (1 for whole periods).
 */
export function tierBounds(table: CompiledRateTable, unit: Rational | null): Rational[] {
  return table.tiers.map((t, i) => (i === 0 ? ZERO : unit === null ? null : mul(t.from, unit))).filter((b): b is Rational => b !== null);
}

/**
 * @example priceBase(marginalTable, rational(12_000_000n), ONE).amount // tiers 0 → 5 %, 100,000.00 → 8 % by amount: 660000 (6,600.00 EUR)
 */
export function priceBase(table: CompiledRateTable, base: Rational, unit: Rational | null): Pricing {
  const bounds = tierBounds(table, unit);
  let tierIndex = 0;
  for (let i = 1; i < bounds.length; i += 1) if (compare(base, bounds[i] as Rational) >= 0) tierIndex = i;
  const tier = (i: number) => table.tiers[i] ?? (() => { throw new Error(`no tier ${i}`); })();
  const nextBound = bounds[tierIndex + 1];
  const next = nextBound === undefined ? null : { tierIndex: tierIndex + 1, lower: nextBound, rate: tier(tierIndex + 1).rate };
  const band = (i: number, slice: Rational, rate: Rational): PricedBand => ({
    tierIndex: i,
    label: tier(i).label,
    lower: bounds[i] as Rational,
    upper: bounds[i + 1] ?? null,
    slice,
    rate,
    amount: mul(slice, rate),
  });
  if (base.num <= 0n) {
    const rate = tier(0).rate;
    return { amount: mul(base, rate), tierIndex: 0, rate, bands: [band(0, base, rate)], next };
  }
  switch (table.mode) {
    case 'marginal': {
      const bands: PricedBand[] = [];
      let amount = ZERO;
      for (let i = 0; i <= tierIndex; i += 1) {
        const lower = bounds[i] as Rational;
        const upper = bounds[i + 1];
        const slice = sub(upper === undefined ? base : minR(base, upper), lower);
        const b = band(i, maxR(slice, ZERO), tier(i).rate);
        bands.push(b);
        amount = add(amount, b.amount);
      }
      return { amount, tierIndex, rate: tier(tierIndex).rate, bands, next };
    }
    case 'retroactive': {
      const rate = tier(tierIndex).rate;
      return { amount: mul(base, rate), tierIndex, rate, bands: [band(tierIndex, base, rate)], next };
    }
    case 'highest_rate': {
      let best = 0;
      for (let i = 1; i <= tierIndex; i += 1) if (compare(tier(i).rate, tier(best).rate) > 0) best = i;
      const rate = tier(best).rate;
      return { amount: mul(base, rate), tierIndex, rate, bands: [band(best, base, rate)], next };
    }
    default: {
      const unreachable: never = table.mode;
      throw new Error(`unknown tier mode ${String(unreachable)}`);
    }
  }
}

/**
 * Rate tables compiled to scaled integers, for the fast path of `explain: false` runs.
 *
 * `priceBase` (rate-table.ts) prices with normalised BigInt rationals: a gcd per operation,
 * some fifteen per line. Here every tier bound is scaled by F = lcm(denominators of the
 * `from`s) and every rate by R = lcm(denominators of the rates), so a whole-period line is
 * a sum of BigInt products over one common denominator F × R, with no gcd and no
 * normalising: the same exact value, hence (rounded by the same rule) the same amount.
 * Only whole-period segments (factor 1, integer quota) take this path; everything else
 * prices through `priceBase`. fast-path.test.ts checks the two agree on random tables.
 * When every scaled value fits a double exactly (exact-number.ts), `priceFastNumber` does the
 * same sums in doubles, with no BigInt at all; it declines (null) otherwise.
 */
import type { Rational } from '../metrics/rational.js';
import { LIMIT, within } from './exact-number.js';
import { formatRate } from './money.js';
import type { CompiledRateTable } from './plan.js';

export interface CompiledTable {
  /** Scale of the bounds (lcm of the `from` denominators) and of the rates. */
  boundScale: bigint;
  rateScale: bigint;
  /** tier.from × boundScale and tier.rate × rateScale, exact integers. */
  fromScaled: readonly bigint[];
  rateScaled: readonly bigint[];
  /** formatRate(rate) per tier: what a line shows as its rate. */
  rateText: readonly string[];
  /** The same scales and values as doubles, when all are within LIMIT (else null: BigInt only). */
  numeric: {
    boundScale: number;
    rateScale: number;
    fromScaled: readonly number[];
    rateScaled: readonly number[];
    maxFrom: number;
    maxRate: number;
  } | null;
}

export interface FastPricing {
  /** The exact amount is amountNum ÷ (boundScale × rateScale) minor units. */
  amountNum: bigint;
  tierIndex: number;
  /** The tier whose rate the line shows (the last band's for marginal, the best for highest_rate). */
  rateIndex: number;
  /** The next tier and how far its bound is: remainingNum ÷ boundScale (base units). */
  next: { tierIndex: number; remainingNum: bigint } | null;
}

const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};
const lcm = (a: bigint, b: bigint): bigint => (a / gcd(a, b)) * b;

const compiled = new WeakMap<CompiledRateTable, CompiledTable>();

export function compileTable(table: CompiledRateTable): CompiledTable {
  let out = compiled.get(table);
  if (out) return out;
  const boundScale = table.tiers.reduce((s, t) => lcm(s, t.from.den), 1n);
  const rateScale = table.tiers.reduce((s, t) => lcm(s, t.rate.den), 1n);
  const fromScaled = table.tiers.map((t) => t.from.num * (boundScale / t.from.den));
  const rateScaled = table.tiers.map((t) => t.rate.num * (rateScale / t.rate.den));
  const big = BigInt(LIMIT);
  const fits = (x: bigint): boolean => x <= big && x >= -big;
  out = {
    boundScale,
    rateScale,
    fromScaled,
    rateScaled,
    rateText: table.tiers.map((t) => formatRate(t.rate)),
    numeric: fits(boundScale) && fits(rateScale) && fromScaled.every(fits) && rateScaled.every(fits)
      ? {
          boundScale: Number(boundScale),
          rateScale: Number(rateScale),
          fromScaled: fromScaled.map(Number),
          rateScaled: rateScaled.map(Number),
          maxFrom: Math.max(...fromScaled.map((x) => Math.abs(Number(x)))),
          maxRate: Math.max(...rateScaled.map((x) => Math.abs(Number(x)))),
        }
      : null,
  };
  compiled.set(table, out);
  return out;
}

/** Tier i's lower bound in scaled base units (i ≥ 1 only with a unit). */
const boundAt = (fromScaled: readonly bigint[], unit: bigint | null, i: number): bigint => (i === 0 ? 0n : (fromScaled[i] as bigint) * (unit as bigint));

/**
 * Prices an integer base like `priceBase(table, base, unit)` with `unit` an integer > 0 (the
 * quota of an attainment table, 1 for amount tables) or null (no quota: the first tier only).
 */
export function priceFast(table: CompiledRateTable, t: CompiledTable, baseMinor: number, unit: bigint | null): FastPricing {
  const { fromScaled, rateScaled } = t;
  const count = unit === null ? 1 : fromScaled.length;
  const base = BigInt(baseMinor) * t.boundScale;
  let tierIndex = 0;
  for (let i = 1; i < count; i += 1) if (base >= boundAt(fromScaled, unit, i)) tierIndex = i;
  const next = tierIndex + 1 < count ? { tierIndex: tierIndex + 1, remainingNum: boundAt(fromScaled, unit, tierIndex + 1) - base } : null;
  if (base <= 0n) return { amountNum: base * (rateScaled[0] as bigint), tierIndex: 0, rateIndex: 0, next };
  switch (table.mode) {
    case 'marginal': {
      let amountNum = 0n;
      for (let i = 0; i <= tierIndex; i += 1) {
        const upper = i + 1 < count ? boundAt(fromScaled, unit, i + 1) : null;
        const slice = (upper === null || base < upper ? base : upper) - boundAt(fromScaled, unit, i);
        if (slice > 0n) amountNum += slice * (rateScaled[i] as bigint);
      }
      return { amountNum, tierIndex, rateIndex: tierIndex, next };
    }
    case 'retroactive':
      return { amountNum: base * (rateScaled[tierIndex] as bigint), tierIndex, rateIndex: tierIndex, next };
    case 'highest_rate': {
      let best = 0;
      for (let i = 1; i <= tierIndex; i += 1) if ((rateScaled[i] as bigint) > (rateScaled[best] as bigint)) best = i;
      return { amountNum: base * (rateScaled[best] as bigint), tierIndex, rateIndex: best, next };
    }
    default: {
      const unreachable: never = table.mode;
      throw new Error(`unknown tier mode ${String(unreachable)}`);
    }
  }
}

const numberBoundAt = (fromScaled: readonly number[], unit: number | null, i: number): number => (i === 0 ? 0 : (fromScaled[i] as number) * (unit as number));

/** What priceFastNumber returns: FastPricing in doubles, `next` flattened (nextTier −1: none). */
export interface NumericPricing {
  amountNum: number;
  tierIndex: number;
  rateIndex: number;
  nextTier: number;
  remainingNum: number;
}

/**
 * priceFast in doubles, or null when a value could leave LIMIT: the bounds (≤ unit × the
 * largest scaled `from`) and the amount (≤ |base| × the largest scaled rate: the bands add up
 * to the base) are checked before any arithmetic.
 */
export function priceFastNumber(table: CompiledRateTable, t: CompiledTable, baseMinor: number, unit: number | null): NumericPricing | null {
  const n = t.numeric;
  if (n === null) return null;
  const base = baseMinor * n.boundScale;
  if (!within(base) || !within(base * n.maxRate) || (unit !== null && !within(unit * n.maxFrom))) return null;
  const { fromScaled, rateScaled } = n;
  const count = unit === null ? 1 : fromScaled.length;
  let tierIndex = 0;
  for (let i = 1; i < count; i += 1) if (base >= numberBoundAt(fromScaled, unit, i)) tierIndex = i;
  const nextTier = tierIndex + 1 < count ? tierIndex + 1 : -1;
  const remainingNum = nextTier < 0 ? 0 : numberBoundAt(fromScaled, unit, nextTier) - base;
  if (base <= 0) return { amountNum: base * (rateScaled[0] as number), tierIndex: 0, rateIndex: 0, nextTier, remainingNum };
  switch (table.mode) {
    case 'marginal': {
      let amountNum = 0;
      for (let i = 0; i <= tierIndex; i += 1) {
        const upper = i + 1 < count ? numberBoundAt(fromScaled, unit, i + 1) : base;
        const slice = (base < upper ? base : upper) - numberBoundAt(fromScaled, unit, i);
        if (slice > 0) amountNum += slice * (rateScaled[i] as number);
      }
      return { amountNum, tierIndex, rateIndex: tierIndex, nextTier, remainingNum };
    }
    case 'retroactive':
      return { amountNum: base * (rateScaled[tierIndex] as number), tierIndex, rateIndex: tierIndex, nextTier, remainingNum };
    case 'highest_rate': {
      let best = 0;
      for (let i = 1; i <= tierIndex; i += 1) if ((rateScaled[i] as number) > (rateScaled[best] as number)) best = i;
      return { amountNum: base * (rateScaled[best] as number), tierIndex, rateIndex: best, nextTier, remainingNum };
    }
    default: {
      const unreachable: never = table.mode;
      throw new Error(`unknown tier mode ${String(unreachable)}`);
    }
  }
}

/** num ÷ den (den > 0) rounded half away from zero: roundMinor without building a rational. */
export function roundScaled(num: bigint, den: bigint): bigint {
  const negative = num < 0n;
  const abs = negative ? -num : num;
  let units = abs / den;
  if ((abs % den) * 2n >= den) units += 1n;
  return negative ? -units : units;
}

/** A fraction as formatRational reads it (its algorithm depends on the value only, not on normalisation). */
export const fraction = (num: bigint, den: bigint): Rational => ({ num, den });

/**
 * Money and exact arithmetic for the payout engine.
 *
 * - Money is a safe integer of minor units (`number`, not `bigint`): every amount passes
 *   `minor()`, which throws outside ±(2^53 − 1). Plain numbers keep the 1M-credit hot loop
 *   fast; anything that multiplies (rates, proration, attribution) runs on exact BigInt
 *   rationals from ../metrics/rational.ts and comes back through one rounding rule.
 * - Rates and percentages are exact decimals written as strings ('0.05', '5%', '12.5').
 * - THE rounding rule: an exact amount is rounded once, at the payout line, half away from
 *   zero to the currency's minor unit (the metric layer's rule; for positive amounts it is
 *   the "half-up" of ARCHITECTURE.md). Allocation (splits, attribution) is by largest
 *   remainder, so the parts always add up to the whole.
 */
import { currencyExponent } from '../data/currency.js';
import { descale, formatRational, parseScaled, rational, type Rational } from '../metrics/rational.js';

export type { Rational } from '../metrics/rational.js';
export { add, div, mul, rational, sub, ZERO } from '../metrics/rational.js';

/** Guards a minor-unit amount: a safe integer, or a bug. */
export function minor(value: number): number {
  if (!Number.isSafeInteger(value)) throw new Error(`not a safe integer amount of minor units: ${value}`);
  return value;
}

/** A bigint amount back to a guarded number. */
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
export function minorFromBigInt(value: bigint): number {
  if (value > MAX_SAFE || value < -MAX_SAFE) throw new Error(`amount outside the safe integer range: ${value}`);
  return Number(value);
}

export const ONE: Rational = rational(1n);
export const fromMinor = (value: number): Rational => rational(BigInt(minor(value)));
export const fromInt = (value: number): Rational => rational(BigInt(value));

export const compare = (a: Rational, b: Rational): number => {
  const d = a.num * b.den - b.num * a.den;
  return d === 0n ? 0 : d > 0n ? 1 : -1;
};
export const minR = (a: Rational, b: Rational): Rational => (compare(a, b) <= 0 ? a : b);
export const maxR = (a: Rational, b: Rational): Rational => (compare(a, b) >= 0 ? a : b);
export const neg = (a: Rational): Rational => rational(-a.num, a.den);
export const isPositive = (a: Rational): boolean => a.num > 0n;

/**
 * Parses an exact decimal: '0.05', '-1.5', or a percentage '5%' (= 0.05). Null when not one.
 * @example parseDecimal('12.5%') // 1/8
 */
export function parseDecimal(text: string): Rational | null {
  const trimmed = text.trim();
  const percent = trimmed.endsWith('%');
  const body = percent ? trimmed.slice(0, -1).trim() : trimmed;
  const decimals = /^-?\d+(?:\.(\d+))?$/.exec(body)?.[1]?.length ?? 0;
  const scaled = parseScaled(body, decimals);
  if (scaled === null) return null;
  return descale(scaled, decimals + (percent ? 2 : 0));
}

/** The minor-unit exponent of a currency (throws for an unknown code: validate first). */
export function exponentOf(currency: string): number {
  const exponent = currencyExponent(currency);
  if (exponent === null) throw new Error(`unknown currency ${currency}`);
  return exponent;
}

/**
 * A money amount written in major units ('1234.5' EUR) as minor units (123450), or null
 * when it is not a decimal or has more decimals than the currency's minor unit.
 */
export function parseMajor(text: string, currency: string): number | null {
  const scaled = parseScaled(text, exponentOf(currency));
  if (scaled === null) return null;
  if (scaled > MAX_SAFE || scaled < -MAX_SAFE) return null;
  return Number(scaled);
}

/**
 * Rounds an exact amount of minor units half away from zero: the one rounding rule.
 * @example roundMinor(rational(5n, 2n)) // 3
 * @example roundMinor(rational(-5n, 2n)) // -3
 */
export function roundMinor(value: Rational): number {
  const negative = value.num < 0n;
  const abs = negative ? -value.num : value.num;
  let units = abs / value.den;
  if ((abs % value.den) * 2n >= value.den) units += 1n;
  return minorFromBigInt(negative ? -units : units);
}

/**
 * Splits `total` minor units in proportion to non-negative integer weights by largest
 * remainder: floors first, then one unit each to the largest remainders (earlier index wins
 * a tie). The parts sum to `total` exactly; a negative total is split as its absolute value.
 * @example allocate(100, [1n, 1n, 1n]) // [34, 33, 33]
 */
export function allocate(total: number, weights: readonly (bigint | number)[]): number[] {
  minor(total);
  let numberSum = 0;
  let allNumbers = true;
  for (const w of weights) {
    if (w < 0) throw new Error('allocation weights must be ≥ 0');
    if (typeof w === 'number') numberSum += w;
    else allNumbers = false;
  }
  if (allNumbers && fitsDoubles(total, numberSum)) return allocateNumbers(total, weights as readonly number[], numberSum);
  // Weights with a common factor (split percentages at 9 decimals: 70e9, 30e9) allocate exactly
  // as the weights divided by it (the same floors, remainders scaled alike): often small enough
  // for doubles again.
  let big = weights.map((w) => BigInt(w));
  let g = 0n;
  for (const w of big) if (g !== 1n) g = gcd(g, w);
  if (g > 1n) big = big.map((w) => w / g);
  let sum = 0n;
  for (const w of big) sum += w;
  if (sum <= MAX_SAFE && fitsDoubles(total, Number(sum))) return allocateNumbers(total, big.map(Number), Number(sum));
  return allocateBigInt(total, big);
}

/** Every product |total| × weight and the weight sum stay exact in a double. */
const fitsDoubles = (total: number, numberSum: number): boolean => Number.isSafeInteger(numberSum) && (numberSum === 0 || Math.abs(total) <= Number.MAX_SAFE_INTEGER / numberSum);

function gcd(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** allocate in doubles: weights ≥ 0 summing to `numberSum`, checked by fitsDoubles. */
function allocateNumbers(total: number, weights: readonly number[], numberSum: number): number[] {
  const n = weights.length;
  if (numberSum === 0) {
    if (total === 0) return new Array<number>(n).fill(0);
    throw new Error('cannot allocate a non-zero amount over zero weights');
  }
  const parts = new Array<number>(n);
  splitInDoubles(total, weights, n, numberSum, parts, new Array<number>(n));
  return parts;
}

/**
 * The largest-remainder split of `total` over the first n weights (summing to `sum`, checked
 * by fitsDoubles) into `parts`, with `remainders` as scratch: floors, one unit each to the
 * largest remainders, then the sign.
 */
function splitInDoubles(total: number, weights: ArrayLike<number>, n: number, sum: number, parts: number[] | Float64Array, remainders: number[] | Float64Array): void {
  const whole = Math.abs(total);
  let given = 0;
  for (let i = 0; i < n; i += 1) {
    const product = whole * (weights[i] as number);
    const floor = Math.floor(product / sum);
    parts[i] = floor;
    remainders[i] = product - floor * sum;
    given += floor;
  }
  giveRemainders(parts, remainders, n, whole - given);
  if (total < 0) for (let i = 0; i < n; i += 1) parts[i] = -(parts[i] as number) || 0;
}

/**
 * allocate on BigInt weights (any size): the reference the double path must equal.
 * @example allocateBigInt(100, [1n, 1n, 1n]) // [34, 33, 33]
 */
export function allocateBigInt(total: number, big: readonly bigint[]): number[] {
  const sum = big.reduce((a, w) => a + w, 0n);
  if (sum === 0n) {
    if (total === 0) return big.map(() => 0);
    throw new Error('cannot allocate a non-zero amount over zero weights');
  }
  const sign = total < 0 ? -1n : 1n;
  const whole = BigInt(Math.abs(total));
  const floors: bigint[] = [];
  const remainders: bigint[] = [];
  let given = 0n;
  for (const w of big) {
    const product = whole * w;
    const floor = product / sum;
    floors.push(floor);
    remainders.push(product % sum);
    given += floor;
  }
  for (const i of largest(Number(whole - given), floors.length, (x, y) => {
    const d = (remainders[x] as bigint) - (remainders[y] as bigint);
    return d === 0n ? 0 : d > 0n ? 1 : -1;
  })) floors[i] = (floors[i] as bigint) + 1n;
  return floors.map((f) => minorFromBigInt(sign * f));
}

/**
 * One unit each to the `left` largest of the first n remainders, the earlier index first on
 * ties: all above the left-th largest value, then that value's earliest holders (n log n, not
 * n × left). The largest-remainder step of both allocate paths.
 */
function giveRemainders(parts: number[] | Float64Array, remainders: ArrayLike<number>, n: number, units: number): void {
  let left = units;
  if (left <= 0) return;
  const threshold = kthLargest(remainders, left, n);
  for (let i = 0; i < n; i += 1) {
    if ((remainders[i] as number) > threshold) {
      parts[i] = (parts[i] as number) + 1;
      left -= 1;
    }
  }
  for (let i = 0; i < n && left > 0; i += 1) {
    if (remainders[i] === threshold) {
      parts[i] = (parts[i] as number) + 1;
      left -= 1;
    }
  }
}

/** A scratch copy for kthLargest (reused: allocation would cost more than the selection). */
let scratch = new Float64Array(256);

/** The k-th largest (1 ≤ k ≤ n) of the first n values: quickselect on a scratch copy, O(n) on average. */
function kthLargest(values: ArrayLike<number>, k: number, n = values.length): number {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, scratch.length * 2));
  const a = scratch;
  for (let i = 0; i < n; i += 1) a[i] = values[i] as number;
  const target = n - k;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    // Hoare partition: afterwards [lo, j] ≤ pivot ≤ [i, hi], and anything between equals the pivot.
    while (i <= j) {
      while ((a[i] as number) < pivot) i += 1;
      while ((a[j] as number) > pivot) j -= 1;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i += 1;
        j -= 1;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target] as number;
  }
  return a[target] as number;
}

/** Remainders of allocateInto (reused across calls: one line's credits at a time). */
let remainderScratch = new Float64Array(256);

/**
 * allocate of `total` over the first n weights (integers ≥ 0, some > 0, summing to `sum`) into
 * `out`, without allocating: the same parts as allocate, bit for bit. False (out untouched)
 * when a product could leave the exact range of doubles: then call allocate.
 */
export function allocateInto(total: number, weights: ArrayLike<number>, n: number, sum: number, out: Float64Array): boolean {
  minor(total);
  if (sum <= 0 || !fitsDoubles(total, sum)) return false;
  if (remainderScratch.length < n) remainderScratch = new Float64Array(Math.max(n, remainderScratch.length * 2));
  splitInDoubles(total, weights, n, sum, out, remainderScratch);
  return true;
}

/** The indices of the `count` largest remainders (earlier index first on ties). */
function largest(count: number, n: number, isGreater: (i: number, j: number) => number): number[] {
  if (count === 0) return [];
  return Array.from({ length: n }, (_, i) => i)
    .sort((i, j) => isGreater(j, i) || i - j)
    .slice(0, count);
}

/**
 * An exact amount of minor units as a major-unit decimal: exact up to the currency's digits
 * plus 4, rounded half away from zero beyond. @example formatMoney(rational(123400n), 'EUR') // '1234.00'
 */
export function formatMoney(value: Rational | number, currency: string): string {
  const exponent = exponentOf(currency);
  // Whole minor units (most amounts) need no division: their digits, the point moved.
  if (typeof value === 'number') return formatWholeMinor(minor(value) < 0, String(Math.abs(value)), exponent);
  if (value.den === 1n) return formatWholeMinor(value.num < 0n, String(value.num < 0n ? -value.num : value.num), exponent);
  const r = value;
  const text = formatRational(rational(r.num, r.den * 10n ** BigInt(exponent)), exponent + 4);
  if (exponent === 0) return text;
  const [whole, fraction = ''] = text.split('.');
  return `${whole}.${fraction.padEnd(exponent, '0')}`;
}

/** formatMoney of a whole number of minor units, from its digits: exactly `exponent` decimals, no sign on zero. */
function formatWholeMinor(negative: boolean, digits: string, exponent: number): string {
  const sign = negative && digits !== '0' ? '-' : '';
  if (exponent === 0) return `${sign}${digits}`;
  const padded = digits.length <= exponent ? digits.padStart(exponent + 1, '0') : digits;
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

/** A rate as a decimal ('0.05') for explanations. */
export const formatRate = (value: Rational): string => formatRational(value, 8);

/** A rate as a percentage ('5 %') for the human-readable text. */
export const formatPercent = (value: Rational): string => `${formatRational(rational(value.num * 100n, value.den), 6)} %`;

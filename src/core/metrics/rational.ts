/**
 * Exact rational numbers over BigInt, and the one rounding rule of the metric layer.
 * Metric values are computed exactly from integer primitives and rounded once, at the end.
 */

export interface Rational {
  readonly num: bigint;
  /** Always positive. */
  readonly den: bigint;
}

/** Digits kept after the decimal point when a value is not an exact integer or decimal. */
export const VALUE_DECIMALS = 4;

const abs = (n: bigint): bigint => (n < 0n ? -n : n);
function gcd(a: bigint, b: bigint): bigint {
  let x = abs(a);
  let y = abs(b);
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function rational(num: bigint, den: bigint = 1n): Rational {
  if (den === 0n) throw new Error('rational with a zero denominator');
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den) || 1n;
  return { num: (sign * num) / g, den: (sign * den) / g };
}

export const ZERO: Rational = rational(0n);
export const add = (a: Rational, b: Rational): Rational => rational(a.num * b.den + b.num * a.den, a.den * b.den);
export const sub = (a: Rational, b: Rational): Rational => rational(a.num * b.den - b.num * a.den, a.den * b.den);
export const mul = (a: Rational, b: Rational): Rational => rational(a.num * b.num, a.den * b.den);
/** a ÷ b, or null when b is zero (a ratio with a zero denominator is undefined, not infinite). */
export const div = (a: Rational, b: Rational): Rational | null => (b.num === 0n ? null : rational(a.num * b.den, a.den * b.num));
export const absRational = (a: Rational): Rational => rational(abs(a.num), a.den);
export const isZero = (a: Rational): boolean => a.num === 0n;

/** A scaled integer as a rational: 1250 at scale 2 → 12.5. */
export const descale = (value: bigint, scale: number): Rational => rational(value, 10n ** BigInt(scale));

/**
 * The decimal string of a rational: exact when it has at most VALUE_DECIMALS decimals,
 * otherwise rounded half away from zero ("kaufmännisch") to VALUE_DECIMALS decimals.
 * Trailing zeros are dropped; zero has no sign.
 * @example formatRational(rational(2n, 3n)) // '0.6667'
 * @example formatRational(rational(-1n, 8n)) // '-0.125'
 * @example formatRational(rational(-1n, 20000n)) // '-0.0001' (−0.00005 rounds away from zero)
 */
export function formatRational(value: Rational, decimals = VALUE_DECIMALS): string {
  const factor = 10n ** BigInt(decimals);
  const negative = value.num < 0n;
  const scaled = abs(value.num) * factor;
  let units = scaled / value.den;
  if ((scaled % value.den) * 2n >= value.den) units += 1n;
  const whole = units / factor;
  let fraction = (units % factor).toString().padStart(decimals, '0').replace(/0+$/, '');
  if (decimals === 0) fraction = '';
  const text = fraction ? `${whole}.${fraction}` : `${whole}`;
  return negative && units !== 0n ? `-${text}` : text;
}

/**
 * Parses a plain decimal string ('-12.5') into a scaled integer at `scale` digits, or null
 * when it has more decimals than the scale keeps or is not a decimal.
 * @example parseScaled('12.5', 2) // 1250n
 */
export function parseScaled(text: string, scale: number): bigint | null {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const fraction = match[3] ?? '';
  if (fraction.replace(/0+$/, '').length > scale) return null;
  const digits = BigInt(`${match[2]}${fraction.padEnd(scale, '0').slice(0, scale)}`);
  return match[1] ? -digits : digits;
}

/** Compares two decimal strings numerically (for sorting values). */
export function compareDecimals(a: string, b: string): number {
  const scale = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const x = parseScaled(a, scale) ?? 0n;
  const y = parseScaled(b, scale) ?? 0n;
  return x < y ? -1 : x > y ? 1 : 0;
}

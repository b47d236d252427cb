/**
 * Exact integer arithmetic in doubles, for the fast path of `explain: false` runs.
 *
 * A double holds every integer up to 2^53 exactly, so sums and products of integers are
 * exact as long as no value passes that. The functions here take integers of magnitude
 * ≤ LIMIT = 2^52 (callers check every intermediate with `within`: a double result ≤ 2^52
 * proves the exact one is, since rounding is monotone and these are integers) and give
 * exactly what the BigInt rationals of rational.ts give. Anything larger takes the BigInt
 * path, which is slower only.
 */

export const LIMIT = 2 ** 52;

/** An integer computed in doubles is exact (and leaves room for one more addition). */
export const within = (x: number): boolean => x <= LIMIT && x >= -LIMIT;

/** num ÷ den (den > 0, both within LIMIT) rounded half away from zero: roundMinor on integers. */
export function roundQuotient(num: number, den: number): number {
  const abs = num < 0 ? -num : num;
  let units = Math.floor(abs / den);
  // The double quotient can land one off an integer: correct on the exact remainder.
  let rest = abs - units * den;
  if (rest < 0) {
    units -= 1;
    rest += den;
  } else if (rest >= den) {
    units += 1;
    rest -= den;
  }
  if (rest * 2 >= den) units += 1;
  return num < 0 && units !== 0 ? -units : units;
}

const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

/**
 * num ÷ den as formatRational writes it (rounded half away from zero to `decimals`, trailing
 * zeros dropped, no sign on zero), or null when num × 10^decimals or den leaves LIMIT.
 * @example formatQuotient(2, 3, 4) // '0.6667'
 */
export function formatQuotient(num: number, den: number, decimals: number): string | null {
  const factor = POW10[decimals];
  if (factor === undefined || den === 0) return null;
  const negative = num < 0 !== den < 0 && num !== 0;
  const scaled = (num < 0 ? -num : num) * factor;
  const absDen = den < 0 ? -den : den;
  if (scaled > LIMIT || absDen > LIMIT) return null;
  const units = roundQuotient(scaled, absDen);
  let text = String(units);
  if (decimals > 0) {
    if (text.length <= decimals) text = text.padStart(decimals + 1, '0');
    const wholeEnd = text.length - decimals;
    let end = text.length;
    while (end > wholeEnd && text.charCodeAt(end - 1) === 48) end -= 1;
    text = end > wholeEnd ? `${text.slice(0, wholeEnd)}.${text.slice(wholeEnd, end)}` : text.slice(0, wholeEnd);
  }
  return negative && units !== 0 ? `-${text}` : text;
}

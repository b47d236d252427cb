/**
 * Largest-remainder allocation (Hamilton's method): split an integer amount of minor units
 * into parts proportional to weights so that the parts add up to the whole, to the cent.
 *
 * Each part first gets the floor of its exact share; the units left over go one each to the
 * parts with the largest fractional remainders (ties: the earlier part). Weights are plain
 * non-negative numbers (history in minor units, ramped months, seasonal shares); the money is
 * integers throughout.
 */

/** Throws unless `value` is an integer minor-unit amount JavaScript represents exactly. */
export function assertMinor(value: number, what = 'amount'): number {
  if (!Number.isSafeInteger(value)) throw new Error(`${what} must be a safe integer of minor units, got ${value}`);
  return value;
}

/**
 * Splits `totalMinor` by `weights`. When every weight is zero the split is equal.
 * @example allocateLargestRemainder(100, [1, 1, 1]) // [34, 33, 33]
 * @example allocateLargestRemainder(-100, [1, 1, 1]) // [-34, -33, -33]
 */
export function allocateLargestRemainder(totalMinor: number, weights: readonly number[]): number[] {
  assertMinor(totalMinor, 'totalMinor');
  const n = weights.length;
  if (n === 0) {
    if (totalMinor !== 0) throw new Error('cannot allocate a non-zero amount to no parts');
    return [];
  }
  let sum = 0;
  for (const w of weights) {
    if (!Number.isFinite(w) || w < 0) throw new Error(`weights must be finite and non-negative, got ${w}`);
    sum += w;
  }
  const sign = totalMinor < 0 ? -1 : 1;
  const total = Math.abs(totalMinor);
  const parts = new Array<number>(n);
  const remainders = new Float64Array(n);
  let allocated = 0;
  for (let i = 0; i < n; i += 1) {
    const exact = sum > 0 ? (total * (weights[i] ?? 0)) / sum : total / n;
    const floor = Math.floor(exact);
    parts[i] = floor;
    remainders[i] = exact - floor;
    allocated += floor;
  }
  let left = total - allocated;
  if (left !== 0) {
    // Floating error can leave the floors one unit over or under in rare cases; the loop
    // below hands out (or takes back) exactly the units needed, so the sum always reconciles.
    const order = Array.from({ length: n }, (_, i) => i);
    if (left > 0) {
      order.sort((a, b) => (remainders[b] ?? 0) - (remainders[a] ?? 0) || a - b);
      for (let k = 0; left > 0; k = (k + 1) % n) {
        const i = order[k] ?? 0;
        // A zero weight gets nothing (sum > 0 guarantees a positive weight to give to).
        if (sum > 0 && (weights[i] ?? 0) === 0) continue;
        parts[i] = (parts[i] ?? 0) + 1;
        left -= 1;
      }
    } else {
      order.sort((a, b) => (remainders[a] ?? 0) - (remainders[b] ?? 0) || b - a);
      for (let k = 0; left < 0; k = (k + 1) % n) {
        const i = order[k] ?? 0;
        if ((parts[i] ?? 0) === 0) continue;
        parts[i] = (parts[i] ?? 0) - 1;
        left += 1;
      }
    }
  }
  return sign < 0 ? parts.map((p) => (p === 0 ? 0 : -p)) : parts;
}

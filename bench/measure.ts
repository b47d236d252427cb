// What the benchmarks share to time things and report them.
import { loadavg } from 'node:os';

/** How long fn took, and what it gave. */
export async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** The middle value (the upper one of an even count). */
export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** The q-quantile of values sorted ascending (nearest rank). */
export const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;

/** The 1-minute load average: the machine is shared, so every figure comes with it. */
export const load = (digits = 1): string => (loadavg()[0] ?? 0).toFixed(digits);

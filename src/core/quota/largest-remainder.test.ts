import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateLargestRemainder, assertMinor } from './largest-remainder.js';

describe('allocateLargestRemainder', () => {
  it('gives leftover cents to the largest remainders, ties to the earlier part', () => {
    expect(allocateLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateLargestRemainder(10, [0.2, 0.45, 0.35])).toEqual([2, 5, 3]);
    expect(allocateLargestRemainder(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
  });

  it('splits equally when all weights are zero and gives nothing to zero weights otherwise', () => {
    expect(allocateLargestRemainder(5, [0, 0])).toEqual([3, 2]);
    expect(allocateLargestRemainder(5, [0, 1, 0])).toEqual([0, 5, 0]);
  });

  it('rejects bad input as bugs', () => {
    expect(() => allocateLargestRemainder(1.5, [1])).toThrow();
    expect(() => allocateLargestRemainder(1, [-1])).toThrow();
    expect(() => allocateLargestRemainder(1, [])).toThrow();
    expect(() => assertMinor(2 ** 53)).toThrow();
  });

  it('always adds up to the whole, never goes below zero and stays within one unit of the exact share (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e13 }), fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 60 }), (total, weights) => {
        const parts = allocateLargestRemainder(total, weights);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        const sum = weights.reduce((a, b) => a + b, 0);
        parts.forEach((p, i) => {
          expect(p).toBeGreaterThanOrEqual(0);
          const exact = sum > 0 ? (total * (weights[i] ?? 0)) / sum : total / weights.length;
          expect(Math.abs(p - exact)).toBeLessThan(1 + 1e-6 * Math.max(1, exact));
        });
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, allocateBigInt, allocateInto, formatMoney, minor, parseDecimal, parseMajor, rational, roundMinor } from './money.js';

describe('money', () => {
  it('rounds exact amounts half away from zero, once', () => {
    expect([roundMinor(rational(5n, 2n)), roundMinor(rational(-5n, 2n)), roundMinor(rational(3n, 2n)), roundMinor(rational(249n, 100n))]).toEqual([3, -3, 2, 2]);
  });
  it('guards the safe integer range', () => {
    expect(() => minor(2 ** 53)).toThrow(/safe integer/);
    expect(() => minor(0.5)).toThrow();
    expect(() => roundMinor(rational(2n ** 60n))).toThrow(/safe integer/);
  });
  it('parses exact decimals and percentages', () => {
    expect(parseDecimal('12.5%')).toEqual(rational(1n, 8n));
    expect(parseDecimal('0.05')).toEqual(rational(1n, 20n));
    expect(parseDecimal('-3')).toEqual(rational(-3n));
    expect(parseDecimal('1e3')).toBeNull();
  });
  it('reads major units with the currency’s minor digits', () => {
    expect(parseMajor('1250.5', 'EUR')).toBe(125_050);
    expect(parseMajor('1250', 'JPY')).toBe(1250);
    expect(parseMajor('1.5', 'JPY')).toBeNull();
    expect(parseMajor('1.234', 'KWD')).toBe(1234);
  });
  it('allocates by largest remainder, exactly, in both arithmetic paths', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocate(100, [1n, 1n, 1n])).toEqual([34, 33, 33]);
    expect(allocate(2 ** 52, [2 ** 30, 3, 2 ** 31])).toEqual(allocate(2 ** 52, [2n ** 30n, 3n, 2n ** 31n]));
    expect(allocate(0, [0, 0])).toEqual([0, 0]);
    expect(() => allocate(1, [0, 0])).toThrow();
  });
  it('allocates the same in doubles as in BigInt (largest remainders, ties to the earlier index)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.array(fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(0, 1, 7, 500)), { minLength: 1, maxLength: 300 }), (total, weights) => {
        fc.pre(weights.some((w) => w > 0));
        expect(allocate(total, weights)).toEqual(allocateBigInt(total, weights.map((w) => BigInt(w))));
        expect(allocate(total, weights.map((w) => BigInt(w)))).toEqual(allocateBigInt(total, weights.map((w) => BigInt(w))));
      }),
      { numRuns: 500 },
    );
  });
  it('allocates into a scratch array exactly as allocate does, or declines past the exact range of doubles', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: -(2 ** 52), max: 2 ** 52 })),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(0, 1, 7, 500), fc.integer({ min: 0, max: 2 ** 40 })), { minLength: 1, maxLength: 300 }),
        (total, weights) => {
          const sum = weights.reduce((a, w) => a + w, 0);
          fc.pre(sum > 0);
          const out = new Float64Array(weights.length + 3);
          const done = allocateInto(total, weights, weights.length, sum, out);
          const expected = allocateBigInt(total, weights.map((w) => BigInt(w)));
          if (done) expect([...out.subarray(0, weights.length)]).toEqual(expected);
          else expect(Math.abs(total) * sum).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
        },
      ),
      { numRuns: 500 },
    );
  });
  it('allocates weights with a common factor as the reduced weights, exactly (split percentages at 9 decimals)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2_000_000_000_000, max: 2_000_000_000_000 }),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(0, 1, 3, 7)), { minLength: 1, maxLength: 50 }),
        fc.constantFrom(1n, 10n ** 9n, 10n ** 7n, 3n, 2n ** 40n),
        (total, weights, factor) => {
          fc.pre(weights.some((w) => w > 0));
          const big = weights.map((w) => BigInt(w) * factor);
          expect(allocate(total, big)).toEqual(allocateBigInt(total, big));
        },
      ),
      { numRuns: 500 },
    );
  });
  it('formats minor units as major-unit decimals', () => {
    expect(formatMoney(123_400, 'EUR')).toBe('1234.00');
    expect(formatMoney(rational(1n, 2n), 'EUR')).toBe('0.005');
    expect(formatMoney(-5, 'JPY')).toBe('-5');
    // Whole minor units take a shortcut from their digits: the sign, the point, the padding as before.
    expect([formatMoney(0, 'EUR'), formatMoney(-5, 'EUR'), formatMoney(7, 'KWD'), formatMoney(-123_456_789, 'EUR'), formatMoney(Number.MAX_SAFE_INTEGER, 'EUR'), formatMoney(0, 'JPY'), formatMoney(42, 'CLF')])
      .toEqual(['0.00', '-0.05', '0.007', '-1234567.89', '90071992547409.91', '0', '0.0042']);
    expect(formatMoney(rational(-250n), 'EUR')).toBe('-2.50');
    expect(formatMoney(rational(-1n, 3n), 'EUR')).toBe('-0.003333');
  });
});

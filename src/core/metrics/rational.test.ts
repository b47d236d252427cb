import { describe, expect, it } from 'vitest';
import { compareDecimals, descale, formatRational, parseScaled, rational } from './rational.js';

describe('formatRational: the one rounding rule', () => {
  it('writes exact values exactly and drops trailing zeros', () => {
    expect(formatRational(rational(190001n))).toBe('190001');
    expect(formatRational(rational(190001n, 4n))).toBe('47500.25');
    expect(formatRational(descale(1250n, 2))).toBe('12.5');
    expect(formatRational(rational(0n))).toBe('0');
    expect(formatRational(rational(-3n, 2n))).toBe('-1.5');
  });

  it('rounds half away from zero at 4 decimals', () => {
    expect(formatRational(rational(2n, 3n))).toBe('0.6667');
    expect(formatRational(rational(1n, 3n))).toBe('0.3333');
    expect(formatRational(rational(1n, 20000n))).toBe('0.0001'); // 0.00005 → up
    expect(formatRational(rational(-1n, 20000n))).toBe('-0.0001'); // −0.00005 → away from zero
    expect(formatRational(rational(1n, 20001n))).toBe('0'); // 0.0000499… → 0, no sign
    expect(formatRational(rational(-1n, 20001n))).toBe('0');
    expect(formatRational(rational(18750625n, 1000000n))).toBe('18.7506');
    expect(formatRational(rational(1875065n, 100000n))).toBe('18.7507');
  });

  it('stays exact far beyond float precision', () => {
    expect(formatRational(rational(2n ** 70n + 1n))).toBe('1180591620717411303425');
    expect(formatRational(rational(2n ** 70n + 1n, 2n))).toBe('590295810358705651712.5');
  });
});

describe('decimal strings', () => {
  it('parses into scaled integers only when the scale keeps every digit', () => {
    expect(parseScaled('12.5', 2)).toBe(1250n);
    expect(parseScaled('-0.05', 2)).toBe(-5n);
    expect(parseScaled('12.50', 1)).toBe(125n);
    expect(parseScaled('12.55', 1)).toBeNull();
    expect(parseScaled('1e3', 0)).toBeNull();
  });

  it('compares numerically', () => {
    expect(['10', '9.5', '-1', '100.25'].sort(compareDecimals)).toEqual(['-1', '9.5', '10', '100.25']);
  });
});

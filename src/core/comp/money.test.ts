import { describe, expect, it } from 'vitest';
import { allocate, formatMoney, minor, parseDecimal, parseMajor, rational, roundMinor } from './money.js';

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
  it('formats minor units as major-unit decimals', () => {
    expect(formatMoney(123_400, 'EUR')).toBe('1234.00');
    expect(formatMoney(rational(1n, 2n), 'EUR')).toBe('0.005');
    expect(formatMoney(-5, 'JPY')).toBe('-5');
  });
});

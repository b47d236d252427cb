import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CALENDAR_YEAR } from '../period.js';
import { rampedMonths } from './ramp.js';
import { learnSeasonality, splitQuotaBySeason } from './seasonality.js';

describe('learnSeasonality', () => {
  it('averages each complete year’s monthly shares and shrinks them toward 1/12', () => {
    // Two complete years; December always holds half the year.
    const history = [2024, 2025].flatMap((y) => Array.from({ length: 12 }, (_, m) => ({ date: `${y}-${String(m + 1).padStart(2, '0')}-15`, amountMinor: m === 11 ? 1100 : 100 })));
    const profile = learnSeasonality(history, { calendar: CALENDAR_YEAR, historyStart: '2024-01-01', historyEnd: '2026-01-01' });
    expect(profile.yearsUsed).toEqual([2024, 2025]);
    // trust = 2/3: December = 2/3 · 0.5 + 1/3 · 1/12.
    expect(profile.monthShares[11]).toBeCloseTo((2 / 3) * 0.5 + 1 / 36, 12);
    expect(profile.monthShares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('is even, and says so, without a complete year', () => {
    const profile = learnSeasonality([{ date: '2025-06-01', amountMinor: 5 }], { calendar: CALENDAR_YEAR, historyStart: '2025-03-01', historyEnd: '2026-01-01' });
    expect(profile.isEven).toBe(true);
    expect(profile.monthShares.every((s) => s === 1 / 12)).toBe(true);
  });

  it('follows a fiscal year starting in April', () => {
    const history = Array.from({ length: 12 }, (_, i) => ({ date: `${i < 9 ? 2025 : 2026}-${String(((i + 3) % 12) + 1).padStart(2, '0')}-01`, amountMinor: i === 0 ? 1200 : 0 }));
    const profile = learnSeasonality(history, { calendar: { fiscalYearStartMonth: 4 }, historyStart: '2025-04-01', historyEnd: '2026-04-01', priorYears: 0 });
    expect(profile.monthShares[0]).toBe(1);
  });
});

describe('splitQuotaBySeason', () => {
  it('splits into months and quarters that reconcile to the cent', () => {
    const split = splitQuotaBySeason({ quotaMinor: 100_000_01, fiscalYear: 2026, calendar: CALENDAR_YEAR });
    expect(split.months[0]).toEqual({ period: '2026-01', quotaMinor: 833_334 });
    expect(split.quarters.map((q) => q.period)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    expect(split.quarters.reduce((a, q) => a + q.quotaMinor, 0)).toBe(100_000_01);
  });

  it('combines seasonality with a new hire’s ramp', () => {
    const capacity = rampedMonths({ rep: { startDate: '2026-10-01' }, fiscalYear: 2026, calendar: CALENDAR_YEAR });
    const split = splitQuotaBySeason({ quotaMinor: 1_500, fiscalYear: 2026, calendar: CALENDAR_YEAR, capacity });
    expect(split.months.slice(9).map((m) => m.quotaMinor)).toEqual([250, 500, 750]);
    expect(split.quarters[3]?.quotaMinor).toBe(1_500);
  });

  it('always sums to the quota (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 12, maxLength: 12 }), (quota, shares) => {
        const split = splitQuotaBySeason({ quotaMinor: quota, fiscalYear: 2026, calendar: { fiscalYearStartMonth: 7 }, monthShares: shares });
        expect(split.months.reduce((a, m) => a + m.quotaMinor, 0)).toBe(quota);
        expect(split.quarters.reduce((a, m) => a + m.quotaMinor, 0)).toBe(quota);
      }),
    );
  });
});

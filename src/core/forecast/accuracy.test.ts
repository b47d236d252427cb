import { describe, expect, it } from 'vitest';
import { CALENDAR_YEAR } from '../period.js';
import { accuracyStats, forecastAccuracy, pickSnapshots } from './accuracy.js';

describe('accuracyStats', () => {
  it('computes MAE, MAPE, WAPE and bias (worked example)', () => {
    // Errors +10 on 100, −30 on 200: MAE 20, MAPE (0.1 + 0.15)/2, WAPE 40/300, bias −20/300.
    const s = accuracyStats([{ forecastMinor: 110, actualMinor: 100 }, { forecastMinor: 170, actualMinor: 200 }]);
    expect(s.maeMinor).toBe(20);
    expect(s.mape).toBeCloseTo(0.125, 12);
    expect(s.wape).toBeCloseTo(40 / 300, 12);
    expect(s.bias).toBeCloseTo(-20 / 300, 12);
    expect(s.accuracy).toBeCloseTo(1 - 40 / 300, 12);
  });

  it('leaves zero actuals out of MAPE (counted) but not out of WAPE', () => {
    const s = accuracyStats([{ forecastMinor: 50, actualMinor: 0 }, { forecastMinor: 100, actualMinor: 100 }]);
    expect(s).toMatchObject({ zeroActualPoints: 1, mape: 0, wape: 0.5, bias: 0.5 });
    expect(accuracyStats([{ forecastMinor: 5, actualMinor: 0 }])).toMatchObject({ mape: null, wape: null, bias: null, accuracy: null, maeMinor: 5 });
    expect(accuracyStats([])).toMatchObject({ points: 0, maeMinor: null });
  });
});

describe('forecastAccuracy', () => {
  it('reports per group, per period and overall; snapshots without actuals are pending', () => {
    const report = forecastAccuracy({
      snapshots: [
        { groupKey: 'dach', period: '2026-Q1', forecastMinor: 110, takenOn: '2026-01-01' },
        { groupKey: 'uk', period: '2026-Q1', forecastMinor: 90, takenOn: '2026-01-01' },
        { groupKey: 'dach', period: '2026-Q2', forecastMinor: 100, takenOn: '2026-04-01' },
      ],
      actuals: [{ groupKey: 'dach', period: '2026-Q1', actualMinor: 100 }, { groupKey: 'uk', period: '2026-Q1', actualMinor: 100 }],
    });
    expect(report.pending).toBe(1);
    expect(report.overall).toMatchObject({ points: 2, wape: 0.1, bias: 0 });
    expect(report.byGroup.map((g) => [g.groupKey, g.stats.bias])).toEqual([['dach', 0.1], ['uk', -0.1]]);
    expect(report.byPeriod.map((p) => p.period)).toEqual(['2026-Q1']);
  });
});

describe('pickSnapshots', () => {
  it('keeps, per group and period, the latest snapshot taken by the cutoff', () => {
    const picked = pickSnapshots({
      calendar: CALENDAR_YEAR,
      leadDays: 0,
      snapshots: [
        { groupKey: 'dach', period: '2026-Q2', forecastMinor: 1, takenOn: '2026-03-01' },
        { groupKey: 'dach', period: '2026-Q2', forecastMinor: 2, takenOn: '2026-04-01' },
        { groupKey: 'dach', period: '2026-Q2', forecastMinor: 3, takenOn: '2026-04-02' },
      ],
    });
    expect(picked.map((s) => s.forecastMinor)).toEqual([2]);
  });
});

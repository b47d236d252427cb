import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../data/generator.js';
import { CALENDAR_YEAR } from '../period.js';
import { driftForecast, naiveForecast, seasonalNaiveForecast } from './baselines.js';
import { bookingSeries, forecastBookings } from './bookings.js';
import { minimiseNelderMead } from './nelder-mead.js';
import { normalCdf, normalQuantile } from './normal.js';
import { simulateEts } from './ets.js';
import { forecastSeries } from './time-series.js';

/** Quarterly bookings with growth, a strong Q4 and noise. */
function makeSeries(n: number, seed = 7): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, t) => (1000 + 25 * t) * [0.85, 0.95, 1, 1.2][t % 4]! * (1 + 0.03 * rng.normal()));
}

describe('baselines (FPP3 §5.2)', () => {
  it('forecast naive, seasonal naive and drift', () => {
    expect(naiveForecast([1, 2, 3], 2).mean).toEqual([3, 3]);
    expect(seasonalNaiveForecast([1, 2, 3, 4, 5, 6, 7, 8], 4, 6).mean).toEqual([5, 6, 7, 8, 5, 6]);
    expect(driftForecast([1, 2, 4], 2).mean).toEqual([5.5, 7]);
    expect(naiveForecast([1, 3, 5], 4).sd.map((s) => s / Math.SQRT2)).toEqual([2, 2 * Math.sqrt(2), 2 * Math.sqrt(3), 4].map((v) => v / Math.SQRT2));
  });
});

describe('normal distribution', () => {
  it('has the textbook quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.9)).toBeCloseTo(1.281552, 5);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
  });
});

describe('minimiseNelderMead', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const result = minimiseNelderMead(([x = 0, y = 0]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2, [-1.2, 1], { maxIterations: 5000, tolerance: 1e-14 });
    expect(result.x[0]).toBeCloseTo(1, 3);
    expect(result.x[1]).toBeCloseTo(1, 3);
  });
});

describe('forecastSeries', () => {
  it('chooses a seasonal exponential smoothing model for a seasonal series and beats the baselines on a hold-out year', () => {
    const y = makeSeries(28);
    const train = y.slice(0, 24);
    const test = y.slice(24);
    const result = forecastSeries(train, { period: 4, horizon: 4 });
    expect(result.method).toBe('ets');
    expect(result.modelName).toMatch(/^ETS\(A,(N|A|Ad),(A|M)\)$/);
    expect(result.isFallback).toBe(false);
    const mape = (f: readonly number[]): number => f.reduce((a, v, i) => a + Math.abs(v - (test[i] as number)) / (test[i] as number), 0) / 4;
    const ours = mape(result.points.map((p) => p.mean));
    expect(ours).toBeLessThan(mape(seasonalNaiveForecast(train, 4, 4).mean));
    expect(ours).toBeLessThan(mape(naiveForecast(train, 4).mean));
  });

  it('gives nested intervals that widen with the horizon', () => {
    const result = forecastSeries(makeSeries(24), { period: 4, horizon: 8, models: [{ trend: 'additive', season: 'additive', period: 4 }] });
    const widths = result.points.map((p) => {
      const [i80, i95] = p.intervals;
      expect(i95!.lower).toBeLessThanOrEqual(i80!.lower);
      expect(i95!.upper).toBeGreaterThanOrEqual(i80!.upper);
      expect(p.mean).toBeGreaterThan(i80!.lower);
      expect(p.mean).toBeLessThan(i80!.upper);
      return i95!.upper - i95!.lower;
    });
    for (let i = 1; i < widths.length; i += 1) expect(widths[i]).toBeGreaterThanOrEqual(widths[i - 1]! - 1e-9);
  });

  it('has calibrated intervals: on series simulated from a known ETS(A,N,A), the 80 % and 95 % bands cover about 80 % and 95 % of the next year', () => {
    const rng = createRng(2024);
    const model = { trend: 'none', season: 'additive', period: 4 } as const;
    const truth = { alpha: 0.3, beta: 0, gamma: 0.2, phi: 1 };
    let inside80 = 0;
    let inside95 = 0;
    let total = 0;
    for (let k = 0; k < 150; k += 1) {
      const y = simulateEts(model, truth, { level: 1000, slope: 0, seasons: [-60, -20, 10, 70] }, Array.from({ length: 36 }, () => 25 * rng.normal()));
      const result = forecastSeries(y.slice(0, 32), { period: 4, horizon: 4, models: [model], nonNegative: false });
      result.points.forEach((p, i) => {
        const actual = y[32 + i] as number;
        const [i80, i95] = p.intervals;
        if (actual >= i80!.lower && actual <= i80!.upper) inside80 += 1;
        if (actual >= i95!.lower && actual <= i95!.upper) inside95 += 1;
        total += 1;
      });
    }
    expect(inside80 / total).toBeGreaterThan(0.72);
    expect(inside80 / total).toBeLessThan(0.88);
    expect(inside95 / total).toBeGreaterThan(0.89);
    expect(inside95 / total).toBeLessThanOrEqual(0.99);
  });

  it('simulates intervals for multiplicative seasonality, reproducibly from the seed', () => {
    const options = { period: 4, horizon: 4, models: [{ trend: 'additive', season: 'multiplicative', period: 4 }] as const, seed: 3 };
    const a = forecastSeries(makeSeries(24), options);
    const b = forecastSeries(makeSeries(24), options);
    expect(a.flags).toContain('interval_simulated');
    expect(a.points).toEqual(b.points);
  });

  it('falls back honestly for short histories: flagged, naive or drift, wide band', () => {
    expect(forecastSeries([], { period: 4, horizon: 2 })).toMatchObject({ method: 'none', points: [], flags: ['no_history'], isFallback: true });
    const one = forecastSeries([100], { period: 4, horizon: 2 });
    expect(one).toMatchObject({ method: 'naive', isFallback: true });
    expect(one.flags).toEqual(['short_history', 'wide_interval']);
    expect(one.points[0]?.intervals[0]).toEqual({ level: 80, lower: 0, upper: 200 });
    const seven = forecastSeries([80, 90, 100, 130, 90, 100, 110], { period: 4, horizon: 4 });
    expect(seven).toMatchObject({ method: 'drift', isFallback: true });
    // σ is at least the spread of the values (≈ 15.7), not just the drift residuals.
    const first = seven.points[0]!.intervals[1]!;
    expect(first.upper - first.lower).toBeGreaterThan(2 * 1.959 * 15.7);
  });

  it('clamps negative forecasts and bounds at zero for bookings', () => {
    const result = forecastSeries([100, 80, 60, 40, 20], { period: 1, horizon: 3 });
    expect(result.points.every((p) => p.mean >= 0 && p.intervals.every((i) => i.lower >= 0))).toBe(true);
    expect(result.flags).toContain('clamped_at_zero');
  });

  it('treats subnormal amounts as zero instead of forecasting NaN (a counterexample fast-check found)', () => {
    const result = forecastSeries([2e-323, 9.94161682993696e-8, 5e-324, 2.643e-320, 2e-323, 5e-324, 2.4e-322, 5e-324], { period: 4, horizon: 3 });
    for (const p of result.points) {
      expect(Number.isFinite(p.mean)).toBe(true);
      for (const i of p.intervals) expect(Number.isFinite(i.lower) && Number.isFinite(i.upper) && i.lower <= i.upper).toBe(true);
    }
  });

  it('returns finite forecasts for any positive series (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e7, noNaN: true }), { minLength: 0, maxLength: 30 }), fc.constantFrom(1, 4, 12), (y, period) => {
        const result = forecastSeries(y, { period, horizon: 3 });
        for (const p of result.points) {
          expect(Number.isFinite(p.mean)).toBe(true);
          for (const i of p.intervals) expect(i.lower).toBeLessThanOrEqual(i.upper);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('bookings', () => {
  it('sums bookings per group and period, fills empty periods, and forecasts with period keys', () => {
    const bookings = Array.from({ length: 36 }, (_, i) => ({ date: `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-10`, amountMinor: 1000_00 + (i % 12 === 11 ? 500_00 : 0) + i * 10_00, groupKey: 'dach' }));
    const series = bookingSeries({ bookings: [...bookings, { date: '2023-02-01', amountMinor: 5, groupKey: 'uk' }], periodKind: 'quarter', from: '2023-01-01', to: '2026-01-01', calendar: CALENDAR_YEAR });
    expect(series.map((s) => s.groupKey)).toEqual(['dach', 'uk']);
    expect(series[1]?.valuesMinor).toEqual([5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(series[0]?.periods[0]).toBe('2023-Q1');
    const [dach] = forecastBookings({ series: series.slice(0, 1), periodKind: 'quarter', horizon: 4, calendar: CALENDAR_YEAR });
    expect(dach?.forecast.map((f) => f.period)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    expect(dach?.forecast.every((f) => Number.isInteger(f.meanMinor))).toBe(true);
    expect(dach?.history).toHaveLength(12);
  });

  it('uses fiscal quarters', () => {
    const series = bookingSeries({ bookings: [{ date: '2026-04-01', amountMinor: 7, groupKey: 'g' }], periodKind: 'quarter', from: '2026-04-01', to: '2027-04-01', calendar: { fiscalYearStartMonth: 4 } });
    expect(series[0]).toEqual({ groupKey: 'g', periods: ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'], valuesMinor: [7, 0, 0, 0] });
  });
});

/**
 * Time-series forecast of one series (bookings of a team or territory per month/quarter)
 * with prediction intervals and an honest fallback.
 *
 * - At least two full seasons (m > 1), or four points (m = 1): exponential smoothing. The
 *   candidate models (no/additive/damped trend × no/additive/multiplicative season; the
 *   multiplicative ones only for positive data) are fitted by least squares and the one
 *   with the lowest AICc wins (FPP3 §8.6; AIC when the sample is too small for AICc).
 *   Intervals: additive seasonality (or none) uses the analytical variance (FPP3 §8.7,
 *   ets.ts); multiplicative seasonality simulates 1,000 future paths with normal errors of
 *   the fitted σ from a seeded generator and takes the empirical quantiles (FPP3 §8.7:
 *   "for a few ETS models, there are no known formulas … simulate").
 * - Shorter histories: naive (fewer than three points) or drift, flagged `short_history`,
 *   with a deliberately wide interval: σ is the larger of the residual standard deviation
 *   and the standard deviation of the values themselves (the seasonal swing we cannot yet
 *   model); with a single value the band is [0, 2y]. No history: no forecast.
 * - With `nonNegative` (default, bookings cannot be negative) forecasts and lower bounds
 *   are clamped at 0 (flagged).
 */
import { createRng } from '../data/generator.js';
import { driftForecast, naiveForecast } from './baselines.js';
import { etsForecastVariance, etsName, fitEts, forecastEts, simulateEts, type EtsFit, type EtsModel, type EtsParams } from './ets.js';
import { normalQuantile } from './normal.js';

export type SeriesForecastMethod = 'ets' | 'naive' | 'drift' | 'none';

export type SeriesForecastFlag = 'no_history' | 'short_history' | 'wide_interval' | 'interval_simulated' | 'clamped_at_zero';

export interface ForecastInterval {
  /** Coverage in percent, e.g. 80 or 95. */
  level: number;
  lower: number;
  upper: number;
}

export interface ForecastPoint {
  /** 1 = the first period after the history. */
  step: number;
  mean: number;
  intervals: ForecastInterval[];
}

export interface CandidateScore {
  model: string;
  aic: number;
  aicc: number | null;
  sse: number;
}

export interface SeriesForecast {
  method: SeriesForecastMethod;
  /** e.g. 'ETS(A,Ad,M)', 'naive', 'drift'. */
  modelName: string;
  model: EtsModel | null;
  params: EtsParams | null;
  points: ForecastPoint[];
  /** One-step fitted values over the history (null where there is none). */
  fitted: (number | null)[];
  /** σ of the one-step errors the intervals use (null when unknown). */
  sigma: number | null;
  isFallback: boolean;
  flags: SeriesForecastFlag[];
  candidates: CandidateScore[];
}

export interface ForecastSeriesOptions {
  /** Seasons per year: 12 for months, 4 for quarters, 1 for none. */
  period: number;
  horizon: number;
  /** Interval coverages in percent (default [80, 95]). */
  levels?: readonly number[];
  /** Candidate models (default: all that apply). */
  models?: readonly EtsModel[];
  /** Seed for simulated intervals (default 1). */
  seed?: number;
  /** Sample paths for simulated intervals (default 1000). */
  simulations?: number;
  /** Clamp forecasts and bounds at 0 (default true). */
  nonNegative?: boolean;
}

/**
 * The candidate models for a period (multiplicative seasons only for positive data).
 * @example candidateModels(4, true).length // 9
 */
export function candidateModels(period: number, positive: boolean): EtsModel[] {
  const trends = ['none', 'additive', 'damped'] as const;
  if (period <= 1) return trends.map((trend) => ({ trend, season: 'none', period: 1 }));
  // Non-seasonal models stay candidates (as in FPP3 §8.6): when noise drowns the season, AICc can say so.
  const seasons = positive ? (['none', 'additive', 'multiplicative'] as const) : (['none', 'additive'] as const);
  return seasons.flatMap((season) => trends.map((trend) => ({ trend, season, period: season === 'none' ? 1 : period })));
}

function quantile(sorted: readonly number[], p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
}

/**
 * Forecasts a series `horizon` steps ahead.
 * @example forecastSeries(quarterlyBookings, { period: 4, horizon: 4 }).points[0] // { step: 1, mean, intervals: [{ level: 80, … }, { level: 95, … }] }
 */
export function forecastSeries(raw: readonly number[], options: ForecastSeriesOptions): SeriesForecast {
  // Amounts are minor units: a magnitude below 1e-9 is zero (subnormal values would only feed
  // divisions by almost nothing into the smoothing and turn forecasts into NaN).
  const y = raw.map((v) => (Math.abs(v) < 1e-9 ? 0 : v));
  const levels = options.levels ?? [80, 95];
  for (const level of levels) if (!(level > 0 && level < 100)) throw new Error(`interval level must be in (0, 100), got ${level}`);
  const nonNegative = options.nonNegative ?? true;
  const { horizon, period } = options;
  const n = y.length;
  const flags: SeriesForecastFlag[] = [];
  const finish = (result: Omit<SeriesForecast, 'flags' | 'points'> & { points: ForecastPoint[] }): SeriesForecast => {
    let clamped = false;
    const points = result.points.map((p) => {
      if (!nonNegative) return p;
      const mean = Math.max(0, p.mean);
      const intervals = p.intervals.map((iv) => ({ level: iv.level, lower: Math.max(0, iv.lower), upper: Math.max(0, iv.upper) }));
      if (mean !== p.mean || intervals.some((iv, i) => iv.lower !== p.intervals[i]?.lower)) clamped = true;
      return { step: p.step, mean, intervals };
    });
    if (clamped) flags.push('clamped_at_zero');
    return { ...result, points, flags };
  };
  if (n === 0) {
    flags.push('no_history');
    return finish({ method: 'none', modelName: 'none', model: null, params: null, points: [], fitted: [], sigma: null, isFallback: true, candidates: [] });
  }
  const long = period > 1 ? n >= 2 * period : n >= 4;
  if (!long) {
    flags.push('short_history', 'wide_interval');
    const base = n < 3 ? naiveForecast(y, horizon) : driftForecast(y, horizon);
    const spread = standardDeviation(y);
    const sigma = Math.max(Number.isNaN(base.sigma) ? 0 : base.sigma, Number.isNaN(spread) ? 0 : spread);
    const last = y[n - 1] as number;
    const slope = n < 3 ? 0 : (last - (y[0] as number)) / (n - 1);
    const points = base.mean.map((mean, i) => {
      const h = i + 1;
      const sd = n < 3 ? sigma * Math.sqrt(h) : sigma * Math.sqrt(h * (1 + h / (n - 1)));
      const intervals = levels.map((level) => {
        if (n === 1 || sigma === 0) return { level, lower: Math.min(0, 2 * mean), upper: Math.max(0, 2 * mean) };
        const z = normalQuantile(0.5 + level / 200);
        return { level, lower: mean - z * sd, upper: mean + z * sd };
      });
      return { step: h, mean, intervals };
    });
    const fitted = y.map((_, t) => (t === 0 ? null : (y[t - 1] as number) + slope));
    return finish({ method: n < 3 ? 'naive' : 'drift', modelName: n < 3 ? 'naive' : 'drift', model: null, params: null, points, fitted, sigma: n === 1 ? null : sigma, isFallback: true, candidates: [] });
  }
  const positive = y.every((v) => v > 0);
  const models = options.models ?? candidateModels(period, positive);
  const fits = models.map((model) => fitEts(y, model)).filter((f): f is EtsFit => f !== null);
  if (fits.length === 0) throw new Error('no candidate model could be fitted');
  const useAicc = fits.every((f) => f.aicc !== null);
  const score = (f: EtsFit): number => (useAicc ? (f.aicc as number) : f.aic);
  const best = fits.reduce((a, b) => (score(b) < score(a) ? b : a));
  const mean = forecastEts(best.model, best.params, best.run.state, horizon);
  const sigma = Math.sqrt(best.sigma2);
  let intervalsAt: (i: number) => ForecastInterval[];
  if (best.model.season === 'multiplicative' && best.model.period > 1) {
    flags.push('interval_simulated');
    const rng = createRng(options.seed ?? 1);
    const paths = options.simulations ?? 1000;
    const columns: number[][] = Array.from({ length: horizon }, () => []);
    for (let p = 0; p < paths; p += 1) {
      const errors = Array.from({ length: horizon }, () => rng.normal() * sigma);
      simulateEts(best.model, best.params, best.run.state, errors).forEach((v, i) => columns[i]?.push(v));
    }
    for (const c of columns) c.sort((a, b) => a - b);
    intervalsAt = (i) => levels.map((level) => ({ level, lower: quantile(columns[i] as number[], 0.5 - level / 200), upper: quantile(columns[i] as number[], 0.5 + level / 200) }));
  } else {
    const variance = etsForecastVariance(best.model, best.params, best.sigma2, horizon);
    intervalsAt = (i) => levels.map((level) => {
      const z = normalQuantile(0.5 + level / 200);
      const sd = Math.sqrt(variance[i] as number);
      return { level, lower: (mean[i] as number) - z * sd, upper: (mean[i] as number) + z * sd };
    });
  }
  return finish({
    method: 'ets',
    modelName: etsName(best.model),
    model: best.model,
    params: best.params,
    points: mean.map((m, i) => ({ step: i + 1, mean: m, intervals: intervalsAt(i) })),
    fitted: best.run.fitted,
    sigma,
    isFallback: false,
    candidates: fits.map((f) => ({ model: etsName(f.model), aic: f.aic, aicc: f.aicc, sse: f.run.sse })),
  });
}

/**
 * Benchmark forecasts (FPP3 §5.2) with their h-step prediction standard deviations (FPP3 §5.5),
 * σ the standard deviation of the one-step residuals, T the series length:
 * - naive:          ŷ_{T+h} = y_T;                      sd_h = σ √h
 * - seasonal naive: ŷ_{T+h} = y_{T+h−m(k+1)};           sd_h = σ √(k + 1), k = ⌊(h−1)/m⌋
 * - drift:          ŷ_{T+h} = y_T + h (y_T − y_1)/(T−1); sd_h = σ √(h (1 + h/(T−1)))
 *   (T−1: the drift is estimated from the T−1 differences).
 */

export interface BaselineForecast {
  mean: number[];
  /** Standard deviation of the forecast error per step; NaN when σ cannot be estimated. */
  sd: number[];
  /** σ of the one-step residuals (NaN with too few of them). */
  sigma: number;
  residuals: number[];
}

function rmse(residuals: readonly number[], parameters: number): number {
  const dof = residuals.length - parameters;
  if (dof < 1) return Number.NaN;
  return Math.sqrt(residuals.reduce((a, e) => a + e * e, 0) / dof);
}

/** @example naiveForecast([1, 2, 3], 2).mean // [3, 3] */
export function naiveForecast(y: readonly number[], horizon: number): BaselineForecast {
  if (y.length === 0) throw new Error('no observations');
  const last = y[y.length - 1] as number;
  const residuals = y.slice(1).map((v, i) => v - (y[i] as number));
  const sigma = rmse(residuals, 0);
  return { mean: Array.from({ length: horizon }, () => last), sd: Array.from({ length: horizon }, (_, i) => sigma * Math.sqrt(i + 1)), sigma, residuals };
}

/** @example seasonalNaiveForecast([1, 2, 3, 4, 5, 6, 7, 8], 4, 2).mean // [5, 6] */
export function seasonalNaiveForecast(y: readonly number[], period: number, horizon: number): BaselineForecast {
  if (y.length < period) throw new Error('seasonal naive needs a full season');
  const n = y.length;
  const mean = Array.from({ length: horizon }, (_, i) => y[n - period + (i % period)] as number);
  const residuals = y.slice(period).map((v, i) => v - (y[i] as number));
  const sigma = rmse(residuals, 0);
  return { mean, sd: mean.map((_, i) => sigma * Math.sqrt(Math.floor(i / period) + 1)), sigma, residuals };
}

/** @example driftForecast([1, 2, 3], 2).mean // [4, 5] */
export function driftForecast(y: readonly number[], horizon: number): BaselineForecast {
  if (y.length < 2) throw new Error('drift needs two observations');
  const n = y.length;
  const first = y[0] as number;
  const last = y[n - 1] as number;
  const slope = (last - first) / (n - 1);
  const residuals = y.slice(1).map((v, i) => v - (y[i] as number) - slope);
  const sigma = rmse(residuals, 1);
  return {
    mean: Array.from({ length: horizon }, (_, i) => last + (i + 1) * slope),
    sd: Array.from({ length: horizon }, (_, i) => sigma * Math.sqrt((i + 1) * (1 + (i + 1) / (n - 1)))),
    sigma,
    residuals,
  };
}

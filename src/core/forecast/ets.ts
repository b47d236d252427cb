/**
 * Exponential smoothing with trend and seasonality: Holt–Winters in component form, with
 * additive errors, as in Hyndman & Athanasopoulos, "Forecasting: Principles and Practice"
 * (3rd ed., 2021), §8.1–8.3 (equations) and §8.5–8.7 (state space form, model selection,
 * forecast variance). With φ the damping, φ_h = φ + φ² + … + φ^h, and m the period:
 *
 *   level   ℓ_t = α (y_t ⊖ s_{t−m}) + (1 − α)(ℓ_{t−1} + φ b_{t−1})
 *   trend   b_t = β* (ℓ_t − ℓ_{t−1}) + (1 − β*) φ b_{t−1}
 *   season  s_t = γ (y_t ⊖ (ℓ_{t−1} + φ b_{t−1})) + (1 − γ) s_{t−m}
 *   forecast ŷ_{t+h|t} = (ℓ_t + φ_h b_t) ⊕ s_{t+h−m(k+1)},  k = ⌊(h − 1)/m⌋
 *
 * where ⊖/⊕ are −/+ for additive seasonality and ÷/× for multiplicative; no trend means
 * b ≡ 0; an undamped trend is φ = 1. Parameters are fitted by minimising the sum of squared
 * one-step errors (Nelder–Mead over transformed parameters that keep 0 < α, β* < 1,
 * 0 < γ < 1 − α and 0.8 ≤ φ ≤ 0.98, the ranges FPP3 §8.3/§8.6 use), together with the
 * initial level and slope; the initial seasonal indices come from the first seasons
 * (see initialEtsState).
 */
import { minimiseNelderMead } from './nelder-mead.js';

export type EtsTrend = 'none' | 'additive' | 'damped';
export type EtsSeason = 'none' | 'additive' | 'multiplicative';

export interface EtsModel {
  trend: EtsTrend;
  season: EtsSeason;
  /** Seasons per year (4 quarterly, 12 monthly); 1 = no seasonality. */
  period: number;
}

export interface EtsParams {
  alpha: number;
  /** β* of the component form (the state-space β is α·β*). */
  beta: number;
  gamma: number;
  phi: number;
}

export interface EtsState {
  level: number;
  slope: number;
  /** m indices, oldest first: seasons[0] applies to the next period, seasons[m−1] is the latest. */
  seasons: number[];
}

export interface EtsRun {
  /** One-step-ahead forecasts ŷ_{t|t−1}. */
  fitted: number[];
  residuals: number[];
  sse: number;
  /** The state after the last observation. */
  state: EtsState;
}

const hasSeason = (model: EtsModel): boolean => model.season !== 'none' && model.period > 1;
const phiOf = (model: EtsModel, params: EtsParams): number => (model.trend === 'damped' ? params.phi : model.trend === 'additive' ? 1 : 0);

/** The short name FPP3 uses: ETS(A,Ad,M) etc. (error, trend, season). */
export function etsName(model: EtsModel): string {
  const trend = { none: 'N', additive: 'A', damped: 'Ad' }[model.trend];
  const season = hasSeason(model) ? (model.season === 'additive' ? 'A' : 'M') : 'N';
  return `ETS(A,${trend},${season})`;
}

/**
 * Runs the smoothing equations over a series from an initial state (the state before the
 * first observation).
 * @example runEts([446.7, 454.5], { trend: 'none', season: 'none', period: 1 }, { alpha: 0.2, beta: 0, gamma: 0, phi: 1 }, { level: 446.7, slope: 0, seasons: [] }).state.level
 */
export function runEts(y: readonly number[], model: EtsModel, params: EtsParams, initial: EtsState): EtsRun {
  const m = hasSeason(model) ? model.period : 1;
  const seasonal = hasSeason(model);
  const multiplicative = model.season === 'multiplicative' && seasonal;
  const phi = phiOf(model, params);
  const { alpha, beta, gamma } = params;
  const s = seasonal ? [...initial.seasons] : [0];
  let level = initial.level;
  let slope = model.trend === 'none' ? 0 : initial.slope;
  const fitted = new Array<number>(y.length);
  const residuals = new Array<number>(y.length);
  let sse = 0;
  for (let t = 0; t < y.length; t += 1) {
    const yt = y[t] as number;
    const j = t % m;
    const season = seasonal ? (s[j] as number) : multiplicative ? 1 : 0;
    const base = level + phi * slope;
    const forecast = multiplicative ? base * season : base + season;
    const error = yt - forecast;
    fitted[t] = forecast;
    residuals[t] = error;
    sse += error * error;
    if (multiplicative && (season <= 0 || base <= 0)) {
      sse = Number.POSITIVE_INFINITY;
    }
    const newLevel = multiplicative ? alpha * (yt / season) + (1 - alpha) * base : alpha * (yt - season) + (1 - alpha) * base;
    if (model.trend !== 'none') slope = beta * (newLevel - level) + (1 - beta) * phi * slope;
    if (seasonal) s[j] = multiplicative ? gamma * (yt / base) + (1 - gamma) * season : gamma * (yt - base) + (1 - gamma) * season;
    level = newLevel;
  }
  const n = y.length;
  const seasons = seasonal ? Array.from({ length: m }, (_, k) => s[(n + k) % m] as number) : [];
  return { fitted, residuals, sse: Number.isFinite(sse) ? sse : Number.POSITIVE_INFINITY, state: { level, slope, seasons } };
}

/** φ_h = φ + … + φ^h (h for an undamped trend, 0 without one). */
function dampedSum(phi: number, h: number): number {
  if (phi === 1) return h;
  let sum = 0;
  let power = 1;
  for (let i = 1; i <= h; i += 1) {
    power *= phi;
    sum += power;
  }
  return sum;
}

/**
 * Point forecasts 1…h steps ahead from a state.
 * @example forecastEts({ trend: 'additive', season: 'none', period: 1 }, params, { level: 10, slope: 2, seasons: [] }, 3) // [12, 14, 16]
 */
export function forecastEts(model: EtsModel, params: EtsParams, state: EtsState, horizon: number): number[] {
  const phi = phiOf(model, params);
  const seasonal = hasSeason(model);
  const out: number[] = [];
  for (let h = 1; h <= horizon; h += 1) {
    const base = state.level + dampedSum(phi, h) * state.slope;
    if (!seasonal) out.push(base);
    else {
      const s = state.seasons[(h - 1) % model.period] as number;
      out.push(model.season === 'multiplicative' ? base * s : base + s);
    }
  }
  return out;
}

/**
 * Heuristic initial state from the first seasons (up to three): a straight line through
 * the yearly means gives the level and slope; each position's average deviation from the
 * line (difference or ratio) gives its seasonal index, normalised to sum to 0 (additive)
 * or average 1 (multiplicative). Without seasonality: level = first value, slope = the
 * mean of the first differences (of up to four).
 */
export function initialEtsState(y: readonly number[], model: EtsModel): EtsState {
  if (y.length === 0) throw new Error('no observations');
  if (!hasSeason(model)) {
    const k = Math.min(4, y.length - 1);
    const slope = model.trend === 'none' || k < 1 ? 0 : ((y[k] as number) - (y[0] as number)) / k;
    return { level: (y[0] as number) - slope, slope, seasons: [] };
  }
  const m = model.period;
  const years = Math.max(1, Math.min(3, Math.floor(y.length / m)));
  const means: number[] = [];
  for (let k = 0; k < years; k += 1) means.push(y.slice(k * m, (k + 1) * m).reduce((a, b) => a + b, 0) / m);
  const slope = model.trend === 'none' || years < 2 ? 0 : ((means[years - 1] as number) - (means[0] as number)) / ((years - 1) * m);
  // Trend line through the yearly means, at the middle of the first year.
  const line = (t: number): number => (means[0] as number) + (t - (m - 1) / 2) * slope;
  const multiplicative = model.season === 'multiplicative';
  const seasons = new Array<number>(m).fill(0);
  for (let j = 0; j < m; j += 1) {
    let sum = 0;
    for (let k = 0; k < years; k += 1) {
      const t = k * m + j;
      const v = y[t] as number;
      sum += multiplicative ? v / line(t) : v - line(t);
    }
    seasons[j] = sum / years;
  }
  if (multiplicative) {
    const mean = seasons.reduce((a, b) => a + b, 0) / m;
    for (let j = 0; j < m; j += 1) seasons[j] = (seasons[j] as number) / mean;
  } else {
    const mean = seasons.reduce((a, b) => a + b, 0) / m;
    for (let j = 0; j < m; j += 1) seasons[j] = (seasons[j] as number) - mean;
  }
  return { level: line(-1), slope, seasons };
}

export interface EtsFit {
  model: EtsModel;
  params: EtsParams;
  initial: EtsState;
  run: EtsRun;
  /** Parameters estimated: smoothing parameters and initial states (for the information criteria). */
  parameterCount: number;
  /** Residual variance SSE ÷ max(1, n − parameterCount). */
  sigma2: number;
  aic: number;
  /** null when n is too small for the correction (n ≤ k + 1). */
  aicc: number | null;
}

const logistic = (u: number): number => 1 / (1 + Math.exp(-u));
const logit = (p: number): number => Math.log(p / (1 - p));
const LOW = 1e-4;
const HIGH = 1 - 1e-4;
const squeeze = (u: number): number => LOW + (HIGH - LOW) * logistic(u);
const unsqueeze = (p: number): number => logit((Math.min(HIGH - 1e-9, Math.max(LOW + 1e-9, p)) - LOW) / (HIGH - LOW));
const PHI_MIN = 0.8;
const PHI_MAX = 0.98;

/** Smoothing parameters (and initial-state counts) the model estimates. */
export function etsParameterCount(model: EtsModel): number {
  const trend = model.trend === 'none' ? 0 : model.trend === 'additive' ? 1 : 2;
  const season = hasSeason(model) ? 1 + (model.period - 1) : 0;
  return 1 + trend + season + 1 + (model.trend === 'none' ? 0 : 1);
}

/**
 * Fits a model by least squares.
 * @example fitEts(quarterlyBookings, { trend: 'damped', season: 'multiplicative', period: 4 })?.params
 */
export function fitEts(y: readonly number[], model: EtsModel): EtsFit | null {
  const n = y.length;
  if (n < 2 || (hasSeason(model) && n < 2 * model.period)) return null;
  if (model.season === 'multiplicative' && y.some((v) => v <= 0)) return null;
  const base = initialEtsState(y, model);
  const scale = Math.max(1e-9, y.reduce((a, b) => a + Math.abs(b), 0) / n);
  const trend = model.trend !== 'none';
  const seasonal = hasSeason(model);
  const damped = model.trend === 'damped';
  // Unknowns: [α, β*, γ, φ, ℓ0, b0] (only those the model has).
  const decode = (u: readonly number[]): { params: EtsParams; initial: EtsState } => {
    let i = 0;
    const alpha = squeeze(u[i++] ?? 0);
    const beta = trend ? squeeze(u[i++] ?? 0) : 0;
    const gamma = seasonal ? (1 - alpha) * squeeze(u[i++] ?? 0) : 0;
    const phi = damped ? PHI_MIN + (PHI_MAX - PHI_MIN) * logistic(u[i++] ?? 0) : 1;
    const level = base.level + (u[i++] ?? 0) * scale;
    const slope = trend ? base.slope + (u[i] ?? 0) * scale / Math.max(1, model.period) : 0;
    return { params: { alpha, beta, gamma, phi }, initial: { level, slope, seasons: base.seasons } };
  };
  const objective = (u: readonly number[]): number => {
    const { params, initial } = decode(u);
    const sse = runEts(y, model, params, initial).sse;
    return Number.isFinite(sse) ? sse : Number.MAX_VALUE;
  };
  const starts: [number, number, number, number][] = [
    [0.3, 0.1, 0.1, 0.95],
    [0.7, 0.01, 0.2, 0.9],
    [0.1, 0.3, 0.4, 0.85],
  ];
  let best: { x: number[]; value: number } | null = null;
  for (const [a, b, g, p] of starts) {
    const u: number[] = [unsqueeze(a)];
    if (trend) u.push(unsqueeze(b));
    if (seasonal) u.push(unsqueeze(g));
    if (damped) u.push(logit((p - PHI_MIN) / (PHI_MAX - PHI_MIN)));
    u.push(0);
    if (trend) u.push(0);
    const result = minimiseNelderMead(objective, u, { step: 0.6, maxIterations: 400 * u.length });
    if (!best || result.value < best.value) best = result;
  }
  if (!best || !Number.isFinite(best.value) || best.value === Number.MAX_VALUE) return null;
  const { params, initial } = decode(best.x);
  const run = runEts(y, model, params, initial);
  const k = etsParameterCount(model);
  const dof = n - k;
  const sigma2 = run.sse / Math.max(1, dof);
  // Likelihood of additive Gaussian errors (FPP3 §8.6): −2 log L = n log(SSE/n) + const.
  const kWithSigma = k + 1;
  const aic = n * Math.log(Math.max(run.sse, 1e-300) / n) + 2 * kWithSigma;
  const aicc = n - kWithSigma - 1 > 0 ? aic + (2 * kWithSigma * (kWithSigma + 1)) / (n - kWithSigma - 1) : null;
  return { model, params, initial, run, parameterCount: k, sigma2, aic, aicc };
}

/**
 * Forecast variance h steps ahead for models with additive errors and additive (or no)
 * seasonality: v_h = σ² [1 + Σ_{j=1}^{h−1} c_j²], c_j = α(1 + β* φ_j) + γ·[j mod m = 0]
 * (Hyndman, Koehler, Ord & Snyder 2008, ch. 6, linear "class 1" models; FPP3 §8.7 lists
 * the special cases). Throws for multiplicative seasonality (no closed form: simulate).
 * @example etsForecastVariance({ trend: 'none', season: 'none', period: 1 }, { alpha: 0.3, beta: 0, gamma: 0, phi: 1 }, 2, 3) // [2, 2.18, 2.36]
 */
export function etsForecastVariance(model: EtsModel, params: EtsParams, sigma2: number, horizon: number): number[] {
  if (model.season === 'multiplicative' && hasSeason(model)) throw new Error('no closed-form variance for multiplicative seasonality');
  const phi = phiOf(model, params);
  const out: number[] = [];
  let sum = 0;
  for (let h = 1; h <= horizon; h += 1) {
    if (h > 1) {
      const j = h - 1;
      const trendPart = model.trend === 'none' ? 0 : params.beta * dampedSum(phi, j);
      const c = params.alpha * (1 + trendPart) + (hasSeason(model) && j % model.period === 0 ? params.gamma : 0);
      sum += c * c;
    }
    out.push(sigma2 * (1 + sum));
  }
  return out;
}

/**
 * A future sample path: each step's value is the point forecast plus the given error, and
 * the state is updated with it (the innovations state space form, FPP3 §8.5; used for the
 * intervals of multiplicative seasonality, §8.7).
 * @example simulateEts(model, params, state, [1.76, 0.40]) // two simulated values
 */
export function simulateEts(model: EtsModel, params: EtsParams, state: EtsState, errors: readonly number[]): number[] {
  const seasonal = hasSeason(model);
  const multiplicative = seasonal && model.season === 'multiplicative';
  const phi = phiOf(model, params);
  let level = state.level;
  let slope = model.trend === 'none' ? 0 : state.slope;
  const s = seasonal ? [...state.seasons] : [];
  const out: number[] = [];
  errors.forEach((e, t) => {
    const j = seasonal ? t % model.period : 0;
    const season = seasonal ? (s[j] as number) : multiplicative ? 1 : 0;
    const base = level + phi * slope;
    const y = (multiplicative ? base * season : base + season) + e;
    out.push(y);
    const newLevel = multiplicative ? params.alpha * (y / season) + (1 - params.alpha) * base : params.alpha * (y - season) + (1 - params.alpha) * base;
    if (model.trend !== 'none') slope = params.beta * (newLevel - level) + (1 - params.beta) * phi * slope;
    if (seasonal) s[j] = multiplicative ? params.gamma * (y / base) + (1 - params.gamma) * season : params.gamma * (y - base) + (1 - params.gamma) * season;
    level = newLevel;
  });
  return out;
}

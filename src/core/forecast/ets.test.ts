/**
 * Worked examples with published numbers. The series and expected values are the ones the
 * statsmodels test suite checks against R's `forecast` package
 * (github.com/statsmodels/statsmodels, statsmodels/tsa/holtwinters/tests/test_holtwinters.py):
 * - oil: fpp `oil`, annual oil production in Saudi Arabia 1996–2007 (FPP §7.1 example);
 * - ausair: fpp2 `ausair`, air passengers in Australia 1990–2004 (FPP §7.2 example);
 * - livestock: fpp2 `livestock`, sheep in Asia 1970–2000 (FPP §7.2 damped example),
 *   with the state, fitted values and forecasts of R `ets(livestock, 'AAN', damped = TRUE, phi = 0.98)`;
 * - austourists: fpp2 `austourists`, international visitor nights in Australia 1999Q1–2015Q4
 *   (Tourism Research Australia), with R `ets()` final states and `simulate(…, innov)` paths.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { etsForecastVariance, fitEts, forecastEts, initialEtsState, runEts, simulateEts, type EtsModel, type EtsParams } from './ets.js';

const OIL = [446.6565229, 454.4733065, 455.662974, 423.6322388, 456.2713279, 440.5880501, 425.3325201, 485.1494479, 506.0481621, 526.7919833, 514.268889, 494.2110193];
const AUSAIR = [17.5534, 21.8601, 23.8866, 26.9293, 26.8885, 28.8314, 30.0751, 30.9535, 30.1857, 31.5797, 32.577569, 33.477398, 39.021581, 41.386432, 41.596552];
const LIVESTOCK = [
  263.917747, 268.307222, 260.662556, 266.639419, 277.515778, 283.834045, 290.309028, 292.474198, 300.830694, 309.286657, 318.331081, 329.37239, 338.883998,
  339.244126, 328.600632, 314.255385, 314.459695, 321.413779, 329.789292, 346.385165, 352.297882, 348.370515, 417.562922, 417.12357, 417.749459, 412.233904,
  411.946817, 394.697075, 401.49927, 408.270468, 414.2428,
];
const AUSTOURISTS = [
  30.05251, 19.1485, 25.31769, 27.59144, 32.07646, 23.48796, 28.47594, 35.12375, 36.83848, 25.00702, 30.72223, 28.69376, 36.64099, 23.82461, 29.31168, 31.77031,
  35.17788, 19.77524, 29.60175, 34.53884, 41.2736, 26.65586, 28.27986, 35.19115, 42.20566, 24.64917, 32.66734, 37.25735, 45.24246, 29.35048, 36.34421, 41.78208,
  49.2766, 31.2754, 37.85063, 38.83704, 51.2369, 31.83855, 41.32342, 42.799, 55.70836, 33.40714, 42.31664, 45.15712, 59.57608, 34.83733, 44.84168, 46.97125,
  60.01903, 38.37118, 46.97586, 50.7338, 61.64687, 39.29957, 52.67121, 54.33232, 66.83436, 40.87119, 51.82854, 57.49191, 65.25147, 43.06121, 54.76076, 59.83447,
  73.25703, 47.69662, 61.09777, 66.05576,
];

const NONE: EtsModel = { trend: 'none', season: 'none', period: 1 };
const HOLT: EtsModel = { trend: 'additive', season: 'none', period: 1 };
const DAMPED: EtsModel = { trend: 'damped', season: 'none', period: 1 };

function expectClose(actual: readonly number[], expected: readonly number[], tolerance: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - (expected[i] as number)), `index ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tolerance));
}

describe('runEts (simple exponential smoothing, oil)', () => {
  it('reproduces the published levels and forecast for α = 0.2 and α = 0.6 with ℓ0 = y1', () => {
    const initial = { level: OIL[0] as number, slope: 0, seasons: [] };
    const fit = runEts(OIL, NONE, { alpha: 0.2, beta: 0, gamma: 0, phi: 1 }, initial);
    expect(forecastEts(NONE, { alpha: 0.2, beta: 0, gamma: 0, phi: 1 }, fit.state, 1)[0]).toBeCloseTo(484.802468, 5);
    // Levels after each observation (statsmodels `fit1.level`).
    const levels = OIL.map((_, t) => runEts(OIL.slice(0, t + 1), NONE, { alpha: 0.2, beta: 0, gamma: 0, phi: 1 }, initial).state.level);
    expectClose(levels, [446.6565229, 448.21987962, 449.7084985, 444.49324656, 446.84886283, 445.59670028, 441.54386424, 450.26498098, 461.4216172, 474.49569042, 482.45033014, 484.80246797], 1e-6);
    expect(runEts(OIL, NONE, { alpha: 0.6, beta: 0, gamma: 0, phi: 1 }, initial).state.level).toBeCloseTo(501.837461, 5);
  });
});

describe("runEts (Holt's linear trend, ausair)", () => {
  it('reproduces the published slopes, one-step forecasts and 5-step forecast for α = 0.8, β* = 0.2', () => {
    const params: EtsParams = { alpha: 0.8, beta: 0.2, gamma: 0, phi: 1 };
    const initial = { level: AUSAIR[0] as number, slope: (AUSAIR[1] as number) - (AUSAIR[0] as number), seasons: [] };
    const run = runEts(AUSAIR, HOLT, params, initial);
    const slopes = AUSAIR.map((_, t) => runEts(AUSAIR.slice(0, t + 1), HOLT, params, initial).state.slope);
    expectClose(slopes, [3.617628, 3.59006512, 3.33438212, 3.23657639, 2.69263502, 2.46388914, 2.2229097, 1.95959226, 1.47054601, 1.3604894, 1.28045881, 1.20355193, 1.88267152, 2.09564416, 1.83655482], 1e-6);
    const oneStep = [...run.fitted, forecastEts(HOLT, params, run.state, 1)[0] as number];
    expectClose(oneStep, [21.8601, 22.032368, 25.48461872, 27.54058587, 30.28813356, 30.26106173, 31.58122149, 32.599234, 33.24223906, 32.26755382, 33.07776017, 33.95806605, 34.77708354, 40.05535303, 43.21586036, 43.75696849], 1e-6);
    expectClose(forecastEts(HOLT, params, run.state, 5), [43.76, 45.59, 47.43, 49.27, 51.1], 0.005);
  });
});

describe('runEts (damped trend, livestock, against R ets)', () => {
  // R reports the state-space β = α·β*; the component form takes β* = β / α.
  const alpha = 0.97402626;
  const params: EtsParams = { alpha, beta: 0.00010006 / alpha, gamma: 0, phi: 0.98 };
  const initial = { level: 252.59039965, slope: 6.90265918, seasons: [] };

  it('reproduces R’s fitted values, final state and 10-step forecasts', () => {
    const run = runEts(LIVESTOCK, DAMPED, params, initial);
    const fitted = [
      259.3550056432622, 270.4289967934267, 274.8592904290865, 267.39692512602, 272.8973342399166, 283.5097477537724, 289.8173030536191, 296.1681519198575,
      298.3242395451272, 306.4048515803347, 314.7385626924191, 323.654343940681, 334.5326742248959, 343.9740317200002, 344.4655083831382, 334.0077050580596,
      319.661592666504, 319.3896003340806, 326.0602987063282, 334.2979150278692, 350.5857684386102, 356.6778433630504, 352.9214155841161, 420.1387040536467,
      421.3712573771029, 421.9291611265248, 416.4886933168049, 415.9872490289468, 399.0919861792231, 405.2020670104834, 411.8810877289437,
    ];
    expectClose(run.fitted, fitted, 1e-4);
    expect(run.state.level).toBeCloseTo(414.1814574903921, 4);
    expect(run.state.slope).toBeCloseTo(3.690553892582855, 4);
    expectClose(forecastEts(DAMPED, params, run.state, 10), [417.7982003051233, 421.3426082635598, 424.8161280628277, 428.2201774661102, 431.556145881327, 434.8253949282395, 438.0292589942138, 441.1690457788685, 444.2460368278302, 447.2614880558126], 1e-4);
    // R: res$mse (mean squared one-step error).
    expect(run.sse / LIVESTOCK.length).toBeCloseTo(195.4397924865488, 3);
  });
});

describe('simulateEts (austourists, against R simulate(ets(…), innov))', () => {
  const innov = [1.76405235, 0.40015721, 0.97873798, 2.2408932];
  // R's final states: s1 is the latest season, so oldest-first is [s4, s3, s2, s1].
  const cases: { name: string; model: EtsModel; r: { alpha: number; beta?: number; gamma?: number; phi?: number; l: number; b?: number; s?: [number, number, number, number] }; expected: number[] }[] = [
    {
      name: 'ETS(A,A,A)', model: { trend: 'additive', season: 'additive', period: 4 },
      r: { alpha: 0.20281951627363, beta: 0.000169786227368617, gamma: 0.464523797585052, l: 62.5598121416791, b: 0.578091734736357, s: [2.61176734723357, -1.24386240029203, -12.9575427049515, 12.2066400808086] },
      expected: [77.1086, 51.51669, 64.46857, 70.36349],
    },
    {
      name: 'ETS(A,Ad,A)', model: { trend: 'damped', season: 'additive', period: 4 },
      r: { alpha: 0.35445427317618, beta: 0.0320074905894167, gamma: 0.399933869627979, phi: 0.979999965983533, l: 62.003405788717, b: 0.706524957599738, s: [3.58786406600866, -0.0747450283892903, -11.7569356589817, 13.3818805055271] },
      expected: [77.84173, 52.69818, 65.83254, 71.85204],
    },
    {
      name: 'ETS(A,N,A)', model: { trend: 'none', season: 'additive', period: 4 },
      r: { alpha: 0.54216694759434, gamma: 0.392030170511872, l: 57.606831186929, s: [8.29613785790501, 4.6033791939889, -7.43956343440823, 17.722316385643] },
      expected: [77.0932, 51.52384, 64.36231, 69.84786],
    },
    {
      name: 'ETS(A,A,N)', model: HOLT,
      r: { alpha: 0.0097430554119077, beta: 0.00974302759255084, l: 61.1430969243248, b: 0.759041621012503 },
      expected: [63.66619, 63.09571, 64.45832, 66.51967],
    },
    {
      name: 'ETS(A,Ad,N)', model: DAMPED,
      r: { alpha: 0.014932817259302, beta: 0.0149327068053362, phi: 0.979919958387887, l: 60.0651024395378, b: 0.699112782133822 },
      expected: [62.51423, 61.87381, 63.14735, 65.1136],
    },
    { name: 'ETS(A,N,N)', model: NONE, r: { alpha: 0.196432515825523, l: 58.7718395431632 }, expected: [60.53589, 59.51851, 60.1757, 61.63011] },
  ];
  for (const c of cases) {
    it(`reproduces R's ${c.name} sample path`, () => {
      const params: EtsParams = { alpha: c.r.alpha, beta: (c.r.beta ?? 0) / c.r.alpha, gamma: c.r.gamma ?? 0, phi: c.r.phi ?? 1 };
      const s = c.r.s;
      const state = { level: c.r.l, slope: c.r.b ?? 0, seasons: s ? [s[3], s[2], s[1], s[0]] : [] };
      expectClose(simulateEts(c.model, params, state, innov), c.expected, 1e-4);
    });
  }
});

describe('fitEts', () => {
  it('fits austourists with ETS(A,A,A) close to R’s fit (forecasts within 3 % of R’s, from R’s final state)', () => {
    const model: EtsModel = { trend: 'additive', season: 'additive', period: 4 };
    const fit = fitEts(AUSTOURISTS, model);
    expect(fit).not.toBeNull();
    if (!fit) return;
    const r = { level: 62.5598121416791, slope: 0.578091734736357, seasons: [12.2066400808086, -12.9575427049515, -1.24386240029203, 2.61176734723357] };
    const rParams: EtsParams = { alpha: 0.20281951627363, beta: 0.000169786227368617 / 0.20281951627363, gamma: 0.464523797585052, phi: 1 };
    const ours = forecastEts(model, fit.params, fit.run.state, 8);
    const theirs = forecastEts(model, rParams, r, 8);
    ours.forEach((v, i) => expect(Math.abs(v / (theirs[i] as number) - 1)).toBeLessThan(0.03));
  });

  it('recovers a noiseless additive trend and season exactly enough to forecast it', () => {
    const y = Array.from({ length: 40 }, (_, t) => 100 + 2 * t + [10, -5, -15, 10][t % 4]!);
    const fit = fitEts(y, { trend: 'additive', season: 'additive', period: 4 });
    const next = forecastEts({ trend: 'additive', season: 'additive', period: 4 }, fit!.params, fit!.run.state, 4);
    expectClose(next, [180 + 10, 182 - 5, 184 - 15, 186 + 10], 0.5);
  });

  it('keeps parameters inside the admissible region (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: 8, maxLength: 24 }), (y) => {
        const fit = fitEts(y, { trend: 'damped', season: 'multiplicative', period: 4 });
        if (!fit) return;
        expect(fit.params.alpha).toBeGreaterThan(0);
        expect(fit.params.alpha).toBeLessThan(1);
        expect(fit.params.gamma).toBeLessThanOrEqual(1 - fit.params.alpha);
        expect(fit.params.phi).toBeGreaterThanOrEqual(0.8);
        expect(fit.params.phi).toBeLessThanOrEqual(0.98);
      }),
      { numRuns: 30 },
    );
  });

  it('refuses a seasonal model with fewer than two seasons and multiplicative seasons for non-positive data', () => {
    expect(fitEts([1, 2, 3, 4, 5, 6, 7], { trend: 'none', season: 'additive', period: 4 })).toBeNull();
    expect(fitEts([1, 0, 3, 4, 5, 6, 7, 8], { trend: 'none', season: 'multiplicative', period: 4 })).toBeNull();
  });
});

describe('initialEtsState', () => {
  it('normalises additive seasons to sum 0 and multiplicative to average 1', () => {
    const add = initialEtsState(AUSTOURISTS, { trend: 'additive', season: 'additive', period: 4 });
    expect(add.seasons.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
    const mul = initialEtsState(AUSTOURISTS, { trend: 'additive', season: 'multiplicative', period: 4 });
    expect(mul.seasons.reduce((a, b) => a + b, 0) / 4).toBeCloseTo(1, 9);
  });
});

describe('etsForecastVariance', () => {
  it('matches the closed forms FPP3 §8.7 gives for ETS(A,N,N), ETS(A,A,N) and ETS(A,N,A)', () => {
    const sigma2 = 2;
    const [a, bStar, g] = [0.3, 0.2, 0.1];
    const beta = a * bStar; // state-space β
    const ann = etsForecastVariance(NONE, { alpha: a, beta: 0, gamma: 0, phi: 1 }, sigma2, 5);
    ann.forEach((v, i) => expect(v).toBeCloseTo(sigma2 * (1 + a * a * i), 10));
    const aan = etsForecastVariance(HOLT, { alpha: a, beta: bStar, gamma: 0, phi: 1 }, sigma2, 6);
    aan.forEach((v, i) => {
      const h = i + 1;
      expect(v).toBeCloseTo(sigma2 * (1 + (h - 1) * (a * a + a * beta * h + (beta * beta * h * (2 * h - 1)) / 6)), 10);
    });
    const ana = etsForecastVariance({ trend: 'none', season: 'additive', period: 4 }, { alpha: a, beta: 0, gamma: g, phi: 1 }, sigma2, 12);
    ana.forEach((v, i) => {
      const h = i + 1;
      const k = Math.floor((h - 1) / 4);
      expect(v).toBeCloseTo(sigma2 * (1 + a * a * (h - 1) + g * k * (2 * a + g)), 10);
    });
  });
});

/**
 * Forecast accuracy over kept snapshots, per group, per period and overall. With
 * F the forecast and A the actual of a (group, period) point:
 *
 *   MAE  = Σ|F − A| / n                      (minor units)
 *   MAPE = Σ(|F − A| / |A|) / n'             over the n' points with A ≠ 0
 *   WAPE = Σ|F − A| / Σ|A|                   (all points; undefined when Σ|A| = 0)
 *   bias = Σ(F − A) / Σ|A|                   (positive: over-forecast; undefined when Σ|A| = 0)
 *   accuracy = max(0, 1 − WAPE)              (what a key result like "90 % forecast accuracy" reads)
 *
 * Zero actuals: a point with A = 0 has no percentage error, so MAPE leaves it out and
 * counts it in `zeroActualPoints` (MAPE is null when every actual is 0); it still counts in
 * MAE, WAPE and bias through |F − A|. WAPE is the headline measure because it stays defined
 * and is not dominated by small periods. Snapshots whose period has no actual yet are pending,
 * not errors.
 */
import { addDays, epochDay, parsePeriod, type FiscalCalendar } from '../period.js';

export interface ForecastSnapshotRow {
  groupKey: string;
  /** The forecast period ('2026-Q1'). */
  period: string;
  forecastMinor: number;
  /** 'YYYY-MM-DD' the snapshot was taken. */
  takenOn: string;
}

export interface ActualRow {
  groupKey: string;
  period: string;
  actualMinor: number;
}

export interface AccuracyStats {
  points: number;
  zeroActualPoints: number;
  forecastTotalMinor: number;
  actualTotalMinor: number;
  maeMinor: number | null;
  /** Ratios: 0.12 = 12 %. */
  mape: number | null;
  wape: number | null;
  bias: number | null;
  accuracy: number | null;
}

export interface AccuracyReport {
  overall: AccuracyStats;
  byGroup: { groupKey: string; stats: AccuracyStats }[];
  byPeriod: { period: string; stats: AccuracyStats }[];
  /** Snapshots without an actual yet. */
  pending: number;
}

interface Point {
  groupKey: string;
  period: string;
  f: number;
  a: number;
}

/**
 * Statistics of matched (forecast, actual) pairs.
 * @example accuracyStats([{ forecastMinor: 110, actualMinor: 100 }, { forecastMinor: 170, actualMinor: 200 }]).wape // 40/300
 */
export function accuracyStats(points: readonly { forecastMinor: number; actualMinor: number }[]): AccuracyStats {
  let absError = 0;
  let error = 0;
  let absActual = 0;
  let pctSum = 0;
  let pctN = 0;
  let f = 0;
  let a = 0;
  for (const p of points) {
    const e = p.forecastMinor - p.actualMinor;
    absError += Math.abs(e);
    error += e;
    absActual += Math.abs(p.actualMinor);
    f += p.forecastMinor;
    a += p.actualMinor;
    if (p.actualMinor !== 0) {
      pctSum += Math.abs(e) / Math.abs(p.actualMinor);
      pctN += 1;
    }
  }
  const n = points.length;
  const wape = absActual === 0 ? null : absError / absActual;
  return {
    points: n,
    zeroActualPoints: n - pctN,
    forecastTotalMinor: f,
    actualTotalMinor: a,
    maeMinor: n === 0 ? null : absError / n,
    mape: pctN === 0 ? null : pctSum / pctN,
    wape,
    bias: absActual === 0 ? null : error / absActual,
    accuracy: wape === null ? null : Math.max(0, 1 - wape),
  };
}

/**
 * Measures snapshots against actuals. Give one snapshot per (group, period): see pickSnapshots.
 * @example forecastAccuracy({ snapshots, actuals }).overall.wape // 0.08
 */
export function forecastAccuracy(input: { snapshots: readonly ForecastSnapshotRow[]; actuals: readonly ActualRow[] }): AccuracyReport {
  const actual = new Map(input.actuals.map((r) => [`${r.groupKey}\u0000${r.period}`, r.actualMinor] as const));
  const points: Point[] = [];
  let pending = 0;
  for (const s of input.snapshots) {
    const a = actual.get(`${s.groupKey}\u0000${s.period}`);
    if (a === undefined) pending += 1;
    else points.push({ groupKey: s.groupKey, period: s.period, f: s.forecastMinor, a });
  }
  const by = (key: (p: Point) => string): [string, Point[]][] => {
    const m = new Map<string, Point[]>();
    for (const p of points) {
      const k = key(p);
      const list = m.get(k);
      if (list) list.push(p);
      else m.set(k, [p]);
    }
    return [...m.entries()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  };
  const stats = (ps: readonly Point[]): AccuracyStats => accuracyStats(ps.map((p) => ({ forecastMinor: p.f, actualMinor: p.a })));
  return {
    overall: stats(points),
    byGroup: by((p) => p.groupKey).map(([groupKey, ps]) => ({ groupKey, stats: stats(ps) })),
    byPeriod: by((p) => p.period).map(([period, ps]) => ({ period, stats: stats(ps) })),
    pending,
  };
}

/**
 * From all kept snapshots, the one per (group, period) that was current `leadDays` before
 * the period started (default 0: the forecast standing when the period began), i.e. the
 * latest taken on or before start − leadDays. Points without such a snapshot are left out.
 * @example pickSnapshots({ snapshots, calendar: CALENDAR_YEAR, leadDays: 0 })
 */
export function pickSnapshots(input: { snapshots: readonly ForecastSnapshotRow[]; calendar: FiscalCalendar; leadDays?: number }): ForecastSnapshotRow[] {
  const best = new Map<string, ForecastSnapshotRow>();
  const cutoffs = new Map<string, number>();
  for (const s of input.snapshots) {
    let cutoff = cutoffs.get(s.period);
    if (cutoff === undefined) {
      const parsed = parsePeriod(s.period, input.calendar);
      if (!parsed.ok) throw new Error(`not a period: ${s.period}`);
      cutoffs.set(s.period, (cutoff = epochDay(addDays(parsed.period.start, -(input.leadDays ?? 0)))));
    }
    const taken = epochDay(s.takenOn);
    if (taken > cutoff) continue;
    const key = `${s.groupKey}\u0000${s.period}`;
    const current = best.get(key);
    if (!current || epochDay(current.takenOn) < taken) best.set(key, s);
  }
  return [...best.values()];
}

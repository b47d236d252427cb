/**
 * Bookings per group (team, territory, rep) and period, and their time-series forecast in
 * minor units: what the forecast chart shows (actuals, fitted, forecast and interval band).
 * Periods are calendar months or fiscal quarters (period.ts); a period without bookings is 0.
 */
import { listPeriods, parsePeriod, periodContaining, type FiscalCalendar } from '../period.js';
import { forecastSeries, type ForecastSeriesOptions, type SeriesForecast, type SeriesForecastFlag } from './time-series.js';

export interface Booking {
  /** 'YYYY-MM-DD', e.g. the close date of a won deal. */
  date: string;
  amountMinor: number;
  /** The team, territory or rep it counts for. */
  groupKey: string;
}

export type BookingPeriodKind = 'month' | 'quarter';

export interface BookingSeries {
  groupKey: string;
  /** Period keys in order ('2026-03' or '2026-Q1'). */
  periods: string[];
  valuesMinor: number[];
}

export interface BookingSeriesInput {
  bookings: readonly Booking[];
  periodKind: BookingPeriodKind;
  /** First day of the first period. */
  from: string;
  /** Day after the last period (exclusive); periods overlapping it are included. */
  to: string;
  calendar: FiscalCalendar;
  /** Groups to include even without bookings (default: those with bookings). */
  groupKeys?: readonly string[];
}

/** Index of the month/quarter of a 'YYYY-MM-DD' date, cheap enough for a million rows. */
function periodIndex(date: string, kind: BookingPeriodKind, calendar: FiscalCalendar): number {
  const month = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
  return kind === 'month' ? month : Math.floor((month - (calendar.fiscalYearStartMonth - 1)) / 3);
}

/**
 * Sums bookings per group and period.
 * @example bookingSeries({ bookings, periodKind: 'quarter', from: '2022-01-01', to: '2026-01-01', calendar: CALENDAR_YEAR })[0].periods[0] // '2022-Q1'
 */
export function bookingSeries(input: BookingSeriesInput): BookingSeries[] {
  const periods = listPeriods(input.periodKind, input.from, input.to, input.calendar);
  if (periods.length === 0) return [];
  const first = periodIndex(periods[0]?.start ?? input.from, input.periodKind, input.calendar);
  const keys = periods.map((p) => p.key);
  const byGroup = new Map<string, number[]>();
  for (const key of input.groupKeys ?? []) byGroup.set(key, new Array<number>(keys.length).fill(0));
  for (const b of input.bookings) {
    const i = periodIndex(b.date, input.periodKind, input.calendar) - first;
    if (i < 0 || i >= keys.length) continue;
    let values = byGroup.get(b.groupKey);
    if (!values) {
      if (input.groupKeys) continue;
      byGroup.set(b.groupKey, (values = new Array<number>(keys.length).fill(0)));
    }
    values[i] = (values[i] ?? 0) + b.amountMinor;
  }
  return [...byGroup.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([groupKey, valuesMinor]) => ({ groupKey, periods: [...keys], valuesMinor }));
}

/**
 * The keys of `count` periods from the one containing `from`.
 * @example nextPeriods({ from: '2026-01-01', kind: 'quarter', count: 2, calendar: CALENDAR_YEAR }) // ['2026-Q1', '2026-Q2']
 */
export function nextPeriods(input: { from: string; kind: BookingPeriodKind; count: number; calendar: FiscalCalendar }): string[] {
  const { kind, calendar } = input;
  const out: string[] = [];
  let current = periodContaining(kind, input.from, calendar);
  for (let i = 0; i < input.count; i += 1) {
    out.push(current.key);
    current = periodContaining(kind, current.end, calendar);
  }
  return out;
}

export interface BookingsForecast {
  groupKey: string;
  method: SeriesForecast['method'];
  modelName: string;
  isFallback: boolean;
  flags: SeriesForecastFlag[];
  history: { period: string; actualMinor: number; fittedMinor: number | null }[];
  forecast: { period: string; meanMinor: number; intervals: { level: number; lowerMinor: number; upperMinor: number }[] }[];
  /** The full numeric result (parameters, candidates, σ). */
  detail: SeriesForecast;
}

/**
 * Forecasts each series `horizon` periods ahead; amounts are rounded to whole minor units.
 * @example forecastBookings({ series, periodKind: 'quarter', horizon: 4, calendar: CALENDAR_YEAR })[0].forecast[0] // { period: '2026-Q1', meanMinor, intervals }
 */
export function forecastBookings(input: { series: readonly BookingSeries[]; periodKind: BookingPeriodKind; horizon: number; calendar: FiscalCalendar; options?: Omit<ForecastSeriesOptions, 'period' | 'horizon'> }): BookingsForecast[] {
  const period = input.periodKind === 'month' ? 12 : 4;
  return input.series.map((s) => {
    const detail = forecastSeries(s.valuesMinor, { ...input.options, period, horizon: input.horizon });
    const lastKey = s.periods[s.periods.length - 1];
    const future = lastKey === undefined ? [] : nextPeriods({ from: periodEnd(lastKey, input.calendar), kind: input.periodKind, count: input.horizon, calendar: input.calendar });
    return {
      groupKey: s.groupKey,
      method: detail.method,
      modelName: detail.modelName,
      isFallback: detail.isFallback,
      flags: detail.flags,
      history: s.periods.map((p, i) => {
        const fitted = detail.fitted[i];
        return { period: p, actualMinor: s.valuesMinor[i] ?? 0, fittedMinor: fitted === null || fitted === undefined ? null : Math.round(fitted) };
      }),
      forecast: detail.points.map((p, i) => ({
        period: future[i] ?? `+${p.step}`,
        meanMinor: Math.round(p.mean),
        intervals: p.intervals.map((iv) => ({ level: iv.level, lowerMinor: Math.round(iv.lower), upperMinor: Math.round(iv.upper) })),
      })),
      detail,
    };
  });
}

function periodEnd(key: string, calendar: FiscalCalendar): string {
  const parsed = parsePeriod(key, calendar);
  if (!parsed.ok) throw new Error(`not a period: ${key}`);
  return parsed.period.end;
}

/**
 * Periods on a tenant's fiscal calendar, and the calendar arithmetic behind them (pure: no
 * Date, no clock). Every period resolves to calendar dates `[start, end)`, end exclusive.
 *
 * Keys:
 * - `2026-W05`  ISO week (Monday to Sunday; week 1 holds the year's first Thursday);
 * - `2026-03`   calendar month;
 * - `2026-Q1`   fiscal quarter: the first quarter of fiscal year 2026;
 * - `FY2026`    fiscal year. A fiscal year is named by the calendar year it STARTS in:
 *               with a fiscal year starting in April, FY2026 = 2026-04-01 .. 2027-04-01;
 * - `2026-01-15..2026-02-14`  custom range, both dates inclusive (end = 2026-02-15 exclusive).
 *
 * Months and ISO weeks are calendar periods; quarters and years follow `fiscalYearStartMonth`.
 */

export type PeriodKind = 'week' | 'month' | 'quarter' | 'year' | 'range';

export interface Period {
  key: string;
  kind: PeriodKind;
  /** First day, 'YYYY-MM-DD'. */
  start: string;
  /** The day after the last day, 'YYYY-MM-DD' (exclusive). */
  end: string;
}

export interface FiscalCalendar {
  /** 1–12: the month the fiscal year starts in (1 = calendar year). */
  fiscalYearStartMonth: number;
}

export const CALENDAR_YEAR: FiscalCalendar = { fiscalYearStartMonth: 1 };

export interface PeriodIssue {
  code: 'bad_period';
  path: string;
  message: string;
}

export type PeriodBaseline = 'previous_period' | 'same_period_last_year';

const MIN_YEAR = 1000;
const MAX_YEAR = 9998;
export const MS_PER_DAY = 86_400_000;

// ---------------------------------------------------------------------------------------
// Calendar arithmetic on epoch days (days since 1970-01-01), proleptic Gregorian.

/** Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of an epoch day. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Epoch day of a 'YYYY-MM-DD' date, or null when it is not a real date.
 * @example toEpochDay('1970-01-02') // 1
 */
export function toEpochDay(date: string): number | null {
  const match = DATE_PATTERN.exec(date);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, day);
}

/** Like toEpochDay, for dates already known to be valid (throws otherwise: a bug). */
export function epochDay(date: string): number {
  const days = toEpochDay(date);
  if (days === null) throw new Error(`not a date: ${date}`);
  return days;
}

/** @example formatEpochDay(0) // '1970-01-01' */
export function formatEpochDay(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Adds days to a date. @example addDays('2026-02-28', 1) // '2026-03-01' */
export function addDays(date: string, days: number): string {
  return formatEpochDay(epochDay(date) + days);
}

/** ISO weekday, Monday = 1 … Sunday = 7. */
export function isoWeekday(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** Epoch day of the Monday of ISO week 1 of an ISO week-year. */
function isoWeekOneMonday(year: number): number {
  const jan4 = daysFromCivil(year, 1, 4);
  return jan4 - (isoWeekday(jan4) - 1);
}

/** How many ISO weeks (52 or 53) an ISO week-year has. */
export function isoWeeksInYear(year: number): number {
  return (isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / 7;
}

/** The ISO week-year and week of a day. @example isoWeekOf(epochDay('2027-01-01')) // { year: 2026, week: 53 } */
export function isoWeekOf(days: number): { year: number; week: number } {
  const { year } = civilFromDays(days);
  for (const y of [year + 1, year, year - 1]) {
    const monday = isoWeekOneMonday(y);
    if (days >= monday) return { year: y, week: Math.floor((days - monday) / 7) + 1 };
  }
  throw new Error('unreachable: every day is in some ISO week-year');
}

/** Adds whole months to (year, month). */
function addMonths(year: number, month: number, months: number): { year: number; month: number } {
  const index = year * 12 + (month - 1) + months;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

const INSTANT_PATTERN = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Milliseconds since the epoch of an ISO-8601 instant with an offset (at most millisecond
 * precision), or null when it is not one.
 * @example parseInstant('1970-01-02T00:00:00.5+01:00') // 82800500
 */
export function parseInstant(value: string): number | null {
  const match = INSTANT_PATTERN.exec(value);
  if (!match) return null;
  const days = toEpochDay(match[1] ?? '');
  const hours = Number(match[2]);
  const minutes = Number(match[3]);
  const seconds = Number(match[4] ?? '0');
  const millis = Number((match[5] ?? '0').padEnd(3, '0'));
  if (days === null || hours > 23 || minutes > 59 || seconds > 59) return null;
  const zone = match[6] ?? 'Z';
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    offsetMinutes = sign * (oh * 60 + om);
  }
  return days * MS_PER_DAY + ((hours * 60 + minutes - offsetMinutes) * 60 + seconds) * 1000 + millis;
}

/** The UTC ISO instant of epoch milliseconds. @example formatInstant(0) // '1970-01-01T00:00:00.000Z' */
export function formatInstant(ms: number): string {
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${formatEpochDay(days)}T${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(millis, 3)}Z`;
}

// ---------------------------------------------------------------------------------------
// Periods

function checkFiscal(calendar: FiscalCalendar): number {
  const m = calendar.fiscalYearStartMonth;
  if (!Number.isInteger(m) || m < 1 || m > 12) throw new Error(`fiscalYearStartMonth must be 1–12, got ${m}`);
  return m;
}

function fromDays(key: string, kind: PeriodKind, start: number, end: number): Period {
  return { key, kind, start: formatEpochDay(start), end: formatEpochDay(end) };
}

/** ISO week `year-Www`. */
export function weekPeriod(year: number, week: number): Period {
  const start = isoWeekOneMonday(year) + (week - 1) * 7;
  return fromDays(`${pad(year, 4)}-W${pad(week, 2)}`, 'week', start, start + 7);
}

export function monthPeriod(year: number, month: number): Period {
  const next = addMonths(year, month, 1);
  return fromDays(`${pad(year, 4)}-${pad(month, 2)}`, 'month', daysFromCivil(year, month, 1), daysFromCivil(next.year, next.month, 1));
}

/** Fiscal quarter `year-Qn`: quarter n of the fiscal year that starts in `year`. */
export function quarterPeriod(fiscalYear: number, quarter: number, calendar: FiscalCalendar): Period {
  const first = addMonths(fiscalYear, checkFiscal(calendar), (quarter - 1) * 3);
  const next = addMonths(first.year, first.month, 3);
  return fromDays(`${pad(fiscalYear, 4)}-Q${quarter}`, 'quarter', daysFromCivil(first.year, first.month, 1), daysFromCivil(next.year, next.month, 1));
}

/** Fiscal year `FYyyyy`, named by the calendar year it starts in. */
export function fiscalYearPeriod(fiscalYear: number, calendar: FiscalCalendar): Period {
  const month = checkFiscal(calendar);
  return fromDays(`FY${pad(fiscalYear, 4)}`, 'year', daysFromCivil(fiscalYear, month, 1), daysFromCivil(fiscalYear + 1, month, 1));
}

/** A custom range; `last` is inclusive. */
export function rangePeriod(first: string, last: string): Period {
  const start = epochDay(first);
  const end = epochDay(last) + 1;
  return fromDays(`${first}..${last}`, 'range', start, end);
}

/** The fiscal year (named by its start year) a day falls in. */
export function fiscalYearOf(days: number, calendar: FiscalCalendar): number {
  const month = checkFiscal(calendar);
  const { year, month: m } = civilFromDays(days);
  return m >= month ? year : year - 1;
}

const issue = (message: string, path = 'period'): { ok: false; issues: PeriodIssue[] } => ({ ok: false, issues: [{ code: 'bad_period', path, message }] });
const inYears = (year: number): boolean => year >= MIN_YEAR && year <= MAX_YEAR;

/**
 * Parses a period key on a fiscal calendar. Expected failures come back as issues.
 * @example parsePeriod('2026-Q1', { fiscalYearStartMonth: 4 }) // { ok: true, period: { key: '2026-Q1', kind: 'quarter', start: '2026-04-01', end: '2026-07-01' } }
 */
export function parsePeriod(key: string, calendar: FiscalCalendar, path = 'period'): { ok: true; period: Period } | { ok: false; issues: PeriodIssue[] } {
  const text = key.trim();
  let match = /^(\d{4})-W(\d{2})$/.exec(text);
  if (match) {
    const year = Number(match[1]);
    const week = Number(match[2]);
    if (!inYears(year)) return issue(`year out of range in "${key}"`, path);
    if (week < 1 || week > isoWeeksInYear(year)) return issue(`${year} has ISO weeks 1–${isoWeeksInYear(year)}`, path);
    return { ok: true, period: weekPeriod(year, week) };
  }
  match = /^(\d{4})-(\d{2})$/.exec(text);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    if (!inYears(year) || month < 1 || month > 12) return issue(`not a month: "${key}"`, path);
    return { ok: true, period: monthPeriod(year, month) };
  }
  match = /^(\d{4})-Q([1-4])$/.exec(text);
  if (match) {
    const year = Number(match[1]);
    if (!inYears(year)) return issue(`year out of range in "${key}"`, path);
    return { ok: true, period: quarterPeriod(year, Number(match[2]), calendar) };
  }
  match = /^FY(\d{4})$/.exec(text);
  if (match) {
    const year = Number(match[1]);
    if (!inYears(year)) return issue(`year out of range in "${key}"`, path);
    return { ok: true, period: fiscalYearPeriod(year, calendar) };
  }
  match = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(text);
  if (match) {
    const first = match[1] ?? '';
    const last = match[2] ?? '';
    const start = toEpochDay(first);
    const end = toEpochDay(last);
    if (start === null || end === null) return issue(`not a date range: "${key}"`, path);
    if (end < start) return issue(`the range ends before it starts: "${key}"`, path);
    if (!inYears(civilFromDays(start).year) || !inYears(civilFromDays(end).year)) return issue(`year out of range in "${key}"`, path);
    return { ok: true, period: rangePeriod(first, last) };
  }
  return issue(`"${key}" is not a period: use 2026-W05, 2026-03, 2026-Q1, FY2026 or 2026-01-15..2026-02-14`, path);
}

/** The period of a kind that contains a date. @example periodContaining('quarter', '2026-03-31', { fiscalYearStartMonth: 4 }).key // '2025-Q4' */
export function periodContaining(kind: Exclude<PeriodKind, 'range'>, date: string, calendar: FiscalCalendar): Period {
  const days = epochDay(date);
  switch (kind) {
    case 'week': {
      const { year, week } = isoWeekOf(days);
      return weekPeriod(year, week);
    }
    case 'month': {
      const { year, month } = civilFromDays(days);
      return monthPeriod(year, month);
    }
    case 'quarter': {
      const fy = fiscalYearOf(days, calendar);
      const { year, month } = civilFromDays(days);
      const monthsIn = (year - fy) * 12 + month - checkFiscal(calendar);
      return quarterPeriod(fy, Math.floor(monthsIn / 3) + 1, calendar);
    }
    case 'year':
      return fiscalYearPeriod(fiscalYearOf(days, calendar), calendar);
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown period kind ${String(unreachable)}`);
    }
  }
}

/**
 * The periods of a kind that overlap `[from, to)`, in order.
 * @example listPeriods('quarter', '2026-01-01', '2026-07-01', CALENDAR_YEAR).map((p) => p.key) // ['2026-Q1', '2026-Q2']
 */
export function listPeriods(kind: Exclude<PeriodKind, 'range'>, from: string, to: string, calendar: FiscalCalendar): Period[] {
  const end = epochDay(to);
  const out: Period[] = [];
  if (end <= epochDay(from)) return out;
  let current = periodContaining(kind, from, calendar);
  while (epochDay(current.start) < end) {
    out.push(current);
    current = periodContaining(kind, current.end, calendar);
  }
  return out;
}

/**
 * The period just before: the previous week, month, quarter or fiscal year; for a custom
 * range, the range of the same length that ends where it starts.
 * @example previousPeriod(parsePeriod('2026-Q1', CALENDAR_YEAR) …).key // '2025-Q4'
 */
export function previousPeriod(period: Period, calendar: FiscalCalendar): Period {
  const start = epochDay(period.start);
  switch (period.kind) {
    case 'week':
    case 'month':
    case 'quarter':
    case 'year':
      return periodContaining(period.kind, formatEpochDay(start - 1), calendar);
    case 'range': {
      const length = epochDay(period.end) - start;
      return rangePeriod(formatEpochDay(start - length), formatEpochDay(start - 1));
    }
    default: {
      const unreachable: never = period.kind;
      throw new Error(`unknown period kind ${String(unreachable)}`);
    }
  }
}

/** The same calendar date a year earlier; 29 February becomes 28 February. */
function sameDayLastYear(date: string): string {
  const { year, month, day } = civilFromDays(epochDay(date));
  return formatEpochDay(daysFromCivil(year - 1, month, Math.min(day, daysInMonth(year - 1, month))));
}

/**
 * The same period one year earlier: the same ISO week number (week 53 becomes week 52 in
 * a year without one), month, fiscal quarter or fiscal year; a custom range moves both
 * dates back a year (29 February becomes 28 February).
 */
export function samePeriodLastYear(period: Period, calendar: FiscalCalendar): Period {
  switch (period.kind) {
    case 'week': {
      const { year, week } = isoWeekOf(epochDay(period.start));
      return weekPeriod(year - 1, Math.min(week, isoWeeksInYear(year - 1)));
    }
    case 'month':
    case 'quarter':
    case 'year':
      return periodContaining(period.kind, sameDayLastYear(period.start), calendar);
    case 'range':
      return rangePeriod(sameDayLastYear(period.start), sameDayLastYear(addDays(period.end, -1)));
    default: {
      const unreachable: never = period.kind;
      throw new Error(`unknown period kind ${String(unreachable)}`);
    }
  }
}

/** The baseline a `change` metric compares against. */
export function baselinePeriod(period: Period, baseline: PeriodBaseline, calendar: FiscalCalendar): Period {
  switch (baseline) {
    case 'previous_period':
      return previousPeriod(period, calendar);
    case 'same_period_last_year':
      return samePeriodLastYear(period, calendar);
    default: {
      const unreachable: never = baseline;
      throw new Error(`unknown baseline ${String(unreachable)}`);
    }
  }
}

/**
 * Ramp for new hires: a rep's selling capacity by month of tenure.
 *
 * Month 1 of tenure is the calendar month the rep starts in; month k is the (k−1)-th month
 * after it. Capacity in tenure month k is `monthlyFactors[k−1]`, and 1 from the first month
 * past the curve. The start month (and a leaving month) is prorated by the days the rep is
 * on board. Default curve: 25 %, 50 %, 75 %, then 100 % from the fourth month (a common
 * three-month ramp for SMB/mid-market AEs; enterprise teams often use six months).
 */
import { civilFromDays, daysInMonth, epochDay, type FiscalCalendar } from '../period.js';

export interface RampCurve {
  /** Capacity (0–1) in tenure months 1, 2, …; 1 after the last entry. */
  monthlyFactors: readonly number[];
}

export const DEFAULT_RAMP: RampCurve = { monthlyFactors: [0.25, 0.5, 0.75] };
export const NO_RAMP: RampCurve = { monthlyFactors: [] };

export interface RampInput {
  /** The first day the rep sells, 'YYYY-MM-DD'. */
  startDate: string;
  /** The last day the rep sells (inclusive), if they leave. */
  endDate?: string | null;
  /** Full-time equivalent, 0–1 (default 1). */
  fte?: number;
}

export interface RampYearInput {
  rep: RampInput;
  fiscalYear: number;
  calendar: FiscalCalendar;
  /** Default DEFAULT_RAMP. */
  curve?: RampCurve;
}

/**
 * Capacity (0–1, times FTE) of a rep in one calendar month.
 * @example rampFactor({ rep: { startDate: '2026-01-01' }, year: 2026, month: 2 }) // 0.5
 */
export function rampFactor(input: { rep: RampInput; year: number; month: number; curve?: RampCurve }): number {
  return factorOf(parseRep(input.rep), input.year, input.month, input.curve ?? DEFAULT_RAMP);
}

interface ParsedRep {
  start: { year: number; month: number; day: number };
  end: { year: number; month: number; day: number } | null;
  fte: number;
}

const parseRep = (rep: RampInput): ParsedRep => ({
  start: civilFromDays(epochDay(rep.startDate)),
  end: rep.endDate ? civilFromDays(epochDay(rep.endDate)) : null,
  fte: rep.fte ?? 1,
});

function factorOf(rep: ParsedRep, year: number, month: number, curve: RampCurve): number {
  const { start, end } = rep;
  const tenureMonth = (year - start.year) * 12 + (month - start.month) + 1;
  if (tenureMonth < 1) return 0;
  const days = daysInMonth(year, month);
  const firstDay = tenureMonth === 1 ? start.day : 1;
  let lastDay = days;
  if (end) {
    const endIndex = end.year * 12 + end.month;
    const index = year * 12 + month;
    if (index > endIndex) return 0;
    if (index === endIndex) lastDay = end.day;
  }
  if (lastDay < firstDay) return 0;
  const onBoard = (lastDay - firstDay + 1) / days;
  const factor = curve.monthlyFactors[tenureMonth - 1] ?? 1;
  return Math.max(0, Math.min(1, factor)) * onBoard * rep.fte;
}

/**
 * A rep's capacity in each month of a fiscal year (12 entries, in fiscal order).
 * @example rampedMonths({ rep: { startDate: '2026-11-01' }, fiscalYear: 2026, calendar: CALENDAR_YEAR }) // [0, …, 0, 0.25, 0.5]
 */
export function rampedMonths(input: RampYearInput): number[] {
  const { rep, fiscalYear, calendar } = input;
  const curve = input.curve ?? DEFAULT_RAMP;
  if (!Number.isInteger(calendar.fiscalYearStartMonth) || calendar.fiscalYearStartMonth < 1 || calendar.fiscalYearStartMonth > 12) throw new Error('fiscalYearStartMonth must be 1–12');
  const parsed = parseRep(rep);
  const first = fiscalYear * 12 + calendar.fiscalYearStartMonth - 1;
  return Array.from({ length: 12 }, (_, i) => factorOf(parsed, Math.floor((first + i) / 12), ((first + i) % 12) + 1, curve));
}

/**
 * Effective selling months in a fiscal year (0–12): the capacity weight of a rep.
 * @example capacityMonths({ rep: { startDate: '2026-07-01' }, fiscalYear: 2026, calendar: CALENDAR_YEAR }) // 4.5
 */
export function capacityMonths(input: RampYearInput): number {
  return rampedMonths(input).reduce((a, b) => a + b, 0);
}

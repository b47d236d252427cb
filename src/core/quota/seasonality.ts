/**
 * Seasonality of a yearly quota: monthly shares learned from history, and the split of a
 * yearly quota into fiscal months and quarters that reconciles to the cent (months by
 * largest remainder; a quarter is the sum of its months, so both views always agree).
 *
 * Shares: for each complete fiscal year in the history, each fiscal month's share of that
 * year's bookings; the shares are averaged over years (so growth does not tilt them toward
 * later months), then shrunk toward an even 1/12 by `years / (years + priorYears)`
 * (default priorYears = 1: one year of history gives half the pattern, three years three
 * quarters of it). No complete year: even shares, flagged.
 */
import { civilFromDays, epochDay, fiscalYearOf, fiscalYearPeriod, type FiscalCalendar } from '../period.js';
import { allocateLargestRemainder, assertMinor } from './largest-remainder.js';

export interface DatedAmount {
  /** 'YYYY-MM-DD' (e.g. a close date). */
  date: string;
  amountMinor: number;
}

export interface SeasonalityProfile {
  /** 12 shares in fiscal order (month 1 = the fiscal year's first month); they sum to 1. */
  monthShares: number[];
  /** Complete fiscal years the shares were learned from. */
  yearsUsed: number[];
  isEven: boolean;
}

export interface SeasonalityOptions {
  calendar: FiscalCalendar;
  /** The first day with history (years starting before it are incomplete). */
  historyStart: string;
  /** The day after the last day with history (years ending after it are incomplete). */
  historyEnd: string;
  /** Strength of the pull toward even shares, in years (default 1). */
  priorYears?: number;
}

/** Fiscal month index (0–11) of a day. */
function fiscalMonthIndex(days: number, calendar: FiscalCalendar): number {
  const { month } = civilFromDays(days);
  return (month - calendar.fiscalYearStartMonth + 12) % 12;
}

/**
 * Learns monthly shares from dated bookings.
 * @example learnSeasonality(deals, { calendar: CALENDAR_YEAR, historyStart: '2023-01-01', historyEnd: '2026-01-01' }).monthShares[11] // December's share
 */
export function learnSeasonality(history: readonly DatedAmount[], options: SeasonalityOptions): SeasonalityProfile {
  const byYear = new Map<number, number[]>();
  const start = epochDay(options.historyStart);
  const end = epochDay(options.historyEnd);
  for (const row of history) {
    const day = epochDay(row.date);
    if (day < start || day >= end) continue;
    const fy = fiscalYearOf(day, options.calendar);
    let months = byYear.get(fy);
    if (!months) byYear.set(fy, (months = new Array<number>(12).fill(0)));
    const i = fiscalMonthIndex(day, options.calendar);
    months[i] = (months[i] ?? 0) + row.amountMinor;
  }
  const even = new Array<number>(12).fill(1 / 12);
  const yearsUsed: number[] = [];
  const sums = new Array<number>(12).fill(0);
  for (const [fy, months] of [...byYear.entries()].sort((a, b) => a[0] - b[0])) {
    const period = fiscalYearPeriod(fy, options.calendar);
    if (epochDay(period.start) < start || epochDay(period.end) > end) continue;
    const total = months.reduce((a, b) => a + b, 0);
    if (total <= 0) continue;
    yearsUsed.push(fy);
    months.forEach((v, i) => (sums[i] = (sums[i] ?? 0) + Math.max(0, v) / total));
  }
  if (yearsUsed.length === 0) return { monthShares: even, yearsUsed, isEven: true };
  const k = yearsUsed.length;
  const trust = k / (k + (options.priorYears ?? 1));
  const raw = sums.map((s) => s / k);
  const blended = raw.map((s) => trust * s + (1 - trust) / 12);
  const total = blended.reduce((a, b) => a + b, 0);
  return { monthShares: blended.map((s) => s / total), yearsUsed, isEven: false };
}

export interface PeriodQuota {
  /** '2026-04' or '2026-Q1' (fiscal quarter). */
  period: string;
  quotaMinor: number;
}

export interface SeasonalSplit {
  months: PeriodQuota[];
  quarters: PeriodQuota[];
}

export interface SplitQuotaInput {
  quotaMinor: number;
  fiscalYear: number;
  calendar: FiscalCalendar;
  /** 12 shares in fiscal order; default even. */
  monthShares?: readonly number[];
  /** 12 capacity factors in fiscal order (a new hire's ramp, see rampedMonths); multiplied into the shares. */
  capacity?: readonly number[];
}

/**
 * Splits a yearly quota into fiscal months and quarters.
 * @example splitQuotaBySeason({ quotaMinor: 1200_00, fiscalYear: 2026, calendar: CALENDAR_YEAR }).quarters[0] // { period: '2026-Q1', quotaMinor: 300_00 }
 */
export function splitQuotaBySeason(input: SplitQuotaInput): SeasonalSplit {
  assertMinor(input.quotaMinor, 'quotaMinor');
  const first = input.fiscalYear * 12 + input.calendar.fiscalYearStartMonth - 1;
  // The fiscal year's 12 calendar months, keyed as period.ts keys them ('2026-04').
  const months = Array.from({ length: 12 }, (_, i) => ({ key: `${String(Math.floor((first + i) / 12)).padStart(4, '0')}-${String(((first + i) % 12) + 1).padStart(2, '0')}` }));
  const shares = input.monthShares ?? new Array<number>(12).fill(1);
  if (shares.length !== 12) throw new Error('monthShares needs 12 entries');
  if (input.capacity && input.capacity.length !== 12) throw new Error('capacity needs 12 entries');
  const weights = shares.map((s, i) => s * (input.capacity ? (input.capacity[i] ?? 0) : 1));
  const parts = allocateLargestRemainder(input.quotaMinor, weights);
  const monthQuotas = months.map((p, i) => ({ period: p.key, quotaMinor: parts[i] ?? 0 }));
  const quarters = [1, 2, 3, 4].map((q) => ({
    period: `${String(input.fiscalYear).padStart(4, '0')}-Q${q}`,
    quotaMinor: monthQuotas.slice((q - 1) * 3, q * 3).reduce((a, m) => a + m.quotaMinor, 0),
  }));
  return { months: monthQuotas, quarters };
}

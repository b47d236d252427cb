import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays, CALENDAR_YEAR, civilFromDays, daysFromCivil, epochDay, formatEpochDay, formatInstant, isoWeekOf, listPeriods, parseInstant,
  parsePeriod, periodContaining, previousPeriod, samePeriodLastYear, toEpochDay, type FiscalCalendar, type Period,
} from './period.js';

const APRIL: FiscalCalendar = { fiscalYearStartMonth: 4 };
const parse = (key: string, calendar: FiscalCalendar = CALENDAR_YEAR): Period => {
  const result = parsePeriod(key, calendar);
  if (!result.ok) throw new Error(result.issues[0]?.message);
  return result.period;
};
const span = (p: Period) => [p.start, p.end];

describe('calendar arithmetic', () => {
  it('round-trips epoch days and civil dates', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(formatEpochDay(-1)).toBe('1969-12-31');
    expect(toEpochDay('2000-03-01')! - toEpochDay('2000-02-28')!).toBe(2);
    expect(toEpochDay('1900-02-29')).toBeNull();
    expect(toEpochDay('2026-13-01')).toBeNull();
    fc.assert(fc.property(fc.integer({ min: -400_000, max: 2_900_000 }), (days) => {
      const { year, month, day } = civilFromDays(days);
      return daysFromCivil(year, month, day) === days && epochDay(formatEpochDay(days)) === days;
    }));
  });

  it('knows ISO weeks across year ends', () => {
    expect(isoWeekOf(epochDay('2026-01-01'))).toEqual({ year: 2026, week: 1 }); // a Thursday
    expect(isoWeekOf(epochDay('2027-01-01'))).toEqual({ year: 2026, week: 53 });
    expect(isoWeekOf(epochDay('2024-12-30'))).toEqual({ year: 2025, week: 1 });
  });

  it('parses instants with offsets at millisecond precision', () => {
    expect(parseInstant('2026-03-01T10:00:00Z')).toBe(epochDay('2026-03-01') * 86_400_000 + 36_000_000);
    expect(parseInstant('2026-03-01T10:00:00.25+01:00')).toBe(epochDay('2026-03-01') * 86_400_000 + 32_400_250);
    expect(parseInstant('2026-02-30T10:00:00Z')).toBeNull();
    expect(parseInstant('2026-03-01 10:00')).toBeNull();
    expect(formatInstant(parseInstant('2026-03-01T23:59:59.999-02:00')!)).toBe('2026-03-02T01:59:59.999Z');
  });
});

describe('parsePeriod', () => {
  it('resolves weeks, months, quarters, fiscal years and ranges on the calendar year', () => {
    expect(parse('2026-W05')).toEqual({ key: '2026-W05', kind: 'week', start: '2026-01-26', end: '2026-02-02' });
    expect(span(parse('2026-W53'))).toEqual(['2026-12-28', '2027-01-04']);
    expect(parse('2026-03')).toEqual({ key: '2026-03', kind: 'month', start: '2026-03-01', end: '2026-04-01' });
    expect(span(parse('2026-12'))).toEqual(['2026-12-01', '2027-01-01']);
    expect(span(parse('2026-Q1'))).toEqual(['2026-01-01', '2026-04-01']);
    expect(span(parse('2026-Q4'))).toEqual(['2026-10-01', '2027-01-01']);
    expect(span(parse('FY2026'))).toEqual(['2026-01-01', '2027-01-01']);
    expect(parse('2026-01-15..2026-02-14')).toEqual({ key: '2026-01-15..2026-02-14', kind: 'range', start: '2026-01-15', end: '2026-02-15' });
  });

  it('names a fiscal year by the calendar year it starts in (fiscal start April)', () => {
    expect(span(parse('FY2026', APRIL))).toEqual(['2026-04-01', '2027-04-01']);
    expect(span(parse('2026-Q1', APRIL))).toEqual(['2026-04-01', '2026-07-01']);
    expect(span(parse('2026-Q4', APRIL))).toEqual(['2027-01-01', '2027-04-01']);
    // Months and ISO weeks stay calendar periods.
    expect(span(parse('2026-03', APRIL))).toEqual(['2026-03-01', '2026-04-01']);
    expect(periodContaining('quarter', '2026-03-31', APRIL).key).toBe('2025-Q4');
    expect(periodContaining('year', '2026-03-31', APRIL).key).toBe('FY2025');
    expect(span(parse('2026-Q2', { fiscalYearStartMonth: 11 }))).toEqual(['2027-02-01', '2027-05-01']);
  });

  it('returns issues for what is not a period', () => {
    for (const bad of ['2026-W54', '2025-W53', '2026-13', '2026-Q5', 'FY26', '2026-02-30..2026-03-01', '2026-03-02..2026-03-01', 'last quarter']) {
      const result = parsePeriod(bad, CALENDAR_YEAR);
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(result.issues[0]).toMatchObject({ code: 'bad_period', path: 'period' });
    }
  });

  it('lists the periods overlapping a span', () => {
    expect(listPeriods('quarter', '2026-02-10', '2026-07-02', CALENDAR_YEAR).map((p) => p.key)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3']);
    expect(listPeriods('month', '2026-11-01', '2027-01-01', CALENDAR_YEAR).map((p) => p.key)).toEqual(['2026-11', '2026-12']);
    expect(listPeriods('year', '2026-01-01', '2027-06-01', APRIL).map((p) => p.key)).toEqual(['FY2025', 'FY2026', 'FY2027']);
    expect(listPeriods('week', '2026-12-28', '2027-01-05', CALENDAR_YEAR).map((p) => p.key)).toEqual(['2026-W53', '2027-W01']);
  });
});

describe('baselines', () => {
  it('finds the previous period', () => {
    expect(previousPeriod(parse('2026-W01'), CALENDAR_YEAR).key).toBe('2025-W52');
    expect(previousPeriod(parse('2027-W01'), CALENDAR_YEAR).key).toBe('2026-W53');
    expect(previousPeriod(parse('2026-01'), CALENDAR_YEAR).key).toBe('2025-12');
    expect(previousPeriod(parse('2026-Q1', APRIL), APRIL)).toMatchObject({ key: '2025-Q4', start: '2026-01-01', end: '2026-04-01' });
    expect(previousPeriod(parse('FY2026', APRIL), APRIL)).toMatchObject({ key: 'FY2025', start: '2025-04-01', end: '2026-04-01' });
    // A 31-day range is preceded by the 31 days before it.
    expect(previousPeriod(parse('2026-01-15..2026-02-14'), CALENDAR_YEAR).key).toBe('2025-12-15..2026-01-14');
  });

  it('finds the same period last year', () => {
    expect(samePeriodLastYear(parse('2026-W53'), CALENDAR_YEAR).key).toBe('2025-W52');
    expect(samePeriodLastYear(parse('2026-W05'), CALENDAR_YEAR).key).toBe('2025-W05');
    expect(samePeriodLastYear(parse('2026-03'), CALENDAR_YEAR).key).toBe('2025-03');
    expect(samePeriodLastYear(parse('2026-Q1', APRIL), APRIL)).toMatchObject({ key: '2025-Q1', start: '2025-04-01' });
    expect(samePeriodLastYear(parse('2028-02-29..2028-03-31'), CALENDAR_YEAR).key).toBe('2027-02-28..2027-03-31');
  });

  it('keeps periods contiguous: a period ends where the next one starts', () => {
    const calendars = fc.integer({ min: 1, max: 12 }).map((m) => ({ fiscalYearStartMonth: m }));
    const kinds = fc.constantFrom('week' as const, 'month' as const, 'quarter' as const, 'year' as const);
    fc.assert(fc.property(calendars, kinds, fc.integer({ min: 0, max: 40_000 }), (calendar, kind, day) => {
      const date = formatEpochDay(day);
      const period = periodContaining(kind, date, calendar);
      const previous = previousPeriod(period, calendar);
      return period.start <= date && date < period.end && previous.end === period.start
        && parse(period.key, calendar).start === period.start && periodContaining(kind, period.end, calendar).start === period.end
        && addDays(period.start, -1) >= previous.start;
    }));
  });
});

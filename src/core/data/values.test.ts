import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent } from './currency.js';
import { DEALS, findField, type FieldDef } from './datasets.js';
import {
  addDays,
  civilFromDays,
  DATE_FORMATS,
  daysFromCivil,
  DEFAULT_VALUE_OPTIONS,
  formatScaled,
  parseBoolean,
  parseDate,
  parseDateTime,
  parseFieldValue,
  parseMoney,
  parseScaled,
  parseText,
  type FieldContext,
  type ValueOptions,
} from './values.js';

const opts = (patch: Partial<ValueOptions> = {}): ValueOptions => ({ ...DEFAULT_VALUE_OPTIONS, ...patch });
const value = <T>(parsed: { ok: true; value: T } | { ok: false }): T | 'error' => (parsed.ok ? parsed.value : 'error');
const code = (parsed: { ok: boolean; code?: string }) => (parsed.ok ? 'ok' : parsed.code);

describe('parseScaled', () => {
  it('reads decimals exactly into scaled integers', () => {
    expect(value(parseScaled('12.5', 2, opts()))).toBe(1250);
    expect(value(parseScaled('-0.07', 2, opts()))).toBe(-7);
    expect(value(parseScaled('+3', 0, opts()))).toBe(3);
    expect(value(parseScaled('.5', 1, opts()))).toBe(5);
    expect(value(parseScaled('0.1', 1, opts()))).toBe(1);
    expect(value(parseScaled('9007199254740.991', 3, opts()))).toBe(Number.MAX_SAFE_INTEGER);
    expect(value(parseScaled('12.50', 1, opts()))).toBe(125);
  });

  it('reads the mapping’s separators and rejects wrong grouping', () => {
    const german = opts({ decimalSeparator: ',', thousandsSeparator: '.' });
    expect(value(parseScaled('1.234.567,89', 2, german))).toBe(123456789);
    expect(value(parseScaled('1234,5', 2, german))).toBe(123450);
    expect(code(parseScaled('1.23,5', 2, german))).toBe('invalid_number');
    expect(value(parseScaled('1,234,567.8', 1, opts({ thousandsSeparator: ',' })))).toBe(12345678);
    expect(value(parseScaled('1\u00a0234,5', 1, opts({ decimalSeparator: ',', thousandsSeparator: ' ' })))).toBe(12345);
    expect(value(parseScaled("1'234.5", 1, opts({ thousandsSeparator: "'" })))).toBe(12345);
    expect(code(parseScaled('1,234', 0, opts()))).toBe('invalid_number');
  });

  it('rejects more decimals than the scale, or rounds half away from zero when asked', () => {
    expect(code(parseScaled('1.005', 2, opts()))).toBe('too_many_decimals');
    expect(value(parseScaled('1.005', 2, opts({ rounding: 'half_up' })))).toBe(101);
    expect(value(parseScaled('1.0049', 2, opts({ rounding: 'half_up' })))).toBe(100);
    expect(value(parseScaled('-1.005', 2, opts({ rounding: 'half_up' })))).toBe(-101);
    expect(value(parseScaled('9.999', 2, opts({ rounding: 'half_up' })))).toBe(1000);
  });

  it('rejects what is not a number and what is out of the safe range', () => {
    for (const bad of ['', 'abc', '1e5', '1.2.3', '--1', '12a', '0x10', ' - ', 'NaN', 'Infinity']) expect(code(parseScaled(bad, 2, opts())), bad).not.toBe('ok');
    expect(code(parseScaled('90071992547409.92', 2, opts()))).toBe('out_of_range');
  });

  it('round-trips format → parse exactly for every safe scaled integer and separator set', () => {
    const separators = fc.constantFrom<Pick<ValueOptions, 'decimalSeparator' | 'thousandsSeparator'>>(
      { decimalSeparator: '.', thousandsSeparator: '' }, { decimalSeparator: '.', thousandsSeparator: ',' },
      { decimalSeparator: ',', thousandsSeparator: '.' }, { decimalSeparator: ',', thousandsSeparator: ' ' }, { decimalSeparator: '.', thousandsSeparator: "'" },
    );
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.integer({ min: 0, max: 6 }), separators, (n, scale, sep) => {
        const text = formatScaled(n, scale, sep);
        expect(value(parseScaled(text, scale, { ...sep, rounding: 'reject' }))).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips money in every currency’s minor units', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e15, max: 1e15 }), fc.constantFrom('EUR', 'USD', 'JPY', 'KWD', 'CLF', 'CHF'), (minor, currency) => {
        const exponent = currencyExponent(currency) ?? 2;
        expect(value(parseMoney(formatScaled(minor, exponent), currency, opts()))).toBe(minor);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', maxLength: 40 }), fc.integer({ min: 0, max: 6 }), (text, scale) => {
        parseScaled(text, scale, opts({ rounding: 'half_up', thousandsSeparator: ',' }));
        parseMoney(text, 'EUR', opts({ decimalSeparator: ',', thousandsSeparator: '.' }));
        parseBoolean(text);
        for (const format of DATE_FORMATS) parseDate(text, format);
        parseDateTime(text, { dateFormat: 'DD.MM.YYYY', timezone: '+01:00' });
      }),
      { numRuns: 3000 },
    );
  });
});

describe('parseMoney', () => {
  it('uses the currency’s exponent: EUR 2, JPY 0, KWD 3', () => {
    expect(value(parseMoney('1234.56', 'EUR', opts()))).toBe(123456);
    expect(value(parseMoney('1234', 'JPY', opts()))).toBe(1234);
    expect(code(parseMoney('1234.5', 'JPY', opts()))).toBe('too_many_decimals');
    expect(value(parseMoney('1.234', 'KWD', opts()))).toBe(1234);
    expect(code(parseMoney('10', 'XXX', opts()))).toBe('invalid_currency');
  });

  it('ignores a currency symbol and checks an ISO code against the record’s currency', () => {
    expect(value(parseMoney('1.234,56 €', 'EUR', opts({ decimalSeparator: ',', thousandsSeparator: '.' })))).toBe(123456);
    expect(value(parseMoney('$1,234.50', 'USD', opts({ thousandsSeparator: ',' })))).toBe(123450);
    expect(value(parseMoney('USD 10.00', 'USD', opts()))).toBe(1000);
    expect(code(parseMoney('JPY 10000', 'USD', opts()))).toBe('currency_mismatch');
  });
});

describe('booleans, text and closed lists', () => {
  it('reads yes and no in English and German', () => {
    for (const yes of ['true', 'YES', 'ja', '1', 'y']) expect(value(parseBoolean(yes)), yes).toBe(1);
    for (const no of ['false', 'No', 'nein', '0', 'n']) expect(value(parseBoolean(no)), no).toBe(0);
    expect(code(parseBoolean('maybe'))).toBe('invalid_boolean');
  });

  it('matches closed lists in any case and spelling of separators', () => {
    const type = findField(DEALS, 'type');
    expect(type).toBeDefined();
    expect(value(parseText('Cross-Sell', type ?? {}))).toBe('cross_sell');
    expect(value(parseText(' NEW ', type ?? {}))).toBe('new');
    expect(code(parseText('churn', type ?? {}))).toBe('not_allowed');
    expect(value(parseText('   ', {}))).toBe(null);
    expect(code(parseText('x'.repeat(1001), {}))).toBe('too_long');
  });
});

describe('dates and times', () => {
  it('reads ISO dates always and the mapping’s format, and checks the calendar', () => {
    expect(value(parseDate('2026-02-28', 'DD.MM.YYYY'))).toBe('2026-02-28');
    expect(value(parseDate('31.03.2026', 'DD.MM.YYYY'))).toBe('2026-03-31');
    expect(value(parseDate('3/31/2026', 'MM/DD/YYYY'))).toBe('2026-03-31');
    expect(value(parseDate('31/3/2026', 'DD/MM/YYYY'))).toBe('2026-03-31');
    expect(value(parseDate('2026/03/31', 'YYYY/MM/DD'))).toBe('2026-03-31');
    expect(value(parseDate('2024-02-29', 'YYYY-MM-DD'))).toBe('2024-02-29');
    expect(code(parseDate('2026-02-29', 'YYYY-MM-DD'))).toBe('invalid_date');
    expect(code(parseDate('31/3/2026', 'MM/DD/YYYY'))).toBe('invalid_date');
    expect(code(parseDate('31.03.2026', 'YYYY-MM-DD'))).toBe('invalid_date');
  });

  it('ignores the time a CRM writes after a date', () => {
    expect(value(parseDate('2026-03-31 00:00', 'YYYY-MM-DD'))).toBe('2026-03-31');
    expect(value(parseDate('3/31/2026 2:15 PM', 'MM/DD/YYYY'))).toBe('2026-03-31');
    expect(code(parseDate('2026-03-31 later', 'YYYY-MM-DD'))).toBe('invalid_date');
  });

  it('reads instants with an offset, and naive ones in the mapping’s fixed offset', () => {
    expect(value(parseDateTime('2026-03-01T12:00:00+02:00', { dateFormat: 'YYYY-MM-DD', timezone: 'Z' }))).toBe('2026-03-01T10:00:00.000Z');
    expect(value(parseDateTime('2026-03-01T12:00:00.5Z', { dateFormat: 'YYYY-MM-DD', timezone: '+05:00' }))).toBe('2026-03-01T12:00:00.500Z');
    expect(value(parseDateTime('2026-03-01 12:00', { dateFormat: 'YYYY-MM-DD', timezone: '+01:00' }))).toBe('2026-03-01T11:00:00.000Z');
    expect(value(parseDateTime('01.03.2026 00:30', { dateFormat: 'DD.MM.YYYY', timezone: '+01:00' }))).toBe('2026-02-28T23:30:00.000Z');
    expect(value(parseDateTime('3/1/2026 12:05 AM', { dateFormat: 'MM/DD/YYYY', timezone: '-05:00' }))).toBe('2026-03-01T05:05:00.000Z');
    expect(value(parseDateTime('2026-03-01', { dateFormat: 'YYYY-MM-DD', timezone: 'Z' }))).toBe('2026-03-01T00:00:00.000Z');
    expect(code(parseDateTime('2026-03-01 25:00', { dateFormat: 'YYYY-MM-DD', timezone: 'Z' }))).toBe('invalid_datetime');
    expect(code(parseDateTime('2026-03-01 10:00', { dateFormat: 'YYYY-MM-DD', timezone: 'Europe/Berlin' }))).toBe('invalid_datetime');
  });

  it('converts between civil dates and day numbers both ways', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (days) => {
        const { year, month, day } = civilFromDays(days);
        expect(daysFromCivil(year, month, day)).toBe(days);
      }),
    );
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
});

describe('parseFieldValue', () => {
  const context: FieldContext = {
    options: DEFAULT_VALUE_OPTIONS,
    currency: 'EUR',
    resolvePayee: (ref) => (ref === 'EMP-1' ? { ok: true, value: 'payee-1' } : { ok: false, code: 'unknown_owner', message: 'unknown' }),
  };
  const field = (key: string): FieldDef => {
    const found = findField(DEALS, key);
    if (!found) throw new Error(key);
    return found;
  };

  it('gives each type its slot value, empty as null, and requires required fields', () => {
    expect(value(parseFieldValue(field('amount'), '99.90', context))).toBe(9990);
    expect(value(parseFieldValue(field('probability'), '12.5', context))).toBe(1250);
    expect(value(parseFieldValue(field('owner'), 'EMP-1', context))).toBe('payee-1');
    expect(code(parseFieldValue(field('owner'), 'EMP-2', context))).toBe('unknown_owner');
    expect(value(parseFieldValue(field('close_date'), '', context))).toBe(null);
    expect(code(parseFieldValue(field('created'), ' ', context))).toBe('required');
  });
});

/**
 * Parsing field values: raw strings (CSV cells) and typed JSON (API bodies) become the exact
 * values a record's slots hold (see datasets.ts). No floats anywhere: numbers are parsed
 * from their decimal digits into scaled integers, money into integer minor units.
 * Expected failures come back as data (`{ ok: false, code, message }`); nothing here throws
 * on user input.
 */
import { daysFromCivil, daysInMonth, formatInstant } from '../period.js';
import { Decimal } from 'decimal.js';
import { currencyExponent } from './currency.js';
import type { FieldDef } from './datasets.js';

/** What a slot holds: text, a scaled integer, a date 'YYYY-MM-DD', an ISO instant, a payee id; or nothing. */
export type SlotValue = string | number | null;

export const DATE_FORMATS = ['YYYY-MM-DD', 'DD.MM.YYYY', 'MM/DD/YYYY', 'DD/MM/YYYY', 'YYYY/MM/DD'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];
export const DECIMAL_SEPARATORS = ['.', ','] as const;
export const THOUSANDS_SEPARATORS = ['', ',', '.', ' ', "'"] as const;

export interface ValueOptions {
  decimalSeparator: (typeof DECIMAL_SEPARATORS)[number];
  /** '' accepts no grouping; ' ' also accepts the no-break spaces spreadsheets write. */
  thousandsSeparator: (typeof THOUSANDS_SEPARATORS)[number];
  /** Dates in ISO form (YYYY-MM-DD) are always accepted as well. */
  dateFormat: DateFormat;
  /** The UTC offset of timestamps written without one: 'Z' or '+01:00' (fixed offsets only). */
  timezone: string;
  /** More decimals than a field keeps: 'reject' the value, or round half away from zero. */
  rounding: 'reject' | 'half_up';
}

export const DEFAULT_VALUE_OPTIONS: ValueOptions = {
  decimalSeparator: '.',
  thousandsSeparator: '',
  dateFormat: 'YYYY-MM-DD',
  timezone: 'Z',
  rounding: 'reject',
};

export const VALUE_ISSUE_CODES = [
  'required', 'invalid_number', 'too_many_decimals', 'out_of_range', 'invalid_currency', 'currency_mismatch',
  'invalid_boolean', 'invalid_date', 'invalid_datetime', 'not_allowed', 'too_long', 'invalid_value',
  'unknown_owner', 'ambiguous_owner',
] as const;
export type ValueIssueCode = (typeof VALUE_ISSUE_CODES)[number];

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: ValueIssueCode; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (code: ValueIssueCode, message: string): { ok: false; code: ValueIssueCode; message: string } => ({ ok: false, code, message });

/** Longest text value kept. */
export const MAX_TEXT_LENGTH = 1000;
const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER);

// ---------------------------------------------------------------------------------------
// Numbers and money

const GROUPED: Record<string, RegExp> = {
  ',': /^\d{1,3}(,\d{3})+$/,
  '.': /^\d{1,3}(\.\d{3})+$/,
  ' ': /^\d{1,3}( \d{3})+$/,
  "'": /^\d{1,3}('\d{3})+$/,
};
const DIGITS = /^\d*$/;
const NBSP = /[\u00a0\u202f]/g;

/**
 * A decimal string as an integer scaled by 10^scale, exactly.
 * @example parseScaled('1.234,5', 2, { ...DEFAULT_VALUE_OPTIONS, decimalSeparator: ',', thousandsSeparator: '.' }) // { ok: true, value: 123450 }
 */
export function parseScaled(raw: string, scale: number, options: Pick<ValueOptions, 'decimalSeparator' | 'thousandsSeparator' | 'rounding'>): Parsed<number> {
  let text = raw.trim();
  if (options.thousandsSeparator === ' ') text = text.replace(NBSP, ' ');
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 45 /* - */ || first === 43 /* + */) {
    negative = first === 45;
    text = text.slice(1);
  }
  const decimalAt = text.indexOf(options.decimalSeparator);
  let intPart = decimalAt < 0 ? text : text.slice(0, decimalAt);
  const fraction = decimalAt < 0 ? '' : text.slice(decimalAt + 1);
  if (intPart === '' && fraction === '') return fail('invalid_number', `"${raw}" is not a number`);
  if (!DIGITS.test(intPart)) {
    const grouped = options.thousandsSeparator === '' ? undefined : GROUPED[options.thousandsSeparator];
    if (!grouped?.test(intPart)) return fail('invalid_number', `"${raw}" is not a number`);
    intPart = intPart.split(options.thousandsSeparator).join('');
  }
  if (!DIGITS.test(fraction)) return fail('invalid_number', `"${raw}" is not a number`);
  let kept = fraction.slice(0, scale);
  const dropped = fraction.slice(scale);
  let roundUp = false;
  if (dropped !== '' && /[1-9]/.test(dropped)) {
    if (options.rounding === 'reject') {
      return fail('too_many_decimals', `"${raw}" has more than ${scale} decimal${scale === 1 ? '' : 's'}`);
    }
    roundUp = dropped.charCodeAt(0) >= 53; // '5': half away from zero
  }
  kept = kept.padEnd(scale, '0');
  let digits = (intPart + kept).replace(/^0+/, '');
  if (roundUp) digits = incrementDigits(digits);
  if (digits.length > MAX_SAFE_DIGITS.length || (digits.length === MAX_SAFE_DIGITS.length && digits > MAX_SAFE_DIGITS)) {
    return fail('out_of_range', `"${raw}" is too large`);
  }
  const magnitude = digits === '' ? 0 : Number(digits);
  return ok(negative && magnitude !== 0 ? -magnitude : magnitude);
}

function incrementDigits(digits: string): string {
  const chars = digits.split('');
  for (let i = chars.length - 1; i >= 0; i -= 1) {
    if (chars[i] === '9') chars[i] = '0';
    else {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join('');
    }
  }
  return `1${chars.join('')}`;
}

/**
 * The decimal string of a scaled integer (the inverse of parseScaled).
 * @example formatScaled(123450, 2, { decimalSeparator: ',', thousandsSeparator: '.' }) // '1.234,50'
 */
export function formatScaled(value: number, scale: number, options: Pick<ValueOptions, 'decimalSeparator' | 'thousandsSeparator'> = DEFAULT_VALUE_OPTIONS): string {
  const negative = value < 0;
  const digits = String(Math.abs(value)).padStart(scale + 1, '0');
  let intPart = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  if (options.thousandsSeparator !== '') intPart = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, options.thousandsSeparator);
  return `${negative ? '-' : ''}${intPart}${scale > 0 ? options.decimalSeparator + fraction : ''}`;
}

const CURRENCY_SYMBOLS = /^[€$£¥₹₽₩₺₪]|[€$£¥₹₽₩₺₪]$/g;
const CODE_PREFIX = /^([A-Z]{3})\s*(?=[-+\d.,])/;
const CODE_SUFFIX = /(?<=[\d.,])\s*([A-Z]{3})$/;

/**
 * An amount in a currency's minor units (EUR 2 decimals, JPY 0, KWD 3). A currency symbol
 * around the number is ignored; an ISO code around it must match the record's currency.
 * @example parseMoney('1.234,56 €', 'EUR', { ...DEFAULT_VALUE_OPTIONS, decimalSeparator: ',', thousandsSeparator: '.' }) // { ok: true, value: 123456 }
 */
export function parseMoney(raw: string, currency: string, options: Pick<ValueOptions, 'decimalSeparator' | 'thousandsSeparator' | 'rounding'>): Parsed<number> {
  const exponent = currencyExponent(currency);
  if (exponent === null) return fail('invalid_currency', `"${currency}" is not an ISO 4217 currency`);
  let text = raw.trim();
  const code = CODE_PREFIX.exec(text)?.[1] ?? CODE_SUFFIX.exec(text)?.[1];
  if (code !== undefined) {
    if (code !== currency) return fail('currency_mismatch', `"${raw}" is in ${code}, the record's currency is ${currency}`);
    text = text.replace(CODE_PREFIX, '').replace(CODE_SUFFIX, '');
  }
  text = text.replace(CURRENCY_SYMBOLS, '').trim();
  const parsed = parseScaled(text, exponent, options);
  if (!parsed.ok && parsed.code === 'invalid_number') return fail('invalid_number', `"${raw}" is not an amount`);
  if (!parsed.ok && parsed.code === 'too_many_decimals') return fail('too_many_decimals', `"${raw}" has more decimals than ${currency} has (${exponent})`);
  return parsed;
}

/** A JSON number as the exact decimal string it denotes (1e21 → '1000000000000000000000'). */
export function numberToDecimalString(value: number): string {
  const plain = String(value);
  return /e/i.test(plain) ? new Decimal(value).toFixed() : plain;
}

// ---------------------------------------------------------------------------------------
// Booleans

const BOOLEANS: Readonly<Record<string, number>> = {
  true: 1, false: 0, yes: 1, no: 0, ja: 1, nein: 0, '1': 1, '0': 0, y: 1, n: 0, j: 1, t: 1, f: 0, wahr: 1, falsch: 0,
};

/** 1 or 0 from true/false, yes/no, ja/nein, 1/0 (any case). */
export function parseBoolean(raw: string): Parsed<number> {
  const value = BOOLEANS[raw.trim().toLowerCase()];
  return value === undefined ? fail('invalid_boolean', `"${raw}" is not yes or no (true/false, yes/no, ja/nein, 1/0)`) : ok(value);
}

// ---------------------------------------------------------------------------------------
// Dates and times (pure calendar arithmetic: the proleptic Gregorian calendar, UTC)

// The calendar arithmetic lives in core/period.ts; re-exported for this module's users.
export { addDays, civilFromDays, daysFromCivil, daysInMonth, formatInstant } from '../period.js';

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number): string => String(n).padStart(4, '0');

export function formatDate(year: number, month: number, day: number): string {
  return `${pad4(year)}-${pad2(month)}-${pad2(day)}`;
}


const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DATE_PATTERNS: Record<DateFormat, { pattern: RegExp; order: [number, number, number] }> = {
  // order: the capture group of year, month, day
  'YYYY-MM-DD': { pattern: ISO_DATE, order: [1, 2, 3] },
  'DD.MM.YYYY': { pattern: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, order: [3, 2, 1] },
  'MM/DD/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: [3, 1, 2] },
  'DD/MM/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: [3, 2, 1] },
  'YYYY/MM/DD': { pattern: /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, order: [1, 2, 3] },
};
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([AaPp])\.?[Mm]\.?)?$/;
const OFFSET = /(?:\s*(Z|UTC|GMT)|\s*([+-])(\d{2}):?(\d{2})?)$/i;

interface CivilDate { year: number; month: number; day: number }

function matchDate(text: string, format: DateFormat): CivilDate | null {
  const patterns = format === 'YYYY-MM-DD' ? [DATE_PATTERNS[format]] : [DATE_PATTERNS['YYYY-MM-DD'], DATE_PATTERNS[format]];
  for (const { pattern, order } of patterns) {
    const m = pattern.exec(text);
    if (!m) continue;
    const year = Number(m[order[0]]);
    const month = Number(m[order[1]]);
    const day = Number(m[order[2]]);
    if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
    return { year, month, day };
  }
  return null;
}

function splitDateAndTime(text: string): [string, string | null] {
  const t = text.indexOf('T');
  if (t === 10 && /^\d{4}-/.test(text)) return [text.slice(0, 10), text.slice(11)];
  const space = text.indexOf(' ');
  return space < 0 ? [text, null] : [text.slice(0, space), text.slice(space + 1).trim()];
}

/**
 * A calendar date: ISO 'YYYY-MM-DD' or the mapping's format (DD.MM.YYYY, MM/DD/YYYY, DD/MM/YYYY,
 * YYYY/MM/DD; one-digit days and months allowed). A time after the date (CRM exports write
 * '2026-03-31 00:00') is ignored.
 * @example parseDate('31.03.2026', 'DD.MM.YYYY') // { ok: true, value: '2026-03-31' }
 */
export function parseDate(raw: string, format: DateFormat): Parsed<string> {
  const [datePart, timePart] = splitDateAndTime(raw.trim());
  if (timePart !== null && !TIME.test(timePart.replace(OFFSET, ''))) return fail('invalid_date', `"${raw}" is not a date (${format})`);
  const date = matchDate(datePart, format);
  return date ? ok(formatDate(date.year, date.month, date.day)) : fail('invalid_date', `"${raw}" is not a date (${format})`);
}

/** Minutes east of UTC of 'Z', 'UTC', '+01:00', '-0530'; null when not a fixed offset. */
export function parseOffset(text: string): number | null {
  const m = /^(?:(Z|UTC|GMT)|([+-])(\d{2}):?(\d{2})?)$/i.exec(text.trim());
  if (!m) return null;
  if (m[1]) return 0;
  const minutes = Number(m[3]) * 60 + Number(m[4] ?? 0);
  if (Number(m[3]) > 18 || Number(m[4] ?? 0) > 59) return null;
  return m[2] === '-' ? -minutes : minutes;
}

/**
 * An instant: ISO with an offset ('2026-03-01T12:00:00+02:00'), or a date in the mapping's
 * format with an optional time ('01.03.2026 14:30', '3/1/2026 2:30 PM'), read in the mapping's
 * fixed UTC offset when it names none.
 * @example parseDateTime('2026-03-01 12:00', { dateFormat: 'YYYY-MM-DD', timezone: '+02:00' }) // { ok: true, value: '2026-03-01T10:00:00.000Z' }
 */
export function parseDateTime(raw: string, options: Pick<ValueOptions, 'dateFormat' | 'timezone'>): Parsed<string> {
  const bad = fail('invalid_datetime', `"${raw}" is not a date and time`);
  let text = raw.trim();
  let offsetMinutes: number | null = null;
  const [datePart, rest] = splitDateAndTime(text);
  const date = matchDate(datePart, options.dateFormat);
  if (!date) return bad;
  let hours = 0;
  let minutes = 0;
  let seconds = 0;
  let millis = 0;
  if (rest !== null && rest !== '') {
    text = rest;
    const offset = OFFSET.exec(text);
    if (offset) {
      offsetMinutes = parseOffset(offset[0].trim());
      if (offsetMinutes === null) return bad;
      text = text.slice(0, offset.index);
    }
    const m = TIME.exec(text.trim());
    if (!m) return bad;
    hours = Number(m[1]);
    minutes = Number(m[2]);
    seconds = Number(m[3] ?? 0);
    millis = Number((m[4] ?? '').padEnd(3, '0').slice(0, 3));
    const meridiem = m[5]?.toLowerCase();
    if (meridiem) {
      if (hours < 1 || hours > 12) return bad;
      hours = (hours % 12) + (meridiem === 'p' ? 12 : 0);
    }
    if (hours > 23 || minutes > 59 || seconds > 59) return bad;
  }
  if (offsetMinutes === null) {
    offsetMinutes = parseOffset(options.timezone);
    if (offsetMinutes === null) return fail('invalid_datetime', `the mapping's timezone "${options.timezone}" is not a UTC offset`);
  }
  const epochMs = daysFromCivil(date.year, date.month, date.day) * 86_400_000 + hours * 3_600_000 + minutes * 60_000 + seconds * 1000 + millis - offsetMinutes * 60_000;
  return ok(formatInstant(epochMs));
}

// ---------------------------------------------------------------------------------------
// Text and closed value lists

/** How closed-list values are compared: case-insensitive, spaces and dashes as underscores ('Cross-sell' = 'cross_sell'). */
export function normaliseKey(value: string): string {
  return value.trim().toLowerCase().replace(/[\s\-/]+/g, '_');
}

/** Text as stored: trimmed; empty is no value. Closed lists accept their values in any case. */
export function parseText(raw: string, field: Pick<FieldDef, 'values'>): Parsed<string | null> {
  const text = raw.trim();
  if (text === '') return ok(null);
  if (text.length > MAX_TEXT_LENGTH) return fail('too_long', `longer than ${MAX_TEXT_LENGTH} characters`);
  if (field.values) {
    const key = normaliseKey(text);
    const match = field.values.find((v) => v === key || normaliseKey(v) === key);
    if (match === undefined) return fail('not_allowed', `"${raw}" is not one of ${field.values.join(', ')}`);
    return ok(match);
  }
  return ok(text);
}

// ---------------------------------------------------------------------------------------
// One field

export interface FieldContext {
  options: ValueOptions;
  /** The record's currency (for money fields). */
  currency: string;
  /** Resolves a payee reference (id, external reference, e-mail or name) to a payee id. */
  resolvePayee: (reference: string) => Parsed<string | null>;
}

/**
 * One raw value (a CSV cell, or a JSON value rendered as text) as the slot value of its field.
 * Empty is no value (null); a required field without a value is an issue.
 */
export function parseFieldValue(field: FieldDef, raw: string, context: FieldContext): Parsed<SlotValue> {
  if (raw.trim() === '') return field.required ? fail('required', `${field.label.en} is required`) : ok(null);
  switch (field.type) {
    case 'text':
    case 'account':
    case 'territory':
      return parseText(raw, field);
    case 'number':
      return parseScaled(raw, field.scale ?? 0, context.options);
    case 'money':
      return parseMoney(raw, context.currency, context.options);
    case 'boolean':
      return parseBoolean(raw);
    case 'date':
      return parseDate(raw, context.options.dateFormat);
    case 'datetime':
      return parseDateTime(raw, context.options);
    case 'payee':
      return context.resolvePayee(raw.trim());
    default: {
      const unreachable: never = field.type;
      throw new Error(`unknown field type ${String(unreachable)}`);
    }
  }
}

/** A JSON value from the API as the text parseFieldValue reads (ISO dates, '.' decimals); null when the type cannot be one. */
export function jsonToRaw(field: FieldDef, value: unknown): string | null {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? numberToDecimalString(value) : null;
  if (typeof value === 'boolean') return field.type === 'boolean' ? (value ? 'true' : 'false') : null;
  return null;
}

/**
 * A slot value as the API shows it: money and decimals as exact decimal strings in major
 * units, booleans as true/false, whole numbers as numbers, the rest as stored.
 */
export function formatSlotValue(field: FieldDef, value: SlotValue, currency: string): string | number | boolean | null {
  if (value === null) return null;
  switch (field.type) {
    case 'money':
      return typeof value === 'number' ? formatScaled(value, currencyExponent(currency) ?? 2) : value;
    case 'number':
      return typeof value === 'number' && (field.scale ?? 0) > 0 ? formatScaled(value, field.scale ?? 0) : value;
    case 'boolean':
      return value === 1 || value === '1';
    default:
      return value;
  }
}

/**
 * Column mappings: which CSV column feeds which field of a dataset, and how to read the
 * values (delimiter, date format, decimal and thousands separators, default currency, UTC
 * offset, rounding, value translations). A mapping is suggested from the file's headers,
 * saved per source, or one of the built-ins for CRM exports (builtin-mappings.ts).
 * `compileMapping` turns a mapping and a file's headers into a fast row function.
 */
import { z } from 'zod';
import { isCurrencyCode } from './currency.js';
import { FIELD_KEY, type DatasetDef, type FieldDef } from './datasets.js';
import type { PayeeDirectory } from './payee-directory.js';
import {
  DATE_FORMATS,
  DECIMAL_SEPARATORS,
  parseFieldValue,
  parseOffset,
  THOUSANDS_SEPARATORS,
  type FieldContext,
  type Parsed,
  type SlotValue,
  type ValueOptions,
} from './values.js';

export const TRANSFORMS = ['snake_case', 'lowercase', 'uppercase'] as const;
export type Transform = (typeof TRANSFORMS)[number];

const FieldKey = z.string().regex(FIELD_KEY, 'a field key: a-z, 0-9 and _');
const Header = z.string().min(1).max(200);

export const ImportMappingSchema = z
  .object({
    columns: z.record(Header, FieldKey).describe('CSV header → field key. Several headers may feed one field: the first non-empty value wins.'),
    extIdColumn: Header.describe("The header of the column that holds each row's external id (the key re-imports update by)"),
    delimiter: z.enum(['auto', ',', ';', '\t']).default('auto').describe('auto: detected from the header line'),
    dateFormat: z.enum(DATE_FORMATS).default('YYYY-MM-DD').describe('ISO dates (YYYY-MM-DD) are always accepted too'),
    decimalSeparator: z.enum(DECIMAL_SEPARATORS).default('.'),
    thousandsSeparator: z.enum(THOUSANDS_SEPARATORS).default('').describe("'' accepts no grouping"),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR').optional()
      .describe("Currency of rows without one (datasets with a currency field); default: the workspace's currency"),
    timezone: z.string().refine((v) => parseOffset(v) !== null, 'a fixed UTC offset such as Z or +01:00').default('Z')
      .describe('UTC offset of date-times written without one (fixed offsets only, no daylight saving)'),
    rounding: z.enum(['reject', 'half_up']).default('reject').describe('More decimals than a field keeps: reject the value, or round half away from zero'),
    unknownOwner: z.enum(['error', 'import_without_owner']).default('error').describe('A payee reference that matches no payee: a row error, or import the row without an owner'),
    values: z.record(FieldKey, z.record(z.string(), z.string())).default({}).describe('Per field: source value → stored value (matched case-insensitively), e.g. "New Customer" → "new"'),
    transforms: z.record(FieldKey, z.enum(TRANSFORMS)).default({}).describe('Per text field: applied to values the translations do not cover (e.g. "Closed Won" → "closed_won")'),
  })
  .strict()
  .meta({ id: 'ImportMapping', title: 'Attain import mapping' });

export type ImportMapping = z.output<typeof ImportMappingSchema>;
export type ImportMappingInput = z.input<typeof ImportMappingSchema>;

/** The JSON Schema of the mapping format (docs/schemas/mapping.schema.json). */
export function mappingJsonSchema(): Record<string, unknown> {
  return { $id: 'https://attain.dev/schemas/mapping.schema.json', ...z.toJSONSchema(ImportMappingSchema, { io: 'input', target: 'draft-2020-12' }) };
}

/** A mapping with every option filled in. */
export function completeMapping(input: ImportMappingInput): ImportMapping {
  return ImportMappingSchema.parse(input);
}

/** A problem with one cell (or, with row 1, with the header line). Rows count as a spreadsheet does: the header is row 1. */
export interface RowError {
  row: number;
  column: string;
  value: string;
  code: string;
  message: string;
}

/** A validated row: its external id and one slot value per dataset field, in the dataset's field order. */
export interface MappedRow {
  extId: string;
  values: SlotValue[];
}

export type RowResult = { ok: true; row: MappedRow } | { ok: false; errors: RowError[] };

export interface CompiledMapping {
  readonly dataset: DatasetDef;
  /** File columns the mapping does not use. */
  readonly ignoredColumns: string[];
  /** Mapped headers the file does not have (their fields stay empty). */
  readonly missingColumns: string[];
  mapRow(cells: readonly string[], row: number): RowResult;
}

export const MAX_EXT_ID_LENGTH = 200;

const foldHeader = (header: string): string => header.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/\s+/g, ' ');

/** 'Closed Won' → 'closed_won', 'Proposal/Price Quote' → 'proposal_price_quote'. */
export function toSnakeCase(value: string): string {
  return value.trim().toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '_').replace(/^_+|_+$/g, '');
}

function applyTransform(value: string, transform: Transform | undefined): string {
  switch (transform) {
    case undefined:
      return value;
    case 'snake_case':
      return toSnakeCase(value);
    case 'lowercase':
      return value.trim().toLowerCase();
    case 'uppercase':
      return value.trim().toUpperCase();
    default: {
      const unreachable: never = transform;
      throw new Error(`unknown transform ${String(unreachable)}`);
    }
  }
}

export function valueOptionsOf(mapping: ImportMapping): ValueOptions {
  return {
    decimalSeparator: mapping.decimalSeparator,
    thousandsSeparator: mapping.thousandsSeparator,
    dateFormat: mapping.dateFormat,
    timezone: mapping.timezone,
    rounding: mapping.rounding,
  };
}

/**
 * Builds the translation of raw values for one field: the mapping's value table (case-
 * insensitive), then its transform. Returns null when the field needs neither.
 */
function translatorFor(mapping: ImportMapping, field: FieldDef): ((raw: string) => string) | null {
  const table = mapping.values[field.key];
  const transform = mapping.transforms[field.key];
  if (!table && !transform) return null;
  const folded = new Map(Object.entries(table ?? {}).map(([from, to]) => [from.trim().toLowerCase(), to]));
  return (raw) => {
    if (raw.trim() === '') return raw;
    const translated = folded.get(raw.trim().toLowerCase());
    return translated ?? applyTransform(raw, transform);
  };
}

/** The currency a row's money fields are in, and how to read it. */
export function currencyResolver(dataset: DatasetDef, defaultCurrency: string): (raw: string | undefined) => Parsed<string> {
  return (raw) => {
    const code = raw?.trim().toUpperCase() ?? '';
    if (code === '' || !dataset.currencyField) return { ok: true, value: defaultCurrency };
    return isCurrencyCode(code) ? { ok: true, value: code } : { ok: false, code: 'invalid_currency', message: `"${raw}" is not an ISO 4217 currency` };
  };
}

export interface CompileInput {
  dataset: DatasetDef;
  mapping: ImportMapping;
  headers: readonly string[];
  tenantCurrency: string;
  payees: PayeeDirectory;
}

/**
 * Checks a mapping against a file's headers and returns the function that validates and
 * converts one row. Header problems (no external-id column, a required field without a
 * column, a field that does not exist) come back as errors on row 1.
 */
export function compileMapping(input: CompileInput): { ok: true; compiled: CompiledMapping } | { ok: false; errors: RowError[] } {
  const { dataset, mapping, headers } = input;
  const errors: RowError[] = [];
  const headerError = (column: string, code: string, message: string) => errors.push({ row: 1, column, value: column, code, message });
  const indexOf = new Map<string, number>();
  headers.forEach((h, i) => {
    const key = foldHeader(h);
    if (!indexOf.has(key)) indexOf.set(key, i);
  });
  const find = (header: string): number | undefined => indexOf.get(foldHeader(header));

  const extIdIndex = find(mapping.extIdColumn);
  if (extIdIndex === undefined) headerError(mapping.extIdColumn, 'missing_ext_id_column', `The file has no column "${mapping.extIdColumn}" for the external id`);

  const columnsOf = new Map<string, { index: number; header: string }[]>();
  const used = new Set<number>(extIdIndex === undefined ? [] : [extIdIndex]);
  const missingColumns: string[] = [];
  for (const [header, fieldKey] of Object.entries(mapping.columns)) {
    if (!dataset.fields.some((f) => f.key === fieldKey)) {
      headerError(header, 'unknown_field', `"${dataset.key}" has no field "${fieldKey}"`);
      continue;
    }
    const index = find(header);
    if (index === undefined) {
      missingColumns.push(header);
      continue;
    }
    used.add(index);
    columnsOf.set(fieldKey, [...(columnsOf.get(fieldKey) ?? []), { index, header: headers[index] ?? header }]);
  }
  for (const field of dataset.fields) {
    if (field.required && !columnsOf.has(field.key)) {
      headerError(field.label.en, 'missing_required_column', `No column is mapped to the required field "${field.key}" (${field.label.en})`);
    }
  }
  if (errors.length > 0 || extIdIndex === undefined) return { ok: false, errors };

  const options = valueOptionsOf(mapping);
  const resolveCurrency = currencyResolver(dataset, dataset.currencyField ? (mapping.currency ?? input.tenantCurrency) : input.tenantCurrency);
  const currencyColumns = dataset.currencyField ? (columnsOf.get(dataset.currencyField) ?? []) : [];
  const withoutOwner = mapping.unknownOwner === 'import_without_owner';
  const resolvePayee = (reference: string): Parsed<string | null> => {
    const found = input.payees.resolve(reference);
    if (!found.ok && found.code === 'unknown_owner' && withoutOwner) return { ok: true, value: null };
    return found;
  };
  const plan = dataset.fields.map((field) => ({
    field,
    columns: columnsOf.get(field.key) ?? [],
    translate: translatorFor(mapping, field),
    isCurrency: field.key === dataset.currencyField,
  }));
  const pick = (cells: readonly string[], columns: readonly { index: number; header: string }[]): { raw: string; header: string } => {
    for (const column of columns) {
      const raw = cells[column.index] ?? '';
      if (raw.trim() !== '') return { raw, header: column.header };
    }
    return { raw: '', header: columns[0]?.header ?? '' };
  };
  const extIdHeader = headers[extIdIndex] ?? mapping.extIdColumn;

  const compiled: CompiledMapping = {
    dataset,
    ignoredColumns: headers.filter((_h, i) => !used.has(i)),
    missingColumns,
    mapRow(cells, row) {
      const rowErrors: RowError[] = [];
      const extId = (cells[extIdIndex] ?? '').trim();
      if (extId === '') rowErrors.push({ row, column: extIdHeader, value: '', code: 'required', message: 'The external id is empty' });
      else if (extId.length > MAX_EXT_ID_LENGTH) rowErrors.push({ row, column: extIdHeader, value: extId.slice(0, 50), code: 'too_long', message: `External ids have at most ${MAX_EXT_ID_LENGTH} characters` });
      const currencyCell = pick(cells, currencyColumns);
      const currency = resolveCurrency(currencyCell.raw);
      if (!currency.ok) rowErrors.push({ row, column: currencyCell.header, value: currencyCell.raw, code: currency.code, message: currency.message });
      const context: FieldContext = { options, currency: currency.ok ? currency.value : 'EUR', resolvePayee };
      const values: SlotValue[] = new Array<SlotValue>(plan.length);
      for (let i = 0; i < plan.length; i += 1) {
        const step = plan[i];
        if (!step) continue;
        if (step.isCurrency) {
          values[i] = currency.ok ? currency.value : null;
          continue;
        }
        const cell = pick(cells, step.columns);
        const raw = step.translate ? step.translate(cell.raw) : cell.raw;
        const parsed = parseFieldValue(step.field, raw, context);
        if (parsed.ok) values[i] = parsed.value;
        else {
          values[i] = null;
          rowErrors.push({ row, column: cell.header || step.field.key, value: cell.raw, code: parsed.code, message: parsed.message });
        }
      }
      return rowErrors.length > 0 ? { ok: false, errors: rowErrors } : { ok: true, row: { extId, values } };
    },
  };
  return { ok: true, compiled };
}

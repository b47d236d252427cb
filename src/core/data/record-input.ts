/**
 * Records as the JSON API (batch route, webhook) and the demo generator send them:
 * `{ extId, values: { field: value } }` with typed JSON values — money and decimals as
 * decimal strings or numbers in major units ('1234.50'), dates 'YYYY-MM-DD', date-times ISO
 * (with an offset; UTC when none), booleans, and a payee reference for payee fields. An
 * upsert replaces the whole record: fields it leaves out become empty.
 */
import type { DatasetDef } from './datasets.js';
import { currencyResolver, MAX_EXT_ID_LENGTH, type MappedRow } from './mapping.js';
import type { PayeeDirectory } from './payee-directory.js';
import { DEFAULT_VALUE_OPTIONS, jsonToRaw, parseFieldValue, type FieldContext, type Parsed } from './values.js';

export interface RecordInput {
  extId: string;
  values: Readonly<Record<string, unknown>>;
}

/** An issue with a path into the request body, e.g. `upsert.3.values.amount`. */
export interface InputIssue {
  path: string;
  code: string;
  message: string;
}

export interface JsonMappingContext {
  tenantCurrency: string;
  payees: PayeeDirectory;
  /** Import rows whose payee reference matches no payee without an owner (default: an issue). */
  unknownOwner?: 'error' | 'import_without_owner';
}

/**
 * Validates one JSON record against its dataset.
 * @example mapJsonRecord(DEALS, { extId: 'D-1', values: { name: 'X', amount: '10.50', stage: 'open', created: '2026-01-05' } }, ctx, 'upsert.0')
 */
export function mapJsonRecord(dataset: DatasetDef, input: RecordInput, context: JsonMappingContext, path: string): { ok: true; row: MappedRow } | { ok: false; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const extId = typeof input.extId === 'string' ? input.extId.trim() : '';
  if (extId === '' || extId.length > MAX_EXT_ID_LENGTH) issues.push({ path: `${path}.extId`, code: 'invalid_value', message: `1–${MAX_EXT_ID_LENGTH} characters` });
  for (const key of Object.keys(input.values)) {
    if (!dataset.fields.some((f) => f.key === key)) issues.push({ path: `${path}.values.${key}`, code: 'unknown_field', message: `"${dataset.key}" has no field "${key}"` });
  }
  const currencyRaw = dataset.currencyField ? input.values[dataset.currencyField] : undefined;
  const currency = currencyResolver(dataset, context.tenantCurrency)(typeof currencyRaw === 'string' ? currencyRaw : undefined);
  if (!currency.ok) issues.push({ path: `${path}.values.${dataset.currencyField ?? 'currency'}`, code: currency.code, message: currency.message });
  const withoutOwner = context.unknownOwner === 'import_without_owner';
  const fieldContext: FieldContext = {
    options: DEFAULT_VALUE_OPTIONS,
    currency: currency.ok ? currency.value : 'EUR',
    resolvePayee: (reference): Parsed<string | null> => {
      const found = context.payees.resolve(reference);
      return !found.ok && found.code === 'unknown_owner' && withoutOwner ? { ok: true, value: null } : found;
    },
  };
  const values = dataset.fields.map((field) => {
    if (field.key === dataset.currencyField) return currency.ok ? currency.value : null;
    const raw = jsonToRaw(field, input.values[field.key]);
    if (raw === null) {
      issues.push({ path: `${path}.values.${field.key}`, code: 'invalid_value', message: `not a valid ${field.type}` });
      return null;
    }
    const parsed = parseFieldValue(field, raw, fieldContext);
    if (parsed.ok) return parsed.value;
    issues.push({ path: `${path}.values.${field.key}`, code: parsed.code, message: parsed.message });
    return null;
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, row: { extId, values } };
}

/**
 * Validates a batch: every record, and that no external id appears twice.
 */
export function mapJsonRecords(dataset: DatasetDef, inputs: readonly RecordInput[], context: JsonMappingContext, path = 'upsert'): { ok: true; rows: MappedRow[] } | { ok: false; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const rows: MappedRow[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((input, index) => {
    const result = mapJsonRecord(dataset, input, context, `${path}.${index}`);
    if (!result.ok) {
      issues.push(...result.issues);
      return;
    }
    const first = seen.get(result.row.extId);
    if (first !== undefined) {
      issues.push({ path: `${path}.${index}.extId`, code: 'duplicate_ext_id', message: `"${result.row.extId}" appears already at ${path}.${first}` });
      return;
    }
    seen.set(result.row.extId, index);
    rows.push(result.row);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, rows };
}

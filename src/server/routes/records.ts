import { z } from 'zod';
import type { DatasetDef } from '../../core/data/datasets.js';
import { buildPayeeDirectory } from '../../core/data/payee-directory.js';
import { mapJsonRecords } from '../../core/data/record-input.js';
import { DEFAULT_VALUE_OPTIONS, formatSlotValue, jsonToRaw, parseFieldValue, type SlotValue } from '../../core/data/values.js';
import type { RecordsChangedEvent } from '../../store/events.js';
import {
  deleteRecords,
  FILTER_OPS,
  fieldValues,
  listRecords,
  loadPayeeDirectory,
  tenantCurrency,
  upsertRecordBatch,
  writeRecords,
  type FilterOp,
  type RecordFilter,
  type StoredRecord,
} from '../../store/repos/records.js';
import type { Actor, Store, TenantScope } from '../../store/store.js';
import { inCallerTenant, type App, type RouteDeps } from '../context.js';
import { AppError } from '../errors.js';
import { COMMON_ERRORS, Instant, pageOf } from '../schemas.js';
import { DatasetKeyParam, issuesError, requireDataset } from './datasets.js';

/** At most this many upserts and deletes per batch request (split larger changes). */
export const MAX_BATCH = 10_000;
/** Batch and webhook bodies may be larger than the server's default limit. */
export const BATCH_BODY_LIMIT = 32 * 1024 * 1024;

const JsonValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const RecordBatchSchema = z
  .object({
    upsert: z
      .array(z.object({ extId: z.string().max(200), values: z.record(z.string(), JsonValue) }).strict())
      .max(MAX_BATCH)
      .default([])
      .describe('Records to insert or replace, by external id (fields left out become empty)'),
    delete: z.array(z.string().min(1).max(200)).max(MAX_BATCH).default([]).describe('External ids of records to delete'),
  })
  .strict()
  .meta({ id: 'RecordBatch' });

export const BatchResultSchema = z
  .object({ inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), deleted: z.number().int() })
  .meta({ id: 'RecordBatchResult' });

export const RecordSchema = z
  .object({
    id: z.string().describe('The record id (stable; metric explanations name it)'),
    extId: z.string(),
    values: z.record(z.string(), JsonValue).describe('By field key: money and decimals as exact decimal strings, dates YYYY-MM-DD, date-times ISO instants, payees by id'),
    ownerName: z.string().nullable(),
    importId: z.string().nullable(),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'Record' });

/**
 * Validates a batch (nothing is written when any record is invalid), then applies it in one
 * transaction: upserts, then deletes. Shared by the batch route and the webhook.
 */
export async function applyRecordBatch(input: {
  store: Store;
  tenantId: string;
  actor: Actor;
  requestId: string;
  dataset: DatasetDef;
  batch: z.output<typeof RecordBatchSchema>;
  source: RecordsChangedEvent['source'];
}): Promise<z.output<typeof BatchResultSchema>> {
  const { dataset, batch } = input;
  const duplicates = batch.delete.filter((extId) => batch.upsert.some((u) => u.extId.trim() === extId));
  if (duplicates.length > 0) throw new AppError('validation_failed', `body.delete: "${duplicates[0]}" is also upserted`, [{ path: 'body.delete', code: 'duplicate_ext_id', message: 'an external id is both upserted and deleted' }]);
  return writeRecords(input.store, input.tenantId, { actor: input.actor, requestId: input.requestId, source: input.source }, async (scope) => {
    const payeeFields = dataset.fields.filter((f) => f.type === 'payee').map((f) => f.key);
    const references = batch.upsert.flatMap((u) => payeeFields.flatMap((key) => {
      const value = u.values[key];
      return value === null || value === undefined || value === '' ? [] : [String(value)];
    }));
    // Only the payees these records could name (a large tenant has thousands).
    const context = { tenantCurrency: await tenantCurrency(scope), payees: references.length > 0 ? await loadPayeeDirectory(scope, references) : buildPayeeDirectory([]) };
    const mapped = mapJsonRecords(dataset, batch.upsert, context);
    if (!mapped.ok) throw issuesError(mapped.issues);
    const counts = await upsertRecordBatch(scope, dataset, mapped.rows);
    const deleted = await deleteRecords(scope, dataset, batch.delete);
    return { ...counts, deleted: deleted.length };
  });
}

/** `field:op:value` (e.g. `stage:eq:closed_won`, `amount:gte:1000`, `close_date:lt:2026-04-01`, `region:empty`). */
function parseFilters(dataset: DatasetDef, raw: string | string[] | undefined, currency: string): RecordFilter[] {
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map((text, index) => {
    const [fieldKey = '', op = '', ...rest] = text.split(':');
    const value = rest.join(':');
    const path = `querystring.filter.${index}`;
    const bad = (message: string) => new AppError('validation_failed', `${path}: ${message}`, [{ path, message }]);
    const field = dataset.fields.find((f) => f.key === fieldKey);
    if (!field) throw bad(`"${dataset.key}" has no field "${fieldKey}"`);
    if (!(FILTER_OPS as readonly string[]).includes(op)) throw bad(`the operator must be one of ${FILTER_OPS.join(', ')}`);
    const filterOp = op as FilterOp;
    if (filterOp === 'empty' || filterOp === 'not_empty') return { field, op: filterOp, value: null };
    if (filterOp === 'contains') return { field, op: filterOp, value };
    const parsed = field.type === 'payee'
      ? { ok: true as const, value }
      : parseFieldValue({ ...field, required: true }, jsonToRaw(field, value) ?? '', { options: DEFAULT_VALUE_OPTIONS, currency, resolvePayee: (r) => ({ ok: true, value: r }) });
    if (!parsed.ok) throw bad(parsed.message);
    return { field, op: filterOp, value: parsed.value };
  });
}

export function recordBody(dataset: DatasetDef, record: StoredRecord, ownerNames: ReadonlyMap<string, string>, currency: string) {
  const values = fieldValues(dataset, record);
  const rowCurrency = dataset.currencyField ? String(values[dataset.currencyField] ?? currency) : currency;
  const owner = record.slots.owner;
  return {
    id: record.id,
    extId: record.extId,
    values: Object.fromEntries(dataset.fields.map((f) => [f.key, formatSlotValue(f, (values[f.key] ?? null) as SlotValue, rowCurrency)])),
    ownerName: typeof owner === 'string' ? (ownerNames.get(owner) ?? null) : null,
    importId: record.importId,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

export async function payeeNames(scope: TenantScope, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await scope.tx.query<{ id: string; display_name: string }>('SELECT id, display_name FROM payees WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [scope.tenantId, [...new Set(ids)]]);
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export function registerRecordRoutes(app: App, { store }: RouteDeps): void {
  const tags = ['data'];
  const params = z.object({ dataset: DatasetKeyParam });

  app.get(
    '/api/datasets/:dataset/records',
    {
      config: { access: 'data:read' },
      schema: {
        tags,
        summary: 'Records of a dataset, filtered and paged',
        params,
        querystring: z.object({
          q: z.string().trim().max(200).optional().describe('Search the external id and the first text field'),
          ids: z
            .string()
            .regex(/^\d{1,18}(,\d{1,18}){0,999}$/, 'comma-separated record ids (at most 1000)')
            .optional()
            .describe('Only these records: comma-separated ids, e.g. the `recordIds` of a metric explanation (at most 1000)'),
          filter: z.union([z.string(), z.array(z.string())]).optional().describe(`field:op:value, repeatable; op one of ${FILTER_OPS.join(', ')} (e.g. stage:eq:closed_won)`),
          sort: z.string().max(60).optional().describe('A field key, extId or updatedAt; a leading - sorts descending'),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: pageOf(RecordSchema), ...COMMON_ERRORS },
      },
    },
    (request) =>
      inCallerTenant(store, request, async (scope) => {
        const dataset = await requireDataset(scope, request.params.dataset);
        const currency = await tenantCurrency(scope);
        const { q, ids, filter, sort, limit, offset } = request.query;
        let sortBy: Parameters<typeof listRecords>[2]['sort'];
        if (sort) {
          const desc = sort.startsWith('-');
          const key = desc ? sort.slice(1) : sort;
          const field = key === 'extId' || key === 'updatedAt' ? key : dataset.fields.find((f) => f.key === key);
          if (!field) throw new AppError('validation_failed', `querystring.sort: "${dataset.key}" has no field "${key}"`, [{ path: 'querystring.sort', message: 'unknown field' }]);
          sortBy = { field, desc };
        }
        const page = await listRecords(scope, dataset, { filters: parseFilters(dataset, filter, currency), q, ids: ids?.split(','), sort: sortBy, limit, offset });
        const names = await payeeNames(scope, page.items.flatMap((r) => (typeof r.slots.owner === 'string' ? [r.slots.owner] : [])));
        return { items: page.items.map((r) => recordBody(dataset, r, names, currency)), total: page.total };
      }),
  );

  app.post(
    '/api/datasets/:dataset/records/batch',
    {
      config: { access: 'data:import' },
      bodyLimit: BATCH_BODY_LIMIT,
      schema: {
        tags,
        summary: `Upsert and delete records by external id, atomically (at most ${MAX_BATCH} of each per request)`,
        params,
        body: RecordBatchSchema,
        response: { 200: BatchResultSchema, ...COMMON_ERRORS, 413: COMMON_ERRORS[400] },
      },
    },
    async (request) => {
      const auth = request.auth;
      if (!auth) throw new AppError('unauthenticated', 'Sign in first');
      const dataset = await inCallerTenant(store, request, (scope) => requireDataset(scope, request.params.dataset));
      return applyRecordBatch({
        store, tenantId: auth.tenantId, actor: { userId: auth.userId, tokenId: auth.tokenId }, requestId: request.id, dataset, batch: request.body, source: 'batch',
      });
    },
  );
}

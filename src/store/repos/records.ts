/**
 * Records of every dataset, in one table with typed slot columns (see migration 0004 and
 * src/core/data/datasets.ts). Writes are batched upserts by (dataset, ext_id): one statement
 * per batch (unnest arrays), and a row is rewritten only when its `row_hash` — an md5 of its
 * slot values computed in SQL — differs, so re-importing an unchanged file writes nothing
 * and leaves `updated_at` alone. Every write goes through `writeRecords`, which emits a
 * change event after the commit (store/events.ts).
 */
import type { DatasetDef, FieldDef, Slot } from '../../core/data/datasets.js';
import { slotColumn } from '../../core/data/datasets.js';
import type { MappedRow } from '../../core/data/mapping.js';
import { buildPayeeDirectory, type PayeeDirectory } from '../../core/data/payee-directory.js';
import type { SlotValue } from '../../core/data/values.js';
import type { SnapshotRow } from '../../core/metrics/snapshot.js';
import { emitRecordsChanged, MAX_LISTED_CHANGES, type RecordChange, type RecordsChangedEvent } from '../events.js';
import type { Actor, Store, TenantScope } from '../store.js';
import { isUuid } from '../../core/uuid.js';

// ---------------------------------------------------------------------------------------
// Change collection: writes register their changes; writeRecords emits them after commit.

class ChangeCollector {
  private readonly byDataset = new Map<string, { upserted: RecordChange[]; deleted: RecordChange[]; truncated: boolean; images: boolean }>();
  /** `images`: every change carries exact before and after images. */
  add(dataset: string, kind: 'upserted' | 'deleted', changes: readonly RecordChange[], images = false): void {
    let entry = this.byDataset.get(dataset);
    if (!entry) {
      entry = { upserted: [], deleted: [], truncated: false, images: true };
      this.byDataset.set(dataset, entry);
    }
    if (changes.length === 0) return;
    if (!images) entry.images = false;
    if (entry.truncated || entry.upserted.length + entry.deleted.length + changes.length > MAX_LISTED_CHANGES) {
      entry.truncated = true;
      entry.upserted = [];
      entry.deleted = [];
      return;
    }
    for (const change of changes) entry[kind].push(change);
  }
  events(base: Pick<RecordsChangedEvent, 'tenantId' | 'source' | 'importId'>): RecordsChangedEvent[] {
    return [...this.byDataset.entries()]
      .filter(([, e]) => e.truncated || e.upserted.length > 0 || e.deleted.length > 0)
      .map(([dataset, e]) => ({ ...base, dataset, upserted: e.upserted, deleted: e.deleted, truncated: e.truncated, images: e.images && !e.truncated }));
  }
}

/** A tenant transaction that may write records. */
export interface RecordsScope extends TenantScope {
  readonly changes: ChangeCollector;
  readonly importId: string | null;
  /** Whether small writes record before/after images (batch API and webhooks: for live metric deltas). */
  readonly captureImages: boolean;
}

/** Batches up to this many records carry before/after images in their change events. */
export const IMAGE_LIMIT = 1_000;

export interface WriteContext {
  actor: Actor;
  requestId?: string | null;
  source: RecordsChangedEvent['source'];
  importId?: string | null;
}

/**
 * Runs fn in one tenant transaction in which records may be written; after the commit,
 * emits one change event per dataset that changed. Nothing is emitted when fn throws.
 */
export async function writeRecords<T>(store: Store, tenantId: string, context: WriteContext, fn: (scope: RecordsScope) => Promise<T>): Promise<T> {
  const changes = new ChangeCollector();
  const importId = context.importId ?? null;
  const result = await store.inTenant(tenantId, { actor: context.actor, requestId: context.requestId ?? null }, (scope) =>
    fn({
      tenantId: scope.tenantId, tx: scope.tx, actor: scope.actor, requestId: scope.requestId, changes, importId,
      captureImages: context.source === 'batch' || context.source === 'webhook',
    }),
  );
  for (const event of changes.events({ tenantId, source: context.source, importId })) emitRecordsChanged(event);
  return result;
}

// ---------------------------------------------------------------------------------------
// SQL per dataset layout

const PG_TYPE: Record<string, string> = { t: 'text', n: 'bigint', d: 'date', ts: 'timestamptz', owner: 'uuid' };
const familyOf = (slot: Slot): string => (slot === 'owner' ? 'owner' : (/^[a-z]+/.exec(slot)?.[0] ?? 't'));

/** How a slot value enters the row hash: dates as day numbers and instants as epoch seconds, so the hash never depends on DateStyle or TimeZone. */
function hashTerm(slot: Slot, ref: string): string {
  switch (familyOf(slot)) {
    case 'd':
      return `(${ref} - DATE '2000-01-01')`;
    case 'ts':
      return `extract(epoch FROM ${ref})`;
    default:
      return ref;
  }
}

interface Layout {
  columns: string[];
  types: string[];
  upsertSql: string;
  classifySql: string;
  /** The existing rows of a batch as images, locked for the rest of the transaction ($1 tenant, $2 dataset, $3 ext ids). */
  beforeSql: string;
  /** The upsert, returning the new rows' images too. */
  upsertImageSql: string;
  /** Deletes by external id, returning the deleted rows' images. */
  deleteImageSql: string;
}

/** A record as the in-memory evaluator reads a row (SnapshotRow): the select list for one alias. */
function imageColumns(dataset: DatasetDef, alias: string): string {
  const list = [`${alias}.id::text AS id`, `${alias}.ext_id AS ext_id`, `${alias}.owner_payee_id::text AS owner`];
  for (const field of dataset.fields) {
    if (field.slot === 'owner') continue;
    const ref = `${alias}.${slotColumn(field.slot)}`;
    switch (familyOf(field.slot)) {
      case 'n':
        list.push(`${ref}::text AS ${field.slot}`);
        break;
      case 'd':
        list.push(`(${ref} - DATE '1970-01-01') AS ${field.slot}`);
        break;
      case 'ts':
        list.push(`floor(extract(epoch FROM ${ref}) * 1000)::float8 AS ${field.slot}`);
        break;
      default:
        list.push(`${ref} AS ${field.slot}`);
    }
  }
  return list.join(', ');
}

const layouts = new Map<string, Layout>();

function layoutOf(dataset: DatasetDef): Layout {
  const key = `${dataset.key}:${dataset.fields.map((f) => f.slot).join(',')}`;
  const cached = layouts.get(key);
  if (cached) return cached;
  const columns = dataset.fields.map((f) => slotColumn(f.slot));
  const types = dataset.fields.map((f) => PG_TYPE[familyOf(f.slot)] ?? 'text');
  const aliases = columns.map((_c, i) => `c${i}`);
  const unnest = `unnest($6::text[], ${types.map((t, i) => `$${7 + i}::${t}[]`).join(', ')}) AS u(ext_id, ${aliases.join(', ')})`;
  const hash = `md5(ROW(${dataset.fields.map((f, i) => hashTerm(f.slot, `u.c${i}`)).join(', ')})::text)`;
  const upsertSql = `INSERT INTO records AS r (tenant_id, dataset, ext_id, import_id, updated_by_user, updated_by_token, ${columns.join(', ')}, row_hash)
    SELECT $1, $2, u.ext_id, $3, $4, $5, ${aliases.map((a) => `u.${a}`).join(', ')}, ${hash}
      FROM ${unnest}
    ON CONFLICT (tenant_id, dataset, ext_id) DO UPDATE SET
      ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, row_hash = EXCLUDED.row_hash, import_id = EXCLUDED.import_id,
      updated_at = now(), updated_by_user = EXCLUDED.updated_by_user, updated_by_token = EXCLUDED.updated_by_token
      WHERE r.row_hash IS DISTINCT FROM EXCLUDED.row_hash
    RETURNING r.id, r.ext_id, (r.xmax = 0) AS inserted`;
  // Same parameter positions as the upsert ($3–$5 unused), so both take one parameter list.
  const classifySql = `SELECT count(*) FILTER (WHERE r.id IS NULL) AS inserted,
           count(*) FILTER (WHERE r.id IS NOT NULL AND r.row_hash IS DISTINCT FROM u.h) AS updated,
           count(*) FILTER (WHERE r.row_hash = u.h) AS unchanged
      FROM (SELECT u.ext_id, ${hash} AS h, $3::uuid AS _i, $4::uuid AS _u, $5::uuid AS _t FROM ${unnest}) u
      LEFT JOIN records r ON r.tenant_id = $1 AND r.dataset = $2 AND r.ext_id = u.ext_id`;
  const images = imageColumns(dataset, 'r');
  const beforeSql = `SELECT ${images} FROM records r WHERE r.tenant_id = $1 AND r.dataset = $2 AND r.ext_id = ANY($3::text[]) FOR UPDATE`;
  const upsertImageSql = `${upsertSql.slice(0, upsertSql.lastIndexOf('RETURNING'))}RETURNING (r.xmax = 0) AS inserted, ${images}`;
  const deleteImageSql = `DELETE FROM records r WHERE r.tenant_id = $1 AND r.dataset = $2 AND r.ext_id = ANY($3::text[]) RETURNING ${images}`;
  const layout = { columns, types, upsertSql, classifySql, beforeSql, upsertImageSql, deleteImageSql };
  layouts.set(key, layout);
  return layout;
}

function batchParams(scope: TenantScope, dataset: DatasetDef, rows: readonly MappedRow[], importId: string | null): unknown[] {
  const width = dataset.fields.length;
  const extIds = new Array<string>(rows.length);
  const columns: SlotValue[][] = Array.from({ length: width }, () => new Array<SlotValue>(rows.length));
  for (let r = 0; r < rows.length; r += 1) {
    const row = rows[r];
    if (!row) continue;
    extIds[r] = row.extId;
    for (let c = 0; c < width; c += 1) (columns[c] as SlotValue[])[r] = row.values[c] ?? null;
  }
  return [scope.tenantId, dataset.key, importId, scope.actor.userId, scope.actor.tokenId, extIds, ...columns];
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * Upserts one batch (no external id twice) in one statement. Rows whose values did not
 * change are left alone. Returns what happened.
 */
export async function upsertRecordBatch(scope: RecordsScope, dataset: DatasetDef, rows: readonly MappedRow[]): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const layout = layoutOf(dataset);
  const params = batchParams(scope, dataset, rows, scope.importId);
  if (scope.captureImages && rows.length <= IMAGE_LIMIT) return upsertWithImages(scope, dataset, layout, params, rows.length);
  const changed = await scope.tx.query<{ id: string; ext_id: string; inserted: boolean }>(layout.upsertSql, params);
  let inserted = 0;
  for (const row of changed) if (row.inserted) inserted += 1;
  scope.changes.add(dataset.key, 'upserted', changed.map((r) => ({ id: r.id, extId: r.ext_id })));
  return { inserted, updated: changed.length - inserted, unchanged: rows.length - changed.length };
}

type ImageRow = SnapshotRow & { id: string; ext_id: string };
const imageOf = ({ ext_id: _ext, ...row }: ImageRow): SnapshotRow => row;

/**
 * The upsert with before/after images: the existing rows are read and locked first (so no
 * concurrent writer changes them between the read and the upsert), then the upsert returns
 * the new rows. A row that was updated without a before image (another transaction inserted
 * it concurrently) makes the event inexact, and its listeners re-evaluate.
 */
async function upsertWithImages(scope: RecordsScope, dataset: DatasetDef, layout: Layout, params: unknown[], total: number): Promise<UpsertCounts> {
  const before = new Map((await scope.tx.query<ImageRow>(layout.beforeSql, [scope.tenantId, dataset.key, params[5]])).map((r) => [r.ext_id, r]));
  const changed = await scope.tx.query<ImageRow & { inserted: boolean }>(layout.upsertImageSql, params);
  let inserted = 0;
  let exact = true;
  const changes: RecordChange[] = changed.map(({ inserted: isNew, ...row }) => {
    if (isNew) inserted += 1;
    const old = before.get(row.ext_id);
    if (!isNew && !old) exact = false;
    return { id: row.id, extId: row.ext_id, before: old ? imageOf(old) : null, after: imageOf(row) };
  });
  scope.changes.add(dataset.key, 'upserted', changes, exact);
  return { inserted, updated: changed.length - inserted, unchanged: total - changed.length };
}

/** What upserting a batch would do, without writing (dry runs). */
export async function classifyRecordBatch(scope: TenantScope, dataset: DatasetDef, rows: readonly MappedRow[]): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const [row] = await scope.tx.query<{ inserted: string; updated: string; unchanged: string }>(layoutOf(dataset).classifySql, batchParams(scope, dataset, rows, null));
  return { inserted: Number(row?.inserted ?? 0), updated: Number(row?.updated ?? 0), unchanged: Number(row?.unchanged ?? 0) };
}

/** Deletes records by external id; returns the deleted ones. */
export async function deleteRecords(scope: RecordsScope, dataset: DatasetDef, extIds: readonly string[]): Promise<RecordChange[]> {
  if (extIds.length === 0) return [];
  const rows = await scope.tx.query<ImageRow>(layoutOf(dataset).deleteImageSql, [scope.tenantId, dataset.key, extIds]);
  const images = scope.captureImages && rows.length <= IMAGE_LIMIT;
  const deleted = rows.map((r) => ({ id: r.id, extId: r.ext_id, ...(images ? { before: imageOf(r), after: null } : {}) }));
  scope.changes.add(dataset.key, 'deleted', deleted, images);
  return deleted.map(({ id, extId }) => ({ id, extId }));
}

/**
 * Serialises writers of one dataset of one tenant for the rest of the transaction (imports
 * take it, so two imports into the same dataset run one after the other instead of deadlocking).
 */
export async function lockDataset(scope: TenantScope, dataset: string): Promise<void> {
  await scope.tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`records:${scope.tenantId}:${dataset}`]);
}

// ---------------------------------------------------------------------------------------
// Reading

/** A record as stored: slot values by slot (bigint slots as numbers). */
export interface StoredRecord {
  id: string;
  dataset: string;
  extId: string;
  slots: Partial<Record<Slot, SlotValue>>;
  importId: string | null;
  createdAt: string;
  updatedAt: string;
}

const ALL_SLOTS: readonly string[] = [
  ...Array.from({ length: 12 }, (_v, i) => `t${i + 1}`),
  ...Array.from({ length: 8 }, (_v, i) => `n${i + 1}`),
  ...Array.from({ length: 6 }, (_v, i) => `d${i + 1}`),
  ...Array.from({ length: 4 }, (_v, i) => `ts${i + 1}`),
];
const SELECT_COLUMNS = `id, dataset, ext_id, owner_payee_id, ${ALL_SLOTS.join(', ')}, import_id, created_at, updated_at`;

type RecordRow = Record<string, unknown> & { id: string; dataset: string; ext_id: string; import_id: string | null; created_at: string; updated_at: string };

/** bigint arrives as a string: parsed here, once (the store only writes safe integers). */
function toStoredRecord(row: RecordRow): StoredRecord {
  const slots: Partial<Record<Slot, SlotValue>> = {};
  const owner = row.owner_payee_id;
  if (owner !== null && owner !== undefined) slots.owner = owner as string;
  for (const slot of ALL_SLOTS) {
    const value = row[slot];
    if (value === null || value === undefined) continue;
    slots[slot as Slot] = slot.startsWith('n') ? Number(value) : (value as string);
  }
  return { id: row.id, dataset: row.dataset, extId: row.ext_id, slots, importId: row.import_id, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** A record's values by field key. */
export function fieldValues(dataset: DatasetDef, record: StoredRecord): Record<string, SlotValue> {
  return Object.fromEntries(dataset.fields.map((f) => [f.key, record.slots[f.slot] ?? null]));
}

export const FILTER_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains', 'empty', 'not_empty'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export interface RecordFilter {
  field: FieldDef;
  op: FilterOp;
  /** Already parsed to the field's slot value (not used by empty / not_empty). */
  value: SlotValue;
}

export interface RecordQuery {
  filters?: readonly RecordFilter[];
  /** Case-insensitive search in the external id and the first text field. */
  q?: string | undefined;
  /** Only these records (ids as decimal strings), e.g. the ones a metric explanation names. */
  ids?: readonly string[] | undefined;
  /** Sort by a field (descending with `desc`); by external id when absent. */
  sort?: { field: FieldDef | 'extId' | 'updatedAt'; desc: boolean } | undefined;
  limit: number;
  offset: number;
}

const OPERATORS: Record<Exclude<FilterOp, 'contains' | 'empty' | 'not_empty'>, string> = { eq: '=', ne: 'IS DISTINCT FROM', gt: '>', gte: '>=', lt: '<', lte: '<=' };
const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A dataset's records, filtered, sorted and paged; `total` counts all that match. */
export async function listRecords(scope: TenantScope, dataset: DatasetDef, query: RecordQuery): Promise<{ items: StoredRecord[]; total: number }> {
  const params: unknown[] = [scope.tenantId, dataset.key];
  const where: string[] = ['tenant_id = $1', 'dataset = $2'];
  for (const filter of query.filters ?? []) {
    const column = slotColumn(filter.field.slot);
    const type = PG_TYPE[familyOf(filter.field.slot)] ?? 'text';
    switch (filter.op) {
      case 'empty':
        where.push(`${column} IS NULL`);
        break;
      case 'not_empty':
        where.push(`${column} IS NOT NULL`);
        break;
      case 'contains':
        params.push(`%${escapeLike(String(filter.value ?? ''))}%`);
        where.push(`${column}::text ILIKE $${params.length}`);
        break;
      default:
        params.push(filter.value);
        where.push(`${column} ${OPERATORS[filter.op]} $${params.length}::${type}`);
    }
  }
  if (query.ids) {
    params.push(query.ids);
    where.push(`id = ANY($${params.length}::bigint[])`);
  }
  if (query.q) {
    params.push(`%${escapeLike(query.q)}%`);
    const text = dataset.fields.find((f) => f.type === 'text');
    where.push(`(ext_id ILIKE $${params.length}${text ? ` OR ${slotColumn(text.slot)} ILIKE $${params.length}` : ''})`);
  }
  const sort = query.sort;
  const sortColumn = !sort || sort.field === 'extId' ? 'ext_id' : sort.field === 'updatedAt' ? 'updated_at' : slotColumn(sort.field.slot);
  const order = `${sortColumn} ${sort?.desc ? 'DESC' : 'ASC'}${sortColumn === 'ext_id' ? '' : ' NULLS LAST, ext_id'}`;
  const filter = where.join(' AND ');
  const rows = await scope.tx.query<RecordRow>(
    `SELECT ${SELECT_COLUMNS} FROM records WHERE ${filter} ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, query.limit, query.offset],
  );
  const [count] = await scope.tx.query<{ n: string }>(`SELECT count(*) AS n FROM records WHERE ${filter}`, params);
  return { items: rows.map(toStoredRecord), total: Number(count?.n ?? 0) };
}

export interface DatasetStats {
  count: number;
  lastChangeAt: string | null;
}

/** Record count and last write per dataset of the tenant (or of one dataset). */
export async function datasetStats(scope: TenantScope, dataset?: string): Promise<Map<string, DatasetStats>> {
  const rows = await scope.tx.query<{ dataset: string; n: string; last: string | null }>(
    `SELECT dataset, count(*) AS n, max(updated_at) AS last FROM records WHERE tenant_id = $1${dataset ? ' AND dataset = $2' : ''} GROUP BY dataset`,
    dataset ? [scope.tenantId, dataset] : [scope.tenantId],
  );
  return new Map(rows.map((r) => [r.dataset, { count: Number(r.n), lastChangeAt: r.last }]));
}

/** Records by id, of any dataset (metric explanations list the records behind a value). */
export async function getRecordsByIds(scope: TenantScope, ids: readonly string[]): Promise<StoredRecord[]> {
  if (ids.length === 0) return [];
  const rows = await scope.tx.query<RecordRow>(`SELECT ${SELECT_COLUMNS} FROM records WHERE tenant_id = $1 AND id = ANY($2::bigint[]) ORDER BY id`, [scope.tenantId, ids]);
  return rows.map(toStoredRecord);
}

/** Records of one dataset by external id. */
export async function getRecordsByExtIds(scope: TenantScope, dataset: string, extIds: readonly string[]): Promise<StoredRecord[]> {
  if (extIds.length === 0) return [];
  const rows = await scope.tx.query<RecordRow>(`SELECT ${SELECT_COLUMNS} FROM records WHERE tenant_id = $1 AND dataset = $2 AND ext_id = ANY($3::text[]) ORDER BY ext_id`, [scope.tenantId, dataset, extIds]);
  return rows.map(toStoredRecord);
}

export async function countRecords(scope: TenantScope, dataset?: string): Promise<number> {
  const [row] = await scope.tx.query<{ n: string }>('SELECT count(*) AS n FROM records WHERE tenant_id = $1 AND ($2::text IS NULL OR dataset = $2)', [scope.tenantId, dataset ?? null]);
  return Number(row?.n ?? 0);
}

// ---------------------------------------------------------------------------------------
// What imports and the API need to resolve references

/**
 * The tenant's payees as a directory for resolving references. With `references` (a batch
 * of a few records), only the payees that could match one of them are read — every payee
 * with such an id, external reference, e-mail or name, so ambiguity is still seen.
 */
export async function loadPayeeDirectory(scope: TenantScope, references?: readonly string[]): Promise<PayeeDirectory> {
  type Row = { id: string; external_ref: string | null; email: string | null; display_name: string };
  let rows: Row[];
  if (references) {
    const folded = [...new Set(references.map((r) => r.trim().toLowerCase().replace(/\s+/g, ' ')))];
    // Each form by its index (migration 0016): ids by the primary key, the reference, e-mail
    // and display name by their folded columns (lower case; the name's spaces collapsed).
    rows = await scope.tx.query<Row>(
      `SELECT id, external_ref, email, display_name FROM payees
        WHERE tenant_id = $1 AND (id = ANY($3::uuid[]) OR external_ref_folded = ANY($2::text[]) OR email_folded = ANY($2::text[])
              OR display_name_folded = ANY($2::text[]))`,
      [scope.tenantId, folded, folded.filter(isUuid)],
    );
  } else {
    rows = await scope.tx.query<Row>('SELECT id, external_ref, email, display_name FROM payees WHERE tenant_id = $1', [scope.tenantId]);
  }
  return buildPayeeDirectory(rows.map((r) => ({ id: r.id, externalRef: r.external_ref, email: r.email, displayName: r.display_name })));
}

export async function tenantCurrency(scope: TenantScope): Promise<string> {
  const [row] = await scope.tx.query<{ currency: string }>('SELECT currency FROM tenants WHERE id = $1', [scope.tenantId]);
  return row?.currency ?? 'EUR';
}

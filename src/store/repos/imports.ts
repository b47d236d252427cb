/**
 * Import jobs, saved mappings and webhook signing secrets — and the import pipeline itself.
 *
 * An import reads its rows twice, streamed (never the whole file in memory):
 *  1. validate: every row is mapped and checked (src/core/data/mapping.ts), external ids
 *     must be unique in the file; errors are counted and the first 1,000 kept. A dry run
 *     also asks the database what each batch would do (insert, update, unchanged) — reads
 *     only — and keeps the first rows as a preview.
 *  2. write: only when the file is clean, or the caller chose `valid_only`: all valid rows
 *     in ONE transaction, in batches of 10,000 (one upsert statement each), pipelined with
 *     the reading of the next batch. A failure rolls everything back.
 * Progress (rows validated, rows written) goes to `onProgress` as it happens and to the
 * job's row about once a second.
 */
import type { DatasetDef } from '../../core/data/datasets.js';
import { compileMapping, type ImportMapping, type MappedRow, type RowError } from '../../core/data/mapping.js';
import { formatSlotValue, type SlotValue } from '../../core/data/values.js';
import type { Actor, Store, TenantScope } from '../store.js';
import { recordAudit } from './audit.js';
import { classifyRecordBatch, loadPayeeDirectory, lockDataset, tenantCurrency, upsertRecordBatch, writeRecords, type UpsertCounts } from './records.js';

export const IMPORT_STATUSES = ['queued', 'validating', 'writing', 'completed', 'rejected', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const IMPORT_MODES = ['atomic', 'valid_only'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
export type ImportSource = 'upload' | 'cli';

/** Errors kept per import (all are counted). */
export const MAX_KEPT_ERRORS = 1000;
export const DEFAULT_BATCH_SIZE = 10_000;
export const DEFAULT_PREVIEW_ROWS = 20;
/** A running job whose heartbeat is older than this was interrupted (the process ended). */
const STALE_AFTER = "interval '10 minutes'";

export interface PreviewRow {
  row: number;
  extId: string;
  values: Record<string, string | number | boolean | null>;
}

export interface ImportJob {
  id: string;
  dataset: string;
  source: ImportSource;
  fileName: string | null;
  mapping: ImportMapping;
  mappingName: string | null;
  status: ImportStatus;
  mode: ImportMode;
  dryRun: boolean;
  totalRows: number;
  validatedRows: number;
  validRows: number;
  writtenRows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  errorCount: number;
  errors: RowError[];
  preview: PreviewRow[] | null;
  ignoredColumns: string[];
  failure: string | null;
  createdBy: { id: string | null; name: string | null; tokenId: string | null };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

interface ImportRow {
  id: string; dataset: string; source: ImportSource; file_name: string | null; mapping: ImportMapping; mapping_name: string | null;
  status: ImportStatus; mode: ImportMode; dry_run: boolean; total_rows: number; validated_rows: number; valid_rows: number;
  written_rows: number; inserted: number; updated: number; unchanged: number; error_count: number; errors: RowError[] | null;
  preview: PreviewRow[] | null; ignored_columns: string[]; failure: string | null; created_by: string | null; creator_name: string | null;
  created_by_token: string | null; created_at: string; started_at: string | null; finished_at: string | null; stale: boolean;
}

const RUNNING: readonly ImportStatus[] = ['queued', 'validating', 'writing'];
const toJob = (r: ImportRow): ImportJob => {
  const interrupted = r.stale && RUNNING.includes(r.status);
  return {
    id: r.id, dataset: r.dataset, source: r.source, fileName: r.file_name, mapping: r.mapping, mappingName: r.mapping_name,
    status: interrupted ? 'failed' : r.status, mode: r.mode, dryRun: r.dry_run, totalRows: r.total_rows, validatedRows: r.validated_rows,
    validRows: r.valid_rows, writtenRows: r.written_rows, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged,
    errorCount: r.error_count, errors: r.errors ?? [], preview: r.preview, ignoredColumns: r.ignored_columns,
    failure: interrupted ? 'interrupted: the process running the import ended' : r.failure,
    createdBy: { id: r.created_by, name: r.creator_name, tokenId: r.created_by_token },
    createdAt: r.created_at, startedAt: r.started_at, finishedAt: r.finished_at,
  };
};
const SELECT = (withDetails: boolean) => `SELECT i.id, i.dataset, i.source, i.file_name, i.mapping, i.mapping_name, i.status, i.mode, i.dry_run,
    i.total_rows, i.validated_rows, i.valid_rows, i.written_rows, i.inserted, i.updated, i.unchanged, i.error_count,
    ${withDetails ? 'i.errors, i.preview' : 'NULL::jsonb AS errors, NULL::jsonb AS preview'}, i.ignored_columns, i.failure, i.created_by,
    u.name AS creator_name, i.created_by_token, i.created_at, i.started_at, i.finished_at, i.heartbeat_at < now() - ${STALE_AFTER} AS stale
  FROM imports i LEFT JOIN users u ON u.id = i.created_by WHERE i.tenant_id = $1`;

export interface NewImport {
  id: string;
  dataset: string;
  source: ImportSource;
  fileName: string | null;
  mapping: ImportMapping;
  mappingName: string | null;
  mode: ImportMode;
  dryRun: boolean;
}

export async function createImport(scope: TenantScope, input: NewImport): Promise<ImportJob> {
  await scope.tx.query(
    `INSERT INTO imports (tenant_id, id, dataset, source, file_name, mapping, mapping_name, status, mode, dry_run, created_by, created_by_token)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8, $9, $10, $11)`,
    [scope.tenantId, input.id, input.dataset, input.source, input.fileName, JSON.stringify(input.mapping), input.mappingName, input.mode, input.dryRun,
      scope.actor.userId, scope.actor.tokenId],
  );
  const job = await getImport(scope, input.id);
  if (!job) throw new Error('import insert not visible');
  return job;
}

export async function getImport(scope: TenantScope, id: string): Promise<ImportJob | null> {
  const [row] = await scope.tx.query<ImportRow>(`${SELECT(true)} AND i.id = $2`, [scope.tenantId, id]);
  return row ? toJob(row) : null;
}

/** Import history, newest first (without errors and previews). */
export async function listImports(scope: TenantScope, query: { dataset?: string | undefined; limit: number; offset: number }): Promise<{ items: ImportJob[]; total: number }> {
  const rows = await scope.tx.query<ImportRow>(
    `${SELECT(false)} AND ($2::text IS NULL OR i.dataset = $2) ORDER BY i.created_at DESC, i.id LIMIT $3 OFFSET $4`,
    [scope.tenantId, query.dataset ?? null, query.limit, query.offset],
  );
  const [count] = await scope.tx.query<{ n: string }>('SELECT count(*) AS n FROM imports WHERE tenant_id = $1 AND ($2::text IS NULL OR dataset = $2)', [scope.tenantId, query.dataset ?? null]);
  return { items: rows.map(toJob), total: Number(count?.n ?? 0) };
}

interface ProgressPatch {
  status?: ImportStatus;
  totalRows?: number;
  validatedRows?: number;
  validRows?: number;
  writtenRows?: number;
  counts?: UpsertCounts;
  errorCount?: number;
  errors?: RowError[];
  preview?: PreviewRow[] | null;
  ignoredColumns?: string[];
  failure?: string | null;
  started?: boolean;
  finished?: boolean;
}

async function updateImport(scope: TenantScope, id: string, patch: ProgressPatch, onlyWhileRunning = false): Promise<void> {
  await scope.tx.query(
    `UPDATE imports SET status = coalesce($3, status), total_rows = coalesce($4, total_rows), validated_rows = coalesce($5, validated_rows),
        valid_rows = coalesce($6, valid_rows), written_rows = coalesce($7, written_rows), inserted = coalesce($8, inserted),
        updated = coalesce($9, updated), unchanged = coalesce($10, unchanged), error_count = coalesce($11, error_count),
        errors = coalesce($12, errors), preview = CASE WHEN $13::boolean THEN $14::jsonb ELSE preview END,
        ignored_columns = coalesce($15, ignored_columns), failure = coalesce($16, failure),
        started_at = CASE WHEN $17::boolean THEN now() ELSE started_at END,
        finished_at = CASE WHEN $18::boolean THEN now() ELSE finished_at END, heartbeat_at = now()
      WHERE tenant_id = $1 AND id = $2 ${onlyWhileRunning ? "AND status IN ('queued', 'validating', 'writing')" : ''}`,
    [
      scope.tenantId, id, patch.status ?? null, patch.totalRows ?? null, patch.validatedRows ?? null, patch.validRows ?? null,
      patch.writtenRows ?? null, patch.counts?.inserted ?? null, patch.counts?.updated ?? null, patch.counts?.unchanged ?? null,
      patch.errorCount ?? null, patch.errors === undefined ? null : JSON.stringify(patch.errors), patch.preview !== undefined,
      patch.preview === undefined || patch.preview === null ? null : JSON.stringify(patch.preview),
      patch.ignoredColumns === undefined ? null : JSON.stringify(patch.ignoredColumns), patch.failure ?? null, patch.started ?? false, patch.finished ?? false,
    ],
  );
}

// ---------------------------------------------------------------------------------------
// The pipeline

/** One pass over a file: its header line and its rows (row numbers as a spreadsheet counts them: the header is row 1). */
export interface RowSource {
  headers: string[];
  /** `error` marks a record the reader could not read (its cells are empty). */
  rows: AsyncIterable<{ row: number; cells: string[]; error?: string }>;
  close?: () => void;
}

export interface ImportProgress {
  importId: string;
  status: ImportStatus;
  totalRows: number;
  validatedRows: number;
  validRows: number;
  writtenRows: number;
  errorCount: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface RunImportInput {
  store: Store;
  tenantId: string;
  actor: Actor;
  requestId?: string | null;
  importId: string;
  dataset: DatasetDef;
  mapping: ImportMapping;
  mode: ImportMode;
  dryRun: boolean;
  /** Opens the file for one pass (called once per pass). */
  open: () => Promise<RowSource>;
  batchSize?: number;
  previewRows?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
}

/** Thrown when the file differs between the two passes (changed on disk). */
class FileChangedError extends Error {}

/** A growable bit set of row indexes (one bit per data row). */
class RowSet {
  private bits = new Uint8Array(1024);
  add(index: number): void {
    const byte = index >> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(this.bits.length * 2, byte + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[byte] = (this.bits[byte] ?? 0) | (1 << (index & 7));
  }
  has(index: number): boolean {
    return (((this.bits[index >> 3] ?? 0) >> (index & 7)) & 1) === 1;
  }
}

const system = (input: RunImportInput) => ({ actor: input.actor, requestId: input.requestId ?? null });

function previewOf(dataset: DatasetDef, row: number, mapped: MappedRow): PreviewRow {
  const currencyIndex = dataset.currencyField ? dataset.fields.findIndex((f) => f.key === dataset.currencyField) : -1;
  const currency = currencyIndex >= 0 ? String(mapped.values[currencyIndex] ?? 'EUR') : 'EUR';
  return {
    row,
    extId: mapped.extId,
    values: Object.fromEntries(dataset.fields.map((f, i) => [f.key, formatSlotValue(f, (mapped.values[i] ?? null) as SlotValue, currency)])),
  };
}

/**
 * Runs an import job to its end and returns the job as stored. Expected outcomes
 * (completed, rejected because of errors) resolve; an unexpected failure marks the job
 * `failed` and rethrows.
 */
export async function runImport(input: RunImportInput): Promise<ImportJob> {
  const { store, tenantId, importId, dataset } = input;
  const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
  const progress: ImportProgress = {
    importId, status: 'validating', totalRows: 0, validatedRows: 0, validRows: 0, writtenRows: 0, errorCount: 0, inserted: 0, updated: 0, unchanged: 0,
  };
  const inTenant = <T>(fn: (scope: TenantScope) => Promise<T>) => store.inTenant(tenantId, system(input), fn);
  // Progress goes to the job row at most once a second, never awaited by the pipeline (on the
  // embedded store it would wait for the import's own transaction), one write at a time.
  let lastSaved = 0;
  let saving: Promise<void> | null = null;
  const report = (force = false) => {
    input.onProgress?.({ ...progress });
    const now = performance.now();
    if (saving || (!force && now - lastSaved < 1000)) return;
    lastSaved = now;
    const snapshot = { ...progress };
    saving = inTenant((scope) => updateImport(scope, importId, {
      validatedRows: snapshot.validatedRows, validRows: snapshot.validRows, writtenRows: snapshot.writtenRows, errorCount: snapshot.errorCount,
    }, true))
      .catch((error: unknown) => console.error('attain: saving import progress failed', error))
      .finally(() => {
        saving = null;
      });
  };
  const finish = async (status: ImportStatus, patch: ProgressPatch = {}): Promise<ImportJob> => {
    progress.status = status;
    input.onProgress?.({ ...progress });
    if (saving) await saving;
    return inTenant(async (scope) => {
      await updateImport(scope, importId, { ...patch, status, finished: true });
      const job = await getImport(scope, importId);
      if (!job) throw new Error(`import ${importId} vanished`);
      if (!input.dryRun && status !== 'failed') {
        await recordAudit(scope, {
          action: `import.${status}`, entityType: 'import', entityId: importId,
          after: { dataset: dataset.key, fileName: job.fileName, totalRows: job.totalRows, validRows: job.validRows, inserted: job.inserted, updated: job.updated, unchanged: job.unchanged, errorCount: job.errorCount },
        });
      }
      return job;
    });
  };
  const checkAborted = () => {
    if (input.signal?.aborted) throw new FileChangedError('cancelled: the server is shutting down');
  };

  const opened: RowSource[] = [];
  try {
    await inTenant((scope) => updateImport(scope, importId, { status: 'validating', started: true }));
    const { directory, currency } = await inTenant(async (scope) => ({ directory: await loadPayeeDirectory(scope), currency: await tenantCurrency(scope) }));

    // Pass 1: validate.
    const first = await input.open();
    opened.push(first);
    const compiledResult = compileMapping({ dataset, mapping: input.mapping, headers: first.headers, tenantCurrency: currency, payees: directory });
    if (!compiledResult.ok) {
      progress.errorCount = compiledResult.errors.length;
      return await finish('rejected', { errors: compiledResult.errors, errorCount: compiledResult.errors.length });
    }
    const compiled = compiledResult.compiled;
    const invalid = new RowSet();
    const seen = new Map<string, number>();
    const errors: RowError[] = [];
    const preview: PreviewRow[] = [];
    const previewRows = input.previewRows ?? DEFAULT_PREVIEW_ROWS;
    const wouldBe: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
    let pending: Promise<UpsertCounts> | null = null;
    let batch: MappedRow[] = [];
    const classify = async () => {
      const rows = batch;
      batch = [];
      if (pending) addCounts(wouldBe, await pending);
      pending = inTenant((scope) => classifyRecordBatch(scope, dataset, rows));
    };
    let index = 0;
    for await (const { row, cells, error } of first.rows) {
      const result = error === undefined ? compiled.mapRow(cells, row) : { ok: false as const, errors: [{ row, column: '', value: '', code: 'invalid_csv', message: error }] };
      if (!result.ok) {
        invalid.add(index);
        progress.errorCount += result.errors.length;
        for (const error of result.errors) if (errors.length < MAX_KEPT_ERRORS) errors.push(error);
      } else {
        const firstRow = seen.get(result.row.extId);
        if (firstRow !== undefined) {
          invalid.add(index);
          progress.errorCount += 1;
          if (errors.length < MAX_KEPT_ERRORS) {
            errors.push({ row, column: input.mapping.extIdColumn, value: result.row.extId, code: 'duplicate_ext_id', message: `The external id appears already in row ${firstRow}` });
          }
        } else {
          seen.set(result.row.extId, row);
          progress.validRows += 1;
          if (input.dryRun) {
            if (preview.length < previewRows) preview.push(previewOf(dataset, row, result.row));
            batch.push(result.row);
            if (batch.length >= batchSize) await classify();
          }
        }
      }
      index += 1;
      progress.totalRows = index;
      progress.validatedRows = index;
      if ((index & 1023) === 0) {
        checkAborted();
        report();
      }
    }
    seen.clear();
    report(true);
    const firstPass: ProgressPatch = {
      totalRows: progress.totalRows, validatedRows: progress.validatedRows, validRows: progress.validRows, errorCount: progress.errorCount,
      errors, ignoredColumns: compiled.ignoredColumns,
    };

    if (input.dryRun) {
      await classify();
      if (pending) addCounts(wouldBe, await pending);
      Object.assign(progress, wouldBe);
      return await finish('completed', { ...firstPass, counts: wouldBe, preview });
    }
    if (progress.errorCount > 0 && input.mode === 'atomic') return await finish('rejected', firstPass);

    // Pass 2: write, in one transaction.
    progress.status = 'writing';
    await inTenant((scope) => updateImport(scope, importId, { ...firstPass, status: 'writing' }));
    input.onProgress?.({ ...progress });
    const totals: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
    if (progress.validRows > 0) {
      const second = await input.open();
      opened.push(second);
      if (second.headers.join('\u0000') !== first.headers.join('\u0000')) throw new FileChangedError('the file changed between validating and writing');
      await writeRecords(store, tenantId, { ...system(input), source: 'import', importId }, async (scope) => {
        await lockDataset(scope, dataset.key);
        let inFlight: Promise<UpsertCounts> | null = null;
        let rows: MappedRow[] = [];
        const flush = async () => {
          const out = rows;
          rows = [];
          if (inFlight) addCounts(totals, await inFlight);
          Object.assign(progress, totals);
          progress.writtenRows = totals.inserted + totals.updated + totals.unchanged;
          report();
          // The next batch is read and mapped while this one runs.
          inFlight = upsertRecordBatch(scope, dataset, out);
        };
        let i = 0;
        for await (const { row, cells, error } of second.rows) {
          if (!invalid.has(i)) {
            if (error !== undefined) throw new FileChangedError('the file changed between validating and writing');
            const result = compiled.mapRow(cells, row);
            if (!result.ok) throw new FileChangedError('the file changed between validating and writing');
            rows.push(result.row);
            if (rows.length >= batchSize) {
              checkAborted();
              await flush();
            }
          }
          i += 1;
        }
        if (i !== progress.totalRows) throw new FileChangedError('the file changed between validating and writing');
        await flush();
        if (inFlight) addCounts(totals, await inFlight);
        checkAborted();
      });
    }
    Object.assign(progress, totals);
    progress.writtenRows = totals.inserted + totals.updated + totals.unchanged;
    return await finish('completed', { writtenRows: progress.writtenRows, counts: totals });
  } catch (error) {
    const expected = error instanceof FileChangedError;
    if (!expected) console.error(`attain: import ${importId} failed`, error);
    await finish('failed', { failure: expected ? error.message : 'internal error (see the server log)' }).catch(() => undefined);
    throw error;
  } finally {
    for (const source of opened) source.close?.();
  }
}

function addCounts(into: UpsertCounts, add: UpsertCounts): void {
  into.inserted += add.inserted;
  into.updated += add.updated;
  into.unchanged += add.unchanged;
}

// ---------------------------------------------------------------------------------------
// Saved mappings

export interface SavedMapping {
  id: string;
  dataset: string;
  name: string;
  mapping: ImportMapping;
  createdAt: string;
  updatedAt: string;
}

interface MappingRow { id: string; dataset: string; name: string; mapping: ImportMapping; created_at: string; updated_at: string }
const toMapping = (r: MappingRow): SavedMapping => ({ id: r.id, dataset: r.dataset, name: r.name, mapping: r.mapping, createdAt: r.created_at, updatedAt: r.updated_at });
const MAPPING_COLUMNS = 'id, dataset, name, mapping, created_at, updated_at';

export async function listMappings(scope: TenantScope, dataset: string): Promise<SavedMapping[]> {
  const rows = await scope.tx.query<MappingRow>(`SELECT ${MAPPING_COLUMNS} FROM import_mappings WHERE tenant_id = $1 AND dataset = $2 ORDER BY lower(name)`, [scope.tenantId, dataset]);
  return rows.map(toMapping);
}

export async function getMapping(scope: TenantScope, dataset: string, id: string): Promise<SavedMapping | null> {
  const [row] = await scope.tx.query<MappingRow>(`SELECT ${MAPPING_COLUMNS} FROM import_mappings WHERE tenant_id = $1 AND dataset = $2 AND id = $3`, [scope.tenantId, dataset, id]);
  return row ? toMapping(row) : null;
}

export async function findMappingByName(scope: TenantScope, dataset: string, name: string): Promise<SavedMapping | null> {
  const [row] = await scope.tx.query<MappingRow>(`SELECT ${MAPPING_COLUMNS} FROM import_mappings WHERE tenant_id = $1 AND dataset = $2 AND name = $3`, [scope.tenantId, dataset, name]);
  return row ? toMapping(row) : null;
}

export async function createMapping(scope: TenantScope, input: { id: string; dataset: string; name: string; mapping: ImportMapping }): Promise<SavedMapping | 'name_taken'> {
  const rows = await scope.tx.query<MappingRow>(
    `INSERT INTO import_mappings (tenant_id, id, dataset, name, mapping, created_by) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, dataset, name) DO NOTHING RETURNING ${MAPPING_COLUMNS}`,
    [scope.tenantId, input.id, input.dataset, input.name, JSON.stringify(input.mapping), scope.actor.userId],
  );
  const [row] = rows;
  if (!row) return 'name_taken';
  const saved = toMapping(row);
  await recordAudit(scope, { action: 'import_mapping.created', entityType: 'import_mapping', entityId: saved.id, after: saved });
  return saved;
}

export async function updateMapping(scope: TenantScope, dataset: string, id: string, patch: { name?: string | undefined; mapping?: ImportMapping | undefined }): Promise<SavedMapping | 'name_taken' | null> {
  const before = await getMapping(scope, dataset, id);
  if (!before) return null;
  const name = patch.name ?? before.name;
  if (name !== before.name && (await findMappingByName(scope, dataset, name))) return 'name_taken';
  const [row] = await scope.tx.query<MappingRow>(
    `UPDATE import_mappings SET name = $4, mapping = $5, updated_at = now() WHERE tenant_id = $1 AND dataset = $2 AND id = $3 RETURNING ${MAPPING_COLUMNS}`,
    [scope.tenantId, dataset, id, name, JSON.stringify(patch.mapping ?? before.mapping)],
  );
  if (!row) return null;
  const after = toMapping(row);
  await recordAudit(scope, { action: 'import_mapping.updated', entityType: 'import_mapping', entityId: id, before, after });
  return after;
}

export async function deleteMapping(scope: TenantScope, dataset: string, id: string): Promise<boolean> {
  const before = await getMapping(scope, dataset, id);
  if (!before) return false;
  await scope.tx.query('DELETE FROM import_mappings WHERE tenant_id = $1 AND dataset = $2 AND id = $3', [scope.tenantId, dataset, id]);
  await recordAudit(scope, { action: 'import_mapping.deleted', entityType: 'import_mapping', entityId: id, before });
  return true;
}

// ---------------------------------------------------------------------------------------
// Webhook signing secrets

export interface WebhookSecret {
  id: string;
  name: string;
  createdAt: string;
  createdBy: { id: string | null; name: string | null };
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface SecretRow { id: string; name: string; created_at: string; created_by: string | null; creator_name: string | null; last_used_at: string | null; revoked_at: string | null; secret: string }
const toSecret = (r: SecretRow): WebhookSecret => ({
  id: r.id, name: r.name, createdAt: r.created_at, createdBy: { id: r.created_by, name: r.creator_name }, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at,
});
const SECRET_SELECT = `SELECT s.id, s.name, s.created_at, s.created_by, u.name AS creator_name, s.last_used_at, s.revoked_at, s.secret
  FROM webhook_secrets s LEFT JOIN users u ON u.id = s.created_by WHERE s.tenant_id = $1`;

export async function listWebhookSecrets(scope: TenantScope): Promise<WebhookSecret[]> {
  const rows = await scope.tx.query<SecretRow>(`${SECRET_SELECT} ORDER BY s.created_at DESC`, [scope.tenantId]);
  return rows.map(toSecret);
}

export async function createWebhookSecret(scope: TenantScope, input: { id: string; name: string; secret: string }): Promise<WebhookSecret> {
  await scope.tx.query('INSERT INTO webhook_secrets (tenant_id, id, name, secret, created_by) VALUES ($1, $2, $3, $4, $5)', [
    scope.tenantId, input.id, input.name, input.secret, scope.actor.userId,
  ]);
  const [row] = await scope.tx.query<SecretRow>(`${SECRET_SELECT} AND s.id = $2`, [scope.tenantId, input.id]);
  if (!row) throw new Error('webhook secret insert not visible');
  const created = toSecret(row);
  await recordAudit(scope, { action: 'webhook_secret.created', entityType: 'webhook_secret', entityId: input.id, after: created });
  return created;
}

export async function revokeWebhookSecret(scope: TenantScope, id: string): Promise<boolean> {
  const rows = await scope.tx.query('UPDATE webhook_secrets SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND id = $2 RETURNING id', [scope.tenantId, id]);
  if (rows.length === 0) return false;
  await recordAudit(scope, { action: 'webhook_secret.revoked', entityType: 'webhook_secret', entityId: id });
  return true;
}

/** The secret of a live (not revoked) signing secret, for verifying a signature. */
export async function getLiveWebhookSecret(scope: TenantScope, id: string): Promise<string | null> {
  const [row] = await scope.tx.query<{ secret: string }>('SELECT secret FROM webhook_secrets WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL', [scope.tenantId, id]);
  return row?.secret ?? null;
}

export async function touchWebhookSecret(scope: TenantScope, id: string): Promise<void> {
  // Coarse on purpose: one write a minute per secret at most.
  await scope.tx.query(
    `UPDATE webhook_secrets SET last_used_at = now() WHERE tenant_id = $1 AND id = $2 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [scope.tenantId, id],
  );
}

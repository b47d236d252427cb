import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEALS, findField } from '../../core/data/datasets.js';
import { completeMapping, type MappedRow } from '../../core/data/mapping.js';
import { createTestStore, describeEachBackend, type TestStore } from '../../../test/stores.js';
import { seedTenant, type TenantFixture } from '../../../test/fixtures.js';
import { onRecordsChanged, type RecordsChangedEvent } from '../events.js';
import { createImport, runImport, type RowSource } from './imports.js';
import {
  classifyRecordBatch,
  deleteRecords,
  fieldValues,
  getRecordsByIds,
  listRecords,
  loadPayeeDirectory,
  upsertRecordBatch,
  writeRecords,
} from './records.js';

/** A deal row in the dataset's field order. */
function deal(extId: string, patch: Partial<Record<string, string | number | null>> = {}): MappedRow {
  const values: Record<string, string | number | null> = { name: `Deal ${extId}`, amount: 100_00, currency: 'EUR', stage: 'open', created: '2026-01-15', ...patch };
  return { extId, values: DEALS.fields.map((f) => values[f.key] ?? null) };
}

function rowsOf(headers: string[], lines: string[][]): () => Promise<RowSource> {
  return async () => ({
    headers,
    rows: (async function* () {
      for (const [i, cells] of lines.entries()) yield { row: i + 2, cells };
    })(),
  });
}

describeEachBackend('records repository', (backend) => {
  let t: TestStore;
  let a: TenantFixture;
  let b: TenantFixture;
  const events: RecordsChangedEvent[] = [];
  let unsubscribe: () => void;

  beforeAll(async () => {
    t = await createTestStore(backend);
    a = await seedTenant(t.store, 'alpha');
    b = await seedTenant(t.store, 'beta');
    unsubscribe = onRecordsChanged((event) => events.push(event));
  });
  afterAll(async () => {
    unsubscribe?.();
    await t?.dispose();
  });

  const asA = { actor: { userId: null, tokenId: null }, source: 'batch' as const };
  const write = <T>(tenant: TenantFixture, fn: Parameters<typeof writeRecords<T>>[3]) => writeRecords(t.store, tenant.tenantId, asA, fn);
  const read = <T>(tenant: TenantFixture, fn: Parameters<typeof t.store.inTenant<T>>[2]) => t.store.inTenant(tenant.tenantId, { actor: { userId: null, tokenId: null } }, fn);

  it('upserts by external id, and a second identical upsert changes nothing, not even updated_at', async () => {
    events.length = 0;
    const first = await write(a, (scope) => upsertRecordBatch(scope, DEALS, [deal('D-1'), deal('D-2', { owner: a.payeeId })]));
    expect(first).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ tenantId: a.tenantId, dataset: 'deals', source: 'batch', truncated: false, deleted: [] });
    expect(events[0]?.upserted.map((c) => c.extId).sort()).toEqual(['D-1', 'D-2']);
    const before = await read(a, (scope) => listRecords(scope, DEALS, { limit: 10, offset: 0 }));

    events.length = 0;
    expect(await write(a, (scope) => upsertRecordBatch(scope, DEALS, [deal('D-1'), deal('D-2', { owner: a.payeeId })]))).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    expect(events).toEqual([]);
    const after = await read(a, (scope) => listRecords(scope, DEALS, { limit: 10, offset: 0 }));
    expect(after.items.map((r) => r.updatedAt)).toEqual(before.items.map((r) => r.updatedAt));

    expect(await write(a, (scope) => upsertRecordBatch(scope, DEALS, [deal('D-1', { amount: 200_00 }), deal('D-3')]))).toEqual({ inserted: 1, updated: 1, unchanged: 0 });
    expect(await read(a, (scope) => classifyRecordBatch(scope, DEALS, [deal('D-1', { amount: 200_00 }), deal('D-2'), deal('D-9')]))).toEqual({ inserted: 1, updated: 1, unchanged: 1 });
  });

  it('emits nothing for a transaction that rolls back', async () => {
    events.length = 0;
    await expect(write(a, async (scope) => {
      await upsertRecordBatch(scope, DEALS, [deal('D-rolled-back')]);
      throw new Error('stop');
    })).rejects.toThrow('stop');
    expect(events).toEqual([]);
    expect((await read(a, (scope) => listRecords(scope, DEALS, { q: 'rolled', limit: 10, offset: 0 }))).total).toBe(0);
  });

  it('lists with filters, search, sorting and paging; gets by id; deletes by external id', async () => {
    const stage = findField(DEALS, 'stage');
    const amount = findField(DEALS, 'amount');
    if (!stage || !amount) throw new Error('fields');
    const page = await read(a, (scope) => listRecords(scope, DEALS, { filters: [{ field: amount, op: 'gte', value: 150_00 }, { field: stage, op: 'eq', value: 'open' }], q: 'D-', limit: 10, offset: 0 }));
    expect(page.items.map((r) => r.extId)).toEqual(['D-1']);
    expect(fieldValues(DEALS, page.items[0] ?? { id: '', dataset: '', extId: '', slots: {}, importId: null, createdAt: '', updatedAt: '' })).toMatchObject({ amount: 200_00, stage: 'open', created: '2026-01-15' });
    // The fixture's own deal (1,000.00) sorts first.
    const sorted = await read(a, (scope) => listRecords(scope, DEALS, { sort: { field: amount, desc: true }, limit: 2, offset: 1 }));
    expect(sorted.total).toBe(4);
    expect(sorted.items.map((r) => r.extId)).toEqual(['D-1', 'D-2']);
    const byId = await read(a, (scope) => getRecordsByIds(scope, page.items.map((r) => r.id)));
    expect(byId.map((r) => r.extId)).toEqual(['D-1']);

    events.length = 0;
    const deleted = await write(a, (scope) => deleteRecords(scope, DEALS, ['D-3', 'D-404']));
    expect(deleted.map((d) => d.extId)).toEqual(['D-3']);
    expect(events[0]?.deleted.map(({ id, extId }) => ({ id, extId }))).toEqual(deleted);
    // A batch write's event carries the record as it was (for live metric deltas).
    expect(events[0]).toMatchObject({ images: true });
    expect(events[0]?.deleted[0]).toMatchObject({ after: null, before: { id: deleted[0]?.id, owner: null, [amount.slot]: '10000' } });
  });

  it('keeps tenants apart: the same external id is another record in another tenant, and ids do not cross', async () => {
    expect(await write(b, (scope) => upsertRecordBatch(scope, DEALS, [deal('D-1')]))).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    const aIds = (await read(a, (scope) => listRecords(scope, DEALS, { limit: 10, offset: 0 }))).items.map((r) => r.id);
    expect(await read(b, (scope) => getRecordsByIds(scope, aIds))).toEqual([]);
    expect((await read(b, (scope) => listRecords(scope, DEALS, { limit: 10, offset: 0 }))).items.map((r) => r.extId)).toEqual(['D-1', 'beta-DEAL-1']);
    expect(await write(b, (scope) => deleteRecords(scope, DEALS, ['D-2']))).toEqual([]);
    // A's payees do not resolve in B.
    const directory = await read(b, loadPayeeDirectory);
    expect(directory.resolve('alpha-EMP-1')).toMatchObject({ ok: false, code: 'unknown_owner' });
  });

  describe('the import pipeline', () => {
    const headers = ['ID', 'Name', 'Amount', 'Stage', 'Created', 'Owner'];
    const mapping = completeMapping({ extIdColumn: 'ID', columns: { Name: 'name', Amount: 'amount', Stage: 'stage', Created: 'created', Owner: 'owner' } });
    const run = async (lines: string[][], options: { mode?: 'atomic' | 'valid_only'; dryRun?: boolean; batchSize?: number } = {}) => {
      const importId = randomUUID();
      await read(a, (scope) => createImport(scope, { id: importId, dataset: 'deals', source: 'cli', fileName: 'x.csv', mapping, mappingName: null, mode: options.mode ?? 'atomic', dryRun: options.dryRun ?? false }));
      const progress: string[] = [];
      const job = await runImport({
        store: t.store, tenantId: a.tenantId, actor: { userId: null, tokenId: null }, importId, dataset: DEALS, mapping,
        mode: options.mode ?? 'atomic', dryRun: options.dryRun ?? false, open: rowsOf(headers, lines), batchSize: options.batchSize ?? 2,
        onProgress: (p) => progress.push(p.status),
      });
      return { job, progress };
    };
    const good = (i: number) => [`I-${i}`, `Imported ${i}`, `${i}.50`, 'closed_won', '2026-02-01', 'alpha-EMP-1'];

    it('writes nothing from a file with errors, and reports row, column, value and reason', async () => {
      const { job } = await run([good(1), ['I-2', 'X', 'lots', 'open', '2026-02-30', 'nobody'], good(3), good(1)]);
      expect(job).toMatchObject({ status: 'rejected', totalRows: 4, validRows: 2, errorCount: 4, inserted: 0 });
      expect(job.errors.map((e) => [e.row, e.column, e.value, e.code])).toEqual([
        [3, 'Owner', 'nobody', 'unknown_owner'], [3, 'Amount', 'lots', 'invalid_number'], [3, 'Created', '2026-02-30', 'invalid_date'], [5, 'ID', 'I-1', 'duplicate_ext_id'],
      ]);
      expect((await read(a, (scope) => listRecords(scope, DEALS, { q: 'Imported', limit: 10, offset: 0 }))).total).toBe(0);
    });

    it('previews a dry run with what would change, and writes nothing', async () => {
      const { job } = await run([good(1), good(2), ['I-3', 'X', 'lots', 'open', '2026-02-01', '']], { dryRun: true });
      expect(job).toMatchObject({ status: 'completed', dryRun: true, validRows: 2, errorCount: 1, inserted: 2, updated: 0, unchanged: 0 });
      expect(job.preview?.[0]).toMatchObject({ row: 2, extId: 'I-1', values: { amount: '1.50', stage: 'closed_won', owner: a.payeeId } });
      expect((await read(a, (scope) => listRecords(scope, DEALS, { q: 'Imported', limit: 10, offset: 0 }))).total).toBe(0);
    });

    it('writes the valid rows with valid_only in batches, and a re-import changes nothing', async () => {
      const lines = [good(1), good(2), ['I-3', 'X', 'lots', 'open', '2026-02-01', ''], good(4), good(5)];
      const { job, progress } = await run(lines, { mode: 'valid_only' });
      expect(job).toMatchObject({ status: 'completed', validRows: 4, writtenRows: 4, inserted: 4, updated: 0, unchanged: 0, errorCount: 1 });
      expect(progress).toContain('writing');
      const again = await run(lines, { mode: 'valid_only' });
      expect(again.job).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 });
      const records = await read(a, (scope) => listRecords(scope, DEALS, { q: 'Imported', limit: 10, offset: 0 }));
      expect(records.items.map((r) => [r.extId, r.importId])).toEqual(['I-1', 'I-2', 'I-4', 'I-5'].map((id) => [id, job.id]));
    });

    it('rejects a file whose header lacks the mapped columns', async () => {
      const importId = randomUUID();
      await read(a, (scope) => createImport(scope, { id: importId, dataset: 'deals', source: 'cli', fileName: 'x.csv', mapping, mappingName: null, mode: 'atomic', dryRun: false }));
      const job = await runImport({ store: t.store, tenantId: a.tenantId, actor: { userId: null, tokenId: null }, importId, dataset: DEALS, mapping, mode: 'atomic', dryRun: false, open: rowsOf(['Name'], [['x']]) });
      expect(job.status).toBe('rejected');
      expect(job.errors.map((e) => [e.row, e.code])).toEqual([[1, 'missing_ext_id_column'], [1, 'missing_required_column'], [1, 'missing_required_column'], [1, 'missing_required_column']]);
    });
  });
});

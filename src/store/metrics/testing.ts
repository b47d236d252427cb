/**
 * Test support: writes records with plain SQL (values as the records table holds them),
 * independent of the records repository and its import rules.
 */
import { createHash } from 'node:crypto';
import { slotFamilyOf, type DatasetDef } from '../../core/data/datasets.js';
import type { Queryable } from '../db.js';

export interface TestRecord {
  extId: string;
  /** By field key: numbers as scaled integers, dates 'YYYY-MM-DD', datetimes ISO instants, payees their id. */
  values: Readonly<Record<string, string | number | bigint | boolean | null | undefined>>;
}

const COLUMNS = ['owner_payee_id', ...Array.from({ length: 12 }, (_, i) => `t${i + 1}`), ...Array.from({ length: 8 }, (_, i) => `n${i + 1}`),
  ...Array.from({ length: 6 }, (_, i) => `d${i + 1}`), ...Array.from({ length: 4 }, (_, i) => `ts${i + 1}`)];
const CAST: Record<string, string> = { owner_payee_id: 'uuid', t: 'text', n: 'bigint', d: 'date', ts: 'timestamptz' };
const castOf = (column: string): string => CAST[column] ?? CAST[column.replace(/\d+$/, '')] ?? 'text';

/** Inserts records of one dataset (in batches of 500, one statement each); returns their ids in order. */
export async function insertTestRecords(tx: Queryable, tenantId: string, dataset: DatasetDef, records: readonly TestRecord[]): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < records.length; start += 500) {
    const batch = records.slice(start, start + 500);
    const params: unknown[] = [tenantId, dataset.key];
    const rows = batch.map((record) => {
      const slots = new Map<string, unknown>();
      for (const field of dataset.fields) {
        const value = record.values[field.key];
        if (value === null || value === undefined) continue;
        const family = slotFamilyOf(field.type);
        slots.set(field.slot === 'owner' ? 'owner_payee_id' : field.slot, family === 'n' && typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
      }
      const cells = [`$1`, `$2`];
      params.push(record.extId);
      cells.push(`$${params.length}`);
      for (const column of COLUMNS) {
        params.push(slots.get(column) ?? null);
        cells.push(`$${params.length}::${castOf(column)}`);
      }
      params.push(createHash('sha256').update(JSON.stringify(record.values, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).digest('hex'));
      cells.push(`$${params.length}`);
      return `(${cells.join(', ')})`;
    });
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO records (tenant_id, dataset, ext_id, ${COLUMNS.join(', ')}, row_hash) VALUES ${rows.join(', ')} RETURNING id`,
      params,
    );
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

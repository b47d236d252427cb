/**
 * Loads a dataset's records into the columnar snapshot the in-memory evaluator scans,
 * streamed in keyset-paged batches (never all rows as objects at once), and the org
 * (payees, team tree) the evaluator needs for team roll-up and labels.
 */
import { slotFamilyOf, type DatasetDef } from '../../core/data/datasets.js';
import type { OrgSnapshot } from '../../core/metrics/evaluate.js';
import { createSnapshotBuilder, type ColumnarSnapshot } from '../../core/metrics/snapshot.js';
import { getDataset } from '../repos/datasets.js';
import { SYSTEM_ACTOR, type Actor, type Store, type TenantScope } from '../store.js';

const SLOT = /^(t([1-9]|1[0-2])|n[1-8]|d[1-6]|ts[1-4])$/;

/**
 * One batch as one row of column aggregates: numbers, dates and datetimes as comma-joined
 * decimal strings (empty for no value), text as a JSON array (exact, with nulls). Every
 * aggregate of one query reads the rows in the same order, so the columns line up.
 */
function batchSql(dataset: DatasetDef): string {
  const columns = [`count(*) AS n`, `max(b.id)::text AS last`, `string_agg(b.id::text, ',') AS ids`, `string_agg(coalesce(b.owner_payee_id::text, ''), ',') AS owner`];
  for (const field of dataset.fields) {
    if (field.slot === 'owner') continue;
    if (!SLOT.test(field.slot)) throw new Error(`not a slot: ${field.slot}`);
    const col = `b.${field.slot}`;
    switch (slotFamilyOf(field.type)) {
      case 't':
        columns.push(`json_agg(${col}) AS ${field.slot}`);
        break;
      case 'n':
        columns.push(`string_agg(coalesce(${col}::text, ''), ',') AS ${field.slot}`);
        break;
      case 'd':
        columns.push(`string_agg(coalesce((${col} - DATE '1970-01-01')::text, ''), ',') AS ${field.slot}`);
        break;
      case 'ts':
        columns.push(`string_agg(coalesce(floor(extract(epoch FROM ${col}) * 1000)::bigint::text, ''), ',') AS ${field.slot}`);
        break;
      default:
        break;
    }
  }
  return `SELECT ${columns.join(', ')} FROM (
    SELECT * FROM records r WHERE r.tenant_id = $1 AND r.dataset = $2 AND r.id > $3 ORDER BY r.id LIMIT $4
  ) b`;
}

type BatchRow = { n: string; last: string | null; ids: string | null; owner: string | null } & Record<string, string | (string | null)[] | null>;

/** Reads a dataset's records in one scope, batch by batch (keyset on id), column by column. */
export async function loadSnapshotInScope(scope: TenantScope, dataset: DatasetDef, options: { batchSize?: number } = {}): Promise<ColumnarSnapshot> {
  const batchSize = options.batchSize ?? 50_000;
  const [{ n } = { n: '0' }] = await scope.tx.query<{ n: string }>('SELECT count(*) AS n FROM records WHERE tenant_id = $1 AND dataset = $2', [scope.tenantId, dataset.key]);
  const builder = createSnapshotBuilder(dataset, Number(n));
  const sql = batchSql(dataset);
  const split = (text: string | null, count: number): string[] => (count === 0 || text === null ? [] : text.split(','));
  // Row-level security hides the row count from the planner, which then reads and sorts all
  // remaining rows for every batch; an ordered scan of the primary key stops at the limit.
  const [saved] = await scope.tx.query<{ bitmap: string; sort: string }>(
    `SELECT current_setting('enable_bitmapscan') AS bitmap, current_setting('enable_sort') AS sort, set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)`,
  );
  let after = '0';
  for (;;) {
    const [row] = await scope.tx.query<BatchRow>(sql, [scope.tenantId, dataset.key, after, batchSize]);
    const count = Number(row?.n ?? 0);
    if (!row || count === 0) break;
    const values: Record<string, ArrayLike<string | number | null>> = {};
    for (const field of dataset.fields) {
      if (field.slot === 'owner') continue;
      const raw = row[field.slot] ?? null;
      values[field.slot] = slotFamilyOf(field.type) === 't' ? ((raw as (string | null)[] | null) ?? []) : split(raw as string | null, count);
    }
    builder.appendColumns({ count, ids: split(row.ids, count), owner: split(row.owner, count), values });
    if (count < batchSize || row.last === null) break;
    after = row.last;
  }
  await scope.tx.query(`SELECT set_config('enable_bitmapscan', $1, true), set_config('enable_sort', $2, true)`, [saved?.bitmap ?? 'on', saved?.sort ?? 'on']);
  return builder.build();
}

/**
 * Loads a dataset of a tenant (by key, or its definition) into a columnar snapshot: every
 * field, or only `fields`.
 * @example const deals = await loadSnapshot(store, tenantId, 'deals', { fields: fieldsUsed(plan, grouping).get('deals') }); deals.rowCount // 1000000
 */
export async function loadSnapshot(
  store: Store,
  tenantId: string,
  dataset: DatasetDef | string,
  options: { batchSize?: number; actor?: Actor; fields?: Iterable<string> } = {},
): Promise<ColumnarSnapshot> {
  return store.inTenant(tenantId, { actor: options.actor ?? SYSTEM_ACTOR }, async (scope) => {
    const def = typeof dataset === 'string' ? await getDataset(scope, dataset) : dataset;
    if (!def) throw new Error(`no dataset ${String(dataset)}`);
    // Only the fields asked for (e.g. fieldsUsed(plan)): less to read, less memory.
    const wanted = options.fields ? new Set(options.fields) : null;
    const projected = wanted ? { ...def, fields: def.fields.filter((f) => wanted.has(f.key)) } : def;
    return loadSnapshotInScope(scope, projected, options);
  });
}

/** The tenant's payees and team tree. */
export async function loadOrg(scope: TenantScope): Promise<OrgSnapshot> {
  const teams = await scope.tx.query<{ id: string; parent_id: string | null; name: string }>('SELECT id, parent_id, name FROM teams WHERE tenant_id = $1 ORDER BY id', [scope.tenantId]);
  const payees = await scope.tx.query<{ id: string; team_id: string | null; display_name: string }>('SELECT id, team_id, display_name FROM payees WHERE tenant_id = $1 ORDER BY id', [scope.tenantId]);
  return {
    teams: teams.map((t) => ({ id: t.id, parentId: t.parent_id, name: t.name })),
    payees: payees.map((p) => ({ id: p.id, teamId: p.team_id, name: p.display_name })),
  };
}

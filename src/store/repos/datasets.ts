import { BUILTIN_DATASETS, type DatasetDef, type FieldDef } from '../../core/data/datasets.js';
import type { TenantScope } from '../store.js';
import { recordAudit } from './audit.js';

/**
 * Datasets of a tenant: the built-ins (defined in code) and the tenant's custom ones (the
 * `datasets` table). A custom dataset's fields never change slots once it holds records, so
 * declarations are create-only for now.
 */

interface DatasetRow {
  key: string; label_en: string; label_de: string; fields: FieldDef[]; currency_field: string | null; version: number; created_at: string;
}

export interface TenantDataset extends DatasetDef {
  version: number;
  createdAt: string | null;
}

const toDataset = (r: DatasetRow): TenantDataset => ({
  key: r.key,
  label: { en: r.label_en, de: r.label_de },
  kind: 'custom',
  fields: r.fields,
  ...(r.currency_field === null ? {} : { currencyField: r.currency_field }),
  version: r.version,
  createdAt: r.created_at,
});

const builtin = (d: DatasetDef): TenantDataset => ({ ...d, version: 1, createdAt: null });

/** Built-in datasets first, then custom ones by key. */
export async function listDatasets(scope: TenantScope): Promise<TenantDataset[]> {
  const rows = await scope.tx.query<DatasetRow>(
    'SELECT key, label_en, label_de, fields, currency_field, version, created_at FROM datasets WHERE tenant_id = $1 ORDER BY key',
    [scope.tenantId],
  );
  return [...BUILTIN_DATASETS.map(builtin), ...rows.map(toDataset)];
}

export async function getDataset(scope: TenantScope, key: string): Promise<TenantDataset | null> {
  const found = BUILTIN_DATASETS.find((d) => d.key === key);
  if (found) return builtin(found);
  const [row] = await scope.tx.query<DatasetRow>(
    'SELECT key, label_en, label_de, fields, currency_field, version, created_at FROM datasets WHERE tenant_id = $1 AND key = $2',
    [scope.tenantId, key],
  );
  return row ? toDataset(row) : null;
}

/** Saves a custom dataset (slots already allocated); null when the key is taken. */
export async function createDataset(scope: TenantScope, dataset: DatasetDef): Promise<TenantDataset | null> {
  const rows = await scope.tx.query<{ key: string }>(
    `INSERT INTO datasets (tenant_id, key, label_en, label_de, fields, currency_field, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, key) DO NOTHING RETURNING key`,
    [scope.tenantId, dataset.key, dataset.label.en, dataset.label.de, JSON.stringify(dataset.fields), dataset.currencyField ?? null, scope.actor.userId],
  );
  if (rows.length === 0) return null;
  const created = await getDataset(scope, dataset.key);
  if (!created) throw new Error('dataset insert not visible');
  await recordAudit(scope, { action: 'dataset.created', entityType: 'dataset', entityId: dataset.key, after: created });
  return created;
}

/**
 * A tenant's custom metric definitions, versioned (table metric_definitions, migration
 * 0007). Saving an edit adds a version; versions are never changed or removed.
 */
import type { MetricDefinition } from '../../core/metrics/definition.js';
import { recordAudit } from '../repos/audit.js';
import type { TenantScope } from '../store.js';

export interface StoredMetricVersion {
  key: string;
  version: number;
  definition: MetricDefinition;
  createdBy: { id: string | null; name: string | null };
  createdAt: string;
}

interface Row {
  key: string;
  version: number;
  definition: MetricDefinition;
  created_by: string | null;
  created_by_name: string | null;
  created_at: string;
}

const toVersion = (r: Row): StoredMetricVersion => ({
  key: r.key, version: r.version, definition: r.definition, createdBy: { id: r.created_by, name: r.created_by_name }, createdAt: r.created_at,
});

const SELECT = `SELECT m.key, m.version, m.definition, m.created_by, u.name AS created_by_name, m.created_at
  FROM metric_definitions m LEFT JOIN users u ON u.id = m.created_by WHERE m.tenant_id = $1`;

/** The latest version of every custom metric, by key. */
export async function listCustomMetrics(scope: TenantScope): Promise<StoredMetricVersion[]> {
  const rows = await scope.tx.query<Row>(
    `SELECT * FROM (${SELECT.replace('SELECT m.key', 'SELECT DISTINCT ON (m.key) m.key')} ORDER BY m.key, m.version DESC) latest ORDER BY key`,
    [scope.tenantId],
  );
  return rows.map(toVersion);
}

/** Every version of one custom metric, newest first (empty when there is none). */
export async function listMetricVersions(scope: TenantScope, key: string): Promise<StoredMetricVersion[]> {
  const rows = await scope.tx.query<Row>(`${SELECT} AND m.key = $2 ORDER BY m.version DESC`, [scope.tenantId, key]);
  return rows.map(toVersion);
}

/** One version (the latest when version is absent), or null. */
export async function getCustomMetric(scope: TenantScope, key: string, version?: number): Promise<StoredMetricVersion | null> {
  const rows = version === undefined
    ? await scope.tx.query<Row>(`${SELECT} AND m.key = $2 ORDER BY m.version DESC LIMIT 1`, [scope.tenantId, key])
    : await scope.tx.query<Row>(`${SELECT} AND m.key = $2 AND m.version = $3`, [scope.tenantId, key, version]);
  return rows[0] ? toVersion(rows[0]) : null;
}

/** Saves version 1 of a new custom metric; null when the key exists already. */
export async function createCustomMetric(scope: TenantScope, definition: MetricDefinition): Promise<StoredMetricVersion | null> {
  const rows = await scope.tx.query<{ key: string }>(
    `INSERT INTO metric_definitions (tenant_id, key, version, definition, created_by)
     SELECT $1, $2, 1, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM metric_definitions WHERE tenant_id = $1 AND key = $2)
     ON CONFLICT DO NOTHING RETURNING key`,
    [scope.tenantId, definition.key, JSON.stringify(definition), scope.actor.userId],
  );
  if (rows.length === 0) return null;
  const saved = await getCustomMetric(scope, definition.key, 1);
  if (!saved) throw new Error('metric insert not visible');
  await recordAudit(scope, { action: 'metric.created', entityType: 'metric', entityId: definition.key, after: { version: 1, definition } });
  return saved;
}

/** Adds the next version of an existing custom metric; null when there is no such metric. */
export async function addMetricVersion(scope: TenantScope, definition: MetricDefinition): Promise<StoredMetricVersion | null> {
  const before = await getCustomMetric(scope, definition.key);
  if (!before) return null;
  const version = before.version + 1;
  // A concurrent edit that took this version number fails on the primary key (409).
  await scope.tx.query(
    'INSERT INTO metric_definitions (tenant_id, key, version, definition, created_by) VALUES ($1, $2, $3, $4, $5)',
    [scope.tenantId, definition.key, version, JSON.stringify(definition), scope.actor.userId],
  );
  const saved = await getCustomMetric(scope, definition.key, version);
  if (!saved) throw new Error('metric version insert not visible');
  await recordAudit(scope, {
    action: 'metric.updated', entityType: 'metric', entityId: definition.key,
    before: { version: before.version, definition: before.definition }, after: { version, definition },
  });
  return saved;
}

import type { TenantScope } from '../store.js';

export interface AuditEntry {
  id: string;
  at: string;
  actor: { userId: string | null; name: string | null; tokenId: string | null };
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

export interface AuditInput {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/**
 * The INSERT of one entry (tenant $1), its other eight values from parameter $`first` on
 * (auditValues): for a statement that makes the change and records it in one round trip.
 */
export const AUDIT_INSERT = (first: number): string => `INSERT INTO audit_log (tenant_id, actor_user_id, actor_token_id, action, entity_type, entity_id, before, after, request_id)
     VALUES ($1, ${Array.from({ length: 8 }, (_, i) => `$${first + i}`).join(', ')})`;

/** The values of AUDIT_INSERT after the tenant. */
export function auditValues(scope: TenantScope, entry: AuditInput): unknown[] {
  return [
    scope.actor.userId,
    scope.actor.tokenId,
    entry.action,
    entry.entityType,
    entry.entityId,
    entry.before === undefined ? null : JSON.stringify(entry.before),
    entry.after === undefined ? null : JSON.stringify(entry.after),
    scope.requestId,
  ];
}

/** Appends one entry in the same transaction as the change it describes. */
export async function recordAudit(scope: TenantScope, entry: AuditInput): Promise<void> {
  await scope.tx.query(AUDIT_INSERT(2), [scope.tenantId, ...auditValues(scope, entry)]);
}

export interface AuditFilter {
  entityType?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  /** Keyset pagination: entries with an id below this one. */
  before?: string | undefined;
  limit: number;
}

export async function listAudit(scope: TenantScope, filter: AuditFilter): Promise<{ items: AuditEntry[]; nextBefore: string | null }> {
  const rows = await scope.tx.query<{
    id: string; at: string; actor_user_id: string | null; actor_name: string | null; actor_token_id: string | null;
    action: string; entity_type: string; entity_id: string; before: unknown; after: unknown;
  }>(
    `SELECT a.id, a.at, a.actor_user_id, u.name AS actor_name, a.actor_token_id, a.action, a.entity_type, a.entity_id, a.before, a.after
       FROM audit_log a
       LEFT JOIN users u ON u.id = a.actor_user_id
      WHERE a.tenant_id = $1
        AND ($2::text IS NULL OR a.entity_type = $2)
        AND ($3::text IS NULL OR a.entity_id = $3)
        AND ($4::text IS NULL OR a.action = $4)
        AND ($5::bigint IS NULL OR a.id < $5)
      ORDER BY a.id DESC
      LIMIT $6`,
    [scope.tenantId, filter.entityType ?? null, filter.entityId ?? null, filter.action ?? null, filter.before ?? null, filter.limit + 1],
  );
  const page = rows.slice(0, filter.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      at: r.at,
      actor: { userId: r.actor_user_id, name: r.actor_name, tokenId: r.actor_token_id },
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      before: r.before ?? null,
      after: r.after ?? null,
    })),
    nextBefore: rows.length > filter.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

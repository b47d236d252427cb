import type { Role } from '../../core/roles.js';
import type { TenantScope } from '../store.js';
import { recordAudit } from './audit.js';

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  createdBy: { id: string | null; name: string | null };
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface TokenRow {
  id: string; name: string; role: Role; prefix: string; created_at: string; created_by: string | null; creator_name: string | null;
  last_used_at: string | null; revoked_at: string | null; token_hash: string;
}
const SELECT = `SELECT k.id, k.name, k.role, k.prefix, k.created_at, k.created_by, u.name AS creator_name, k.last_used_at,
    k.revoked_at, k.token_hash
  FROM api_tokens k LEFT JOIN users u ON u.id = k.created_by WHERE k.tenant_id = $1`;
const toToken = (r: TokenRow): ApiToken => ({
  id: r.id, name: r.name, role: r.role, prefix: r.prefix, createdAt: r.created_at,
  createdBy: { id: r.created_by, name: r.creator_name }, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at,
});

export async function listApiTokens(scope: TenantScope): Promise<ApiToken[]> {
  const rows = await scope.tx.query<TokenRow>(`${SELECT} ORDER BY k.created_at DESC`, [scope.tenantId]);
  return rows.map(toToken);
}

export async function getApiTokenForAuth(scope: TenantScope, id: string): Promise<(ApiToken & { tokenHash: string }) | null> {
  const [row] = await scope.tx.query<TokenRow>(`${SELECT} AND k.id = $2`, [scope.tenantId, id]);
  return row ? { ...toToken(row), tokenHash: row.token_hash } : null;
}

export async function createApiToken(
  scope: TenantScope,
  input: { id: string; name: string; role: Role; tokenHash: string; prefix: string },
): Promise<ApiToken> {
  await scope.tx.query(
    'INSERT INTO api_tokens (tenant_id, id, name, role, token_hash, prefix, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [scope.tenantId, input.id, input.name, input.role, input.tokenHash, input.prefix, scope.actor.userId],
  );
  const token = await getApiTokenForAuth(scope, input.id);
  if (!token) throw new Error('token insert not visible');
  const { tokenHash: _secret, ...visible } = token;
  await recordAudit(scope, { action: 'api_token.created', entityType: 'api_token', entityId: input.id, after: visible });
  return visible;
}

export async function revokeApiToken(scope: TenantScope, id: string): Promise<boolean> {
  const rows = await scope.tx.query<{ id: string }>(
    'UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND id = $2 RETURNING id',
    [scope.tenantId, id],
  );
  if (rows.length === 0) return false;
  await recordAudit(scope, { action: 'api_token.revoked', entityType: 'api_token', entityId: id });
  return true;
}

export async function touchApiToken(scope: TenantScope, id: string): Promise<void> {
  // Coarse on purpose: one write a minute per token at most.
  await scope.tx.query(
    `UPDATE api_tokens SET last_used_at = now() WHERE tenant_id = $1 AND id = $2
       AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [scope.tenantId, id],
  );
}

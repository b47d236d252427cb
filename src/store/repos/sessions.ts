import type { Role } from '../../core/roles.js';
import type { Queryable } from '../db.js';

/** Server-side sessions (a global table; every call runs as system). */
export interface SessionRow {
  id: string;
  userId: string;
  tenantId: string;
  secretHash: string;
  csrfToken: string;
  expiresAt: string;
  /** The user's current role in the session's workspace; null when removed or disabled. */
  role: Role | null;
}

interface Row { id: string; user_id: string; tenant_id: string; secret_hash: string; csrf_token: string; expires_at: string; role: Role | null }
const toSession = (r: Row): SessionRow => ({
  id: r.id, userId: r.user_id, tenantId: r.tenant_id, secretHash: r.secret_hash, csrfToken: r.csrf_token, expiresAt: r.expires_at, role: r.role,
});

export async function createSession(
  tx: Queryable,
  input: { id: string; userId: string; tenantId: string; secretHash: string; csrfToken: string; ttlSeconds: number; userAgent: string | null; ip: string | null },
): Promise<void> {
  await tx.query(
    `INSERT INTO sessions (id, user_id, tenant_id, secret_hash, csrf_token, expires_at, user_agent, ip)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6), $7, $8)`,
    [input.id, input.userId, input.tenantId, input.secretHash, input.csrfToken, input.ttlSeconds, input.userAgent, input.ip],
  );
}

/** A live session, sliding its expiry forward (at most once a minute). */
export async function findLiveSession(tx: Queryable, id: string, ttlSeconds: number): Promise<SessionRow | null> {
  const [row] = await tx.query<Row>(
    `WITH touched AS (
       UPDATE sessions SET last_seen_at = now(), expires_at = now() + make_interval(secs => $2)
        WHERE id = $1 AND expires_at > now() AND last_seen_at < now() - interval '1 minute'
     )
     SELECT s.id, s.user_id, s.tenant_id, s.secret_hash, s.csrf_token, s.expires_at, m.role
       FROM sessions s
       LEFT JOIN memberships m ON m.tenant_id = s.tenant_id AND m.user_id = s.user_id AND m.disabled_at IS NULL
      WHERE s.id = $1 AND s.expires_at > now()`,
    [id, ttlSeconds],
  );
  return row ? toSession(row) : null;
}

export async function switchSessionTenant(tx: Queryable, id: string, tenantId: string): Promise<void> {
  await tx.query('UPDATE sessions SET tenant_id = $2 WHERE id = $1', [id, tenantId]);
}

export async function deleteSession(tx: Queryable, id: string): Promise<void> {
  await tx.query('DELETE FROM sessions WHERE id = $1', [id]);
}

/** Signs a user out everywhere except, optionally, the current session. */
export async function deleteSessionsOfUser(tx: Queryable, userId: string, exceptId?: string): Promise<void> {
  await tx.query('DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2', [userId, exceptId ?? null]);
}

export async function deleteExpiredSessions(tx: Queryable): Promise<number> {
  const rows = await tx.query('DELETE FROM sessions WHERE expires_at <= now() RETURNING id');
  return rows.length;
}

/** Ends a user's sessions in one workspace (removed or disabled there). */
export async function deleteSessionsInTenant(tx: Queryable, tenantId: string, userId: string): Promise<void> {
  await tx.query('DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2', [tenantId, userId]);
}

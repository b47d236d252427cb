import type { Role } from '../../core/roles.js';
import type { Queryable } from '../db.js';
import type { TenantScope } from '../store.js';
import { recordAudit } from './audit.js';

export type Locale = 'en' | 'de';

/** A user account (global: one person may belong to several workspaces). */
export interface UserAccount {
  id: string;
  email: string;
  name: string;
  locale: Locale;
  passwordHash: string | null;
  lastSignInAt: string | null;
}

/** A user as seen inside one workspace. */
export interface Member {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  lastSignInAt: string | null;
}

interface AccountRow { id: string; email: string; name: string; locale: Locale; password_hash: string | null; last_sign_in_at: string | null }
const toAccount = (r: AccountRow): UserAccount => ({
  id: r.id, email: r.email, name: r.name, locale: r.locale, passwordHash: r.password_hash, lastSignInAt: r.last_sign_in_at,
});

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export async function findAccountByEmail(tx: Queryable, email: string): Promise<UserAccount | null> {
  const [row] = await tx.query<AccountRow>(
    'SELECT id, email, name, locale, password_hash, last_sign_in_at FROM users WHERE email = $1',
    [normaliseEmail(email)],
  );
  return row ? toAccount(row) : null;
}

export async function findAccountById(tx: Queryable, id: string): Promise<UserAccount | null> {
  const [row] = await tx.query<AccountRow>(
    'SELECT id, email, name, locale, password_hash, last_sign_in_at FROM users WHERE id = $1',
    [id],
  );
  return row ? toAccount(row) : null;
}

export async function createAccount(
  tx: Queryable,
  input: { id: string; email: string; name: string; passwordHash: string | null; locale?: Locale },
): Promise<UserAccount> {
  const [row] = await tx.query<AccountRow>(
    `INSERT INTO users (id, email, name, password_hash, locale, password_changed_at)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $4::text IS NULL THEN NULL ELSE now() END)
     RETURNING id, email, name, locale, password_hash, last_sign_in_at`,
    [input.id, normaliseEmail(input.email), input.name, input.passwordHash, input.locale ?? 'en'],
  );
  if (!row) throw new Error('user insert returned nothing');
  return toAccount(row);
}

export async function setPassword(tx: Queryable, userId: string, passwordHash: string): Promise<void> {
  await tx.query('UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1', [userId, passwordHash]);
}

export async function markSignedIn(tx: Queryable, userId: string): Promise<void> {
  await tx.query('UPDATE users SET last_sign_in_at = now() WHERE id = $1', [userId]);
}

export async function updateProfile(tx: Queryable, userId: string, patch: { name?: string | undefined; locale?: Locale | undefined }): Promise<UserAccount> {
  const [row] = await tx.query<AccountRow>(
    `UPDATE users SET name = coalesce($2, name), locale = coalesce($3, locale) WHERE id = $1
     RETURNING id, email, name, locale, password_hash, last_sign_in_at`,
    [userId, patch.name ?? null, patch.locale ?? null],
  );
  if (!row) throw new Error(`user ${userId} vanished`);
  return toAccount(row);
}

/** The workspaces a user may enter (system: crosses tenants). */
export async function listMembershipsOfUser(
  tx: Queryable,
  userId: string,
): Promise<{ tenantId: string; tenantName: string; tenantSlug: string; role: Role }[]> {
  const rows = await tx.query<{ tenant_id: string; name: string; slug: string; role: Role }>(
    `SELECT m.tenant_id, t.name, t.slug, m.role FROM memberships m JOIN tenants t ON t.id = m.tenant_id
      WHERE m.user_id = $1 AND m.disabled_at IS NULL ORDER BY t.name`,
    [userId],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, tenantName: r.name, tenantSlug: r.slug, role: r.role }));
}

interface MemberRow { id: string; email: string; name: string; role: Role; disabled_at: string | null; created_at: string; last_sign_in_at: string | null }
const MEMBER_SELECT = `SELECT u.id, u.email, u.name, m.role, m.disabled_at, m.created_at, u.last_sign_in_at
  FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1`;
const toMember = (r: MemberRow): Member => ({
  id: r.id, email: r.email, name: r.name, role: r.role, disabled: r.disabled_at !== null, createdAt: r.created_at, lastSignInAt: r.last_sign_in_at,
});

export interface PageRequest {
  /** Case-insensitive search in names and e-mails. */
  q?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** `%term%` for ILIKE, with the pattern characters in the term escaped. */
export const likePattern = (q: string | undefined): string | null =>
  q && q.trim() !== '' ? `%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;

export interface MemberQuery extends PageRequest {
  role?: Role | undefined;
  disabled?: boolean | undefined;
}

export async function listMembers(scope: TenantScope, query: MemberQuery = {}): Promise<Page<Member>> {
  const where = `${MEMBER_SELECT}
       AND ($2::text IS NULL OR u.name ILIKE $2 OR u.email ILIKE $2)
       AND ($3::text IS NULL OR m.role = $3)
       AND ($4::boolean IS NULL OR (m.disabled_at IS NOT NULL) = $4)`;
  const params = [scope.tenantId, likePattern(query.q), query.role ?? null, query.disabled ?? null];
  const rows = await scope.tx.query<MemberRow>(`${where} ORDER BY lower(u.name), u.email, u.id LIMIT $5 OFFSET $6`, [
    ...params, query.limit ?? null, query.offset ?? 0,
  ]);
  const [count] = await scope.tx.query<{ n: string }>(`SELECT count(*) AS n FROM (${where}) matched`, params);
  return { items: rows.map(toMember), total: Number(count?.n ?? 0) };
}

/** How many members hold each role (for the roles overview). */
export async function countMembersByRole(scope: TenantScope): Promise<Partial<Record<Role, number>>> {
  const rows = await scope.tx.query<{ role: Role; n: string }>(
    'SELECT role, count(*) AS n FROM memberships WHERE tenant_id = $1 AND disabled_at IS NULL GROUP BY role',
    [scope.tenantId],
  );
  return Object.fromEntries(rows.map((r) => [r.role, Number(r.n)]));
}

export async function getMember(scope: TenantScope, userId: string): Promise<Member | null> {
  const [row] = await scope.tx.query<MemberRow>(`${MEMBER_SELECT} AND m.user_id = $2`, [scope.tenantId, userId]);
  return row ? toMember(row) : null;
}

export async function addMember(scope: TenantScope, userId: string, role: Role): Promise<Member> {
  await scope.tx.query('INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)', [scope.tenantId, userId, role]);
  const member = await getMember(scope, userId);
  if (!member) throw new Error('membership insert not visible');
  await recordAudit(scope, { action: 'member.added', entityType: 'user', entityId: userId, after: member });
  return member;
}

export async function updateMember(
  scope: TenantScope,
  userId: string,
  patch: { name?: string | undefined; role?: Role | undefined; disabled?: boolean | undefined },
): Promise<Member | null> {
  const before = await getMember(scope, userId);
  if (!before) return null;
  if (patch.name !== undefined) await scope.tx.query('UPDATE users SET name = $2 WHERE id = $1', [userId, patch.name]);
  if (patch.role !== undefined || patch.disabled !== undefined) {
    await scope.tx.query(
      `UPDATE memberships SET role = coalesce($3, role),
              disabled_at = CASE WHEN $4::boolean IS NULL THEN disabled_at WHEN $4 THEN coalesce(disabled_at, now()) ELSE NULL END
        WHERE tenant_id = $1 AND user_id = $2`,
      [scope.tenantId, userId, patch.role ?? null, patch.disabled ?? null],
    );
  }
  const after = await getMember(scope, userId);
  await recordAudit(scope, { action: 'member.updated', entityType: 'user', entityId: userId, before, after });
  return after;
}

export async function removeMember(scope: TenantScope, userId: string): Promise<boolean> {
  const before = await getMember(scope, userId);
  if (!before) return false;
  await scope.tx.query('DELETE FROM memberships WHERE tenant_id = $1 AND user_id = $2', [scope.tenantId, userId]);
  await recordAudit(scope, { action: 'member.removed', entityType: 'user', entityId: userId, before });
  return true;
}

/** Active admins, for the "never remove the last admin" rule. */
export async function countActiveAdmins(scope: TenantScope): Promise<number> {
  const [row] = await scope.tx.query<{ n: string }>(
    `SELECT count(*) AS n FROM memberships WHERE tenant_id = $1 AND role = 'admin' AND disabled_at IS NULL`,
    [scope.tenantId],
  );
  return Number(row?.n ?? 0);
}

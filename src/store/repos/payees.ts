import type { Patch, TenantScope } from '../store.js';
import { recordAudit } from './audit.js';
import { likePattern, type Page, type PageRequest } from './users.js';

export type PayeeKind = 'employee' | 'partner';

/** Someone who can be paid: an employee user, or an external partner (distributor, retailer). */
export interface Payee {
  id: string;
  kind: PayeeKind;
  displayName: string;
  email: string | null;
  userId: string | null;
  /** The linked member's name, when the payee has a login. */
  userName: string | null;
  teamId: string | null;
  teamName: string | null;
  currency: string;
  externalRef: string | null;
  startDate: string | null;
  endDate: string | null;
}

interface PayeeRow {
  id: string; kind: PayeeKind; display_name: string; email: string | null; user_id: string | null; user_name: string | null; team_id: string | null;
  team_name: string | null; currency: string; external_ref: string | null; start_date: string | null; end_date: string | null;
}
const toPayee = (r: PayeeRow): Payee => ({
  id: r.id, kind: r.kind, displayName: r.display_name, email: r.email, userId: r.user_id, userName: r.user_name, teamId: r.team_id,
  teamName: r.team_name, currency: r.currency, externalRef: r.external_ref, startDate: r.start_date, endDate: r.end_date,
});
const SELECT = `SELECT p.id, p.kind, p.display_name, p.email, p.user_id, u.name AS user_name, p.team_id, t.name AS team_name, p.currency,
    p.external_ref, p.start_date, p.end_date
  FROM payees p
  LEFT JOIN teams t ON t.tenant_id = p.tenant_id AND t.id = p.team_id
  LEFT JOIN users u ON u.id = p.user_id
  WHERE p.tenant_id = $1`;

export interface PayeeQuery extends PageRequest {
  /** Only payees in these teams (a manager's subtree); all when absent. */
  teamIds?: readonly string[] | undefined;
  kind?: PayeeKind | undefined;
}

/** Payees in name order, filtered and paged; `total` counts all that match. */
export async function listPayees(scope: TenantScope, query: PayeeQuery = {}): Promise<Page<Payee>> {
  const where = `${SELECT}
       AND ($2::uuid[] IS NULL OR p.team_id = ANY($2::uuid[]))
       AND ($3::text IS NULL OR p.display_name ILIKE $3 OR p.email ILIKE $3 OR p.external_ref ILIKE $3)
       AND ($4::text IS NULL OR p.kind = $4)`;
  const params = [scope.tenantId, query.teamIds ?? null, likePattern(query.q), query.kind ?? null];
  const rows = await scope.tx.query<PayeeRow>(`${where} ORDER BY lower(p.display_name), p.id LIMIT $5 OFFSET $6`, [
    ...params, query.limit ?? null, query.offset ?? 0,
  ]);
  const [count] = await scope.tx.query<{ n: string }>(`SELECT count(*) AS n FROM (${where}) matched`, params);
  return { items: rows.map(toPayee), total: Number(count?.n ?? 0) };
}

export async function getPayee(scope: TenantScope, id: string): Promise<Payee | null> {
  const [row] = await scope.tx.query<PayeeRow>(`${SELECT} AND p.id = $2`, [scope.tenantId, id]);
  return row ? toPayee(row) : null;
}

export interface PayeeInput {
  kind: PayeeKind;
  displayName: string;
  email?: string | null | undefined;
  userId?: string | null | undefined;
  teamId?: string | null | undefined;
  currency: string;
  externalRef?: string | null | undefined;
  startDate?: string | null | undefined;
  endDate?: string | null | undefined;
}

export type PayeeIssue = 'team_not_found' | 'user_not_member';

async function checkReferences(scope: TenantScope, input: Patch<PayeeInput>): Promise<PayeeIssue | null> {
  if (input.teamId) {
    const rows = await scope.tx.query('SELECT 1 FROM teams WHERE tenant_id = $1 AND id = $2', [scope.tenantId, input.teamId]);
    if (rows.length === 0) return 'team_not_found';
  }
  if (input.userId) {
    const rows = await scope.tx.query('SELECT 1 FROM memberships WHERE tenant_id = $1 AND user_id = $2', [scope.tenantId, input.userId]);
    if (rows.length === 0) return 'user_not_member';
  }
  return null;
}

const values = (p: PayeeInput) => [
  p.kind, p.displayName, p.email?.toLowerCase() ?? null, p.userId ?? null, p.teamId ?? null, p.currency,
  p.externalRef ?? null, p.startDate ?? null, p.endDate ?? null,
];

export async function createPayee(scope: TenantScope, id: string, input: PayeeInput): Promise<Payee | PayeeIssue> {
  const issue = await checkReferences(scope, input);
  if (issue) return issue;
  await scope.tx.query(
    `INSERT INTO payees (tenant_id, id, kind, display_name, email, user_id, team_id, currency, external_ref, start_date, end_date)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [scope.tenantId, id, ...values(input)],
  );
  const payee = await getPayee(scope, id);
  if (!payee) throw new Error('payee insert not visible');
  await recordAudit(scope, { action: 'payee.created', entityType: 'payee', entityId: id, after: payee });
  return payee;
}

export async function updatePayee(scope: TenantScope, id: string, patch: Patch<PayeeInput>): Promise<Payee | PayeeIssue | null> {
  const before = await getPayee(scope, id);
  if (!before) return null;
  const issue = await checkReferences(scope, patch);
  if (issue) return issue;
  const merged: PayeeInput = {
    kind: patch.kind ?? before.kind,
    displayName: patch.displayName ?? before.displayName,
    email: patch.email === undefined ? before.email : patch.email,
    userId: patch.userId === undefined ? before.userId : patch.userId,
    teamId: patch.teamId === undefined ? before.teamId : patch.teamId,
    currency: patch.currency ?? before.currency,
    externalRef: patch.externalRef === undefined ? before.externalRef : patch.externalRef,
    startDate: patch.startDate === undefined ? before.startDate : patch.startDate,
    endDate: patch.endDate === undefined ? before.endDate : patch.endDate,
  };
  await scope.tx.query(
    `UPDATE payees SET kind = $3, display_name = $4, email = $5, user_id = $6, team_id = $7, currency = $8,
            external_ref = $9, start_date = $10, end_date = $11
      WHERE tenant_id = $1 AND id = $2`,
    [scope.tenantId, id, ...values(merged)],
  );
  const after = await getPayee(scope, id);
  await recordAudit(scope, { action: 'payee.updated', entityType: 'payee', entityId: id, before, after });
  return after;
}

export async function deletePayee(scope: TenantScope, id: string): Promise<boolean> {
  const before = await getPayee(scope, id);
  if (!before) return false;
  await scope.tx.query('DELETE FROM payees WHERE tenant_id = $1 AND id = $2', [scope.tenantId, id]);
  await recordAudit(scope, { action: 'payee.deleted', entityType: 'payee', entityId: id, before });
  return true;
}

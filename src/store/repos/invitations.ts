import type { Role } from '../../core/roles.js';
import type { TenantScope } from '../store.js';
import { recordAudit } from './audit.js';

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  invitedBy: { id: string | null; name: string | null };
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
  status: InvitationStatus;
}

interface InvitationRow {
  id: string; email: string; role: Role; invited_by: string | null; inviter_name: string | null; created_at: string;
  expires_at: string; accepted_at: string | null; revoked_at: string | null; token_hash: string; expired: boolean;
}
const SELECT = `SELECT i.id, i.email, i.role, i.invited_by, u.name AS inviter_name, i.created_at, i.expires_at, i.accepted_at,
    i.revoked_at, i.token_hash, i.expires_at <= now() AS expired
  FROM invitations i LEFT JOIN users u ON u.id = i.invited_by WHERE i.tenant_id = $1`;
const statusOf = (r: InvitationRow): InvitationStatus =>
  r.accepted_at ? 'accepted' : r.revoked_at ? 'revoked' : r.expired ? 'expired' : 'pending';
const toInvitation = (r: InvitationRow): Invitation => ({
  id: r.id, email: r.email, role: r.role, invitedBy: { id: r.invited_by, name: r.inviter_name }, createdAt: r.created_at,
  expiresAt: r.expires_at, acceptedAt: r.accepted_at, revokedAt: r.revoked_at, status: statusOf(r),
});

export async function listInvitations(scope: TenantScope): Promise<Invitation[]> {
  const rows = await scope.tx.query<InvitationRow>(`${SELECT} ORDER BY i.created_at DESC`, [scope.tenantId]);
  return rows.map(toInvitation);
}

export async function getInvitation(scope: TenantScope, id: string): Promise<(Invitation & { tokenHash: string }) | null> {
  const [row] = await scope.tx.query<InvitationRow>(`${SELECT} AND i.id = $2`, [scope.tenantId, id]);
  return row ? { ...toInvitation(row), tokenHash: row.token_hash } : null;
}

export async function createInvitation(
  scope: TenantScope,
  input: { id: string; email: string; role: Role; tokenHash: string; expiresAt: string },
): Promise<Invitation> {
  await scope.tx.query(
    `INSERT INTO invitations (tenant_id, id, email, role, token_hash, invited_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [scope.tenantId, input.id, input.email.toLowerCase(), input.role, input.tokenHash, scope.actor.userId, input.expiresAt],
  );
  const invitation = await getInvitation(scope, input.id);
  if (!invitation) throw new Error('invitation insert not visible');
  const { tokenHash: _secret, ...visible } = invitation;
  await recordAudit(scope, { action: 'invitation.created', entityType: 'invitation', entityId: input.id, after: visible });
  return visible;
}

/** Revokes a pending invitation; false when there is none with that id. */
export async function revokeInvitation(scope: TenantScope, id: string): Promise<boolean> {
  const before = await getInvitation(scope, id);
  if (!before) return false;
  await scope.tx.query(
    'UPDATE invitations SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND id = $2',
    [scope.tenantId, id],
  );
  await recordAudit(scope, { action: 'invitation.revoked', entityType: 'invitation', entityId: id, before: { status: before.status }, after: { status: 'revoked' } });
  return true;
}

/** Marks a pending invitation accepted; false when it was used, revoked or expired meanwhile. */
export async function markInvitationAccepted(scope: TenantScope, id: string, userId: string): Promise<boolean> {
  const rows = await scope.tx.query(
    `UPDATE invitations SET accepted_at = now()
      WHERE tenant_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now() RETURNING id`,
    [scope.tenantId, id],
  );
  if (rows.length === 0) return false;
  await recordAudit(scope, { action: 'invitation.accepted', entityType: 'invitation', entityId: id, after: { userId } });
  return true;
}

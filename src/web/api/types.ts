import type { Permission, Role } from '../auth/roles';

export type Locale = 'en' | 'de';
export const LOCALES = ['en', 'de'] as const satisfies readonly Locale[];

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  locale: Locale;
}

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  currency: string;
  locale: Locale;
  fiscalYearStartMonth: number;
  createdAt?: string;
}

export interface Membership {
  tenantId: string;
  tenantName: string;
  role: Role;
}

export interface SessionBody {
  user: SessionUser;
  tenant: Tenant;
  role: Role;
  permissions: Permission[];
  memberships: Membership[];
  csrfToken: string;
}

export interface Health {
  status: 'ok';
  storage: 'embedded' | 'postgres';
  schemaVersion: number;
  version: string;
}

export interface ItemList<T> {
  items: T[];
}

/** One page of a searchable list; `total` counts every match across all pages. */
export interface Page<T> {
  items: T[];
  total: number;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  lastSignInAt: string | null;
}

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

export interface CreatedInvitation {
  invitation: Invitation;
  acceptUrl: string;
  token: string;
}

export interface InvitationLookup {
  email: string;
  role: Role;
  tenantName: string;
  userExists: boolean;
}

export type TeamKind = 'company' | 'region' | 'team';
export const TEAM_KINDS = ['company', 'region', 'team'] as const satisfies readonly TeamKind[];

export interface Team {
  id: string;
  name: string;
  kind: TeamKind;
  parentId: string | null;
  managerUserId: string | null;
  managerName: string | null;
  payeeCount: number;
  /** Its own check-in cadence in days; null: inherited from the team above or the workspace. */
  checkinCadenceDays: number | null;
}

export type PayeeKind = 'employee' | 'partner';
export const PAYEE_KINDS = ['employee', 'partner'] as const satisfies readonly PayeeKind[];

export interface Payee {
  id: string;
  kind: PayeeKind;
  displayName: string;
  email: string | null;
  userId: string | null;
  teamId: string | null;
  teamName: string | null;
  currency: string;
  externalRef: string | null;
  startDate: string | null;
  endDate: string | null;
}

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

export interface CreatedApiToken {
  token: string;
  apiToken: ApiToken;
}

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

export interface AuditPage {
  items: AuditEntry[];
  nextBefore: string | null;
}

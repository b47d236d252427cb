/**
 * Roles and the permission matrix. One table decides who may do what; the server's
 * route guard and the UI both read it, and the route-walk test derives its
 * expectations from it.
 */

export const ROLES = ['admin', 'finance', 'manager', 'rep', 'partner', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'tenant:read',
  'tenant:manage',
  'users:read',
  'users:manage',
  'invitations:manage',
  'teams:read',
  'teams:manage',
  'payees:read',
  'payees:manage',
  'tokens:manage',
  'audit:read',
  'data:read',
  'data:import',
  'metrics:read',
  'metrics:manage',
  'okrs:read',
  'okrs:write',
  'okrs:approve',
  'okrs:admin',
  'territories:read',
  'territories:manage',
  'quotas:read',
  'quotas:manage',
  'quotas:adjust',
  'forecasts:read',
  'forecasts:manage',
  'comp:statements',
  'comp:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ORG_READ: readonly Permission[] = ['tenant:read', 'users:read', 'teams:read', 'data:read', 'metrics:read', 'okrs:read', 'territories:read', 'forecasts:read'];

/**
 * Who may do what. Pay is private: payees (who is paid, their currency) are visible to
 * finance and admins, and to managers for their own team subtree (the server narrows it).
 * Partners are external payees: they see their own workspace name and nothing of the org.
 * Sales data (records) is read by every member of the org; admins and finance import it.
 * Metrics are org data too (sales figures, never pay): every member reads and evaluates them;
 * admins and finance define custom ones.
 * OKRs are transparent: every member reads them (private objectives are narrowed by the
 * server); managers and reps draft and check in, managers approve, admins run the cycles.
 * Territories and forecasts are org data: every member reads them; admins and finance shape
 * territories; managers, finance and admins keep forecast snapshots.
 * Quotas are pay-relevant: finance and admins see and set all of them; a manager reads and adjusts
 * (bottom-up overrides) those of their team subtree, a rep reads only their own (the server narrows it).
 * Pay is the most private: finance and admins run compensation (plans, runs, disputes); every
 * payee reads their own statements and disputes their own lines — a manager also their team
 * subtree's, a partner only their own; never one rep another's (the server narrows it).
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  finance: [...ORG_READ, 'payees:read', 'payees:manage', 'data:import', 'metrics:manage', 'territories:manage', 'quotas:read', 'quotas:manage', 'quotas:adjust', 'forecasts:manage', 'comp:statements', 'comp:manage'],
  manager: [...ORG_READ, 'payees:read', 'okrs:write', 'okrs:approve', 'quotas:read', 'quotas:adjust', 'forecasts:manage', 'comp:statements'],
  rep: [...ORG_READ, 'okrs:write', 'quotas:read', 'comp:statements'],
  viewer: ORG_READ,
  partner: ['tenant:read', 'comp:statements'],
};

/**
 * @example hasPermission('finance', 'payees:manage') // true
 */
export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export function permissionsOf(role: Role): Permission[] {
  return [...ROLE_PERMISSIONS[role]];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

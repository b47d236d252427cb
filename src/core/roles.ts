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
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ORG_READ: readonly Permission[] = ['tenant:read', 'users:read', 'teams:read', 'data:read', 'metrics:read', 'okrs:read'];

/**
 * Who may do what. Pay is private: payees (who is paid, their currency) are visible to
 * finance and admins, and to managers for their own team subtree (the server narrows it).
 * Partners are external payees: they see their own workspace name and nothing of the org.
 * Sales data (records) is read by every member of the org; admins and finance import it.
 * Metrics are org data too (sales figures, never pay): every member reads and evaluates them;
 * admins and finance define custom ones.
 * OKRs are transparent: every member reads them (private objectives are narrowed by the
 * server); managers and reps draft and check in, managers approve, admins run the cycles.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  finance: [...ORG_READ, 'payees:read', 'payees:manage', 'data:import', 'metrics:manage'],
  manager: [...ORG_READ, 'payees:read', 'okrs:write', 'okrs:approve'],
  rep: [...ORG_READ, 'okrs:write'],
  viewer: ORG_READ,
  partner: ['tenant:read'],
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

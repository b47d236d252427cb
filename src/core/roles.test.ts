import { describe, expect, it } from 'vitest';
import { hasPermission, isRole, PERMISSIONS, permissionsOf, ROLES } from './roles.js';

describe('permission matrix', () => {
  it('gives admins every permission', () => {
    expect(permissionsOf('admin').sort()).toEqual([...PERMISSIONS].sort());
  });

  it('keeps pay private: only admin, finance and managers read payees; only admin and finance change them', () => {
    expect(ROLES.filter((r) => hasPermission(r, 'payees:read'))).toEqual(['admin', 'finance', 'manager']);
    expect(ROLES.filter((r) => hasPermission(r, 'payees:manage'))).toEqual(['admin', 'finance']);
  });

  it('lets only admins manage users, invitations, tokens and read the audit log', () => {
    for (const p of ['users:manage', 'invitations:manage', 'tokens:manage', 'audit:read', 'tenant:manage'] as const) {
      expect(ROLES.filter((r) => hasPermission(r, p)), p).toEqual(['admin']);
    }
  });

  it('shows an external partner nothing of the organisation', () => {
    expect(permissionsOf('partner')).toEqual(['tenant:read']);
  });

  it('recognises roles', () => {
    expect(isRole('rep')).toBe(true);
    expect(isRole('owner')).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});

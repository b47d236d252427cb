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

  it('lets every member of the organisation read sales data, and only admin and finance import it', () => {
    expect(ROLES.filter((r) => hasPermission(r, 'data:read'))).toEqual(['admin', 'finance', 'manager', 'rep', 'viewer']);
    expect(ROLES.filter((r) => hasPermission(r, 'data:import'))).toEqual(['admin', 'finance']);
  });

  it('lets every member of the organisation read and evaluate metrics, and only admin and finance define them', () => {
    expect(ROLES.filter((r) => hasPermission(r, 'metrics:read'))).toEqual(['admin', 'finance', 'manager', 'rep', 'viewer']);
    expect(ROLES.filter((r) => hasPermission(r, 'metrics:manage'))).toEqual(['admin', 'finance']);
  });

  it('shows OKRs to every member of the organisation; reps and managers write, managers approve, admins run cycles', () => {
    expect(ROLES.filter((r) => hasPermission(r, 'okrs:read'))).toEqual(['admin', 'finance', 'manager', 'rep', 'viewer']);
    expect(ROLES.filter((r) => hasPermission(r, 'okrs:write'))).toEqual(['admin', 'manager', 'rep']);
    expect(ROLES.filter((r) => hasPermission(r, 'okrs:approve'))).toEqual(['admin', 'manager']);
    expect(ROLES.filter((r) => hasPermission(r, 'okrs:admin'))).toEqual(['admin']);
  });

  it('shows territories and forecasts to the organisation; quotas to finance, admins, managers and reps (narrowed by the server), never to viewers', () => {
    expect(ROLES.filter((r) => hasPermission(r, 'territories:read'))).toEqual(['admin', 'finance', 'manager', 'rep', 'viewer']);
    expect(ROLES.filter((r) => hasPermission(r, 'territories:manage'))).toEqual(['admin', 'finance']);
    expect(ROLES.filter((r) => hasPermission(r, 'forecasts:read'))).toEqual(['admin', 'finance', 'manager', 'rep', 'viewer']);
    expect(ROLES.filter((r) => hasPermission(r, 'forecasts:manage'))).toEqual(['admin', 'finance', 'manager']);
    expect(ROLES.filter((r) => hasPermission(r, 'quotas:read'))).toEqual(['admin', 'finance', 'manager', 'rep']);
    expect(ROLES.filter((r) => hasPermission(r, 'quotas:manage'))).toEqual(['admin', 'finance']);
    expect(ROLES.filter((r) => hasPermission(r, 'quotas:adjust'))).toEqual(['admin', 'finance', 'manager']);
  });

  it('shows an external partner nothing of the organisation, only their own statements', () => {
    expect(permissionsOf('partner')).toEqual(['tenant:read', 'comp:statements']);
  });

  it('recognises roles', () => {
    expect(isRole('rep')).toBe(true);
    expect(isRole('owner')).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});

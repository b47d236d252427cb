import { describe, expect, it } from 'vitest';
import { approversOf, checkApprover, isDeletable, managersUpFrom, nextStatus, type OrgTeam } from './approval.js';

// company (ceo) → emea (no manager) → dach (markus); company → us (lisa)
const teams: OrgTeam[] = [
  { id: 'company', parentId: null, managerUserId: 'ceo' },
  { id: 'emea', parentId: 'company', managerUserId: null },
  { id: 'dach', parentId: 'emea', managerUserId: 'markus' },
  { id: 'us', parentId: 'company', managerUserId: 'lisa' },
];

describe('the objective process', () => {
  it('moves draft → proposed → active → closed, and a rejection back to draft', () => {
    expect(nextStatus('draft', 'propose')).toBe('proposed');
    expect(nextStatus('proposed', 'approve')).toBe('active');
    expect(nextStatus('proposed', 'reject')).toBe('draft');
    expect(nextStatus('active', 'close')).toBe('closed');
    expect(nextStatus('draft', 'approve')).toBeNull();
    expect(nextStatus('closed', 'propose')).toBeNull();
    expect([isDeletable('draft'), isDeletable('proposed'), isDeletable('active')]).toEqual([true, false, false]);
  });

  it('finds the managers above an owner, nearest first', () => {
    expect(managersUpFrom(teams, 'dach')).toEqual(['markus', 'ceo']);
    // A team's objective goes to the managers above the team; the top team's to its own manager.
    expect(approversOf(teams, { kind: 'team', teamId: 'dach' })).toEqual(['ceo']);
    expect(approversOf(teams, { kind: 'team', teamId: 'company' })).toEqual(['ceo']);
    // A person's goes to their team's manager and up — skipping themselves.
    expect(approversOf(teams, { kind: 'user', userId: 'rita', teamId: 'dach' })).toEqual(['markus', 'ceo']);
    expect(approversOf(teams, { kind: 'user', userId: 'markus', teamId: 'dach' })).toEqual(['ceo']);
    expect(approversOf(teams, { kind: 'user', userId: 'x', teamId: null })).toEqual([]);
  });

  it('never lets the proposer approve, lets admins approve the rest, and others only when above the owner', () => {
    expect(checkApprover({ userId: 'markus', isAdmin: false, proposedBy: 'rita', approvers: ['markus', 'ceo'] })).toBeNull();
    expect(checkApprover({ userId: 'markus', isAdmin: true, proposedBy: 'markus', approvers: ['markus'] })).toBe('approver_is_proposer');
    expect(checkApprover({ userId: 'lisa', isAdmin: false, proposedBy: 'rita', approvers: ['markus', 'ceo'] })).toBe('not_an_approver');
    expect(checkApprover({ userId: 'admin', isAdmin: true, proposedBy: 'rita', approvers: [] })).toBeNull();
  });
});

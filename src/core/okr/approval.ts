/**
 * The OKR process: members draft and propose; the owner's manager approves or rejects;
 * the cycle's close closes what is active. One table of transitions, and the rules for who
 * may approve: any manager above the owner in the team tree (the nearest first), or an
 * admin — never the person who proposed it.
 *
 * - A team's objective: the managers of its parent team and the teams above it (the top
 *   team, which has none above, goes to its own manager).
 * - A person's objective: the managers of the team their payee is in and the teams above it
 *   (skipping the person: a manager's own objective goes to the manager above them).
 */

export type ObjectiveStatus = 'draft' | 'proposed' | 'active' | 'closed';
export type ObjectiveAction = 'propose' | 'approve' | 'reject' | 'close';

const TRANSITIONS: Readonly<Record<ObjectiveAction, Partial<Record<ObjectiveStatus, ObjectiveStatus>>>> = {
  propose: { draft: 'proposed' },
  approve: { proposed: 'active' },
  // A rejected proposal goes back to its owner as a draft, with the approver's note.
  reject: { proposed: 'draft' },
  close: { draft: 'closed', proposed: 'closed', active: 'closed' },
};

/**
 * The status after an action, or null when the action is not possible from this status.
 * @example nextStatus('draft', 'propose') // 'proposed'
 * @example nextStatus('active', 'approve') // null
 */
export function nextStatus(status: ObjectiveStatus, action: ObjectiveAction): ObjectiveStatus | null {
  return TRANSITIONS[action][status] ?? null;
}

/** Objectives may be deleted while nobody has committed to them yet. */
export function isDeletable(status: ObjectiveStatus): boolean {
  return status === 'draft';
}

export interface OrgTeam {
  id: string;
  parentId: string | null;
  managerUserId: string | null;
}

export type ObjectiveOwner = { kind: 'team'; teamId: string } | { kind: 'user'; userId: string; teamId: string | null };

/** The managers of a team and of every team above it, nearest first, without repeats. */
export function managersUpFrom(teams: readonly OrgTeam[], teamId: string | null): string[] {
  const byId = new Map(teams.map((t) => [t.id, t]));
  const out: string[] = [];
  const seen = new Set<string>();
  let current = teamId === null ? undefined : byId.get(teamId);
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    if (current.managerUserId && !out.includes(current.managerUserId)) out.push(current.managerUserId);
    current = current.parentId === null ? undefined : byId.get(current.parentId);
  }
  return out;
}

/**
 * Who may approve an objective of this owner (besides admins), nearest first.
 * @example approversOf(teams, { kind: 'team', teamId: 'dach' }) // ['emea-manager', 'ceo']
 */
export function approversOf(teams: readonly OrgTeam[], owner: ObjectiveOwner): string[] {
  if (owner.kind === 'team') {
    const team = teams.find((t) => t.id === owner.teamId);
    const above = managersUpFrom(teams, team?.parentId ?? null);
    // Nobody stands above the top team: its own manager approves (what someone else proposed).
    return above.length > 0 ? above : managersUpFrom(teams, owner.teamId);
  }
  return managersUpFrom(teams, owner.teamId).filter((id) => id !== owner.userId);
}

export type ApprovalRefusal = 'approver_is_proposer' | 'not_an_approver';

/**
 * Whether this person may approve (or reject) the proposal.
 * @example checkApprover({ userId: 'u1', isAdmin: true, proposedBy: 'u1', approvers: [] }) // 'approver_is_proposer'
 */
export function checkApprover(input: { userId: string | null; isAdmin: boolean; proposedBy: string | null; approvers: readonly string[] }): ApprovalRefusal | null {
  if (input.userId !== null && input.userId === input.proposedBy) return 'approver_is_proposer';
  if (input.isAdmin) return null;
  if (input.userId === null || !input.approvers.includes(input.userId)) return 'not_an_approver';
  return null;
}

import type { OrgTeam } from '../../core/okr/approval.js';
import type { TenantScope } from '../store.js';

/**
 * An expected failure of an OKR operation (not found, not allowed, invalid, conflicting).
 * Thrown rather than returned because it must roll back the transaction it happens in:
 * an operation may have written rows before it finds the problem. The server maps each
 * kind to its error code in one place (src/server/routes/okr-shared.ts).
 */
export type OkrFailure =
  | { kind: 'not_found'; what: string }
  | { kind: 'forbidden'; message: string }
  | { kind: 'invalid'; issues: { path: string; message: string }[] }
  | { kind: 'conflict'; reason: OkrConflictReason; message: string }
  | { kind: 'unavailable'; reason: string; message: string };

/** Stable sub-codes of 409 answers (error.details.reason). */
export type OkrConflictReason =
  | 'approver_is_proposer'
  | 'invalid_transition'
  | 'cycle_closed'
  | 'cycle_not_empty'
  | 'not_deletable'
  | 'cycle_exists';

export class OkrError extends Error {
  readonly failure: OkrFailure;
  constructor(failure: OkrFailure) {
    super(failure.kind === 'not_found' ? `${failure.what} not found` : failure.kind === 'invalid' ? failure.issues.map((i) => `${i.path}: ${i.message}`).join('; ') : failure.message);
    this.name = 'OkrError';
    this.failure = failure;
  }
}

export const notFound = (what: string): OkrError => new OkrError({ kind: 'not_found', what });
export const forbidden = (message: string): OkrError => new OkrError({ kind: 'forbidden', message });
export const invalid = (path: string, message: string): OkrError => new OkrError({ kind: 'invalid', issues: [{ path, message }] });
export const conflict = (reason: OkrConflictReason, message: string): OkrError => new OkrError({ kind: 'conflict', reason, message });

/** Collects bound parameters; `$1` is the tenant. */
export class Params {
  readonly values: unknown[];
  constructor(tenantId: string) {
    this.values = [tenantId];
  }
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** numeric comes back as a string (db.ts): parse it here, once. */
export const num = (value: string | number | null): number | null => (value === null ? null : Number(value));

/** Who is asking, for visibility and edit rights. */
export interface Viewer {
  userId: string | null;
  isAdmin: boolean;
  /** Teams the viewer's payee belongs to. */
  memberTeamIds: string[];
  /** Teams the viewer manages, and every team below them. */
  managedTeamIds: string[];
}

export const SYSTEM_VIEWER: Viewer = { userId: null, isAdmin: true, memberTeamIds: [], managedTeamIds: [] };

export async function loadViewer(scope: TenantScope, who: { userId: string | null; isAdmin: boolean }): Promise<Viewer> {
  if (who.userId === null) return { userId: null, isAdmin: who.isAdmin, memberTeamIds: [], managedTeamIds: [] };
  const rows = await scope.tx.query<{ member: string[] | null; managed: string[] | null }>(
    `WITH RECURSIVE managed AS (
       SELECT id FROM teams WHERE tenant_id = $1 AND manager_user_id = $2
       UNION
       SELECT t.id FROM teams t JOIN managed m ON t.parent_id = m.id WHERE t.tenant_id = $1
     )
     SELECT (SELECT array_agg(team_id) FROM payees WHERE tenant_id = $1 AND user_id = $2 AND team_id IS NOT NULL) AS member,
            (SELECT array_agg(id) FROM managed) AS managed`,
    [scope.tenantId, who.userId],
  );
  return { userId: who.userId, isAdmin: who.isAdmin, memberTeamIds: rows[0]?.member ?? [], managedTeamIds: rows[0]?.managed ?? [] };
}

/**
 * The SQL condition "this viewer is an insider of objective `o`": its owner, a contributor,
 * a member of the owning team, a manager up the tree from the owner, or an admin. Insiders
 * see private objectives and may edit (with okrs:write).
 */
export function insiderSql(alias: string, viewer: Viewer, p: Params): string {
  if (viewer.isAdmin) return 'true';
  if (viewer.userId === null) return 'false';
  const me = p.add(viewer.userId);
  const teams = p.add([...viewer.memberTeamIds, ...viewer.managedTeamIds]);
  const managed = p.add(viewer.managedTeamIds);
  return `(${alias}.owner_user_id = ${me}::uuid
    OR ${alias}.owner_team_id = ANY(${teams}::uuid[])
    OR EXISTS (SELECT 1 FROM okr_objective_contributors c WHERE c.tenant_id = ${alias}.tenant_id AND c.objective_id = ${alias}.id AND c.user_id = ${me}::uuid)
    OR EXISTS (SELECT 1 FROM payees pv WHERE pv.tenant_id = ${alias}.tenant_id AND pv.user_id = ${alias}.owner_user_id AND pv.team_id = ANY(${managed}::uuid[])))`;
}

/** Visible: shared with the workspace, or the viewer is an insider. */
export function visibleSql(alias: string, viewer: Viewer, p: Params): string {
  return `(${alias}.visibility = 'tenant' OR ${insiderSql(alias, viewer, p)})`;
}

export interface OrgPerson {
  userId: string;
  name: string;
  teamId: string | null;
}

export interface Org {
  teams: (OrgTeam & { name: string; kind: 'company' | 'region' | 'team' })[];
  /** Members with a payee (their team), managers without one (the team they manage); anyone else has teamId null. */
  people: OrgPerson[];
}

/** The team tree and who sits where (a person's team is their payee's team, else the team they manage). */
export async function loadOrg(scope: TenantScope): Promise<Org> {
  const teams = await scope.tx.query<{ id: string; parent_id: string | null; manager_user_id: string | null; name: string; kind: 'company' | 'region' | 'team' }>(
    'SELECT id, parent_id, manager_user_id, name, kind FROM teams WHERE tenant_id = $1 ORDER BY name',
    [scope.tenantId],
  );
  // A manager who is nobody's payee sits in the team they manage (the lowest one, by name).
  const people = await scope.tx.query<{ user_id: string; name: string; team_id: string | null }>(
    `SELECT m.user_id, u.name,
            coalesce(p.team_id, (SELECT t.id FROM teams t WHERE t.tenant_id = m.tenant_id AND t.manager_user_id = m.user_id
                                  ORDER BY (SELECT count(*) FROM teams c WHERE c.tenant_id = t.tenant_id AND c.parent_id = t.id), t.name LIMIT 1)) AS team_id
       FROM memberships m JOIN users u ON u.id = m.user_id
       LEFT JOIN payees p ON p.tenant_id = m.tenant_id AND p.user_id = m.user_id
      WHERE m.tenant_id = $1 AND m.disabled_at IS NULL ORDER BY u.name`,
    [scope.tenantId],
  );
  return {
    teams: teams.map((t) => ({ id: t.id, parentId: t.parent_id, managerUserId: t.manager_user_id, name: t.name, kind: t.kind })),
    people: people.map((p) => ({ userId: p.user_id, name: p.name, teamId: p.team_id })),
  };
}

/** The team a person belongs to (their payee's team), or null. */
export async function teamOfUser(scope: TenantScope, userId: string): Promise<string | null> {
  const [row] = await scope.tx.query<{ team_id: string | null }>('SELECT team_id FROM payees WHERE tenant_id = $1 AND user_id = $2', [scope.tenantId, userId]);
  return row?.team_id ?? null;
}

export async function isMember(scope: TenantScope, userId: string): Promise<boolean> {
  const rows = await scope.tx.query('SELECT 1 FROM memberships WHERE tenant_id = $1 AND user_id = $2', [scope.tenantId, userId]);
  return rows.length > 0;
}

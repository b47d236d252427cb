import type { Patch, TenantScope } from '../store.js';
import { recordAudit } from './audit.js';

export type TeamKind = 'company' | 'region' | 'team';

export interface Team {
  id: string;
  name: string;
  kind: TeamKind;
  parentId: string | null;
  managerUserId: string | null;
  managerName: string | null;
  payeeCount: number;
  /** The team's own check-in cadence in days; null: the nearest team above with one, else the workspace's. */
  checkinCadenceDays: number | null;
}

interface TeamRow { id: string; name: string; kind: TeamKind; parent_id: string | null; manager_user_id: string | null; manager_name: string | null; payee_count: string; checkin_cadence_days: number | null }
const toTeam = (r: TeamRow): Team => ({
  id: r.id, name: r.name, kind: r.kind, parentId: r.parent_id, managerUserId: r.manager_user_id,
  managerName: r.manager_name, payeeCount: Number(r.payee_count), checkinCadenceDays: r.checkin_cadence_days,
});
// Team sizes come from one grouped pass over the tenant's payees, not a count per team.
const SELECT = `SELECT t.id, t.name, t.kind, t.parent_id, t.manager_user_id, u.name AS manager_name, t.checkin_cadence_days,
    coalesce(c.n, 0) AS payee_count
  FROM teams t
  LEFT JOIN users u ON u.id = t.manager_user_id
  LEFT JOIN (SELECT team_id, count(*) AS n FROM payees WHERE tenant_id = $1 AND team_id IS NOT NULL GROUP BY team_id) c ON c.team_id = t.id
  WHERE t.tenant_id = $1`;

export async function listTeams(scope: TenantScope): Promise<Team[]> {
  const rows = await scope.tx.query<TeamRow>(`${SELECT} ORDER BY t.name`, [scope.tenantId]);
  return rows.map(toTeam);
}

export async function getTeam(scope: TenantScope, id: string): Promise<Team | null> {
  const [row] = await scope.tx.query<TeamRow>(`${SELECT} AND t.id = $2`, [scope.tenantId, id]);
  return row ? toTeam(row) : null;
}

/** The team and every team below it in the tree. */
export async function listTeamSubtreeIds(scope: TenantScope, rootIds: readonly string[]): Promise<string[]> {
  if (rootIds.length === 0) return [];
  const rows = await scope.tx.query<{ id: string }>(
    `WITH RECURSIVE sub AS (
       SELECT id FROM teams WHERE tenant_id = $1 AND id = ANY($2::uuid[])
       UNION
       SELECT t.id FROM teams t JOIN sub ON t.parent_id = sub.id WHERE t.tenant_id = $1
     ) SELECT id FROM sub`,
    [scope.tenantId, rootIds],
  );
  return rows.map((r) => r.id);
}

/** The check-in cadence in effect for a team: its own, else the nearest team above with one, else null (the workspace's). */
export async function effectiveCheckinCadence(scope: TenantScope, teamId: string): Promise<number | null> {
  const [row] = await scope.tx.query<{ days: number | null }>(
    `WITH RECURSIVE up AS (
       SELECT id, parent_id, checkin_cadence_days, 0 AS depth FROM teams WHERE tenant_id = $1 AND id = $2
       UNION ALL
       SELECT t.id, t.parent_id, t.checkin_cadence_days, up.depth + 1 FROM teams t JOIN up ON t.id = up.parent_id WHERE t.tenant_id = $1 AND up.depth < 100
     ) SELECT checkin_cadence_days AS days FROM up WHERE checkin_cadence_days IS NOT NULL ORDER BY depth LIMIT 1`,
    [scope.tenantId, teamId],
  );
  return row?.days ?? null;
}

export async function listManagedTeamIds(scope: TenantScope, userId: string): Promise<string[]> {
  const rows = await scope.tx.query<{ id: string }>(
    'SELECT id FROM teams WHERE tenant_id = $1 AND manager_user_id = $2',
    [scope.tenantId, userId],
  );
  return listTeamSubtreeIds(scope, rows.map((r) => r.id));
}

export interface TeamInput {
  name: string;
  kind: TeamKind;
  parentId?: string | null | undefined;
  managerUserId?: string | null | undefined;
  checkinCadenceDays?: number | null | undefined;
}

export type TeamIssue = 'parent_not_found' | 'manager_not_member' | 'parent_cycle';

async function checkReferences(scope: TenantScope, id: string | null, input: Patch<TeamInput>): Promise<TeamIssue | null> {
  if (input.parentId) {
    if (!(await getTeam(scope, input.parentId))) return 'parent_not_found';
    if (id) {
      const below = await listTeamSubtreeIds(scope, [id]);
      if (below.includes(input.parentId)) return 'parent_cycle';
    }
  }
  if (input.managerUserId) {
    const rows = await scope.tx.query('SELECT 1 FROM memberships WHERE tenant_id = $1 AND user_id = $2', [scope.tenantId, input.managerUserId]);
    if (rows.length === 0) return 'manager_not_member';
  }
  return null;
}

export async function createTeam(scope: TenantScope, id: string, input: TeamInput): Promise<Team | TeamIssue> {
  const issue = await checkReferences(scope, null, input);
  if (issue) return issue;
  await scope.tx.query(
    'INSERT INTO teams (tenant_id, id, name, kind, parent_id, manager_user_id, checkin_cadence_days) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [scope.tenantId, id, input.name, input.kind, input.parentId ?? null, input.managerUserId ?? null, input.checkinCadenceDays ?? null],
  );
  const team = await getTeam(scope, id);
  if (!team) throw new Error('team insert not visible');
  await recordAudit(scope, { action: 'team.created', entityType: 'team', entityId: id, after: team });
  return team;
}

export async function updateTeam(scope: TenantScope, id: string, patch: Patch<TeamInput>): Promise<Team | TeamIssue | null> {
  const before = await getTeam(scope, id);
  if (!before) return null;
  const issue = await checkReferences(scope, id, patch);
  if (issue) return issue;
  await scope.tx.query(
    `UPDATE teams SET name = $3, kind = $4, parent_id = $5, manager_user_id = $6, checkin_cadence_days = $7 WHERE tenant_id = $1 AND id = $2`,
    [
      scope.tenantId, id, patch.name ?? before.name, patch.kind ?? before.kind,
      patch.parentId === undefined ? before.parentId : patch.parentId,
      patch.managerUserId === undefined ? before.managerUserId : patch.managerUserId,
      patch.checkinCadenceDays === undefined ? before.checkinCadenceDays : patch.checkinCadenceDays,
    ],
  );
  const after = await getTeam(scope, id);
  await recordAudit(scope, { action: 'team.updated', entityType: 'team', entityId: id, before, after });
  return after;
}

/** Deletes an empty team; returns 'not_empty' when sub-teams or payees still hang below it. */
export async function deleteTeam(scope: TenantScope, id: string): Promise<'deleted' | 'not_found' | 'not_empty'> {
  const before = await getTeam(scope, id);
  if (!before) return 'not_found';
  const children = await scope.tx.query('SELECT 1 FROM teams WHERE tenant_id = $1 AND parent_id = $2 LIMIT 1', [scope.tenantId, id]);
  if (children.length > 0 || before.payeeCount > 0) return 'not_empty';
  await scope.tx.query('DELETE FROM teams WHERE tenant_id = $1 AND id = $2', [scope.tenantId, id]);
  await recordAudit(scope, { action: 'team.deleted', entityType: 'team', entityId: id, before });
  return 'deleted';
}

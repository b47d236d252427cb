import type { ObjectiveStatus } from '../../core/okr/approval.js';
import type { Commitment, Weighting } from '../../core/okr/scoring.js';
import type { ObjectiveCategory } from '../../core/okr/templates.js';
import type { Patch, TenantScope } from '../store.js';
import { num, Params, visibleSql, type Viewer } from './okr-common.js';
import { likePattern, type Page } from './users.js';

export type ObjectiveOwnerRef = { kind: 'team'; id: string } | { kind: 'user'; id: string };

/** An objective as stored (scores are computed on read, see okr-read.ts). */
export interface ObjectiveRecord {
  id: string;
  cycleId: string;
  cycleKey: string;
  externalKey: string | null;
  title: string;
  description: string;
  category: ObjectiveCategory;
  owner: ObjectiveOwnerRef & { name: string };
  commitment: Commitment;
  status: ObjectiveStatus;
  visibility: 'tenant' | 'private';
  parent: { objectiveId: string | null; keyResultId: string | null } | null;
  weighting: Weighting;
  templateId: string | null;
  carriedFromObjectiveId: string | null;
  finalScore: number | null;
  selfAssessment: string | null;
  contributors: { id: string; name: string }[];
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

interface ObjectiveRow {
  id: string; cycle_id: string; cycle_key: string; external_key: string | null; title: string; description: string; category: ObjectiveCategory;
  owner_team_id: string | null; owner_user_id: string | null; owner_name: string | null; commitment: Commitment; status: ObjectiveStatus;
  visibility: 'tenant' | 'private'; parent_objective_id: string | null; parent_key_result_id: string | null; weighting: Weighting;
  template_id: string | null; carried_from_objective_id: string | null; final_score: string | null; self_assessment: string | null;
  contributors: { id: string; name: string }[] | string | null; created_by: string | null; created_at: string; updated_at: string;
}

const toObjective = (r: ObjectiveRow): ObjectiveRecord => {
  const contributors = typeof r.contributors === 'string' ? (JSON.parse(r.contributors) as { id: string; name: string }[]) : (r.contributors ?? []);
  return {
    id: r.id, cycleId: r.cycle_id, cycleKey: r.cycle_key, externalKey: r.external_key, title: r.title, description: r.description, category: r.category,
    owner: r.owner_team_id ? { kind: 'team', id: r.owner_team_id, name: r.owner_name ?? '' } : { kind: 'user', id: r.owner_user_id ?? '', name: r.owner_name ?? '' },
    commitment: r.commitment, status: r.status, visibility: r.visibility,
    parent: r.parent_objective_id || r.parent_key_result_id ? { objectiveId: r.parent_objective_id, keyResultId: r.parent_key_result_id } : null,
    weighting: r.weighting, templateId: r.template_id, carriedFromObjectiveId: r.carried_from_objective_id, finalScore: num(r.final_score),
    selfAssessment: r.self_assessment, contributors, createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at,
  };
};

/**
 * The objective columns. An alignment to an objective the viewer may not see (a private one)
 * reads as no alignment: not even its id leaks.
 */
function select(viewer: Viewer, p: Params): string {
  return `SELECT o.id, o.cycle_id, c.key AS cycle_key, o.external_key, o.title, o.description, o.category, o.owner_team_id, o.owner_user_id,
    coalesce(t.name, u.name) AS owner_name, o.commitment, o.status, o.visibility,
    CASE WHEN ${visibleSql('po', viewer, p)} THEN o.parent_objective_id END AS parent_objective_id,
    CASE WHEN ${visibleSql('po', viewer, p)} THEN o.parent_key_result_id END AS parent_key_result_id,
    o.weighting, o.template_id, o.carried_from_objective_id, o.final_score, o.self_assessment, o.created_by, o.created_at, o.updated_at,
    (SELECT coalesce(json_agg(json_build_object('id', cu.id, 'name', cu.name) ORDER BY cu.name), '[]'::json)
       FROM okr_objective_contributors oc JOIN users cu ON cu.id = oc.user_id
      WHERE oc.tenant_id = o.tenant_id AND oc.objective_id = o.id) AS contributors
  FROM okr_objectives o
  JOIN okr_cycles c ON c.tenant_id = o.tenant_id AND c.id = o.cycle_id
  LEFT JOIN teams t ON t.tenant_id = o.tenant_id AND t.id = o.owner_team_id
  LEFT JOIN users u ON u.id = o.owner_user_id
  LEFT JOIN okr_objectives po ON po.tenant_id = o.tenant_id AND po.id = coalesce(o.parent_objective_id,
    (SELECT pk.objective_id FROM okr_key_results pk WHERE pk.tenant_id = o.tenant_id AND pk.id = o.parent_key_result_id))
  WHERE o.tenant_id = $1`;
}

/** One objective, if it exists and the viewer may see it (a private objective is "not found" to outsiders). */
export async function getObjectiveRecord(scope: TenantScope, id: string, viewer: Viewer): Promise<ObjectiveRecord | null> {
  const p = new Params(scope.tenantId);
  const idParam = p.add(id);
  const [row] = await scope.tx.query<ObjectiveRow>(`${select(viewer, p)} AND o.id = ${idParam}::uuid AND ${visibleSql('o', viewer, p)}`, p.values);
  return row ? toObjective(row) : null;
}

export interface ObjectiveQuery {
  cycleId?: string | undefined;
  /** Objectives of this team (and the teams below it) and of the people in them. */
  teamIds?: readonly string[] | undefined;
  ownerUserId?: string | undefined;
  category?: ObjectiveCategory | undefined;
  status?: ObjectiveStatus | undefined;
  /** Only objectives aligned to this objective (directly or through one of its key results). */
  parentObjectiveId?: string | undefined;
  ids?: readonly string[] | undefined;
  q?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
  /** owner: team objectives first, then by owner (default); created: in the order they were made. */
  orderBy?: 'owner' | 'created' | undefined;
}

/** Visible objectives, filtered and paged; `total` counts all that match. */
export async function listObjectiveRecords(scope: TenantScope, viewer: Viewer, query: ObjectiveQuery = {}): Promise<Page<ObjectiveRecord>> {
  const p = new Params(scope.tenantId);
  const where: string[] = [visibleSql('o', viewer, p)];
  if (query.cycleId) where.push(`o.cycle_id = ${p.add(query.cycleId)}::uuid`);
  if (query.teamIds) {
    const teams = p.add(query.teamIds);
    where.push(`(o.owner_team_id = ANY(${teams}::uuid[]) OR EXISTS (SELECT 1 FROM payees pt WHERE pt.tenant_id = o.tenant_id AND pt.user_id = o.owner_user_id AND pt.team_id = ANY(${teams}::uuid[])))`);
  }
  if (query.ownerUserId) where.push(`o.owner_user_id = ${p.add(query.ownerUserId)}::uuid`);
  if (query.category) where.push(`o.category = ${p.add(query.category)}`);
  if (query.status) where.push(`o.status = ${p.add(query.status)}`);
  if (query.ids) where.push(`o.id = ANY(${p.add(query.ids)}::uuid[])`);
  if (query.parentObjectiveId) {
    const parent = p.add(query.parentObjectiveId);
    where.push(`(o.parent_objective_id = ${parent}::uuid OR o.parent_key_result_id IN (SELECT k.id FROM okr_key_results k WHERE k.tenant_id = o.tenant_id AND k.objective_id = ${parent}::uuid))`);
  }
  const pattern = likePattern(query.q);
  if (pattern) {
    const q = p.add(pattern);
    where.push(`(o.title ILIKE ${q} OR o.description ILIKE ${q})`);
  }
  const filtered = `${select(viewer, p)} AND ${where.join(' AND ')}`;
  const countParams = [...p.values];
  const limit = p.add(query.limit ?? null);
  const offset = p.add(query.offset ?? 0);
  const rows = await scope.tx.query<ObjectiveRow>(
    `${filtered} ORDER BY ${query.orderBy === 'created' ? 'o.created_at, o.id' : 'c.start_date DESC, CASE WHEN o.owner_team_id IS NULL THEN 1 ELSE 0 END, owner_name, o.created_at, o.id'} LIMIT ${limit} OFFSET ${offset}`,
    p.values,
  );
  const [count] = await scope.tx.query<{ n: string }>(`SELECT count(*) AS n FROM (${filtered}) matched`, countParams);
  return { items: rows.map(toObjective), total: Number(count?.n ?? 0) };
}

export interface ObjectiveRowInput {
  cycleId: string;
  externalKey: string | null;
  title: string;
  description: string;
  category: ObjectiveCategory;
  owner: ObjectiveOwnerRef;
  commitment: Commitment;
  status: ObjectiveStatus;
  visibility: 'tenant' | 'private';
  parentObjectiveId: string | null;
  parentKeyResultId: string | null;
  weighting: Weighting;
  templateId: string | null;
  carriedFromObjectiveId: string | null;
  createdBy: string | null;
}

export async function insertObjectiveRow(scope: TenantScope, id: string, input: ObjectiveRowInput): Promise<void> {
  await scope.tx.query(
    `INSERT INTO okr_objectives (tenant_id, id, cycle_id, external_key, title, description, category, owner_team_id, owner_user_id, commitment, status,
       visibility, parent_objective_id, parent_key_result_id, weighting, template_id, carried_from_objective_id, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
    [
      scope.tenantId, id, input.cycleId, input.externalKey, input.title, input.description, input.category,
      input.owner.kind === 'team' ? input.owner.id : null, input.owner.kind === 'user' ? input.owner.id : null,
      input.commitment, input.status, input.visibility, input.parentObjectiveId, input.parentKeyResultId, input.weighting, input.templateId,
      input.carriedFromObjectiveId, input.createdBy,
    ],
  );
}

export type ObjectiveRowPatch = Patch<Pick<ObjectiveRowInput, 'title' | 'description' | 'category' | 'owner' | 'commitment' | 'visibility' | 'parentObjectiveId' | 'parentKeyResultId' | 'weighting' | 'externalKey' | 'status'>> & {
  selfAssessment?: string | null | undefined;
  finalScore?: number | null | undefined;
};

export async function updateObjectiveRow(scope: TenantScope, id: string, patch: ObjectiveRowPatch): Promise<void> {
  const p = new Params(scope.tenantId);
  const idParam = p.add(id);
  const sets: string[] = ['updated_at = now()'];
  const set = (column: string, value: unknown) => sets.push(`${column} = ${p.add(value)}`);
  if (patch.title !== undefined) set('title', patch.title);
  if (patch.description !== undefined) set('description', patch.description);
  if (patch.category !== undefined) set('category', patch.category);
  if (patch.commitment !== undefined) set('commitment', patch.commitment);
  if (patch.visibility !== undefined) set('visibility', patch.visibility);
  if (patch.weighting !== undefined) set('weighting', patch.weighting);
  if (patch.status !== undefined) set('status', patch.status);
  if (patch.externalKey !== undefined) set('external_key', patch.externalKey);
  if (patch.parentObjectiveId !== undefined) set('parent_objective_id', patch.parentObjectiveId);
  if (patch.parentKeyResultId !== undefined) set('parent_key_result_id', patch.parentKeyResultId);
  if (patch.selfAssessment !== undefined) set('self_assessment', patch.selfAssessment);
  if (patch.finalScore !== undefined) set('final_score', patch.finalScore);
  if (patch.owner !== undefined) {
    set('owner_team_id', patch.owner.kind === 'team' ? patch.owner.id : null);
    set('owner_user_id', patch.owner.kind === 'user' ? patch.owner.id : null);
  }
  await scope.tx.query(`UPDATE okr_objectives SET ${sets.join(', ')} WHERE tenant_id = $1 AND id = ${idParam}`, p.values);
}

export async function setContributors(scope: TenantScope, objectiveId: string, userIds: readonly string[]): Promise<void> {
  await scope.tx.query('DELETE FROM okr_objective_contributors WHERE tenant_id = $1 AND objective_id = $2', [scope.tenantId, objectiveId]);
  for (const userId of new Set(userIds)) {
    await scope.tx.query('INSERT INTO okr_objective_contributors (tenant_id, objective_id, user_id) VALUES ($1, $2, $3)', [scope.tenantId, objectiveId, userId]);
  }
}

export async function deleteObjectiveRow(scope: TenantScope, id: string): Promise<void> {
  await scope.tx.query('DELETE FROM okr_objectives WHERE tenant_id = $1 AND id = $2', [scope.tenantId, id]);
}

export interface ApprovalEntry {
  id: string;
  action: 'proposed' | 'approved' | 'rejected';
  actor: { id: string | null; name: string | null };
  note: string | null;
  at: string;
}

export async function recordApproval(scope: TenantScope, entry: { id: string; objectiveId: string; action: ApprovalEntry['action']; note: string | null }): Promise<void> {
  await scope.tx.query(
    'INSERT INTO okr_approvals (tenant_id, id, objective_id, action, actor_user_id, note) VALUES ($1, $2, $3, $4, $5, $6)',
    [scope.tenantId, entry.id, entry.objectiveId, entry.action, scope.actor.userId, entry.note],
  );
}

export async function listApprovals(scope: TenantScope, objectiveId: string): Promise<ApprovalEntry[]> {
  const rows = await scope.tx.query<{ id: string; action: ApprovalEntry['action']; actor_user_id: string | null; name: string | null; note: string | null; at: string }>(
    `SELECT a.id, a.action, a.actor_user_id, u.name, a.note, a.at FROM okr_approvals a LEFT JOIN users u ON u.id = a.actor_user_id
      WHERE a.tenant_id = $1 AND a.objective_id = $2 ORDER BY a.at, a.id`,
    [scope.tenantId, objectiveId],
  );
  return rows.map((r) => ({ id: r.id, action: r.action, actor: { id: r.actor_user_id, name: r.name }, note: r.note, at: r.at }));
}

/** Who proposed the objective last (the approver may not be this person). */
export async function lastProposer(scope: TenantScope, objectiveId: string): Promise<string | null> {
  const [row] = await scope.tx.query<{ actor_user_id: string | null }>(
    `SELECT actor_user_id FROM okr_approvals WHERE tenant_id = $1 AND objective_id = $2 AND action = 'proposed' ORDER BY at DESC, id DESC LIMIT 1`,
    [scope.tenantId, objectiveId],
  );
  return row?.actor_user_id ?? null;
}

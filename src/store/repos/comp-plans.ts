/**
 * Comp plan versions and the assignments of payees to them (docs/compensation.md).
 *
 * A plan version is a validated plan document (src/core/comp/plan-document.ts), kept as
 * saved. It can be corrected until a locked payout run has paid from it; after that it never
 * changes and a new version takes effect from a date. Every change is audited.
 */
import { parseCompPlan, type CompIssue } from '../../core/comp/index.js';
import type { CompPlanDocument } from '../../core/comp/plan-document.js';
import { recordAudit } from './audit.js';
import type { TenantScope } from '../store.js';

export type CompFailure =
  | { kind: 'not_found'; what: string }
  | { kind: 'invalid'; issues: { path: string; code?: string; message: string }[] }
  | { kind: 'conflict'; reason: string; message: string }
  | { kind: 'forbidden'; message: string };

/** What the compensation repositories refuse; routes map it to 404 / 400 / 409 / 403. */
export class CompError extends Error {
  constructor(readonly failure: CompFailure) {
    super(failure.kind === 'not_found' ? `${failure.what} not found` : failure.kind === 'invalid' ? (failure.issues[0]?.message ?? 'invalid') : failure.message);
    this.name = 'CompError';
  }
}
export const compNotFound = (what: string): CompError => new CompError({ kind: 'not_found', what });
export const compConflict = (reason: string, message: string): CompError => new CompError({ kind: 'conflict', reason, message });
export const compInvalid = (issues: { path: string; code?: string; message: string }[]): CompError => new CompError({ kind: 'invalid', issues });

export interface PlanVersion {
  planId: string;
  version: number;
  name: string;
  currency: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  document: CompPlanDocument;
  /** Whether a locked payout run paid from it (then it never changes). */
  paidOut: boolean;
  createdAt: string;
  createdBy: string | null;
}

interface VersionRow {
  plan_id: string; version: number; name: string; currency: string; effective_from: string; effective_to: string | null;
  document: CompPlanDocument; paid_out: boolean; created_at: string; created_by: string | null;
}
const toVersion = (r: VersionRow): PlanVersion => ({
  planId: r.plan_id, version: r.version, name: r.name, currency: r.currency, effectiveFrom: r.effective_from, effectiveTo: r.effective_to,
  document: r.document, paidOut: r.paid_out, createdAt: r.created_at, createdBy: r.created_by,
});
const VERSION_SELECT = `SELECT v.plan_id, v.version, v.name, v.currency, v.effective_from, v.effective_to, v.document, v.created_at, u.name AS created_by,
    EXISTS (SELECT 1 FROM payout_lines l JOIN payout_runs r ON r.tenant_id = l.tenant_id AND r.id = l.run_id
             WHERE l.tenant_id = v.tenant_id AND l.plan_id = v.plan_id AND l.plan_version = v.version AND r.status IN ('locked', 'paid')) AS paid_out
  FROM comp_plan_versions v LEFT JOIN users u ON u.id = v.created_by
  WHERE v.tenant_id = $1`;

/** Validates a plan document with the engine's own parser; issues carry the document path. */
export function validatePlanDocument(input: unknown): { ok: true; document: CompPlanDocument; warnings: CompIssue[] } | { ok: false; issues: CompIssue[] } {
  const parsed = parseCompPlan(input);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  return { ok: true, document: parsed.plan.document, warnings: parsed.warnings };
}

function requireValid(input: unknown): CompPlanDocument {
  const checked = validatePlanDocument(input);
  if (!checked.ok) throw compInvalid(checked.issues.map((i) => ({ path: i.path, code: i.code, message: i.message })));
  return checked.document;
}

export async function listPlanVersions(scope: TenantScope, planId?: string): Promise<PlanVersion[]> {
  const rows = await scope.tx.query<VersionRow>(`${VERSION_SELECT}${planId ? ' AND v.plan_id = $2' : ''} ORDER BY v.plan_id, v.version`, planId ? [scope.tenantId, planId] : [scope.tenantId]);
  return rows.map(toVersion);
}

export async function getPlanVersion(scope: TenantScope, planId: string, version: number): Promise<PlanVersion | null> {
  const [row] = await scope.tx.query<VersionRow>(`${VERSION_SELECT} AND v.plan_id = $2 AND v.version = $3`, [scope.tenantId, planId, version]);
  return row ? toVersion(row) : null;
}

/** Adds a plan version (a new plan, or the next version of one). 409 when the version exists. */
export async function createPlanVersion(scope: TenantScope, input: unknown): Promise<PlanVersion> {
  const document = requireValid(input);
  if (await getPlanVersion(scope, document.id, document.version)) {
    throw compConflict('version_exists', `Plan "${document.id}" has a version ${document.version} already: save the change as version ${document.version + 1}, effective from a date`);
  }
  await scope.tx.query(
    `INSERT INTO comp_plan_versions (tenant_id, plan_id, version, name, currency, effective_from, effective_to, document, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [scope.tenantId, document.id, document.version, document.name, document.currency, document.effectiveFrom, document.effectiveTo ?? null, JSON.stringify(document), scope.actor.userId],
  );
  const saved = await getPlanVersion(scope, document.id, document.version);
  if (!saved) throw new Error('plan version insert not visible');
  await recordAudit(scope, { action: 'comp_plan.version_created', entityType: 'comp_plan', entityId: `${document.id}@${document.version}`, after: saved.document });
  return saved;
}

/** Corrects a version that no locked run has paid from (409 `paid_out` otherwise). */
export async function replacePlanVersion(scope: TenantScope, planId: string, version: number, input: unknown): Promise<PlanVersion> {
  const before = await getPlanVersion(scope, planId, version);
  if (!before) throw compNotFound('Plan version');
  if (before.paidOut) throw compConflict('paid_out', `Version ${version} of "${planId}" has paid out and never changes: add version ${version + 1}, effective from a date`);
  const document = requireValid(input);
  if (document.id !== planId || document.version !== version) {
    throw compInvalid([{ path: 'body.id', message: `the document must keep id "${planId}" and version ${version}` }]);
  }
  await scope.tx.query(
    `UPDATE comp_plan_versions SET name = $4, currency = $5, effective_from = $6, effective_to = $7, document = $8
      WHERE tenant_id = $1 AND plan_id = $2 AND version = $3`,
    [scope.tenantId, planId, version, document.name, document.currency, document.effectiveFrom, document.effectiveTo ?? null, JSON.stringify(document)],
  );
  const after = await getPlanVersion(scope, planId, version);
  if (!after) throw new Error('plan version vanished');
  await recordAudit(scope, { action: 'comp_plan.version_updated', entityType: 'comp_plan', entityId: `${planId}@${version}`, before: before.document, after: after.document });
  return after;
}

// --- assignments -------------------------------------------------------------------------------

export interface CompAssignment {
  id: string;
  payeeId: string;
  payeeName: string;
  planId: string;
  planVersion: number;
  from: string;
  /** Exclusive; null = open-ended. */
  to: string | null;
}

interface AssignmentRow { id: string; payee_id: string; payee_name: string; plan_id: string; plan_version: number; valid_from: string; valid_to: string | null }
const toAssignment = (r: AssignmentRow): CompAssignment => ({
  id: r.id, payeeId: r.payee_id, payeeName: r.payee_name, planId: r.plan_id, planVersion: r.plan_version, from: r.valid_from, to: r.valid_to,
});
const ASSIGNMENT_SELECT = `SELECT a.id, a.payee_id, p.display_name AS payee_name, a.plan_id, a.plan_version, a.valid_from, a.valid_to
  FROM comp_assignments a JOIN payees p ON p.tenant_id = a.tenant_id AND p.id = a.payee_id WHERE a.tenant_id = $1`;

/** Assignments, optionally of some payees only, or overlapping `[from, to)`. */
export async function listAssignments(scope: TenantScope, filter: { payeeIds?: readonly string[]; from?: string; to?: string } = {}): Promise<CompAssignment[]> {
  const params: unknown[] = [scope.tenantId];
  let sql = ASSIGNMENT_SELECT;
  if (filter.payeeIds) {
    params.push(filter.payeeIds);
    sql += ` AND a.payee_id = ANY($${params.length}::uuid[])`;
  }
  if (filter.from && filter.to) {
    params.push(filter.to, filter.from);
    sql += ` AND a.valid_from < $${params.length - 1}::date AND (a.valid_to IS NULL OR a.valid_to > $${params.length}::date)`;
  }
  const rows = await scope.tx.query<AssignmentRow>(`${sql} ORDER BY p.display_name, a.valid_from`, params);
  return rows.map(toAssignment);
}

/** Assigns a payee to a plan version for `[from, to)`; one plan at a time per payee (409 on overlap). */
export async function createAssignment(scope: TenantScope, id: string, input: { payeeId: string; planId: string; planVersion: number; from: string; to?: string | null | undefined }): Promise<CompAssignment> {
  if (input.to && input.to <= input.from) throw compInvalid([{ path: 'body.to', message: 'must be after `from` (it is exclusive)' }]);
  const [payee] = await scope.tx.query<{ kind: string }>('SELECT kind FROM payees WHERE tenant_id = $1 AND id = $2', [scope.tenantId, input.payeeId]);
  if (!payee) throw compInvalid([{ path: 'body.payeeId', message: 'no such payee in this workspace' }]);
  const plan = await getPlanVersion(scope, input.planId, input.planVersion);
  if (!plan) throw compInvalid([{ path: 'body.planId', message: `no plan "${input.planId}" version ${input.planVersion}` }]);
  if ((plan.document.payeeKind ?? 'employee') !== payee.kind) {
    throw compInvalid([{ path: 'body.payeeId', message: `plan "${input.planId}" is for ${plan.document.payeeKind} payees; this payee is a${payee.kind === 'employee' ? 'n employee' : ' partner'}` }]);
  }
  const overlapping = await listAssignments(scope, { payeeIds: [input.payeeId], from: input.from, to: input.to ?? '9999-12-31' });
  if (overlapping.length > 0) {
    const other = overlapping[0];
    throw compConflict('overlapping_assignment', `The payee is on "${other?.planId}" v${other?.planVersion} from ${other?.from}${other?.to ? ` to ${other.to}` : ''}: end that assignment first`);
  }
  await scope.tx.query(
    'INSERT INTO comp_assignments (tenant_id, id, payee_id, plan_id, plan_version, valid_from, valid_to, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [scope.tenantId, id, input.payeeId, input.planId, input.planVersion, input.from, input.to ?? null, scope.actor.userId],
  );
  const [saved] = await scope.tx.query<AssignmentRow>(`${ASSIGNMENT_SELECT} AND a.id = $2`, [scope.tenantId, id]);
  if (!saved) throw new Error('assignment insert not visible');
  const assignment = toAssignment(saved);
  await recordAudit(scope, { action: 'comp_assignment.created', entityType: 'comp_assignment', entityId: id, after: assignment });
  return assignment;
}

/** Ends an assignment (sets `to`) or deletes it; never one that a locked run paid from for its period. */
export async function endAssignment(scope: TenantScope, id: string, to: string | null): Promise<CompAssignment | null> {
  const [row] = await scope.tx.query<AssignmentRow>(`${ASSIGNMENT_SELECT} AND a.id = $2`, [scope.tenantId, id]);
  if (!row) throw compNotFound('Assignment');
  const before = toAssignment(row);
  // The days a locked run paid must stay assigned as they were.
  const [locked] = await scope.tx.query<{ last_end: string | null }>(
    `SELECT max(r.period_end) AS last_end FROM payout_runs r
      WHERE r.tenant_id = $1 AND r.status IN ('locked', 'paid') AND r.period_start < coalesce($3::date, '9999-12-31') AND r.period_end > $2::date`,
    [scope.tenantId, before.from, before.to],
  );
  const frozenUntil = locked?.last_end ?? null;
  if (frozenUntil && (to === null || to < frozenUntil)) {
    throw compConflict('paid_out', `Locked payout runs paid this assignment up to ${frozenUntil}: it can end on ${frozenUntil} at the earliest`);
  }
  if (to !== null && to <= before.from) throw compInvalid([{ path: 'body.to', message: 'must be after the assignment’s start (it is exclusive)' }]);
  if (to === null) {
    await scope.tx.query('DELETE FROM comp_assignments WHERE tenant_id = $1 AND id = $2', [scope.tenantId, id]);
    await recordAudit(scope, { action: 'comp_assignment.deleted', entityType: 'comp_assignment', entityId: id, before });
    return null;
  }
  await scope.tx.query('UPDATE comp_assignments SET valid_to = $3 WHERE tenant_id = $1 AND id = $2', [scope.tenantId, id, to]);
  const after = { ...before, to };
  await recordAudit(scope, { action: 'comp_assignment.ended', entityType: 'comp_assignment', entityId: id, before, after });
  return after;
}

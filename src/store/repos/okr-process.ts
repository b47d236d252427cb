import { randomUUID } from 'node:crypto';
import { approversOf, checkApprover, isDeletable, nextStatus, type ObjectiveAction } from '../../core/okr/approval.js';
import { checkinValueOf, isCelebration, type CheckinInput } from '../../core/okr/checkin.js';
import { isLinearKind, lastDay, resolveRelativeTarget, type KeyResultDefinition, type KeyResultUnit, type MetricBinding, type RelativeTarget } from '../../core/okr/key-result.js';
import { MetricUnavailableError, metricNumber, scopeOf, type MetricValueSource } from '../../core/okr/metric-source.js';
import { changedFields, needsRevision } from '../../core/okr/revision.js';
import type { Commitment, Direction, Weighting } from '../../core/okr/scoring.js';
import { findTemplate, type KeyResultKind, type ObjectiveCategory } from '../../core/okr/templates.js';
import { addDays, baselinePeriod, parsePeriod } from '../../core/period.js';
import type { Patch, TenantScope } from '../store.js';
import type { Band } from '../../core/okr/scoring.js';
import { currencyExponent } from '../../core/data/currency.js';
import { fiscalCalendarOf, getTenant } from './tenants.js';
import { recordAudit } from './audit.js';
import { conflict, forbidden, invalid, isMember, loadOrg, notFound, OkrError, type Viewer } from './okr-common.js';
import { assertOpen, requireCycle, type OkrCycle } from './okr-cycles.js';
import {
  deleteKeyResultRow, getKeyResultRecord, insertCheckin, insertKeyResultRow, listCheckins, listKeyResults, nextPosition, recordRevision,
  updateKeyResultRow, type CheckinRecord, type KeyResultRecord,
} from './okr-key-results.js';
import { sqlMetricValueSource, toMajorUnits } from './okr-metric-source.js';
import { quotaForAssignee } from './quotas.js';
import {
  deleteObjectiveRow, getObjectiveRecord, insertObjectiveRow, lastProposer, recordApproval, setContributors, updateObjectiveRow,
  type ObjectiveOwnerRef, type ObjectiveRecord, type ObjectiveRowPatch,
} from './okr-objectives.js';
import { evaluateObjectives, isInsider, ownerForApproval, type KeyResultView, type ReadContext } from './okr-read.js';

// --- inputs (validated at the edge) ----------------------------------------------------

export interface KeyResultInput {
  externalKey?: string | null | undefined;
  title: string;
  ownerUserId?: string | null | undefined;
  weight?: number | undefined;
  unit?: KeyResultUnit | undefined;
  kind: KeyResultKind;
  direction?: Direction | undefined;
  start?: number | null | undefined;
  target?: number | null | undefined;
  baseline?: RelativeTarget | null | undefined;
  /** Money key results: the target is the owner's quota for the cycle (quota planning), start 0. */
  targetFromQuota?: boolean | undefined;
  metric?: { key: string; version?: number | null | undefined; parameters?: Record<string, string> | undefined } | null | undefined;
  checklist?: string[] | undefined;
  guardrail?: { mode: 'stay_above' | 'stay_below'; limit: number } | null | undefined;
  trackingNote?: string | null | undefined;
}

export type KeyResultPatch = Patch<KeyResultInput> & { reason?: string | undefined };

export interface ParentRef {
  objectiveId?: string | undefined;
  keyResultId?: string | undefined;
}

export interface ObjectiveInput {
  cycleId: string;
  externalKey?: string | null | undefined;
  title: string;
  description?: string | undefined;
  category: ObjectiveCategory;
  owner: ObjectiveOwnerRef;
  commitment?: Commitment | undefined;
  visibility?: 'tenant' | 'private' | undefined;
  parent?: ParentRef | null | undefined;
  weighting?: Weighting | undefined;
  contributors?: string[] | undefined;
  templateId?: string | null | undefined;
  keyResults?: KeyResultInput[] | undefined;
}

export interface FromTemplateInput {
  templateId: string;
  /** Default: the workspace's language. */
  locale?: 'en' | 'de' | undefined;
  cycleId: string;
  owner: ObjectiveOwnerRef;
  /** Picks for the template's metric parameters: product, region, channel. */
  parameters?: Record<string, string> | undefined;
  /** Per key result (template order): a target to use instead of the template's. */
  targets?: (number | null)[] | undefined;
  title?: string | undefined;
  visibility?: 'tenant' | 'private' | undefined;
  parent?: ParentRef | null | undefined;
  contributors?: string[] | undefined;
  commitment?: Commitment | undefined;
}

export interface ObjectivePatch {
  title?: string | undefined;
  description?: string | undefined;
  category?: ObjectiveCategory | undefined;
  owner?: ObjectiveOwnerRef | undefined;
  commitment?: Commitment | undefined;
  visibility?: 'tenant' | 'private' | undefined;
  parent?: ParentRef | null | undefined;
  weighting?: Weighting | undefined;
  contributors?: string[] | undefined;
  selfAssessment?: string | null | undefined;
}

/** The caller: who (for rights) and the server's clock. */
export interface ProcessContext extends ReadContext {
  viewer: Viewer;
}

// --- helpers ------------------------------------------------------------------------------

const sourceOf = (scope: TenantScope, context: ReadContext): MetricValueSource => context.source ?? sqlMetricValueSource(scope);

/** Whether the viewer may create or edit objectives of this owner. */
function mayActFor(viewer: Viewer, owner: ObjectiveOwnerRef, ownerTeamId: string | null): boolean {
  if (viewer.isAdmin) return true;
  if (viewer.userId === null) return false;
  if (owner.kind === 'user') return owner.id === viewer.userId || (ownerTeamId !== null && viewer.managedTeamIds.includes(ownerTeamId));
  return viewer.memberTeamIds.includes(owner.id) || viewer.managedTeamIds.includes(owner.id);
}

async function checkOwner(scope: TenantScope, owner: ObjectiveOwnerRef, path: string): Promise<string | null> {
  if (owner.kind === 'team') {
    const rows = await scope.tx.query('SELECT 1 FROM teams WHERE tenant_id = $1 AND id = $2', [scope.tenantId, owner.id]);
    if (rows.length === 0) throw invalid(`${path}.id`, 'No team with this id in this workspace');
    return owner.id;
  }
  if (!(await isMember(scope, owner.id))) throw invalid(`${path}.id`, 'The owner must be a member of this workspace');
  const [row] = await scope.tx.query<{ team_id: string | null }>('SELECT team_id FROM payees WHERE tenant_id = $1 AND user_id = $2', [scope.tenantId, owner.id]);
  return row?.team_id ?? null;
}

async function checkMembers(scope: TenantScope, userIds: readonly string[], path: string): Promise<void> {
  for (const [i, id] of userIds.entries()) if (!(await isMember(scope, id))) throw invalid(`${path}.${i}`, 'Not a member of this workspace');
}

/** Resolves and checks an alignment: a visible objective (or key result) in this cycle or the cycle above it. */
async function resolveParent(scope: TenantScope, viewer: Viewer, cycle: OkrCycle, parent: ParentRef | null | undefined, selfId: string | null, path: string): Promise<{ objectiveId: string | null; keyResultId: string | null }> {
  if (!parent || (!parent.objectiveId && !parent.keyResultId)) return { objectiveId: null, keyResultId: null };
  if (parent.objectiveId && parent.keyResultId) throw invalid(path, 'Align to an objective or to one key result, not both');
  let objectiveId = parent.objectiveId ?? null;
  if (parent.keyResultId) {
    const kr = await getKeyResultRecord(scope, parent.keyResultId);
    if (!kr) throw invalid(`${path}.keyResultId`, 'No key result with this id in this workspace');
    objectiveId = kr.objectiveId;
  }
  const target = objectiveId ? await getObjectiveRecord(scope, objectiveId, viewer) : null;
  if (!target) throw invalid(`${path}.objectiveId`, 'No objective with this id in this workspace');
  if (target.cycleId !== cycle.id && target.cycleId !== cycle.parentCycleId) throw invalid(path, 'Align to an objective of the same cycle or of the year above it');
  // No loops: walk up from the parent.
  let current: string | null = target.id;
  for (let depth = 0; current !== null && depth < 50; depth += 1) {
    if (current === selfId) throw invalid(path, 'An objective cannot align to itself or to one below it');
    const rows: { parent_objective_id: string | null; parent_kr_objective: string | null }[] = await scope.tx.query(
      `SELECT o.parent_objective_id, k.objective_id AS parent_kr_objective FROM okr_objectives o
         LEFT JOIN okr_key_results k ON k.tenant_id = o.tenant_id AND k.id = o.parent_key_result_id
        WHERE o.tenant_id = $1 AND o.id = $2`,
      [scope.tenantId, current],
    );
    const row = rows[0];
    current = row?.parent_objective_id ?? row?.parent_kr_objective ?? null;
  }
  return parent.keyResultId ? { objectiveId: null, keyResultId: parent.keyResultId } : { objectiveId: target.id, keyResultId: null };
}

const defaultUnit = (kind: KeyResultKind): KeyResultUnit => (kind === 'currency' ? 'money' : kind === 'percent' ? 'percent' : 'number');

function metricBinding(input: KeyResultInput['metric']): MetricBinding | null {
  return input ? { key: input.key, version: input.version ?? null, parameters: input.parameters ?? {} } : null;
}

/** A definition from input; a relative target is resolved from the baseline period's metric value when it can be. */
/**
 * A money key result's target from quota planning: the owner's quota for the cycle (a person:
 * their payee's rep line; a team: its team line), in major units of the workspace currency.
 * No quota, or a quota in another currency, is a validation error at `targetFromQuota`.
 */
async function quotaTarget(
  scope: TenantScope,
  input: KeyResultInput,
  where: { cycle: OkrCycle; owner: ObjectiveOwnerRef; source: MetricValueSource; path: string },
): Promise<{ target: number; note: string }> {
  const path = `${where.path}.targetFromQuota`;
  if (input.target !== undefined && input.target !== null) throw invalid(path, 'Either a target or targetFromQuota, not both');
  if (input.baseline) throw invalid(path, 'Either a baseline or targetFromQuota, not both');
  const money = input.kind === 'currency' || (input.kind === 'metric' && input.unit === 'money');
  if (!money) throw invalid(path, 'Only money key results (kind currency, or a metric in money) take their target from a quota');
  let assignee: { kind: 'rep' | 'team'; id: string; label: string };
  if (where.owner.kind === 'team') {
    assignee = { kind: 'team', id: where.owner.id, label: 'the team' };
  } else {
    const [payee] = await scope.tx.query<{ id: string }>('SELECT id FROM payees WHERE tenant_id = $1 AND user_id = $2 ORDER BY created_at LIMIT 1', [scope.tenantId, where.owner.id]);
    if (!payee) throw invalid(path, 'The owner is not a payee, so they have no quota');
    assignee = { kind: 'rep', id: payee.id, label: 'the owner' };
  }
  const found = await quotaForAssignee(scope, { kind: assignee.kind, id: assignee.id, period: where.cycle.key, includeDrafts: true });
  if (!found.ok || !found.value || found.value.quotaMinor === null) throw invalid(path, `No quota for ${assignee.label} in ${where.cycle.key}: plan quotas for it first`);
  const tenant = await getTenant(scope);
  if (found.value.currency !== tenant.currency) throw invalid(path, `The quota is in ${found.value.currency}, key results count in ${tenant.currency}`);
  const target = Number(toMajorUnits(String(found.value.quotaMinor), currencyExponent(tenant.currency) ?? 2));
  const q = found.value;
  return { target, note: `Target: ${assignee.label}'s ${q.period} quota, quota plan version ${q.version}${q.isLocked ? ' (locked)' : ' (a draft when the key result was set)'}.` };
}

async function buildDefinition(
  scope: TenantScope,
  input: KeyResultInput,
  where: { cycle: OkrCycle; owner: ObjectiveOwnerRef; source: MetricValueSource; path: string; notes?: { quota?: string } },
): Promise<KeyResultDefinition> {
  const { path } = where;
  if (input.kind === 'metric' && !input.metric) throw invalid(`${path}.metric`, 'A metric-bound key result names its metric');
  if (input.kind !== 'metric' && input.metric) throw invalid(`${path}.metric`, 'Only kind "metric" binds a metric');
  if (input.kind === 'guardrail' && !input.guardrail) throw invalid(`${path}.guardrail`, 'A guardrail needs a mode and a limit');
  if (input.kind !== 'guardrail' && input.guardrail) throw invalid(`${path}.guardrail`, 'Only kind "guardrail" takes a guardrail');
  if (input.kind !== 'checklist' && input.checklist && input.checklist.length > 0) throw invalid(`${path}.checklist`, 'Only kind "checklist" takes items');
  const metric = metricBinding(input.metric);
  let start = input.start ?? null;
  let target = input.target ?? null;
  const baseline = input.baseline ?? null;
  if (input.targetFromQuota) {
    const quota = await quotaTarget(scope, input, where);
    target = quota.target;
    start = start ?? 0;
    if (where.notes) where.notes.quota = quota.note;
  }
  if (baseline && target === null && isLinearKind(input.kind)) {
    let baselineValue = start;
    // Manual key results: money and counts are totals, the rest levels (see resolveRelativeTarget).
    let accumulates = input.unit === 'count' || input.unit === 'money' || input.kind === 'currency';
    if (baselineValue === null && metric) {
      const calendar = await fiscalCalendarOf(scope);
      const period = parsePeriod(where.cycle.key, calendar);
      if (!period.ok) throw new Error(`cycle key ${where.cycle.key} does not parse`);
      const base = baselinePeriod(period.period, baseline.period, calendar);
      const owner = where.owner.kind === 'team' ? { kind: 'team' as const, teamId: where.owner.id } : { kind: 'user' as const, userId: where.owner.id };
      try {
        baselineValue = metricNumber(await where.source.valueOf({ metric, period: { start: base.start, end: base.end }, scope: scopeOf(metric, owner) }));
        accumulates = await where.source.accumulates(metric);
      } catch (error) {
        // Left unresolved: the key result shows no target and a "not measurable" warning until one is set.
        if (!(error instanceof MetricUnavailableError)) throw error;
      }
    }
    // No growth "+25 %" from nothing: a zero baseline leaves the target open too.
    if (baselineValue !== null && baselineValue !== 0) ({ start, target } = resolveRelativeTarget(baselineValue, baseline, { accumulates, whole: input.unit === 'count' }));
  }
  const direction = input.direction ?? (start !== null && target !== null && target < start ? 'decrease' : 'increase');
  return {
    title: input.title,
    kind: input.kind,
    unit: input.unit ?? defaultUnit(input.kind),
    direction,
    start: isLinearKind(input.kind) ? (start ?? (baseline ? null : 0)) : null,
    target: isLinearKind(input.kind) ? target : null,
    baseline,
    metric,
    checklist: input.kind === 'checklist' ? (input.checklist ?? []) : [],
    guardrail: input.kind === 'guardrail' ? (input.guardrail ?? null) : null,
    weight: input.weight ?? 1,
  };
}

async function insertKeyResult(
  scope: TenantScope,
  objective: { id: string; owner: ObjectiveOwnerRef },
  input: KeyResultInput,
  where: { cycle: OkrCycle; source: MetricValueSource; path: string; position: number; carriedFromKeyResultId?: string | null },
): Promise<string> {
  if (input.ownerUserId && !(await isMember(scope, input.ownerUserId))) throw invalid(`${where.path}.ownerUserId`, 'Not a member of this workspace');
  const notes: { quota?: string } = {};
  const definition = await buildDefinition(scope, input, { ...where, owner: objective.owner, notes });
  const id = randomUUID();
  await insertKeyResultRow(scope, id, {
    objectiveId: objective.id, externalKey: input.externalKey ?? null, position: where.position,
    ownerUserId: input.ownerUserId ?? (objective.owner.kind === 'user' ? objective.owner.id : null), definition,
    trackingNote: input.trackingNote ?? notes.quota ?? null, carriedFromKeyResultId: where.carriedFromKeyResultId ?? null,
  });
  return id;
}

async function requireVisibleObjective(scope: TenantScope, id: string, viewer: Viewer): Promise<ObjectiveRecord> {
  const record = await getObjectiveRecord(scope, id, viewer);
  if (!record) throw notFound('Objective');
  return record;
}

async function requireInsider(scope: TenantScope, record: ObjectiveRecord, viewer: Viewer, doing: string): Promise<void> {
  if (!(await isInsider(scope, record.id, viewer))) {
    throw forbidden(`Only the objective's owner, its contributors, its team and the managers above it may ${doing}`);
  }
}

const snapshotOf = async (scope: TenantScope, id: string, viewer: Viewer) => {
  const record = await getObjectiveRecord(scope, id, viewer);
  if (!record) throw new Error(`objective ${id} vanished`);
  return { ...record, keyResults: await listKeyResults(scope, [id]) };
};

// --- objectives --------------------------------------------------------------------------

/** Creates a draft objective with its key results. */
export async function createObjective(scope: TenantScope, input: ObjectiveInput, context: ProcessContext): Promise<string> {
  const cycle = await requireCycle(scope, input.cycleId).catch((error: unknown) => {
    if (error instanceof OkrError) throw invalid('body.cycleId', 'No cycle with this id in this workspace');
    throw error;
  });
  const ownerTeamId = await checkOwner(scope, input.owner, 'body.owner');
  await checkMembers(scope, input.contributors ?? [], 'body.contributors');
  if (!mayActFor(context.viewer, input.owner, ownerTeamId)) {
    throw forbidden('You may create objectives for yourself, your team, and the people and teams you manage');
  }
  assertOpen(cycle);
  const parent = await resolveParent(scope, context.viewer, cycle, input.parent, null, 'body.parent');
  const id = randomUUID();
  await insertObjectiveRow(scope, id, {
    cycleId: cycle.id, externalKey: input.externalKey ?? null, title: input.title, description: input.description ?? '', category: input.category,
    owner: input.owner, commitment: input.commitment ?? 'aspirational', status: 'draft', visibility: input.visibility ?? 'tenant',
    parentObjectiveId: parent.objectiveId, parentKeyResultId: parent.keyResultId, weighting: input.weighting ?? 'equal',
    templateId: input.templateId ?? null, carriedFromObjectiveId: null, createdBy: scope.actor.userId,
  });
  await setContributors(scope, id, input.contributors ?? []);
  const source = sourceOf(scope, context);
  for (const [i, kr] of (input.keyResults ?? []).entries()) {
    await insertKeyResult(scope, { id, owner: input.owner }, kr, { cycle, source, path: `body.keyResults.${i}`, position: i });
  }
  await recordAudit(scope, { action: 'okr_objective.created', entityType: 'okr_objective', entityId: id, after: await snapshotOf(scope, id, context.viewer) });
  return id;
}

/** Creates a draft objective from a library template in one step: title, description, key results, metric bindings and parameters. */
export async function createObjectiveFromTemplate(scope: TenantScope, input: FromTemplateInput, context: ProcessContext): Promise<string> {
  const template = findTemplate(input.templateId);
  if (!template) throw invalid('body.fromTemplate.templateId', 'No template with this id');
  const parameters = input.parameters ?? {};
  const locale = input.locale ?? (await getTenant(scope)).locale;
  const keyResults = template.keyResults.map((kr, i): KeyResultInput => {
    const chosen = input.targets?.[i];
    const picked = Object.fromEntries((kr.metric?.parameters ?? []).flatMap((name) => (parameters[name] ? [[name, parameters[name]]] : [])));
    return {
      title: kr.title[locale],
      kind: kr.kind,
      unit: kr.unit,
      direction: kr.direction,
      start: kr.start ?? (kr.relative ? null : 0),
      target: chosen ?? kr.target ?? null,
      baseline: chosen === undefined || chosen === null ? (kr.relative ? { period: kr.relative.baseline, changePercent: kr.relative.changePercent } : null) : null,
      metric: kr.metric ? { key: kr.metric.key, parameters: picked } : null,
      checklist: kr.checklist?.map((item) => item[locale]),
      guardrail: kr.kind === 'guardrail' ? { mode: kr.direction === 'decrease' ? 'stay_below' : 'stay_above', limit: kr.target ?? 0 } : null,
      trackingNote: kr.trackingNote?.[locale] ?? null,
    };
  });
  return createObjective(scope, {
    cycleId: input.cycleId, title: input.title ?? template.title[locale], description: template.description[locale], category: template.category,
    owner: input.owner, commitment: input.commitment ?? template.commitment, visibility: input.visibility, parent: input.parent,
    contributors: input.contributors, templateId: template.id, keyResults,
  }, context);
}

export async function updateObjective(scope: TenantScope, id: string, patch: ObjectivePatch, context: ProcessContext): Promise<void> {
  const record = await requireVisibleObjective(scope, id, context.viewer);
  await requireInsider(scope, record, context.viewer, 'edit it');
  const before = await snapshotOf(scope, id, context.viewer);
  const cycle = await requireCycle(scope, record.cycleId);
  const onlyAssessment = Object.entries(patch).every(([key, value]) => key === 'selfAssessment' || value === undefined);
  // Once closed, only the self-assessment may still change (the score is frozen).
  if (!onlyAssessment) assertOpen(cycle);
  if (!onlyAssessment && record.status === 'closed') throw conflict('invalid_transition', 'A closed objective can no longer change');
  const row: ObjectiveRowPatch = {
    title: patch.title, description: patch.description, category: patch.category, commitment: patch.commitment, visibility: patch.visibility,
    weighting: patch.weighting,
  };
  if (patch.owner) {
    const teamId = await checkOwner(scope, patch.owner, 'body.owner');
    if (!mayActFor(context.viewer, patch.owner, teamId)) throw forbidden('You may hand objectives only to yourself, your team, and the people and teams you manage');
    row.owner = patch.owner;
  }
  if (patch.parent !== undefined) {
    const parent = await resolveParent(scope, context.viewer, cycle, patch.parent, id, 'body.parent');
    row.parentObjectiveId = parent.objectiveId;
    row.parentKeyResultId = parent.keyResultId;
  }
  if (patch.selfAssessment !== undefined) row.selfAssessment = patch.selfAssessment;
  await updateObjectiveRow(scope, id, row);
  if (patch.contributors) {
    await checkMembers(scope, patch.contributors, 'body.contributors');
    await setContributors(scope, id, patch.contributors);
  }
  await recordAudit(scope, { action: 'okr_objective.updated', entityType: 'okr_objective', entityId: id, before, after: await snapshotOf(scope, id, context.viewer) });
}

async function transition(scope: TenantScope, record: ObjectiveRecord, action: ObjectiveAction, note: string | null, context: ProcessContext): Promise<void> {
  const next = nextStatus(record.status, action);
  if (next === null) throw conflict('invalid_transition', `A ${record.status} objective cannot be ${action === 'propose' ? 'proposed' : `${action}d`}`);
  await updateObjectiveRow(scope, record.id, { status: next });
  const entry = action === 'propose' ? 'proposed' : action === 'approve' ? 'approved' : 'rejected';
  await recordApproval(scope, { id: randomUUID(), objectiveId: record.id, action: entry, note });
  await recordAudit(scope, {
    action: `okr_objective.${entry}`, entityType: 'okr_objective', entityId: record.id,
    before: { status: record.status }, after: { status: next, note, by: context.viewer.userId },
  });
}

/** Draft → proposed: asks the owner's manager to approve it. */
export async function proposeObjective(scope: TenantScope, id: string, note: string | null, context: ProcessContext): Promise<void> {
  const record = await requireVisibleObjective(scope, id, context.viewer);
  await requireInsider(scope, record, context.viewer, 'propose it');
  assertOpen(await requireCycle(scope, record.cycleId));
  await transition(scope, record, 'propose', note, context);
}

/** Proposed → active (approve) or back to draft (reject), by a manager above the owner or an admin — never by the proposer. */
export async function decideObjective(scope: TenantScope, id: string, decision: 'approve' | 'reject', note: string | null, context: ProcessContext): Promise<void> {
  const record = await requireVisibleObjective(scope, id, context.viewer);
  assertOpen(await requireCycle(scope, record.cycleId));
  if (record.status !== 'proposed') throw conflict('invalid_transition', `Only a proposed objective can be ${decision}d; this one is ${record.status}`);
  const org = await loadOrg(scope);
  const refusal = checkApprover({
    userId: context.viewer.userId, isAdmin: context.viewer.isAdmin, proposedBy: await lastProposer(scope, id),
    approvers: approversOf(org.teams, ownerForApproval(org, record)),
  });
  if (refusal === 'approver_is_proposer') throw conflict('approver_is_proposer', 'You proposed this objective: someone else must approve or reject it');
  if (refusal === 'not_an_approver') throw forbidden("Only a manager above the objective's owner (or an admin) may approve or reject it");
  await transition(scope, record, decision, note, context);
}

/** Deletes a draft (with its key results, check-ins and comments). */
export async function deleteObjective(scope: TenantScope, id: string, context: ProcessContext): Promise<void> {
  const record = await requireVisibleObjective(scope, id, context.viewer);
  await requireInsider(scope, record, context.viewer, 'delete it');
  const before = await snapshotOf(scope, id, context.viewer);
  if (!isDeletable(record.status)) throw conflict('not_deletable', `Only drafts can be deleted; this objective is ${record.status}`);
  await deleteObjectiveRow(scope, id);
  await recordAudit(scope, { action: 'okr_objective.deleted', entityType: 'okr_objective', entityId: id, before });
}

// --- key results ----------------------------------------------------------------------------

async function editableObjectiveOf(scope: TenantScope, objectiveId: string, context: ProcessContext): Promise<{ record: ObjectiveRecord; cycle: OkrCycle }> {
  const record = await requireVisibleObjective(scope, objectiveId, context.viewer);
  await requireInsider(scope, record, context.viewer, 'change its key results');
  const cycle = await requireCycle(scope, record.cycleId);
  assertOpen(cycle);
  if (record.status === 'closed') throw conflict('invalid_transition', 'A closed objective can no longer change');
  return { record, cycle };
}

async function visibleKeyResult(scope: TenantScope, id: string, viewer: Viewer): Promise<{ kr: KeyResultRecord; record: ObjectiveRecord }> {
  const kr = await getKeyResultRecord(scope, id);
  const record = kr ? await getObjectiveRecord(scope, kr.objectiveId, viewer) : null;
  if (!kr || !record) throw notFound('Key result');
  return { kr, record };
}

export async function addKeyResult(scope: TenantScope, objectiveId: string, input: KeyResultInput, context: ProcessContext): Promise<string> {
  const { record, cycle } = await editableObjectiveOf(scope, objectiveId, context);
  const id = await insertKeyResult(scope, { id: record.id, owner: record.owner }, input, {
    cycle, source: sourceOf(scope, context), path: 'body', position: await nextPosition(scope, record.id),
  });
  await recordAudit(scope, { action: 'okr_key_result.created', entityType: 'okr_key_result', entityId: id, after: await getKeyResultRecord(scope, id) });
  return id;
}

/**
 * Changes a key result. Once its objective is active, a change to the definition (target,
 * start, kind, metric, items, limit, weight, title) needs a reason and is kept as a revision,
 * so scores read as of an earlier day still use the definition of that day.
 */
export async function updateKeyResult(scope: TenantScope, id: string, patch: KeyResultPatch, context: ProcessContext): Promise<{ revised: boolean }> {
  const { kr, record } = await visibleKeyResult(scope, id, context.viewer);
  const { cycle } = await editableObjectiveOf(scope, record.id, context);
  if (patch.ownerUserId && !(await isMember(scope, patch.ownerUserId))) throw invalid('body.ownerUserId', 'Not a member of this workspace');
  const d = kr.definition;
  const merged: KeyResultInput = {
    title: patch.title ?? d.title,
    kind: patch.kind ?? d.kind,
    unit: patch.unit ?? d.unit,
    direction: patch.direction ?? d.direction,
    start: patch.start === undefined ? d.start : patch.start,
    target: patch.target === undefined ? d.target : patch.target,
    baseline: patch.baseline === undefined ? d.baseline : patch.baseline,
    metric: patch.metric === undefined ? d.metric : patch.metric,
    checklist: patch.checklist ?? [...d.checklist],
    guardrail: patch.guardrail === undefined ? d.guardrail : patch.guardrail,
    weight: patch.weight ?? d.weight,
    // Re-reading the quota replaces the target (a revised quota, a new version).
    ...(patch.targetFromQuota ? { targetFromQuota: true, target: patch.target === undefined ? null : patch.target, baseline: null } : {}),
  };
  const notes: { quota?: string } = {};
  const after = await buildDefinition(scope, merged, { cycle, owner: record.owner, source: sourceOf(scope, context), path: 'body', notes });
  const revised = needsRevision(record.status, d, after);
  const reason = patch.reason?.trim() ?? '';
  if (revised && reason === '') {
    throw invalid('body.reason', `This objective is ${record.status}: say why the key result's ${changedFields(d, after).join(', ')} change${changedFields(d, after).length === 1 ? 's' : ''}`);
  }
  // Checklist items keep their done flags by title.
  const doneByTitle = new Map(d.checklist.map((title, i) => [title, kr.checklistDone[i] === true]));
  await updateKeyResultRow(scope, id, {
    definition: after, checklistDone: after.checklist.map((title) => doneByTitle.get(title) ?? false),
    ownerUserId: patch.ownerUserId === undefined ? (kr.owner?.id ?? null) : patch.ownerUserId,
    trackingNote: patch.trackingNote === undefined ? (notes.quota ?? kr.trackingNote) : patch.trackingNote,
    position: kr.position, externalKey: patch.externalKey === undefined ? kr.externalKey : patch.externalKey,
  });
  if (revised) await recordRevision(scope, { id: randomUUID(), keyResultId: id, reason, before: d, after });
  await recordAudit(scope, {
    action: revised ? 'okr_key_result.revised' : 'okr_key_result.updated', entityType: 'okr_key_result', entityId: id,
    before: kr, after: { ...(await getKeyResultRecord(scope, id)), ...(revised ? { reason } : {}) },
  });
  return { revised };
}

/** Deletes a key result of a draft or proposal. An active objective keeps its history: set the weight to 0 with a reason instead. */
export async function deleteKeyResult(scope: TenantScope, id: string, context: ProcessContext): Promise<void> {
  const { kr, record } = await visibleKeyResult(scope, id, context.viewer);
  await editableObjectiveOf(scope, record.id, context);
  if (record.status !== 'draft' && record.status !== 'proposed') {
    throw conflict('not_deletable', 'The objective is active: keep the key result’s history and set its weight to 0 (with a reason) instead');
  }
  await deleteKeyResultRow(scope, id);
  await recordAudit(scope, { action: 'okr_key_result.deleted', entityType: 'okr_key_result', entityId: id, before: kr });
}

// --- check-ins -------------------------------------------------------------------------------

export interface CheckinRequest extends CheckinInput {
  keyResultId: string;
  /** The day the value is for (default today); within the cycle, not in the future. */
  date?: string | undefined;
  confidence?: number | null | undefined;
  note?: string | null | undefined;
  blockers?: string | null | undefined;
}

export interface CheckinResult {
  checkin: CheckinRecord;
  keyResult: KeyResultView;
  objective: { id: string; score: number; band: Band; visibility: 'tenant' | 'private' };
  /** The key result reached its target with this check-in. */
  celebrate: boolean;
}

async function keyResultView(scope: TenantScope, record: ObjectiveRecord, keyResultId: string, context: ReadContext): Promise<{ kr: KeyResultView; score: number; band: Band }> {
  const [view] = await evaluateObjectives(scope, [record], context);
  const kr = view?.keyResults.find((k) => k.id === keyResultId);
  if (!view || !kr) throw new Error(`key result ${keyResultId} vanished`);
  return { kr, score: view.score, band: view.band };
}

/**
 * Records a check-in. Metric-bound key results record the metric's value for the cycle so
 * far (the metric layer must answer: otherwise the check-in fails, it never records 0).
 */
export async function checkIn(scope: TenantScope, request: CheckinRequest, context: ProcessContext): Promise<CheckinResult> {
  const { kr, record } = await visibleKeyResult(scope, request.keyResultId, context.viewer);
  if (kr.owner?.id !== context.viewer.userId || context.viewer.userId === null) await requireInsider(scope, record, context.viewer, 'check in');
  const cycle = await requireCycle(scope, record.cycleId);
  assertOpen(cycle);
  if (record.status === 'closed') throw conflict('invalid_transition', 'A closed objective takes no more check-ins');
  const last = lastDay(cycle);
  const date = request.date ?? (context.today > last ? last : context.today);
  if (date > context.today) throw invalid('body.date', 'A check-in cannot be for a day in the future');
  if (date < cycle.start || date > last) throw invalid('body.date', `The cycle runs from ${cycle.start} to ${last}`);
  let metricValue: number | null = null;
  if (kr.definition.kind === 'metric' && kr.definition.metric) {
    const owner = record.owner.kind === 'team' ? { kind: 'team' as const, teamId: record.owner.id } : { kind: 'user' as const, userId: record.owner.id };
    try {
      metricValue = metricNumber(await sourceOf(scope, context).valueOf({ metric: kr.definition.metric, period: { start: cycle.start, end: addDays(date, 1) }, scope: scopeOf(kr.definition.metric, owner) }));
    } catch (error) {
      if (error instanceof MetricUnavailableError) throw new OkrError({ kind: 'unavailable', reason: `metric_${error.reason}`, message: `The metric "${kr.definition.metric.key}" cannot be read: ${error.message}` });
      throw error;
    }
  }
  const normalised = checkinValueOf(kr.definition, request, metricValue);
  if (!normalised.ok) throw new OkrError({ kind: 'invalid', issues: normalised.issues.map((i) => ({ path: `body.${i.path}`, message: i.message })) });
  const before = await keyResultView(scope, record, kr.id, context);
  const id = randomUUID();
  await insertCheckin(scope, {
    id, keyResultId: kr.id, date, value: normalised.value, checklistDone: normalised.checklistDone, confidence: request.confidence ?? null,
    note: request.note ?? null, blockers: request.blockers ?? null, source: kr.definition.kind === 'metric' ? 'metric' : 'manual',
  });
  const after = await keyResultView(scope, record, kr.id, context);
  const [checkin] = (await listCheckins(scope, [kr.id])).filter((c) => c.id === id);
  if (!checkin) throw new Error('check-in insert not visible');
  await recordAudit(scope, { action: 'okr_checkin.created', entityType: 'okr_key_result', entityId: kr.id, before: { current: before.kr.current, score: before.kr.score }, after: checkin });
  return {
    checkin, keyResult: after.kr, objective: { id: record.id, score: after.score, band: after.band, visibility: record.visibility },
    celebrate: after.kr.targetReached && isCelebration(before.kr.hasValue ? before.kr.score : null, after.kr.score),
  };
}

// --- comments and kudos ----------------------------------------------------------------------

export interface OkrComment {
  id: string;
  objectiveId: string;
  keyResultId: string | null;
  kind: 'comment' | 'kudos';
  body: string;
  author: { id: string | null; name: string | null };
  createdAt: string;
}

export async function listComments(scope: TenantScope, objectiveId: string, viewer: Viewer): Promise<OkrComment[]> {
  await requireVisibleObjective(scope, objectiveId, viewer);
  const rows = await scope.tx.query<{ id: string; objective_id: string; key_result_id: string | null; kind: 'comment' | 'kudos'; body: string; author_user_id: string | null; name: string | null; created_at: string }>(
    `SELECT c.id, c.objective_id, c.key_result_id, c.kind, c.body, c.author_user_id, u.name, c.created_at
       FROM okr_comments c LEFT JOIN users u ON u.id = c.author_user_id
      WHERE c.tenant_id = $1 AND c.objective_id = $2 ORDER BY c.created_at, c.id`,
    [scope.tenantId, objectiveId],
  );
  return rows.map((r) => ({ id: r.id, objectiveId: r.objective_id, keyResultId: r.key_result_id, kind: r.kind, body: r.body, author: { id: r.author_user_id, name: r.name }, createdAt: r.created_at }));
}

/** Anyone who can see an objective may comment on it or give kudos. */
export async function addComment(scope: TenantScope, objectiveId: string, input: { kind: 'comment' | 'kudos'; body: string; keyResultId?: string | null | undefined }, viewer: Viewer): Promise<OkrComment> {
  await requireVisibleObjective(scope, objectiveId, viewer);
  if (input.keyResultId) {
    const kr = await getKeyResultRecord(scope, input.keyResultId);
    if (!kr || kr.objectiveId !== objectiveId) throw invalid('body.keyResultId', 'Not a key result of this objective');
  }
  const id = randomUUID();
  await scope.tx.query(
    'INSERT INTO okr_comments (tenant_id, id, objective_id, key_result_id, kind, body, author_user_id) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [scope.tenantId, id, objectiveId, input.keyResultId ?? null, input.kind, input.body, scope.actor.userId],
  );
  const comment = (await listComments(scope, objectiveId, viewer)).find((c) => c.id === id);
  if (!comment) throw new Error('comment insert not visible');
  await recordAudit(scope, { action: `okr_comment.created`, entityType: 'okr_comment', entityId: id, after: comment });
  return comment;
}

/** Its author or an admin may delete a comment. */
export async function deleteComment(scope: TenantScope, id: string, viewer: Viewer): Promise<void> {
  const [row] = await scope.tx.query<{ objective_id: string; author_user_id: string | null }>('SELECT objective_id, author_user_id FROM okr_comments WHERE tenant_id = $1 AND id = $2', [scope.tenantId, id]);
  if (!row) throw notFound('Comment');
  const before = (await listComments(scope, row.objective_id, viewer).catch(() => [])).find((c) => c.id === id);
  if (!before) throw notFound('Comment');
  if (!viewer.isAdmin && (viewer.userId === null || viewer.userId !== row.author_user_id)) throw forbidden('Only its author or an admin may delete a comment');
  await scope.tx.query('DELETE FROM okr_comments WHERE tenant_id = $1 AND id = $2', [scope.tenantId, id]);
  await recordAudit(scope, { action: 'okr_comment.deleted', entityType: 'okr_comment', entityId: id, before });
}

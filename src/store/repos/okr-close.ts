import { randomUUID } from 'node:crypto';
import { nextStatus } from '../../core/okr/approval.js';
import { lastDay } from '../../core/okr/key-result.js';
import { carriedDefinition } from '../../core/okr/retrospective.js';
import type { TenantScope } from '../store.js';
import { recordAudit } from './audit.js';
import { forbidden, invalid, notFound, SYSTEM_VIEWER, type Viewer } from './okr-common.js';
import { assertOpen, requireCycle, type OkrCycle } from './okr-cycles.js';
import { getKeyResultRecord, insertCheckin, insertKeyResultRow, listKeyResults, nextPosition, setKeyResultFinalScore } from './okr-key-results.js';
import { getObjectiveRecord, insertObjectiveRow, listObjectiveRecords, updateObjectiveRow } from './okr-objectives.js';
import { evaluateObjectives, isInsider, isOwnerSandbagging, type ReadContext } from './okr-read.js';

export interface CloseResult {
  cycle: OkrCycle;
  /** The frozen scores. */
  objectives: { id: string; title: string; status: 'closed'; finalScore: number | null; wasActive: boolean }[];
  /** Metric-bound key results whose metric could not be read: frozen at their last check-in. */
  metricErrors: { keyResultId: string; message: string }[];
  /** Owners who scored ≥ 0.95 on every aspirational key result two closed cycles running. */
  probablySandbagging: { kind: 'team' | 'user'; id: string; name: string }[];
}

/**
 * Closes a cycle: each active objective's score (as of the cycle's last day, or today if
 * closed early) is frozen with its key results' scores and the owners' self-assessments; the
 * metric values they were read from are recorded as check-ins; drafts and proposals that
 * were never approved close without a score.
 */
export async function closeCycle(
  scope: TenantScope,
  cycleId: string,
  input: { assessments?: { objectiveId: string; note: string }[] | undefined },
  context: ReadContext,
): Promise<CloseResult> {
  const cycle = await requireCycle(scope, cycleId);
  assertOpen(cycle);
  const records = (await listObjectiveRecords(scope, SYSTEM_VIEWER, { cycleId, limit: 100_000 })).items;
  for (const [i, a] of (input.assessments ?? []).entries()) {
    if (!records.some((r) => r.id === a.objectiveId)) throw invalid(`body.assessments.${i}.objectiveId`, 'Not an objective of this cycle');
  }
  const views = await evaluateObjectives(scope, records, context);
  const last = lastDay(cycle);
  const day = context.today > last ? last : context.today < cycle.start ? cycle.start : context.today;
  const metricErrors: CloseResult['metricErrors'] = [];
  const frozen: CloseResult['objectives'] = [];
  for (const view of views) {
    const wasActive = view.status === 'active';
    for (const kr of view.keyResults) {
      if (wasActive && kr.valueSource === 'metric' && kr.current !== null) {
        await insertCheckin(scope, {
          id: randomUUID(), keyResultId: kr.id, date: day, value: kr.current, checklistDone: null, confidence: null,
          note: `Final value at the close of ${cycle.key}`, blockers: null, source: 'close',
        });
      }
      if (kr.metricError) metricErrors.push({ keyResultId: kr.id, message: kr.metricError.message });
      await setKeyResultFinalScore(scope, kr.id, wasActive ? kr.score : null);
    }
    const status = nextStatus(view.status, 'close') ?? 'closed';
    const note = input.assessments?.find((a) => a.objectiveId === view.id)?.note;
    await updateObjectiveRow(scope, view.id, { status, finalScore: wasActive ? view.score : null, ...(note === undefined ? {} : { selfAssessment: note }) });
    frozen.push({ id: view.id, title: view.title, status: 'closed', finalScore: wasActive ? view.score : null, wasActive });
  }
  await scope.tx.query(`UPDATE okr_cycles SET status = 'closed', closed_at = now(), closed_by = $3 WHERE tenant_id = $1 AND id = $2`, [scope.tenantId, cycleId, scope.actor.userId]);
  const after = await requireCycle(scope, cycleId);
  await recordAudit(scope, { action: 'okr_cycle.closed', entityType: 'okr_cycle', entityId: cycleId, before: cycle, after: { ...after, objectives: frozen } });
  const owners = new Map(views.filter((v) => v.status === 'active').map((v) => [`${v.owner.kind}:${v.owner.id}`, v.owner]));
  const flagged: CloseResult['probablySandbagging'] = [];
  for (const owner of owners.values()) if (await isOwnerSandbagging(scope, owner)) flagged.push({ kind: owner.kind, id: owner.id, name: owner.name });
  return { cycle: after, objectives: frozen, metricErrors, probablySandbagging: flagged };
}

/**
 * Carries unfinished key results into another cycle: each is copied (with a link to the
 * original) into a draft copy of its objective there, made once per objective and reused.
 * Carrying the same key result twice into one cycle does nothing the second time.
 */
export async function carryOver(
  scope: TenantScope,
  input: { keyResultIds: string[]; toCycleId: string },
  context: { viewer: Viewer },
): Promise<{ objectiveIds: string[]; keyResultIds: string[] }> {
  if (input.keyResultIds.length === 0) throw invalid('body.keyResultIds', 'Name at least one key result to carry over');
  const target = await requireCycle(scope, input.toCycleId).catch(() => {
    throw invalid('body.toCycleId', 'No cycle with this id in this workspace');
  });
  assertOpen(target);
  const objectiveIds = new Set<string>();
  const created: string[] = [];
  for (const [i, krId] of input.keyResultIds.entries()) {
    const kr = await getKeyResultRecord(scope, krId);
    const source = kr ? await getObjectiveRecord(scope, kr.objectiveId, context.viewer) : null;
    if (!kr || !source) throw notFound('Key result');
    if (source.cycleId === target.id) throw invalid(`body.keyResultIds.${i}`, 'Carry key results into another cycle');
    if (!(await isInsider(scope, source.id, context.viewer))) throw forbidden("Only the objective's owner, its team and the managers above it may carry its key results");
    const [existing] = await scope.tx.query<{ id: string }>(
      'SELECT id FROM okr_objectives WHERE tenant_id = $1 AND cycle_id = $2 AND carried_from_objective_id = $3 ORDER BY created_at LIMIT 1',
      [scope.tenantId, target.id, source.id],
    );
    let objectiveId = existing?.id;
    if (!objectiveId) {
      objectiveId = randomUUID();
      await insertObjectiveRow(scope, objectiveId, {
        cycleId: target.id, externalKey: null, title: source.title, description: source.description, category: source.category, owner: source.owner,
        commitment: source.commitment, status: 'draft', visibility: source.visibility, parentObjectiveId: null, parentKeyResultId: null,
        weighting: source.weighting, templateId: source.templateId, carriedFromObjectiveId: source.id, createdBy: scope.actor.userId,
      });
      await recordAudit(scope, { action: 'okr_objective.created', entityType: 'okr_objective', entityId: objectiveId, after: { carriedFrom: source.id, title: source.title, cycleId: target.id } });
    }
    objectiveIds.add(objectiveId);
    const already = (await listKeyResults(scope, [objectiveId])).some((k) => k.carriedFromKeyResultId === kr.id);
    if (already) continue;
    const id = randomUUID();
    const definition = carriedDefinition(kr.definition, { current: kr.currentValue, checklistDone: kr.checklistDone });
    await insertKeyResultRow(scope, id, {
      objectiveId, externalKey: null, position: await nextPosition(scope, objectiveId), ownerUserId: kr.owner?.id ?? null, definition,
      trackingNote: kr.trackingNote, carriedFromKeyResultId: kr.id,
    });
    await recordAudit(scope, { action: 'okr_key_result.carried', entityType: 'okr_key_result', entityId: id, after: { carriedFrom: kr.id, objectiveId, definition } });
    created.push(id);
  }
  return { objectiveIds: [...objectiveIds], keyResultIds: created };
}

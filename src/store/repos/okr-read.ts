import { approversOf, type ObjectiveOwner } from '../../core/okr/approval.js';
import { checkGuidance, type GuidanceWarning } from '../../core/okr/guidance.js';
import { evaluateKeyResult, isMeasurable, lastDay, type DailyValue, type KeyResultDefinition, type KeyResultEvaluation } from '../../core/okr/key-result.js';
import { MetricUnavailableError, metricNumber, scopeOf, type MetricValueSource } from '../../core/okr/metric-source.js';
import { evaluateObjective, targetWeightOf, type ObjectiveEvaluation } from '../../core/okr/objective.js';
import { expectedProgress } from '../../core/okr/pace.js';
import { ownerSandbagging } from '../../core/okr/retrospective.js';
import { definitionAt, endOfDayInstant } from '../../core/okr/revision.js';
import { bandOf } from '../../core/okr/scoring.js';
import { addDays } from '../../core/period.js';
import type { TenantScope } from '../store.js';
import { insiderSql, loadOrg, Params, type Org, type Viewer } from './okr-common.js';
import { getCycle, type OkrCycle } from './okr-cycles.js';
import {
  listChecklistStates, listDailyValues, listKeyResults, listRevisions, type KeyResultRecord, type RevisionEntry,
} from './okr-key-results.js';
import { sqlMetricValueSource } from './okr-metric-source.js';
import { getObjectiveRecord, listApprovals, listObjectiveRecords, type ApprovalEntry, type ObjectiveRecord } from './okr-objectives.js';
import { getOkrSettings, type OkrSettings } from './okr-settings.js';

/** What a read needs from outside the store: the day and instant (the server's clock) and, optionally, a metric source. */
export interface ReadContext {
  today: string;
  now: string;
  /** Defaults to the SQL evaluator in the same scope. */
  source?: MetricValueSource;
}

export interface KeyResultView extends KeyResultEvaluation {
  id: string;
  objectiveId: string;
  externalKey: string | null;
  position: number;
  owner: { id: string; name: string } | null;
  title: string;
  kind: KeyResultDefinition['kind'];
  unit: KeyResultDefinition['unit'];
  direction: KeyResultDefinition['direction'];
  start: number | null;
  target: number | null;
  baseline: KeyResultDefinition['baseline'];
  metric: KeyResultDefinition['metric'];
  checklist: { title: string; done: boolean }[];
  guardrail: KeyResultDefinition['guardrail'];
  weight: number;
  trackingNote: string | null;
  carriedFromKeyResultId: string | null;
  /** Where `current` came from: the metric layer, or the latest check-in. */
  valueSource: 'metric' | 'checkins';
  /** Why a metric-bound value could not be read (then `current` is the latest check-in). */
  metricError: { reason: string; message: string } | null;
  /** Frozen at the cycle's close. */
  finalScore: number | null;
  lastCheckin: { at: string; date: string; confidence: number | null; note: string | null; blockers: string | null; author: string | null } | null;
  /** The definition was revised after the objective became active. */
  revisionCount: number;
}

export interface ObjectiveView extends ObjectiveRecord, ObjectiveEvaluation {
  /** The score is final: the cycle is over or closed (closed: frozen at close). */
  final: boolean;
  /** The day the scores are read at. */
  asOf: string;
  keyResults: KeyResultView[];
}

interface LoadedKeyResults {
  byObjective: Map<string, KeyResultRecord[]>;
  daily: Map<string, DailyValue[]>;
  revisions: Map<string, RevisionEntry[]>;
  checklists: Map<string, { date: string; at: string; done: boolean[] }[]>;
  lastCheckins: Map<string, KeyResultView['lastCheckin']>;
}

async function loadKeyResults(scope: TenantScope, objectiveIds: readonly string[]): Promise<LoadedKeyResults> {
  const krs = await listKeyResults(scope, objectiveIds);
  const ids = krs.map((k) => k.id);
  // One connection per transaction: queries run one after the other.
  const daily = await listDailyValues(scope, ids);
  const revisions = await listRevisions(scope, ids);
  const checklists = await listChecklistStates(scope, ids);
  const last = ids.length === 0
    ? []
    : await scope.tx.query<{ key_result_id: string; at: string; value_date: string; confidence: number | null; note: string | null; blockers: string | null; name: string | null }>(
      `SELECT DISTINCT ON (c.key_result_id) c.key_result_id, c.at, c.value_date, c.confidence, c.note, c.blockers, u.name
         FROM okr_checkins c LEFT JOIN users u ON u.id = c.author_user_id
        WHERE c.tenant_id = $1 AND c.key_result_id = ANY($2::uuid[]) ORDER BY c.key_result_id, c.at DESC, c.id`,
      [scope.tenantId, ids],
    );
  const byObjective = new Map<string, KeyResultRecord[]>();
  for (const kr of krs) byObjective.set(kr.objectiveId, [...(byObjective.get(kr.objectiveId) ?? []), kr]);
  const byKr = new Map<string, RevisionEntry[]>();
  for (const r of revisions) byKr.set(r.keyResultId, [...(byKr.get(r.keyResultId) ?? []), r]);
  return {
    byObjective, daily, revisions: byKr, checklists,
    lastCheckins: new Map(last.map((l) => [l.key_result_id, { at: l.at, date: l.value_date, confidence: l.confidence, note: l.note, blockers: l.blockers, author: l.name }])),
  };
}

const ownerOf = (o: ObjectiveRecord): { kind: 'team'; teamId: string } | { kind: 'user'; userId: string } =>
  o.owner.kind === 'team' ? { kind: 'team', teamId: o.owner.id } : { kind: 'user', userId: o.owner.id };

/**
 * Scores objectives and their key results at a day (default today): the definition in effect
 * then (revisions), the values up to then (daily values; metric-bound key results ask the
 * metric layer for the cycle up to that day). Closed objectives show their frozen scores.
 */
export async function evaluateObjectives(scope: TenantScope, records: readonly ObjectiveRecord[], context: ReadContext, options: { asOf?: string | undefined } = {}): Promise<ObjectiveView[]> {
  if (records.length === 0) return [];
  const settings = await getOkrSettings(scope);
  const source = context.source ?? sqlMetricValueSource(scope);
  const cycles = new Map<string, OkrCycle>();
  for (const id of new Set(records.map((r) => r.cycleId))) {
    const cycle = await getCycle(scope, id);
    if (cycle) cycles.set(id, cycle);
  }
  const loaded = await loadKeyResults(scope, records.map((r) => r.id));
  const asOfDay = options.asOf ?? context.today;
  // Revisions made by the end of the asOf day count; reading "now" counts every revision.
  const instant = options.asOf === undefined || options.asOf >= context.today ? context.now : endOfDayInstant(options.asOf);
  const views: ObjectiveView[] = [];
  for (const record of records) {
    const cycle = cycles.get(record.cycleId);
    if (!cycle) throw new Error(`cycle ${record.cycleId} of objective ${record.id} vanished`);
    const last = lastDay(cycle);
    const valuesAsOf = asOfDay > last ? last : asOfDay;
    const closed = record.status === 'closed';
    // Final: frozen at close, or read at the end of a cycle that is over.
    const isFinal = closed || (valuesAsOf >= last && context.today > last);
    const keyResults: KeyResultView[] = [];
    for (const kr of loaded.byObjective.get(record.id) ?? []) {
      const definition = definitionAt(kr.definition, loaded.revisions.get(kr.id) ?? [], instant);
      const daily = loaded.daily.get(kr.id) ?? [];
      let metricValue: number | null | undefined;
      let openPipeline: { amount: number; probability: number }[] | null = null;
      let metricError: KeyResultView['metricError'] = null;
      if (definition.kind === 'metric' && definition.metric && !closed) {
        try {
          const metricScope = scopeOf(definition.metric, ownerOf(record));
          metricValue = metricNumber(await source.valueOf({ metric: definition.metric, period: { start: cycle.start, end: addDays(valuesAsOf, 1) }, scope: metricScope }));
          // Open deals expected to close in the rest of the cycle (sales key results only).
          if (!isFinal && source.openPipelineOf) {
            openPipeline = await source.openPipelineOf({ metric: definition.metric, period: { start: addDays(valuesAsOf, 1), end: addDays(last, 1) }, scope: metricScope });
          }
        } catch (error) {
          if (!(error instanceof MetricUnavailableError)) throw error;
          metricError = { reason: error.reason, message: error.message };
        }
      }
      const states = loaded.checklists.get(kr.id) ?? [];
      const checklistDone = options.asOf === undefined ? kr.checklistDone : (states.filter((s) => s.date <= valuesAsOf).at(-1)?.done ?? []);
      const evaluation = evaluateKeyResult({
        definition, daily, checklistDone, ...(metricValue === undefined ? {} : { metricValue }), openPipeline, cycle, asOf: valuesAsOf, thresholds: settings.pace,
      });
      const frozen = closed && kr.finalScore !== null ? { score: kr.finalScore, band: bandOf(kr.finalScore) } : {};
      keyResults.push({
        ...evaluation,
        ...frozen,
        id: kr.id, objectiveId: kr.objectiveId, externalKey: kr.externalKey, position: kr.position, owner: kr.owner,
        title: definition.title, kind: definition.kind, unit: definition.unit, direction: definition.direction, start: definition.start, target: definition.target,
        baseline: definition.baseline, metric: definition.metric,
        checklist: definition.checklist.map((title, i) => ({ title, done: checklistDone[i] === true })),
        guardrail: definition.guardrail, weight: definition.weight, trackingNote: kr.trackingNote, carriedFromKeyResultId: kr.carriedFromKeyResultId,
        valueSource: metricValue === undefined ? 'checkins' : 'metric', metricError, finalScore: kr.finalScore,
        lastCheckin: loaded.lastCheckins.get(kr.id) ?? null, revisionCount: (loaded.revisions.get(kr.id) ?? []).length,
      });
    }
    const expected = expectedProgress(cycle, valuesAsOf);
    const evaluation = evaluateObjective({
      weighting: record.weighting,
      commitment: record.commitment,
      keyResults: keyResults.map((kr) => ({ evaluation: kr, weight: kr.weight, targetValue: targetWeightOf(kr) })),
      expectedProgress: expected,
      final: isFinal,
      thresholds: settings.pace,
    });
    const frozen = closed && record.finalScore !== null ? { score: record.finalScore, band: bandOf(record.finalScore) } : {};
    views.push({ ...record, ...evaluation, ...frozen, final: isFinal, asOf: valuesAsOf, keyResults });
  }
  return views;
}

export interface ObjectiveSummary {
  id: string;
  title: string;
  status: ObjectiveRecord['status'];
  owner: ObjectiveRecord['owner'];
  score: number;
  band: ObjectiveView['band'];
}

export interface ObjectiveDetail extends ObjectiveView {
  /** Guidance for well-formed OKRs: warnings, never blocks (tunable under OKR settings). */
  warnings: GuidanceWarning[];
  approvals: ApprovalEntry[];
  /** Who may approve it, nearest first (admins always may); never the person who proposed it. */
  approvers: { id: string; name: string }[];
  alignment: {
    parent: (ObjectiveSummary & { keyResult: { id: string; title: string } | null }) | null;
    children: (ObjectiveSummary & { viaKeyResultId: string | null })[];
  };
  /** The owner scored ≥ 0.95 on every aspirational key result in each of their last two closed cycles. */
  ownerProbablySandbagging: boolean;
  /** What the caller may do with it now. */
  can: { edit: boolean; propose: boolean; approve: boolean; delete: boolean; checkIn: boolean };
}

/** The guidance warnings of one objective, read with its owner's other objectives in the cycle. */
export async function guidanceWarnings(scope: TenantScope, record: ObjectiveRecord, settings: OkrSettings): Promise<GuidanceWarning[]> {
  const siblings = await scope.tx.query<{ id: string; title: string }>(
    `SELECT id, title FROM okr_objectives WHERE tenant_id = $1 AND cycle_id = $2 AND (owner_team_id = $3 OR owner_user_id = $3) ORDER BY created_at, id`,
    [scope.tenantId, record.cycleId, record.owner.id],
  );
  const own = await listKeyResults(scope, [record.id]);
  const objectives = [record, ...siblings.filter((s) => s.id !== record.id)].map((o) => ({
    ownerKey: `${record.owner.kind}:${record.owner.id}`,
    title: o.title,
    // Only this objective's key results are checked; the others count towards the owner's total.
    keyResults: o.id === record.id ? own.map((kr) => ({ title: kr.definition.title, measurable: isMeasurable(kr.definition) })) : [],
  }));
  return checkGuidance({ objectives }, settings.guidance)
    .filter((w) => w.path.startsWith('owner:') || w.path === 'objectives.0' || w.path.startsWith('objectives.0.'))
    .map((w) => ({ ...w, path: w.path.startsWith('owner:') ? 'owner' : w.path.replace(/^objectives\.0\.?/, '') || 'objective' }));
}

export function ownerForApproval(org: Org, record: Pick<ObjectiveRecord, 'owner'>): ObjectiveOwner {
  return record.owner.kind === 'team'
    ? { kind: 'team', teamId: record.owner.id }
    : { kind: 'user', userId: record.owner.id, teamId: org.people.find((p) => p.userId === record.owner.id)?.teamId ?? null };
}

/** Whether the viewer is an insider of the objective (owner, contributor, owning team, a manager above, admin). */
export async function isInsider(scope: TenantScope, objectiveId: string, viewer: Viewer): Promise<boolean> {
  const p = new Params(scope.tenantId);
  const id = p.add(objectiveId);
  const rows = await scope.tx.query(`SELECT 1 FROM okr_objectives o WHERE o.tenant_id = $1 AND o.id = ${id}::uuid AND ${insiderSql('o', viewer, p)}`, p.values);
  return rows.length > 0;
}

const summaryOf = (v: ObjectiveView): ObjectiveSummary => ({ id: v.id, title: v.title, status: v.status, owner: v.owner, score: v.score, band: v.band });

/** The sandbagging flag of an owner (team or person), from the final key-result scores of their closed cycles. */
export async function isOwnerSandbagging(scope: TenantScope, owner: { kind: 'team' | 'user'; id: string }): Promise<boolean> {
  const rows = await scope.tx.query<{ start_date: string; commitment: 'committed' | 'aspirational'; final_score: string }>(
    `SELECT c.start_date, o.commitment, k.final_score
       FROM okr_key_results k
       JOIN okr_objectives o ON o.tenant_id = k.tenant_id AND o.id = k.objective_id
       JOIN okr_cycles c ON c.tenant_id = o.tenant_id AND c.id = o.cycle_id
      WHERE k.tenant_id = $1 AND c.status = 'closed' AND c.kind = 'quarter' AND k.final_score IS NOT NULL
        AND ${owner.kind === 'team' ? 'o.owner_team_id' : 'o.owner_user_id'} = $2`,
    [scope.tenantId, owner.id],
  );
  const byCycle = new Map<string, { commitment: 'committed' | 'aspirational'; score: number }[]>();
  for (const r of rows) byCycle.set(r.start_date, [...(byCycle.get(r.start_date) ?? []), { commitment: r.commitment, score: Number(r.final_score) }]);
  return ownerSandbagging([...byCycle.entries()].map(([cycleStart, keyResults]) => ({ cycleStart, keyResults })));
}

/** One objective with everything its page shows. Null when it does not exist or the viewer may not see it. */
export async function getObjectiveDetail(
  scope: TenantScope,
  id: string,
  viewer: Viewer,
  context: ReadContext & { permissions: { write: boolean; approve: boolean } },
  options: { asOf?: string | undefined } = {},
): Promise<ObjectiveDetail | null> {
  const record = await getObjectiveRecord(scope, id, viewer);
  if (!record) return null;
  const [view] = await evaluateObjectives(scope, [record], context, options);
  if (!view) return null;
  const settings = await getOkrSettings(scope);
  const org = await loadOrg(scope);
  const approverIds = approversOf(org.teams, ownerForApproval(org, record));
  const names = new Map(org.people.map((p) => [p.userId, p.name]));
  let parent: ObjectiveDetail['alignment']['parent'] = null;
  if (record.parent) {
    const parentObjectiveId = record.parent.objectiveId ?? (await scope.tx.query<{ objective_id: string }>(
      'SELECT objective_id FROM okr_key_results WHERE tenant_id = $1 AND id = $2', [scope.tenantId, record.parent.keyResultId],
    ))[0]?.objective_id;
    const parentRecord = parentObjectiveId ? await getObjectiveRecord(scope, parentObjectiveId, viewer) : null;
    if (parentRecord) {
      const [parentView] = await evaluateObjectives(scope, [parentRecord], context, options);
      if (parentView) {
        const kr = parentView.keyResults.find((k) => k.id === record.parent?.keyResultId);
        parent = { ...summaryOf(parentView), keyResult: kr ? { id: kr.id, title: kr.title } : null };
      }
    }
  }
  const childRecords = await listObjectiveRecords(scope, viewer, { parentObjectiveId: record.id, limit: 200 });
  const children = (await evaluateObjectives(scope, childRecords.items, context, options)).map((c) => ({ ...summaryOf(c), viaKeyResultId: c.parent?.keyResultId ?? null }));
  const insider = await isInsider(scope, record.id, viewer);
  const cycle = await getCycle(scope, record.cycleId);
  const open = cycle?.status === 'open';
  const proposer = view.status === 'proposed' ? [...(await listApprovals(scope, record.id))].reverse().find((a) => a.action === 'proposed')?.actor.id ?? null : null;
  const mayApprove = context.permissions.approve && view.status === 'proposed' && open && proposer !== viewer.userId
    && (viewer.isAdmin || (viewer.userId !== null && approverIds.includes(viewer.userId)));
  return {
    ...view,
    warnings: await guidanceWarnings(scope, record, settings),
    approvals: await listApprovals(scope, record.id),
    approvers: approverIds.map((userId) => ({ id: userId, name: names.get(userId) ?? '' })),
    alignment: { parent, children },
    ownerProbablySandbagging: await isOwnerSandbagging(scope, record.owner),
    can: {
      edit: context.permissions.write && insider && open && view.status !== 'closed',
      propose: context.permissions.write && insider && open && view.status === 'draft',
      approve: mayApprove,
      delete: context.permissions.write && insider && view.status === 'draft',
      checkIn: context.permissions.write && insider && open && view.status !== 'closed',
    },
  };
}

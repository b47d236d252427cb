import { effectiveCheckinCadence } from './teams.js';
import { randomUUID } from 'node:crypto';
import { buildAlignmentTree, type AlignmentNode } from '../../core/okr/alignment.js';
import { changeSince, compareForMeeting, type MeetingChange } from '../../core/okr/checkin.js';
import { evaluateKeyResult, lastDay, type DailyValue } from '../../core/okr/key-result.js';
import type { PaceStatus } from '../../core/okr/pace.js';
import { summariseRetrospective, type RetrospectiveSummary } from '../../core/okr/retrospective.js';
import type { Expectation } from '../../core/okr/scoring.js';
import { addDays, periodContaining } from '../../core/period.js';
import type { TenantScope } from '../store.js';
import { recordAudit } from './audit.js';
import { forbidden, invalid, loadOrg, notFound, type Viewer } from './okr-common.js';
import { getCycleByKey, requireCycle, type OkrCycle } from './okr-cycles.js';
import { fiscalCalendarOf } from './tenants.js';
import { listCheckins, listRevisions, type CheckinRecord } from './okr-key-results.js';
import { listObjectiveRecords, type ObjectiveRecord } from './okr-objectives.js';
import { evaluateObjectives, isOwnerSandbagging, type ObjectiveView, type ReadContext } from './okr-read.js';
import { getOkrSettings } from './okr-settings.js';
import { definitionAt } from '../../core/okr/revision.js';

// --- alignment ------------------------------------------------------------------------------

export interface AlignedObjective {
  id: string;
  title: string;
  status: ObjectiveRecord['status'];
  commitment: ObjectiveRecord['commitment'];
  visibility: ObjectiveRecord['visibility'];
  owner: ObjectiveRecord['owner'];
  parent: ObjectiveRecord['parent'];
  score: number;
  band: ObjectiveView['band'];
  paceStatus: PaceStatus;
  keyResultCount: number;
  atRiskKeyResults: number;
}

export interface AlignmentView {
  cycle: OkrCycle;
  roots: AlignmentViewNode[];
  unassigned: { userId: string; name: string; objectives: AlignedObjective[] }[];
}

export interface AlignmentViewNode extends Omit<AlignmentNode<AlignedObjective>, 'children'> {
  children: AlignmentViewNode[];
  summary: NodeSummary;
}

interface NodeSummary {
  /** Objectives of the team, its people and every team below. */
  objectiveCount: number;
  averageScore: number;
  atRisk: number;
}

function summarise(node: AlignmentNode<AlignedObjective>): AlignmentViewNode {
  const children = node.children.map(summarise);
  // Drafts and proposals are plans, not results: the summary counts approved objectives only.
  const own = [...node.objectives, ...node.people.flatMap((p) => p.objectives)].filter((o) => o.status === 'active' || o.status === 'closed');
  const count = own.length + children.reduce((n, c) => n + c.summary.objectiveCount, 0);
  const total = own.reduce((s, o) => s + o.score, 0) + children.reduce((s, c) => s + c.summary.averageScore * c.summary.objectiveCount, 0);
  const atRisk = own.filter((o) => o.paceStatus === 'at_risk').length + children.reduce((n, c) => n + c.summary.atRisk, 0);
  return { ...node, children, summary: { objectiveCount: count, averageScore: count === 0 ? 0 : Math.round((total / count) * 10_000) / 10_000, atRisk } };
}

const aligned = (v: ObjectiveView): AlignedObjective => ({
  id: v.id, title: v.title, status: v.status, commitment: v.commitment, visibility: v.visibility, owner: v.owner, parent: v.parent,
  score: v.score, band: v.band, paceStatus: v.paceStatus, keyResultCount: v.keyResults.length,
  atRiskKeyResults: v.keyResults.filter((k) => k.paceStatus === 'at_risk').length,
});

/** Company → teams → people, each with the objectives (visible to the caller) of one cycle and their scores. */
export async function alignmentView(scope: TenantScope, cycleId: string, viewer: Viewer, context: ReadContext): Promise<AlignmentView> {
  const cycle = await requireCycle(scope, cycleId);
  const records = await listObjectiveRecords(scope, viewer, { cycleId, limit: 5000 });
  const views = await evaluateObjectives(scope, records.items, context);
  const org = await loadOrg(scope);
  const tree = buildAlignmentTree({ teams: org.teams, people: org.people, objectives: views.map(aligned) });
  return { cycle, roots: tree.roots.map(summarise), unassigned: tree.unassigned };
}

/** The cycle (quarter) that contains a day, if the workspace has one. */
export async function currentCycle(scope: TenantScope, today: string): Promise<OkrCycle | null> {
  const quarter = periodContaining('quarter', today, await fiscalCalendarOf(scope));
  return getCycleByKey(scope, quarter.key);
}

// --- check-in meeting -------------------------------------------------------------------------

export interface MeetingItem {
  objective: { id: string; title: string; owner: ObjectiveRecord['owner']; status: ObjectiveRecord['status'] };
  keyResult: { id: string; title: string; kind: string; unit: string; start: number | null; target: number | null; owner: { id: string; name: string } | null };
  paceStatus: PaceStatus;
  change: MeetingChange;
  confidence: number | null;
  /** Check-ins since the last meeting, newest first: their notes and blockers are the agenda. */
  checkinsSince: CheckinRecord[];
  /** No check-in within the team's cadence. */
  overdue: boolean;
}

export interface MeetingView {
  team: { id: string; name: string };
  /** The team's check-in cadence in days (its own, a team's above, or the workspace's). */
  cadenceDays: number;
  cycle: OkrCycle;
  /** What "changed" is measured from: the last meeting, or (without one) each key result's previous check-in. */
  since: string | null;
  lastMeeting: { id: string; heldAt: string; notes: string; by: string | null } | null;
  items: MeetingItem[];
  summary: { atRisk: number; behind: number; onTrack: number; notStarted: number; changed: number; overdue: number };
}

/** Daily values as they stood at an instant: from the check-ins recorded by then (the latest of each day). */
function dailyAt(checkins: readonly CheckinRecord[], instant: string | null): DailyValue[] {
  const byDay = new Map<string, { at: string; value: number }>();
  for (const c of checkins) {
    if (c.value === null || (instant !== null && c.at > instant)) continue;
    const seen = byDay.get(c.date);
    if (!seen || seen.at <= c.at) byDay.set(c.date, { at: c.at, value: c.value });
  }
  return [...byDay.entries()].map(([date, v]) => ({ date, value: v.value }));
}

/**
 * A team's check-in meeting: every key result of the team's objectives and of its people's,
 * what changed since the last meeting (value, score delta, the check-ins' notes and blockers),
 * at-risk items first.
 */
export async function meetingView(scope: TenantScope, teamId: string, query: { cycleId?: string | undefined; since?: string | undefined }, viewer: Viewer, context: ReadContext): Promise<MeetingView> {
  const [team] = await scope.tx.query<{ id: string; name: string }>('SELECT id, name FROM teams WHERE tenant_id = $1 AND id = $2', [scope.tenantId, teamId]);
  if (!team) throw notFound('Team');
  const cycle = query.cycleId ? await requireCycle(scope, query.cycleId) : await currentCycle(scope, context.today);
  if (!cycle) throw invalid('query.cycleId', 'No cycle covers today: name one');
  const settings = await getOkrSettings(scope);
  const [meeting] = await scope.tx.query<{ id: string; held_at: string; notes: string; name: string | null }>(
    `SELECT m.id, m.held_at, m.notes, u.name FROM okr_meetings m LEFT JOIN users u ON u.id = m.created_by
      WHERE m.tenant_id = $1 AND m.team_id = $2 AND m.cycle_id = $3 ORDER BY m.held_at DESC LIMIT 1`,
    [scope.tenantId, teamId, cycle.id],
  );
  const since = query.since ?? meeting?.held_at ?? null;
  const records = (await listObjectiveRecords(scope, viewer, { cycleId: cycle.id, teamIds: [teamId], limit: 1000 })).items.filter((r) => r.status !== 'draft');
  const views = await evaluateObjectives(scope, records, context);
  const krIds = views.flatMap((v) => v.keyResults.map((k) => k.id));
  const checkins = await listCheckins(scope, krIds);
  const revisions = await listRevisions(scope, krIds);
  const byKr = new Map<string, CheckinRecord[]>();
  for (const c of checkins) byKr.set(c.keyResultId, [...(byKr.get(c.keyResultId) ?? []), c]);
  const last = lastDay(cycle);
  const cadenceDays = (await effectiveCheckinCadence(scope, teamId)) ?? settings.checkinCadenceDays;
  // A key result is overdue only a cadence after its objective became active (approved), or the cycle began.
  const approvals = views.length === 0 ? [] : await scope.tx.query<{ objective_id: string; at: string }>(
    `SELECT objective_id, max(at) AS at FROM okr_approvals WHERE tenant_id = $1 AND objective_id = ANY($2::uuid[]) AND action = 'approved' GROUP BY objective_id`,
    [scope.tenantId, views.map((v) => v.id)],
  );
  const activeSince = new Map(approvals.map((a) => [a.objective_id, a.at.slice(0, 10)]));
  const overdueBefore = addDays(context.today, -cadenceDays);
  const items: MeetingItem[] = [];
  for (const view of views) {
    for (const kr of view.keyResults) {
      const mine = byKr.get(kr.id) ?? [];
      // Without a meeting: compare with the state before the latest check-in.
      const cutoff = since ?? (mine[0] ? new Date(Date.parse(mine[0].at) - 1).toISOString() : null);
      const before = cutoff === null ? [] : mine.filter((c) => c.at <= cutoff);
      let previous: { value: number | null; score: number } | null = null;
      if (before.length > 0 && cutoff !== null) {
        const day = cutoff.slice(0, 10);
        const asOf = day > last ? last : day < cycle.start ? cycle.start : day;
        const definition = definitionAt(
          { title: kr.title, kind: kr.kind, unit: kr.unit, direction: kr.direction, start: kr.start, target: kr.target, baseline: kr.baseline, metric: kr.metric,
            checklist: kr.checklist.map((c) => c.title), guardrail: kr.guardrail, weight: kr.weight },
          revisions.filter((r) => r.keyResultId === kr.id), cutoff,
        );
        const evaluation = evaluateKeyResult({
          definition, daily: dailyAt(before, cutoff), checklistDone: before.find((c) => c.checklistDone !== null)?.checklistDone ?? null,
          cycle, asOf, thresholds: settings.pace,
        });
        previous = { value: evaluation.current, score: evaluation.score };
      }
      const since_ = since === null ? mine.slice(0, 1) : mine.filter((c) => c.at > since);
      items.push({
        objective: { id: view.id, title: view.title, owner: view.owner, status: view.status },
        keyResult: { id: kr.id, title: kr.title, kind: kr.kind, unit: kr.unit, start: kr.start, target: kr.target, owner: kr.owner },
        paceStatus: kr.paceStatus,
        change: changeSince(previous, { value: kr.current, score: kr.score }),
        confidence: mine.find((c) => c.confidence !== null)?.confidence ?? null,
        checkinsSince: since_,
        overdue: view.status === 'active' && (mine[0] === undefined || mine[0].at.slice(0, 10) < overdueBefore)
          && context.today >= addDays(maxDay(cycle.start, activeSince.get(view.id) ?? cycle.start), cadenceDays),
      });
    }
  }
  items.sort(compareForMeeting);
  const count = (s: PaceStatus) => items.filter((i) => i.paceStatus === s).length;
  return {
    team, cycle, since, cadenceDays,
    lastMeeting: meeting ? { id: meeting.id, heldAt: meeting.held_at, notes: meeting.notes, by: meeting.name } : null,
    items,
    summary: {
      atRisk: count('at_risk'), behind: count('behind'), onTrack: count('on_track'), notStarted: count('not_started'),
      changed: items.filter((i) => i.change.changed).length, overdue: items.filter((i) => i.overdue).length,
    },
  };
}

const maxDay = (a: string, b: string): string => (a > b ? a : b);

function mayRunTeam(viewer: Viewer, teamId: string): boolean {
  return viewer.isAdmin || viewer.memberTeamIds.includes(teamId) || viewer.managedTeamIds.includes(teamId);
}

/** Records that a team met (with its notes): the next meeting view shows what changed since. */
export async function recordMeeting(scope: TenantScope, teamId: string, input: { cycleId: string; notes: string }, viewer: Viewer): Promise<{ id: string; heldAt: string; notes: string }> {
  const [team] = await scope.tx.query('SELECT 1 FROM teams WHERE tenant_id = $1 AND id = $2', [scope.tenantId, teamId]);
  if (!team) throw notFound('Team');
  const cycle = await requireCycle(scope, input.cycleId).catch(() => {
    throw invalid('body.cycleId', 'No cycle with this id in this workspace');
  });
  if (!mayRunTeam(viewer, teamId)) throw forbidden("Only the team's members and the managers above it record its meetings");
  const id = randomUUID();
  const [row] = await scope.tx.query<{ held_at: string }>(
    'INSERT INTO okr_meetings (tenant_id, id, team_id, cycle_id, notes, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING held_at',
    [scope.tenantId, id, teamId, cycle.id, input.notes, scope.actor.userId],
  );
  const meeting = { id, heldAt: row?.held_at ?? '', notes: input.notes };
  await recordAudit(scope, { action: 'okr_meeting.recorded', entityType: 'team', entityId: teamId, after: { ...meeting, cycleId: cycle.id } });
  return meeting;
}

// --- retrospective ------------------------------------------------------------------------------

export type OwnerRef = { kind: 'team' | 'user'; id: string };

export interface RetrospectiveView {
  cycle: OkrCycle;
  owner: OwnerRef & { name: string };
  /** The cycle is closed: the scores are final and frozen. */
  final: boolean;
  objectives: {
    id: string;
    title: string;
    commitment: ObjectiveRecord['commitment'];
    status: ObjectiveRecord['status'];
    score: number;
    band: ObjectiveView['band'];
    expectation: Expectation;
    selfAssessment: string | null;
    keyResults: { id: string; title: string; score: number; band: ObjectiveView['band']; current: number | null; target: number | null; unfinished: boolean; carriedTo: { keyResultId: string; objectiveId: string; cycleKey: string }[] }[];
  }[];
  summary: RetrospectiveSummary;
  learnings: string;
  learningsUpdatedAt: string | null;
  probablySandbagging: boolean;
  /** The cycle that follows (same kind), when it exists: where unfinished key results can be carried. */
  nextCycle: { id: string; key: string } | null;
}

async function ownerName(scope: TenantScope, owner: OwnerRef): Promise<string> {
  const [row] = owner.kind === 'team'
    ? await scope.tx.query<{ name: string }>('SELECT name FROM teams WHERE tenant_id = $1 AND id = $2', [scope.tenantId, owner.id])
    : await scope.tx.query<{ name: string }>('SELECT u.name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1 AND m.user_id = $2', [scope.tenantId, owner.id]);
  if (!row) throw notFound(owner.kind === 'team' ? 'Team' : 'Member');
  return row.name;
}

/** One owner's retrospective of a cycle: scores against expectation, learnings, what to carry over. */
export async function retrospectiveView(scope: TenantScope, cycleId: string, owner: OwnerRef, viewer: Viewer, context: ReadContext): Promise<RetrospectiveView> {
  const cycle = await requireCycle(scope, cycleId);
  const name = await ownerName(scope, owner);
  const records = (await listObjectiveRecords(scope, viewer, { cycleId, ...(owner.kind === 'user' ? { ownerUserId: owner.id } : {}), limit: 1000 })).items
    .filter((r) => r.owner.kind === owner.kind && r.owner.id === owner.id && r.status !== 'draft');
  const views = (await evaluateObjectives(scope, records, context)).filter((v) => v.status !== 'closed' || v.finalScore !== null);
  const krIds = views.flatMap((v) => v.keyResults.map((k) => k.id));
  const carried = krIds.length === 0 ? [] : await scope.tx.query<{ id: string; objective_id: string; carried_from_key_result_id: string; key: string }>(
    `SELECT k.id, k.objective_id, k.carried_from_key_result_id, c.key FROM okr_key_results k
       JOIN okr_objectives o ON o.tenant_id = k.tenant_id AND o.id = k.objective_id
       JOIN okr_cycles c ON c.tenant_id = o.tenant_id AND c.id = o.cycle_id
      WHERE k.tenant_id = $1 AND k.carried_from_key_result_id = ANY($2::uuid[])`,
    [scope.tenantId, krIds],
  );
  const summary = summariseRetrospective(views.map((v) => ({ id: v.id, commitment: v.commitment, score: v.score, keyResults: v.keyResults.map((k) => ({ id: k.id, score: k.score })) })));
  const [learnings] = await scope.tx.query<{ learnings: string; updated_at: string }>(
    'SELECT learnings, updated_at FROM okr_retrospectives WHERE tenant_id = $1 AND cycle_id = $2 AND owner_kind = $3 AND owner_id = $4',
    [scope.tenantId, cycleId, owner.kind, owner.id],
  );
  const [next] = await scope.tx.query<{ id: string; key: string }>(
    'SELECT id, key FROM okr_cycles WHERE tenant_id = $1 AND kind = $2 AND start_date = $3',
    [scope.tenantId, cycle.kind, cycle.end],
  );
  return {
    cycle,
    owner: { ...owner, name },
    final: cycle.status === 'closed',
    objectives: views.map((v) => ({
      id: v.id, title: v.title, commitment: v.commitment, status: v.status, score: v.score, band: v.band,
      expectation: summary.objectives.find((o) => o.id === v.id)?.expectation ?? { verdict: 'low', needsExplanation: false },
      selfAssessment: v.selfAssessment,
      keyResults: v.keyResults.map((k) => ({
        id: k.id, title: k.title, score: k.score, band: k.band, current: k.current, target: k.target, unfinished: k.score < 1,
        carriedTo: carried.filter((c) => c.carried_from_key_result_id === k.id).map((c) => ({ keyResultId: c.id, objectiveId: c.objective_id, cycleKey: c.key })),
      })),
    })),
    summary,
    learnings: learnings?.learnings ?? '',
    learningsUpdatedAt: learnings?.updated_at ?? null,
    probablySandbagging: await isOwnerSandbagging(scope, owner),
    nextCycle: next ?? null,
  };
}

/** The owner, their team, and the managers above them write an owner's learnings. */
export async function saveLearnings(scope: TenantScope, cycleId: string, owner: OwnerRef, learnings: string, viewer: Viewer): Promise<void> {
  await requireCycle(scope, cycleId);
  await ownerName(scope, owner);
  let allowed = viewer.isAdmin || (owner.kind === 'user' && owner.id === viewer.userId);
  if (!allowed && owner.kind === 'team') allowed = mayRunTeam(viewer, owner.id);
  if (!allowed && owner.kind === 'user') {
    const [row] = await scope.tx.query<{ team_id: string | null }>('SELECT team_id FROM payees WHERE tenant_id = $1 AND user_id = $2', [scope.tenantId, owner.id]);
    allowed = row?.team_id !== null && row?.team_id !== undefined && viewer.managedTeamIds.includes(row.team_id);
  }
  if (!allowed) throw forbidden("Only the owner, the owner's team and the managers above write these learnings");
  const [before] = await scope.tx.query<{ learnings: string }>(
    'SELECT learnings FROM okr_retrospectives WHERE tenant_id = $1 AND cycle_id = $2 AND owner_kind = $3 AND owner_id = $4',
    [scope.tenantId, cycleId, owner.kind, owner.id],
  );
  await scope.tx.query(
    `INSERT INTO okr_retrospectives (tenant_id, cycle_id, owner_kind, owner_id, learnings, updated_by) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, cycle_id, owner_kind, owner_id) DO UPDATE SET learnings = EXCLUDED.learnings, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [scope.tenantId, cycleId, owner.kind, owner.id, learnings, scope.actor.userId],
  );
  await recordAudit(scope, {
    action: 'okr_retrospective.updated', entityType: 'okr_retrospective', entityId: `${cycleId}:${owner.kind}:${owner.id}`,
    before: before ?? null, after: { learnings },
  });
}

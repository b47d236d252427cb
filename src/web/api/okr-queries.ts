// Server state of the OKR area: cycles, objectives, key results, check-ins, comments, templates
// and the views (alignment, meeting, retrospective). Shapes follow the zod schemas of
// src/server/routes/okr-shared.ts, okrs.ts and okr-objectives.ts.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { ItemList, Locale, Page } from './types';

export type OkrBand = 'red' | 'yellow' | 'green';
export type PaceStatus = 'on_track' | 'behind' | 'at_risk' | 'not_started';
export type ObjectiveStatus = 'draft' | 'proposed' | 'active' | 'closed';
export const OBJECTIVE_STATUSES = ['draft', 'proposed', 'active', 'closed'] as const satisfies readonly ObjectiveStatus[];
export type OkrCategory = 'revenue' | 'customer' | 'product' | 'process' | 'team';
export const OKR_CATEGORIES = ['revenue', 'customer', 'product', 'process', 'team'] as const satisfies readonly OkrCategory[];
export type Commitment = 'committed' | 'aspirational';
export type Visibility = 'tenant' | 'private';
export type Weighting = 'equal' | 'explicit' | 'target_value';
export type KeyResultKind = 'metric' | 'number' | 'percent' | 'currency' | 'milestone' | 'checklist' | 'guardrail';
export const KEY_RESULT_KINDS = ['metric', 'number', 'percent', 'currency', 'milestone', 'checklist', 'guardrail'] as const satisfies readonly KeyResultKind[];
export type KeyResultUnit = 'count' | 'money' | 'percent' | 'days' | 'hours' | 'number';
export const KEY_RESULT_UNITS = ['count', 'money', 'percent', 'days', 'hours', 'number'] as const satisfies readonly KeyResultUnit[];
export type Direction = 'increase' | 'decrease';
export type ExpectationVerdict = 'met' | 'missed' | 'healthy' | 'low' | 'too_easy';

export interface OwnerRef {
  kind: 'team' | 'user';
  id: string;
  name: string;
}
export interface PersonRef {
  id: string;
  name: string;
}
export interface NullablePerson {
  id: string | null;
  name: string | null;
}

export interface OkrCycle {
  id: string;
  key: string;
  kind: 'quarter' | 'year';
  start: string;
  /** Exclusive. */
  end: string;
  parentCycleId: string | null;
  status: 'open' | 'closed';
  closedAt: string | null;
  closedBy: string | null;
  objectiveCount: number;
}

export interface Baseline {
  period: 'previous_period' | 'same_period_last_year';
  changePercent: number;
}

export interface KeyResult {
  id: string;
  objectiveId: string;
  externalKey: string | null;
  position: number;
  owner: PersonRef | null;
  title: string;
  kind: KeyResultKind;
  unit: KeyResultUnit;
  direction: Direction;
  start: number | null;
  target: number | null;
  baseline: Baseline | null;
  metric: { key: string; version: number | null; parameters: Record<string, string> } | null;
  checklist: { title: string; done: boolean }[];
  guardrail: { mode: 'stay_above' | 'stay_below'; limit: number } | null;
  weight: number;
  trackingNote: string | null;
  carriedFromKeyResultId: string | null;
  current: number | null;
  valueSource: 'metric' | 'checkins';
  metricError: { reason: string; message: string } | null;
  score: number;
  raw: number;
  overAchievement: number;
  hasValue: boolean;
  band: OkrBand;
  expectedProgress: number;
  expectedValue: number | null;
  paceStatus: PaceStatus;
  projected: number | null;
  projectedFromPipeline: number | null;
  targetReached: boolean;
  finalScore: number | null;
  lastCheckin: { at: string; date: string; confidence: number | null; note: string | null; blockers: string | null; author: string | null } | null;
  revisionCount: number;
}

export interface Expectation {
  verdict: ExpectationVerdict;
  needsExplanation: boolean;
}

export interface Objective {
  id: string;
  cycleId: string;
  cycleKey: string;
  externalKey: string | null;
  title: string;
  description: string;
  category: OkrCategory;
  owner: OwnerRef;
  commitment: Commitment;
  status: ObjectiveStatus;
  visibility: Visibility;
  parent: { objectiveId: string | null; keyResultId: string | null } | null;
  weighting: Weighting;
  templateId: string | null;
  carriedFromObjectiveId: string | null;
  finalScore: number | null;
  selfAssessment: string | null;
  contributors: PersonRef[];
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  score: number;
  band: OkrBand;
  expectedProgress: number;
  paceStatus: PaceStatus;
  expectation: Expectation | null;
  final: boolean;
  asOf: string;
  keyResults: KeyResult[];
}

export interface OkrWarning {
  code: string;
  path: string;
  params: Record<string, string | number>;
}

interface ObjectiveSummary {
  id: string;
  title: string;
  status: ObjectiveStatus;
  owner: OwnerRef;
  score: number;
  band: OkrBand;
}

export interface ObjectiveDetail extends Objective {
  warnings: OkrWarning[];
  approvals: { id: string; action: 'proposed' | 'approved' | 'rejected'; actor: NullablePerson; note: string | null; at: string }[];
  approvers: PersonRef[];
  alignment: {
    parent: (ObjectiveSummary & { keyResult: { id: string; title: string } | null }) | null;
    children: (ObjectiveSummary & { viaKeyResultId: string | null })[];
  };
  ownerProbablySandbagging: boolean;
  can: { edit: boolean; propose: boolean; approve: boolean; delete: boolean; checkIn: boolean };
}

export interface Checkin {
  id: string;
  keyResultId: string;
  date: string;
  value: number | null;
  checklistDone: boolean[] | null;
  confidence: number | null;
  note: string | null;
  blockers: string | null;
  source: 'manual' | 'metric' | 'import' | 'close';
  author: NullablePerson;
  at: string;
}

export interface CheckinHistory {
  items: Checkin[];
  series: { date: string; value: number; expected: number | null }[];
  expectedLine: { date: string; value: number }[] | null;
}

export interface CheckinResult {
  checkin: Checkin;
  keyResult: KeyResult;
  objective: { id: string; score: number; band: OkrBand };
  celebrate: boolean;
}

export interface Revision {
  id: string;
  at: string;
  author: NullablePerson;
  reason: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  changed: string[];
}

export interface OkrComment {
  id: string;
  objectiveId: string;
  keyResultId: string | null;
  kind: 'comment' | 'kudos';
  body: string;
  author: NullablePerson;
  createdAt: string;
}

export interface Label {
  en: string;
  de: string;
}

export interface OkrTemplate {
  id: string;
  category: OkrCategory;
  commitment: Commitment;
  title: Label;
  description: Label;
  keyResults: {
    title: Label;
    kind: KeyResultKind;
    direction: Direction;
    unit: KeyResultUnit;
    target: number | null;
    start: number | null;
    relative: { baseline: Baseline['period']; changePercent: number } | null;
    metric: { key: string; parameters: string[] } | null;
    trackingNote: Label | null;
    checklist: Label[] | null;
  }[];
}

export interface AlignedObjective {
  id: string;
  title: string;
  status: ObjectiveStatus;
  commitment: Commitment;
  visibility: Visibility;
  owner: OwnerRef;
  parent: { objectiveId: string | null; keyResultId: string | null } | null;
  score: number;
  band: OkrBand;
  paceStatus: PaceStatus;
  keyResultCount: number;
  atRiskKeyResults: number;
}

export interface AlignmentPerson {
  userId: string;
  name: string;
  objectives: AlignedObjective[];
}

export interface AlignmentNode {
  team: { id: string; name: string; kind: 'company' | 'region' | 'team'; parentId: string | null; managerUserId: string | null };
  objectives: AlignedObjective[];
  people: AlignmentPerson[];
  children: AlignmentNode[];
  summary: { objectiveCount: number; averageScore: number; atRisk: number };
}

export interface AlignmentView {
  cycle: OkrCycle;
  roots: AlignmentNode[];
  unassigned: AlignmentPerson[];
}

export interface MeetingItem {
  objective: { id: string; title: string; owner: OwnerRef; status: ObjectiveStatus };
  keyResult: { id: string; title: string; kind: KeyResultKind; unit: KeyResultUnit; start: number | null; target: number | null; owner: PersonRef | null };
  paceStatus: PaceStatus;
  change: { previousValue: number | null; currentValue: number | null; previousScore: number | null; score: number; scoreDelta: number; changed: boolean };
  confidence: number | null;
  checkinsSince: Checkin[];
  overdue: boolean;
}

export interface MeetingView {
  team: { id: string; name: string };
  /** The team's check-in cadence in days (its own, inherited, or the workspace's); older servers leave it out. */
  cadenceDays?: number;
  cycle: OkrCycle;
  since: string | null;
  lastMeeting: { id: string; heldAt: string; notes: string; by: string | null } | null;
  items: MeetingItem[];
  summary: { atRisk: number; behind: number; onTrack: number; notStarted: number; changed: number; overdue: number };
}

export interface Retrospective {
  cycle: OkrCycle;
  owner: OwnerRef;
  final: boolean;
  objectives: {
    id: string;
    title: string;
    commitment: Commitment;
    status: ObjectiveStatus;
    score: number;
    band: OkrBand;
    expectation: Expectation;
    selfAssessment: string | null;
    keyResults: {
      id: string;
      title: string;
      score: number;
      band: OkrBand;
      current: number | null;
      target: number | null;
      unfinished: boolean;
      carriedTo: { keyResultId: string; objectiveId: string; cycleKey: string }[];
    }[];
  }[];
  summary: {
    averageScore: number;
    committedMet: number;
    committedMissed: number;
    aspirationalHealthy: number;
    unfinishedKeyResultIds: string[];
  };
  learnings: string;
  learningsUpdatedAt: string | null;
  probablySandbagging: boolean;
  nextCycle: { id: string; key: string } | null;
}

export interface OkrSettings {
  guidance: {
    objectivesPerOwner: { min: number; max: number };
    keyResultsPerObjective: { min: number; max: number };
    checkOutcomeWording: boolean;
  };
  pace: { onTrackGap: number; atRiskGap: number };
  checkinCadenceDays: number;
}

export interface CloseCycleResult {
  cycle: OkrCycle;
  objectives: { id: string; title: string; status: 'closed'; finalScore: number | null; wasActive: boolean }[];
  metricErrors: { keyResultId: string; message: string }[];
  probablySandbagging: OwnerRef[];
}

// --- inputs ----------------------------------------------------------------------------------

export interface KeyResultInput {
  title: string;
  kind: KeyResultKind;
  unit?: KeyResultUnit;
  direction?: Direction;
  start?: number | null;
  target?: number | null;
  /** Money key results: the target is the owner's quota for the cycle (quota planning). */
  targetFromQuota?: boolean;
  weight?: number;
  ownerUserId?: string | null;
  metric?: { key: string; parameters?: Record<string, string> } | null;
  checklist?: string[];
  guardrail?: { mode: 'stay_above' | 'stay_below'; limit: number } | null;
  trackingNote?: string | null;
}

export interface ObjectiveCreateInput {
  cycleId: string;
  owner: { kind: 'team' | 'user'; id: string };
  title?: string;
  description?: string;
  category?: OkrCategory;
  commitment?: Commitment;
  visibility?: Visibility;
  parent?: { objectiveId?: string; keyResultId?: string } | null;
  keyResults?: KeyResultInput[];
  fromTemplate?: { templateId: string; locale?: Locale; parameters?: Record<string, string>; targets?: (number | null)[] };
}

export interface ObjectivePatch {
  title?: string;
  description?: string;
  category?: OkrCategory;
  commitment?: Commitment;
  visibility?: Visibility;
  parent?: { objectiveId?: string; keyResultId?: string } | null;
  selfAssessment?: string | null;
}

export interface CheckinInput {
  keyResultId: string;
  value?: number | null;
  done?: boolean;
  checklistDone?: boolean[];
  confidence?: number | null;
  note?: string | null;
  blockers?: string | null;
}

export interface ObjectiveFilters {
  cycleId: string | null;
  teamId: string | null;
  ownerUserId: string | null;
  category: OkrCategory | null;
  status: ObjectiveStatus | null;
  q: string;
  limit: number;
  offset: number;
}

export const okrKeys = {
  all: ['okrs'] as const,
  settings: ['okrs', 'settings'] as const,
  templates: ['okrs', 'templates'] as const,
  cycles: ['okrs', 'cycles'] as const,
  objectives: (filters: ObjectiveFilters) => ['okrs', 'objectives', filters] as const,
  objective: (id: string) => ['okrs', 'objective', id] as const,
  checkins: (keyResultId: string) => ['okrs', 'checkins', keyResultId] as const,
  revisions: (keyResultId: string) => ['okrs', 'revisions', keyResultId] as const,
  comments: (objectiveId: string) => ['okrs', 'comments', objectiveId] as const,
  alignment: (cycleId: string) => ['okrs', 'alignment', cycleId] as const,
  meeting: (teamId: string, cycleId: string | null) => ['okrs', 'meeting', teamId, cycleId] as const,
  retrospective: (cycleId: string, owner: { kind: 'team' | 'user'; id: string } | null) => ['okrs', 'retrospective', cycleId, owner] as const,
};

const enc = encodeURIComponent;

/** Every OKR query hangs below `['okrs']`: a write refreshes scores, lists and views at once. */
function useInvalidateOkrs() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: okrKeys.all });
}

// --- reads -----------------------------------------------------------------------------------

export function useOkrSettings() {
  return useQuery({ queryKey: okrKeys.settings, queryFn: () => api.get<OkrSettings>('/okrs/settings'), staleTime: 5 * 60_000 });
}

export function useOkrTemplates() {
  return useQuery({
    queryKey: okrKeys.templates,
    queryFn: () => api.get<ItemList<OkrTemplate>>('/okrs/templates').then((r) => r.items),
    staleTime: 60 * 60_000,
  });
}

export function useCycles() {
  return useQuery({
    queryKey: okrKeys.cycles,
    queryFn: () => api.get<ItemList<OkrCycle> & { currentCycleId: string | null }>('/okrs/cycles'),
    staleTime: 60_000,
  });
}

export function useObjectives(filters: ObjectiveFilters, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: okrKeys.objectives(filters),
    queryFn: ({ signal }) => api.get<Page<Objective>>('/okrs/objectives', { query: { ...filters }, signal }),
    enabled: options.enabled ?? true,
    placeholderData: keepPreviousData,
  });
}

export function useObjective(id: string) {
  return useQuery({ queryKey: okrKeys.objective(id), queryFn: () => api.get<ObjectiveDetail>(`/okrs/objectives/${enc(id)}`) });
}

export function useCheckinHistory(keyResultId: string | null) {
  return useQuery({
    queryKey: okrKeys.checkins(keyResultId ?? ''),
    queryFn: () => api.get<CheckinHistory>(`/okrs/key-results/${enc(keyResultId ?? '')}/check-ins`, { query: { limit: 50 } }),
    enabled: keyResultId !== null,
  });
}

export function useRevisions(keyResultId: string | null) {
  return useQuery({
    queryKey: okrKeys.revisions(keyResultId ?? ''),
    queryFn: () => api.get<ItemList<Revision>>(`/okrs/key-results/${enc(keyResultId ?? '')}/revisions`).then((r) => r.items),
    enabled: keyResultId !== null,
  });
}

export function useComments(objectiveId: string) {
  return useQuery({
    queryKey: okrKeys.comments(objectiveId),
    queryFn: () => api.get<ItemList<OkrComment>>(`/okrs/objectives/${enc(objectiveId)}/comments`).then((r) => r.items),
  });
}

export function useAlignment(cycleId: string | null) {
  return useQuery({
    queryKey: okrKeys.alignment(cycleId ?? ''),
    queryFn: () => api.get<AlignmentView>(`/okrs/cycles/${enc(cycleId ?? '')}/alignment`),
    enabled: cycleId !== null,
    placeholderData: keepPreviousData,
  });
}

export function useMeeting(teamId: string | null, cycleId: string | null) {
  return useQuery({
    queryKey: okrKeys.meeting(teamId ?? '', cycleId),
    queryFn: () => api.get<MeetingView>(`/okrs/teams/${enc(teamId ?? '')}/meeting`, { query: { cycleId } }),
    enabled: teamId !== null,
  });
}

export function useRetrospective(cycleId: string | null, owner: { kind: 'team' | 'user'; id: string } | null) {
  return useQuery({
    queryKey: okrKeys.retrospective(cycleId ?? '', owner),
    queryFn: () =>
      api.get<Retrospective>(`/okrs/cycles/${enc(cycleId ?? '')}/retrospective`, {
        query: owner ? (owner.kind === 'team' ? { teamId: owner.id } : { userId: owner.id }) : {},
      }),
    enabled: cycleId !== null,
  });
}

// --- writes ----------------------------------------------------------------------------------

export function useCreateObjective() {
  const invalidate = useInvalidateOkrs();
  return useMutation({ mutationFn: (input: ObjectiveCreateInput) => api.post<ObjectiveDetail>('/okrs/objectives', input), onSuccess: invalidate });
}

export function useUpdateObjective() {
  const invalidate = useInvalidateOkrs();
  return useMutation({
    mutationFn: ({ id, ...patch }: ObjectivePatch & { id: string }) => api.patch<ObjectiveDetail>(`/okrs/objectives/${enc(id)}`, patch),
    onSuccess: invalidate,
  });
}

export function useDeleteObjective() {
  const invalidate = useInvalidateOkrs();
  return useMutation({ mutationFn: (id: string) => api.delete(`/okrs/objectives/${enc(id)}`), onSuccess: invalidate });
}

export function useDecideObjective() {
  const invalidate = useInvalidateOkrs();
  return useMutation({
    mutationFn: ({ id, action, note }: { id: string; action: 'propose' | 'approve' | 'reject'; note: string | null }) =>
      api.post<ObjectiveDetail>(`/okrs/objectives/${enc(id)}/${action}`, note ? { note } : {}),
    onSuccess: invalidate,
  });
}

export function useAddKeyResult() {
  const invalidate = useInvalidateOkrs();
  return useMutation({
    mutationFn: ({ objectiveId, ...input }: KeyResultInput & { objectiveId: string }) =>
      api.post<ObjectiveDetail>(`/okrs/objectives/${enc(objectiveId)}/key-results`, input),
    onSuccess: invalidate,
  });
}

export function useUpdateKeyResult() {
  const invalidate = useInvalidateOkrs();
  return useMutation({
    mutationFn: ({ id, ...patch }: Partial<KeyResultInput> & { id: string; reason?: string }) =>
      api.patch<ObjectiveDetail & { revised: boolean }>(`/okrs/key-results/${enc(id)}`, patch),
    onSuccess: invalidate,
  });
}

export function useDeleteKeyResult() {
  const invalidate = useInvalidateOkrs();
  return useMutation({ mutationFn: (id: string) => api.delete(`/okrs/key-results/${enc(id)}`), onSuccess: invalidate });
}

/** The weekly form: several key results at once, all or nothing. */
export function useCheckIn() {
  const invalidate = useInvalidateOkrs();
  return useMutation({
    mutationFn: (items: CheckinInput[]) => api.post<ItemList<CheckinResult>>('/okrs/check-ins', { items }).then((r) => r.items),
    onSuccess: invalidate,
  });
}

export function useAddComment() {
  const invalidate = useInvalidateOkrs();
  return useMutation({
    mutationFn: ({ objectiveId, ...body }: { objectiveId: string; kind: 'comment' | 'kudos'; body: string; keyResultId?: string | null }) =>
      api.post<OkrComment>(`/okrs/objectives/${enc(objectiveId)}/comments`, body),
    onSuccess: invalidate,
  });
}

export function useDeleteComment() {
  const invalidate = useInvalidateOkrs();
  return useMutation({ mutationFn: (id: string) => api.delete(`/okrs/comments/${enc(id)}`), onSuccess: invalidate });
}

export function useRecordMeeting() {
  const invalidate = useInvalidateOkrs();
  return useMutation({
    mutationFn: ({ teamId, cycleId, notes }: { teamId: string; cycleId: string; notes: string }) =>
      api.post<{ id: string; heldAt: string; notes: string }>(`/okrs/teams/${enc(teamId)}/meetings`, { cycleId, notes }),
    onSuccess: invalidate,
  });
}

export function useSaveLearnings() {
  const invalidate = useInvalidateOkrs();
  return useMutation({
    mutationFn: ({ cycleId, owner, learnings }: { cycleId: string; owner: { kind: 'team' | 'user'; id: string }; learnings: string }) =>
      api.put<void>(`/okrs/cycles/${enc(cycleId)}/retrospective`, { ...(owner.kind === 'team' ? { teamId: owner.id } : { userId: owner.id }), learnings }),
    onSuccess: invalidate,
  });
}

export function useCarryOver() {
  const invalidate = useInvalidateOkrs();
  return useMutation({
    mutationFn: (input: { keyResultIds: string[]; toCycleId: string }) => api.post<{ objectiveIds: string[]; keyResultIds: string[] }>('/okrs/carry-over', input),
    onSuccess: invalidate,
  });
}

export function useCreateCycle() {
  const invalidate = useInvalidateOkrs();
  return useMutation({ mutationFn: (input: { key: string }) => api.post<OkrCycle>('/okrs/cycles', input), onSuccess: invalidate });
}

export function useDeleteCycle() {
  const invalidate = useInvalidateOkrs();
  return useMutation({ mutationFn: (id: string) => api.delete(`/okrs/cycles/${enc(id)}`), onSuccess: invalidate });
}

export function useCloseCycle() {
  const invalidate = useInvalidateOkrs();
  return useMutation({
    mutationFn: ({ id, assessments }: { id: string; assessments: { objectiveId: string; note: string }[] }) =>
      api.post<CloseCycleResult>(`/okrs/cycles/${enc(id)}/close`, { assessments }),
    onSuccess: invalidate,
  });
}

export function useUpdateOkrSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: OkrSettings) => api.put<OkrSettings>('/okrs/settings', input),
    onSuccess: (settings) => queryClient.setQueryData(okrKeys.settings, settings),
  });
}

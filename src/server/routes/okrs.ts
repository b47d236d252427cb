import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import { z } from 'zod';
import { OkrSetDocument } from '../../core/okr/document.js';
import { OKR_TEMPLATES } from '../../core/okr/templates.js';
import { closeCycle, carryOver } from '../../store/repos/okr-close.js';
import { createCycle, deleteCycle, listCycles, requireCycle, updateCycle } from '../../store/repos/okr-cycles.js';
import { exportOkrDocument, importOkrDocument } from '../../store/repos/okr-document.js';
import { OkrError } from '../../store/repos/okr-common.js';
import { getOkrSettings, updateOkrSettings } from '../../store/repos/okr-settings.js';
import { alignmentView, currentCycle, meetingView, recordMeeting, retrospectiveView, saveLearnings } from '../../store/repos/okr-views.js';
import type { App, RouteDeps } from '../context.js';
import { AppError } from '../errors.js';
import { COMMON_ERRORS, Id, Instant, listOf, NoContent } from '../schemas.js';
import { registerOkrObjectiveRoutes } from './okr-objectives.js';
import {
  actorOf, BandSchema, CheckinSchema, clock, CommitmentSchema, CycleSchema, ExpectationSchema, ObjectiveStatusSchema, okrAppError, okrCall,
  OwnerSchema, PaceSchema, publishOkrChange, Text,
} from './okr-shared.js';

const CycleParams = z.object({ cycleId: Id });

const SettingsSchema = z
  .object({
    guidance: z.object({
      objectivesPerOwner: z.object({ min: z.number().int().min(0).max(50), max: z.number().int().min(0).max(50) }),
      keyResultsPerObjective: z.object({ min: z.number().int().min(0).max(50), max: z.number().int().min(0).max(50) }),
      checkOutcomeWording: z.boolean(),
    }),
    pace: z.object({
      onTrackGap: z.number().min(0).max(1).describe('How far progress may trail the expected line and still be on track'),
      atRiskGap: z.number().min(0).max(1).describe('Beyond this gap a key result is at risk'),
    }),
    checkinCadenceDays: z.number().int().min(1).max(31).describe('7 = weekly check-ins, 14 = bi-weekly'),
  })
  .meta({ id: 'OkrSettings' });

const Label = z.object({ en: z.string(), de: z.string() });
const TemplateSchema = z
  .object({
    id: z.string(), category: z.string(), commitment: CommitmentSchema, title: Label, description: Label,
    keyResults: z.array(z.object({
      title: Label, kind: z.string(), direction: z.enum(['increase', 'decrease']), unit: z.string(), target: z.number().nullable(), start: z.number().nullable(),
      relative: z.object({ baseline: z.enum(['previous_period', 'same_period_last_year']), changePercent: z.number() }).nullable(),
      metric: z.object({ key: z.string(), parameters: z.array(z.string()) }).nullable(), trackingNote: Label.nullable(), checklist: z.array(Label).nullable(),
    })),
  })
  .meta({ id: 'OkrTemplate' });

const AlignedObjectiveSchema = z.object({
  id: Id, title: z.string(), status: ObjectiveStatusSchema, commitment: CommitmentSchema, visibility: z.enum(['tenant', 'private']), owner: OwnerSchema,
  parent: z.object({ objectiveId: Id.nullable(), keyResultId: Id.nullable() }).nullable(), score: z.number(), band: BandSchema, paceStatus: PaceSchema,
  keyResultCount: z.number().int(), atRiskKeyResults: z.number().int(),
});
interface AlignmentNodeOut {
  team: { id: string; name: string; kind: 'company' | 'region' | 'team'; parentId: string | null; managerUserId: string | null };
  objectives: z.infer<typeof AlignedObjectiveSchema>[];
  people: { userId: string; name: string; objectives: z.infer<typeof AlignedObjectiveSchema>[] }[];
  children: AlignmentNodeOut[];
  summary: { objectiveCount: number; averageScore: number; atRisk: number };
}
const AlignmentNodeSchema: z.ZodType<AlignmentNodeOut> = z.lazy(() =>
  z.object({
    team: z.object({ id: Id, name: z.string(), kind: z.enum(['company', 'region', 'team']), parentId: Id.nullable(), managerUserId: Id.nullable() }),
    objectives: z.array(AlignedObjectiveSchema),
    people: z.array(z.object({ userId: Id, name: z.string(), objectives: z.array(AlignedObjectiveSchema) })),
    children: z.array(AlignmentNodeSchema),
    summary: z.object({ objectiveCount: z.number().int(), averageScore: z.number(), atRisk: z.number().int() }),
  }),
);

const MeetingSchema = z.object({
  team: z.object({ id: Id, name: z.string() }),
  cadenceDays: z.number().int().describe('The team’s check-in cadence (its own, inherited from a team above, or the workspace’s): a key result without a check-in within it is overdue'),
  cycle: CycleSchema,
  since: Instant.nullable(),
  lastMeeting: z.object({ id: Id, heldAt: Instant, notes: z.string(), by: z.string().nullable() }).nullable(),
  items: z.array(z.object({
    objective: z.object({ id: Id, title: z.string(), owner: OwnerSchema, status: ObjectiveStatusSchema }),
    keyResult: z.object({ id: Id, title: z.string(), kind: z.string(), unit: z.string(), start: z.number().nullable(), target: z.number().nullable(), owner: z.object({ id: Id, name: z.string() }).nullable() }),
    paceStatus: PaceSchema,
    change: z.object({ previousValue: z.number().nullable(), currentValue: z.number().nullable(), previousScore: z.number().nullable(), score: z.number(), scoreDelta: z.number(), changed: z.boolean() }),
    confidence: z.number().int().nullable(),
    checkinsSince: z.array(CheckinSchema),
    overdue: z.boolean(),
  })),
  summary: z.object({ atRisk: z.number().int(), behind: z.number().int(), onTrack: z.number().int(), notStarted: z.number().int(), changed: z.number().int(), overdue: z.number().int() }),
}).meta({ id: 'OkrMeeting' });

const RetrospectiveSchema = z.object({
  cycle: CycleSchema,
  owner: z.object({ kind: z.enum(['team', 'user']), id: Id, name: z.string() }),
  final: z.boolean(),
  objectives: z.array(z.object({
    id: Id, title: z.string(), commitment: CommitmentSchema, status: ObjectiveStatusSchema, score: z.number(), band: BandSchema, expectation: ExpectationSchema,
    selfAssessment: z.string().nullable(),
    keyResults: z.array(z.object({
      id: Id, title: z.string(), score: z.number(), band: BandSchema, current: z.number().nullable(), target: z.number().nullable(), unfinished: z.boolean(),
      carriedTo: z.array(z.object({ keyResultId: Id, objectiveId: Id, cycleKey: z.string() })),
    })),
  })),
  summary: z.object({
    objectives: z.array(z.object({ id: Id, score: z.number(), expectation: ExpectationSchema })),
    averageScore: z.number(), committedMet: z.number().int(), committedMissed: z.number().int(), aspirationalHealthy: z.number().int(), unfinishedKeyResultIds: z.array(Id),
  }),
  learnings: z.string(),
  learningsUpdatedAt: Instant.nullable(),
  probablySandbagging: z.boolean().describe('≥ 0.95 on every aspirational key result in each of the last two closed cycles'),
  nextCycle: z.object({ id: Id, key: z.string() }).nullable(),
}).meta({ id: 'OkrRetrospective' });

const OwnerQuery = z.object({ teamId: Id.optional(), userId: Id.optional() }).refine((q) => !(q.teamId && q.userId), { message: 'teamId or userId, not both' });

/** OKR routes: cycles, settings, templates, documents and the views; objectives and key results in okr-objectives.ts. */
export function registerOkrRoutes(app: App, deps: RouteDeps): void {
  const { store } = deps;
  const tags = ['okrs'];

  app.get(
    '/api/okrs/settings',
    { config: { access: 'okrs:read' }, schema: { tags, summary: 'The workspace’s OKR guidance limits, pace thresholds and check-in cadence', response: { 200: SettingsSchema, ...COMMON_ERRORS } } },
    (request) => okrCall(store, request, (call) => getOkrSettings(call.scope)),
  );

  app.put(
    '/api/okrs/settings',
    { config: { access: 'okrs:admin' }, schema: { tags, summary: 'Tune the guidance (warnings, never blocks), pace thresholds and check-in cadence', body: SettingsSchema, response: { 200: SettingsSchema, ...COMMON_ERRORS } } },
    (request) => okrCall(store, request, (call) => updateOkrSettings(call.scope, request.body)),
  );

  app.get(
    '/api/okrs/templates',
    { config: { access: 'okrs:read' }, schema: { tags, summary: 'The template library: 15 sales OKRs in English and German, key results bound to catalogue metrics', response: { 200: listOf(TemplateSchema), ...COMMON_ERRORS } } },
    () => ({
      items: OKR_TEMPLATES.map((t) => ({
        ...t,
        keyResults: t.keyResults.map((kr) => ({
          title: kr.title, kind: kr.kind, direction: kr.direction, unit: kr.unit, target: kr.target ?? null, start: kr.start ?? null, relative: kr.relative ?? null,
          metric: kr.metric ? { key: kr.metric.key, parameters: [...(kr.metric.parameters ?? [])] } : null, trackingNote: kr.trackingNote ?? null,
          checklist: kr.checklist ? [...kr.checklist] : null,
        })),
      })),
    }),
  );

  // --- cycles -----------------------------------------------------------------------------------

  app.get(
    '/api/okrs/cycles',
    { config: { access: 'okrs:read' }, schema: { tags, summary: 'Cycles, newest first, and the one that covers today', response: { 200: listOf(CycleSchema).extend({ currentCycleId: Id.nullable() }), ...COMMON_ERRORS } } },
    (request) => okrCall(store, request, async (call) => ({ items: await listCycles(call.scope), currentCycleId: (await currentCycle(call.scope, call.context.today))?.id ?? null })),
  );

  app.post(
    '/api/okrs/cycles',
    {
      config: { access: 'okrs:admin' },
      schema: {
        tags,
        summary: 'Open a cycle: a fiscal quarter (2026-Q1) or year (FY2026) on the workspace’s fiscal calendar',
        body: z.object({ key: z.string().regex(/^(\d{4}-Q[1-4]|FY\d{4})$/, '2026-Q1 or FY2026'), parentCycleId: Id.nullable().optional().describe('A quarter’s fiscal year (found by itself when it exists)') }),
        response: { 201: CycleSchema, ...COMMON_ERRORS },
      },
    },
    async (request, reply) => reply.status(201).send(await okrCall(store, request, (call) => createCycle(call.scope, randomUUID(), request.body))),
  );

  app.get(
    '/api/okrs/cycles/:cycleId',
    { config: { access: 'okrs:read' }, schema: { tags, summary: 'A cycle', params: CycleParams, response: { 200: CycleSchema, ...COMMON_ERRORS } } },
    (request) => okrCall(store, request, (call) => requireCycle(call.scope, request.params.cycleId)),
  );

  app.patch(
    '/api/okrs/cycles/:cycleId',
    { config: { access: 'okrs:admin' }, schema: { tags, summary: 'Link a quarter to its fiscal year', params: CycleParams, body: z.object({ parentCycleId: Id.nullable().optional() }), response: { 200: CycleSchema, ...COMMON_ERRORS } } },
    (request) => okrCall(store, request, (call) => updateCycle(call.scope, request.params.cycleId, request.body)),
  );

  app.delete(
    '/api/okrs/cycles/:cycleId',
    { config: { access: 'okrs:admin' }, schema: { tags, summary: 'Delete a cycle without objectives', params: CycleParams, response: { 204: NoContent, ...COMMON_ERRORS } } },
    async (request, reply) => {
      await okrCall(store, request, (call) => deleteCycle(call.scope, request.params.cycleId));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/okrs/cycles/:cycleId/close',
    {
      config: { access: 'okrs:admin' },
      schema: {
        tags,
        summary: 'Close a cycle: freeze every active objective’s score with its self-assessment; flags owners who are probably sandbagging',
        params: CycleParams,
        body: z.object({ assessments: z.array(z.object({ objectiveId: Id, note: Text(5000) })).max(1000).optional() }),
        response: {
          200: z.object({
            cycle: CycleSchema,
            objectives: z.array(z.object({ id: Id, title: z.string(), status: z.literal('closed'), finalScore: z.number().nullable(), wasActive: z.boolean() })),
            metricErrors: z.array(z.object({ keyResultId: Id, message: z.string() })),
            probablySandbagging: z.array(z.object({ kind: z.enum(['team', 'user']), id: Id, name: z.string() })),
          }),
          ...COMMON_ERRORS,
        },
      },
    },
    async (request) => {
      const result = await okrCall(store, request, (call) => closeCycle(call.scope, request.params.cycleId, request.body, call.context));
      publishOkrChange(deps, request, { cycleId: result.cycle.id, change: 'cycle_closed' });
      return result;
    },
  );

  // --- views --------------------------------------------------------------------------------------

  app.get(
    '/api/okrs/cycles/:cycleId/alignment',
    {
      config: { access: 'okrs:read' },
      schema: { tags, summary: 'The alignment view: company → teams → people, with their objectives and scores', params: CycleParams, response: { 200: z.object({ cycle: CycleSchema, roots: z.array(AlignmentNodeSchema), unassigned: z.array(z.object({ userId: Id, name: z.string(), objectives: z.array(AlignedObjectiveSchema) })) }), ...COMMON_ERRORS } },
    },
    (request) => okrCall(store, request, (call) => alignmentView(call.scope, request.params.cycleId, call.viewer, call.context)),
  );

  app.get(
    '/api/okrs/cycles/:cycleId/retrospective',
    {
      config: { access: 'okrs:read' },
      schema: {
        tags,
        summary: 'A person’s or team’s retrospective of a cycle: scores against expectation, learnings, unfinished key results (default: the caller)',
        params: CycleParams,
        querystring: OwnerQuery,
        response: { 200: RetrospectiveSchema, ...COMMON_ERRORS },
      },
    },
    (request) =>
      okrCall(store, request, (call) => {
        const owner = request.query.teamId ? { kind: 'team' as const, id: request.query.teamId } : { kind: 'user' as const, id: request.query.userId ?? call.viewer.userId ?? '' };
        if (!owner.id) throw new AppError('validation_failed', 'query.userId: name a person or team', [{ path: 'query.userId', message: 'name a person or team' }]);
        return retrospectiveView(call.scope, request.params.cycleId, owner, call.viewer, call.context);
      }),
  );

  app.put(
    '/api/okrs/cycles/:cycleId/retrospective',
    {
      config: { access: 'okrs:write' },
      schema: {
        tags,
        summary: 'Write a person’s or team’s learnings for a cycle (default: the caller’s)',
        params: CycleParams,
        body: z.object({ teamId: Id.optional(), userId: Id.optional(), learnings: Text(20_000) }),
        response: { 204: NoContent, ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      await okrCall(store, request, (call) => {
        const owner = request.body.teamId ? { kind: 'team' as const, id: request.body.teamId } : { kind: 'user' as const, id: request.body.userId ?? call.viewer.userId ?? '' };
        if (!owner.id) throw new AppError('validation_failed', 'body.userId: name a person or team', [{ path: 'body.userId', message: 'name a person or team' }]);
        return saveLearnings(call.scope, request.params.cycleId, owner, request.body.learnings, call.viewer);
      });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/okrs/carry-over',
    {
      config: { access: 'okrs:write' },
      schema: {
        tags,
        summary: 'Carry unfinished key results into another cycle (copies linked to the originals, in draft copies of their objectives)',
        body: z.object({ keyResultIds: z.array(Id).min(1).max(100), toCycleId: Id }),
        response: { 201: z.object({ objectiveIds: z.array(Id), keyResultIds: z.array(Id) }), ...COMMON_ERRORS },
      },
    },
    async (request, reply) => reply.status(201).send(await okrCall(store, request, (call) => carryOver(call.scope, request.body, call.context))),
  );

  app.get(
    '/api/okrs/teams/:teamId/meeting',
    {
      config: { access: 'okrs:read' },
      schema: {
        tags,
        summary: 'A team’s check-in meeting: what changed since the last meeting per key result, at-risk first',
        params: z.object({ teamId: Id }),
        querystring: z.object({ cycleId: Id.optional().describe('Default: the cycle that covers today'), since: Instant.optional().describe('Default: the last recorded meeting') }),
        response: { 200: MeetingSchema, ...COMMON_ERRORS },
      },
    },
    (request) => okrCall(store, request, (call) => meetingView(call.scope, request.params.teamId, request.query, call.viewer, call.context)),
  );

  app.post(
    '/api/okrs/teams/:teamId/meetings',
    {
      config: { access: 'okrs:write' },
      schema: {
        tags,
        summary: 'Record a team’s check-in meeting and its notes: the next meeting view starts from here',
        params: z.object({ teamId: Id }),
        body: z.object({ cycleId: Id, notes: Text(20_000).default('') }),
        response: { 201: z.object({ id: Id, heldAt: Instant, notes: z.string() }), ...COMMON_ERRORS },
      },
    },
    async (request, reply) => reply.status(201).send(await okrCall(store, request, (call) => recordMeeting(call.scope, request.params.teamId, request.body, call.viewer))),
  );

  // --- documents ---------------------------------------------------------------------------------

  app.get(
    '/api/okrs/cycles/:cycleId/document',
    {
      config: { access: 'okrs:admin' },
      schema: {
        tags,
        summary: 'Export a cycle as an OKR set document (JSON, or YAML with ?format=yaml; schema: docs/schemas/okr-set.schema.json)',
        params: CycleParams,
        querystring: z.object({ format: z.enum(['json', 'yaml']).default('json') }),
        response: { 200: z.unknown(), ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const doc = await okrCall(store, request, async (call) => exportOkrDocument(call.scope, (await requireCycle(call.scope, request.params.cycleId)).key, call.context.today));
      if (request.query.format === 'yaml') return reply.type('application/yaml').send(stringify(doc));
      return doc;
    },
  );

  app.post(
    '/api/okrs/import',
    {
      config: { access: 'okrs:admin' },
      schema: {
        tags,
        summary: 'Import an OKR set document: atomic (all or nothing) and idempotent (document ids are stable keys); dryRun reports without writing',
        body: z.object({ document: z.unknown(), dryRun: z.boolean().default(false) }),
        response: {
          200: z.object({
            dryRun: z.boolean(), cycle: z.object({ key: z.string(), created: z.boolean() }),
            objectives: z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() }),
            keyResults: z.object({ created: z.number().int(), updated: z.number().int(), revised: z.number().int(), deleted: z.number().int(), unchanged: z.number().int() }),
            checkins: z.number().int(),
          }),
          ...COMMON_ERRORS,
        },
      },
    },
    async (request) => {
      const auth = request.auth;
      if (!auth) throw new AppError('unauthenticated', 'Sign in first');
      const parsed = OkrSetDocument.safeParse(request.body.document);
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => ({ path: `body.document.${i.path.join('.')}`, message: i.message }));
        throw new AppError('validation_failed', details.map((d) => `${d.path}: ${d.message}`).join('; '), details);
      }
      try {
        const summary = await importOkrDocument(store, auth.tenantId, parsed.data, { actor: actorOf(request), requestId: request.id, dryRun: request.body.dryRun, today: clock().today, source: 'the API' });
        if (!summary.dryRun) publishOkrChange(deps, request, { change: 'imported' });
        return summary;
      } catch (error) {
        if (error instanceof OkrError) throw okrAppError(error);
        throw error;
      }
    },
  );

  registerOkrObjectiveRoutes(app, deps);
}

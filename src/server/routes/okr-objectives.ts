import { z } from 'zod';
import { expectedLine, historySeries } from '../../core/okr/checkin.js';
import { changedFields } from '../../core/okr/revision.js';
import { getCycle } from '../../store/repos/okr-cycles.js';
import { getKeyResultRecord, listCheckins, listDailyValues, listRevisions } from '../../store/repos/okr-key-results.js';
import { getObjectiveRecord, listObjectiveRecords } from '../../store/repos/okr-objectives.js';
import {
  addComment, addKeyResult, checkIn, createObjective, createObjectiveFromTemplate, decideObjective, deleteComment, deleteKeyResult, deleteObjective,
  listComments, proposeObjective, updateKeyResult, updateObjective,
} from '../../store/repos/okr-process.js';
import { evaluateObjectives, getObjectiveDetail } from '../../store/repos/okr-read.js';
import { listTeamSubtreeIds } from '../../store/repos/teams.js';
import type { App, RouteDeps } from '../context.js';
import { notFound } from '../errors.js';
import { CalendarDate, COMMON_ERRORS, ErrorSchema, Id, Instant, listOf, NoContent, pageOf, PageQuery } from '../schemas.js';
import {
  AsOfQuery, CategorySchema, CheckinFields, CheckinResultSchema, CheckinSchema, CommentSchema, CommitmentSchema, KeyResultBody,
  NullablePerson, ObjectiveDetailSchema, ObjectiveSchema, ObjectiveStatusSchema, okrCall, OwnerRefSchema, ParentRefSchema, publishOkrChange, Text, Title,
  VisibilitySchema, WeightingSchema, type OkrCall,
} from './okr-shared.js';

const ObjectiveParams = z.object({ objectiveId: Id });
const KeyResultParams = z.object({ keyResultId: Id });
const ERRORS = { ...COMMON_ERRORS, 503: ErrorSchema };

const FromTemplate = z.object({
  templateId: z.string().min(1).max(100).describe('A template of GET /api/okrs/templates'),
  locale: z.enum(['en', 'de']).optional().describe('Language of the texts (default: the workspace’s)'),
  parameters: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), z.string().max(200)).optional().describe('The template’s metric parameters: product, region, channel'),
  targets: z.array(z.number().min(-1e15).max(1e15).nullable()).max(10).optional().describe('Per key result (template order): a target instead of the template’s'),
});

const ObjectiveCreateBody = z
  .object({
    cycleId: Id,
    owner: OwnerRefSchema,
    title: Title.optional(),
    description: Text(5000).optional(),
    category: CategorySchema.optional(),
    commitment: CommitmentSchema.optional(),
    visibility: VisibilitySchema.optional(),
    parent: ParentRefSchema.nullable().optional(),
    weighting: WeightingSchema.optional(),
    contributors: z.array(Id).max(100).optional(),
    keyResults: z.array(KeyResultBody).max(20).optional(),
    fromTemplate: FromTemplate.optional().describe('Create from a library template in one step (title, description, key results, metric bindings)'),
  })
  .superRefine((body, ctx) => {
    if (body.fromTemplate) return;
    if (!body.title) ctx.addIssue({ code: 'custom', path: ['title'], message: 'required (unless fromTemplate is given)' });
    if (!body.category) ctx.addIssue({ code: 'custom', path: ['category'], message: 'required (unless fromTemplate is given)' });
  });

const ObjectivePatchBody = z.object({
  title: Title.optional(),
  description: Text(5000).optional(),
  category: CategorySchema.optional(),
  owner: OwnerRefSchema.optional(),
  commitment: CommitmentSchema.optional(),
  visibility: VisibilitySchema.optional(),
  parent: ParentRefSchema.nullable().optional(),
  weighting: WeightingSchema.optional(),
  contributors: z.array(Id).max(100).optional(),
  selfAssessment: Text(5000).nullable().optional().describe('The owner’s self-assessment (also after the close)'),
});

const detail = async (call: OkrCall, id: string, asOf?: string) => {
  const found = await getObjectiveDetail(call.scope, id, call.viewer, call.context, { asOf });
  if (!found) throw notFound('Objective');
  return found;
};

export function registerOkrObjectiveRoutes(app: App, deps: RouteDeps): void {
  const { store } = deps;
  const tags = ['okrs'];

  app.get(
    '/api/okrs/objectives',
    {
      config: { access: 'okrs:read' },
      schema: {
        tags,
        summary: 'Objectives with their key results and scores (filters, search and paging); private ones only for their insiders',
        querystring: PageQuery.extend({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          cycleId: Id.optional(),
          teamId: Id.optional().describe('Objectives of this team and the teams below it, and of the people in them'),
          ownerUserId: Id.optional(),
          category: CategorySchema.optional(),
          status: ObjectiveStatusSchema.optional(),
          asOf: CalendarDate.optional(),
        }),
        response: { 200: pageOf(ObjectiveSchema), ...COMMON_ERRORS },
      },
    },
    (request) =>
      okrCall(store, request, async (call) => {
        const { teamId, asOf, ...query } = request.query;
        const teamIds = teamId ? await listTeamSubtreeIds(call.scope, [teamId]) : undefined;
        const page = await listObjectiveRecords(call.scope, call.viewer, { ...query, teamIds });
        return { items: await evaluateObjectives(call.scope, page.items, call.context, { asOf }), total: page.total };
      }),
  );

  app.post(
    '/api/okrs/objectives',
    {
      config: { access: 'okrs:write' },
      schema: {
        tags,
        summary: 'Create a draft objective (with key results), or one from a template in one step',
        body: ObjectiveCreateBody,
        response: { 201: ObjectiveDetailSchema, ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const created = await okrCall(store, request, async (call) => {
        const id = body.fromTemplate
          ? await createObjectiveFromTemplate(call.scope, {
            ...body.fromTemplate, cycleId: body.cycleId, owner: body.owner, title: body.title, visibility: body.visibility, parent: body.parent,
            contributors: body.contributors, commitment: body.commitment,
          }, call.context)
          : await createObjective(call.scope, { ...body, title: body.title ?? '', category: body.category ?? 'revenue' }, call.context);
        return detail(call, id);
      });
      publishOkrChange(deps, request, { objectiveId: created.id, change: 'created' }, created.visibility);
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/okrs/objectives/:objectiveId',
    {
      config: { access: 'okrs:read' },
      schema: {
        tags,
        summary: 'An objective: key results, scores, pace, guidance warnings, approvals, alignment (parent and children) and what the caller may do',
        params: ObjectiveParams,
        querystring: AsOfQuery,
        response: { 200: ObjectiveDetailSchema, ...COMMON_ERRORS },
      },
    },
    (request) => okrCall(store, request, (call) => detail(call, request.params.objectiveId, request.query.asOf)),
  );

  app.patch(
    '/api/okrs/objectives/:objectiveId',
    { config: { access: 'okrs:write' }, schema: { tags, summary: 'Change an objective (a closed one: only its self-assessment)', params: ObjectiveParams, body: ObjectivePatchBody, response: { 200: ObjectiveDetailSchema, ...COMMON_ERRORS } } },
    async (request) => {
      const result = await okrCall(store, request, async (call) => {
        await updateObjective(call.scope, request.params.objectiveId, request.body, call.context);
        return detail(call, request.params.objectiveId);
      });
      publishOkrChange(deps, request, { objectiveId: result.id, change: 'updated' }, result.visibility);
      return result;
    },
  );

  app.delete(
    '/api/okrs/objectives/:objectiveId',
    { config: { access: 'okrs:write' }, schema: { tags, summary: 'Delete a draft objective', params: ObjectiveParams, response: { 204: NoContent, ...COMMON_ERRORS } } },
    async (request, reply) => {
      await okrCall(store, request, (call) => deleteObjective(call.scope, request.params.objectiveId, call.context));
      publishOkrChange(deps, request, { change: 'deleted' });
      return reply.status(204).send(null);
    },
  );

  const NoteBody = z.object({ note: Text(2000).nullable().optional() });
  for (const action of ['propose', 'approve', 'reject'] as const) {
    app.post(
      `/api/okrs/objectives/:objectiveId/${action}`,
      {
        config: { access: action === 'propose' ? 'okrs:write' : 'okrs:approve' },
        schema: {
          tags,
          summary: {
            propose: 'Propose a draft to the owner’s manager',
            approve: 'Approve a proposal (a manager above the owner or an admin; never the proposer: 409 reason approver_is_proposer)',
            reject: 'Send a proposal back to draft with a note (same rule as approve)',
          }[action],
          params: ObjectiveParams,
          body: action === 'reject' ? z.object({ note: Text(2000).min(1) }) : NoteBody,
          response: { 200: ObjectiveDetailSchema, ...COMMON_ERRORS },
        },
      },
      async (request) => {
        const note = (request.body as { note?: string | null }).note ?? null;
        const result = await okrCall(store, request, async (call) => {
          if (action === 'propose') await proposeObjective(call.scope, request.params.objectiveId, note, call.context);
          else await decideObjective(call.scope, request.params.objectiveId, action, note, call.context);
          return detail(call, request.params.objectiveId);
        });
        publishOkrChange(deps, request, { objectiveId: result.id, change: action }, result.visibility);
        return result;
      },
    );
  }

  // --- key results ---------------------------------------------------------------------------

  app.post(
    '/api/okrs/objectives/:objectiveId/key-results',
    { config: { access: 'okrs:write' }, schema: { tags, summary: 'Add a key result', params: ObjectiveParams, body: KeyResultBody, response: { 201: ObjectiveDetailSchema, ...COMMON_ERRORS } } },
    async (request, reply) => {
      const result = await okrCall(store, request, async (call) => {
        await addKeyResult(call.scope, request.params.objectiveId, request.body, call.context);
        return detail(call, request.params.objectiveId);
      });
      publishOkrChange(deps, request, { objectiveId: result.id, change: 'key_result_added' }, result.visibility);
      return reply.status(201).send(result);
    },
  );

  app.patch(
    '/api/okrs/key-results/:keyResultId',
    {
      config: { access: 'okrs:write' },
      schema: {
        tags,
        summary: 'Change a key result; once its objective is active a change to its definition needs a reason and becomes a revision',
        params: KeyResultParams,
        body: KeyResultBody.partial().extend({ reason: Text(2000).optional().describe('Required to change an active key result’s target or definition') }),
        response: { 200: ObjectiveDetailSchema.extend({ revised: z.boolean() }), ...COMMON_ERRORS },
      },
    },
    async (request) => {
      const result = await okrCall(store, request, async (call) => {
        const kr = await getKeyResultRecord(call.scope, request.params.keyResultId);
        const { revised } = await updateKeyResult(call.scope, request.params.keyResultId, request.body, call.context);
        return { ...(await detail(call, kr?.objectiveId ?? '')), revised };
      });
      publishOkrChange(deps, request, { objectiveId: result.id, keyResultId: request.params.keyResultId, change: result.revised ? 'key_result_revised' : 'key_result_updated' }, result.visibility);
      return result;
    },
  );

  app.delete(
    '/api/okrs/key-results/:keyResultId',
    { config: { access: 'okrs:write' }, schema: { tags, summary: 'Delete a key result of a draft or proposal', params: KeyResultParams, response: { 204: NoContent, ...COMMON_ERRORS } } },
    async (request, reply) => {
      await okrCall(store, request, (call) => deleteKeyResult(call.scope, request.params.keyResultId, call.context));
      publishOkrChange(deps, request, { change: 'key_result_deleted' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/okrs/key-results/:keyResultId/revisions',
    {
      config: { access: 'okrs:read' },
      schema: {
        tags,
        summary: 'Changes to an active key result’s definition: who, when, why, before and after',
        params: KeyResultParams,
        response: { 200: listOf(z.object({ id: Id, at: Instant, author: NullablePerson, reason: z.string(), before: z.record(z.string(), z.unknown()), after: z.record(z.string(), z.unknown()), changed: z.array(z.string()) })), ...COMMON_ERRORS },
      },
    },
    (request) =>
      okrCall(store, request, async (call) => {
        const kr = await getKeyResultRecord(call.scope, request.params.keyResultId);
        if (!kr || !(await getObjectiveRecord(call.scope, kr.objectiveId, call.viewer))) throw notFound('Key result');
        const revisions = await listRevisions(call.scope, [kr.id]);
        return { items: revisions.map((r) => ({ id: r.id, at: r.at, author: r.author, reason: r.reason, before: { ...r.before }, after: { ...r.after }, changed: changedFields(r.before, r.after) })) };
      }),
  );

  // --- check-ins ------------------------------------------------------------------------------

  app.get(
    '/api/okrs/key-results/:keyResultId/check-ins',
    {
      config: { access: 'okrs:read' },
      schema: {
        tags,
        summary: 'A key result’s check-ins (newest first) and its history for the chart: each day’s value against the expected line',
        params: KeyResultParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
        response: {
          200: z.object({
            items: z.array(CheckinSchema),
            series: z.array(z.object({ date: CalendarDate, value: z.number(), expected: z.number().nullable() })),
            expectedLine: z.array(z.object({ date: CalendarDate, value: z.number() })).nullable().describe('start on the first day, target on the last'),
          }),
          ...COMMON_ERRORS,
        },
      },
    },
    (request) =>
      okrCall(store, request, async (call) => {
        const kr = await getKeyResultRecord(call.scope, request.params.keyResultId);
        const objective = kr ? await getObjectiveRecord(call.scope, kr.objectiveId, call.viewer) : null;
        const cycle = objective ? await getCycle(call.scope, objective.cycleId) : null;
        if (!kr || !objective || !cycle) throw notFound('Key result');
        const daily = (await listDailyValues(call.scope, [kr.id])).get(kr.id) ?? [];
        return {
          items: await listCheckins(call.scope, [kr.id], { limit: request.query.limit }),
          series: historySeries(kr.definition, cycle, daily),
          expectedLine: expectedLine(kr.definition, cycle),
        };
      }),
  );

  const CheckinBody = z.object(CheckinFields);
  app.post(
    '/api/okrs/key-results/:keyResultId/check-ins',
    {
      config: { access: 'okrs:write' },
      schema: {
        tags,
        summary: 'Check in: the value (read from the metric for metric-bound key results), confidence 1–10, a note and blockers',
        params: KeyResultParams,
        body: CheckinBody,
        response: { 201: CheckinResultSchema, ...ERRORS },
      },
    },
    async (request, reply) => {
      const result = await okrCall(store, request, (call) => checkIn(call.scope, { ...request.body, keyResultId: request.params.keyResultId }, call.context));
      publishOkrChange(deps, request, { objectiveId: result.objective.id, keyResultId: result.keyResult.id, change: result.celebrate ? 'target_reached' : 'checkin' }, result.objective.visibility);
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/api/okrs/check-ins',
    {
      config: { access: 'okrs:write' },
      schema: {
        tags,
        summary: 'The weekly check-in form: several key results at once, all or nothing',
        body: z.object({ items: z.array(CheckinBody.extend({ keyResultId: Id })).min(1).max(100) }),
        response: { 201: listOf(CheckinResultSchema), ...ERRORS },
      },
    },
    async (request, reply) => {
      const results = await okrCall(store, request, async (call) => {
        const out = [];
        for (const item of request.body.items) out.push(await checkIn(call.scope, item, call.context));
        return out;
      });
      for (const r of results) publishOkrChange(deps, request, { objectiveId: r.objective.id, keyResultId: r.keyResult.id, change: r.celebrate ? 'target_reached' : 'checkin' }, r.objective.visibility);
      return reply.status(201).send({ items: results });
    },
  );

  // --- comments and kudos -------------------------------------------------------------------

  app.get(
    '/api/okrs/objectives/:objectiveId/comments',
    { config: { access: 'okrs:read' }, schema: { tags, summary: 'Comments and kudos on an objective and its key results, oldest first', params: ObjectiveParams, response: { 200: listOf(CommentSchema), ...COMMON_ERRORS } } },
    (request) => okrCall(store, request, async (call) => ({ items: await listComments(call.scope, request.params.objectiveId, call.viewer) })),
  );

  app.post(
    '/api/okrs/objectives/:objectiveId/comments',
    {
      config: { access: 'okrs:write' },
      schema: {
        tags,
        summary: 'Comment on an objective or one of its key results, or give kudos',
        params: ObjectiveParams,
        body: z.object({ kind: z.enum(['comment', 'kudos']).default('comment'), body: z.string().trim().min(1).max(5000), keyResultId: Id.nullable().optional() }),
        response: { 201: CommentSchema, ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const comment = await okrCall(store, request, (call) => addComment(call.scope, request.params.objectiveId, request.body, call.viewer));
      publishOkrChange(deps, request, { objectiveId: comment.objectiveId, change: comment.kind }, 'private');
      return reply.status(201).send(comment);
    },
  );

  app.delete(
    '/api/okrs/comments/:commentId',
    { config: { access: 'okrs:write' }, schema: { tags, summary: 'Delete a comment (its author or an admin)', params: z.object({ commentId: Id }), response: { 204: NoContent, ...COMMON_ERRORS } } },
    async (request, reply) => {
      await okrCall(store, request, (call) => deleteComment(call.scope, request.params.commentId, call.viewer));
      return reply.status(204).send(null);
    },
  );
}

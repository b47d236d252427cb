import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  createAssignment, deleteAssignment, deleteTerritory, getTerritory, listAssignments, listTerritories, listTerritoryPlans, saveTerritory, saveTerritoryPlan,
  territoryCoverage, type Issue, type Result,
} from '../../store/repos/territories.js';
import { validateTerritories, type TerritoryCriteria } from '../../core/territory/index.js';
import { inCallerTenant, type App, type RouteDeps } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { CalendarDate, COMMON_ERRORS, Id, listOf, Name, NoContent } from '../schemas.js';

const Values = z.array(z.string().trim().min(1).max(200)).max(5000).readonly();
export const CriteriaSchema = z
  .object({
    regions: Values.optional(),
    countries: z.array(z.string().trim().regex(/^[A-Za-z]{2}$/, 'an ISO 3166 alpha-2 code')).max(300).readonly().optional(),
    postcodeRanges: z.array(z.object({ country: z.string().trim().regex(/^[A-Za-z]{2}$/).optional(), from: z.string().trim().min(1).max(20), to: z.string().trim().min(1).max(20) })).max(5000).readonly().optional(),
    productLines: Values.optional(),
    segments: Values.optional(),
    namedAccounts: Values.optional(),
  })
  .strict()
  .meta({ id: 'TerritoryCriteria' });

const IssueSchema = z.object({ code: z.string(), path: z.string(), message: z.string(), severity: z.enum(['error', 'warning']).optional() });
const TerritorySchema = z.object({ id: Id, name: z.string(), parentId: Id.nullable(), criteria: CriteriaSchema }).meta({ id: 'Territory' });
const AssignmentSchema = z
  .object({ id: Id, territoryId: Id, assigneeKind: z.enum(['rep', 'team']), assigneeId: Id, role: z.enum(['owner', 'overlay']), from: z.string(), until: z.string().nullable() })
  .meta({ id: 'TerritoryAssignment' });
const PlanSchema = z
  .object({
    territoryId: Id,
    period: z.string().regex(/^(FY\d{4}|\d{4}-Q[1-4])$/, 'FY2026 or 2026-Q1'),
    revenueTargetMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    productLineMix: z.array(z.object({ productLine: z.string().trim().min(1).max(200), share: z.string().regex(/^\d+(\.\d+)?$/, 'a decimal such as 0.35') })).max(100).readonly(),
    headcount: z.number().int().min(0).max(1_000_000),
  })
  .meta({ id: 'TerritoryPlan' });

type CriteriaInput = z.infer<typeof CriteriaSchema>;
/** The request's criteria without absent keys (exact optional properties). */
export function toCriteria(input: CriteriaInput): TerritoryCriteria {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as TerritoryCriteria;
}

/** Expected failures of the store (core validation) as one 400 with every path. */
export function unwrap<T>(result: Result<T>): { value: T; warnings: Issue[] } {
  if (!result.ok) {
    const first = result.issues[0];
    throw new AppError('validation_failed', first ? `${first.path}: ${first.message}` : 'Invalid request', result.issues);
  }
  return { value: result.value, warnings: result.warnings };
}

export function registerTerritoryRoutes(app: App, { store }: RouteDeps): void {
  const tags = ['territories'];
  const params = z.object({ territoryId: Id });
  const body = z.object({ name: Name, parentId: Id.nullable().default(null), criteria: CriteriaSchema.default({}) });

  app.get(
    '/api/territories',
    {
      config: { access: 'territories:read' },
      schema: { tags, summary: 'The territory tree (parents before children) and the design\'s findings (e.g. territories without criteria)', response: { 200: z.object({ items: z.array(TerritorySchema), issues: z.array(IssueSchema) }), ...COMMON_ERRORS } },
    },
    (request) => inCallerTenant(store, request, async (scope) => {
      const items = await listTerritories(scope);
      return { items, issues: validateTerritories(items).issues };
    }),
  );

  app.post(
    '/api/territories',
    {
      config: { access: 'territories:manage' },
      schema: { tags, summary: 'Create a territory (criteria validated against the whole tree: 400 with paths)', body, response: { 201: TerritorySchema.extend({ warnings: z.array(IssueSchema) }), ...COMMON_ERRORS } },
    },
    async (request, reply) => {
      const result = await inCallerTenant(store, request, (scope) => saveTerritory(scope, { id: randomUUID(), name: request.body.name, parentId: request.body.parentId, criteria: toCriteria(request.body.criteria) }, 'create'));
      const { value, warnings } = unwrap(result as Result<z.infer<typeof TerritorySchema>>);
      return reply.status(201).send({ ...value, warnings });
    },
  );

  app.patch(
    '/api/territories/:territoryId',
    {
      config: { access: 'territories:manage' },
      schema: { tags, summary: 'Change a territory (name, parent, criteria)', params, body: body.partial(), response: { 200: TerritorySchema.extend({ warnings: z.array(IssueSchema) }), ...COMMON_ERRORS } },
    },
    async (request) => {
      const result = await inCallerTenant(store, request, async (scope) => {
        const before = await getTerritory(scope, request.params.territoryId);
        if (!before) return null;
        const { name, parentId, criteria } = request.body;
        return saveTerritory(scope, { ...before, ...(name === undefined ? {} : { name }), ...(parentId === undefined ? {} : { parentId }), ...(criteria === undefined ? {} : { criteria: toCriteria(criteria) }) }, 'update');
      });
      if (!result) throw notFound('Territory');
      const { value, warnings } = unwrap(result);
      return { ...value, warnings };
    },
  );

  app.delete(
    '/api/territories/:territoryId',
    { config: { access: 'territories:manage' }, schema: { tags, summary: 'Delete a territory without children (its assignments and plans go with it)', params, response: { 204: NoContent, ...COMMON_ERRORS } } },
    async (request, reply) => {
      const outcome = await inCallerTenant(store, request, (scope) => deleteTerritory(scope, request.params.territoryId));
      if (outcome === 'not_found') throw notFound('Territory');
      if (outcome === 'not_empty') throw new AppError('conflict', 'The territory has sub-territories: move or delete them first');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/territory-assignments',
    {
      config: { access: 'territories:read' },
      schema: { tags, summary: 'Who covers which territory when (reps are payee ids)', querystring: z.object({ territoryId: Id.optional() }), response: { 200: listOf(AssignmentSchema), ...COMMON_ERRORS } },
    },
    (request) => inCallerTenant(store, request, async (scope) => ({ items: await listAssignments(scope, { territoryId: request.query.territoryId }) })),
  );

  app.post(
    '/api/territory-assignments',
    {
      config: { access: 'territories:manage' },
      schema: {
        tags,
        summary: 'Assign a rep (payee) or team to a territory for [from, until) (until exclusive, null = open)',
        body: z.object({ territoryId: Id, assigneeKind: z.enum(['rep', 'team']), assigneeId: Id, role: z.enum(['owner', 'overlay']).default('owner'), from: CalendarDate, until: CalendarDate.nullable().default(null) }),
        response: { 201: AssignmentSchema.extend({ warnings: z.array(IssueSchema) }), ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const result = await inCallerTenant(store, request, (scope) => createAssignment(scope, { id: randomUUID(), ...request.body }));
      const { value, warnings } = unwrap(result);
      return reply.status(201).send({ ...value, warnings });
    },
  );

  app.delete(
    '/api/territory-assignments/:assignmentId',
    { config: { access: 'territories:manage' }, schema: { tags, summary: 'End an assignment by deleting it', params: z.object({ assignmentId: Id }), response: { 204: NoContent, ...COMMON_ERRORS } } },
    async (request, reply) => {
      if (!(await inCallerTenant(store, request, (scope) => deleteAssignment(scope, request.params.assignmentId)))) throw notFound('Assignment');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/territory-plans',
    {
      config: { access: 'territories:read' },
      schema: { tags, summary: 'Territory plans: revenue target, product-line mix and headcount per period', querystring: z.object({ period: z.string().max(10).optional() }), response: { 200: listOf(PlanSchema), ...COMMON_ERRORS } },
    },
    (request) => inCallerTenant(store, request, async (scope) => ({ items: await listTerritoryPlans(scope, { period: request.query.period }) })),
  );

  app.put(
    '/api/territory-plans',
    {
      config: { access: 'territories:manage' },
      schema: { tags, summary: 'Create or replace a territory\'s plan for a period; warns when children do not add up to the parent', body: PlanSchema, response: { 200: PlanSchema.extend({ warnings: z.array(IssueSchema) }), ...COMMON_ERRORS } },
    },
    async (request) => {
      const { value, warnings } = unwrap(await inCallerTenant(store, request, (scope) => saveTerritoryPlan(scope, request.body)));
      return { ...value, warnings };
    },
  );

  app.get(
    '/api/territories/coverage',
    {
      config: { access: 'territories:read' },
      schema: {
        tags,
        summary: 'Attribute a dataset\'s records to territories: overlaps and gaps counted and sampled, never resolved',
        querystring: z.object({
          dataset: z.enum(['deals', 'accounts']).default('deals'),
          period: z.string().max(10).optional().describe('Deals by close date (accounts by customer-since) in this period, e.g. 2026-Q1'),
          sample: z.coerce.number().int().min(0).max(1000).default(20),
        }),
        response: {
          200: z.object({
            dataset: z.string(), period: z.string().nullable(), records: z.number(), covered: z.number(), overlapCount: z.number(), gapCount: z.number(),
            overlapsByParent: z.array(z.object({ parentId: z.string().nullable(), records: z.number() })),
            gapsByParent: z.array(z.object({ parentId: z.string().nullable(), records: z.number() })),
            overlaps: z.array(z.object({ recordId: z.string(), parentId: z.string().nullable(), territoryIds: z.array(z.string()) })),
            gaps: z.array(z.object({ recordId: z.string(), parentId: z.string().nullable() })),
            recordsByTerritory: z.array(z.object({ territoryId: z.string(), records: z.number() })),
            criteriaOverlaps: z.array(z.object({ parentId: z.string().nullable(), territoryIds: z.array(z.string()) })),
          }).meta({ id: 'TerritoryCoverage' }),
          ...COMMON_ERRORS,
        },
      },
    },
    async (request) => {
      const { dataset, period, sample } = request.query;
      return unwrap(await inCallerTenant(store, request, (scope) => territoryCoverage(scope, { dataset, period: period ?? null, sample }))).value;
    },
  );
}

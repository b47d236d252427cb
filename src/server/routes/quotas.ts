import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ALLOCATION_METHODS } from '../../core/quota/index.js';
import {
  allocateQuotaVersion, createQuotaPlan, diffVersions, exportQuotaCsv, getQuotaVersion, getQuotaVersionSummary, importQuotaCsv, listQuotaPlans, lockQuotaVersion,
  overrideQuotas, quotaForPayee, quotaVisibility, reviseQuotaVersion, type QuotaVisibility, type VersionRefusal,
} from '../../store/repos/quotas.js';
import { getPayee } from '../../store/repos/payees.js';
import type { TenantScope } from '../../store/store.js';
import { inCallerTenant, type App, type RouteDeps } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { CalendarDate, COMMON_ERRORS, Currency, Id, listOf, Name } from '../schemas.js';
import { unwrap } from './territories.js';
import type { FastifyRequest } from 'fastify';

const Minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe('Integer minor units (cents)');
const AssigneeKind = z.enum(['rep', 'team', 'territory']);
const IssueSchema = z.object({ code: z.string(), path: z.string(), message: z.string(), severity: z.enum(['error', 'warning']).optional() });
const PlanSchema = z.object({ id: Id, name: z.string(), fiscalYear: z.number().int(), currency: z.string(), targetMinor: z.number().int() }).meta({ id: 'QuotaPlan' });
const VersionSchema = z
  .object({
    id: Id, planId: Id, version: z.number().int(), method: z.enum(ALLOCATION_METHODS), levels: z.enum(['teams', 'territories']),
    effectiveFrom: z.string(), effectiveTo: z.string().nullable(), isLocked: z.boolean(), lockedAt: z.string().nullable(), lockedBy: z.string().nullable(), note: z.string(),
  })
  .meta({ id: 'QuotaVersion' });
const LineSchema = z
  .object({ assigneeKind: AssigneeKind, assigneeId: Id, assigneeName: z.string().nullable(), period: z.string(), quotaMinor: z.number().int(), parentKey: z.string().nullable(), isOverridden: z.boolean() })
  .meta({ id: 'QuotaLine' });
const GapSchema = z.object({ parentId: z.string().nullable(), parentQuotaMinor: z.number(), childrenSumMinor: z.number(), gapMinor: z.number() });

const refusal = (outcome: VersionRefusal): AppError =>
  outcome === 'not_found' ? notFound('Quota version') : new AppError('conflict', 'This quota version is locked: locked versions never change (revise it into a new version)');

async function visibilityOf(scope: TenantScope, request: FastifyRequest): Promise<QuotaVisibility> {
  const auth = request.auth;
  if (!auth) throw new Error('no caller');
  return quotaVisibility(scope, { role: auth.role, userId: auth.userId });
}

export function registerQuotaRoutes(app: App, { store }: RouteDeps): void {
  const tags = ['quotas'];
  const planParams = z.object({ quotaPlanId: Id });
  const versionParams = z.object({ versionId: Id });

  app.get(
    '/api/quota-plans',
    { config: { access: 'quotas:read' }, schema: { tags, summary: 'Quota plans (company target per fiscal year) with their versions', response: { 200: listOf(PlanSchema.extend({ versions: z.array(VersionSchema) })), ...COMMON_ERRORS } } },
    (request) => inCallerTenant(store, request, async (scope) => ({ items: await listQuotaPlans(scope) })),
  );

  app.post(
    '/api/quota-plans',
    {
      config: { access: 'quotas:manage' },
      schema: {
        tags, summary: 'Create a quota plan: a company target for a fiscal year',
        body: z.object({ name: Name, fiscalYear: z.number().int().min(1900).max(9999), targetMinor: Minor, currency: Currency.optional() }),
        response: { 201: PlanSchema, ...COMMON_ERRORS },
      },
    },
    async (request, reply) => reply.status(201).send(await inCallerTenant(store, request, (scope) => createQuotaPlan(scope, { id: randomUUID(), ...request.body }))),
  );

  app.get(
    '/api/quota-plans/:quotaPlanId',
    { config: { access: 'quotas:read' }, schema: { tags, summary: 'A quota plan with its versions', params: planParams, response: { 200: PlanSchema.extend({ versions: z.array(VersionSchema) }), ...COMMON_ERRORS } } },
    async (request) => {
      const plan = await inCallerTenant(store, request, async (scope) => (await listQuotaPlans(scope)).find((p) => p.id === request.params.quotaPlanId) ?? null);
      if (!plan) throw notFound('Quota plan');
      return plan;
    },
  );

  app.post(
    '/api/quota-plans/:quotaPlanId/versions',
    {
      config: { access: 'quotas:manage' },
      schema: {
        tags,
        summary: 'Allocate the plan\'s target top-down into a new draft version (equal, historical, potential or capacity with ramp; seasonality learned from history)',
        params: planParams,
        body: z.object({
          method: z.enum(ALLOCATION_METHODS),
          levels: z.enum(['teams', 'territories']).default('teams').describe('teams: team tree → reps; territories: territory tree → owner teams → reps'),
          effectiveFrom: CalendarDate,
          effectiveTo: CalendarDate.nullable().optional(),
          note: z.string().max(2000).optional(),
        }),
        response: { 201: VersionSchema.extend({ lineCount: z.number().int(), warnings: z.array(IssueSchema) }), ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const result = await inCallerTenant(store, request, (scope) => allocateQuotaVersion(scope, { id: randomUUID(), planId: request.params.quotaPlanId, ...request.body }));
      if (!result) throw notFound('Quota plan');
      const { value, warnings } = unwrap(result);
      return reply.status(201).send({ ...value, warnings });
    },
  );

  app.get(
    '/api/quota-versions/:versionId',
    {
      config: { access: 'quotas:read' },
      schema: {
        tags,
        summary: 'A quota version with its lines (finance and admins: all, with the gap to the target; managers: their team subtree; reps: their own)',
        params: versionParams,
        querystring: z.object({ period: z.string().max(10).optional().describe('Only lines of this period (FY2026, 2026-Q1, 2026-01)') }),
        response: {
          200: z.object({ plan: PlanSchema, version: VersionSchema, lines: z.array(LineSchema), totalGapMinor: z.number().nullable(), gaps: z.array(GapSchema).nullable() }).meta({ id: 'QuotaVersionDetail' }),
          ...COMMON_ERRORS,
        },
      },
    },
    async (request) => {
      const detail = await inCallerTenant(store, request, async (scope) => getQuotaVersion(scope, request.params.versionId, { visibility: await visibilityOf(scope, request), period: request.query.period }));
      if (!detail) throw notFound('Quota version');
      return detail;
    },
  );

  app.post(
    '/api/quota-versions/:versionId/overrides',
    {
      config: { access: 'quotas:adjust' },
      schema: {
        tags,
        summary: 'Adjust yearly quotas bottom-up (finance, admins; managers within their team subtree); each change audited with before, after and the reason; returns the gaps to parents and target',
        params: versionParams,
        body: z.object({
          overrides: z.array(z.object({ assigneeKind: AssigneeKind, assigneeId: Id, quotaMinor: Minor, reason: z.string().trim().min(1).max(500) })).min(1).max(10_000),
          rebalance: z.boolean().default(false).describe('Let the siblings that were not overridden absorb the difference'),
        }),
        response: {
          200: z.object({
            changes: z.array(z.object({ assigneeKind: AssigneeKind, assigneeId: Id, beforeMinor: z.number(), afterMinor: z.number(), cause: z.enum(['override', 'rebalance']), reason: z.string().optional() })),
            gaps: z.array(GapSchema), totalGapMinor: z.number(), warnings: z.array(IssueSchema),
          }),
          ...COMMON_ERRORS,
        },
      },
    },
    async (request) => {
      const result = await inCallerTenant(store, request, async (scope) => {
        if (!(await getQuotaVersionSummary(scope, request.params.versionId))) return 'not_found' as const;
        // A manager adjusts the quotas of their own team subtree only.
        const visibility = await visibilityOf(scope, request);
        const outside = visibility.all ? -1 : request.body.overrides.findIndex((o) =>
          !(o.assigneeKind === 'rep' ? visibility.payeeIds.includes(o.assigneeId) : o.assigneeKind === 'team' && visibility.teamIds.includes(o.assigneeId)));
        if (outside >= 0) return 'outside' as const;
        return overrideQuotas(scope, request.params.versionId, request.body);
      });
      if (result === 'outside') throw new AppError('forbidden', 'You may adjust the quotas of your own teams and their reps only');
      if (typeof result === 'string') throw refusal(result);
      const { value } = unwrap(result);
      return { ...value, changes: value.changes.map(({ nodeId: _nodeId, ...c }) => c) };
    },
  );

  app.post(
    '/api/quota-versions/:versionId/lock',
    { config: { access: 'quotas:manage' }, schema: { tags, summary: 'Lock a version: it never changes again (409 on any later change)', params: versionParams, response: { 200: VersionSchema, ...COMMON_ERRORS } } },
    async (request) => {
      const result = await inCallerTenant(store, request, (scope) => lockQuotaVersion(scope, request.params.versionId));
      if (typeof result === 'string') throw refusal(result);
      return result;
    },
  );

  app.post(
    '/api/quota-versions/:versionId/revise',
    {
      config: { access: 'quotas:manage' },
      schema: {
        tags, summary: 'Start a new draft version (number + 1) from this one, in force from a date',
        params: versionParams, body: z.object({ effectiveFrom: CalendarDate, note: z.string().max(2000).optional() }),
        response: { 201: VersionSchema, ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const result = await inCallerTenant(store, request, (scope) => reviseQuotaVersion(scope, { id: request.params.versionId, newId: randomUUID(), ...request.body }));
      if (result === 'not_found') throw notFound('Quota version');
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/api/quota-versions/:versionId/diff',
    {
      config: { access: 'quotas:manage' },
      schema: {
        tags, summary: 'What changed from another version to this one, per line, with totals',
        params: versionParams, querystring: z.object({ against: Id.describe('The earlier version') }),
        response: {
          200: z.object({
            changes: z.array(z.object({ key: z.string(), assigneeKind: AssigneeKind, assigneeId: z.string(), period: z.string(), beforeMinor: z.number().nullable(), afterMinor: z.number().nullable(), deltaMinor: z.number() })),
            added: z.number(), removed: z.number(), changed: z.number(), unchanged: z.number(), totalBeforeMinor: z.number(), totalAfterMinor: z.number(), totalDeltaMinor: z.number(),
          }),
          ...COMMON_ERRORS,
        },
      },
    },
    async (request) => {
      const result = await inCallerTenant(store, request, (scope) => diffVersions(scope, request.query.against, request.params.versionId));
      if (result === 'not_found') throw notFound('Quota version');
      return result;
    },
  );

  app.get(
    '/api/quota-versions/:versionId/lines.csv',
    {
      config: { access: 'quotas:read' },
      schema: { tags, summary: 'The lines as CSV (assignee_kind, assignee_id, assignee_name, period, quota_minor), as far as the caller may see them', params: versionParams, produces: ['text/csv'] },
    },
    async (request, reply) => {
      const csv = await inCallerTenant(store, request, async (scope) => exportQuotaCsv(scope, request.params.versionId, await visibilityOf(scope, request)));
      if (csv === null) throw notFound('Quota version');
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="quota-${request.params.versionId}.csv"`).send(csv);
    },
  );

  app.post(
    '/api/quota-versions/:versionId/import',
    {
      config: { access: 'quotas:manage' },
      schema: {
        tags,
        summary: 'Import quota lines from CSV (the export\'s columns; assignee_name optional), all or nothing: a bad row is named by row, column and reason and nothing is written',
        params: versionParams,
        body: z.object({ csv: z.string().min(1).max(900_000), reason: z.string().trim().min(1).max(500) }),
        response: { 200: z.object({ added: z.number(), changed: z.number(), unchanged: z.number() }), ...COMMON_ERRORS },
      },
    },
    async (request) => {
      const result = await inCallerTenant(store, request, (scope) => importQuotaCsv(scope, request.params.versionId, request.body));
      if (typeof result === 'string') throw refusal(result);
      if (!result.ok) {
        const first = result.issues[0];
        throw new AppError('validation_failed', first ? `row ${first.row}, column ${first.column}: ${first.message}` : 'Invalid CSV', result.issues);
      }
      return { added: result.added, changed: result.changed, unchanged: result.unchanged };
    },
  );

  app.get(
    '/api/quotas/payees/:payeeId',
    {
      config: { access: 'quotas:read' },
      schema: {
        tags,
        summary: 'The quota of one payee for one period, from the version in force on the period\'s first day (what the comp engine reads; reps: their own only)',
        params: z.object({ payeeId: Id }),
        querystring: z.object({ period: z.string().min(1).max(10).describe('FY2026, 2026-Q1 or 2026-01'), includeDrafts: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') }),
        response: {
          200: z.object({
            payeeId: Id, period: z.string(), periodStart: z.string(), periodEnd: z.string().describe('exclusive'), quotaMinor: z.number().int().nullable(), currency: z.string(),
            planId: Id, versionId: Id, version: z.number().int(), isLocked: z.boolean(), effectiveFrom: z.string(),
          }).meta({ id: 'PayeeQuota' }),
          ...COMMON_ERRORS,
        },
      },
    },
    async (request) => {
      const result = await inCallerTenant(store, request, async (scope) => {
        if (!(await getPayee(scope, request.params.payeeId))) return 'not_found' as const;
        const visibility = await visibilityOf(scope, request);
        if (!visibility.all && !visibility.payeeIds.includes(request.params.payeeId)) return 'forbidden' as const;
        return quotaForPayee(scope, { payeeId: request.params.payeeId, period: request.query.period, includeDrafts: request.query.includeDrafts });
      });
      if (result === 'not_found') throw notFound('Payee');
      if (result === 'forbidden') throw new AppError('forbidden', 'Quotas are private: you may read your own (and, as a manager, your team\'s)');
      const { value } = unwrap(result);
      if (!value) throw new AppError('not_found', 'No quota version in force for this period');
      return value;
    },
  );

}

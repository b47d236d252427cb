import { z } from 'zod';
import { findCatalogueMetric } from '../../core/metrics/catalogue.js';
import { FilterSchema, METRIC_KEY, METRIC_UNITS, MetricDefinitionSchema, type MetricDefinition } from '../../core/metrics/definition.js';
import { validateMetricDefinition, type MetricIssue } from '../../core/metrics/validate.js';
import { addMetricVersion, createCustomMetric, listMetricVersions, type StoredMetricVersion } from '../../store/metrics/definitions.js';
import { explainMetric, listMetrics, type EvaluateRequest, type MetricSelector, type ServiceResult } from '../../store/metrics/service.js';
import { listDatasets } from '../../store/repos/datasets.js';
import type { TenantScope } from '../../store/store.js';
import { inCallerTenant, type App, type RouteDeps } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { CalendarDate, COMMON_ERRORS, Instant, listOf } from '../schemas.js';

/** Metrics: the catalogue and custom definitions (versioned), evaluation and explanation. */

const MetricKey = z.string().regex(METRIC_KEY, 'a metric key: a-z, 0-9 and _');
const Source = z.enum(['catalogue', 'custom', 'inline']);
const LabelSchema = z.object({ en: z.string(), de: z.string() });
const PeriodRefSchema = z.object({ key: z.string(), start: CalendarDate, end: CalendarDate.describe('exclusive') }).meta({ id: 'MetricPeriod' });
const MetricRefSchema = z
  .object({ key: z.string(), version: z.number().int().nullable().describe('null for an unsaved definition'), source: Source })
  .meta({ id: 'MetricRef' });

const MetricSummarySchema = z
  .object({
    key: z.string(),
    version: z.number().int(),
    source: z.enum(['catalogue', 'custom']),
    definition: MetricDefinitionSchema,
    missingDatasets: z.array(z.string()).describe('Custom datasets the metric reads that this workspace has not declared yet'),
  })
  .meta({ id: 'MetricSummary' });

const MetricVersionSchema = z
  .object({
    version: z.number().int(),
    definition: MetricDefinitionSchema,
    createdAt: Instant.nullable(),
    createdBy: z.object({ id: z.string().nullable(), name: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'MetricVersion' });

const MetricDetailSchema = z
  .object({ key: z.string(), source: z.enum(['catalogue', 'custom']), versions: z.array(MetricVersionSchema).describe('Newest first') })
  .meta({ id: 'MetricDetail' });

const selectorShape = {
  key: MetricKey.optional().describe('A catalogue or custom metric'),
  version: z.number().int().positive().optional().describe('A custom metric’s version (default: the latest)'),
  definition: MetricDefinitionSchema.optional().describe('An unsaved definition, e.g. from the editor’s live preview'),
  period: z.string().trim().min(1).max(40).describe('2026-W05, 2026-03, 2026-Q1, FY2026 or 2026-01-15..2026-02-14 (fiscal calendar of the workspace)'),
  groupBy: z.string().max(40).nullable().optional().describe('owner, team (rolled up), territory or a field the metric allows'),
  filters: z.array(FilterSchema).max(20).optional().describe('Extra filters on the metric’s dataset (a key result’s parameters)'),
};
const EvaluateBody = z.object({
  ...selectorShape,
  watch: z
    .uuid()
    .optional()
    .describe('Keep this evaluation live: the `clientId` of your open GET /api/live stream. Changed values then arrive there as `metric.updated` events naming `live.view`.'),
});
const ExplainBody = z.object({
  ...selectorShape,
  group: z.string().max(100).nullable().optional().describe('The group to explain (null: records without a value); absent: all records'),
  limit: z.number().int().min(1).max(10_000).default(1000).describe('Record ids listed per component'),
});

const GroupSchema = z.object({
  key: z.string().nullable(),
  label: z.string(),
  value: z.string().nullable().describe('A decimal string: exact, or rounded half away from zero to 4 decimals; null when undefined (e.g. ÷ 0)'),
  recordCount: z.number().int(),
});
const EvaluationSchema = z
  .object({
    metric: MetricRefSchema,
    name: LabelSchema,
    unit: z.enum(METRIC_UNITS),
    currency: z.string().nullable().describe('For money metrics: the currency of the values (minor units). Money is never added across currencies: records in other currencies are left out unless the metric filters by currency.'),
    period: PeriodRefSchema,
    baselinePeriod: PeriodRefSchema.nullable(),
    groupBy: z.string().nullable(),
    groups: z.array(GroupSchema),
    total: z.object({ value: z.string().nullable(), recordCount: z.number().int() }),
    live: z
      .object({ view: z.string().describe('Named by the `metric.updated` events of this evaluation') })
      .nullable()
      .optional()
      .describe('Present when the request asked to `watch`'),
  })
  .meta({ id: 'MetricEvaluation' });

const ExplanationSchema = z
  .object({
    metric: MetricRefSchema,
    period: PeriodRefSchema,
    groupBy: z.string().nullable(),
    group: z.string().nullable(),
    count: z.number().int().describe('Contributing records of the value (what recordCount counts)'),
    recordIds: z.array(z.string()),
    components: z.array(z.object({ role: z.string(), dataset: z.string(), period: PeriodRefSchema, count: z.number().int(), recordIds: z.array(z.string()) })),
  })
  .meta({ id: 'MetricExplanation' });

const issuesError = (issues: readonly MetricIssue[]): AppError => {
  const details = issues.map((i) => ({ path: `body.${i.path}`, code: i.code, message: i.message }));
  const first = details[0];
  return new AppError('validation_failed', first ? `${first.path}: ${first.message}${details.length > 1 ? ` (and ${details.length - 1} more)` : ''}` : 'Invalid metric', details);
};

function unwrap<T>(result: ServiceResult<T>): T {
  if (result.ok) return result.value;
  if (result.reason === 'not_found') throw new AppError('not_found', result.message);
  throw issuesError(result.issues);
}

function selectorOf(body: { key?: string | undefined; version?: number | undefined; definition?: unknown }): MetricSelector {
  if ((body.key === undefined) === (body.definition === undefined)) {
    throw new AppError('validation_failed', 'body: give either key or definition', [{ path: 'body.key', code: 'key_or_definition', message: 'give either key or definition' }]);
  }
  if (body.definition !== undefined) {
    if (body.version !== undefined) throw new AppError('validation_failed', 'body.version: only with key', [{ path: 'body.version', code: 'version_without_key', message: 'only with key' }]);
    return { definition: body.definition };
  }
  return { key: body.key ?? '', version: body.version };
}

const toVersion = (v: StoredMetricVersion) => ({ version: v.version, definition: v.definition, createdAt: v.createdAt, createdBy: v.createdBy });

/** Validates a definition against the workspace's datasets; a catalogue key is not free. */
async function checkDefinition(scope: TenantScope, definition: MetricDefinition): Promise<void> {
  if (findCatalogueMetric(definition.key)) {
    throw new AppError('conflict', `"${definition.key}" is a catalogue metric; choose another key`, [{ path: 'body.key', code: 'catalogue_key', message: 'a catalogue metric has this key' }]);
  }
  const result = validateMetricDefinition(definition, await listDatasets(scope));
  if (!result.ok) throw issuesError(result.issues);
}

export function registerMetricRoutes(app: App, { store, hub, liveMetrics }: RouteDeps): void {
  const tags = ['metrics'];
  const params = z.object({ key: MetricKey });

  app.get(
    '/api/metrics',
    {
      config: { access: 'metrics:read' },
      schema: { tags, summary: 'The metric catalogue and this workspace’s custom metrics (latest versions)', response: { 200: listOf(MetricSummarySchema), ...COMMON_ERRORS } },
    },
    async (request) => ({ items: await inCallerTenant(store, request, listMetrics) }),
  );

  app.get(
    '/api/metrics/:key',
    { config: { access: 'metrics:read' }, schema: { tags, summary: 'One metric with all its versions', params, response: { 200: MetricDetailSchema, ...COMMON_ERRORS } } },
    async (request) => {
      const entry = findCatalogueMetric(request.params.key);
      if (entry) return { key: entry.definition.key, source: 'catalogue' as const, versions: [{ version: entry.version, definition: entry.definition, createdAt: null, createdBy: null }] };
      const versions = await inCallerTenant(store, request, (scope) => listMetricVersions(scope, request.params.key));
      if (versions.length === 0) throw notFound('Metric');
      return { key: request.params.key, source: 'custom' as const, versions: versions.map(toVersion) };
    },
  );

  app.post(
    '/api/metrics',
    {
      config: { access: 'metrics:manage' },
      schema: { tags, summary: 'Create a custom metric (version 1)', body: MetricDefinitionSchema, response: { 201: MetricVersionSchema, ...COMMON_ERRORS } },
    },
    async (request, reply) => {
      const saved = await inCallerTenant(store, request, async (scope) => {
        await checkDefinition(scope, request.body);
        return createCustomMetric(scope, request.body);
      });
      if (!saved) throw new AppError('conflict', `A metric "${request.body.key}" exists already; edit it with PUT to add a version`);
      return reply.status(201).send(toVersion(saved));
    },
  );

  app.put(
    '/api/metrics/:key',
    {
      config: { access: 'metrics:manage' },
      schema: { tags, summary: 'Edit a custom metric: saves the next version, earlier ones stay', params, body: MetricDefinitionSchema, response: { 200: MetricVersionSchema, ...COMMON_ERRORS } },
    },
    async (request) => {
      if (request.body.key !== request.params.key) {
        throw new AppError('validation_failed', 'body.key: must equal the key in the path', [{ path: 'body.key', code: 'key_mismatch', message: 'must equal the key in the path' }]);
      }
      const saved = await inCallerTenant(store, request, async (scope) => {
        if (findCatalogueMetric(request.params.key)) return 'catalogue' as const;
        if (!(await listMetricVersions(scope, request.params.key)).length) return null;
        await checkDefinition(scope, request.body);
        return addMetricVersion(scope, request.body);
      });
      if (saved === 'catalogue') throw new AppError('conflict', 'Catalogue metrics cannot be edited; save a copy under another key');
      if (!saved) throw notFound('Metric');
      return toVersion(saved);
    },
  );

  app.post(
    '/api/metrics/evaluate',
    {
      config: { access: 'metrics:read' },
      schema: {
        tags,
        summary: 'Evaluate a metric for a period, optionally grouped (owner, team, territory, a field)',
        description: 'Values are decimal strings; money in minor units. Give either `key` (and optionally `version`) or an unsaved `definition`.',
        body: EvaluateBody,
        response: { 200: EvaluationSchema, ...COMMON_ERRORS },
      },
    },
    async (request) => {
      const body = request.body;
      const evaluate: EvaluateRequest = { metric: selectorOf(body), period: body.period, groupBy: body.groupBy ?? null, filters: body.filters };
      const watch = body.watch ?? null;
      if (watch) {
        const auth = request.auth;
        const client = auth ? hub.client(auth.tenantId, watch) : undefined;
        // Only the caller's own stream: never another user's connection.
        if (!auth || !client || client.userId !== auth.userId || client.tokenId !== auth.tokenId) {
          throw new AppError('validation_failed', 'body.watch: no open live stream of yours has this id (GET /api/live sends it in its `ready` event)', [
            { path: 'body.watch', code: 'unknown_stream', message: 'no open live stream of yours has this id' },
          ]);
        }
      }
      return unwrap(await inCallerTenant(store, request, (scope) => liveMetrics.evaluate(scope, evaluate, watch)));
    },
  );

  app.post(
    '/api/metrics/explain',
    {
      config: { access: 'metrics:read' },
      schema: {
        tags,
        summary: 'The records behind one group’s value (or the total), per component, with the definition version',
        body: ExplainBody,
        response: { 200: ExplanationSchema, ...COMMON_ERRORS },
      },
    },
    async (request) => {
      const body = request.body;
      return unwrap(await inCallerTenant(store, request, (scope) =>
        explainMetric(scope, { metric: selectorOf(body), period: body.period, groupBy: body.groupBy ?? null, filters: body.filters, group: body.group, limit: body.limit })));
    },
  );
}

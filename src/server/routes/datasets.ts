import { z } from 'zod';
import { FIELD_TYPES, type DatasetDef } from '../../core/data/datasets.js';
import { DatasetDeclarationSchema, declareDataset } from '../../core/data/dataset-declaration.js';
import { createDataset, getDataset, listDatasets, type TenantDataset } from '../../store/repos/datasets.js';
import { datasetStats, type DatasetStats } from '../../store/repos/records.js';
import type { TenantScope } from '../../store/store.js';
import { inCallerTenant, type App, type RouteDeps } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { COMMON_ERRORS, Instant, listOf } from '../schemas.js';

/** Schemas and helpers the data routes share (datasets, records, imports, webhooks). */

export const LabelSchema = z.object({ en: z.string(), de: z.string() });
export const DatasetKeyParam = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'a dataset key');

export const FieldSchema = z
  .object({
    key: z.string(),
    label: LabelSchema,
    type: z.enum(FIELD_TYPES),
    slot: z.string(),
    scale: z.number().int().nullable(),
    required: z.boolean(),
    values: z.array(z.string()).nullable().describe('The allowed values of a closed text field'),
  })
  .meta({ id: 'DatasetField' });

export const DatasetSchema = z
  .object({
    key: z.string(),
    label: LabelSchema,
    kind: z.enum(['builtin', 'custom']),
    fields: z.array(FieldSchema),
    currencyField: z.string().nullable(),
    version: z.number().int(),
    createdAt: Instant.nullable(),
    recordCount: z.number().int().describe('Records of this dataset in the workspace'),
    lastChangeAt: Instant.nullable().describe('When a record of it was last written'),
  })
  .meta({ id: 'Dataset' });

const NO_RECORDS: DatasetStats = { count: 0, lastChangeAt: null };

export const toDatasetBody = (d: TenantDataset, stats: DatasetStats = NO_RECORDS) => ({
  key: d.key,
  label: d.label,
  kind: d.kind,
  fields: d.fields.map((f) => ({ key: f.key, label: f.label, type: f.type, slot: f.slot, scale: f.scale ?? null, required: f.required ?? false, values: f.values ? [...f.values] : null })),
  currencyField: d.currencyField ?? null,
  version: d.version,
  createdAt: d.createdAt,
  recordCount: stats.count,
  lastChangeAt: stats.lastChangeAt,
});

/** The dataset a path names, in the caller's workspace; 404 when it has none by that key. */
export async function requireDataset(scope: TenantScope, key: string): Promise<TenantDataset> {
  const dataset = await getDataset(scope, key);
  if (!dataset) throw notFound('Dataset');
  return dataset;
}

export const issuesError = (issues: readonly { path: string; code: string; message: string }[], prefix = 'body'): AppError => {
  const details = issues.slice(0, 1000).map((i) => ({ path: `${prefix}.${i.path}`, code: i.code, message: i.message }));
  const first = details[0];
  return new AppError('validation_failed', first ? `${first.path}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}` : 'Invalid request', details);
};

export function registerDatasetRoutes(app: App, { store }: RouteDeps): void {
  const tags = ['data'];
  const params = z.object({ dataset: DatasetKeyParam });

  app.get(
    '/api/datasets',
    {
      config: { access: 'data:read' },
      schema: { tags, summary: 'Datasets: the built-in ones (accounts, deals, leads, activities, tickets) and this workspace’s custom ones, with their fields', response: { 200: listOf(DatasetSchema), ...COMMON_ERRORS } },
    },
    async (request) =>
      inCallerTenant(store, request, async (scope) => {
        const stats = await datasetStats(scope);
        return { items: (await listDatasets(scope)).map((d) => toDatasetBody(d, stats.get(d.key))) };
      }),
  );

  app.get(
    '/api/datasets/:dataset',
    { config: { access: 'data:read' }, schema: { tags, summary: 'One dataset and its fields', params, response: { 200: DatasetSchema, ...COMMON_ERRORS } } },
    async (request) =>
      inCallerTenant(store, request, async (scope) => {
        const dataset = await requireDataset(scope, request.params.dataset);
        return toDatasetBody(dataset, (await datasetStats(scope, dataset.key)).get(dataset.key));
      }),
  );

  app.post(
    '/api/datasets',
    {
      config: { access: 'data:import' },
      schema: {
        tags,
        summary: 'Declare a custom dataset (typed fields; see docs/schemas/dataset.schema.json)',
        body: DatasetDeclarationSchema,
        response: { 201: DatasetSchema, ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const declared = declareDataset(request.body);
      if (!declared.ok) throw issuesError(declared.issues);
      const dataset: DatasetDef = declared.dataset;
      const created = await inCallerTenant(store, request, (scope) => createDataset(scope, dataset));
      if (!created) throw new AppError('conflict', `A dataset "${dataset.key}" exists already`);
      return reply.status(201).send(toDatasetBody(created));
    },
  );
}

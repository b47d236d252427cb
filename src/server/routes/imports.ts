import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import fastifyMultipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BUILTIN_MAPPINGS } from '../../core/data/builtin-mappings.js';
import { chooseMapping, type MappingRequest } from '../../core/data/mapping-choice.js';
import { ImportMappingSchema, type ImportMapping } from '../../core/data/mapping.js';
import { suggestMapping } from '../../core/data/suggest.js';
import { hasPermission } from '../../core/roles.js';
import { openCsv, readCsvSample } from '../../integrations/csv/reader.js';
import { errorsToCsv } from '../../integrations/csv/writer.js';
import {
  createImport,
  createMapping,
  deleteMapping,
  findMappingByName,
  getImport,
  IMPORT_MODES,
  IMPORT_STATUSES,
  listImports,
  listMappings,
  runImport,
  updateMapping,
  type ImportJob,
  type ImportMode,
  type ImportProgress,
} from '../../store/repos/imports.js';
import type { TenantScope } from '../../store/store.js';
import { inCallerTenant, type App, type RouteDeps } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { COMMON_ERRORS, Id, Instant, listOf, NoContent, pageOf } from '../schemas.js';
import { DatasetKeyParam, requireDataset } from './datasets.js';

/** Largest CSV upload. */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;
const UPLOAD_DIR = path.join(os.tmpdir(), 'attain-uploads');

const RowErrorSchema = z.object({ row: z.number().int(), column: z.string(), value: z.string(), code: z.string(), message: z.string() }).meta({ id: 'ImportRowError' });

export const ImportSchema = z
  .object({
    id: Id,
    dataset: z.string(),
    source: z.enum(['upload', 'cli']),
    fileName: z.string().nullable(),
    mapping: ImportMappingSchema,
    mappingName: z.string().nullable(),
    status: z.enum(IMPORT_STATUSES).describe('queued → validating → writing → completed; rejected: the file has errors and nothing was written; failed'),
    mode: z.enum(IMPORT_MODES),
    dryRun: z.boolean(),
    totalRows: z.number().int(),
    validatedRows: z.number().int().describe('Progress of the validation pass'),
    validRows: z.number().int(),
    writtenRows: z.number().int().describe('Progress of the write pass'),
    inserted: z.number().int().describe('Dry runs: what would be inserted'),
    updated: z.number().int(),
    unchanged: z.number().int(),
    errorCount: z.number().int(),
    errors: z.array(RowErrorSchema).describe('The first 1,000 errors (GET …/errors.csv for the report)'),
    preview: z.array(z.object({ row: z.number().int(), extId: z.string(), values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])) })).nullable(),
    ignoredColumns: z.array(z.string()),
    failure: z.string().nullable(),
    createdBy: z.object({ id: Id.nullable(), name: z.string().nullable(), tokenId: Id.nullable() }),
    createdAt: Instant,
    startedAt: Instant.nullable(),
    finishedAt: Instant.nullable(),
  })
  .meta({ id: 'Import' });

const SavedMappingSchema = z
  .object({ id: Id, dataset: z.string(), name: z.string(), mapping: ImportMappingSchema, createdAt: Instant, updatedAt: Instant })
  .meta({ id: 'SavedMapping' });

const MappingName = z.string().trim().min(1).max(100).refine((n) => n !== 'auto' && !BUILTIN_MAPPINGS.some((m) => m.name === n), 'reserved for a built-in mapping');

interface RunningJob {
  tenantId: string;
  progress: ImportProgress;
  controller: AbortController;
  done: Promise<unknown>;
}

/**
 * Overlays the progress of a job this process is running: fresher than the job's row, which
 * lags by up to a second (and, on the embedded store, waits for the write pass to commit, so
 * its heartbeat may look stale). Once the job ends here, its row has the outcome.
 */
function withProgress(job: ImportJob, running: RunningJob | undefined): ImportJob {
  const p = running?.progress;
  if (!p || (p.status !== 'validating' && p.status !== 'writing')) return job;
  return {
    ...job, status: p.status, failure: null, totalRows: p.totalRows, validatedRows: p.validatedRows, validRows: p.validRows, writtenRows: p.writtenRows,
    errorCount: p.errorCount, inserted: p.inserted, updated: p.updated, unchanged: p.unchanged,
  };
}

async function resolveSavedMapping(scope: TenantScope, dataset: string, request: MappingRequest, head: Parameters<typeof chooseMapping>[2], datasetDef: Parameters<typeof chooseMapping>[0]): Promise<{ mapping: ImportMapping; name: string | null }> {
  const choice = chooseMapping(datasetDef, request, head);
  if (choice.ok === 'saved') {
    const saved = await findMappingByName(scope, dataset, choice.name);
    if (!saved) throw new AppError('validation_failed', `body.mappingName: no saved mapping "${choice.name}" for ${dataset}`, [{ path: 'body.mappingName', message: 'not found' }]);
    return { mapping: saved.mapping, name: saved.name };
  }
  if (!choice.ok) throw new AppError('validation_failed', `body.${choice.message}`, choice.issues.map((i) => ({ path: `body.${i.path}`, message: i.message })));
  return { mapping: choice.mapping, name: choice.name };
}

export function registerImportRoutes(app: App, { store, hub }: RouteDeps): void {
  const tags = ['data'];
  const datasetParams = z.object({ dataset: DatasetKeyParam });
  const running = new Map<string, RunningJob>();

  app.addHook('onClose', async () => {
    for (const job of running.values()) job.controller.abort();
    await Promise.allSettled([...running.values()].map((j) => j.done));
  });

  // Multipart only where a file is uploaded.
  void app.register(async (plugin) => {
    const scoped = plugin.withTypeProvider<ZodTypeProvider>();
    await scoped.register(fastifyMultipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 1024 * 1024 } });
    scoped.post(
      '/api/datasets/:dataset/imports',
      {
        config: { access: 'data:import' },
        schema: {
          tags,
          summary: 'Import a CSV file (multipart/form-data: file; mapping (JSON) or mappingName; dryRun; mode). Runs in the background: poll GET /api/imports/{importId}',
          params: datasetParams,
          response: { 202: ImportSchema, ...COMMON_ERRORS, 413: COMMON_ERRORS[400], 415: COMMON_ERRORS[400] },
        },
      },
      async (request, reply) => {
        const auth = request.auth;
        if (!auth) throw new AppError('unauthenticated', 'Sign in first');
        const dataset = await inCallerTenant(store, request, (scope) => requireDataset(scope, request.params.dataset));
        if (!request.isMultipart()) throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data');
        await mkdir(UPLOAD_DIR, { recursive: true });
        const file = path.join(UPLOAD_DIR, `${randomUUID()}.csv`);
        let started = false;
        try {
          const fields: Record<string, string> = {};
          let fileName: string | null = null;
          for await (const part of request.parts()) {
            if (part.type === 'file') {
              if (fileName !== null) throw new AppError('bad_request', 'Send one file');
              fileName = part.filename || 'upload.csv';
              await pipeline(part.file, createWriteStream(file));
              if (part.file.truncated) throw new AppError('payload_too_large', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 ** 3} GiB`);
            } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
          }
          if (fileName === null) throw new AppError('validation_failed', 'body.file: no file was sent', [{ path: 'body.file', message: 'required' }]);
          const options = z
            .object({
              mapping: z.string().optional(),
              mappingName: z.string().max(100).optional(),
              dryRun: z.enum(['true', 'false', '1', '0']).optional(),
              mode: z.enum(IMPORT_MODES).optional(),
            })
            .safeParse(fields);
          if (!options.success) {
            const issue = options.error.issues[0];
            const where = `body.${issue?.path.join('.') ?? ''}`;
            throw new AppError('validation_failed', `${where}: ${issue?.message ?? 'invalid'}`, [{ path: where, message: issue?.message ?? 'invalid' }]);
          }
          let mappingJson: unknown;
          if (options.data.mapping !== undefined) {
            try {
              mappingJson = JSON.parse(options.data.mapping);
            } catch {
              throw new AppError('validation_failed', 'body.mapping: not JSON', [{ path: 'body.mapping', message: 'not JSON' }]);
            }
          }
          const head = await readCsvSample(file, 50);
          const dryRun = options.data.dryRun === 'true' || options.data.dryRun === '1';
          const mode: ImportMode = options.data.mode ?? 'atomic';
          const importId = randomUUID();
          const { job, mapping } = await inCallerTenant(store, request, async (scope) => {
            const chosen = await resolveSavedMapping(scope, dataset.key, { mapping: mappingJson, name: options.data.mappingName }, head, dataset);
            const created = await createImport(scope, { id: importId, dataset: dataset.key, source: 'upload', fileName, mapping: chosen.mapping, mappingName: chosen.name, mode, dryRun });
            return { job: created, mapping: chosen.mapping };
          });
          const controller = new AbortController();
          let lastPublished = 0;
          const entry: RunningJob = { tenantId: auth.tenantId, progress: { importId, status: 'queued', totalRows: 0, validatedRows: 0, validRows: 0, writtenRows: 0, errorCount: 0, inserted: 0, updated: 0, unchanged: 0 }, controller, done: Promise.resolve() };
          const publish = (progress: ImportProgress, force: boolean) => {
            const now = performance.now();
            if (!force && now - lastPublished < 250) return;
            lastPublished = now;
            hub.publish(auth.tenantId, { type: 'import.progress', data: progress }, (client) => hasPermission(client.role, 'data:import'));
          };
          entry.done = runImport({
            store, tenantId: auth.tenantId, actor: { userId: auth.userId, tokenId: auth.tokenId }, requestId: request.id, importId,
            dataset, mapping, mode, dryRun, signal: controller.signal,
            open: () => openCsv(file, { delimiter: mapping.delimiter }),
            onProgress: (progress) => {
              entry.progress = progress;
              publish(progress, progress.status !== 'validating' && progress.status !== 'writing');
            },
          })
            .catch((error: unknown) => request.log.error({ err: error, importId }, 'import failed'))
            .finally(() => {
              running.delete(importId);
              void rm(file, { force: true });
            });
          running.set(importId, entry);
          started = true;
          return reply.status(202).send(job);
        } finally {
          if (!started) await rm(file, { force: true });
        }
      },
    );
  });

  app.get(
    '/api/imports',
    {
      config: { access: 'data:import' },
      schema: {
        tags,
        summary: 'Import history, newest first',
        querystring: z.object({ dataset: DatasetKeyParam.optional(), limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) }),
        response: { 200: pageOf(ImportSchema), ...COMMON_ERRORS },
      },
    },
    async (request) => {
      const page = await inCallerTenant(store, request, (scope) => listImports(scope, request.query));
      return { items: page.items.map((job) => withProgress(job, running.get(job.id))), total: page.total };
    },
  );

  const importParams = z.object({ importId: Id });
  const loadImport = async (request: Parameters<typeof inCallerTenant>[1], importId: string): Promise<ImportJob> => {
    const job = await inCallerTenant(store, request, (scope) => getImport(scope, importId));
    if (!job) throw notFound('Import');
    return withProgress(job, running.get(job.id));
  };

  app.get(
    '/api/imports/:importId',
    { config: { access: 'data:import' }, schema: { tags, summary: 'An import: status, progress, counts, the first errors (and a dry run’s preview)', params: importParams, response: { 200: ImportSchema, ...COMMON_ERRORS } } },
    (request) => loadImport(request, request.params.importId),
  );

  app.get(
    '/api/imports/:importId/errors.csv',
    { config: { access: 'data:import' }, schema: { tags, summary: 'The error report as CSV: row, column, value, code, reason', params: importParams, produces: ['text/csv'], response: { 200: z.string().describe('CSV'), ...COMMON_ERRORS } } },
    async (request, reply) => {
      const job = await loadImport(request, request.params.importId);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${job.id}-errors.csv"`)
        .send(errorsToCsv(job.errors));
    },
  );

  // Saved mappings, per dataset.
  const mappingParams = z.object({ dataset: DatasetKeyParam, mappingId: Id });
  app.get(
    '/api/datasets/:dataset/mappings',
    {
      config: { access: 'data:import' },
      schema: {
        tags,
        summary: 'Column mappings saved for a dataset, and the built-in ones (Salesforce, HubSpot)',
        params: datasetParams,
        response: { 200: listOf(SavedMappingSchema).extend({ builtin: z.array(z.object({ name: z.string(), label: z.string(), mapping: ImportMappingSchema })) }), ...COMMON_ERRORS },
      },
    },
    (request) =>
      inCallerTenant(store, request, async (scope) => {
        const dataset = await requireDataset(scope, request.params.dataset);
        return {
          items: await listMappings(scope, dataset.key),
          builtin: BUILTIN_MAPPINGS.filter((m) => m.dataset === dataset.key).map((m) => ({ name: m.name, label: m.label, mapping: m.mapping })),
        };
      }),
  );

  app.post(
    '/api/datasets/:dataset/mappings',
    {
      config: { access: 'data:import' },
      schema: { tags, summary: 'Save a column mapping for a source', params: datasetParams, body: z.object({ name: MappingName, mapping: ImportMappingSchema }), response: { 201: SavedMappingSchema, ...COMMON_ERRORS } },
    },
    async (request, reply) => {
      const result = await inCallerTenant(store, request, async (scope) => {
        const dataset = await requireDataset(scope, request.params.dataset);
        return createMapping(scope, { id: randomUUID(), dataset: dataset.key, name: request.body.name, mapping: request.body.mapping });
      });
      if (result === 'name_taken') throw new AppError('conflict', `A mapping named "${request.body.name}" exists already`);
      return reply.status(201).send(result);
    },
  );

  app.patch(
    '/api/datasets/:dataset/mappings/:mappingId',
    {
      config: { access: 'data:import' },
      schema: { tags, summary: 'Rename or change a saved mapping', params: mappingParams, body: z.object({ name: MappingName.optional(), mapping: ImportMappingSchema.optional() }), response: { 200: SavedMappingSchema, ...COMMON_ERRORS } },
    },
    async (request) => {
      const result = await inCallerTenant(store, request, (scope) => updateMapping(scope, request.params.dataset, request.params.mappingId, request.body));
      if (result === null) throw notFound('Mapping');
      if (result === 'name_taken') throw new AppError('conflict', `A mapping named "${request.body.name ?? ''}" exists already`);
      return result;
    },
  );

  app.delete(
    '/api/datasets/:dataset/mappings/:mappingId',
    { config: { access: 'data:import' }, schema: { tags, summary: 'Delete a saved mapping', params: mappingParams, response: { 204: NoContent, ...COMMON_ERRORS } } },
    async (request, reply) => {
      if (!(await inCallerTenant(store, request, (scope) => deleteMapping(scope, request.params.dataset, request.params.mappingId)))) throw notFound('Mapping');
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/datasets/:dataset/mappings/suggest',
    {
      config: { access: 'data:import' },
      schema: {
        tags,
        summary: 'Suggest a mapping from a file’s headers and first rows',
        params: datasetParams,
        body: z.object({ headers: z.array(z.string().max(200)).min(1).max(500), sample: z.array(z.array(z.string().max(1000)).max(500)).max(100).default([]), delimiter: z.string().max(1).optional() }),
        response: {
          200: z.object({
            mapping: ImportMappingSchema.nullable(),
            builtin: z.string().nullable(),
            matched: z.array(z.object({ header: z.string(), field: z.string() })),
            unmatchedHeaders: z.array(z.string()),
            missingRequired: z.array(z.string()),
            extIdColumn: z.string().nullable(),
          }),
          ...COMMON_ERRORS,
        },
      },
    },
    async (request) => {
      const dataset = await inCallerTenant(store, request, (scope) => requireDataset(scope, request.params.dataset));
      const { headers, sample, delimiter } = request.body;
      return suggestMapping({ dataset, headers, sample, ...(delimiter === undefined ? {} : { delimiter }) });
    },
  );
}

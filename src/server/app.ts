import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyRequest, type RouteOptions } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { hasPermission } from '../core/roles.js';
import { onRecordsChanged } from '../store/events.js';
import { CompRecalculator } from './live/comp-recalc.js';
import { LiveMetrics } from './live/live-metrics.js';
import type { Store } from '../store/store.js';
import { authenticate } from './auth/session.js';
import { safeEqual } from './auth/crypto.js';
import { DEFAULT_SERVER_CONFIG, type Access, type App, type ServerConfig } from './context.js';
import { AppError, type ErrorCode } from './errors.js';
import { LiveHub } from './live/hub.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerDatasetRoutes } from './routes/datasets.js';
import { registerImportRoutes } from './routes/imports.js';
import { registerRecordRoutes } from './routes/records.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import { registerLiveRoutes } from './routes/live.js';
import { registerMetricRoutes } from './routes/metrics.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerInvitationRoutes } from './routes/invitations.js';
import { registerPayeeRoutes } from './routes/payees.js';
import { registerTeamRoutes } from './routes/teams.js';
import { registerTenantRoutes } from './routes/tenant.js';
import { registerTokenRoutes } from './routes/api-tokens.js';
import { registerUserRoutes } from './routes/users.js';
import { registerOkrRoutes } from './routes/okrs.js';
import { registerTerritoryRoutes } from './routes/territories.js';
import { registerQuotaRoutes } from './routes/quotas.js';
import { registerForecastRoutes } from './routes/forecasts.js';
import { registerCompRoutes } from './routes/comp.js';
import { registerCompInsightRoutes } from './routes/comp-insights.js';

/** A route as the route table records it, for docs and the route-walk test. */
export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
  /** The request body's schema (a zod schema), when the route takes a body. */
  bodySchema: unknown;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function buildApp(
  store: Store,
  overrides: Partial<ServerConfig> = {},
): Promise<App & { routeTable: RouteEntry[]; liveHub: LiveHub; liveMetrics: LiveMetrics; compRecalc: CompRecalculator }> {
  const config: ServerConfig = { ...DEFAULT_SERVER_CONFIG, ...overrides };
  const app = Fastify({
    logger: { level: config.logLevel },
    trustProxy: config.trustProxy,
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const routeTable: RouteEntry[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const access = route.config?.access;
    // Fail closed: an API route without a declared access rule is a bug.
    if (access === undefined) throw new Error(`route ${methods.join(',')} ${route.url} declares no access rule`);
    for (const method of methods) if (method !== 'HEAD') routeTable.push({ method, url: route.url, access, bodySchema: route.schema?.body });
  });

  app.decorateRequest('auth', null);
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Mantine sets style attributes at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', `Too many attempts; try again in ${Math.ceil(context.ttl / 1000)} s`),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Attain API',
        description:
          'Sales OKRs, quotas and incentive pay. Authenticate with the session cookie (web app) plus the ' +
          '`x-csrf-token` header on state-changing requests, or with `Authorization: Bearer <API token>`.',
        version: config.version,
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'attain_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // Swagger UI sets a few style attributes at run time, as the web app does.
    transformStaticCSP: (header) => header.replace("style-src 'self' https:", "style-src 'self' 'unsafe-inline'"),
    theme: { title: 'Attain API' },
    uiConfig: { docExpansion: 'list', deepLinking: true },
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === 'public') return; // static files, docs, 404 and public routes need no caller
    request.auth = await authenticate(store, config, request);
    checkAccess(request, access);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error);
    if (appError.code === 'internal') request.log.error({ err: error }, 'unhandled error');
    void reply.status(appError.status).send(appError.toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.url === '/api' || !config.webDir || !SAFE_METHODS.has(request.method)) {
      void reply.status(404).send(new AppError('not_found', `No route ${request.method} ${request.url.split('?')[0]}`).toBody());
      return;
    }
    // The single-page app handles its own paths.
    void reply.header('cache-control', 'no-cache').sendFile('index.html');
  });

  const hub = new LiveHub();
  // Record changes (imports, batch API, webhooks) reach the clients allowed to read data.
  const stopRelay = onRecordsChanged((event) => {
    hub.publish(
      event.tenantId,
      {
        type: 'records.changed',
        data: { dataset: event.dataset, upserted: event.upserted.length, deleted: event.deleted.length, truncated: event.truncated, source: event.source, importId: event.importId },
      },
      (client) => hasPermission(client.role, 'data:read'),
    );
  });
  const liveMetrics = new LiveMetrics(store, hub, { onError: (error) => app.log.error({ err: error }, 'live metric update failed') });
  const compRecalc = new CompRecalculator(store, hub, { onError: (error) => app.log.error({ err: error }, 'payout run recalculation failed') });
  app.addHook('onClose', async () => {
    stopRelay();
    liveMetrics.close();
    compRecalc.close();
    await compRecalc.idle();
  });
  const deps = { store, config, hub, liveMetrics, compRecalc };
  registerHealthRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerTenantRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerInvitationRoutes(app, deps);
  registerTeamRoutes(app, deps);
  registerPayeeRoutes(app, deps);
  registerTokenRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerLiveRoutes(app, deps);
  registerDatasetRoutes(app, deps);
  registerRecordRoutes(app, deps);
  registerImportRoutes(app, deps);
  registerMetricRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  registerOkrRoutes(app, deps);
  registerTerritoryRoutes(app, deps);
  registerQuotaRoutes(app, deps);
  registerForecastRoutes(app, deps);
  registerCompRoutes(app, deps);
  registerCompInsightRoutes(app, deps);
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, () => app.swagger());

  if (config.webDir && existsSync(path.join(config.webDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: config.webDir,
      wildcard: false,
      index: ['index.html'],
      setHeaders: (res, filePath) => {
        // Vite fingerprints assets: cache them for good; everything else revalidates.
        res.setHeader('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  await app.ready();
  return Object.assign(app, { routeTable, liveHub: hub, liveMetrics, compRecalc });
}

function checkAccess(request: FastifyRequest, access: Access): void {
  if (access === 'public') return;
  const auth = request.auth;
  if (!auth) throw new AppError('unauthenticated', 'Sign in first');
  if (auth.kind === 'session' && !SAFE_METHODS.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !auth.csrfToken || !safeEqual(sent, auth.csrfToken)) {
      throw new AppError('csrf_failed', 'Missing or wrong x-csrf-token header');
    }
  }
  if (access !== 'signed-in' && !hasPermission(auth.role, access)) {
    throw new AppError('forbidden', `Your role (${auth.role}) may not do this`);
  }
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
};

/** PostgreSQL error codes that mean the client sent something the data does not allow. */
const PG_CODES: Record<string, { code: ErrorCode; message: string }> = {
  '23505': { code: 'conflict', message: 'Something with these values exists already' },
  '23503': { code: 'validation_failed', message: 'A referenced item does not exist' },
  '23514': { code: 'validation_failed', message: 'A value is outside what is allowed' },
  '22P02': { code: 'validation_failed', message: 'A value has the wrong format' },
  '22001': { code: 'validation_failed', message: 'A value is too long' },
  '22007': { code: 'validation_failed', message: 'A date is not valid' },
  '22008': { code: 'validation_failed', message: 'A date is out of range' },
};

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.map((issue) => ({
      path: `${error.validationContext ?? 'body'}${issue.instancePath.replaceAll('/', '.')}`,
      message: issue.message ?? 'invalid',
    }));
    const first = details[0];
    return new AppError('validation_failed', first ? `${first.path}: ${first.message}` : 'Invalid request', details);
  }
  if (isResponseSerializationError(error)) return new AppError('internal', 'Internal error');
  const fastifyError = error as Partial<FastifyError> & { constraint?: string; column?: string };
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) return new AppError(mapped, fastifyError.message ?? 'Bad request');
  const pg = fastifyError.code ? PG_CODES[fastifyError.code] : undefined;
  if (pg) {
    const details = fastifyError.constraint ? { constraint: fastifyError.constraint } : undefined;
    return new AppError(pg.code, pg.message, details);
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new AppError(fastifyError.statusCode === 429 ? 'rate_limited' : 'bad_request', fastifyError.message ?? 'Bad request');
  }
  return new AppError('internal', 'Internal error');
}

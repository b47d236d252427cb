import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hasPermission } from '../../core/roles.js';
import { createWebhookSecret, getLiveWebhookSecret, listWebhookSecrets, revokeWebhookSecret, touchWebhookSecret } from '../../store/repos/imports.js';
import { findTenantBySlug } from '../../store/repos/tenants.js';
import { authenticate } from '../auth/session.js';
import { randomSecret } from '../auth/crypto.js';
import { inCallerTenant, type App, type RouteDeps } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { COMMON_ERRORS, Id, Instant, listOf, Name, NoContent } from '../schemas.js';
import { DatasetKeyParam, requireDataset } from './datasets.js';
import { applyRecordBatch, BATCH_BODY_LIMIT, BatchResultSchema, RecordBatchSchema } from './records.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request body as received (the webhook verifies its signature). */
    rawBody?: Buffer;
  }
}

/**
 * The records webhook: a CRM pushes changes as they happen, with the batch route's body.
 * Authenticated either by an API token (`Authorization: Bearer attain_…`, a role with
 * data:import) or by a signing secret:
 *   X-Attain-Tenant: <workspace slug>
 *   X-Attain-Key-Id: <signing secret id>
 *   X-Attain-Timestamp: <unix seconds>
 *   X-Attain-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 * The timestamp is signed with the body, so a captured request cannot be replayed later
 * under a new timestamp; requests more than 5 minutes off, and a signature seen before
 * within that window, are refused.
 */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
export const SIGNATURE_HEADERS = { tenant: 'x-attain-tenant', keyId: 'x-attain-key-id', timestamp: 'x-attain-timestamp', signature: 'x-attain-signature' } as const;

/** The signature a sender computes (exported for tests and for documentation). */
export function signWebhook(secret: string, timestamp: number | string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function registerWebhookRoutes(app: App, { store, config }: RouteDeps): void {
  const tags = ['data'];
  /** Signatures accepted within the tolerance window: a second delivery of the same one is a replay. */
  const seen = new Map<string, number>();
  const rememberSignature = (key: string, nowSeconds: number): boolean => {
    if (seen.has(key)) return false;
    if (seen.size > 10_000) for (const [k, expires] of seen) if (expires < nowSeconds) seen.delete(k);
    seen.set(key, nowSeconds + 2 * SIGNATURE_TOLERANCE_SECONDS);
    return true;
  };
  const refused = (message: string) => new AppError('unauthenticated', message);

  async function authenticateWebhook(request: FastifyRequest): Promise<void> {
    if (request.headers.authorization !== undefined) {
      const auth = await authenticate(store, config, request);
      if (!auth || auth.kind !== 'token') throw refused('Use an API token or a signature');
      if (!hasPermission(auth.role, 'data:import')) throw new AppError('forbidden', `The token's role (${auth.role}) may not import data`);
      request.auth = auth;
      return;
    }
    const slug = header(request, SIGNATURE_HEADERS.tenant);
    const keyId = header(request, SIGNATURE_HEADERS.keyId);
    const timestamp = header(request, SIGNATURE_HEADERS.timestamp);
    const signature = header(request, SIGNATURE_HEADERS.signature);
    if (!slug || !keyId || !timestamp || !signature) throw refused('Send an API token, or the X-Attain-Tenant, X-Attain-Key-Id, X-Attain-Timestamp and X-Attain-Signature headers');
    const nowSeconds = Math.floor(Date.now() / 1000);
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) {
      throw refused(`X-Attain-Timestamp must be the current time in Unix seconds (±${SIGNATURE_TOLERANCE_SECONDS} s)`);
    }
    const invalid = refused('The signature does not match');
    if (!/^[0-9a-f-]{36}$/i.test(keyId) || !/^sha256=[0-9a-f]{64}$/i.test(signature)) throw invalid;
    const tenant = await store.asSystem((tx) => findTenantBySlug(tx, slug));
    if (!tenant) throw invalid;
    const secret = await store.inTenant(tenant.id, { actor: { userId: null, tokenId: keyId } }, (scope) => getLiveWebhookSecret(scope, keyId));
    if (!secret) throw invalid;
    const expected = Buffer.from(signWebhook(secret, timestamp, request.rawBody ?? Buffer.alloc(0)));
    const given = Buffer.from(signature.toLowerCase());
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid;
    if (!rememberSignature(`${keyId}:${given.toString()}`, nowSeconds)) throw refused('This request was delivered before (replay)');
    await store.inTenant(tenant.id, { actor: { userId: null, tokenId: keyId } }, (scope) => touchWebhookSecret(scope, keyId));
    // Acts like an import-only integration token; the secret's id is recorded as the actor.
    request.auth = { kind: 'token', userId: null, tenantId: tenant.id, role: 'finance', sessionId: null, tokenId: keyId, csrfToken: null };
  }

  // The signature covers the raw body: this route parses JSON itself and keeps the bytes.
  void app.register(async (plugin) => {
    const scoped = plugin.withTypeProvider<ZodTypeProvider>();
    scoped.removeContentTypeParser('application/json');
    scoped.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BATCH_BODY_LIMIT }, (request, body, done) => {
      const raw = body as Buffer;
      request.rawBody = raw;
      try {
        done(null, raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8')));
      } catch {
        done(Object.assign(new Error('The body is not JSON'), { statusCode: 400 }), undefined);
      }
    });
    scoped.post(
      '/api/webhooks/records/:dataset',
      {
        config: { access: 'public' },
        bodyLimit: BATCH_BODY_LIMIT,
        preValidation: async (request) => authenticateWebhook(request),
        schema: {
          tags,
          summary: 'Webhook for CRMs: upsert and delete records (body as the batch route). Authenticate with an API token or an HMAC signature (docs/data.md)',
          params: z.object({ dataset: DatasetKeyParam }),
          body: RecordBatchSchema,
          response: { 200: BatchResultSchema, ...COMMON_ERRORS, 413: COMMON_ERRORS[400] },
        },
      },
      async (request) => {
        const auth = request.auth;
        if (!auth) throw refused('Not authenticated');
        const actor = { userId: auth.userId, tokenId: auth.tokenId };
        const dataset = await store.inTenant(auth.tenantId, { actor, requestId: request.id }, (scope) => requireDataset(scope, request.params.dataset));
        return applyRecordBatch({ store, tenantId: auth.tenantId, actor, requestId: request.id, dataset, batch: request.body, source: 'webhook' });
      },
    );
  });

  const SecretSchema = z
    .object({ id: Id, name: z.string(), createdAt: Instant, createdBy: z.object({ id: Id.nullable(), name: z.string().nullable() }), lastUsedAt: Instant.nullable(), revokedAt: Instant.nullable() })
    .meta({ id: 'WebhookSecret' });

  app.get(
    '/api/webhook-secrets',
    { config: { access: 'tokens:manage' }, schema: { tags, summary: 'Signing secrets of the records webhook', response: { 200: listOf(SecretSchema), ...COMMON_ERRORS } } },
    async (request) => ({ items: await inCallerTenant(store, request, listWebhookSecrets) }),
  );

  app.post(
    '/api/webhook-secrets',
    {
      config: { access: 'tokens:manage' },
      schema: {
        tags,
        summary: 'Create a signing secret for the records webhook (the secret is shown only in this response)',
        body: z.object({ name: Name }),
        response: { 201: z.object({ secret: z.string(), webhookSecret: SecretSchema }), ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const secret = `whsec_${randomSecret(32)}`;
      const created = await inCallerTenant(store, request, (scope) => createWebhookSecret(scope, { id: randomUUID(), name: request.body.name, secret }));
      return reply.status(201).send({ secret, webhookSecret: created });
    },
  );

  app.delete(
    '/api/webhook-secrets/:secretId',
    { config: { access: 'tokens:manage' }, schema: { tags, summary: 'Revoke a signing secret', params: z.object({ secretId: Id }), response: { 204: NoContent, ...COMMON_ERRORS } } },
    async (request, reply) => {
      if (!(await inCallerTenant(store, request, (scope) => revokeWebhookSecret(scope, request.params.secretId)))) throw notFound('Signing secret');
      return reply.status(204).send(null);
    },
  );
}

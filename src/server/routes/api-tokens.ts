import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createApiToken, listApiTokens, revokeApiToken } from '../../store/repos/api-tokens.js';
import { makeKeyedToken } from '../auth/crypto.js';
import { API_TOKEN_PREFIX } from '../auth/session.js';
import { inCallerTenant, type App, type RouteDeps } from '../context.js';
import { notFound } from '../errors.js';
import { ApiTokenSchema, COMMON_ERRORS, Id, listOf, Name, NoContent, RoleSchema } from '../schemas.js';

export function registerTokenRoutes(app: App, { store }: RouteDeps): void {
  const tags = ['api tokens'];

  app.get(
    '/api/api-tokens',
    { config: { access: 'tokens:manage' }, schema: { tags, summary: 'API tokens of this workspace', response: { 200: listOf(ApiTokenSchema), ...COMMON_ERRORS } } },
    async (request) => ({ items: await inCallerTenant(store, request, listApiTokens) }),
  );

  app.post(
    '/api/api-tokens',
    {
      config: { access: 'tokens:manage' },
      schema: {
        tags,
        summary: 'Create an API token for an integration (the token is shown only in this response)',
        body: z.object({ name: Name, role: RoleSchema }),
        response: { 201: z.object({ token: z.string(), apiToken: ApiTokenSchema }), ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const result = await inCallerTenant(store, request, async (scope) => {
        const id = randomUUID();
        const { token, secretHash, display } = makeKeyedToken(API_TOKEN_PREFIX, scope.tenantId, id);
        const apiToken = await createApiToken(scope, { id, name: request.body.name, role: request.body.role, tokenHash: secretHash, prefix: display });
        return { token, apiToken };
      });
      return reply.status(201).send(result);
    },
  );

  app.delete(
    '/api/api-tokens/:tokenId',
    {
      config: { access: 'tokens:manage' },
      schema: { tags, summary: 'Revoke an API token', params: z.object({ tokenId: Id }), response: { 204: NoContent, ...COMMON_ERRORS } },
    },
    async (request, reply) => {
      if (!(await inCallerTenant(store, request, (scope) => revokeApiToken(scope, request.params.tokenId)))) throw notFound('API token');
      return reply.status(204).send(null);
    },
  );
}

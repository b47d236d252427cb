import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { recordAudit } from '../../store/repos/audit.js';
import { deleteSessionsOfUser, switchSessionTenant } from '../../store/repos/sessions.js';
import {
  findAccountByEmail,
  findAccountById,
  listMembershipsOfUser,
  markSignedIn,
  setPassword,
  updateProfile,
} from '../../store/repos/users.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../auth/crypto.js';
import { describeSession, endSession, startSession } from '../auth/session.js';
import { inCallerTenant, type App, type AuthContext, type RouteDeps } from '../context.js';
import { AppError } from '../errors.js';
import { COMMON_ERRORS, Email, Id, LocaleSchema, Name, NoContent, Password, SessionSchema, UserSelfSchema } from '../schemas.js';

/** Session-only routes: an API token has no user to act as. */
export function requireUser(request: FastifyRequest): AuthContext & { userId: string } {
  const auth = request.auth;
  if (!auth?.userId) throw new AppError('forbidden', 'This needs a signed-in user, not an API token');
  return auth as AuthContext & { userId: string };
}

export function signInRateLimit(deps: RouteDeps, keyField: 'email' | 'token' | null) {
  return {
    max: deps.config.signInLimit.max,
    timeWindow: deps.config.signInLimit.windowMs,
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) => {
      const body = request.body as Record<string, unknown> | undefined;
      const key = keyField && typeof body?.[keyField] === 'string' ? String(body[keyField]).toLowerCase() : '';
      return `${request.ip}|${key}`;
    },
  };
}

export function registerAuthRoutes(app: App, deps: RouteDeps): void {
  const { store, config } = deps;
  const tags = ['auth'];

  app.post(
    '/api/auth/sign-in',
    {
      config: { access: 'public', rateLimit: signInRateLimit(deps, 'email') },
      schema: {
        tags,
        summary: 'Sign in with e-mail and password (sets the session cookie)',
        body: z.object({ email: Email, password: z.string().min(1).max(200), tenantId: Id.optional() }),
        response: { 200: SessionSchema, ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const { email, password, tenantId } = request.body;
      const account = await store.asSystem((tx) => findAccountByEmail(tx, email));
      // Verify against a dummy hash for unknown accounts so timing reveals nothing.
      const ok = await verifyPassword(password, account?.passwordHash ?? (await dummyPasswordHash()));
      if (!account || !account.passwordHash || !ok) throw new AppError('invalid_credentials', 'E-mail or password is wrong');
      const memberships = await store.asSystem((tx) => listMembershipsOfUser(tx, account.id));
      const membership = tenantId ? memberships.find((m) => m.tenantId === tenantId) : memberships[0];
      if (!membership) throw new AppError('invalid_credentials', 'E-mail or password is wrong');
      await store.asSystem((tx) => markSignedIn(tx, account.id));
      const auth = await startSession(store, config, request, reply, { userId: account.id, tenantId: membership.tenantId, role: membership.role });
      return describeSession(store, auth);
    },
  );

  app.post(
    '/api/auth/sign-out',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'Sign out (ends the session)', response: { 204: NoContent, ...COMMON_ERRORS } } },
    async (request, reply) => {
      requireUser(request);
      await endSession(store, config, request, reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/session',
    { config: { access: 'signed-in' }, schema: { tags, summary: 'The signed-in user, workspace, role and CSRF token', response: { 200: SessionSchema, ...COMMON_ERRORS } } },
    async (request) => {
      requireUser(request);
      return describeSession(store, request.auth as AuthContext);
    },
  );

  app.post(
    '/api/auth/switch-tenant',
    {
      config: { access: 'signed-in' },
      schema: { tags, summary: 'Switch the session to another workspace the user belongs to', body: z.object({ tenantId: Id }), response: { 200: SessionSchema, ...COMMON_ERRORS } },
    },
    async (request) => {
      const auth = requireUser(request);
      const memberships = await store.asSystem((tx) => listMembershipsOfUser(tx, auth.userId));
      const target = memberships.find((m) => m.tenantId === request.body.tenantId);
      if (!target || !auth.sessionId) throw new AppError('not_found', 'Workspace not found');
      const sessionId = auth.sessionId;
      await store.asSystem((tx) => switchSessionTenant(tx, sessionId, target.tenantId));
      return describeSession(store, { ...auth, tenantId: target.tenantId, role: target.role });
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: 'signed-in', rateLimit: signInRateLimit(deps, null) },
      schema: {
        tags,
        summary: 'Change your password (signs out your other sessions)',
        body: z.object({ currentPassword: z.string().min(1).max(200), newPassword: Password }),
        response: { 204: NoContent, ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const auth = requireUser(request);
      const account = await store.asSystem((tx) => findAccountById(tx, auth.userId));
      if (!account?.passwordHash || !(await verifyPassword(request.body.currentPassword, account.passwordHash))) {
        throw new AppError('invalid_credentials', 'The current password is wrong');
      }
      const hash = await hashPassword(request.body.newPassword);
      await store.asSystem(async (tx) => {
        await setPassword(tx, auth.userId, hash);
        await deleteSessionsOfUser(tx, auth.userId, auth.sessionId ?? undefined);
      });
      await inCallerTenant(store, request, (scope) =>
        recordAudit(scope, { action: 'user.password_changed', entityType: 'user', entityId: auth.userId }),
      );
      return reply.status(204).send(null);
    },
  );

  app.patch(
    '/api/me',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Update your own name or language',
        body: z.object({ name: Name.optional(), locale: LocaleSchema.optional() }),
        response: { 200: z.object({ user: UserSelfSchema }), ...COMMON_ERRORS },
      },
    },
    async (request) => {
      const auth = requireUser(request);
      const before = await store.asSystem((tx) => findAccountById(tx, auth.userId));
      const account = await store.asSystem((tx) => updateProfile(tx, auth.userId, request.body));
      await inCallerTenant(store, request, (scope) =>
        recordAudit(scope, {
          action: 'user.profile_updated',
          entityType: 'user',
          entityId: auth.userId,
          before: before ? { name: before.name, locale: before.locale } : null,
          after: { name: account.name, locale: account.locale },
        }),
      );
      return { user: { id: account.id, email: account.email, name: account.name, locale: account.locale } };
    },
  );
}

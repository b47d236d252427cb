import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../../store/repos/audit.js';
import { createInvitation, getInvitation, listInvitations, markInvitationAccepted, revokeInvitation } from '../../store/repos/invitations.js';
import { getTenant } from '../../store/repos/tenants.js';
import { addMember, createAccount, findAccountByEmail, getMember } from '../../store/repos/users.js';
import { hashPassword, makeKeyedToken, parseKeyedToken, safeEqual, sha256, verifyPassword } from '../auth/crypto.js';
import { describeSession, startSession } from '../auth/session.js';
import { inCallerTenant, type App, type RouteDeps } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { COMMON_ERRORS, Email, ErrorSchema, Id, InvitationSchema, listOf, Name, NoContent, Password, RoleSchema, SessionSchema } from '../schemas.js';
import { signInRateLimit } from './auth.js';

const INVITATION_PREFIX = 'invite';
const INVITATION_TTL_DAYS = 7;
const InvitationToken = z.string().min(20).max(200);

export function registerInvitationRoutes(app: App, deps: RouteDeps): void {
  const { store, config } = deps;
  const tags = ['invitations'];

  /** Finds a pending invitation by its token, or throws invitation_invalid. */
  async function findPending(token: string) {
    const parsed = parseKeyedToken(INVITATION_PREFIX, token);
    const invalid = new AppError('invitation_invalid', 'This invitation is invalid, expired or was revoked');
    if (!parsed) throw invalid;
    const found = await store.inTenant(parsed.tenantId, { actor: { userId: null, tokenId: null } }, async (scope) => {
      const invitation = await getInvitation(scope, parsed.id);
      if (!invitation || !safeEqual(invitation.tokenHash, sha256(parsed.secret)) || invitation.status !== 'pending') return null;
      return { invitation, tenant: await getTenant(scope) };
    });
    if (!found) throw invalid;
    return { ...found, tenantId: parsed.tenantId };
  }

  app.get(
    '/api/invitations',
    { config: { access: 'invitations:manage' }, schema: { tags, summary: 'Invitations to this workspace', response: { 200: listOf(InvitationSchema), ...COMMON_ERRORS } } },
    async (request) => ({ items: await inCallerTenant(store, request, listInvitations) }),
  );

  app.post(
    '/api/invitations',
    {
      config: { access: 'invitations:manage' },
      schema: {
        tags,
        summary: 'Invite someone by e-mail (the link is shown once)',
        body: z.object({ email: Email, role: RoleSchema }),
        response: { 201: z.object({ invitation: InvitationSchema, acceptUrl: z.string(), token: z.string() }), ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const { email, role } = request.body;
      const existing = await store.asSystem((tx) => findAccountByEmail(tx, email));
      const result = await inCallerTenant(store, request, async (scope) => {
        if (existing && (await getMember(scope, existing.id))) throw new AppError('email_taken', 'This e-mail is already a member');
        const id = randomUUID();
        const { token, secretHash } = makeKeyedToken(INVITATION_PREFIX, scope.tenantId, id);
        const expiresAt = new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000).toISOString();
        const invitation = await createInvitation(scope, { id, email, role, tokenHash: secretHash, expiresAt });
        return { invitation, token, acceptUrl: `/accept-invitation?token=${encodeURIComponent(token)}` };
      });
      return reply.status(201).send(result);
    },
  );

  app.delete(
    '/api/invitations/:invitationId',
    {
      config: { access: 'invitations:manage' },
      schema: { tags, summary: 'Revoke an invitation', params: z.object({ invitationId: Id }), response: { 204: NoContent, ...COMMON_ERRORS } },
    },
    async (request, reply) => {
      const found = await inCallerTenant(store, request, (scope) => revokeInvitation(scope, request.params.invitationId));
      if (!found) throw notFound('Invitation');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/invitations/lookup',
    {
      config: { access: 'public', rateLimit: { ...signInRateLimit(deps, null), hook: 'onRequest' } },
      schema: {
        tags,
        summary: 'What an invitation link is for (no sign-in needed)',
        querystring: z.object({ token: InvitationToken }),
        response: { 200: z.object({ email: z.string(), role: RoleSchema, tenantName: z.string(), userExists: z.boolean() }), 410: ErrorSchema, ...COMMON_ERRORS },
      },
    },
    async (request) => {
      const { invitation, tenant } = await findPending(request.query.token);
      const account = await store.asSystem((tx) => findAccountByEmail(tx, invitation.email));
      return { email: invitation.email, role: invitation.role, tenantName: tenant.name, userExists: account !== null };
    },
  );

  app.post(
    '/api/invitations/accept',
    {
      config: { access: 'public', rateLimit: signInRateLimit(deps, 'token') },
      schema: {
        tags,
        summary: 'Accept an invitation: creates the account (or checks the existing one) and signs in',
        body: z.object({ token: InvitationToken, name: Name.optional(), password: z.string().min(1).max(200) }),
        response: { 200: SessionSchema, 410: ErrorSchema, ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const { token, name, password } = request.body;
      const { invitation, tenantId } = await findPending(token);
      const existing = await store.asSystem((tx) => findAccountByEmail(tx, invitation.email));
      let passwordHash: string | null = null;
      if (existing) {
        // Joining with an existing account proves ownership with that account's password.
        if (!existing.passwordHash || !(await verifyPassword(password, existing.passwordHash))) {
          throw new AppError('invalid_credentials', 'Sign in with the password of your existing account');
        }
      } else {
        const parsed = Password.safeParse(password);
        if (!parsed.success) throw new AppError('validation_failed', 'body.password: at least 10 characters', [{ path: 'body.password', message: 'at least 10 characters' }]);
        if (!name) throw new AppError('validation_failed', 'body.name: required for a new account', [{ path: 'body.name', message: 'required' }]);
        passwordHash = await hashPassword(password);
      }
      const userId = existing?.id ?? randomUUID();
      await store.inTenant(tenantId, { actor: { userId, tokenId: null }, requestId: request.id }, async (scope) => {
        // Claim first: of two accepts of one link only one gets the row.
        if (!(await markInvitationAccepted(scope, invitation.id, userId))) {
          throw new AppError('invitation_invalid', 'This invitation was used already');
        }
        if (!existing) {
          await createAccount(scope.tx, { id: userId, email: invitation.email, name: name ?? invitation.email, passwordHash });
          await recordAudit(scope, { action: 'user.created', entityType: 'user', entityId: userId, after: { email: invitation.email, name } });
        }
        if (!(await getMember(scope, userId))) await addMember(scope, userId, invitation.role);
      });
      const auth = await startSession(store, config, request, reply, { userId, tenantId, role: invitation.role });
      return describeSession(store, auth);
    },
  );
}

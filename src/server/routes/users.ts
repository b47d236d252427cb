import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { deleteSessionsInTenant } from '../../store/repos/sessions.js';
import {
  addMember,
  countActiveAdmins,
  countMembersByRole,
  createAccount,
  findAccountByEmail,
  getMember,
  listMembers,
  listMembershipsOfUser,
  removeMember,
  setPassword,
  updateMember,
} from '../../store/repos/users.js';
import { recordAudit } from '../../store/repos/audit.js';
import type { TenantScope } from '../../store/store.js';
import { hashPassword } from '../auth/crypto.js';
import { inCallerTenant, type App, type RouteDeps } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { COMMON_ERRORS, Email, Id, MemberSchema, Name, NoContent, pageOf, PageQuery, Password, RoleSchema } from '../schemas.js';

const UserParams = z.object({ userId: Id });

/** An admin may not remove, disable or demote the last active admin: the workspace would be locked. */
async function assertKeepsAnAdmin(scope: TenantScope, userId: string): Promise<void> {
  const member = await getMember(scope, userId);
  if (member?.role === 'admin' && !member.disabled && (await countActiveAdmins(scope)) <= 1) {
    throw new AppError('last_admin', 'A workspace needs at least one active admin');
  }
}

export function registerUserRoutes(app: App, { store }: RouteDeps): void {
  const tags = ['users'];

  app.get(
    '/api/users',
    {
      config: { access: 'users:read' },
      schema: {
        tags,
        summary: 'Members of this workspace, by name (search, filters and paging), with active members per role',
        querystring: PageQuery.extend({
          role: RoleSchema.optional(),
          disabled: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
        }),
        response: {
          200: pageOf(MemberSchema).extend({ roleCounts: z.partialRecord(RoleSchema, z.number().int()).describe('Active members per role, over the whole workspace') }),
          ...COMMON_ERRORS,
        },
      },
    },
    (request) =>
      inCallerTenant(store, request, async (scope) => ({ ...(await listMembers(scope, request.query)), roleCounts: await countMembersByRole(scope) })),
  );

  app.post(
    '/api/users',
    {
      config: { access: 'users:manage' },
      schema: {
        tags,
        summary: 'Add a user with a password (or add an existing account to this workspace)',
        body: z.object({ email: Email, name: Name, role: RoleSchema, password: Password }),
        response: { 201: MemberSchema, ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const { email, name, role, password } = request.body;
      const existing = await store.asSystem((tx) => findAccountByEmail(tx, email));
      const passwordHash = existing ? null : await hashPassword(password);
      const member = await inCallerTenant(store, request, async (scope) => {
        if (existing && (await getMember(scope, existing.id))) throw new AppError('email_taken', 'This e-mail is already a member');
        // An existing account keeps its own password: adding it here must not change it.
        const account = existing ?? (await createAccount(scope.tx, { id: randomUUID(), email, name, passwordHash }));
        return addMember(scope, account.id, role);
      });
      return reply.status(201).send(member);
    },
  );

  app.patch(
    '/api/users/:userId',
    {
      config: { access: 'users:manage' },
      schema: {
        tags,
        summary: "Change a member's name, role or disable them",
        params: UserParams,
        body: z.object({ name: Name.optional(), role: RoleSchema.optional(), disabled: z.boolean().optional() }),
        response: { 200: MemberSchema, ...COMMON_ERRORS },
      },
    },
    async (request) => {
      const { userId } = request.params;
      const patch = request.body;
      return inCallerTenant(store, request, async (scope) => {
        if ((patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true) await assertKeepsAnAdmin(scope, userId);
        const member = await updateMember(scope, userId, patch);
        if (!member) throw notFound('User');
        if (member.disabled) await deleteSessionsInTenant(scope.tx, scope.tenantId, userId);
        return member;
      });
    },
  );

  app.post(
    '/api/users/:userId/password',
    {
      config: { access: 'users:manage' },
      schema: {
        tags,
        summary: "Set a member's password (when they forgot it); ends their sessions",
        params: UserParams,
        body: z.object({ password: Password }),
        response: { 204: NoContent, ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const { userId } = request.params;
      const passwordHash = await hashPassword(request.body.password);
      // An account that belongs to other workspaces too is its owner's: one workspace's admin
      // may not take it over. (A cross-tenant question, so it is asked as system.)
      const workspaces = await store.asSystem((tx) => listMembershipsOfUser(tx, userId));
      await inCallerTenant(store, request, async (scope) => {
        if (!(await getMember(scope, userId))) throw notFound('User');
        if (workspaces.some((m) => m.tenantId !== scope.tenantId)) {
          throw new AppError('conflict', 'This account belongs to other workspaces too; only its owner can change the password');
        }
        await setPassword(scope.tx, userId, passwordHash);
        await scope.tx.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
        await recordAudit(scope, { action: 'user.password_reset', entityType: 'user', entityId: userId });
      });
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/users/:userId',
    {
      config: { access: 'users:manage' },
      schema: { tags, summary: 'Remove a member from this workspace', params: UserParams, response: { 204: NoContent, ...COMMON_ERRORS } },
    },
    async (request, reply) => {
      const { userId } = request.params;
      await inCallerTenant(store, request, async (scope) => {
        await assertKeepsAnAdmin(scope, userId);
        if (!(await removeMember(scope, userId))) throw notFound('User');
        await deleteSessionsInTenant(scope.tx, scope.tenantId, userId);
      });
      return reply.status(204).send(null);
    },
  );
}

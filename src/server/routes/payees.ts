import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createPayee, deletePayee, getPayee, listPayees, updatePayee, type PayeeIssue } from '../../store/repos/payees.js';
import { listManagedTeamIds, listTeamSubtreeIds } from '../../store/repos/teams.js';
import { inCallerTenant, type App, type RouteDeps } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { CalendarDate, COMMON_ERRORS, Currency, Email, Id, Name, NoContent, pageOf, PageQuery, PayeeSchema } from '../schemas.js';

const ISSUE_MESSAGES: Record<PayeeIssue, { path: string; message: string }> = {
  team_not_found: { path: 'body.teamId', message: 'No team with this id in this workspace' },
  user_not_member: { path: 'body.userId', message: 'The user must be a member of this workspace' },
};
const issueError = (issue: PayeeIssue): AppError => {
  const { path, message } = ISSUE_MESSAGES[issue];
  return new AppError('validation_failed', `${path}: ${message}`, [{ path, message }]);
};

const PayeeFields = {
  kind: z.enum(['employee', 'partner']),
  displayName: Name,
  email: Email.nullable().optional(),
  userId: Id.nullable().optional(),
  teamId: Id.nullable().optional(),
  externalRef: z.string().trim().min(1).max(200).nullable().optional(),
  startDate: CalendarDate.nullable().optional(),
  endDate: CalendarDate.nullable().optional(),
};
const datesInOrder = (b: { startDate?: string | null | undefined; endDate?: string | null | undefined }) =>
  !b.startDate || !b.endDate || b.endDate >= b.startDate;
const DATE_ORDER = { message: 'endDate must not be before startDate', path: ['endDate'] };

export function registerPayeeRoutes(app: App, { store }: RouteDeps): void {
  const tags = ['payees'];
  const params = z.object({ payeeId: Id });

  app.get(
    '/api/payees',
    {
      config: { access: 'payees:read' },
      schema: {
        tags,
        summary: 'Payees: employees and external partners (managers see their own teams), by name',
        querystring: PageQuery.extend({
          kind: z.enum(['employee', 'partner']).optional(),
          teamId: Id.optional().describe('Only payees of this team and the teams below it'),
        }),
        response: { 200: pageOf(PayeeSchema), ...COMMON_ERRORS },
      },
    },
    (request) => {
      const auth = request.auth;
      return inCallerTenant(store, request, async (scope) => {
        // Pay is private: a manager sees the payees of the teams they manage, and below.
        const { teamId, ...query } = request.query;
        let teamIds = auth?.role === 'manager' ? (auth.userId ? await listManagedTeamIds(scope, auth.userId) : []) : undefined;
        if (teamId) {
          const subtree = await listTeamSubtreeIds(scope, [teamId]);
          teamIds = teamIds ? teamIds.filter((id) => subtree.includes(id)) : subtree;
        }
        return listPayees(scope, { ...query, teamIds });
      });
    },
  );

  app.post(
    '/api/payees',
    {
      config: { access: 'payees:manage' },
      schema: {
        tags,
        summary: 'Create a payee',
        body: z.object({ ...PayeeFields, currency: Currency.optional() }).refine(datesInOrder, DATE_ORDER),
        response: { 201: PayeeSchema, ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const result = await inCallerTenant(store, request, async (scope) => {
        const currency = request.body.currency ?? (await scope.tx.query<{ currency: string }>('SELECT currency FROM tenants WHERE id = $1', [scope.tenantId]))[0]?.currency ?? 'EUR';
        return createPayee(scope, randomUUID(), { ...request.body, currency });
      });
      if (typeof result === 'string') throw issueError(result);
      return reply.status(201).send(result);
    },
  );

  app.patch(
    '/api/payees/:payeeId',
    {
      config: { access: 'payees:manage' },
      schema: {
        tags,
        summary: 'Change a payee',
        params,
        body: z.object({ ...PayeeFields, currency: Currency }).partial().refine(datesInOrder, DATE_ORDER),
        response: { 200: PayeeSchema, ...COMMON_ERRORS },
      },
    },
    async (request) => {
      const result = await inCallerTenant(store, request, async (scope) => {
        const before = await getPayee(scope, request.params.payeeId);
        if (!before) return null;
        const startDate = request.body.startDate === undefined ? before.startDate : request.body.startDate;
        const endDate = request.body.endDate === undefined ? before.endDate : request.body.endDate;
        if (!datesInOrder({ startDate, endDate })) throw new AppError('validation_failed', 'body.endDate: must not be before startDate', [{ path: 'body.endDate', message: 'must not be before startDate' }]);
        return updatePayee(scope, request.params.payeeId, request.body);
      });
      if (result === null) throw notFound('Payee');
      if (typeof result === 'string') throw issueError(result);
      return result;
    },
  );

  app.delete(
    '/api/payees/:payeeId',
    { config: { access: 'payees:manage' }, schema: { tags, summary: 'Delete a payee', params, response: { 204: NoContent, ...COMMON_ERRORS } } },
    async (request, reply) => {
      if (!(await inCallerTenant(store, request, (scope) => deletePayee(scope, request.params.payeeId)))) throw notFound('Payee');
      return reply.status(204).send(null);
    },
  );
}

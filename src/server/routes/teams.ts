import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createTeam, deleteTeam, listTeams, updateTeam, type TeamIssue } from '../../store/repos/teams.js';
import { inCallerTenant, type App, type RouteDeps } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { COMMON_ERRORS, Id, listOf, Name, NoContent, TeamKindSchema, TeamSchema } from '../schemas.js';

const ISSUE_MESSAGES: Record<TeamIssue, { path: string; message: string }> = {
  parent_not_found: { path: 'body.parentId', message: 'No team with this id in this workspace' },
  parent_cycle: { path: 'body.parentId', message: 'A team cannot sit below itself' },
  manager_not_member: { path: 'body.managerUserId', message: 'The manager must be a member of this workspace' },
};

export function teamIssueError(issue: TeamIssue): AppError {
  const { path, message } = ISSUE_MESSAGES[issue];
  return new AppError('validation_failed', `${path}: ${message}`, [{ path, message }]);
}

const TeamBody = z.object({
  name: Name,
  kind: TeamKindSchema,
  parentId: Id.nullable().optional(),
  managerUserId: Id.nullable().optional(),
  checkinCadenceDays: z.number().int().min(1).max(31).nullable().optional().describe('7 = weekly, 14 = bi-weekly check-ins for this team (and the teams below without their own); null: inherit'),
});

export function registerTeamRoutes(app: App, { store }: RouteDeps): void {
  const tags = ['teams'];
  const params = z.object({ teamId: Id });

  app.get(
    '/api/teams',
    { config: { access: 'teams:read' }, schema: { tags, summary: 'The team tree (company → region → team)', response: { 200: listOf(TeamSchema), ...COMMON_ERRORS } } },
    async (request) => ({ items: await inCallerTenant(store, request, listTeams) }),
  );

  app.post(
    '/api/teams',
    { config: { access: 'teams:manage' }, schema: { tags, summary: 'Create a team', body: TeamBody, response: { 201: TeamSchema, ...COMMON_ERRORS } } },
    async (request, reply) => {
      const result = await inCallerTenant(store, request, (scope) => createTeam(scope, randomUUID(), request.body));
      if (typeof result === 'string') throw teamIssueError(result);
      return reply.status(201).send(result);
    },
  );

  app.patch(
    '/api/teams/:teamId',
    {
      config: { access: 'teams:manage' },
      schema: { tags, summary: 'Rename, move, change the manager or the check-in cadence of a team', params, body: TeamBody.partial(), response: { 200: TeamSchema, ...COMMON_ERRORS } },
    },
    async (request) => {
      const result = await inCallerTenant(store, request, (scope) => updateTeam(scope, request.params.teamId, request.body));
      if (result === null) throw notFound('Team');
      if (typeof result === 'string') throw teamIssueError(result);
      return result;
    },
  );

  app.delete(
    '/api/teams/:teamId',
    { config: { access: 'teams:manage' }, schema: { tags, summary: 'Delete an empty team', params, response: { 204: NoContent, ...COMMON_ERRORS } } },
    async (request, reply) => {
      const result = await inCallerTenant(store, request, (scope) => deleteTeam(scope, request.params.teamId));
      if (result === 'not_found') throw notFound('Team');
      if (result === 'not_empty') throw new AppError('team_not_empty', 'Move or delete its sub-teams and payees first');
      return reply.status(204).send(null);
    },
  );
}

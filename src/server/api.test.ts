import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, describeEachBackend, type TestStore } from '../../test/stores.js';
import { seedTenant, TEST_PASSWORD, type TenantFixture } from '../../test/fixtures.js';
import { call, signIn, type Caller } from '../../test/http.js';
import { latestSchemaVersion } from '../store/migrate.js';
import { buildApp, type RouteEntry } from './app.js';
import type { App } from './context.js';

describeEachBackend('HTTP API', (backend) => {
  let t: TestStore;
  let app: App & { routeTable: RouteEntry[] };
  let a: TenantFixture;
  let b: TenantFixture;
  let admin: Caller;

  beforeAll(async () => {
    t = await createTestStore(backend);
    a = await seedTenant(t.store, 'alpha');
    b = await seedTenant(t.store, 'beta');
    app = await buildApp(t.store, { signInLimit: { max: 5, windowMs: 60_000 } });
    admin = await signIn(app, a.users.admin.email);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const auditActions = async (entityId: string) =>
    (await t.store.asSystem((tx) => tx.query<{ action: string }>('SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id', [entityId]))).map((r) => r.action);

  describe('health and docs', () => {
    it('names the storage, the schema version and whether row-level security binds', async () => {
      const response = await call(app, null, 'GET', '/api/health');
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ status: 'ok', storage: backend, schemaVersion: await latestSchemaVersion(), rowLevelSecurity: true });
    });

    it('publishes an OpenAPI 3.1 document covering every route, and a docs page', async () => {
      const response = await call(app, null, 'GET', '/api/openapi.json');
      const doc = response.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
      expect(doc.openapi).toMatch(/^3\.1\./);
      for (const route of app.routeTable.filter((r) => r.url !== '/api/openapi.json')) {
        const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
        expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.url}`).toBeDefined();
      }
      const docs = await app.inject({ method: 'GET', url: '/api/docs/' });
      expect(docs.statusCode).toBe(200);
      expect(docs.headers['content-type']).toContain('text/html');
    });

    it('sends security headers on every response', async () => {
      const response = await call(app, null, 'GET', '/api/health');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      const missing = await call(app, null, 'GET', '/api/nothing-here');
      expect(missing.headers['x-content-type-options']).toBe('nosniff');
    });
  });

  describe('sign-in and sessions', () => {
    it('sets an HttpOnly, SameSite session cookie and returns the session', async () => {
      const response = await call(app, null, 'POST', '/api/auth/sign-in', { email: a.users.rep.email.toUpperCase(), password: TEST_PASSWORD });
      expect(response.statusCode).toBe(200);
      const cookie = response.cookies.find((c) => c.name === 'attain_session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(response.json()).toMatchObject({ user: { email: a.users.rep.email }, role: 'rep', tenant: { id: a.tenantId } });
    });

    it('marks the cookie Secure behind HTTPS', async () => {
      const secureApp = await buildApp(t.store, { secureCookies: true });
      const response = await call(secureApp, null, 'POST', '/api/auth/sign-in', { email: a.users.viewer.email, password: TEST_PASSWORD });
      expect(response.cookies.find((c) => c.name === 'attain_session')?.secure).toBe(true);
      await secureApp.close();
    });

    it('answers a wrong password and an unknown e-mail the same way', async () => {
      const wrong = await call(app, null, 'POST', '/api/auth/sign-in', { email: a.users.finance.email, password: 'not the password' });
      const unknown = await call(app, null, 'POST', '/api/auth/sign-in', { email: 'nobody@alpha.test', password: 'not the password' });
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.json()).toEqual(unknown.json());
      expect(wrong.json()).toMatchObject({ error: { code: 'invalid_credentials' } });
    });

    it('rate-limits repeated sign-in attempts', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 7; i += 1) {
        codes.push((await call(app, null, 'POST', '/api/auth/sign-in', { email: 'limited@alpha.test', password: `guess ${i}` })).statusCode);
      }
      expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(codes.slice(5)).toEqual([429, 429]);
      const limited = await call(app, null, 'POST', '/api/auth/sign-in', { email: 'limited@alpha.test', password: 'x' });
      expect(limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
    });

    it('ends the session on sign-out', async () => {
      const session = await signIn(app, a.users.viewer.email);
      expect((await call(app, session, 'GET', '/api/auth/session')).statusCode).toBe(200);
      expect((await call(app, session, 'POST', '/api/auth/sign-out')).statusCode).toBe(204);
      expect((await call(app, session, 'GET', '/api/auth/session')).statusCode).toBe(401);
    });

    it('changes the password, signs out other sessions and audits it without the hash', async () => {
      const one = await signIn(app, a.users.finance.email);
      const two = await signIn(app, a.users.finance.email);
      expect((await call(app, one, 'POST', '/api/auth/password', { currentPassword: 'wrong one', newPassword: 'a new long password' })).statusCode).toBe(401);
      const short = await call(app, one, 'POST', '/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
      expect(short.statusCode).toBe(400);
      expect(short.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'body.newPassword' }] } });
      expect((await call(app, one, 'POST', '/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'a new long password' })).statusCode).toBe(204);
      expect((await call(app, one, 'GET', '/api/auth/session')).statusCode).toBe(200);
      expect((await call(app, two, 'GET', '/api/auth/session')).statusCode).toBe(401);
      await signIn(app, a.users.finance.email, 'a new long password');
      const audit = await t.store.asSystem((tx) => tx.query<{ action: string; after: unknown }>(`SELECT action, after FROM audit_log WHERE entity_id = $1 AND action = 'user.password_changed'`, [a.users.finance.id]));
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit)).not.toContain('scrypt');
    });
  });

  describe('CSRF', () => {
    it('refuses a state-changing request without the session’s token', async () => {
      const without = await call(app, { cookie: admin.cookie ?? '' }, 'POST', '/api/teams', { name: 'csrf team', kind: 'team' });
      expect(without.statusCode).toBe(403);
      expect(without.json()).toMatchObject({ error: { code: 'csrf_failed' } });
      const wrong = await call(app, { cookie: admin.cookie ?? '', csrf: 'forged' }, 'POST', '/api/teams', { name: 'csrf team', kind: 'team' });
      expect(wrong.statusCode).toBe(403);
      const right = await call(app, admin, 'POST', '/api/teams', { name: 'csrf team', kind: 'team' });
      expect(right.statusCode).toBe(201);
    });
  });

  describe('errors', () => {
    it('answers malformed JSON with 400 in the one error shape', async () => {
      const response = await app.inject({
        method: 'POST', url: '/api/teams', payload: '{"name": ', headers: { cookie: admin.cookie ?? '', 'x-csrf-token': admin.csrf ?? '', 'content-type': 'application/json' },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'bad_request', message: expect.any(String) } });
    });

    it('answers an unsupported content type with 415', async () => {
      const response = await app.inject({
        method: 'POST', url: '/api/teams', payload: 'name=x', headers: { cookie: admin.cookie ?? '', 'x-csrf-token': admin.csrf ?? '', 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(response.statusCode).toBe(415);
      expect(response.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    });

    it('names the field that failed validation', async () => {
      const badId = await call(app, admin, 'PATCH', '/api/teams/not-a-uuid', { name: 'x' });
      expect(badId.statusCode).toBe(400);
      expect(badId.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'params.teamId' }] } });
      const badBody = await call(app, admin, 'POST', '/api/payees', { kind: 'employee', displayName: 'P', currency: 'euro', startDate: '2026-02-30' });
      expect(badBody.statusCode).toBe(400);
      const paths = (badBody.json() as { error: { details: { path: string }[] } }).error.details.map((d) => d.path).sort();
      expect(paths).toEqual(['body.currency', 'body.startDate']);
    });

    it('writes nothing when a request fails', async () => {
      const before = await t.store.asSystem((tx) => tx.query<{ n: string }>('SELECT (SELECT count(*) FROM payees) + (SELECT count(*) FROM audit_log) AS n'));
      const response = await call(app, admin, 'POST', '/api/payees', { kind: 'employee', displayName: 'Cross', teamId: b.teamId });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { details: [{ path: 'body.teamId' }] } });
      const reversed = await call(app, admin, 'POST', '/api/payees', { kind: 'partner', displayName: 'Dates', startDate: '2026-05-01', endDate: '2026-04-01' });
      expect(reversed.statusCode).toBe(400);
      const after = await t.store.asSystem((tx) => tx.query<{ n: string }>('SELECT (SELECT count(*) FROM payees) + (SELECT count(*) FROM audit_log) AS n'));
      expect(after).toEqual(before);
    });

    it('answers unknown API paths with a JSON 404', async () => {
      const response = await call(app, admin, 'GET', '/api/no-such-thing');
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
    });
  });

  describe('users and roles', () => {
    it('adds a user, refuses a duplicate, changes the role and audits each change', async () => {
      const created = await call(app, admin, 'POST', '/api/users', { email: 'New.Person@alpha.test', name: 'New Person', role: 'rep', password: 'long enough password' });
      expect(created.statusCode).toBe(201);
      const user = created.json() as { id: string; email: string };
      expect(user.email).toBe('new.person@alpha.test');
      const duplicate = await call(app, admin, 'POST', '/api/users', { email: 'new.person@alpha.test', name: 'Again', role: 'rep', password: 'long enough password' });
      expect(duplicate.json()).toMatchObject({ error: { code: 'email_taken' } });
      const changed = await call(app, admin, 'PATCH', `/api/users/${user.id}`, { role: 'manager' });
      expect(changed.json()).toMatchObject({ role: 'manager' });
      expect(await auditActions(user.id)).toEqual(['member.added', 'member.updated']);
    });

    it('filters members by role and status, and counts active members per role', async () => {
      const reps = (await call(app, admin, 'GET', '/api/users?role=finance')).json() as { items: { role: string }[]; total: number; roleCounts: Record<string, number> };
      expect(reps.items.every((m) => m.role === 'finance')).toBe(true);
      expect(reps.total).toBe(reps.items.length);
      expect(reps.roleCounts.admin).toBe(1);
      expect((await call(app, admin, 'GET', '/api/users?disabled=maybe')).statusCode).toBe(400);
    });

    it('keeps the last admin', async () => {
      const demote = await call(app, admin, 'PATCH', `/api/users/${a.users.admin.id}`, { role: 'rep' });
      expect(demote.statusCode).toBe(409);
      expect(demote.json()).toMatchObject({ error: { code: 'last_admin' } });
      expect((await call(app, admin, 'DELETE', `/api/users/${a.users.admin.id}`)).statusCode).toBe(409);
    });

    it('lets an admin set a forgotten password, ending that member’s sessions', async () => {
      const rep = await signIn(app, a.users.rep.email);
      expect((await call(app, admin, 'POST', `/api/users/${a.users.rep.id}/password`, { password: 'short' })).statusCode).toBe(400);
      expect((await call(app, admin, 'POST', `/api/users/${a.users.rep.id}/password`, { password: 'a temporary password' })).statusCode).toBe(204);
      expect((await call(app, rep, 'GET', '/api/auth/session')).statusCode).toBe(401);
      await signIn(app, a.users.rep.email, 'a temporary password');
      expect(await auditActions(a.users.rep.id)).toContain('user.password_reset');
      // An account shared with another workspace stays its owner's.
      const shared = (await call(app, admin, 'POST', '/api/invitations', { email: b.users.partner.email, role: 'viewer' })).json() as { token: string };
      await call(app, null, 'POST', '/api/invitations/accept', { token: shared.token, password: TEST_PASSWORD });
      const refused = await call(app, admin, 'POST', `/api/users/${b.users.partner.id}/password`, { password: 'taking this over' });
      expect(refused.statusCode).toBe(409);
      await signIn(app, b.users.partner.email);
    });

    it('ends a disabled member’s sessions at once', async () => {
      const viewer = await signIn(app, a.users.viewer.email);
      expect((await call(app, admin, 'PATCH', `/api/users/${a.users.viewer.id}`, { disabled: true })).statusCode).toBe(200);
      expect((await call(app, viewer, 'GET', '/api/teams')).statusCode).toBe(401);
      expect((await call(app, null, 'POST', '/api/auth/sign-in', { email: a.users.viewer.email, password: TEST_PASSWORD })).statusCode).toBe(401);
      await call(app, admin, 'PATCH', `/api/users/${a.users.viewer.id}`, { disabled: false });
    });
  });

  describe('invitations', () => {
    it('invites, shows the link once, and lets the invitee join with a new account', async () => {
      const created = await call(app, admin, 'POST', '/api/invitations', { email: 'joiner@alpha.test', role: 'manager' });
      expect(created.statusCode).toBe(201);
      const { token, acceptUrl, invitation } = created.json() as { token: string; acceptUrl: string; invitation: { id: string; status: string } };
      expect(acceptUrl).toBe(`/accept-invitation?token=${token}`);
      expect(invitation.status).toBe('pending');
      const listed = await call(app, admin, 'GET', '/api/invitations');
      expect(listed.body).not.toContain(token);
      const stored = await t.store.asSystem((tx) => tx.query<{ token_hash: string }>('SELECT token_hash FROM invitations WHERE id = $1', [invitation.id]));
      expect(token).not.toContain(stored[0]?.token_hash ?? 'none');

      const lookup = await call(app, null, 'GET', `/api/invitations/lookup?token=${token}`);
      expect(lookup.json()).toEqual({ email: 'joiner@alpha.test', role: 'manager', tenantName: a.name, userExists: false });
      const accepted = await call(app, null, 'POST', '/api/invitations/accept', { token, name: 'Joiner', password: 'joiner password 1' });
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toMatchObject({ role: 'manager', user: { email: 'joiner@alpha.test', name: 'Joiner' } });
      const again = await call(app, null, 'POST', '/api/invitations/accept', { token, name: 'Joiner', password: 'joiner password 1' });
      expect(again.statusCode).toBe(410);
      expect(again.json()).toMatchObject({ error: { code: 'invitation_invalid' } });
      expect(await auditActions(invitation.id)).toEqual(['invitation.created', 'invitation.accepted']);
    });

    it('asks an existing account for its own password, and refuses revoked links', async () => {
      const created = (await call(app, admin, 'POST', '/api/invitations', { email: b.users.rep.email, role: 'viewer' })).json() as { token: string; invitation: { id: string } };
      expect((await call(app, null, 'GET', `/api/invitations/lookup?token=${created.token}`)).json()).toMatchObject({ userExists: true });
      const wrong = await call(app, null, 'POST', '/api/invitations/accept', { token: created.token, password: 'somebody elses guess' });
      expect(wrong.json()).toMatchObject({ error: { code: 'invalid_credentials' } });
      const right = await call(app, null, 'POST', '/api/invitations/accept', { token: created.token, password: TEST_PASSWORD });
      expect(right.json()).toMatchObject({ role: 'viewer', tenant: { id: a.tenantId } });
      expect((right.json() as { memberships: unknown[] }).memberships).toHaveLength(2);

      const revoked = (await call(app, admin, 'POST', '/api/invitations', { email: 'late@alpha.test', role: 'rep' })).json() as { token: string; invitation: { id: string } };
      expect((await call(app, admin, 'DELETE', `/api/invitations/${revoked.invitation.id}`)).statusCode).toBe(204);
      expect((await call(app, null, 'GET', `/api/invitations/lookup?token=${revoked.token}`)).statusCode).toBe(410);
    });

    it('lets a member of two workspaces switch between them', async () => {
      const session = await signIn(app, b.users.rep.email);
      const other = (session.body.memberships as { tenantId: string }[]).find((m) => m.tenantId !== session.body.tenant && m.tenantId !== (session.body.tenant as { id: string }).id);
      expect(other).toBeDefined();
      const switched = await call(app, session, 'POST', '/api/auth/switch-tenant', { tenantId: other?.tenantId });
      expect(switched.statusCode).toBe(200);
      const teams = await call(app, session, 'GET', '/api/teams');
      expect((teams.json() as { items: { id: string }[] }).items.map((x) => x.id)).toContain(other?.tenantId === a.tenantId ? a.teamId : b.teamId);
    });
  });

  describe('API tokens', () => {
    it('shows a token once, stores only its hash, authenticates Bearer calls and stops at revocation', async () => {
      const created = await call(app, admin, 'POST', '/api/api-tokens', { name: 'CRM sync', role: 'finance' });
      expect(created.statusCode).toBe(201);
      const { token, apiToken } = created.json() as { token: string; apiToken: { id: string } };
      const stored = await t.store.asSystem((tx) => tx.query('SELECT * FROM api_tokens WHERE id = $1', [apiToken.id]));
      const secret = token.slice(-32);
      expect(JSON.stringify(stored)).not.toContain(secret);
      expect((await call(app, admin, 'GET', '/api/api-tokens')).body).not.toContain(secret);

      const bearer = { bearer: token };
      expect((await call(app, bearer, 'GET', '/api/payees')).statusCode).toBe(200);
      // Scoped to its role: finance may not manage users. No CSRF header is needed for a bearer.
      expect((await call(app, bearer, 'POST', '/api/users', { email: 'x@alpha.test', name: 'X', role: 'rep', password: 'long enough password' })).statusCode).toBe(403);
      expect((await call(app, bearer, 'POST', '/api/payees', { kind: 'partner', displayName: 'Via token' })).statusCode).toBe(201);
      expect((await call(app, { bearer: `${token.slice(0, -1)}x` }, 'GET', '/api/payees')).statusCode).toBe(401);

      expect((await call(app, admin, 'DELETE', `/api/api-tokens/${apiToken.id}`)).statusCode).toBe(204);
      const after = await call(app, bearer, 'GET', '/api/payees');
      expect(after.statusCode).toBe(401);
      expect(after.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    });
  });

  describe('pay privacy', () => {
    it('shows a manager only the payees of the teams they manage', async () => {
      const manager = await signIn(app, a.users.manager.email);
      const items = ((await call(app, manager, 'GET', '/api/payees')).json() as { items: { id: string }[] }).items.map((p) => p.id);
      expect(items).toEqual([a.payeeId]);
      const finance = ((await call(app, admin, 'GET', '/api/payees')).json() as { items: { id: string }[] }).items.map((p) => p.id);
      expect(finance).toContain(a.partnerPayeeId);
      // A team filter narrows, never widens, a manager's view.
      // The company's subtree holds the manager's team: the manager still sees only their own.
      const outside = await call(app, manager, 'GET', `/api/payees?teamId=${a.companyTeamId}`);
      expect((outside.json() as { items: { id: string }[] }).items.map((p) => p.id)).toEqual([a.payeeId]);
      const subtree = (await call(app, admin, 'GET', `/api/payees?teamId=${a.companyTeamId}`)).json() as { items: { id: string; userName: string | null }[] };
      expect(subtree.items.map((p) => p.id)).toEqual([a.payeeId]);
      expect(subtree.items[0]?.userName).toBe('rep of alpha');
      const byTeam = (await call(app, admin, 'GET', `/api/payees?teamId=${a.teamId}&kind=employee`)).json() as { items: { id: string }[]; total: number };
      expect(byTeam).toMatchObject({ total: 1, items: [{ id: a.payeeId }] });
    });
  });

  describe('teams', () => {
    it('builds a tree, refuses cycles and refuses to delete a team that still has members', async () => {
      const region = (await call(app, admin, 'POST', '/api/teams', { name: 'EMEA', kind: 'region', parentId: a.companyTeamId })).json() as { id: string };
      const team = (await call(app, admin, 'POST', '/api/teams', { name: 'DACH', kind: 'team', parentId: region.id, managerUserId: a.users.manager.id })).json() as { id: string; managerName: string };
      expect(team.managerName).toBe('manager of alpha');
      const cycle = await call(app, admin, 'PATCH', `/api/teams/${region.id}`, { parentId: team.id });
      expect(cycle.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'body.parentId' }] } });
      expect((await call(app, admin, 'DELETE', `/api/teams/${region.id}`)).json()).toMatchObject({ error: { code: 'team_not_empty' } });
      expect((await call(app, admin, 'DELETE', `/api/teams/${team.id}`)).statusCode).toBe(204);
      expect(await auditActions(team.id)).toEqual(['team.created', 'team.deleted']);
    });
  });
});

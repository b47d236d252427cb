import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestStore, describeEachBackend, type TestStore } from '../../test/stores.js';
import { seedTenant, type TenantFixture } from '../../test/fixtures.js';
import { call, signIn, type Caller } from '../../test/http.js';
import { buildApp } from './app.js';

/** A committed money key result backed by quota planning: its target is the owner's quota for the cycle. */
describeEachBackend('key results with their target from a quota', (backend) => {
  let t: TestStore;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let q: TenantFixture;
  let rep: Caller;
  let manager: Caller;
  let finance: Caller;
  interface Kr { title: string; target: number | null; start: number | null; trackingNote: string | null }
  const ok = <T>(response: { statusCode: number; body: string; json: () => unknown }, status = 200): T => {
    expect(response.statusCode, response.body).toBe(status);
    return response.json() as T;
  };
  const objective = (owner: { kind: 'user' | 'team'; id: string }, keyResults: unknown[]) => ({
    cycleId: q.okrCycleId, title: 'Hit the number', category: 'revenue', commitment: 'committed', owner, keyResults,
  });

  beforeAll(async () => {
    t = await createTestStore(backend);
    q = await seedTenant(t.store, 'quotakr');
    app = await buildApp(t.store);
    rep = await signIn(app, q.users.rep.email);
    manager = await signIn(app, q.users.manager.email);
    finance = await signIn(app, q.users.finance.email);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('sets a rep’s and a team’s target to their quota for the cycle, in major units, and says where it came from', async () => {
    const quota = ok<{ quotaMinor: number }>(await call(app, finance, 'GET', `/api/quotas/payees/${q.payeeId}?period=2026-Q1&includeDrafts=true`));
    expect(quota.quotaMinor).toBeGreaterThan(0);
    const mine = ok<{ keyResults: Kr[] }>(
      await call(app, rep, 'POST', '/api/okrs/objectives', objective({ kind: 'user', id: q.users.rep.id }, [{ title: 'Book my quota', kind: 'currency', targetFromQuota: true }])),
      201,
    );
    expect(mine.keyResults[0]).toMatchObject({ target: quota.quotaMinor / 100, start: 0 });
    expect(mine.keyResults[0]?.trackingNote).toMatch(/2026-Q1 quota, quota plan version 1/);

    const version = ok<{ lines: { assigneeKind: string; assigneeId: string; period: string; quotaMinor: number }[] }>(await call(app, finance, 'GET', `/api/quota-versions/${q.quotaVersionId}`));
    const teamLine = version.lines.find((l) => l.assigneeKind === 'team' && l.assigneeId === q.teamId && l.period === '2026-Q1');
    if (!teamLine) throw new Error('no team line');
    const team = ok<{ keyResults: Kr[] }>(
      await call(app, manager, 'POST', '/api/okrs/objectives', objective({ kind: 'team', id: q.teamId }, [{ title: 'Team books its quota', kind: 'currency', targetFromQuota: true }])),
      201,
    );
    expect(team.keyResults[0]?.target).toBe(teamLine.quotaMinor / 100);
  });

  it('refuses it where it cannot hold, at the field', async () => {
    const admin = await signIn(app, q.users.admin.email);
    const refused = async (owner: { kind: 'user' | 'team'; id: string }, kr: Record<string, unknown>, by: Caller = admin) => {
      const response = await call(app, by, 'POST', '/api/okrs/objectives', objective(owner, [{ title: 'X', ...kr }]));
      expect(response.statusCode, response.body).toBe(400);
      return JSON.stringify(response.json());
    };
    const rep_ = { kind: 'user' as const, id: q.users.rep.id };
    expect(await refused(rep_, { kind: 'number', targetFromQuota: true })).toContain('body.keyResults.0.targetFromQuota');
    expect(await refused(rep_, { kind: 'currency', target: 5000, targetFromQuota: true })).toContain('Either a target or targetFromQuota');
    // The admin is nobody's payee: no quota to read.
    expect(await refused({ kind: 'user', id: q.users.admin.id }, { kind: 'currency', targetFromQuota: true })).toContain('not a payee');
    // No quota plan for the cycle's fiscal year.
    const cycle = ok<{ id: string }>(await call(app, admin, 'POST', '/api/okrs/cycles', { key: '2027-Q1' }), 201).id;
    const response = await call(app, rep, 'POST', '/api/okrs/objectives', { ...objective(rep_, [{ title: 'X', kind: 'currency', targetFromQuota: true }]), cycleId: cycle });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('No quota for the owner in 2027-Q1');
  });
});

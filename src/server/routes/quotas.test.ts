import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestStore, describeEachBackend, type TestStore } from '../../../test/stores.js';
import { seedTenant, type TenantFixture } from '../../../test/fixtures.js';
import { call, signIn, type Caller } from '../../../test/http.js';
import { addSales } from '../../../test/sales.js';
import { buildApp } from '../app.js';
import type { App } from '../context.js';

interface Line { assigneeKind: 'rep' | 'team' | 'territory'; assigneeId: string; period: string; quotaMinor: number; parentKey: string | null }

const sum = (lines: readonly Line[]): number => lines.reduce((s, l) => s + l.quotaMinor, 0);

describeEachBackend('quotas API: allocation, overrides, lock, versions, CSV, privacy', (backend) => {
  let t: TestStore;
  let app: App;
  let a: TenantFixture;
  let admin: Caller;
  let finance: Caller;
  let manager: Caller;
  let rep: Caller;
  let viewer: Caller;
  let planId: string;
  let versionId: string;
  let otherTeamPayee: string;
  let otherBefore = 0;
  const TARGET = 1_000_000_01; // odd cents: the split must still reconcile exactly

  beforeAll(async () => {
    t = await createTestStore(backend);
    a = await seedTenant(t.store, 'alpha');
    app = await buildApp(t.store, { signInLimit: { max: 1000, windowMs: 60_000 } });
    const as = (role: 'admin' | 'finance' | 'manager' | 'rep' | 'viewer') => signIn(app, a.users[role].email);
    [admin, finance, manager, rep, viewer] = await Promise.all([as('admin'), as('finance'), as('manager'), as('rep'), as('viewer')]);
    const colleague = await call(app, admin, 'POST', '/api/payees', { kind: 'employee', displayName: 'Colleague', teamId: a.teamId, startDate: '2026-07-01' });
    const otherTeam = await call(app, admin, 'POST', '/api/teams', { name: 'Other team', kind: 'team', parentId: a.companyTeamId });
    const other = await call(app, admin, 'POST', '/api/payees', { kind: 'employee', displayName: 'Other rep', teamId: otherTeam.json().id });
    otherTeamPayee = other.json().id as string;
    await addSales(t.store, a.tenantId, {
      deals: [
        { id: 'Q-1', amount: 300_000_00, stage: 'closed_won', close: '2025-03-10', owner: a.payeeId },
        { id: 'Q-2', amount: 100_000_00, stage: 'closed_won', close: '2025-11-10', owner: colleague.json().id },
        { id: 'Q-3', amount: 600_000_00, stage: 'closed_won', close: '2025-12-01', owner: otherTeamPayee },
        { id: 'Q-4', amount: 50_000_00, stage: 'closed_lost', close: '2025-12-01', owner: otherTeamPayee },
      ],
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('allocates a yearly target top-down; every level reconciles to the cent and the gap is 0', async () => {
    const plan = await call(app, finance, 'POST', '/api/quota-plans', { name: 'FY26 sales', fiscalYear: 2026, targetMinor: TARGET });
    expect(plan.statusCode).toBe(201);
    planId = plan.json().id;
    expect((await call(app, manager, 'POST', '/api/quota-plans', { name: 'x', fiscalYear: 2026, targetMinor: 1 })).statusCode).toBe(403);
    for (const method of ['equal', 'historical', 'capacity'] as const) {
      const created = await call(app, finance, 'POST', `/api/quota-plans/${planId}/versions`, { method, effectiveFrom: '2026-01-01' });
      expect(created.statusCode, created.body).toBe(201);
      const detail = (await call(app, finance, 'GET', `/api/quota-versions/${created.json().id}`)).json();
      const lines = detail.lines as Line[];
      const fy = lines.filter((l) => l.period === 'FY2026');
      expect(sum(fy.filter((l) => l.assigneeKind === 'rep'))).toBe(TARGET);
      expect(sum(fy.filter((l) => l.parentKey === null))).toBe(TARGET);
      for (const parent of fy.filter((l) => l.assigneeKind === 'team')) {
        const children = fy.filter((l) => l.parentKey === `team:${parent.assigneeId}`);
        expect(sum(children)).toBe(parent.quotaMinor);
      }
      for (const node of fy) {
        const own = lines.filter((l) => l.assigneeKind === node.assigneeKind && l.assigneeId === node.assigneeId);
        expect(sum(own.filter((l) => /Q/.test(l.period)))).toBe(node.quotaMinor);
        expect(sum(own.filter((l) => /^\d{4}-\d{2}$/.test(l.period)))).toBe(node.quotaMinor);
      }
      expect(detail.totalGapMinor).toBe(0);
      if (method === 'historical') {
        // 300k : 100k : 600k of last year's bookings (the odd cent goes to the largest remainder).
        otherBefore = fy.find((l) => l.assigneeId === otherTeamPayee)?.quotaMinor ?? 0;
        expect(Math.abs(otherBefore - 600_000_00)).toBeLessThanOrEqual(1);
        versionId = created.json().id;
      }
      if (method === 'capacity') {
        // The colleague starts in July: no quota before, ramping after.
        const colleagueLines = lines.filter((l) => l.assigneeKind === 'rep' && l.assigneeId !== a.payeeId && l.assigneeId !== otherTeamPayee);
        expect(colleagueLines.find((l) => l.period === '2026-Q1')?.quotaMinor).toBe(0);
      }
    }
  });

  it('allocates over the territory tree to the reps and teams assigned as owners', async () => {
    const plan = (await call(app, finance, 'POST', '/api/quota-plans', { name: 'FY26 by territory', fiscalYear: 2026, targetMinor: 500_000_00 })).json();
    const created = await call(app, finance, 'POST', `/api/quota-plans/${plan.id}/versions`, { method: 'equal', levels: 'territories', effectiveFrom: '2026-01-01' });
    expect(created.statusCode, created.body).toBe(201);
    const fy = ((await call(app, finance, 'GET', `/api/quota-versions/${created.json().id}?period=FY2026`)).json().lines as Line[]);
    expect(fy).toEqual(expect.arrayContaining([
      expect.objectContaining({ assigneeKind: 'territory', assigneeId: a.territoryId, quotaMinor: 500_000_00, parentKey: null }),
      expect.objectContaining({ assigneeKind: 'rep', assigneeId: a.payeeId, quotaMinor: 500_000_00, parentKey: `territory:${a.territoryId}` }),
    ]));
  });

  it('keeps quotas private: a rep sees only their own lines, a manager their team subtree, a viewer nothing', async () => {
    const mine = (await call(app, rep, 'GET', `/api/quota-versions/${versionId}`)).json();
    expect(mine.lines.length).toBeGreaterThan(0);
    expect(mine.lines.every((l: Line) => l.assigneeKind === 'rep' && l.assigneeId === a.payeeId)).toBe(true);
    expect(mine.totalGapMinor).toBeNull();
    const team = (await call(app, manager, 'GET', `/api/quota-versions/${versionId}`)).json();
    expect(team.lines.some((l: Line) => l.assigneeId === otherTeamPayee)).toBe(false);
    expect(team.lines.some((l: Line) => l.assigneeId === a.teamId)).toBe(true);
    expect((await call(app, viewer, 'GET', `/api/quota-versions/${versionId}`)).statusCode).toBe(403);
    const csv = (await call(app, rep, 'GET', `/api/quota-versions/${versionId}/lines.csv`)).body;
    expect(csv).not.toContain(otherTeamPayee);
    // The comp engine's read: one payee, one period.
    const own = await call(app, rep, 'GET', `/api/quotas/payees/${a.payeeId}?period=2026-Q1&includeDrafts=true`);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ payeeId: a.payeeId, period: '2026-Q1', periodStart: '2026-01-01', periodEnd: '2026-04-01', isLocked: false });
    expect((await call(app, rep, 'GET', `/api/quotas/payees/${otherTeamPayee}?period=2026-Q1&includeDrafts=true`)).statusCode).toBe(403);
    expect((await call(app, manager, 'GET', `/api/quotas/payees/${otherTeamPayee}?period=2026-Q1&includeDrafts=true`)).statusCode).toBe(403);
    expect((await call(app, finance, 'GET', `/api/quotas/payees/${otherTeamPayee}?period=2026-Q1&includeDrafts=true`)).statusCode).toBe(200);
    expect((await call(app, finance, 'GET', `/api/quotas/payees/${otherTeamPayee}?period=2026-Q7`)).statusCode).toBe(400);
  });

  it('audits every override with before, after and reason, and shows the gap it opens', async () => {
    const before = (await call(app, finance, 'GET', `/api/quota-versions/${versionId}?period=FY2026`)).json().lines.find((l: Line) => l.assigneeId === a.payeeId).quotaMinor as number;
    const response = await call(app, finance, 'POST', `/api/quota-versions/${versionId}/overrides`, {
      overrides: [{ assigneeKind: 'rep', assigneeId: a.payeeId, quotaMinor: before + 10_000_00, reason: 'Takes over the Müller account' }],
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.changes).toEqual([{ assigneeKind: 'rep', assigneeId: a.payeeId, beforeMinor: before, afterMinor: before + 10_000_00, cause: 'override', reason: 'Takes over the Müller account' }]);
    expect(body.totalGapMinor).toBe(0); // the team's quota did not move: the gap is at the team
    expect(body.gaps).toContainEqual(expect.objectContaining({ parentId: `team:${a.teamId}`, gapMinor: 10_000_00 }));
    const audit = (await call(app, admin, 'GET', '/api/audit?entityType=quota_line&action=quota.overridden')).json().items;
    expect(audit[0]).toMatchObject({ action: 'quota.overridden', before: { quotaMinor: before }, after: { quotaMinor: before + 10_000_00, reason: 'Takes over the Müller account' } });
    const lines = (await call(app, finance, 'GET', `/api/quota-versions/${versionId}`)).json().lines as Line[];
    expect(sum(lines.filter((l) => l.assigneeId === a.payeeId && /Q/.test(l.period)))).toBe(before + 10_000_00);
    const unknown = await call(app, finance, 'POST', `/api/quota-versions/${versionId}/overrides`, { overrides: [{ assigneeKind: 'rep', assigneeId: a.partnerPayeeId, quotaMinor: 1, reason: 'x' }] });
    expect(unknown.statusCode).toBe(400);
    // Managers adjust their own subtree only; reps not at all.
    expect((await call(app, manager, 'POST', `/api/quota-versions/${versionId}/overrides`, { overrides: [{ assigneeKind: 'rep', assigneeId: otherTeamPayee, quotaMinor: 1, reason: 'x' }] })).statusCode).toBe(403);
    expect((await call(app, rep, 'POST', `/api/quota-versions/${versionId}/overrides`, { overrides: [{ assigneeKind: 'rep', assigneeId: a.payeeId, quotaMinor: 1, reason: 'x' }] })).statusCode).toBe(403);
    const byManager = await call(app, manager, 'POST', `/api/quota-versions/${versionId}/overrides`, {
      overrides: [{ assigneeKind: 'rep', assigneeId: a.payeeId, quotaMinor: before + 10_000_00, reason: 'Confirmed in the team meeting' }],
    });
    expect(byManager.statusCode, byManager.body).toBe(200);
    expect(byManager.json().changes).toEqual([]); // same value: nothing changes, nothing to audit
  });

  it('imports CSV all or nothing: bad rows are named by row, column and reason and nothing is written', async () => {
    const exported = await call(app, finance, 'GET', `/api/quota-versions/${versionId}/lines.csv`);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('text/csv');
    expect(exported.body.split('\r\n')[0]).toBe('assignee_kind,assignee_id,assignee_name,period,quota_minor');
    const beforeCsv = exported.body;
    const bad = [
      'assignee_kind,assignee_id,period,quota_minor',
      `rep,${a.payeeId},2026-Q1,123`,
      `person,${a.payeeId},2026-Q1,5`,
      `rep,${a.payeeId},2026-Q2,12.50`,
      `rep,${a.payeeId},2027-Q1,5`,
    ].join('\n');
    const rejected = await call(app, finance, 'POST', `/api/quota-versions/${versionId}/import`, { csv: bad, reason: 'Bottom-up from the managers' });
    expect(rejected.statusCode).toBe(400);
    expect(rejected.json().error.details).toEqual([
      { row: 3, column: 'assignee_kind', message: expect.any(String) },
      { row: 4, column: 'quota_minor', message: expect.any(String) },
      { row: 5, column: 'period', message: expect.stringContaining('FY2026') },
    ]);
    expect((await call(app, finance, 'GET', `/api/quota-versions/${versionId}/lines.csv`)).body).toBe(beforeCsv);
    const good = await call(app, finance, 'POST', `/api/quota-versions/${versionId}/import`, { csv: `assignee_kind,assignee_id,period,quota_minor\nrep,${a.payeeId},2026-Q1,123\n`, reason: 'Bottom-up' });
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json()).toEqual({ added: 0, changed: 1, unchanged: 0 });
    const audit = (await call(app, admin, 'GET', '/api/audit?action=quota.imported')).json().items;
    expect(audit[0]).toMatchObject({ after: { quotaMinor: 123, reason: 'Bottom-up' } });
  });

  it('locks a version for good (409 on every change), revises it into a new version and diffs them', async () => {
    const locked = await call(app, finance, 'POST', `/api/quota-versions/${versionId}/lock`);
    expect(locked.statusCode).toBe(200);
    expect(locked.json().isLocked).toBe(true);
    expect((await call(app, finance, 'POST', `/api/quota-versions/${versionId}/lock`)).statusCode).toBe(409);
    const override = await call(app, finance, 'POST', `/api/quota-versions/${versionId}/overrides`, { overrides: [{ assigneeKind: 'rep', assigneeId: a.payeeId, quotaMinor: 1, reason: 'late change' }] });
    expect(override.statusCode).toBe(409);
    expect((await call(app, finance, 'POST', `/api/quota-versions/${versionId}/import`, { csv: `assignee_kind,assignee_id,period,quota_minor\nrep,${a.payeeId},2026-Q1,1\n`, reason: 'x' })).statusCode).toBe(409);
    // The database refuses too, whatever path a change takes.
    await expect(t.store.inTenant(a.tenantId, { actor: { userId: null, tokenId: null } }, (scope) =>
      scope.tx.query('UPDATE quota_lines SET quota_minor = 0 WHERE tenant_id = $1 AND version_id = $2', [scope.tenantId, versionId]))).rejects.toThrow(/locked/);

    // Comp reads the locked version by default.
    const q1 = await call(app, rep, 'GET', `/api/quotas/payees/${a.payeeId}?period=2026-Q1`);
    expect(q1.json()).toMatchObject({ versionId, quotaMinor: 123, isLocked: true });

    const revised = await call(app, finance, 'POST', `/api/quota-versions/${versionId}/revise`, { effectiveFrom: '2026-07-01', note: 'H2 changes' });
    expect(revised.statusCode).toBe(201);
    expect(revised.json()).toMatchObject({ isLocked: false, effectiveFrom: '2026-07-01' });
    const next = revised.json().id as string;
    await call(app, finance, 'POST', `/api/quota-versions/${next}/overrides`, { overrides: [{ assigneeKind: 'rep', assigneeId: otherTeamPayee, quotaMinor: 500_000_00, reason: 'Territory split' }] });
    const diff = await call(app, finance, 'GET', `/api/quota-versions/${next}/diff?against=${versionId}`);
    expect(diff.statusCode).toBe(200);
    expect(diff.json().changes).toContainEqual(expect.objectContaining({ assigneeId: otherTeamPayee, period: 'FY2026', beforeMinor: otherBefore, afterMinor: 500_000_00, deltaMinor: 500_000_00 - otherBefore }));
    const plans = (await call(app, rep, 'GET', '/api/quota-plans')).json().items;
    expect(plans.find((p: { id: string }) => p.id === planId).versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3, 4]);
  });
});

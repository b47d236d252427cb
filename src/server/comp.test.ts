import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPayee } from '../store/repos/payees.js';
import { calculateRun, recalculatePayees } from '../store/repos/payout-runs.js';
import { SYSTEM_ACTOR } from '../store/store.js';
import { createTestStore, describeEachBackend, type TestStore } from '../../test/stores.js';
import { seedTenant, type TenantFixture } from '../../test/fixtures.js';
import { call, signIn, type Caller } from '../../test/http.js';
import { buildApp } from './app.js';

const plan = (id: string, version = 1, rate = '10%', extra: Record<string, unknown> = {}) => ({
  schemaVersion: 1, id, version, name: `Flat ${rate}`, currency: 'EUR', effectiveFrom: '2026-01-01',
  components: [
    { id: 'core', kind: 'commission', label: 'Commission', base: { kind: 'credits', dataset: 'deals', creditKinds: ['owner'] }, rates: { basis: 'flat', rate } },
    { id: 'launch', kind: 'spiff', label: 'Widget SPIFF', base: { kind: 'credits', where: [{ field: 'product', op: 'eq', value: 'Widget' }] }, amount: '50' },
  ],
  ...extra,
});

describeEachBackend('compensation API', (backend) => {
  let t: TestStore;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let a: TenantFixture;
  let b: TenantFixture;
  const as = {} as Record<'admin' | 'finance' | 'manager' | 'rep' | 'viewer' | 'partner', Caller>;
  let bFinance: Caller;
  const ok = <T>(response: { statusCode: number; body: string; json: () => unknown }, status = 200): T => {
    expect(response.statusCode, response.body).toBe(status);
    return response.json() as T;
  };

  beforeAll(async () => {
    t = await createTestStore(backend);
    a = await seedTenant(t.store, 'alpha');
    b = await seedTenant(t.store, 'beta');
    app = await buildApp(t.store);
    for (const role of ['admin', 'finance', 'manager', 'rep', 'viewer', 'partner'] as const) as[role] = await signIn(app, a.users[role].email);
    bFinance = await signIn(app, b.users.finance.email);
    // Deals of the rep's payee in March 2026: 1,000.00 + 250.00 (a Widget), one lost, one in April.
    const deal = (extId: string, amount: string, close: string, stage = 'closed_won', product = 'Gadget') => ({
      extId, values: { name: extId, amount, currency: 'EUR', stage, created: '2026-02-01', close_date: close, owner: a.payeeId, product },
    });
    ok(await call(app, as.admin, 'POST', '/api/datasets/deals/records/batch', {
      upsert: [deal('C-1', '1000.00', '2026-03-05'), deal('C-2', '250.00', '2026-03-20', 'closed_won', 'Widget'), deal('C-3', '9999.00', '2026-03-21', 'closed_lost'), deal('C-4', '500.00', '2026-04-02')],
    }));
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  let runId = '';

  describe('plans and assignments', () => {
    it('adds plan versions from documents, names bad paths, and keeps versions apart', async () => {
      const created = ok<{ planId: string; version: number; paidOut: boolean }>(await call(app, as.finance, 'POST', '/api/comp/plans', plan('alpha-flat')), 201);
      expect(created).toMatchObject({ planId: 'alpha-flat', version: 1, paidOut: false });
      expect((await call(app, as.finance, 'POST', '/api/comp/plans', plan('alpha-flat'))).json()).toMatchObject({ error: { code: 'conflict', details: { reason: 'version_exists' } } });
      const bad = await call(app, as.finance, 'POST', '/api/comp/plans', { ...plan('alpha-bad'), components: [{ id: 'core', kind: 'commission', rates: { basis: 'flat', rate: 'ten' } }] });
      expect(bad.statusCode).toBe(400);
      expect(JSON.stringify(bad.json())).toContain('components.0.rates');
      expect((await call(app, as.rep, 'GET', '/api/comp/plans')).statusCode).toBe(403);
      expect((await call(app, bFinance, 'GET', '/api/comp/plans/alpha-flat')).statusCode).toBe(404);
    });

    it('assigns a payee to a plan version, one plan at a time', async () => {
      // The fixture has the rep on its own plan in January; from February on, on this one.
      const overlapping = await call(app, as.finance, 'POST', '/api/comp/assignments', { payeeId: a.payeeId, planId: 'alpha-flat', planVersion: 1, from: '2026-01-15' });
      expect(overlapping.json()).toMatchObject({ error: { code: 'conflict', details: { reason: 'overlapping_assignment' } } });
      ok(await call(app, as.finance, 'POST', '/api/comp/assignments', { payeeId: a.payeeId, planId: 'alpha-flat', planVersion: 1, from: '2026-02-01' }), 201);
      const overlap = await call(app, as.finance, 'POST', '/api/comp/assignments', { payeeId: a.payeeId, planId: 'alpha-flat', planVersion: 1, from: '2026-06-01' });
      expect(overlap.json()).toMatchObject({ error: { code: 'conflict', details: { reason: 'overlapping_assignment' } } });
      // A partner plan is for partners only.
      const partnerOnEmployeePlan = await call(app, as.finance, 'POST', '/api/comp/assignments', { payeeId: a.partnerPayeeId, planId: 'alpha-flat', planVersion: 1, from: '2026-01-01' });
      expect(partnerOnEmployeePlan.statusCode).toBe(400);
      // Another workspace's payee does not exist here.
      expect((await call(app, bFinance, 'POST', '/api/comp/assignments', { payeeId: a.payeeId, planId: 'alpha-flat', planVersion: 1, from: '2026-01-01' })).statusCode).toBe(400);
    });
  });

  describe('payout runs', () => {
    it('calculates a month from the won deals: exact lines that explain themselves and sum to the total', async () => {
      const run = ok<{ id: string; status: string }>(await call(app, as.finance, 'POST', '/api/comp/runs', { period: '2026-03' }), 201);
      runId = run.id;
      expect(run.status).toBe('draft');
      expect((await call(app, as.finance, 'POST', '/api/comp/runs', { period: '2026-03' })).statusCode).toBe(409);
      expect((await call(app, as.finance, 'POST', '/api/comp/runs', { period: '2026-W10' })).statusCode).toBe(400);
      const calculated = ok<{ run: { status: string; totals: { currency: string; totalMinor: number }[]; inputHash: string }; changed: boolean }>(await call(app, as.finance, 'POST', `/api/comp/runs/${runId}/calculate`));
      expect(calculated.run.status).toBe('calculated');
      // 10 % of 1,250.00 = 125.00, plus the Widget SPIFF of 50.00.
      expect(calculated.run.totals).toEqual([expect.objectContaining({ currency: 'EUR', totalMinor: 125_00 + 50_00 })]);
      const lines = ok<{ items: { payeeId: string; kind: string; amountMinor: number; explanation: { credits: { recordId: string }[]; rate: string | null; text: string } }[] }>(
        await call(app, as.finance, 'GET', `/api/comp/runs/${runId}/lines`),
      );
      const commission = lines.items.find((l) => l.kind === 'commission');
      expect(commission).toMatchObject({ payeeId: a.payeeId, amountMinor: 125_00 });
      expect(commission?.explanation.credits).toHaveLength(2);
      expect(commission?.explanation.text).toMatch(/125/);
      expect(lines.items.reduce((sum, l) => sum + l.amountMinor, 0)).toBe(175_00);
      // Recalculating unchanged data changes nothing.
      const again = ok<{ run: { inputHash: string }; changed: boolean }>(await call(app, as.finance, 'POST', `/api/comp/runs/${runId}/calculate`));
      expect(again).toMatchObject({ changed: false, run: { inputHash: calculated.run.inputHash } });
    });

    it('shows pay only to the payee, their managers and finance', async () => {
      // The rep's own statements only: the fixture's January run and this one.
      const mine = ok<{ items: { runId: string; payeeId: string; totalMinor: number }[] }>(await call(app, as.rep, 'GET', '/api/comp/statements'));
      expect(mine.items.every((s) => s.payeeId === a.payeeId)).toBe(true);
      expect(mine.items.find((s) => s.runId === runId)).toMatchObject({ totalMinor: 175_00 });
      const statement = ok<{ lines: unknown[]; payee: { totalMinor: number } }>(await call(app, as.rep, 'GET', `/api/comp/statements/${runId}/${a.payeeId}`));
      expect(statement.payee.totalMinor).toBe(175_00);
      expect(statement.lines.length).toBeGreaterThan(0);
      expect(ok<{ items: unknown[] }>(await call(app, as.manager, 'GET', '/api/comp/statements')).items).toHaveLength(mine.items.length);
      // The partner is paid here too, but does not see the rep's pay; the viewer is paid nothing and sees nothing.
      expect(ok<{ items: unknown[] }>(await call(app, as.partner, 'GET', '/api/comp/statements')).items).toEqual([]);
      expect((await call(app, as.partner, 'GET', `/api/comp/statements/${runId}/${a.payeeId}`)).statusCode).toBe(404);
      expect((await call(app, as.viewer, 'GET', `/api/comp/statements/${runId}/${a.payeeId}`)).statusCode).toBe(403);
      expect((await call(app, as.rep, 'GET', `/api/comp/runs/${runId}`)).statusCode).toBe(403);
      expect((await call(app, bFinance, 'GET', `/api/comp/statements/${runId}/${a.payeeId}`)).statusCode).toBe(404);
      const csv = await call(app, as.rep, 'GET', `/api/comp/statements/${runId}/${a.payeeId}/statement.csv`);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.body).toContain('125.00');
      expect(csv.body.trim().split('\n').at(-1)).toContain('175.00');
    });

    it('moves through approve → lock → pay; a locked run never changes, not even in the database', async () => {
      expect((await call(app, as.finance, 'POST', `/api/comp/runs/${runId}/lock`)).json()).toMatchObject({ error: { details: { reason: 'bad_transition' } } });
      ok(await call(app, as.finance, 'POST', `/api/comp/runs/${runId}/approve`));
      ok(await call(app, as.finance, 'POST', `/api/comp/runs/${runId}/lock`));
      const before = await call(app, as.finance, 'GET', `/api/comp/runs/${runId}/lines`);
      // New data for the period does not reach a locked run.
      ok(await call(app, as.admin, 'POST', '/api/datasets/deals/records/batch', { upsert: [{ extId: 'C-5', values: { name: 'late', amount: '100.00', currency: 'EUR', stage: 'closed_won', created: '2026-03-01', close_date: '2026-03-30', owner: a.payeeId } }] }));
      expect((await call(app, as.finance, 'POST', `/api/comp/runs/${runId}/calculate`)).json()).toMatchObject({ error: { details: { reason: 'run_locked' } } });
      expect((await call(app, as.finance, 'DELETE', `/api/comp/runs/${runId}`)).statusCode).toBe(409);
      await expect(t.store.inTenant(a.tenantId, { actor: { userId: null, tokenId: null } }, (scope) =>
        scope.tx.query('UPDATE payout_lines SET amount_minor = 1 WHERE tenant_id = $1 AND run_id = $2', [a.tenantId, runId]))).rejects.toThrow(/never change/);
      // Nor its per-payee results and input digests (migration 0014): no update, delete or insert.
      for (const sql of [
        'UPDATE payout_run_payees SET total_minor = 1 WHERE tenant_id = $1 AND run_id = $2',
        'DELETE FROM payout_run_payees WHERE tenant_id = $1 AND run_id = $2',
        'DELETE FROM payout_run_owners WHERE tenant_id = $1 AND run_id = $2',
        "INSERT INTO payout_run_owners (tenant_id, run_id, owner_id, digest, revenue) VALUES ($1, $2, 'x', repeat('0', 32), '{}')",
        'DELETE FROM payout_lines WHERE tenant_id = $1 AND run_id = $2',
      ]) {
        await expect(t.store.inTenant(a.tenantId, { actor: { userId: null, tokenId: null } }, (scope) => scope.tx.query(sql, [a.tenantId, runId]))).rejects.toThrow(/never change/);
      }
      const [kept] = await t.store.inTenant(a.tenantId, { actor: SYSTEM_ACTOR }, (scope) =>
        scope.tx.query<{ n: string }>('SELECT count(*)::text AS n FROM payout_run_payees WHERE tenant_id = $1 AND run_id = $2', [a.tenantId, runId]));
      expect(Number(kept?.n)).toBeGreaterThan(0);
      expect((await call(app, as.finance, 'GET', `/api/comp/runs/${runId}/lines`)).body).toBe(before.body);
      // The plan it paid from is frozen now.
      const edit = await call(app, as.finance, 'PUT', '/api/comp/plans/alpha-flat/versions/1', plan('alpha-flat', 1, '12%'));
      expect(edit.json()).toMatchObject({ error: { details: { reason: 'paid_out' } } });
      ok(await call(app, as.finance, 'POST', `/api/comp/runs/${runId}/pay`));
      const payroll = await call(app, as.finance, 'GET', `/api/comp/runs/${runId}/payroll.csv`);
      expect(payroll.body).toContain('175.00');
    });

    it('lets the payee dispute a line; finance accepts with an adjustment paid in the next run', async () => {
      const statement = ok<{ lines: { lineNo: number; kind: string }[] }>(await call(app, as.rep, 'GET', `/api/comp/statements/${runId}/${a.payeeId}`));
      const lineNo = statement.lines.find((l) => l.kind === 'commission')?.lineNo ?? 0;
      // Nobody else disputes the rep's line.
      expect((await call(app, as.manager, 'POST', '/api/comp/disputes', { runId, lineNo, reason: 'not mine' })).statusCode).toBe(404);
      const dispute = ok<{ id: string; status: string }>(await call(app, as.rep, 'POST', '/api/comp/disputes', { runId, lineNo, reason: 'C-5 closed in March too' }), 201);
      expect(dispute.status).toBe('open');
      expect((await call(app, as.rep, 'POST', `/api/comp/disputes/${dispute.id}/resolve`, { decision: 'accept', note: 'x' })).statusCode).toBe(403);
      const accepted = ok<{ status: string; adjustmentId: string | null }>(await call(app, as.finance, 'POST', `/api/comp/disputes/${dispute.id}/resolve`, { decision: 'accept', note: 'Late deal C-5', adjustmentMinor: 10_00 }));
      expect(accepted.status).toBe('accepted');
      expect(accepted.adjustmentId).not.toBeNull();
      const april = ok<{ id: string }>(await call(app, as.finance, 'POST', '/api/comp/runs', { period: '2026-04' }), 201);
      const calculated = ok<{ run: { totals: { totalMinor: number }[] } }>(await call(app, as.finance, 'POST', `/api/comp/runs/${april.id}/calculate`));
      // April: 10 % of 500.00, plus the 10.00 adjustment with its reason.
      expect(calculated.run.totals[0]?.totalMinor).toBe(50_00 + 10_00);
      const lines = ok<{ items: { kind: string; amountMinor: number; label: string; reason?: string }[] }>(await call(app, as.finance, 'GET', `/api/comp/runs/${april.id}/lines`));
      expect(lines.items.find((l) => l.kind === 'adjustment')).toMatchObject({ amountMinor: 10_00 });
      // A new April deal recalculates the open April run by itself.
      ok(await call(app, as.admin, 'POST', '/api/datasets/deals/records/batch', { upsert: [{ extId: 'C-6', values: { name: 'new', amount: '300.00', currency: 'EUR', stage: 'closed_won', created: '2026-04-01', close_date: '2026-04-10', owner: a.payeeId } }] }));
      await app.compRecalc.idle();
      const recalculated = ok<{ run: { status: string; totals: { totalMinor: number }[] } }>(await call(app, as.finance, 'GET', `/api/comp/runs/${april.id}`));
      expect(recalculated.run).toMatchObject({ status: 'calculated', totals: [expect.objectContaining({ totalMinor: 50_00 + 30_00 + 10_00 })] });
      const audit = ok<{ items: { action: string }[] }>(await call(app, as.admin, 'GET', '/api/audit?limit=200'));
      expect(audit.items.map((e) => e.action)).toEqual(expect.arrayContaining(['payout_dispute.raised', 'payout_dispute.accepted', 'payout_run.locked', 'comp_plan.version_created']));
      aprilId = april.id;
    });

    type Line = { lineNo: number; payeeId: string; kind: string; amountMinor: number; explanation: unknown };
    const linesOf = async (id: string) => ok<{ items: Line[] }>(await call(app, as.finance, 'GET', `/api/comp/runs/${id}/lines`)).items;
    const runOf = async (id: string) => ok<{ run: { status: string; inputHash: string; totals: { totalMinor: number; revenueMinor: number }[] } }>(await call(app, as.finance, 'GET', `/api/comp/runs/${id}`)).run;
    let aprilId = '';

    it('recalculates only the payees a deal change touches; the total stays the sum of the lines and the hash that of a whole run', async () => {
      // A second rep on the plan, with a deal in April.
      const second = await t.store.inTenant(a.tenantId, { actor: SYSTEM_ACTOR }, (scope) => createPayee(scope, randomUUID(), { kind: 'employee', displayName: 'alpha second rep', currency: 'EUR', teamId: a.teamId }));
      if (typeof second === 'string') throw new Error(second);
      ok(await call(app, as.finance, 'POST', '/api/comp/assignments', { payeeId: second.id, planId: 'alpha-flat', planVersion: 1, from: '2026-04-01' }), 201);
      ok(await call(app, as.admin, 'POST', '/api/datasets/deals/records/batch', { upsert: [{ extId: 'C-7', values: { name: 'second', amount: '400.00', currency: 'EUR', stage: 'closed_won', created: '2026-04-01', close_date: '2026-04-12', owner: second.id } }] }));
      await app.compRecalc.idle();
      const before = await linesOf(aprilId);
      const runBefore = await runOf(aprilId);
      expect(before.filter((l) => l.payeeId === second.id).map((l) => l.amountMinor)).toEqual([40_00, 0]);

      // The rep's April deal grows from 300.00 to 350.00: only the rep's lines change.
      ok(await call(app, as.admin, 'POST', '/api/datasets/deals/records/batch', { upsert: [{ extId: 'C-6', values: { name: 'new', amount: '350.00', currency: 'EUR', stage: 'closed_won', created: '2026-04-01', close_date: '2026-04-10', owner: a.payeeId } }] }));
      await app.compRecalc.idle();
      const after = await linesOf(aprilId);
      const runAfter = await runOf(aprilId);
      expect(after.filter((l) => l.payeeId === second.id)).toEqual(before.filter((l) => l.payeeId === second.id));
      const commission = (lines: Line[]) => lines.find((l) => l.payeeId === a.payeeId && l.kind === 'commission')?.amountMinor;
      expect(commission(after)).toBe((commission(before) ?? 0) + 5_00);
      expect(runAfter.totals[0]?.totalMinor).toBe(after.reduce((sum, l) => sum + l.amountMinor, 0));
      expect(runAfter.totals[0]?.revenueMinor).toBe((runBefore.totals[0]?.revenueMinor ?? 0) + 50_00);
      expect(runAfter.inputHash).not.toBe(runBefore.inputHash);
      // It was a per-payee recalculation …
      const audit = ok<{ items: { action: string; entityId: string; after: { payeeIds?: string[] } | null }[] }>(await call(app, as.admin, 'GET', '/api/audit?limit=20'));
      expect(audit.items.find((e) => e.action === 'payout_run.calculated' && e.entityId === aprilId)?.after?.payeeIds).toEqual([a.payeeId]);
      // … that left the run as a whole recalculation would: same hash, so nothing to do.
      const whole = ok<{ run: { inputHash: string }; changed: boolean }>(await call(app, as.finance, 'POST', `/api/comp/runs/${aprilId}/calculate`));
      expect(whole).toMatchObject({ changed: false, run: { inputHash: runAfter.inputHash } });
      // Unchanged deals: nothing to recalculate.
      const again = await t.store.inTenant(a.tenantId, { actor: SYSTEM_ACTOR }, (scope) => recalculatePayees(scope, aprilId, [a.payeeId, second.id]));
      expect(again.changed).toBe(false);
    });

    it('recalculates the manager above the rep with the rep, from the manager’s whole team, as a whole recalculation would', async () => {
      // The sales team's manager becomes a payee (in the company team) on a 2 % override of the team's deals.
      const manager = await t.store.inTenant(a.tenantId, { actor: SYSTEM_ACTOR }, (scope) =>
        createPayee(scope, randomUUID(), { kind: 'employee', displayName: 'alpha manager', currency: 'EUR', userId: a.users.manager.id, teamId: a.companyTeamId }));
      if (typeof manager === 'string') throw new Error(manager);
      const override = { ...plan('alpha-override'), components: [{ id: 'override', kind: 'commission', label: 'Team override', base: { kind: 'credits', dataset: 'deals', creditKinds: ['manager'] }, rates: { basis: 'flat', rate: '2%' } }] };
      ok(await call(app, as.finance, 'POST', '/api/comp/plans', override), 201);
      ok(await call(app, as.finance, 'POST', '/api/comp/assignments', { payeeId: manager.id, planId: 'alpha-override', planVersion: 1, from: '2026-04-01' }), 201);
      // (The plan and assignment recalculate open runs whole: let that finish first.)
      await app.compRecalc.idle();
      const overrideOf = (lines: Line[]) => lines.find((l) => l.payeeId === manager.id && l.kind === 'commission')?.amountMinor;
      const before = await linesOf(aprilId);
      expect(overrideOf(before)).toBeGreaterThan(0);

      // The rep's deal grows to 450.00: the rep and the manager above are recalculated, nobody else.
      ok(await call(app, as.admin, 'POST', '/api/datasets/deals/records/batch', { upsert: [{ extId: 'C-6', values: { name: 'new', amount: '450.00', currency: 'EUR', stage: 'closed_won', created: '2026-04-01', close_date: '2026-04-10', owner: a.payeeId } }] }));
      await app.compRecalc.idle();
      const after = await linesOf(aprilId);
      // 2 % of the 100.00 more.
      expect(overrideOf(after)).toBe((overrideOf(before) ?? 0) + 2_00);
      const others = (lines: Line[]) => lines.filter((l) => l.payeeId !== manager.id && l.payeeId !== a.payeeId);
      expect(others(after)).toEqual(others(before));
      const audit = ok<{ items: { action: string; entityId: string; after: { payeeIds?: string[] } | null }[] }>(await call(app, as.admin, 'GET', '/api/audit?limit=20'));
      expect(audit.items.find((e) => e.action === 'payout_run.calculated' && e.entityId === aprilId)?.after?.payeeIds).toEqual([a.payeeId, manager.id].sort());
      const runAfter = await runOf(aprilId);
      expect(runAfter.totals[0]?.totalMinor).toBe(after.reduce((sum, l) => sum + l.amountMinor, 0));
      // A whole recalculation finds the same input, and would write the same lines.
      const whole = ok<{ run: { inputHash: string }; changed: boolean }>(await call(app, as.finance, 'POST', `/api/comp/runs/${aprilId}/calculate`));
      expect(whole).toMatchObject({ changed: false, run: { inputHash: runAfter.inputHash } });
    });

    it('never touches a locked run, per payee or whole', async () => {
      const before = await linesOf(runId);
      const status = (await runOf(runId)).status;
      expect(['locked', 'paid']).toContain(status);
      await expect(t.store.inTenant(a.tenantId, { actor: SYSTEM_ACTOR }, (scope) => recalculatePayees(scope, runId, [a.payeeId]))).rejects.toMatchObject({ failure: { kind: 'conflict', reason: 'run_locked' } });
      await expect(t.store.inTenant(a.tenantId, { actor: SYSTEM_ACTOR }, (scope) => calculateRun(scope, runId))).rejects.toMatchObject({ failure: { kind: 'conflict', reason: 'run_locked' } });
      // A March deal of the rep changes: the paid March run keeps its lines.
      ok(await call(app, as.admin, 'POST', '/api/datasets/deals/records/batch', { upsert: [{ extId: 'C-1', values: { name: 'C-1', amount: '1100.00', currency: 'EUR', stage: 'closed_won', created: '2026-02-01', close_date: '2026-03-05', owner: a.payeeId, product: 'Gadget' } }] }));
      await app.compRecalc.idle();
      expect(await linesOf(runId)).toEqual(before);
    });
  });
});

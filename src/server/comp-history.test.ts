import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestStore, describeEachBackend, type TestStore } from '../../test/stores.js';
import { seedTenant, type TenantFixture } from '../../test/fixtures.js';
import { call, signIn, type Caller } from '../../test/http.js';
import { compilePlan } from '../core/comp/index.js';
import { parsePeriod, CALENDAR_YEAR } from '../core/period.js';
import { loadClawbackInputs, loadScores } from '../store/repos/comp-inputs.js';
import { SYSTEM_VIEWER } from '../store/repos/okr-common.js';
import { listKeyResults } from '../store/repos/okr-key-results.js';
import { checkIn, createObjective } from '../store/repos/okr-process.js';
import { pdfPages } from '../../test/pdf-text.js';
import { buildApp } from './app.js';

/**
 * Inputs of a run that come from history (repos/comp-inputs.ts): commission paid in locked
 * runs that a cancellation or a churn reverses later, and OKR scores feeding MBO bonuses.
 */
const PLAN = {
  schemaVersion: 1, id: 'hist', version: 1, name: 'History plan', currency: 'EUR', effectiveFrom: '2026-01-01',
  components: [
    { id: 'core', kind: 'commission', label: 'Commission', rates: { basis: 'flat', rate: '10%' } },
    { id: 'undo', kind: 'clawback', label: 'Clawback', components: ['core'], withinDays: 90, events: ['cancelled', 'churned'] },
    // Committed MBO: step 0.7 → 500, 1.0 → 1,000; aspirational one without the opt-in pays nothing.
    { id: 'mbo', kind: 'bonus', label: 'MBO', on: { kind: 'score', key: 'mbo-pipeline' }, payout: { kind: 'step', steps: [{ at: '0.7', amount: '500' }, { at: '1', amount: '1000' }] } },
    { id: 'moon', kind: 'bonus', label: 'Moonshot', on: { kind: 'score', key: 'mbo-moon' }, payout: { kind: 'step', steps: [{ at: '0.1', amount: '300' }] } },
  ],
};

interface Line { kind: string; componentId: string | null; amountMinor: number; payeeId: string; explanation: { text: string }; warnings: { code: string }[] }

describeEachBackend('payout runs: clawbacks and OKR scores from history', (backend) => {
  let t: TestStore;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let g: TenantFixture;
  let finance: Caller;
  let admin: Caller;
  const ok = <T>(response: { statusCode: number; body: string; json: () => unknown }, status = 200): T => {
    expect(response.statusCode, response.body).toBe(status);
    return response.json() as T;
  };
  const runLines = async (period: string, lock: boolean): Promise<{ id: string; lines: Line[] }> => {
    const run = ok<{ id: string }>(await call(app, finance, 'POST', '/api/comp/runs', { period }), 201);
    ok(await call(app, finance, 'POST', `/api/comp/runs/${run.id}/calculate`));
    const lines = ok<{ items: Line[] }>(await call(app, finance, 'GET', `/api/comp/runs/${run.id}/lines?payeeId=${g.payeeId}`)).items.filter((l) => l.payeeId === g.payeeId);
    if (lock) {
      ok(await call(app, finance, 'POST', `/api/comp/runs/${run.id}/approve`));
      ok(await call(app, finance, 'POST', `/api/comp/runs/${run.id}/lock`));
    }
    return { id: run.id, lines };
  };
  /** The day Attain saw a change: a test cannot wait for April, so it sets the stamp the write left. */
  const seenOn = (extId: string, day: string) =>
    t.store.inTenant(g.tenantId, { actor: { userId: null, tokenId: null } }, (scope) =>
      scope.tx.query(`UPDATE records SET updated_at = $2::date + time '12:00' WHERE tenant_id = $1 AND dataset = 'deals' AND ext_id = $3`, [g.tenantId, day, extId]));

  beforeAll(async () => {
    t = await createTestStore(backend);
    g = await seedTenant(t.store, 'hist');
    app = await buildApp(t.store);
    finance = await signIn(app, g.users.finance.email);
    admin = await signIn(app, g.users.admin.email);
    ok(await call(app, finance, 'POST', '/api/comp/plans', PLAN), 201);
    // The fixture has the rep on its own plan in January; from March on, on this one.
    ok(await call(app, finance, 'POST', '/api/comp/assignments', { payeeId: g.payeeId, planId: 'hist', planVersion: 1, from: '2026-03-01' }), 201);
    const deal = (extId: string, amount: string, close: string, account: string) => ({
      extId, values: { name: extId, amount, currency: 'EUR', stage: 'closed_won', created: '2026-02-01', close_date: close, owner: g.payeeId, account },
    });
    ok(await call(app, admin, 'POST', '/api/datasets/accounts/records/batch', {
      upsert: [{ extId: 'ACC-1', values: { name: 'Alpha AG', created: '2025-01-01' } }, { extId: 'ACC-2', values: { name: 'Beta GmbH', created: '2025-01-01' } }],
    }));
    ok(await call(app, admin, 'POST', '/api/datasets/deals/records/batch', { upsert: [deal('H-1', '1000.00', '2026-03-05', 'ACC-1'), deal('H-2', '250.00', '2026-03-20', 'ACC-2')] }));

    // The rep's committed objective with the key result the MBO reads (score 7 of 10 = 0.7),
    // and an aspirational one (score 0.5) the plan does not allow.
    await t.store.inTenant(g.tenantId, { actor: { userId: null, tokenId: null } }, async (scope) => {
      const context = { today: '2026-03-10', now: '2026-03-10T12:00:00.000Z', viewer: SYSTEM_VIEWER };
      for (const [key, commitment, value] of [['mbo-pipeline', 'committed', 7], ['mbo-moon', 'aspirational', 5]] as const) {
        const id = await createObjective(scope, {
          cycleId: g.okrCycleId, title: `Objective ${key}`, category: 'revenue', owner: { kind: 'user', id: g.users.rep.id }, commitment,
          keyResults: [{ title: `KR ${key}`, kind: 'number', start: 0, target: 10, externalKey: key }],
        }, context);
        await scope.tx.query(`UPDATE okr_objectives SET status = 'active' WHERE tenant_id = $1 AND id = $2`, [g.tenantId, id]);
        const [kr] = await listKeyResults(scope, [id]);
        if (!kr) throw new Error('no key result');
        await checkIn(scope, { keyResultId: kr.id, value, date: '2026-03-10' }, context);
      }
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('pays a committed MBO score from the OKRs and refuses an aspirational one the plan does not allow', async () => {
    const march = await runLines('2026-03', true);
    const byComponent = (id: string) => march.lines.filter((l) => l.componentId === id);
    expect(byComponent('core').reduce((s, l) => s + l.amountMinor, 0)).toBe(125_00);
    expect(byComponent('mbo').map((l) => l.amountMinor)).toEqual([500_00]);
    const moon = byComponent('moon');
    expect(moon.reduce((s, l) => s + l.amountMinor, 0)).toBe(0);
    expect(JSON.stringify(march.lines)).toContain('aspirational_score_rejected');
  });

  it('reverses paid commission in the period a deal is cancelled or its account churns, once', async () => {
    // H-1 is cancelled (seen on 10 April); ACC-2 churns on 15 April.
    ok(await call(app, admin, 'POST', '/api/datasets/deals/records/batch', {
      upsert: [{ extId: 'H-1', values: { name: 'H-1', amount: '1000.00', currency: 'EUR', stage: 'cancelled', created: '2026-02-01', close_date: '2026-03-05', owner: g.payeeId, account: 'ACC-1' } }],
    }));
    await seenOn('H-1', '2026-04-10');
    ok(await call(app, admin, 'POST', '/api/datasets/accounts/records/batch', { upsert: [{ extId: 'ACC-2', values: { name: 'Beta GmbH', created: '2025-01-01', churned_at: '2026-04-15' } }] }));

    const april = await runLines('2026-04', true);
    const clawbacks = april.lines.filter((l) => l.kind === 'clawback');
    expect(clawbacks.map((l) => l.amountMinor).sort((a, b) => a - b)).toEqual([-100_00, -25_00]);
    expect(clawbacks.map((l) => l.explanation.text).join('\n')).toMatch(/cancelled 36 days after closing/);
    expect(clawbacks.map((l) => l.explanation.text).join('\n')).toMatch(/churned 26 days after closing/);

    // Touched again in May while still cancelled: the reversal is not paid twice.
    await seenOn('H-1', '2026-05-03');
    const may = await runLines('2026-05', false);
    expect(may.lines.filter((l) => l.kind === 'clawback')).toEqual([]);
  });

  it('prints the statement as a PDF with the same numbers, in the reader’s language, to the payee only', async () => {
    const rep = await signIn(app, g.users.rep.email);
    const march = ok<{ items: { runId: string; periodKey: string; payeeId: string }[] }>(await call(app, rep, 'GET', '/api/comp/statements')).items.find((s) => s.periodKey === '2026-03');
    if (!march) throw new Error('no March statement');
    const url = `/api/comp/statements/${march.runId}/${march.payeeId}`;
    const statement = ok<{ payee: { totalMinor: number }; lines: { label: string }[] }>(await call(app, rep, 'GET', url));
    const pdf = await app.inject({ method: 'GET', url: `${url}/statement.pdf`, headers: { cookie: rep.cookie } });
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = (await pdfPages(pdf.rawPayload)).join('\n');
    expect(text).toContain('Commission statement');
    expect(text).toContain('hist rep payee');
    // 125.00 commission + 500.00 MBO = 625.00, formatted like the page does.
    expect(statement.payee.totalMinor).toBe(625_00);
    expect(text).toContain('€625.00');
    for (const line of statement.lines) expect(text).toContain(line.label);
    expect(text).toContain('H-1');
    expect(text).toContain('H-2');
    const german = await app.inject({ method: 'GET', url: `${url}/statement.pdf?locale=de`, headers: { cookie: rep.cookie } });
    const deText = (await pdfPages(german.rawPayload)).join('\n');
    expect(deText).toContain('Provisionsabrechnung');
    expect(deText).toContain('625,00 €');
    // Someone else's pay does not exist for the rep; the partner sees nothing either.
    const partner = await signIn(app, g.users.partner.email);
    expect((await app.inject({ method: 'GET', url: `${url}/statement.pdf`, headers: { cookie: partner.cookie } })).statusCode).toBe(404);
    expect((await call(app, rep, 'GET', `/api/comp/statements/${march.runId}/${g.partnerPayeeId}/statement.pdf`)).statusCode).toBe(404);
  });

  it('recalculates an open run whose line is disputed: the dispute follows its line', async () => {
    const rep = await signIn(app, g.users.rep.email);
    const deal = (extId: string, amount: string, close: string) => ({ extId, values: { name: extId, amount, currency: 'EUR', stage: 'closed_won', created: '2026-02-01', close_date: close, owner: g.payeeId, account: 'ACC-1' } });
    ok(await call(app, admin, 'POST', '/api/datasets/deals/records/batch', { upsert: [deal('H-9', '500.00', '2026-06-10')] }));
    const june = await runLines('2026-06', false);
    const line = june.lines.find((l) => l.componentId === 'core');
    expect(line?.amountMinor).toBe(50_00);
    const lineNo = (line as unknown as { lineNo: number }).lineNo;
    ok(await call(app, rep, 'POST', '/api/comp/disputes', { runId: june.id, lineNo, reason: 'The June deal H-10 is missing.' }), 201);
    ok(await call(app, admin, 'POST', '/api/datasets/deals/records/batch', { upsert: [deal('H-10', '300.00', '2026-06-12')] }));
    // (The write also recalculates the open run by itself; either way the lines must be the new ones.)
    ok(await call(app, finance, 'POST', `/api/comp/runs/${june.id}/calculate`));
    const statement = ok<{ lines: { lineNo: number; componentId: string | null; amountMinor: number }[]; disputes: { lineNo: number; amountMinor: number; status: string }[] }>(
      await call(app, rep, 'GET', `/api/comp/statements/${june.id}/${g.payeeId}`),
    );
    const now = statement.lines.find((l) => l.componentId === 'core');
    expect(now?.amountMinor).toBe(80_00);
    expect(statement.disputes).toEqual([expect.objectContaining({ lineNo: now?.lineNo, amountMinor: 80_00, status: 'open' })]);
  });

  it('loads nothing for plans without clawbacks or score bonuses, and only the payees asked for', async () => {
    const plain = [compilePlan({ ...PLAN, components: [PLAN.components[0]] })];
    const full = compilePlan(PLAN);
    const period = parsePeriod('2026-05', CALENDAR_YEAR);
    if (!period.ok) throw new Error('period');
    await t.store.inTenant(g.tenantId, { actor: { userId: null, tokenId: null } }, async (scope) => {
      expect(await loadClawbackInputs(scope, period.period, plain, [g.payeeId])).toEqual({ paidCommissions: [], clawbackEvents: [] });
      expect(await loadScores(scope, period.period, plain, [g.payeeId], { today: '2026-05-01', now: '2026-05-01T00:00:00Z' })).toEqual([]);
      const other = randomUUID();
      expect((await loadClawbackInputs(scope, period.period, [full], [other])).paidCommissions).toEqual([]);
      // H-1 was reversed in April already; H-2's churn too: nothing is left to reverse in May.
      const left = await loadClawbackInputs(scope, period.period, [full], [g.payeeId]);
      expect(left.paidCommissions).toEqual([]);
    });
  });
});

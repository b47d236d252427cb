import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPayee } from '../store/repos/payees.js';
import { createTestStore, describeEachBackend, type TestStore } from '../../test/stores.js';
import { seedTenant, type TenantFixture } from '../../test/fixtures.js';
import { call, signIn, type Caller } from '../../test/http.js';
import { buildApp } from './app.js';

/** Marginal tiers on the month's booked amount: 5 % up to 10,000.00, 10 % above. */
const tiered = (version = 1, components?: unknown[]) => ({
  schemaVersion: 1, id: 'tiered', version, name: 'Tiered', currency: 'EUR', effectiveFrom: '2026-05-01',
  components: components ?? [{
    id: 'core', kind: 'commission', label: 'Commission',
    rates: { basis: 'amount', mode: 'marginal', tiers: [{ from: '0', rate: '5%', label: 'Base' }, { from: '10000', rate: '10%', label: 'Accelerator' }] },
  }],
});
const flat = (rate: string) => [{ id: 'core', kind: 'commission', label: 'Flat', rates: { basis: 'flat', rate } }];

interface Earnings {
  source: { kind: string };
  earnedMinor: number;
  payee: { id: string };
  period: { key: string; previous: string; next: string };
  progress: { tierIndex: number; baseMinor: number; tiers: { fromMinor: number; rate: string }[]; next: { label: string; rate: string; remainingMinor: number } | null } | null;
  forecast: {
    weightedTotalMinor: number; bestCaseTotalMinor: number; weightedIncrementMinor: number; bestCaseIncrementMinor: number; pipelineMinor: number;
    deals: { name: string; stage: string | null; probability: string; amountMinor: number; payoutIfWonMinor: number; weightedPayoutMinor: number }[];
  };
}
interface WhatIf {
  currency: string;
  revenueMinor: number;
  deltaMinor: number;
  baseline: { costMinor: number; costShareOfRevenue: string | null; distribution: { payees: number } };
  scenario: { costMinor: number; costShareOfRevenue: string | null };
  winners: { payeeId: string; deltaMinor: number }[];
  losers: unknown[];
  payees: { payeeId: string; baselineMinor: number; scenarioMinor: number }[];
  periods: { key: string; assignments: string; baselineCostMinor: number; scenarioCostMinor: number }[];
  histogram: { baseline: number; scenario: number }[];
}

describeEachBackend('comp insights API', (backend) => {
  let t: TestStore;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let a: TenantFixture;
  let b: TenantFixture;
  let partnerPayeeId = '';
  const as = {} as Record<'admin' | 'finance' | 'manager' | 'rep' | 'viewer' | 'partner', Caller>;
  let bFinance: Caller;
  const ok = <T>(response: { statusCode: number; body: string; json: () => unknown }, status = 200): T => {
    expect(response.statusCode, response.body).toBe(status);
    return response.json() as T;
  };
  const countRows = () => t.store.asSystem(async (tx) => {
    const [runs] = await tx.query<{ n: string }>('SELECT count(*) AS n FROM payout_runs');
    const [lines] = await tx.query<{ n: string }>('SELECT count(*) AS n FROM payout_lines');
    return { runs: Number(runs?.n), lines: Number(lines?.n) };
  });

  beforeAll(async () => {
    t = await createTestStore(backend);
    a = await seedTenant(t.store, 'alpha');
    b = await seedTenant(t.store, 'beta');
    app = await buildApp(t.store);
    for (const role of ['admin', 'finance', 'manager', 'rep', 'viewer', 'partner'] as const) as[role] = await signIn(app, a.users[role].email);
    bFinance = await signIn(app, b.users.finance.email);
    // The partner user is a payee of their own.
    partnerPayeeId = await t.store.inTenant(a.tenantId, { actor: { userId: null, tokenId: null } }, async (scope) => {
      const payee = await createPayee(scope, randomUUID(), { kind: 'partner', displayName: 'alpha partner user', userId: a.users.partner.id, currency: 'EUR' });
      if (typeof payee === 'string') throw new Error(payee);
      return payee.id;
    });
    ok(await call(app, as.finance, 'POST', '/api/comp/plans', tiered()), 201);
    ok(await call(app, as.finance, 'POST', '/api/comp/assignments', { payeeId: a.payeeId, planId: 'tiered', planVersion: 1, from: '2026-05-01' }), 201);
    // May 2026: 8,000.00 won; open 4,000.00 (negotiation, default 75 %) and 1,000.00 (20 %) closing in May;
    // one open in June and one lost in May do not count.
    const deal = (extId: string, amount: string, close: string, stage: string, probability?: string) => ({
      extId, values: { name: `Deal ${extId}`, amount, currency: 'EUR', stage, created: '2026-04-01', close_date: close, owner: a.payeeId, ...(probability ? { probability } : {}) },
    });
    ok(await call(app, as.admin, 'POST', '/api/datasets/deals/records/batch', {
      upsert: [
        deal('W-1', '6000.00', '2026-05-05', 'closed_won'), deal('W-2', '2000.00', '2026-05-10', 'closed_won'),
        deal('O-1', '4000.00', '2026-05-20', 'negotiation'), deal('O-2', '1000.00', '2026-05-25', 'proposal', '20'),
        deal('O-3', '9000.00', '2026-06-03', 'proposal'), deal('L-1', '7000.00', '2026-05-12', 'closed_lost'),
      ],
    }));
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  describe('GET /api/comp/earnings', () => {
    it('computes earned to date live, the next tier and its distance, and the forecast per deal', async () => {
      const before = await countRows();
      const e = ok<Earnings>(await call(app, as.rep, 'GET', '/api/comp/earnings?period=2026-05'));
      expect(e.payee.id).toBe(a.payeeId);
      expect(e.period).toMatchObject({ key: '2026-05', previous: '2026-04', next: '2026-06' });
      expect(e.source.kind).toBe('live');
      // 8,000.00 × 5 % = 400.00
      expect(e.earnedMinor).toBe(400_00);
      expect(e.progress).toMatchObject({ tierIndex: 0, baseMinor: 8000_00, tiers: [{ fromMinor: 0, rate: '0.05' }, { fromMinor: 10_000_00, rate: '0.1' }] });
      // 10,000.00 − 8,000.00 to go to the accelerator
      expect(e.progress?.next).toMatchObject({ label: 'Accelerator', rate: '0.1', remainingMinor: 2000_00 });
      // O-1 alone: 12,000.00 → 10,000 × 5 % + 2,000 × 10 % = 700.00, +300.00; weighted × 0.75 = 225.00.
      // O-2 alone: 9,000.00 → 450.00, +50.00; weighted × 0.2 = 10.00.
      expect(e.forecast.deals.map((d) => [d.name, d.stage, d.probability, d.amountMinor, d.payoutIfWonMinor, d.weightedPayoutMinor])).toEqual([
        ['Deal O-1', 'negotiation', '0.75', 4000_00, 300_00, 225_00],
        ['Deal O-2', 'proposal', '0.2', 1000_00, 50_00, 10_00],
      ]);
      // Best case: 13,000.00 → 500.00 + 300.00 = 800.00, +400.00.
      // Weighted: 8,000 + 3,000 + 200 = 11,200.00 → 500.00 + 120.00 = 620.00, +220.00.
      expect(e.forecast).toMatchObject({ bestCaseIncrementMinor: 400_00, bestCaseTotalMinor: 800_00, weightedIncrementMinor: 220_00, weightedTotalMinor: 620_00, pipelineMinor: 5000_00 });
      expect(await countRows()).toEqual(before);
    });

    it('reads earned to date from the period’s run once it is calculated', async () => {
      const run = ok<{ id: string }>(await call(app, as.finance, 'POST', '/api/comp/runs', { period: '2026-05' }), 201);
      ok(await call(app, as.finance, 'POST', `/api/comp/runs/${run.id}/calculate`));
      const e = ok<Earnings & { source: { kind: string; runId: string } }>(await call(app, as.rep, 'GET', '/api/comp/earnings?period=2026-05'));
      expect(e.source).toMatchObject({ kind: 'run', runId: run.id });
      expect(e.earnedMinor).toBe(400_00);
    });

    it('shows pay only to the payee, their manager and finance: anyone else gets 404', async () => {
      const url = `/api/comp/earnings?period=2026-05&payeeId=${a.payeeId}`;
      for (const who of ['rep', 'manager', 'finance', 'admin'] as const) expect(ok<Earnings>(await call(app, as[who], 'GET', url)).earnedMinor).toBe(400_00);
      expect((await call(app, as.partner, 'GET', url)).statusCode).toBe(404);
      expect((await call(app, as.rep, 'GET', `/api/comp/earnings?payeeId=${a.partnerPayeeId}`)).statusCode).toBe(404);
      expect((await call(app, as.rep, 'GET', `/api/comp/earnings?payeeId=${partnerPayeeId}`)).statusCode).toBe(404);
      expect((await call(app, as.viewer, 'GET', url)).statusCode).toBe(403);
      expect((await call(app, bFinance, 'GET', url)).statusCode).toBe(404);
      // The partner sees their own (nothing assigned: zero) and only themselves in the picker.
      const own = ok<Earnings>(await call(app, as.partner, 'GET', '/api/comp/earnings'));
      expect(own).toMatchObject({ payee: { id: partnerPayeeId }, earnedMinor: 0 });
      expect(ok<{ items: { id: string; isSelf: boolean }[] }>(await call(app, as.partner, 'GET', '/api/comp/earnings/payees')).items).toEqual([expect.objectContaining({ id: partnerPayeeId, isSelf: true })]);
      expect(ok<{ items: { id: string }[] }>(await call(app, as.manager, 'GET', '/api/comp/earnings/payees')).items.map((p) => p.id)).toContain(a.payeeId);
      // Finance without a payee of their own is asked to choose one.
      expect((await call(app, as.finance, 'GET', '/api/comp/earnings')).statusCode).toBe(404);
      expect((await call(app, as.rep, 'GET', '/api/comp/earnings?period=2026-W10')).statusCode).toBe(400);
    });
  });

  describe('POST /api/comp/what-if', () => {
    it('compares a draft plan with the plan as assigned, and writes nothing', async () => {
      const before = await countRows();
      const r = ok<WhatIf>(await call(app, as.finance, 'POST', '/api/comp/what-if', { period: '2026-05', planId: 'tiered', candidate: { document: tiered(9, flat('6%')) } }));
      // Revenue: the population's won deals, 8,000.00. Baseline 400.00 (5 %); flat 6 % = 480.00.
      expect(r).toMatchObject({ currency: 'EUR', revenueMinor: 8000_00, deltaMinor: 80_00 });
      expect(r.baseline).toMatchObject({ costMinor: 400_00, costShareOfRevenue: '0.05', distribution: { payees: 1 } });
      expect(r.scenario).toMatchObject({ costMinor: 480_00, costShareOfRevenue: '0.06' });
      expect(r.winners).toEqual([expect.objectContaining({ payeeId: a.payeeId, deltaMinor: 80_00 })]);
      expect(r.losers).toEqual([]);
      expect(r.histogram.reduce((n, h) => n + h.baseline, 0)).toBe(1);
      expect(await countRows()).toEqual(before);
    });

    it('simulates a stored version over a whole year, period by period (projected where nobody was on the plan)', async () => {
      ok(await call(app, as.finance, 'POST', '/api/comp/plans', tiered(2, flat('3%'))), 201);
      const before = await countRows();
      const r = ok<WhatIf>(await call(app, as.finance, 'POST', '/api/comp/what-if', { period: 'FY2026', planId: 'tiered', candidate: { version: 2 }, cadence: 'month' }));
      expect(r.periods).toHaveLength(12);
      expect(r.periods[0]).toMatchObject({ key: '2026-01', assignments: 'projected' });
      expect(r.periods[4]).toMatchObject({ key: '2026-05', assignments: 'actual', baselineCostMinor: 400_00, scenarioCostMinor: 240_00 });
      expect(r.scenario.costMinor).toBe(240_00);
      expect(r.losers).toEqual([expect.objectContaining({ payeeId: a.payeeId, deltaMinor: -160_00 })]);
      expect(await countRows()).toEqual(before);
    });

    it('names the document path of a mistake, refuses bad quotas, and is for finance only', async () => {
      const bad = await call(app, as.finance, 'POST', '/api/comp/what-if', {
        period: '2026-05', planId: 'tiered', candidate: { document: tiered(9, [{ id: 'core', kind: 'commission', rates: { basis: 'flat', rate: 'ten' } }]) },
      });
      expect(bad.statusCode).toBe(400);
      expect(JSON.stringify(bad.json())).toContain('body.candidate.document.components.0.rates');
      const quota = await call(app, as.finance, 'POST', '/api/comp/what-if', { period: '2026-05', planId: 'tiered', quotaMultiplier: 'lots' });
      expect(quota.statusCode).toBe(400);
      expect(JSON.stringify(quota.json())).toContain('body.quotaMultiplier');
      expect((await call(app, as.finance, 'POST', '/api/comp/what-if', { period: '2026-05', planId: 'nope' })).statusCode).toBe(400);
      expect((await call(app, as.rep, 'POST', '/api/comp/what-if', { period: '2026-05', planId: 'tiered' })).statusCode).toBe(403);
      expect((await call(app, bFinance, 'POST', '/api/comp/what-if', { period: '2026-05', planId: 'tiered' })).statusCode).toBe(400);
    });
  });
});

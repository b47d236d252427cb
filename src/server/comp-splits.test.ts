import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestStore, describeEachBackend, type TestStore } from '../../test/stores.js';
import { seedTenant, type TenantFixture } from '../../test/fixtures.js';
import { call, signIn, type Caller } from '../../test/http.js';
import { buildApp } from './app.js';

/**
 * Credit splits and overlays from the workspace's `deal_splits` dataset (repos/comp-inputs.ts):
 * declared, imported and edited like any dataset; a payout run credits the split payees
 * instead of the owner, to the cent, and overlays on top.
 */
describeEachBackend('payout runs: credit splits and overlays from the deal_splits dataset', (backend) => {
  let t: TestStore;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let s: TenantFixture;
  let admin: Caller;
  let finance: Caller;
  let second = '';
  let specialist = '';
  interface Line { payeeId: string; componentId: string | null; amountMinor: number; explanation: { credits: { recordId: string; kind: string; creditedMinor: number }[] } }
  const ok = <T>(response: { statusCode: number; body: string; json: () => unknown }, status = 200): T => {
    expect(response.statusCode, response.body).toBe(status);
    return response.json() as T;
  };
  const label = (en: string) => ({ en, de: en });

  beforeAll(async () => {
    t = await createTestStore(backend);
    s = await seedTenant(t.store, 'splits');
    app = await buildApp(t.store);
    admin = await signIn(app, s.users.admin.email);
    finance = await signIn(app, s.users.finance.email);
    second = ok<{ id: string }>(await call(app, admin, 'POST', '/api/payees', { kind: 'employee', displayName: 'Second Rep', teamId: s.teamId, currency: 'EUR' }), 201).id;
    specialist = ok<{ id: string }>(await call(app, admin, 'POST', '/api/payees', { kind: 'employee', displayName: 'Solution Engineer', teamId: s.teamId, currency: 'EUR' }), 201).id;
    ok(await call(app, finance, 'POST', '/api/comp/plans', {
      schemaVersion: 1, id: 'split-plan', version: 1, name: 'Split plan', currency: 'EUR', effectiveFrom: '2026-01-01',
      components: [{ id: 'core', kind: 'commission', label: 'Commission', base: { kind: 'credits', creditKinds: ['owner', 'split', 'overlay'] }, rates: { basis: 'flat', rate: '10%' } }],
    }), 201);
    for (const payeeId of [s.payeeId, second, specialist]) {
      ok(await call(app, finance, 'POST', '/api/comp/assignments', { payeeId, planId: 'split-plan', planVersion: 1, from: '2026-03-01' }), 201);
    }
    ok(await call(app, admin, 'POST', '/api/datasets', {
      key: 'deal_splits', label: label('Deal splits'),
      fields: [
        { key: 'deal', label: label('Deal'), type: 'text', required: true },
        { key: 'payee', label: label('Payee'), type: 'payee', required: true },
        { key: 'percent', label: label('Percent'), type: 'number', scale: 2, required: true },
        { key: 'kind', label: label('Kind'), type: 'text', values: ['split', 'overlay'] },
      ],
    }), 201);
    const deal = (extId: string, amount: string) => ({ extId, values: { name: extId, amount, currency: 'EUR', stage: 'closed_won', created: '2026-02-01', close_date: '2026-03-10', owner: s.payeeId } });
    ok(await call(app, admin, 'POST', '/api/datasets/deals/records/batch', { upsert: [deal('S-1', '1000.01'), deal('S-2', '500.00'), deal('S-3', '300.00')] }));
    const split = (extId: string, dealId: string, payee: string, percent: string, kind = 'split') => ({ extId, values: { deal: dealId, payee, percent, kind } });
    ok(await call(app, admin, 'POST', '/api/datasets/deal_splits/records/batch', {
      upsert: [
        // S-1 split 60/40 between the owner and a second rep; a specialist overlays 50 %.
        split('S-1-a', 'S-1', s.payeeId, '60'), split('S-1-b', 'S-1', second, '40'), split('S-1-c', 'S-1', specialist, '50', 'overlay'),
        // S-3's split adds up to 90 %: the run says so and credits nobody.
        split('S-3-a', 'S-3', s.payeeId, '50'), split('S-3-b', 'S-3', second, '40'),
      ],
    }));
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('credits the split payees instead of the owner, to the cent, overlays on top, and reports a split that is not 100 %', async () => {
    const run = ok<{ id: string }>(await call(app, finance, 'POST', '/api/comp/runs', { period: '2026-03' }), 201);
    const calculated = ok<{ run: { issues: { code: string; message: string }[] } }>(await call(app, finance, 'POST', `/api/comp/runs/${run.id}/calculate`));
    const lines = ok<{ items: Line[] }>(await call(app, finance, 'GET', `/api/comp/runs/${run.id}/lines`)).items.filter((l) => l.componentId === 'core');
    const credits = (payeeId: string) => lines.filter((l) => l.payeeId === payeeId).flatMap((l) => l.explanation.credits);
    // 1,000.01 split 60/40 by largest remainder: 600.01 + 400.00 (the cents add up); S-2 the owner's alone.
    const owner = credits(s.payeeId);
    const secondCredits = credits(second);
    const s1 = (list: typeof owner) => list.filter((c) => c.kind === 'split').reduce((sum, c) => sum + c.creditedMinor, 0);
    expect(s1(owner) + s1(secondCredits)).toBe(1000_01);
    expect([s1(owner), s1(secondCredits)].sort((a, b) => b - a)).toEqual([600_01, 400_00]);
    expect(owner.filter((c) => c.kind === 'owner').map((c) => c.creditedMinor)).toEqual([500_00]);
    expect(credits(specialist).map((c) => [c.kind, c.creditedMinor])).toEqual([['overlay', 500_01]]);
    expect(JSON.stringify(calculated.run.issues)).toMatch(/split/i);
    // Commission: 10 % of each payee's credits.
    const pay = (payeeId: string) => lines.filter((l) => l.payeeId === payeeId).reduce((sum, l) => sum + l.amountMinor, 0);
    expect(pay(specialist)).toBe(50_00);
  });

  it('credits everyone assigned to a deal’s territory (by its criteria) when a plan counts territory credit', async () => {
    const specialistId = ok<{ id: string }>(await call(app, admin, 'POST', '/api/payees', { kind: 'employee', displayName: 'Territory Specialist', teamId: s.teamId, currency: 'EUR' }), 201).id;
    ok(await call(app, admin, 'POST', '/api/territory-assignments', { territoryId: s.territoryId, assigneeKind: 'rep', assigneeId: specialistId, role: 'overlay', from: '2026-04-01' }), 201);
    ok(await call(app, finance, 'POST', '/api/comp/plans', {
      schemaVersion: 1, id: 'territory-plan', version: 1, name: 'Territory overlay', currency: 'EUR', effectiveFrom: '2026-01-01',
      components: [{ id: 'terr', kind: 'commission', label: 'Territory commission', base: { kind: 'credits', creditKinds: ['territory'] }, rates: { basis: 'flat', rate: '2%' } }],
    }), 201);
    ok(await call(app, finance, 'POST', '/api/comp/assignments', { payeeId: specialistId, planId: 'territory-plan', planVersion: 1, from: '2026-04-01' }), 201);
    // The fixture's territory covers Germany: a deal of a German account is in it, a French one is not.
    ok(await call(app, admin, 'POST', '/api/datasets/accounts/records/batch', {
      upsert: [{ extId: 'ACC-DE', values: { name: 'Berlin GmbH', country: 'DE', created: '2025-01-01' } }, { extId: 'ACC-FR', values: { name: 'Paris SA', country: 'FR', created: '2025-01-01' } }],
    }));
    const deal = (extId: string, amount: string, account: string) => ({ extId, values: { name: extId, amount, currency: 'EUR', stage: 'closed_won', created: '2026-03-01', close_date: '2026-04-05', owner: s.payeeId, account } });
    ok(await call(app, admin, 'POST', '/api/datasets/deals/records/batch', { upsert: [deal('T-DE', '2000.00', 'ACC-DE'), deal('T-FR', '900.00', 'ACC-FR')] }));
    const run = ok<{ id: string }>(await call(app, finance, 'POST', '/api/comp/runs', { period: '2026-04' }), 201);
    ok(await call(app, finance, 'POST', `/api/comp/runs/${run.id}/calculate`));
    const lines = ok<{ items: Line[] }>(await call(app, finance, 'GET', `/api/comp/runs/${run.id}/lines?payeeId=${specialistId}`)).items;
    expect(lines.flatMap((l) => l.explanation.credits).map((c) => [c.kind, c.creditedMinor])).toEqual([['territory', 2000_00]]);
    expect(lines.reduce((sum, l) => sum + l.amountMinor, 0)).toBe(40_00);
  });

  it('credits a payee whose plan counts team credit with their teammates’ deals, and nobody else’s pay changes', async () => {
    const player = ok<{ id: string }>(await call(app, admin, 'POST', '/api/payees', { kind: 'employee', displayName: 'Team Player', teamId: s.teamId, currency: 'EUR' }), 201).id;
    ok(await call(app, finance, 'POST', '/api/comp/plans', {
      schemaVersion: 1, id: 'team-plan', version: 1, name: 'Team bonus', currency: 'EUR', effectiveFrom: '2026-01-01',
      components: [{ id: 'team', kind: 'commission', label: 'Team commission', base: { kind: 'credits', creditKinds: ['team'] }, rates: { basis: 'flat', rate: '1%' } }],
    }), 201);
    ok(await call(app, finance, 'POST', '/api/comp/assignments', { payeeId: player, planId: 'team-plan', planVersion: 1, from: '2026-05-01' }), 201);
    const deal = { extId: 'M-1', values: { name: 'M-1', amount: '3000.00', currency: 'EUR', stage: 'closed_won', created: '2026-04-01', close_date: '2026-05-05', owner: s.payeeId } };
    ok(await call(app, admin, 'POST', '/api/datasets/deals/records/batch', { upsert: [deal] }));
    const run = ok<{ id: string }>(await call(app, finance, 'POST', '/api/comp/runs', { period: '2026-05' }), 201);
    ok(await call(app, finance, 'POST', `/api/comp/runs/${run.id}/calculate`));
    const all = ok<{ items: Line[] }>(await call(app, finance, 'GET', `/api/comp/runs/${run.id}/lines`)).items;
    const mine = all.filter((l) => l.payeeId === player);
    expect(mine.flatMap((l) => l.explanation.credits).map((c) => [c.kind, c.creditedMinor])).toEqual([['team', 3000_00]]);
    expect(mine.reduce((sum, l) => sum + l.amountMinor, 0)).toBe(30_00);
    // The owner is paid on the deal as before: 10 % of 3,000.00.
    expect(all.filter((l) => l.payeeId === s.payeeId && l.componentId === 'core').reduce((sum, l) => sum + l.amountMinor, 0)).toBe(300_00);
  });
});

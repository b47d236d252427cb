import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestStore, describeEachBackend, type TestStore } from '../../../test/stores.js';
import { seedTenant, type TenantFixture } from '../../../test/fixtures.js';
import { call, signIn, type Caller } from '../../../test/http.js';
import { addSales, type DealInput } from '../../../test/sales.js';
import { buildApp } from '../app.js';
import type { App } from '../context.js';

describeEachBackend('forecasts API: pipeline, bookings, snapshots, accuracy, quota recommendation', (backend) => {
  let t: TestStore;
  let app: App;
  let a: TenantFixture;
  let finance: Caller;
  let manager: Caller;
  let rep: Caller;
  let viewer: Caller;
  let admin: Caller;
  let otherPayee: string;
  let otherTeam: string;

  beforeAll(async () => {
    t = await createTestStore(backend);
    a = await seedTenant(t.store, 'alpha');
    app = await buildApp(t.store, { signInLimit: { max: 1000, windowMs: 60_000 } });
    admin = await signIn(app, a.users.admin.email);
    const as = (role: 'finance' | 'manager' | 'rep' | 'viewer') => signIn(app, a.users[role].email);
    [finance, manager, rep, viewer] = await Promise.all([as('finance'), as('manager'), as('rep'), as('viewer')]);
    otherTeam = (await call(app, admin, 'POST', '/api/teams', { name: 'Nordics', kind: 'team', parentId: a.companyTeamId })).json().id;
    otherPayee = (await call(app, admin, 'POST', '/api/payees', { kind: 'employee', displayName: 'Nordic rep', teamId: otherTeam })).json().id;
    // Three years of quarterly bookings with growth and a strong Q4, some losses, and open pipeline.
    const deals: DealInput[] = [];
    let n = 0;
    for (let year = 2023; year <= 2025; year += 1) {
      for (let q = 0; q < 4; q += 1) {
        const close = `${year}-${String(q * 3 + 2).padStart(2, '0')}-15`;
        const growth = (year - 2023) * 4 + q;
        deals.push({ id: `W-${(n += 1)}`, amount: 100_000_00 + growth * 5_000_00 + (q === 3 ? 60_000_00 : 0), stage: 'closed_won', close, owner: a.payeeId });
        deals.push({ id: `W-${(n += 1)}`, amount: 50_000_00 + growth * 2_000_00, stage: 'closed_won', close, owner: otherPayee });
        deals.push({ id: `L-${(n += 1)}`, amount: 40_000_00, stage: 'closed_lost', close, owner: q % 2 === 0 ? a.payeeId : otherPayee });
      }
    }
    deals.push({ id: 'O-1', amount: 100_000_00, stage: 'proposal', close: '2026-02-20', owner: a.payeeId });
    deals.push({ id: 'O-2', amount: 80_000_00, stage: 'negotiation', close: '2026-05-20', owner: otherPayee });
    deals.push({ id: 'O-3', amount: 10_000_00, stage: 'prospecting', close: null, owner: otherPayee });
    await addSales(t.store, a.tenantId, { deals });
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('weights open deals by stage win rates learned from the won/lost history, per team and quarter', async () => {
    const response = await call(app, viewer, 'GET', '/api/forecasts/pipeline?groupBy=team&periodKind=quarter&periods=2&today=2026-01-15');
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.from).toBe('2026-01-01');
    expect(body.undatedDeals).toBe(2); // O-3 and the fixture's deal
    const proposal = body.winRates.find((r: { stage: string }) => r.stage === 'proposal');
    expect(proposal.closed).toBe(36);
    expect(proposal.winRate).toBeGreaterThan(0.5); // 24 of 36 won, shrunk toward the 50 % default
    const q1 = body.rows.find((r: { groupKey: string; period: string }) => r.groupKey === a.teamId && r.period === '2026-Q1');
    expect(q1.pipelineMinor).toBe(100_000_00);
    expect(q1.weightedMinor).toBeGreaterThan(0);
    expect(q1.weightedMinor).toBeLessThan(100_000_00);
    expect(q1.expectedMinor).toBe(q1.closedWonMinor + q1.weightedMinor);
    expect(body.rows.find((r: { groupKey: string; period: string }) => r.groupKey === otherTeam && r.period === '2026-Q2').pipelineMinor).toBe(80_000_00);
    const byOwner = (await call(app, rep, 'GET', '/api/forecasts/pipeline?groupBy=owner&today=2026-01-15')).json();
    expect(byOwner.rows.map((r: { groupKey: string }) => r.groupKey)).toEqual(expect.arrayContaining([a.payeeId, otherPayee]));
    expect((await call(app, viewer, 'GET', '/api/forecasts/pipeline?groupBy=region')).statusCode).toBe(400);
  });

  it('forecasts bookings per team with intervals, and the quota line only for callers who may see it', async () => {
    const response = await call(app, finance, 'GET', '/api/forecasts/bookings?groupBy=team&periodKind=quarter&horizon=4&today=2026-01-01');
    expect(response.statusCode, response.body).toBe(200);
    const groups = response.json().groups as { groupKey: string; history: { period: string; actualMinor: number }[]; forecast: { period: string; meanMinor: number; intervals: { level: number; lowerMinor: number; upperMinor: number }[] }[]; quota: { period: string }[]; isFallback: boolean }[];
    const team = groups.find((g) => g.groupKey === a.teamId);
    if (!team) throw new Error('no team series');
    expect(team.history).toHaveLength(12);
    expect(team.forecast.map((f) => f.period)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    for (const f of team.forecast) {
      const [i80, i95] = f.intervals;
      expect(i80?.level).toBe(80);
      expect(i95?.lowerMinor).toBeLessThanOrEqual(i80?.lowerMinor ?? 0);
      expect(i80?.lowerMinor).toBeLessThanOrEqual(f.meanMinor);
      expect(f.meanMinor).toBeLessThanOrEqual(i80?.upperMinor ?? 0);
    }
    expect(team.quota.map((q) => q.period)).toEqual(expect.arrayContaining(['2026-Q1', '2026-Q4']));
    const asRep = (await call(app, rep, 'GET', '/api/forecasts/bookings?groupBy=team&today=2026-01-01')).json();
    expect(asRep.groups.every((g: { quota: unknown[] }) => g.quota.length === 0)).toBe(true);
    const asViewer = (await call(app, viewer, 'GET', '/api/forecasts/bookings?groupBy=company&periodKind=month&horizon=3&today=2026-01-01')).json();
    expect(asViewer.groups[0].forecast).toHaveLength(3);
  });

  it('keeps snapshots and measures their accuracy against the bookings of completed periods', async () => {
    expect((await call(app, rep, 'POST', '/api/forecasts/snapshots', { groupBy: 'team', takenOn: '2025-09-20' })).statusCode).toBe(403);
    const taken = await call(app, manager, 'POST', '/api/forecasts/snapshots', { groupBy: 'team', periodKind: 'quarter', periods: 2, takenOn: '2025-09-20' });
    expect(taken.statusCode, taken.body).toBe(201);
    expect(taken.json().rows).toBeGreaterThan(0);
    const accuracy = await call(app, viewer, 'GET', '/api/forecasts/accuracy?groupBy=team&periodKind=quarter&today=2026-01-15');
    expect(accuracy.statusCode, accuracy.body).toBe(200);
    const body = accuracy.json();
    expect(body.snapshots).toBe(1);
    expect(body.overall.points).toBeGreaterThan(0);
    expect(body.byPeriod.map((p: { period: string }) => p.period)).toContain('2025-Q4');
    expect(body.overall.wape).toEqual(expect.any(Number));
    expect(body.byGroup.map((g: { groupKey: string }) => g.groupKey)).toContain(a.teamId);
  });

  it('recommends quotas from the forecast plus stretch, with the gap to the quota in force, narrowed like quotas', async () => {
    const response = await call(app, finance, 'GET', '/api/forecasts/quota-recommendation?fiscalYear=2026&groupBy=team&stretch=0.1&today=2026-01-01');
    expect(response.statusCode, response.body).toBe(200);
    const item = response.json().items.find((i: { id: string }) => i.id === a.teamId);
    expect(item.recommendedMinor).toBe(Math.round(item.forecastMinor * 1.1));
    expect(item.quotaMinor).toEqual(expect.any(Number)); // the fixture's FY2026 version
    expect(item.gapMinor).toBe(item.quotaMinor - item.forecastMinor);
    const own = (await call(app, rep, 'GET', '/api/forecasts/quota-recommendation?fiscalYear=2026&groupBy=owner&today=2026-01-01')).json();
    expect(own.items.map((i: { id: string }) => i.id)).toEqual([a.payeeId]);
    expect((await call(app, viewer, 'GET', '/api/forecasts/quota-recommendation?fiscalYear=2026')).statusCode).toBe(403);
    expect((await call(app, finance, 'GET', '/api/forecasts/quota-recommendation?fiscalYear=2026&stretch=lots')).statusCode).toBe(400);
    expect((await call(app, finance, 'GET', '/api/forecasts/quota-recommendation?fiscalYear=2020&today=2026-01-01')).statusCode).toBe(400);
  });

  it('keeps reps\' commit / best-case calls: the latest counts, earlier ones stay, and they roll up per team next to the pipeline', async () => {
    const submit = (who: Caller, body: Record<string, unknown>) => call(app, who, 'POST', '/api/forecasts/calls', body);
    const first = await submit(rep, { payeeId: a.payeeId, period: '2026-Q1', commitMinor: 150_000_00, bestCaseMinor: 200_000_00, note: 'Two deals in legal' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ payeeId: a.payeeId, period: '2026-Q1', commitMinor: 150_000_00, bestCaseMinor: 200_000_00, note: 'Two deals in legal', submittedBy: a.users.rep.id, isLatest: true });
    expect((await submit(rep, { payeeId: a.payeeId, period: '2026-Q1', commitMinor: 160_000_00, bestCaseMinor: 210_000_00 })).statusCode).toBe(201);
    // The manager calls for their team, finance for anyone.
    expect((await submit(manager, { payeeId: a.payeeId, period: '2026-Q2', commitMinor: 90_000_00, bestCaseMinor: 120_000_00 })).statusCode).toBe(201);
    expect((await submit(finance, { payeeId: otherPayee, period: '2026-Q1', commitMinor: 50_000_00, bestCaseMinor: 70_000_00 })).statusCode).toBe(201);

    const history = (await call(app, viewer, 'GET', `/api/forecasts/calls?payeeId=${a.payeeId}&period=2026-Q1`)).json();
    expect(history.items.map((c: { commitMinor: number; isLatest: boolean }) => [c.commitMinor, c.isLatest])).toEqual([[160_000_00, true], [150_000_00, false]]);
    expect(history.mayCallFor).toEqual([]);
    const mine = (await call(app, rep, 'GET', '/api/forecasts/calls')).json();
    expect(mine.mayCallFor.map((p: { payeeId: string }) => p.payeeId)).toEqual([a.payeeId]);
    expect(mine.items).toHaveLength(4);

    const byOwner = (await call(app, viewer, 'GET', '/api/forecasts/pipeline?groupBy=owner&periods=2&today=2026-01-15')).json();
    const repQ1 = byOwner.rows.find((r: { groupKey: string; period: string }) => r.groupKey === a.payeeId && r.period === '2026-Q1');
    expect(repQ1.call).toEqual({ commitMinor: 160_000_00, bestCaseMinor: 210_000_00 });
    expect(repQ1.weightedMinor).toBeGreaterThan(0);
    expect(byOwner.labels.find((l: { groupKey: string }) => l.groupKey === a.payeeId)).toEqual({ groupKey: a.payeeId, name: 'alpha rep payee', teamId: a.teamId });
    const byTeam = (await call(app, viewer, 'GET', '/api/forecasts/pipeline?groupBy=team&periods=2&today=2026-01-15')).json();
    const row = (team: string, period: string) => byTeam.rows.find((r: { groupKey: string; period: string }) => r.groupKey === team && r.period === period);
    expect(row(a.teamId, '2026-Q1').call).toEqual({ commitMinor: 160_000_00, bestCaseMinor: 210_000_00 });
    expect(row(a.teamId, '2026-Q2').call).toEqual({ commitMinor: 90_000_00, bestCaseMinor: 120_000_00 });
    expect(row(otherTeam, '2026-Q1').call).toEqual({ commitMinor: 50_000_00, bestCaseMinor: 70_000_00 });
    const company = (await call(app, viewer, 'GET', '/api/forecasts/pipeline?groupBy=company&periods=1&today=2026-01-15')).json();
    expect(company.rows[0].call).toEqual({ commitMinor: 210_000_00, bestCaseMinor: 280_000_00 });

    const audit = (await call(app, admin, 'GET', '/api/audit?entityType=forecast_call')).json();
    expect(audit.items).toHaveLength(4);
    expect(audit.items[0]).toMatchObject({ action: 'forecast_call.submitted', after: { payeeId: otherPayee, commitMinor: 50_000_00 } });
  });

  it('lets a rep call only for themselves and a manager only for their team, and rejects bad calls with a message', async () => {
    const submit = (who: Caller, body: Record<string, unknown>) => call(app, who, 'POST', '/api/forecasts/calls', body);
    const good = { period: '2026-Q1', commitMinor: 1_00, bestCaseMinor: 2_00 };
    const forbidden = await submit(rep, { ...good, payeeId: otherPayee });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.message).toMatch(/only for yourself/);
    expect((await submit(manager, { ...good, payeeId: otherPayee })).statusCode).toBe(403);
    expect((await submit(viewer, { ...good, payeeId: a.payeeId })).statusCode).toBe(403);
    expect((await submit(rep, { ...good, payeeId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
    const below = await submit(rep, { ...good, payeeId: a.payeeId, bestCaseMinor: 50 });
    expect(below.statusCode).toBe(400);
    expect(below.json().error).toMatchObject({ code: 'validation_failed', message: 'body.bestCaseMinor: the best case must be at least the commit' });
    const badPeriod = await submit(rep, { ...good, payeeId: a.payeeId, period: 'FY2026' });
    expect(badPeriod.statusCode).toBe(400);
    expect(badPeriod.json().error.message).toMatch(/quarter such as 2026-Q1/);
    expect((await submit(rep, { ...good, payeeId: a.payeeId, commitMinor: -5 })).statusCode).toBe(400);
    expect((await submit(rep, { ...good, payeeId: a.payeeId, commitMinor: 1.5 })).statusCode).toBe(400);
    expect((await submit(rep, { ...good, payeeId: a.payeeId, note: 'x'.repeat(2001) })).statusCode).toBe(400);
    expect((await call(app, viewer, 'GET', '/api/forecasts/calls?period=2026')).statusCode).toBe(400);
  });
});

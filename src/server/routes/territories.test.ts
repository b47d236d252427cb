import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestStore, describeEachBackend, type TestStore } from '../../../test/stores.js';
import { seedTenant, type TenantFixture } from '../../../test/fixtures.js';
import { call, signIn, type Caller } from '../../../test/http.js';
import { addSales } from '../../../test/sales.js';
import { buildApp } from '../app.js';
import type { App } from '../context.js';

describeEachBackend('territories API: tree, assignments, plans, coverage', (backend) => {
  let t: TestStore;
  let app: App;
  let a: TenantFixture;
  let admin: Caller;
  let finance: Caller;
  let rep: Caller;
  let viewer: Caller;

  beforeAll(async () => {
    t = await createTestStore(backend);
    a = await seedTenant(t.store, 'alpha');
    app = await buildApp(t.store, { signInLimit: { max: 1000, windowMs: 60_000 } });
    [admin, finance, rep, viewer] = await Promise.all([signIn(app, a.users.admin.email), signIn(app, a.users.finance.email), signIn(app, a.users.rep.email), signIn(app, a.users.viewer.email)]);
    await addSales(t.store, a.tenantId, {
      accounts: [{ id: 'ACC-DE', country: 'DE', region: 'EMEA' }, { id: 'ACC-FR', country: 'FR', region: 'EMEA' }, { id: 'ACC-JP', country: 'JP', region: 'APAC' }],
      deals: [
        { id: 'T-DE-1', amount: 500_00, stage: 'closed_won', close: '2026-02-10', account: 'ACC-DE' },
        { id: 'T-FR-1', amount: 700_00, stage: 'closed_won', close: '2026-02-11', account: 'ACC-FR' },
        { id: 'T-JP-1', amount: 900_00, stage: 'proposal', close: '2026-05-01', account: 'ACC-JP' },
      ],
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('builds a tree; criteria are validated against the tree with paths (400), never a 500', async () => {
    const emea = await call(app, finance, 'POST', '/api/territories', { name: 'EMEA', criteria: { regions: ['EMEA'] } });
    expect(emea.statusCode).toBe(201);
    const emeaId = emea.json().id as string;
    const dach = await call(app, finance, 'POST', '/api/territories', { name: 'DACH', parentId: emeaId, criteria: { countries: ['DE', 'AT', 'CH'] } });
    expect(dach.statusCode).toBe(201);
    // Germany overlaps DACH on purpose: the coverage report must show it.
    const germany = await call(app, admin, 'POST', '/api/territories', { name: 'Germany', parentId: emeaId, criteria: { countries: ['DE'] } });
    expect(germany.statusCode).toBe(201);

    const badRange = await call(app, finance, 'POST', '/api/territories', { name: 'Berlin', parentId: dach.json().id, criteria: { postcodeRanges: [{ from: '19999', to: '10000' }] } });
    expect(badRange.statusCode).toBe(400);
    expect(badRange.json().error.details).toEqual([expect.objectContaining({ code: 'bad_postcode_range', path: 'body.criteria.postcodeRanges.0' })]);
    const unknownParent = await call(app, finance, 'POST', '/api/territories', { name: 'Orphan', parentId: a.teamId, criteria: {} });
    expect(unknownParent.statusCode).toBe(400);
    expect(unknownParent.json().error.details[0]).toMatchObject({ code: 'unknown_parent', path: 'body.parentId' });
    const cycle = await call(app, finance, 'PATCH', `/api/territories/${emeaId}`, { parentId: dach.json().id });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error.details[0]).toMatchObject({ code: 'cycle' });

    expect((await call(app, rep, 'POST', '/api/territories', { name: 'Mine', criteria: {} })).statusCode).toBe(403);
    const listed = await call(app, viewer, 'GET', '/api/territories');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['EMEA', 'DACH', 'Germany']));
    expect((await call(app, finance, 'DELETE', `/api/territories/${emeaId}`)).statusCode).toBe(409);
  });

  it('reports an overlap and gaps of the deals, with counts and record ids, without resolving them', async () => {
    const response = await call(app, viewer, 'GET', '/api/territories/coverage?dataset=deals&sample=10');
    expect(response.statusCode).toBe(200);
    const report = response.json();
    const ids = new Map((await call(app, viewer, 'GET', '/api/territories')).json().items.map((x: { name: string; id: string }) => [x.name, x.id]));
    expect(report.overlaps).toContainEqual({ recordId: 'T-DE-1', parentId: ids.get('EMEA'), territoryIds: expect.arrayContaining([ids.get('DACH'), ids.get('Germany')]) });
    expect(report.gaps).toContainEqual({ recordId: 'T-FR-1', parentId: ids.get('EMEA') });
    expect(report.gaps).toContainEqual({ recordId: 'T-JP-1', parentId: null });
    // …and at the top level, against the fixture's own territory (countries DE).
    expect(report.overlapCount).toBe(2);
    expect(report.overlaps).toContainEqual({ recordId: 'T-DE-1', parentId: null, territoryIds: expect.arrayContaining([ids.get('EMEA'), a.territoryId]) });
    expect(report.criteriaOverlaps).toContainEqual({ parentId: ids.get('EMEA'), territoryIds: [ids.get('DACH'), ids.get('Germany')] });
    // The period filter reads close dates.
    const q2 = (await call(app, viewer, 'GET', '/api/territories/coverage?period=2026-Q2')).json();
    expect(q2.records).toBe(1);
    expect((await call(app, viewer, 'GET', '/api/territories/coverage?period=2026-Q9')).statusCode).toBe(400);
  });

  it('assigns reps and teams for date ranges; the same rep twice at once is refused', async () => {
    const dach = (await call(app, viewer, 'GET', '/api/territories')).json().items.find((x: { name: string }) => x.name === 'DACH');
    const first = await call(app, finance, 'POST', '/api/territory-assignments', { territoryId: dach.id, assigneeKind: 'rep', assigneeId: a.payeeId, from: '2026-01-01', until: '2027-01-01' });
    expect(first.statusCode).toBe(201);
    const twice = await call(app, finance, 'POST', '/api/territory-assignments', { territoryId: dach.id, assigneeKind: 'rep', assigneeId: a.payeeId, from: '2026-06-01', until: null });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.details[0]).toMatchObject({ code: 'overlapping_assignment' });
    const badDates = await call(app, finance, 'POST', '/api/territory-assignments', { territoryId: dach.id, assigneeKind: 'team', assigneeId: a.teamId, from: '2026-06-01', until: '2026-01-01' });
    expect(badDates.statusCode).toBe(400);
    const list = await call(app, rep, 'GET', `/api/territory-assignments?territoryId=${dach.id}`);
    expect(list.json().items).toHaveLength(1);
    expect((await call(app, finance, 'DELETE', `/api/territory-assignments/${first.json().id}`)).statusCode).toBe(204);
  });

  it('keeps territory plans per period; a mix that does not add up is a 400, children off the parent a warning', async () => {
    const items = (await call(app, viewer, 'GET', '/api/territories')).json().items as { id: string; name: string }[];
    const emea = items.find((x) => x.name === 'EMEA') as { id: string };
    const dach = items.find((x) => x.name === 'DACH') as { id: string };
    const parent = await call(app, finance, 'PUT', '/api/territory-plans', { territoryId: emea.id, period: 'FY2026', revenueTargetMinor: 1_000_000_00, headcount: 10, productLineMix: [{ productLine: 'Platform', share: '0.6' }, { productLine: 'Services', share: '0.4' }] });
    expect(parent.statusCode).toBe(200);
    const bad = await call(app, finance, 'PUT', '/api/territory-plans', { territoryId: dach.id, period: 'FY2026', revenueTargetMinor: 400_000_00, headcount: 4, productLineMix: [{ productLine: 'Platform', share: '0.5' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toMatchObject({ code: 'mix_not_whole', path: 'body.productLineMix' });
    const child = await call(app, finance, 'PUT', '/api/territory-plans', { territoryId: dach.id, period: 'FY2026', revenueTargetMinor: 400_000_00, headcount: 4, productLineMix: [] });
    expect(child.statusCode).toBe(200);
    expect(child.json().warnings[0]).toMatchObject({ code: 'children_do_not_add_up' });
    expect((await call(app, viewer, 'GET', '/api/territory-plans?period=FY2026')).json().items).toHaveLength(2);
    const audit = await call(app, admin, 'GET', '/api/audit?entityType=territory_plan');
    expect(audit.json().items.length).toBeGreaterThanOrEqual(2);
  });
});

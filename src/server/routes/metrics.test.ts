import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, describeEachBackend, type TestStore } from '../../../test/stores.js';
import { seedTenant, type TenantFixture } from '../../../test/fixtures.js';
import { call, signIn, type Caller } from '../../../test/http.js';
import { DEALS } from '../../core/data/datasets.js';
import type { MetricDefinition } from '../../core/metrics/definition.js';
import { insertTestRecords } from '../../store/metrics/testing.js';
import { buildApp, type RouteEntry } from '../app.js';
import type { App } from '../context.js';

const definition = (key: string, extra: Partial<MetricDefinition> = {}): MetricDefinition => ({
  key, name: { en: 'EMEA revenue', de: 'Umsatz EMEA' }, description: { en: 'Won deals in EMEA', de: 'Gewonnene Abschlüsse in EMEA' }, unit: 'money',
  dataset: 'deals', dateField: 'close_date', measure: { kind: 'sum', field: 'amount' },
  filters: [{ field: 'stage', op: 'eq', value: 'closed_won' }, { field: 'region', op: 'eq', value: 'EMEA' }], groupBy: ['owner', 'team'], ...extra,
});

describeEachBackend('metrics API', (backend) => {
  let t: TestStore;
  let app: App & { routeTable: RouteEntry[] };
  let a: TenantFixture;
  let b: TenantFixture;
  let admin: Caller;
  let rep: Caller;
  let partner: Caller;
  let aDealIds: string[];

  beforeAll(async () => {
    t = await createTestStore(backend);
    a = await seedTenant(t.store, 'alpha');
    b = await seedTenant(t.store, 'beta');
    app = await buildApp(t.store, { signInLimit: { max: 100, windowMs: 60_000 } });
    admin = await signIn(app, a.users.admin.email);
    rep = await signIn(app, a.users.rep.email);
    partner = await signIn(app, a.users.partner.email);
    const deal = (extId: string, owner: string, amount: number, region: string) =>
      ({ extId, values: { owner, stage: 'closed_won', amount, created: '2026-01-02', close_date: '2026-02-10', region } });
    aDealIds = await t.store.inTenant(a.tenantId, { actor: { userId: null, tokenId: null } }, ({ tx }) =>
      insertTestRecords(tx, a.tenantId, DEALS, [deal('A1', a.payeeId, 125000, 'EMEA'), deal('A2', a.payeeId, 5000, 'US')]));
    await t.store.inTenant(b.tenantId, { actor: { userId: null, tokenId: null } }, ({ tx }) =>
      insertTestRecords(tx, b.tenantId, DEALS, [deal('B1', b.payeeId, 777000, 'EMEA')]));
    const beta = await signIn(app, b.users.admin.email);
    expect((await call(app, beta, 'POST', '/api/metrics', definition('beta_secret_metric'))).statusCode).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  describe('catalogue and custom definitions', () => {
    it('lists the catalogue with every definition, to every member but partners', async () => {
      const response = await call(app, rep, 'GET', '/api/metrics');
      expect(response.statusCode).toBe(200);
      const items = (response.json() as { items: { key: string; source: string; missingDatasets: string[] }[] }).items;
      expect(items.find((m) => m.key === 'revenue')).toMatchObject({ source: 'catalogue' });
      expect(items.find((m) => m.key === 'customer_acquisition_cost')).toMatchObject({ missingDatasets: ['marketing_spend'] });
      expect((await call(app, partner, 'GET', '/api/metrics')).statusCode).toBe(403);
    });

    it('refuses an invalid definition with issues naming the field path', async () => {
      const unknown = await call(app, admin, 'POST', '/api/metrics', definition('bad_metric', { measure: { kind: 'sum', field: 'revenue' } }));
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'body.measure.field', code: 'unknown_field' }] } });
      const structural = await call(app, admin, 'POST', '/api/metrics', { ...definition('bad_metric'), measure: { kind: 'sum' } });
      expect(structural.statusCode).toBe(400);
      expect(JSON.stringify(structural.json())).toContain('body.measure');
      const catalogueKey = await call(app, admin, 'POST', '/api/metrics', definition('revenue'));
      expect(catalogueKey.statusCode).toBe(409);
      expect((await call(app, rep, 'POST', '/api/metrics', definition('rep_metric'))).statusCode).toBe(403);
    });

    it('creates version 1, adds a version on edit, keeps the old ones, and audits both', async () => {
      const created = await call(app, admin, 'POST', '/api/metrics', definition('emea_revenue'));
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ version: 1, createdBy: { id: a.users.admin.id, name: 'admin of alpha' } });
      expect((await call(app, admin, 'POST', '/api/metrics', definition('emea_revenue'))).statusCode).toBe(409);

      const edited = await call(app, admin, 'PUT', '/api/metrics/emea_revenue', definition('emea_revenue', { groupBy: ['owner', 'team', 'territory'] }));
      expect(edited.statusCode).toBe(200);
      expect(edited.json()).toMatchObject({ version: 2 });
      const detail = await call(app, rep, 'GET', '/api/metrics/emea_revenue');
      expect((detail.json() as { versions: { version: number }[] }).versions.map((v) => v.version)).toEqual([2, 1]);
      expect((await call(app, admin, 'PUT', '/api/metrics/emea_revenue', definition('other_key'))).statusCode).toBe(400);
      expect((await call(app, admin, 'PUT', '/api/metrics/no_such_metric', definition('no_such_metric'))).statusCode).toBe(404);
      expect((await call(app, admin, 'PUT', '/api/metrics/revenue', definition('revenue'))).statusCode).toBe(409);
      expect((await call(app, rep, 'GET', '/api/metrics/revenue')).json()).toMatchObject({ source: 'catalogue', versions: [{ version: 1 }] });

      const actions = await t.store.asSystem((tx) => tx.query<{ action: string }>(`SELECT action FROM audit_log WHERE tenant_id = $1 AND entity_type = 'metric' ORDER BY id`, [a.tenantId]));
      expect(actions.map((r) => r.action)).toEqual(['metric.created', 'metric.updated']);
    });
  });

  describe('evaluate and explain', () => {
    it('evaluates a catalogue metric per owner, naming the version (sales figures are open to reps)', async () => {
      const response = await call(app, rep, 'POST', '/api/metrics/evaluate', { key: 'revenue', period: '2026-Q1', groupBy: 'owner' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        metric: { key: 'revenue', version: 1, source: 'catalogue' }, name: { en: 'Revenue', de: 'Umsatz' }, unit: 'money', currency: 'EUR',
        period: { key: '2026-Q1', start: '2026-01-01', end: '2026-04-01' }, baselinePeriod: null, groupBy: 'owner',
        groups: [{ key: a.payeeId, label: 'alpha rep payee', value: '130000', recordCount: 2 }],
        total: { value: '130000', recordCount: 2 },
      });
    });

    it('evaluates a custom metric at a chosen version, an inline definition, and extra filters', async () => {
      expect((await call(app, rep, 'POST', '/api/metrics/evaluate', { key: 'emea_revenue', version: 1, period: '2026-02' })).json())
        .toMatchObject({ metric: { key: 'emea_revenue', version: 1, source: 'custom' }, total: { value: '125000' } });
      const draft = (await call(app, rep, 'POST', '/api/metrics/evaluate', { definition: definition('draft', { unit: 'count', measure: { kind: 'count' } }), period: '2026-Q1', groupBy: 'team' })).json() as {
        metric: unknown; groups: { label: string; value: string }[];
      };
      expect(draft.metric).toEqual({ key: 'draft', version: null, source: 'inline' });
      // The rep's team and the company above it (equal values: ordered by team id).
      expect(draft.groups.map((g) => [g.label, g.value]).sort()).toEqual([['alpha company', '1'], ['alpha sales team', '1']]);
      expect((await call(app, rep, 'POST', '/api/metrics/evaluate', { key: 'revenue', period: '2026-Q1', filters: [{ field: 'region', op: 'eq', value: 'US' }] })).json())
        .toMatchObject({ total: { value: '5000' } });
    });

    it('answers 400 with a path for a bad period, a bad grouping, key and definition together, or an invalid inline definition', async () => {
      const cases: [unknown, string][] = [
        [{ key: 'revenue', period: '2026-Q7' }, 'body.period'],
        [{ key: 'revenue', period: '2026-Q1', groupBy: 'stage' }, 'body.groupBy'],
        [{ key: 'revenue', definition: definition('x_metric'), period: '2026-Q1' }, 'body.key'],
        [{ definition: definition('x_metric', { dateField: 'stage' }), period: '2026-Q1' }, 'body.definition.dateField'],
        [{ key: 'revenue', period: '2026-Q1', filters: [{ field: 'amount', op: 'gt', value: 'lots' }] }, 'body.filters.0.value'],
      ];
      for (const [body, path] of cases) {
        const response = await call(app, rep, 'POST', '/api/metrics/evaluate', body);
        expect(response.statusCode, JSON.stringify(body)).toBe(400);
        expect((response.json() as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe(path);
      }
      expect((await call(app, rep, 'POST', '/api/metrics/evaluate', { key: 'no_such_metric', period: '2026-Q1' })).statusCode).toBe(404);
    });

    it('explains a group with its record ids and the definition version', async () => {
      const response = await call(app, rep, 'POST', '/api/metrics/explain', { key: 'revenue', period: '2026-Q1', groupBy: 'owner', group: a.payeeId, limit: 1 });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        metric: { key: 'revenue', version: 1 }, group: a.payeeId, count: 2, recordIds: [aDealIds[0]],
        components: [{ role: 'value', dataset: 'deals', count: 2, recordIds: [aDealIds[0]] }],
      });
    });
  });

  describe('tenant isolation', () => {
    it('never shows tenant A another tenant’s custom metrics or records', async () => {
      const list = await call(app, admin, 'GET', '/api/metrics');
      expect(list.body).not.toContain('beta_secret_metric');
      expect((await call(app, admin, 'GET', '/api/metrics/beta_secret_metric')).statusCode).toBe(404);
      expect((await call(app, admin, 'POST', '/api/metrics/evaluate', { key: 'beta_secret_metric', period: '2026-Q1' })).statusCode).toBe(404);
      expect((await call(app, admin, 'PUT', '/api/metrics/beta_secret_metric', definition('beta_secret_metric'))).statusCode).toBe(404);
      const revenue = await call(app, admin, 'POST', '/api/metrics/evaluate', { key: 'revenue', period: '2026-Q1', groupBy: 'team' });
      expect(revenue.json()).toMatchObject({ total: { value: '130000' } });
      for (const marker of b.markers) expect(revenue.body).not.toContain(marker);
      // A's own metric of the same key is independent of B's.
      expect((await call(app, admin, 'POST', '/api/metrics', definition('beta_secret_metric'))).statusCode).toBe(201);
      expect((await call(app, admin, 'POST', '/api/metrics/evaluate', { key: 'beta_secret_metric', period: '2026-Q1' })).json()).toMatchObject({ total: { value: '125000' } });
    });
  });

  describe('OpenAPI', () => {
    it('documents the metric routes with request and response schemas', async () => {
      const doc = (await call(app, null, 'GET', '/api/openapi.json')).json() as { paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>> };
      expect(doc.paths['/api/metrics/evaluate']?.post?.requestBody).toBeDefined();
      expect(doc.paths['/api/metrics/{key}']?.put?.responses['200']).toBeDefined();
    });
  });
});

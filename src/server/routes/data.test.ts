import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../store/repos/api-tokens.js';
import { onRecordsChanged, type RecordsChangedEvent } from '../../store/events.js';
import { createTestStore, describeEachBackend, type TestStore } from '../../../test/stores.js';
import { seedTenant, type TenantFixture } from '../../../test/fixtures.js';
import { call, signIn, type Caller } from '../../../test/http.js';
import { makeKeyedToken } from '../auth/crypto.js';
import { buildApp } from '../app.js';
import type { App } from '../context.js';
import { signWebhook } from './webhooks.js';

const SAMPLES = fileURLToPath(new URL('../../integrations/csv/samples/', import.meta.url));

/** A multipart/form-data body with fields and one CSV file. */
function multipart(fields: Record<string, string>, file: { name: string; content: string | Buffer }) {
  const boundary = `----attain${randomUUID()}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`));
  parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

type Job = { id: string; status: string; [key: string]: unknown };

describeEachBackend('data API: datasets, records, imports, webhook', (backend) => {
  let t: TestStore;
  let app: App;
  let a: TenantFixture;
  let b: TenantFixture;
  let admin: Caller;
  let finance: Caller;
  let rep: Caller;
  let bAdmin: Caller;
  const events: RecordsChangedEvent[] = [];
  let unsubscribe: () => void;

  beforeAll(async () => {
    t = await createTestStore(backend);
    a = await seedTenant(t.store, 'alpha');
    b = await seedTenant(t.store, 'beta');
    app = await buildApp(t.store, { signInLimit: { max: 1000, windowMs: 60_000 } });
    admin = await signIn(app, a.users.admin.email);
    finance = await signIn(app, a.users.finance.email);
    rep = await signIn(app, a.users.rep.email);
    bAdmin = await signIn(app, b.users.admin.email);
    // The owners the sample CRM exports name.
    for (const [displayName, email, externalRef] of [['Rita Schmidt', 'rita@alpha.test', 'EMP-1001'], ['Jonas Vogel', 'jonas@alpha.test', 'EMP-1002']] as const) {
      const created = await call(app, admin, 'POST', '/api/payees', { kind: 'employee', displayName, email, externalRef, teamId: a.teamId });
      expect(created.statusCode).toBe(201);
    }
    unsubscribe = onRecordsChanged((event) => events.push(event));
  });
  afterAll(async () => {
    unsubscribe?.();
    await app?.close();
    await t?.dispose();
  });

  const upload = async (caller: Caller, dataset: string, content: string | Buffer, fields: Record<string, string> = {}, name = 'deals.csv') => {
    const body = multipart(fields, { name, content });
    return app.inject({
      method: 'POST', url: `/api/datasets/${dataset}/imports`, payload: body.payload,
      headers: { 'content-type': body.contentType, cookie: caller.cookie ?? '', 'x-csrf-token': caller.csrf ?? '' },
    });
  };
  const waitFor = async (caller: Caller, id: string): Promise<Job> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const job = (await call(app, caller, 'GET', `/api/imports/${id}`)).json() as Job;
      if (!['queued', 'validating', 'writing'].includes(job.status)) return job;
      if (Date.now() > deadline) throw new Error(`import ${id} still ${job.status}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const importFile = async (content: string | Buffer, fields: Record<string, string> = {}, dataset = 'deals') => {
    const response = await upload(finance, dataset, content, fields);
    expect(response.statusCode, response.body).toBe(202);
    return waitFor(finance, (response.json() as Job).id);
  };
  const dealsMatching = async (q: string) => (await call(app, rep, 'GET', `/api/datasets/deals/records?q=${encodeURIComponent(q)}&limit=100`)).json() as { items: { extId: string; values: Record<string, unknown>; ownerName: string | null }[]; total: number };

  describe('datasets', () => {
    it('lists the built-in datasets and the workspace’s custom ones to every member of the org, not to partners', async () => {
      const response = await call(app, rep, 'GET', '/api/datasets');
      expect(response.statusCode).toBe(200);
      const keys = (response.json() as { items: { key: string }[] }).items.map((d) => d.key);
      expect(keys).toEqual(['accounts', 'deals', 'leads', 'activities', 'tickets', a.datasetKey]);
      const partner = await signIn(app, a.users.partner.email);
      expect((await call(app, partner, 'GET', '/api/datasets')).statusCode).toBe(403);
    });

    it('declares a custom dataset with slots, once, and explains a bad declaration', async () => {
      const body = {
        key: 'machine_deployments', label: { en: 'Machine deployments', de: 'Maschinenaufstellungen' },
        fields: [
          { key: 'partner', label: { en: 'Partner', de: 'Partner' }, type: 'payee', required: true },
          { key: 'deployed_on', label: { en: 'Deployed on', de: 'Aufgestellt am' }, type: 'date', required: true },
          { key: 'machines', label: { en: 'Machines', de: 'Maschinen' }, type: 'number', scale: 0 },
          { key: 'deposit', label: { en: 'Deposit', de: 'Kaution' }, type: 'money' },
        ],
      };
      const created = await call(app, finance, 'POST', '/api/datasets', body);
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json()).toMatchObject({ key: 'machine_deployments', kind: 'custom', fields: [{ slot: 'owner' }, { slot: 'd1' }, { slot: 'n1' }, { slot: 'n2' }] });
      expect((await call(app, finance, 'POST', '/api/datasets', body)).statusCode).toBe(409);
      expect((await call(app, rep, 'POST', '/api/datasets', body)).statusCode).toBe(403);
      const bad = await call(app, finance, 'POST', '/api/datasets', { ...body, key: 'deals' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'body.key' }] } });
      // B does not see A's dataset.
      expect((await call(app, bAdmin, 'GET', '/api/datasets/machine_deployments')).statusCode).toBe(404);
    });
  });

  describe('batch API', () => {
    it('lists records by id (what a metric explanation names), never another workspace’s', async () => {
      await call(app, finance, 'POST', '/api/datasets/deals/records/batch', {
        upsert: ['IDS-1', 'IDS-2', 'IDS-3'].map((extId) => ({ extId, values: { name: extId, amount: 1, stage: 'open', created: '2026-02-01' } })),
      });
      const all = (await call(app, finance, 'GET', '/api/datasets/deals/records?q=IDS-')).json() as { items: { id: string; extId: string }[] };
      const [first, , third] = all.items;
      const picked = (await call(app, rep, 'GET', `/api/datasets/deals/records?ids=${first?.id},${third?.id}`)).json() as { items: { extId: string }[]; total: number };
      expect([picked.items.map((r) => r.extId), picked.total]).toEqual([['IDS-1', 'IDS-3'], 2]);
      expect((await call(app, bAdmin, 'GET', `/api/datasets/deals/records?ids=${first?.id}`)).json()).toMatchObject({ items: [], total: 0 });
      // The dataset says how many records it has and when one was last written.
      const everything = (await call(app, rep, 'GET', '/api/datasets/deals/records?limit=1')).json() as { total: number };
      const listed = (await call(app, rep, 'GET', '/api/datasets')).json() as { items: { key: string; recordCount: number; lastChangeAt: string | null }[] };
      expect(listed.items.find((d) => d.key === 'deals')).toMatchObject({ recordCount: everything.total, lastChangeAt: expect.any(String) });
      expect((await call(app, rep, 'GET', '/api/datasets/deals')).json()).toMatchObject({ recordCount: everything.total });
      const theirs = (await call(app, bAdmin, 'GET', '/api/datasets/deals/records?limit=1')).json() as { total: number };
      expect(theirs.total).not.toBe(everything.total);
      expect((await call(app, bAdmin, 'GET', '/api/datasets/deals')).json()).toMatchObject({ recordCount: theirs.total });
      const bad = await call(app, rep, 'GET', '/api/datasets/deals/records?ids=1,x');
      expect(bad.statusCode).toBe(400);
      await call(app, finance, 'POST', '/api/datasets/deals/records/batch', { delete: ['IDS-1', 'IDS-2', 'IDS-3'] });
    });

    it('resolves owners by id, external reference, e-mail or name (any case and spacing); a shared name is ambiguous', async () => {
      const owner = async (reference: string) => {
        const response = await call(app, finance, 'POST', '/api/datasets/deals/records/batch', {
          upsert: [{ extId: 'OWNER-1', values: { name: 'owner test', amount: 1, stage: 'open', created: '2026-02-01', owner: reference } }],
        });
        if (response.statusCode !== 200) return response.json() as unknown;
        const [record] = (await call(app, finance, 'GET', '/api/datasets/deals/records?q=OWNER-1')).json().items as { ownerName: string | null }[];
        return record?.ownerName;
      };
      expect(await owner('emp-1002')).toBe('Jonas Vogel');
      expect(await owner('RITA@alpha.test')).toBe('Rita Schmidt');
      expect(await owner('  jonas   VOGEL ')).toBe('Jonas Vogel');
      expect(await owner(a.payeeId.toUpperCase())).toBe('alpha rep payee');
      expect(await owner('Nobody Here')).toMatchObject({ error: { details: [{ code: 'unknown_owner' }] } });
      const twin = await call(app, admin, 'POST', '/api/payees', { kind: 'employee', displayName: 'Jonas  Vogel', teamId: a.teamId });
      expect(twin.statusCode).toBe(201);
      expect(await owner('jonas vogel')).toMatchObject({ error: { details: [{ code: 'ambiguous_owner' }] } });
      await call(app, admin, 'DELETE', `/api/payees/${(twin.json() as { id: string }).id}`);
      await call(app, finance, 'POST', '/api/datasets/deals/records/batch', { delete: ['OWNER-1'] });
    });

    it('writes nothing when one record is invalid, and names the path of each problem', async () => {
      const response = await call(app, finance, 'POST', '/api/datasets/deals/records/batch', {
        upsert: [
          { extId: 'API-1', values: { name: 'API deal 1', amount: '1200.50', stage: 'open', created: '2026-02-01', owner: 'EMP-1001' } },
          { extId: 'API-2', values: { name: 'API deal 2', amount: 'twelve', stage: 'open', created: '2026-02-01' } },
          { extId: 'API-3', values: { name: 'API deal 3', amount: 1, stage: 'open', created: '2026-02-31', owner: 'nobody' } },
        ],
      });
      expect(response.statusCode).toBe(400);
      const details = (response.json() as { error: { details: { path: string; code: string }[] } }).error.details;
      expect(details.map((d) => [d.path, d.code])).toEqual([
        ['body.upsert.1.values.amount', 'invalid_number'],
        ['body.upsert.2.values.owner', 'unknown_owner'],
        ['body.upsert.2.values.created', 'invalid_date'],
      ]);
      expect((await dealsMatching('API deal')).total).toBe(0);
    });

    it('upserts, changes nothing on a repeat, deletes, and emits change events', async () => {
      const batch = {
        upsert: [
          { extId: 'API-1', values: { name: 'API deal 1', amount: '1200.50', stage: 'open', created: '2026-02-01', owner: 'EMP-1001', currency: 'USD', type: 'Upsell' } },
          { extId: 'API-2', values: { name: 'API deal 2', amount: 99, stage: 'closed_won', created: '2026-02-01', close_date: '2026-03-01' } },
        ],
      };
      events.length = 0;
      const first = await call(app, finance, 'POST', '/api/datasets/deals/records/batch', batch);
      expect(first.json()).toEqual({ inserted: 2, updated: 0, unchanged: 0, deleted: 0 });
      expect(events.map((e) => [e.tenantId, e.dataset, e.source, e.upserted.length])).toEqual([[a.tenantId, 'deals', 'batch', 2]]);
      expect((await call(app, finance, 'POST', '/api/datasets/deals/records/batch', batch)).json()).toEqual({ inserted: 0, updated: 0, unchanged: 2, deleted: 0 });
      const listed = await dealsMatching('API deal');
      expect(listed.items.map((r) => [r.extId, r.values.amount, r.values.currency, r.values.type, r.ownerName])).toEqual([
        ['API-1', '1200.50', 'USD', 'upsell', 'Rita Schmidt'], ['API-2', '99.00', 'EUR', null, null],
      ]);
      const filtered = (await call(app, rep, 'GET', '/api/datasets/deals/records?filter=stage:eq:closed_won&filter=amount:lt:100&q=API')).json() as { items: { extId: string }[] };
      expect(filtered.items.map((r) => r.extId)).toEqual(['API-2']);
      expect((await call(app, rep, 'GET', '/api/datasets/deals/records?filter=amount:between:1')).statusCode).toBe(400);
      const removed = await call(app, finance, 'POST', '/api/datasets/deals/records/batch', { delete: ['API-2', 'API-404'] });
      expect(removed.json()).toEqual({ inserted: 0, updated: 0, unchanged: 0, deleted: 1 });
      expect((await call(app, rep, 'POST', '/api/datasets/deals/records/batch', { delete: ['API-1'] })).statusCode).toBe(403);
    });
  });

  describe('CSV imports', () => {
    const header = 'ID;Name;Betrag;Phase;Angelegt;Verantwortlich\n';
    const mapping = JSON.stringify({
      extIdColumn: 'ID', columns: { Name: 'name', Betrag: 'amount', Phase: 'stage', Angelegt: 'created', Verantwortlich: 'owner' },
      dateFormat: 'DD.MM.YYYY', decimalSeparator: ',', thousandsSeparator: '.',
    });
    const rows = (n: number, from = 1) => Array.from({ length: n }, (_v, i) => `CSV-${from + i};CSV deal ${from + i};1.000,50;offen;01.02.2026;EMP-1001`).join('\n');
    const withErrors = `\uFEFF${header}${rows(3)}\nCSV-4;CSV deal 4;viel;offen;30.02.2026;Niemand\n${rows(2, 5)}\n`;

    it('writes nothing from a file with errors, and reports row, column, value and reason (also as CSV)', async () => {
      const job = await importFile(withErrors, { mapping });
      expect(job).toMatchObject({ status: 'rejected', totalRows: 6, validRows: 5, errorCount: 3, inserted: 0 });
      expect(job.errors).toEqual([
        { row: 5, column: 'Verantwortlich', value: 'Niemand', code: 'unknown_owner', message: expect.any(String) },
        { row: 5, column: 'Betrag', value: 'viel', code: 'invalid_number', message: '"viel" is not an amount' },
        { row: 5, column: 'Angelegt', value: '30.02.2026', code: 'invalid_date', message: expect.stringContaining('not a date') },
      ]);
      expect((await dealsMatching('CSV deal')).total).toBe(0);
      const report = await call(app, finance, 'GET', `/api/imports/${job.id}/errors.csv`);
      expect(report.headers['content-type']).toContain('text/csv');
      expect(report.body.split('\n')[0]).toBe('row,column,value,code,reason');
      expect(report.body).toContain('5,Betrag,viel,invalid_number,"""viel"" is not an amount"');
    });

    it('previews a dry run: parsed rows, errors, and what would be inserted or updated', async () => {
      const job = await importFile(withErrors, { mapping, dryRun: 'true' });
      expect(job).toMatchObject({ status: 'completed', dryRun: true, inserted: 5, updated: 0, unchanged: 0, errorCount: 3 });
      expect((job.preview as unknown[])[0]).toEqual({
        row: 2, extId: 'CSV-1',
        values: expect.objectContaining({ name: 'CSV deal 1', amount: '1000.50', currency: 'EUR', stage: 'offen', created: '2026-02-01', owner: expect.any(String) }),
      });
      expect((await dealsMatching('CSV deal')).total).toBe(0);
    });

    it('writes the valid rows with valid_only, and re-importing the same file changes nothing', async () => {
      const job = await importFile(withErrors, { mapping, mode: 'valid_only' });
      expect(job).toMatchObject({ status: 'completed', inserted: 5, updated: 0, unchanged: 0, errorCount: 3, writtenRows: 5 });
      const stored = await dealsMatching('CSV deal');
      expect(stored.items.map((r) => r.extId)).toEqual(['CSV-1', 'CSV-2', 'CSV-3', 'CSV-5', 'CSV-6']);
      const again = await importFile(withErrors, { mapping, mode: 'valid_only' });
      expect(again).toMatchObject({ status: 'completed', inserted: 0, updated: 0, unchanged: 5 });
      expect((await dealsMatching('CSV deal')).items.map((r) => r.values)).toEqual(stored.items.map((r) => r.values));
      const history = (await call(app, finance, 'GET', '/api/imports?dataset=deals')).json() as { items: Job[]; total: number };
      expect(history.items.slice(0, 2).map((j) => j.id)).toEqual([again.id, job.id]);
    });

    it('imports a Salesforce opportunity report and a HubSpot deals export with the built-in mappings', async () => {
      const salesforce = await importFile(await readFile(path.join(SAMPLES, 'salesforce-opportunities.csv')));
      expect(salesforce).toMatchObject({ status: 'completed', mappingName: 'salesforce', inserted: 5, errorCount: 0, ignoredColumns: ['Fiscal Period', 'Age', 'Next Step'] });
      const hubspot = await importFile(await readFile(path.join(SAMPLES, 'hubspot-deals.csv')), { mappingName: 'hubspot' });
      expect(hubspot).toMatchObject({ status: 'completed', mappingName: 'hubspot', inserted: 4, errorCount: 0 });
      const won = (await call(app, rep, 'GET', '/api/datasets/deals/records?filter=stage:eq:closed_won&q=Nordwind')).json() as { items: { extId: string; values: Record<string, unknown>; ownerName: string }[] };
      expect(won.items.map((r) => [r.extId, r.values.amount, r.values.close_date, r.ownerName])).toEqual([
        ['0065g00000XyZ01AAA', '48000.00', '2026-03-27', 'Rita Schmidt'], ['18237465001', '48000.00', '2026-03-27', 'Rita Schmidt'],
      ]);
    });

    it('suggests a mapping from German headers, saves it, and imports with it by name', async () => {
      const suggestion = await call(app, finance, 'POST', '/api/datasets/deals/mappings/suggest', { headers: ['ID', 'Bezeichnung', 'Betrag', 'Phase', 'Erstellt am', 'Verantwortlich'], sample: [['1', 'x', '1.000,50', 'offen', '01.02.2026', 'EMP-1001']], delimiter: ';' });
      const suggested = suggestion.json() as { mapping: Record<string, unknown>; missingRequired: string[] };
      expect(suggested.missingRequired).toEqual([]);
      expect(suggested.mapping).toMatchObject({ extIdColumn: 'ID', dateFormat: 'DD.MM.YYYY', decimalSeparator: ',' });
      const saved = await call(app, finance, 'POST', '/api/datasets/deals/mappings', { name: 'German CRM', mapping: suggested.mapping });
      expect(saved.statusCode, saved.body).toBe(201);
      expect((await call(app, finance, 'POST', '/api/datasets/deals/mappings', { name: 'salesforce', mapping: suggested.mapping })).statusCode).toBe(400);
      const listed = (await call(app, finance, 'GET', '/api/datasets/deals/mappings')).json() as { items: { name: string }[]; builtin: { name: string }[] };
      expect(listed.items.map((m) => m.name)).toEqual(['German CRM']);
      expect(listed.builtin.map((m) => m.name)).toEqual(['salesforce', 'hubspot']);
      const job = await importFile('ID;Bezeichnung;Betrag;Phase;Erstellt am;Verantwortlich\nGER-1;German deal;2.500,00;offen;03.02.2026;jonas@alpha.test\n', { mappingName: 'German CRM' });
      expect(job).toMatchObject({ status: 'completed', mappingName: 'German CRM', inserted: 1 });
      expect((await upload(finance, 'deals', 'x\n1\n', { mappingName: 'Unknown' })).statusCode).toBe(400);
    });

    it('refuses non-multipart uploads, files without an id column, and callers without data:import', async () => {
      expect((await call(app, finance, 'POST', '/api/datasets/deals/imports', {})).statusCode).toBe(415);
      const noId = await upload(finance, 'deals', 'Name,Amount\nx,1\n');
      expect(noId.statusCode).toBe(400);
      expect((await upload(rep, 'deals', withErrors, { mapping })).statusCode).toBe(403);
      expect((await upload(finance, 'nonexistent', withErrors, { mapping })).statusCode).toBe(404);
    });

    it('keeps imports to their tenant', async () => {
      const job = await importFile(withErrors, { mapping, dryRun: 'true' });
      expect((await call(app, bAdmin, 'GET', `/api/imports/${job.id}`)).statusCode).toBe(404);
      expect((await call(app, bAdmin, 'GET', `/api/imports/${job.id}/errors.csv`)).statusCode).toBe(404);
      const bHistory = (await call(app, bAdmin, 'GET', '/api/imports')).json() as { items: Job[] };
      expect(bHistory.items.map((j) => j.id)).toEqual([b.importId]);
      expect((await call(app, bAdmin, 'GET', '/api/datasets/deals/records?q=CSV')).json()).toMatchObject({ total: 0 });
    });
  });

  describe('webhook', () => {
    let secret: string;
    let secretId: string;
    const body = JSON.stringify({ upsert: [{ extId: 'HOOK-1', values: { name: 'Hook deal', amount: '10', stage: 'open', created: '2026-03-01' } }] });
    const send = (headers: Record<string, string>, payload = body) =>
      app.inject({ method: 'POST', url: '/api/webhooks/records/deals', payload, headers: { 'content-type': 'application/json', ...headers } });
    const signed = (timestamp = Math.floor(Date.now() / 1000), payload = body, overrides: Record<string, string> = {}) => ({
      'x-attain-tenant': 'alpha', 'x-attain-key-id': secretId, 'x-attain-timestamp': String(timestamp), 'x-attain-signature': signWebhook(secret, timestamp, payload), ...overrides,
    });

    beforeAll(async () => {
      const created = await call(app, admin, 'POST', '/api/webhook-secrets', { name: 'CRM push' });
      expect(created.statusCode).toBe(201);
      ({ secret } = created.json() as { secret: string });
      secretId = (created.json() as { webhookSecret: { id: string } }).webhookSecret.id;
    });

    it('accepts a request signed with the secret, and refuses it the second time (replay)', async () => {
      events.length = 0;
      const headers = signed();
      const first = await send(headers);
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toEqual({ inserted: 1, updated: 0, unchanged: 0, deleted: 0 });
      expect(events.map((e) => [e.source, e.dataset])).toEqual([['webhook', 'deals']]);
      const replay = await send(headers);
      expect(replay.statusCode).toBe(401);
      expect(replay.json()).toMatchObject({ error: { code: 'unauthenticated', message: expect.stringContaining('replay') } });
    });

    it('refuses a wrong signature, a changed body, an old timestamp, another tenant’s slug and a revoked secret', async () => {
      const now = Math.floor(Date.now() / 1000);
      expect((await send(signed(now, body, { 'x-attain-signature': `sha256=${'0'.repeat(64)}` }))).statusCode).toBe(401);
      expect((await send(signed(now), body.replace('Hook deal', 'Evil deal'))).statusCode).toBe(401);
      expect((await send(signed(now - 301))).statusCode).toBe(401);
      expect((await send(signed(now, body, { 'x-attain-tenant': 'beta' }))).statusCode).toBe(401);
      expect((await send({})).statusCode).toBe(401);
      const other = await call(app, admin, 'POST', '/api/webhook-secrets', { name: 'to revoke' });
      const otherId = (other.json() as { webhookSecret: { id: string } }).webhookSecret.id;
      const otherSecret = (other.json() as { secret: string }).secret;
      expect((await call(app, admin, 'DELETE', `/api/webhook-secrets/${otherId}`)).statusCode).toBe(204);
      expect((await send({ ...signed(now, body), 'x-attain-key-id': otherId, 'x-attain-signature': signWebhook(otherSecret, now, body) })).statusCode).toBe(401);
      expect((await dealsMatching('Evil')).total).toBe(0);
    });

    it('accepts an API token whose role may import, and refuses one whose role may not', async () => {
      const tokens: Record<string, string> = {};
      for (const role of ['finance', 'viewer'] as const) {
        const id = randomUUID();
        const { token, secretHash, display } = makeKeyedToken('attain', a.tenantId, id);
        await t.store.inTenant(a.tenantId, { actor: { userId: null, tokenId: null } }, (scope) => createApiToken(scope, { id, name: `hook ${role}`, role, tokenHash: secretHash, prefix: display }));
        tokens[role] = token;
      }
      const update = JSON.stringify({ upsert: [{ extId: 'HOOK-1', values: { name: 'Hook deal', amount: '20', stage: 'open', created: '2026-03-01' } }] });
      const accepted = await send({ authorization: `Bearer ${tokens.finance}` }, update);
      expect(accepted.json()).toEqual({ inserted: 0, updated: 1, unchanged: 0, deleted: 0 });
      expect((await send({ authorization: `Bearer ${tokens.viewer}` }, update)).statusCode).toBe(403);
      expect((await send({ authorization: 'Bearer attain_nonsense' }, update)).statusCode).toBe(401);
      // A cookie session is no way in.
      expect((await send({ cookie: finance.cookie ?? '', 'x-csrf-token': finance.csrf ?? '' }, update)).statusCode).toBe(401);
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, describeEachBackend, type TestStore } from '../../../test/stores.js';
import { seedTenant, type TenantFixture } from '../../../test/fixtures.js';
import { call, signIn, type Caller } from '../../../test/http.js';
import { buildApp } from '../app.js';

/** A reader of SSE frames from one fetch response. */
function sseReader(response: Response) {
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  const decoder = new TextDecoder();
  let buffer = '';
  let pending: ReturnType<typeof reader.read> | null = null;
  return {
    /** Frames that arrive until `until` holds or the time is up. */
    async next(until: (events: { event: string; data: unknown }[]) => boolean, timeoutMs = 5000) {
      const events: { event: string; data: unknown }[] = [];
      const deadline = Date.now() + timeoutMs;
      while (!until(events) && Date.now() < deadline) {
        pending ??= reader.read();
        const chunk = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), 100))]);
        if (!chunk) continue;
        pending = null;
        if (chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
          end = buffer.indexOf('\n\n');
        }
      }
      return events;
    },
    close: () => reader.cancel(),
  };
}

describeEachBackend('live updates over Server-Sent Events', (backend) => {
  let t: TestStore;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let base: string;
  let a: TenantFixture;
  let b: TenantFixture;
  let alice: Caller;
  let bob: Caller;

  beforeAll(async () => {
    t = await createTestStore(backend);
    a = await seedTenant(t.store, 'alpha');
    b = await seedTenant(t.store, 'beta');
    app = await buildApp(t.store);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    alice = await signIn(app, a.users.rep.email);
    bob = await signIn(app, b.users.rep.email);
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const open = (caller: Caller) => fetch(`${base}/api/live`, { headers: { cookie: caller.cookie ?? '', accept: 'text/event-stream' } });

  it('streams a ready event, then the tenant’s events, and nothing of another tenant', async () => {
    const mine = sseReader(await open(alice));
    const theirsResponse = await open(bob);
    expect(theirsResponse.status).toBe(200);
    expect(theirsResponse.headers.get('content-type')).toContain('text/event-stream');
    const theirs = sseReader(theirsResponse);
    expect(await mine.next((e) => e.length >= 1)).toEqual([{ event: 'ready', data: { clientId: expect.any(String) } }]);
    await theirs.next((e) => e.length >= 1);
    expect(app.liveHub.size(a.tenantId)).toBe(1);

    expect(app.liveHub.publish(a.tenantId, { type: 'records.changed', data: { dataset: 'deals', upserted: 3 } })).toBe(1);
    expect(await mine.next((e) => e.length >= 1)).toEqual([{ event: 'records.changed', data: { dataset: 'deals', upserted: 3 } }]);
    expect(await theirs.next((e) => e.length >= 1, 500)).toEqual([]);

    await mine.close();
    await theirs.close();
    // A closed stream leaves the hub.
    for (let i = 0; i < 20 && app.liveHub.size() > 0; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(app.liveHub.size()).toBe(0);
  });

  it('tells readers of the data when records change, with counts only', async () => {
    const admin = await signIn(app, a.users.admin.email);
    const stream = sseReader(await open(admin));
    await stream.next((e) => e.length >= 1);
    const response = await call(app, admin, 'POST', '/api/datasets/activities/records/batch', {
      upsert: [{ extId: 'call-1', values: { type: 'call', date: '2026-03-02' } }],
      delete: [],
    });
    expect(response.statusCode, response.body).toBe(200);
    const events = await stream.next((e) => e.some((x) => x.event === 'records.changed'));
    expect(events.find((e) => e.event === 'records.changed')?.data).toMatchObject({ dataset: 'activities', upserted: 1, deleted: 0, source: 'batch' });
    await stream.close();
  });

  describe('live metric values', () => {
    type Evaluation = { groups: { key: string | null; value: string | null; recordCount: number }[]; total: { value: string | null; recordCount: number }; live?: { view: string } | null };
    type Update = { view: string; groups: { key: string | null; value: string | null; recordCount: number }[]; total: { value: string | null; recordCount: number }; mode: string };
    const batch = (admin: Caller, body: unknown) => call(app, admin, 'POST', '/api/datasets/deals/records/batch', body);
    const evaluate = async (admin: Caller, metric: string, extra: Record<string, unknown> = {}) => {
      const response = await call(app, admin, 'POST', '/api/metrics/evaluate', { key: metric, period: '2026-Q1', groupBy: 'owner', ...extra });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as Evaluation;
    };
    const byKey = (groups: Evaluation['groups']) => Object.fromEntries(groups.map((g) => [String(g.key), [g.value, g.recordCount]]));

    it('a watched evaluation receives each batch change as a delta equal to evaluating again', async () => {
      const admin = await signIn(app, a.users.admin.email);
      const stream = sseReader(await open(admin));
      const [ready] = await stream.next((e) => e.length >= 1);
      const clientId = (ready?.data as { clientId: string }).clientId;
      const won = (extId: string, amount: string, owner: string, close = '2026-02-10') => ({ extId, values: { name: extId, amount, currency: 'EUR', stage: 'closed_won', created: '2026-01-05', close_date: close, owner } });
      expect((await batch(admin, { upsert: [won('LIVE-0', '100.00', a.payeeId)] })).statusCode).toBe(200);

      const first = await evaluate(admin, 'revenue', { watch: clientId });
      expect(first.live?.view).toEqual(expect.any(String));
      expect(app.liveMetrics.size(a.tenantId)).toBe(1);

      const steps: unknown[] = [
        { upsert: [won('LIVE-1', '250.00', a.payeeId)] }, // a new deal of the rep
        { upsert: [won('LIVE-1', '300.10', a.payeeId)] }, // its amount changes
        { upsert: [won('LIVE-1', '300.10', a.partnerPayeeId)] }, // it moves to another owner
        { upsert: [won('LIVE-1', '300.10', a.partnerPayeeId, '2026-04-02')] }, // it leaves the quarter
        { upsert: [won('LIVE-2', '42.00', a.payeeId)], delete: ['LIVE-0'] }, // one in, one out
      ];
      for (const step of steps) {
        expect((await batch(admin, step)).statusCode).toBe(200);
        const events = await stream.next((e) => e.some((x) => x.event === 'metric.updated'));
        const update = events.find((e) => e.event === 'metric.updated')?.data as Update;
        expect(update).toMatchObject({ view: first.live?.view, mode: 'delta' });
        const fresh = await evaluate(admin, 'revenue');
        expect(update.total).toEqual(fresh.total);
        // Every group the update names has the value a fresh evaluation gives (0 records: gone).
        const now = byKey(fresh.groups);
        for (const g of update.groups) expect([g.value, g.recordCount]).toEqual(g.recordCount === 0 ? [null, 0] : now[String(g.key)]);
      }
      await stream.close();
      for (let i = 0; i < 20 && app.liveMetrics.size(a.tenantId) > 0; i += 1) await new Promise((r) => setTimeout(r, 50));
      expect(app.liveMetrics.size(a.tenantId)).toBe(0);
    });

    it('metrics that cannot take deltas (distinct count) are refreshed by their query', async () => {
      const admin = await signIn(app, a.users.admin.email);
      const stream = sseReader(await open(admin));
      const [ready] = await stream.next((e) => e.length >= 1);
      const clientId = (ready?.data as { clientId: string }).clientId;
      await evaluate(admin, 'regions_entered', { watch: clientId, groupBy: null });
      const deal = { extId: 'LIVE-R1', values: { name: 'r', amount: '1.00', currency: 'EUR', stage: 'closed_won', created: '2026-01-05', close_date: '2026-03-01', region: 'Atlantis', owner: a.payeeId } };
      expect((await batch(admin, { upsert: [deal] })).statusCode).toBe(200);
      const events = await stream.next((e) => e.some((x) => x.event === 'metric.updated'));
      const update = events.find((e) => e.event === 'metric.updated')?.data as Update;
      expect(update.mode).toBe('refresh');
      expect(update.total).toEqual((await evaluate(admin, 'regions_entered', { groupBy: null })).total);
      await stream.close();
    });

    it('watching needs one of the caller’s own streams', async () => {
      const admin = await signIn(app, a.users.admin.email);
      const theirs = sseReader(await open(bob));
      const [ready] = await theirs.next((e) => e.length >= 1);
      const foreign = (ready?.data as { clientId: string }).clientId;
      for (const watch of [foreign, '00000000-0000-4000-8000-000000000000']) {
        const response = await call(app, admin, 'POST', '/api/metrics/evaluate', { key: 'revenue', period: '2026-Q1', watch });
        expect(response.statusCode).toBe(400);
        expect(response.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'body.watch' }] } });
      }
      await theirs.close();
    });
  });

  it('needs a signed-in caller and an event-stream client', async () => {
    expect((await fetch(`${base}/api/live`, { headers: { accept: 'text/event-stream' } })).status).toBe(401);
    const plain = await call(app, alice, 'GET', '/api/live');
    expect(plain.statusCode).toBe(406);
    expect(plain.json()).toMatchObject({ error: { code: 'not_acceptable' } });
  });
});

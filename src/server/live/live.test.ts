import { afterAll, beforeAll, expect, it } from 'vitest';
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

  it('needs a signed-in caller and an event-stream client', async () => {
    expect((await fetch(`${base}/api/live`, { headers: { accept: 'text/event-stream' } })).status).toBe(401);
    const plain = await call(app, alice, 'GET', '/api/live');
    expect(plain.statusCode).toBe(406);
    expect(plain.json()).toMatchObject({ error: { code: 'not_acceptable' } });
  });
});

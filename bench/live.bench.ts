/**
 * Live metric values at a tenant with 1,000,000 deals: from an API upsert of one deal
 * (POST /api/datasets/deals/records/batch over HTTP, API token) to the Server-Sent Event
 * carrying the new "revenue per owner" value of the quarter (a watched evaluation).
 *
 *   npm run bench live
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench live
 *
 * Runs on PostgreSQL (when it answers; BENCH_DATABASE_URL=none skips it) and on PGlite
 * (BENCH_PGLITE=0 skips it). BENCH_DEALS, BENCH_OWNERS and BENCH_CHANGES change the size.
 * Each change is sent after the previous one's event arrived, so latencies do not queue.
 */
import { randomUUID } from 'node:crypto';
import { openEmbedded, type Db } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { createApiToken } from '../src/store/repos/api-tokens.js';
import { detectAppRole, wrapDb } from '../src/store/store.js';
import { buildApp } from '../src/server/app.js';
import { makeKeyedToken } from '../src/server/auth/crypto.js';
import { API_TOKEN_PREFIX } from '../src/server/auth/session.js';
import { openPostgresBench, seedDeals } from './seed-deals.js';

const DEALS = Number(process.env.BENCH_DEALS ?? 1_000_000);
const OWNERS = Number(process.env.BENCH_OWNERS ?? 1_000);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 1_000);
const PERIOD = '2025-Q2';

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

interface Result {
  label: string;
  upsert: number[];
  event: number[];
  evaluate: number;
}

/** Frames of one SSE response, as an async queue of { event, data }. */
function sseFrames(response: Response) {
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: { event: string; data: unknown; at: number }[] = [];
  let wake = null as (() => void) | null;
  void (async () => {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      const at = performance.now();
      buffer += decoder.decode(chunk.value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (event && data) queue.push({ event, data: JSON.parse(data), at });
        end = buffer.indexOf('\n\n');
      }
      wake?.();
    }
  })().catch(() => undefined);
  return {
    async next(type: string, timeoutMs = 10_000): Promise<{ data: unknown; at: number }> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = queue.findIndex((f) => f.event === type);
        if (index >= 0) return queue.splice(index, 1)[0] as { data: unknown; at: number };
        if (Date.now() > deadline) throw new Error(`no ${type} event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
    },
    close: () => reader.cancel(),
  };
}

async function run(db: Db, label: string): Promise<Result> {
  await migrate(db);
  console.log(`  ${label}: seeding ${DEALS.toLocaleString('en')} deals …`);
  const tenantId = await seedDeals(db, { deals: DEALS, owners: OWNERS });
  await db.exec('VACUUM ANALYZE records');
  const store = wrapDb(db, await detectAppRole(db));
  const tokenId = randomUUID();
  const { token, secretHash, display } = makeKeyedToken(API_TOKEN_PREFIX, tenantId, tokenId);
  await store.inTenant(tenantId, { actor: { userId: null, tokenId: null } }, (scope) => createApiToken(scope, { id: tokenId, name: 'bench', role: 'admin', tokenHash: secretHash, prefix: display }));
  const owners = await store.inTenant(tenantId, { actor: { userId: null, tokenId: null } }, (scope) =>
    scope.tx.query<{ id: string }>('SELECT id FROM payees WHERE tenant_id = $1 ORDER BY id LIMIT 20', [tenantId]),
  );

  const app = await buildApp(store, { logLevel: 'error' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  try {
    const stream = sseFrames(await fetch(`${base}/api/live`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }));
    const ready = (await stream.next('ready')).data as { clientId: string };
    const evaluateStart = performance.now();
    const evaluated = await fetch(`${base}/api/metrics/evaluate`, { method: 'POST', headers, body: JSON.stringify({ key: 'revenue', period: PERIOD, groupBy: 'owner', watch: ready.clientId }) });
    const evaluate = performance.now() - evaluateStart;
    if (evaluated.status !== 200) throw new Error(`evaluate: ${evaluated.status} ${await evaluated.text()}`);
    const initial = (await evaluated.json()) as { total: { value: string; recordCount: number }; live: { view: string } };

    const upsert: number[] = [];
    const event: number[] = [];
    let expected = BigInt(initial.total.value);
    const amounts = new Map<string, bigint>();
    for (let i = 0; i < CHANGES; i += 1) {
      // 50 deals of the quarter change owner and amount over and over: inserts, then updates.
      const extId = `LIVE-${i % 50}`;
      const cents = BigInt(10_000 + ((i * 7919) % 900_000));
      const owner = owners[i % owners.length]?.id;
      const body = JSON.stringify({
        upsert: [{ extId, values: { name: extId, amount: `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`, stage: 'closed_won', created: '2025-04-01', close_date: '2025-05-15', owner } }],
      });
      const start = performance.now();
      const response = await fetch(`${base}/api/datasets/deals/records/batch`, { method: 'POST', headers, body });
      const answered = performance.now();
      if (response.status !== 200) throw new Error(`batch: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
      const update = await stream.next('metric.updated');
      expected += cents - (amounts.get(extId) ?? 0n);
      amounts.set(extId, cents);
      const data = update.data as { view: string; total: { value: string } };
      if (data.view !== initial.live.view || data.total.value !== String(expected)) {
        throw new Error(`change ${i}: the event says ${data.total.value}, expected ${expected}`);
      }
      upsert.push(answered - start);
      event.push(update.at - start);
    }
    // The pushed state agrees with the store.
    const fresh = (await (await fetch(`${base}/api/metrics/evaluate`, { method: 'POST', headers, body: JSON.stringify({ key: 'revenue', period: PERIOD, groupBy: 'owner' }) })).json()) as { total: { value: string } };
    if (fresh.total.value !== String(expected)) throw new Error(`after ${CHANGES} changes the store says ${fresh.total.value}, the events ${expected}`);
    await stream.close();
    return { label, upsert, event, evaluate };
  } finally {
    await app.close();
  }
}

function print(results: Result[]): void {
  console.log(`\nUpsert one deal → SSE metric.updated with the new quarter revenue, ${DEALS.toLocaleString('en')} deals, ${CHANGES} changes (ms)\n`);
  const rows = results.flatMap((r) => {
    const up = [...r.upsert].sort((a, b) => a - b);
    const ev = [...r.event].sort((a, b) => a - b);
    return [
      [`${r.label}: POST batch answered`, percentile(up, 50), percentile(up, 99), up[up.length - 1] ?? Number.NaN],
      [`${r.label}: SSE event received`, percentile(ev, 50), percentile(ev, 99), ev[ev.length - 1] ?? Number.NaN],
    ] as const;
  });
  console.log(`${'what'.padEnd(44)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}`);
  for (const [what, p50, p99, max] of rows) console.log(`${what.padEnd(44)} ${p50.toFixed(1).padStart(8)} ${p99.toFixed(1).padStart(8)} ${max.toFixed(1).padStart(8)}`);
  for (const r of results) console.log(`${r.label}: first (watched) evaluation ${r.evaluate.toFixed(0)} ms`);
}

const results: Result[] = [];
const postgres = await openPostgresBench('live_bench');
if (postgres) {
  try {
    results.push(await run(postgres.db, 'PostgreSQL 15'));
  } finally {
    await postgres.cleanup();
  }
}
if (process.env.BENCH_PGLITE !== '0') {
  const embedded = await openEmbedded({});
  try {
    results.push(await run(embedded, 'PGlite'));
  } finally {
    await embedded.close();
  }
}
print(results);

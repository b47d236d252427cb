/**
 * API latency and throughput on a large workspace, over real HTTP on loopback.
 *
 *   npm run bench                        # embedded PGlite
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench
 *
 * Generates one workspace with USERS members, TEAMS teams (3 levels) and PAYEES payees,
 * then fires a bounded number of authenticated requests per endpoint at CONCURRENCY.
 */
import { randomUUID } from 'node:crypto';
import { openEmbedded, openPostgres, type Db } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { detectAppRole, wrapDb } from '../src/store/store.js';
import { hashPassword } from '../src/server/auth/crypto.js';
import { buildApp } from '../src/server/app.js';
import { Worker } from 'node:worker_threads';
import pg from 'pg';

const USERS = Number(process.env.BENCH_USERS ?? 5_000);
const TEAMS = Number(process.env.BENCH_TEAMS ?? 500);
const PAYEES = Number(process.env.BENCH_PAYEES ?? 10_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

async function openBenchDb(): Promise<{ db: Db; label: string; cleanup: () => Promise<void> }> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    const db = await openEmbedded({});
    return { db, label: 'embedded (PGlite, in memory)', cleanup: () => db.close() };
  }
  const name = `attain_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = await openPostgres({ url: target.toString() });
  return {
    db,
    label: 'PostgreSQL 15 (loopback)',
    cleanup: async () => {
      await db.close();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function seed(db: Db, passwordHash: string) {
  const tenantId = randomUUID();
  await db.query(`INSERT INTO tenants (id, slug, name) VALUES ($1, 'bench', 'Bench Corp')`, [tenantId]);
  const userIds = Array.from({ length: USERS }, () => randomUUID());
  await db.query(
    `INSERT INTO users (id, email, name, password_hash) SELECT u.id, 'user' || u.n || '@bench.test', 'User ' || u.n, $2
       FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n)`,
    [userIds, passwordHash],
  );
  await db.query(
    `INSERT INTO memberships (tenant_id, user_id, role)
     SELECT $1, u.id, (ARRAY['admin','finance','manager','rep','rep','rep','viewer'])[1 + (u.n % 7)] FROM unnest($2::uuid[]) WITH ORDINALITY AS u(id, n)`,
    [tenantId, userIds],
  );
  // Company → 10 % regions → the rest teams, each with a manager.
  const teamIds = Array.from({ length: TEAMS }, () => randomUUID());
  const regions = Math.max(1, Math.floor(TEAMS / 10));
  for (let i = 0; i < TEAMS; i += 1) {
    const parent = i === 0 ? null : i <= regions ? teamIds[0] : teamIds[1 + (i % regions)];
    await db.query(
      `INSERT INTO teams (tenant_id, id, name, kind, parent_id, manager_user_id) VALUES ($1, $2, $3, $4, $5, $6)`,
      [tenantId, teamIds[i], `Team ${i}`, i === 0 ? 'company' : i <= regions ? 'region' : 'team', parent, userIds[i % USERS]],
    );
  }
  await db.query(
    `INSERT INTO payees (tenant_id, id, kind, display_name, team_id, currency, external_ref)
     SELECT $1, gen_random_uuid(), CASE WHEN n % 10 = 0 THEN 'partner' ELSE 'employee' END, 'Payee ' || n, ($2::uuid[])[1 + (n % $3)], 'EUR', 'P-' || n
       FROM generate_series(1, $4) AS n`,
    [tenantId, teamIds, TEAMS, PAYEES],
  );
  return { tenantId, adminEmail: `user${userIds.length - (userIds.length % 7)}@bench.test` };
}

interface Endpoint { name: string; method?: string; path: string; body?: 'team'; count?: number }
interface LoadJob { base: string; cookie: string; csrf: string; endpoint: Endpoint; count: number; concurrency: number }
interface LoadResult { latencies: number[]; seconds: number; bytes: number }

/** The load generator (load-worker.mjs) runs on its own thread, so the server's thread serves requests only. */
function runInWorker(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), { workerData: job });
    worker.once('message', (result: LoadResult) => resolve(result));
    worker.once('error', reject);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main() {
  const { db, label, cleanup } = await openBenchDb();
  try {
    await migrate(db);
    const passwordHash = await hashPassword('bench password');
    const t0 = performance.now();
    await seed(db, passwordHash);
    // PGlite runs no autovacuum: the server analyses after bulk changes; so does the bench.
    await db.exec('ANALYZE');
    const seedMs = performance.now() - t0;
    const store = wrapDb(db, await detectAppRole(db));
    const app = await buildApp(store, { signInLimit: { max: 1_000_000, windowMs: 60_000 } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    const adminRow = await db.query<{ email: string }>(`SELECT u.email FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.role = 'admin' LIMIT 1`);
    const signIn = await fetch(`${base}/api/auth/sign-in`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: adminRow[0]?.email, password: 'bench password' }),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const csrf = ((await signIn.json()) as { csrfToken: string }).csrfToken;

    console.log(`Attain API benchmark — ${label}`);
    console.log(`workspace: ${USERS} users, ${TEAMS} teams, ${PAYEES} payees (seeded in ${(seedMs / 1000).toFixed(1)} s); ${REQUESTS} requests per row, concurrency ${CONCURRENCY}\n`);
    console.log('endpoint'.padEnd(34) + 'req/s'.padStart(9) + 'p50 ms'.padStart(9) + 'p95 ms'.padStart(9) + 'p99 ms'.padStart(9) + '  bytes');

    const endpoints: Endpoint[] = [
      { name: 'GET /api/health (no auth)', path: '/api/health' },
      { name: 'GET /api/auth/session', path: '/api/auth/session' },
      { name: `GET /api/teams (${TEAMS})`, path: '/api/teams' },
      { name: `GET /api/users (${USERS})`, path: '/api/users', count: Math.min(REQUESTS, 200) },
      { name: `GET /api/payees (${PAYEES})`, path: '/api/payees', count: Math.min(REQUESTS, 200) },
      { name: 'GET /api/audit?limit=50', path: '/api/audit?limit=50' },
      { name: 'POST /api/teams (write + audit)', method: 'POST', path: '/api/teams', body: 'team' },
    ];
    for (const endpoint of endpoints) {
      const count = endpoint.count ?? REQUESTS;
      const result = await runInWorker({ base, cookie, csrf, endpoint, count, concurrency: CONCURRENCY });
      console.log(
        endpoint.name.padEnd(34) + (count / result.seconds).toFixed(0).padStart(9) + percentile(result.latencies, 50).toFixed(1).padStart(9) +
          percentile(result.latencies, 95).toFixed(1).padStart(9) + percentile(result.latencies, 99).toFixed(1).padStart(9) + `  ${result.bytes}`,
      );
    }
    await app.close();
  } finally {
    await cleanup();
  }
}

await main();

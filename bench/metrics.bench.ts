/**
 * The metric engine on 1,000,000 deals: "revenue per owner for a quarter" by the SQL
 * evaluator (PGlite and PostgreSQL) and by the in-memory evaluator over a columnar snapshot.
 *
 *   npm run bench metrics
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench metrics
 *
 * Without BENCH_DATABASE_URL the PostgreSQL row uses postgres://postgres@127.0.0.1:5432/postgres
 * when that server answers (BENCH_DATABASE_URL=none skips it). BENCH_DEALS, BENCH_OWNERS and
 * BENCH_RUNS change the size; BENCH_EXPLAIN=1 prints the query plans.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { BUILTIN_DATASETS, DEALS as DEALS_DATASET } from '../src/core/data/datasets.js';
import { findCatalogueMetric } from '../src/core/metrics/catalogue.js';
import { evaluateInMemory } from '../src/core/metrics/evaluate.js';
import { fieldsUsed } from '../src/core/metrics/plan.js';
import { planGrouping, validateMetricDefinition } from '../src/core/metrics/validate.js';
import { CALENDAR_YEAR, parsePeriod } from '../src/core/period.js';
import { openEmbedded, openPostgres, type Db } from '../src/store/db.js';
import { compileMetricQuery } from '../src/store/metrics/compile.js';
import { evaluateMetric } from '../src/store/metrics/service.js';
import { loadOrg, loadSnapshot } from '../src/store/metrics/snapshot.js';
import { migrate } from '../src/store/migrate.js';
import { detectAppRole, wrapDb, type Store } from '../src/store/store.js';

const DEALS = Number(process.env.BENCH_DEALS ?? 1_000_000);
const OWNERS = Number(process.env.BENCH_OWNERS ?? 1_000);
const TEAMS = 50;
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const PERIOD = '2025-Q2';
const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/postgres';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}
async function timeRuns(runs: number, fn: () => Promise<unknown> | unknown): Promise<{ first: number; median: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) times.push((await time(fn)).ms);
  return { first: times[0] ?? Number.NaN, median: median(times.slice(1).length > 0 ? times.slice(1) : times) };
}

/** One tenant: a company with TEAMS teams, OWNERS payees, DEALS deals over 2024–2026 (about 30 % won). */
async function seed(db: Db): Promise<string> {
  const tenantId = randomUUID();
  await db.query(`INSERT INTO tenants (id, slug, name) VALUES ($1, 'bench-metrics', 'Bench Metrics')`, [tenantId]);
  const teamIds = Array.from({ length: TEAMS }, () => randomUUID());
  await db.query(`INSERT INTO teams (tenant_id, id, name, kind) VALUES ($1, $2, 'Company', 'company')`, [tenantId, teamIds[0]]);
  await db.query(
    `INSERT INTO teams (tenant_id, id, name, kind, parent_id) SELECT $1, t.id, 'Team ' || t.n, 'team', $3 FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, n)`,
    [tenantId, teamIds.slice(1), teamIds[0]],
  );
  const payeeIds = Array.from({ length: OWNERS }, () => randomUUID());
  await db.query(
    `INSERT INTO payees (tenant_id, id, kind, display_name, team_id, currency)
     SELECT $1, p.id, 'employee', 'Rep ' || p.n, ($3::uuid[])[1 + (p.n % $4)], 'EUR' FROM unnest($2::uuid[]) WITH ORDINALITY AS p(id, n)`,
    [tenantId, payeeIds, teamIds, TEAMS],
  );
  // Deterministic pseudo-random columns from a multiplicative hash of the row number.
  const chunk = 100_000;
  for (let from = 1; from <= DEALS; from += chunk) {
    const to = Math.min(DEALS, from + chunk - 1);
    await db.query(
      `INSERT INTO records (tenant_id, dataset, ext_id, owner_payee_id, t1, t4, t5, t7, t9, t10, n1, d1, d2, row_hash)
       SELECT $1, 'deals', 'D' || g, ($2::uuid[])[1 + (h / 17 % $3)], 'Deal ' || g,
              CASE WHEN h % 10 < 3 THEN 'closed_won' WHEN h % 10 < 5 THEN 'closed_lost' ELSE 'open' END,
              'Product ' || (h % 20), (ARRAY['EMEA','Americas','APAC'])[1 + (h % 3)], (ARRAY['new','renewal','upsell','cross_sell'])[1 + (h / 7 % 4)],
              (ARRAY['online','field','partner'])[1 + (h / 11 % 3)],
              1000 + (h / 13 % 5000000), DATE '2024-01-01' + (g % 1096) - (h % 90)::int, DATE '2024-01-01' + (g % 1096), md5(g::text)
         FROM generate_series($4::int, $5::int) AS g, LATERAL (SELECT (g::bigint * 2654435761) % 4294967296 AS h) x`,
      [tenantId, payeeIds, OWNERS, from, to],
    );
    process.stdout.write(`\r  seeding deals: ${to.toLocaleString('en')}`);
  }
  process.stdout.write('\n');
  return tenantId;
}

/** The fields "revenue per owner" reads. */
function fieldsUsedByRevenue(): Map<string, Set<string>> {
  const validated = validateMetricDefinition(findCatalogueMetric('revenue')?.definition, BUILTIN_DATASETS);
  if (!validated.ok) throw new Error('revenue does not validate');
  const grouping = planGrouping(validated.plan, 'owner');
  if (!grouping.ok) throw new Error('revenue does not group by owner');
  return fieldsUsed(validated.plan, grouping.grouping);
}

interface Row {
  label: string;
  first: number;
  median: number;
  note: string;
}

async function benchSql(store: Store, tenantId: string, label: string): Promise<Row[]> {
  const actor = { actor: { userId: null, tokenId: null } };
  const evaluate = () => store.inTenant(tenantId, actor, (scope) => evaluateMetric(scope, { metric: { key: 'revenue' }, period: PERIOD, groupBy: 'owner' }));
  const check = await evaluate();
  if (!check.ok) throw new Error(JSON.stringify(check));
  const service = await timeRuns(RUNS, evaluate);
  // The compiled query alone (what the database does).
  const entry = findCatalogueMetric('revenue');
  const validated = validateMetricDefinition(entry?.definition, BUILTIN_DATASETS);
  if (!validated.ok) throw new Error('revenue does not validate');
  const grouping = planGrouping(validated.plan, 'owner');
  const period = parsePeriod(PERIOD, CALENDAR_YEAR);
  if (!grouping.ok || !period.ok) throw new Error('bad bench setup');
  const query = compileMetricQuery({ tenantId, plan: validated.plan, grouping: grouping.grouping, period: period.period, calendar: CALENDAR_YEAR });
  const raw = await timeRuns(RUNS, () => store.inTenant(tenantId, actor, (scope) => scope.tx.query(query.sql, query.params)));
  if (process.env.BENCH_EXPLAIN === '1') {
    const plan = await store.inTenant(tenantId, actor, (scope) => scope.tx.query<Record<string, string>>(`EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`, query.params));
    console.log(plan.map((r) => Object.values(r)[0]).join('\n'));
  }
  const note = `${check.value.groups.length} owners, ${check.value.total.recordCount.toLocaleString('en')} won deals, total ${check.value.total.value}`;
  return [
    { label: `SQL on ${label}: evaluateMetric`, ...service, note },
    { label: `SQL on ${label}: the query alone`, ...raw, note: '' },
  ];
}

async function openPostgresBench(): Promise<{ db: Db; cleanup: () => Promise<void> } | null> {
  const url = process.env.BENCH_DATABASE_URL ?? DEFAULT_PG;
  if (url === 'none') return null;
  const admin = new pg.Client({ connectionString: url });
  try {
    await admin.connect();
  } catch {
    if (process.env.BENCH_DATABASE_URL) throw new Error(`BENCH_DATABASE_URL ${url} does not answer`);
    console.log(`  (no PostgreSQL at ${url}: skipping the PostgreSQL rows)`);
    return null;
  }
  const name = `metrics_bench_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = await openPostgres({ url: target.toString() });
  return {
    db,
    cleanup: async () => {
      await db.close();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function main(): Promise<void> {
  console.log(`Attain metric benchmark: "revenue per owner for a quarter" (${PERIOD}), ${DEALS.toLocaleString('en')} deals, ${OWNERS} owners; median of ${RUNS - 1} runs after the first\n`);
  const rows: Row[] = [];

  // PostgreSQL first (while the process is small), then PGlite, whose data set stays in this process.
  const postgres = await openPostgresBench();
  if (postgres) {
    try {
      await migrate(postgres.db);
      const seeded = await time(() => seed(postgres.db));
      // What autovacuum would do after a bulk load: planner statistics and the visibility map.
      console.log('  PostgreSQL: VACUUM ANALYZE, timing …');
      await postgres.db.exec('VACUUM ANALYZE records');
      const store = wrapDb(postgres.db, await detectAppRole(postgres.db));
      rows.push({ label: 'PostgreSQL: seed 1M deals (INSERT … SELECT)', first: seeded.ms, median: Number.NaN, note: '' });
      rows.push(...(await benchSql(store, seeded.value, 'PostgreSQL 15')));
      const load = await time(() => loadSnapshot(store, seeded.value, 'deals'));
      rows.push({ label: 'PostgreSQL: load the deals snapshot', first: load.ms, median: Number.NaN, note: `${load.value.rowCount.toLocaleString('en')} rows, all ${DEALS_DATASET.fields.length} fields` });
      const used = [...(fieldsUsedByRevenue().get('deals') ?? [])];
      const loadUsed = await time(() => loadSnapshot(store, seeded.value, 'deals', { fields: used }));
      rows.push({ label: 'PostgreSQL: … only the fields the metric reads', first: loadUsed.ms, median: Number.NaN, note: used.join(', ') });
    } catch (error) {
      console.error('PostgreSQL run failed:', error);
      throw error;
    } finally {
      await postgres.cleanup();
    }
  }

  const embedded = await openEmbedded({});
  try {
    await migrate(embedded);
    const seeded = await time(() => seed(embedded));
    console.log('  PGlite: VACUUM ANALYZE, timing …');
    await embedded.exec('VACUUM ANALYZE records');
    const store = wrapDb(embedded, await detectAppRole(embedded));
    const tenantId = seeded.value;
    rows.push({ label: 'PGlite: seed 1M deals (INSERT … SELECT)', first: seeded.ms, median: Number.NaN, note: '' });
    rows.push(...(await benchSql(store, tenantId, 'PGlite')));

    const load = await time(() => loadSnapshot(store, tenantId, 'deals'));
    const snapshot = load.value;
    rows.push({ label: 'PGlite: load the deals snapshot', first: load.ms, median: Number.NaN, note: `${snapshot.rowCount.toLocaleString('en')} rows, all ${DEALS_DATASET.fields.length} fields` });
    const used = [...(fieldsUsedByRevenue().get('deals') ?? [])];
    const loadUsed = await time(() => loadSnapshot(store, tenantId, 'deals', { fields: used }));
    rows.push({ label: 'PGlite: … only the fields the metric reads', first: loadUsed.ms, median: Number.NaN, note: used.join(', ') });
    const org = await store.inTenant(tenantId, { actor: { userId: null, tokenId: null } }, loadOrg);
    const validated = validateMetricDefinition(findCatalogueMetric('revenue')?.definition, BUILTIN_DATASETS);
    if (!validated.ok) throw new Error('revenue does not validate');
    const grouping = planGrouping(validated.plan, 'owner');
    const period = parsePeriod(PERIOD, CALENDAR_YEAR);
    if (!grouping.ok || !period.ok) throw new Error('bad bench setup');
    const input = { plan: validated.plan, grouping: grouping.grouping, period: period.period, calendar: CALENDAR_YEAR, snapshots: { deals: snapshot }, org };
    const memory = await timeRuns(RUNS + 1, () => evaluateInMemory(input));
    const result = evaluateInMemory(input);
    const sql = await store.inTenant(tenantId, { actor: { userId: null, tokenId: null } }, (scope) => evaluateMetric(scope, { metric: { key: 'revenue' }, period: PERIOD, groupBy: 'owner' }));
    const norm = (groups: readonly { key: string | null; label: string; value: string | null; recordCount: number }[]) => JSON.stringify(groups.map((g) => [g.key, g.label, g.value, g.recordCount]));
    const agree = sql.ok && norm(sql.value.groups) === norm(result.groups) && sql.value.total.value === result.total.value;
    rows.push({ label: 'in memory: evaluateInMemory', ...memory, note: `${((memory.median * 1e6) / snapshot.rowCount).toFixed(1)} ns/row; same groups and values as SQL: ${agree ? 'yes' : 'NO'}` });
    const team = planGrouping(validated.plan, 'team');
    if (team.ok) {
      const byTeam = await timeRuns(RUNS + 1, () => evaluateInMemory({ ...input, grouping: team.grouping }));
      rows.push({ label: 'in memory: … per team (rolled up)', ...byTeam, note: '' });
    }
  } finally {
    await embedded.close();
  }

  console.log(`\n${'measurement'.padEnd(46)}${'first ms'.padStart(11)}${'median ms'.padStart(11)}  note`);
  for (const row of rows) {
    const fmt = (ms: number) => (Number.isNaN(ms) ? '—' : ms >= 1000 ? ms.toFixed(0) : ms.toFixed(1));
    console.log(`${row.label.padEnd(46)}${fmt(row.first).padStart(11)}${fmt(row.median).padStart(11)}  ${row.note}`);
  }
}

await main();

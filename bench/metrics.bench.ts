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
import { BUILTIN_DATASETS, DEALS as DEALS_DATASET } from '../src/core/data/datasets.js';
import { findCatalogueMetric } from '../src/core/metrics/catalogue.js';
import { evaluateInMemory } from '../src/core/metrics/evaluate.js';
import { fieldsUsed } from '../src/core/metrics/plan.js';
import { planGrouping, validateMetricDefinition } from '../src/core/metrics/validate.js';
import { CALENDAR_YEAR, parsePeriod } from '../src/core/period.js';
import { openEmbedded } from '../src/store/db.js';
import { openPostgresBench, seedDeals } from './seed-deals.js';
import { compileMetricQuery } from '../src/store/metrics/compile.js';
import { evaluateMetric } from '../src/store/metrics/service.js';
import { loadOrg, loadSnapshot } from '../src/store/metrics/snapshot.js';
import { migrate } from '../src/store/migrate.js';
import { detectAppRole, wrapDb, type Store } from '../src/store/store.js';
import { median, time } from './measure.js';

const DEALS = Number(process.env.BENCH_DEALS ?? 1_000_000);
const OWNERS = Number(process.env.BENCH_OWNERS ?? 1_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const PERIOD = '2025-Q2';

async function timeRuns(runs: number, fn: () => Promise<unknown> | unknown): Promise<{ first: number; median: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) times.push((await time(fn)).ms);
  return { first: times[0] ?? Number.NaN, median: median(times.slice(1).length > 0 ? times.slice(1) : times) };
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

async function main(): Promise<void> {
  console.log(`Attain metric benchmark: "revenue per owner for a quarter" (${PERIOD}), ${DEALS.toLocaleString('en')} deals, ${OWNERS} owners; median of ${RUNS - 1} runs after the first\n`);
  const rows: Row[] = [];

  // PostgreSQL first (while the process is small), then PGlite, whose data set stays in this process.
  const postgres = await openPostgresBench('metrics_bench');
  if (postgres) {
    try {
      await migrate(postgres.db);
      const seeded = await time(() => seedDeals(postgres.db, { deals: DEALS, owners: OWNERS }));
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
    const seeded = await time(() => seedDeals(embedded, { deals: DEALS, owners: OWNERS }));
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

/**
 * A payout run end to end through the store: BENCH_PAYEES payees (10,000) and BENCH_DEALS won
 * deals (1,000,000) closing in 2026-Q1, on a plan with marginal tiers, an accelerator, a
 * component cap, a plan cap and a SPIFF (bench/seed-deals.ts: BENCH_COMP_PLAN), quotas from a
 * locked quota version, manager roll-up on (the store's crediting).
 *
 *   npm run bench comp-run
 *   BENCH_DATABASE_URL=none npm run bench comp-run        (PGlite only)
 *   BENCH_PGLITE=1 npm run bench comp-run                 (PostgreSQL, then PGlite too)
 *
 * Rows: the whole run (createRun + calculateRun: gather from the database, calculate with
 * explanations, write the lines), the same payouts by one hand-written SQL query (checked equal
 * per payee to the minor unit), and one payee recalculated after one deal changes
 * (applyRecordBatch → recalculatePayees, p50/p95/p99 of BENCH_RECALC_RUNS after BENCH_RECALC_WARMUP
 * warm-up ones, which are reported apart).
 */
import { randomUUID } from 'node:crypto';
import { DEALS } from '../src/core/data/datasets.js';
import { applyRecordBatch } from '../src/server/routes/records.js';
import { openEmbedded, type Db } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { calculateRun, createRun, deleteRun, gatherInput, getRun, recalculatePayees, runInputs, runPayees, type PayoutRun, type RunPhase } from '../src/store/repos/payout-runs.js';
import { detectAppRole, SYSTEM_ACTOR, wrapDb, type Store, type TenantScope } from '../src/store/store.js';
import { openPostgresBench, seedCompRun } from './seed-deals.js';
import { calculatePayouts } from '../src/core/comp/calculate.js';
import { load, quantile, time } from './measure.js';

const PAYEES = Number(process.env.BENCH_PAYEES ?? 10_000);
const DEALS_N = Number(process.env.BENCH_DEALS ?? 1_000_000);
const RECALC_RUNS = Number(process.env.BENCH_RECALC_RUNS ?? 100);
/** Recalculations before the measured ones (a server runs warm: its code compiled, its statements prepared); reported apart. */
const RECALC_WARMUP = Number(process.env.BENCH_RECALC_WARMUP ?? 20);
const RUN_TARGET_MS = 10_000;
const RECALC_TARGET_MS = 10;

/**
 * The baseline a user could write: the plan's payouts in one query, exact numeric arithmetic.
 * Per payee: base = Σ won deal amounts of the quarter; commission = 6 % up to the quota, 9 %
 * from 100 % to 150 % of quota, 12 % above (marginal; no quota or a base ≤ 0: 6 % of the base),
 * capped at 40,000.00 before rounding; rounded half away from zero (numeric round()), as the
 * engine rounds each line; SPIFF 150.00 per Product 3 deal closed 2026-02-01 … 2026-03-31;
 * earnings = min(commission + SPIFF, the plan cap 50,000.00).
 */
const BASELINE_SQL = `
WITH quota AS MATERIALIZED (
  SELECT l.assignee_id AS payee_id, l.quota_minor::numeric AS q
    FROM quota_lines l JOIN quota_versions v ON v.tenant_id = l.tenant_id AND v.id = l.version_id AND v.locked_at IS NOT NULL
   WHERE l.tenant_id = $1 AND l.assignee_kind = 'rep' AND l.period = '2026-Q1'),
base AS MATERIALIZED (
  SELECT r.owner_payee_id AS payee_id, sum(r.n1)::numeric AS b,
         count(*) FILTER (WHERE r.t5 = 'Product 3' AND r.d2 >= DATE '2026-02-01' AND r.d2 < DATE '2026-04-01') AS spiffs
    FROM records r
   WHERE r.tenant_id = $1 AND r.dataset = 'deals' AND r.t4 = 'closed_won' AND r.d2 >= DATE '2026-01-01' AND r.d2 < DATE '2026-04-01'
     AND r.owner_payee_id IS NOT NULL AND r.n1 IS NOT NULL
   GROUP BY r.owner_payee_id),
priced AS (
  SELECT a.payee_id,
         round(least(4000000, CASE WHEN q.q IS NULL OR q.q = 0 OR coalesce(b.b, 0) <= 0 THEN 0.06 * coalesce(b.b, 0)
                                   ELSE 0.06 * least(b.b, q.q) + 0.09 * greatest(0, least(b.b, 1.5 * q.q) - q.q) + 0.12 * greatest(0, b.b - 1.5 * q.q) END)) AS commission,
         15000 * coalesce(b.spiffs, 0) AS spiff
    FROM comp_assignments a LEFT JOIN base b ON b.payee_id = a.payee_id LEFT JOIN quota q ON q.payee_id = a.payee_id
   WHERE a.tenant_id = $1 AND a.plan_id = 'ae' AND a.plan_version = 1)
SELECT payee_id::text AS payee_id, least(commission + spiff, 5000000)::text AS earnings FROM priced ORDER BY payee_id`;

interface Row {
  label: string;
  ms: number;
  note: string;
}

const met = (ok: boolean): string => (ok ? 'target met' : 'target NOT met');
const phaseNote = (phases: ReadonlyMap<RunPhase, number>): string => `phases: ${[...phases].map(([name, ms]) => `${name} ${Math.round(ms).toLocaleString('en')} ms`).join(', ')}`;

/** Reading the input, its digests and the engine alone (explanations on, as saved), each timed. */
async function whereTheTimeGoes(label: string, runId: string, run: PayoutRun, inTenant: <T>(fn: (scope: TenantScope) => Promise<T>) => Promise<T>, report: (row: Row) => void): Promise<void> {
  const gathered = await time(() => inTenant(async (scope) => gatherInput(scope, (await getRun(scope, runId)) ?? run, { filteredFieldsOnly: true })));
  report({ label: `${label}:   … gatherInput alone`, ms: gathered.ms, note: `${(gathered.value.records ?? []).length.toLocaleString('en')} deals read (the fields plans filter on, as a run reads them)` });
  const hashed = await time(async () => runInputs(gathered.value));
  report({ label: `${label}:   … input digests alone`, ms: hashed.ms, note: `${hashed.value.owners.size.toLocaleString('en')} owners' digests and the global part` });
  const engine = await time(async () => calculatePayouts(gathered.value));
  report({ label: `${label}:   … calculatePayouts alone (explain)`, ms: engine.ms, note: 'crediting with manager roll-up, lines with explanations' });
}

async function benchBackend(label: string, db: Db): Promise<Row[]> {
  // Each row is printed as soon as it is measured (a full run takes minutes on a busy machine), then all in a table.
  const rows: Row[] = [];
  const report = (row: Row): void => {
    console.log(`  ${row.label}: ${Number.isNaN(row.ms) ? '' : `${row.ms.toFixed(1)} ms, `}${row.note}`);
    rows.push(row);
  };
  const seeded = await time(() => seedCompRun(db, { payees: PAYEES, deals: DEALS_N }));
  // A bulk load: statistics as autovacuum (PostgreSQL) or `attain serve`'s periodic ANALYZE (PGlite) would have them.
  await db.exec('VACUUM ANALYZE');
  const { tenantId } = seeded.value;
  report({ label: `${label}: seed`, ms: seeded.ms, note: `${PAYEES.toLocaleString('en')} payees, ${DEALS_N.toLocaleString('en')} won deals in 2026-Q1` });
  const store: Store = wrapDb(db, await detectAppRole(db));
  const inTenant = <T>(fn: (scope: TenantScope) => Promise<T>): Promise<T> => store.inTenant(tenantId, { actor: SYSTEM_ACTOR }, fn);

  // 1. The whole run through the repository code.
  // Twice: the first run after the bulk load (cold caches, the load's checkpoint), then the
  // same run again from scratch; the table reports the second, both are printed.
  const phases = new Map<RunPhase, number>();
  const wholeRun = (runId: string) => time(() => inTenant(async (scope) => {
    await createRun(scope, runId, '2026-Q1');
    return calculateRun(scope, runId, { onPhase: (name, ms) => phases.set(name, ms) });
  }));
  const first = await wholeRun(randomUUID());
  report({ label: `${label}: payout run end to end, first after the load`, ms: first.ms, note: phaseNote(phases) });
  await inTenant((scope) => deleteRun(scope, first.value.run.id));
  const runId = randomUUID();
  const whole = await wholeRun(runId);
  const [counted] = await inTenant((scope) => scope.tx.query<{ n: string; sum: string }>('SELECT count(*)::text AS n, sum(amount_minor)::text AS sum FROM payout_lines WHERE tenant_id = $1 AND run_id = $2', [tenantId, runId]));
  const totals = whole.value.run.totals[0];
  report({
    label: `${label}: payout run end to end`, ms: whole.ms,
    note: `createRun + calculateRun, ${Number(counted?.n ?? 0).toLocaleString('en')} lines written; ${met(whole.ms <= RUN_TARGET_MS)} (≤ ${RUN_TARGET_MS / 1000} s); load ${load()}; ${phaseNote(phases)}`,
  });
  // Where the time goes (in a function of its own: the million records it reads are garbage once it returns, as in a server).
  await whereTheTimeGoes(label, runId, whole.value.run, inTenant, report);

  // 2. The same payouts by one SQL query, checked per payee.
  const baseline = await time(() => inTenant((scope) => scope.tx.query<{ payee_id: string; earnings: string }>(BASELINE_SQL, [tenantId])));
  const payees = await inTenant((scope) => runPayees(scope, runId));
  const engineByPayee = new Map(payees.map((p) => [p.payeeId, p.earningsMinor]));
  let mismatches = 0;
  let sqlTotal = 0n;
  for (const r of baseline.value) {
    sqlTotal += BigInt(r.earnings);
    if (engineByPayee.get(r.payee_id) !== Number(r.earnings)) mismatches += 1;
  }
  const same = mismatches === 0 && baseline.value.length === engineByPayee.size && sqlTotal === BigInt(totals?.earningsMinor ?? -1);
  report({
    label: `${label}: the same payouts by one SQL query`, ms: baseline.ms,
    note: `${baseline.value.length.toLocaleString('en')} payees; same earnings per payee and in total (${(Number(sqlTotal) / 100).toLocaleString('en')} EUR) as the run: ${same ? 'yes' : `NO (${mismatches} differ)`}; load ${load()}`,
  });

  // 3. One deal changes: the product path (batch upsert, then that payee's recalculation).
  const upserts: number[] = [];
  const recalcs: number[] = [];
  let onlyThatPayee = true;
  const warmup: number[] = [];
  for (let i = -RECALC_WARMUP; i < RECALC_RUNS; i += 1) {
    const extId = `CR${1 + (((i + DEALS_N) * 7919) % DEALS_N)}`;
    const [deal] = await inTenant((scope) => scope.tx.query<{ owner: string; amount: string; created: string; close: string; product: string }>(
      `SELECT owner_payee_id::text AS owner, n1::text AS amount, to_char(d1, 'YYYY-MM-DD') AS created, to_char(d2, 'YYYY-MM-DD') AS close, t5 AS product
         FROM records WHERE tenant_id = $1 AND dataset = 'deals' AND ext_id = $2`, [tenantId, extId]));
    if (!deal) throw new Error(`no deal ${extId}`);
    const amount = ((Number(deal.amount) + 100 * (i + RECALC_WARMUP + 1)) / 100).toFixed(2);
    const up = await time(() => applyRecordBatch({
      store, tenantId, actor: SYSTEM_ACTOR, requestId: `bench-${i}`, dataset: DEALS, source: 'batch',
      batch: { upsert: [{ extId, values: { name: `Deal ${extId}`, amount, currency: 'EUR', stage: 'closed_won', created: deal.created, close_date: deal.close, owner: deal.owner, product: deal.product } }], delete: [] },
    }));
    const re = await time(() => inTenant((scope) => recalculatePayees(scope, runId, [deal.owner])));
    if (i < 0) {
      warmup.push(re.ms);
    } else {
      upserts.push(up.ms);
      recalcs.push(re.ms);
    }
    if (!re.value.changed || re.value.payeeIds?.join() !== deal.owner) onlyThatPayee = false;
  }
  upserts.sort((a, b) => a - b);
  recalcs.sort((a, b) => a - b);
  const p99 = quantile(recalcs, 0.99);
  report({ label: `${label}: deal upsert (applyRecordBatch)`, ms: quantile(upserts, 0.5), note: `p50; p95 ${quantile(upserts, 0.95).toFixed(1)}, p99 ${quantile(upserts, 0.99).toFixed(1)} ms` });
  report({
    label: `${label}: recalculate that payee (p99)`, ms: p99,
    note: `p50 ${quantile(recalcs, 0.5).toFixed(1)}, p95 ${quantile(recalcs, 0.95).toFixed(1)} ms of ${RECALC_RUNS} after ${RECALC_WARMUP} warm-up ones (those: p50 ${quantile(warmup.sort((a, b) => a - b), 0.5).toFixed(1)}, max ${Math.max(...warmup, 0).toFixed(1)} ms); only that payee each time: ${onlyThatPayee ? 'yes' : 'NO'}; ${met(p99 <= RECALC_TARGET_MS)} (p99 ≤ ${RECALC_TARGET_MS} ms); load ${load()}`,
  });
  // Consistency: a whole recalculation finds nothing to do, and the lines add up to the total.
  const check = await inTenant((scope) => calculateRun(scope, runId));
  const [sum] = await inTenant((scope) => scope.tx.query<{ sum: string }>('SELECT sum(amount_minor)::text AS sum FROM payout_lines WHERE tenant_id = $1 AND run_id = $2', [tenantId, runId]));
  report({
    label: `${label}: consistency after ${RECALC_WARMUP + RECALC_RUNS} per-payee recalculations`, ms: Number.NaN,
    note: `whole recalculation unchanged (same input hash): ${check.changed ? 'NO' : 'yes'}; Σ lines = run total: ${Number(sum?.sum) === check.run.totals[0]?.totalMinor ? 'yes' : 'NO'}`,
  });
  return rows;
}

async function main(): Promise<void> {
  console.log(`Attain payout-run benchmark: 2026-Q1, ${PAYEES.toLocaleString('en')} payees, ${DEALS_N.toLocaleString('en')} won deals; load average ${load()} at start (shared machine)\n`);
  const rows: Row[] = [];
  const postgres = await openPostgresBench('comp_run_bench');
  if (postgres) {
    try {
      await migrate(postgres.db);
      rows.push(...(await benchBackend('PostgreSQL', postgres.db)));
    } finally {
      await postgres.cleanup();
    }
  }
  if (!postgres || process.env.BENCH_PGLITE === '1') {
    const embedded = await openEmbedded({});
    try {
      await migrate(embedded);
      rows.push(...(await benchBackend('PGlite', embedded)));
    } finally {
      await embedded.close();
    }
  }
  console.log(`\n${'measurement'.padEnd(52)}${'ms'.padStart(10)}  note`);
  for (const row of rows) console.log(`${row.label.padEnd(52)}${(Number.isNaN(row.ms) ? '—' : row.ms >= 100 ? row.ms.toFixed(0) : row.ms.toFixed(1)).padStart(10)}  ${row.note}`);
}

await main();

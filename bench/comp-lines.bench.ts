/**
 * Writing a payout run's lines: the `lines` phase of a whole run (npm run bench comp-run) on
 * its own, without seeding a million deals. The lines are the engine's own: calculatePayouts
 * with explanations over BENCH_PAYEES payees (10,000) and BENCH_DEALS won deals (1,000,000) in
 * memory, shaped as seedCompRun seeds them (record ids are the records table's bigint ids as
 * text, payee ids uuids, BENCH_COMP_PLAN) — 20,000 lines carrying 1,033,338 credit references.
 *
 *   npm run bench comp-lines
 *   BENCH_DATABASE_URL=none npm run bench comp-lines      (PGlite only; BENCH_PGLITE=0: PostgreSQL only)
 *   BENCH_EXPLAIN=1 npm run bench comp-lines              (also EXPLAIN ANALYZE of one INSERT on PostgreSQL)
 *
 * Rows: encodeLines alone (the JS side), insertLines of the whole run in one transaction
 * (median of BENCH_RUNS, 3; each with the CPU time of this process and, on PostgreSQL, of its
 * backend read from /proc: the machine is shared, wall time follows the load), the stored size,
 * listLines of one payee (median of 20, checked equal to what was written) and of the whole
 * run, per backend. Target: insertLines ≤ 1.5 s on PostgreSQL, and no slower on PGlite than
 * before migration 0015.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { calculatePayouts } from '../src/core/comp/calculate.js';
import type { CompRecord } from '../src/core/comp/crediting.js';
import type { PayoutLine } from '../src/core/comp/payout-types.js';
import { compilePlan } from '../src/core/comp/plan.js';
import { CALENDAR_YEAR, epochDay, formatEpochDay, parsePeriod } from '../src/core/period.js';
import { openEmbedded, type Db } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { encodeLines, insertLines, LINE_COLUMNS, LINE_VALUES, linesUnnest, listLines } from '../src/store/repos/payout-lines.js';
import { detectAppRole, SYSTEM_ACTOR, wrapDb, type TenantScope } from '../src/store/store.js';
import { BENCH_COMP_PLAN, openPostgresBench } from './seed-deals.js';
import { load, median, time } from './measure.js';

const PAYEES = Number(process.env.BENCH_PAYEES ?? 10_000);
const DEALS_N = Number(process.env.BENCH_DEALS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_MS = 1_500;


/** The engine's lines for the deals seedCompRun would seed (the same arithmetic on the row number). */
function engineLines(): { lines: PayoutLine[]; payeeIds: string[]; credits: number } {
  const parsed = parsePeriod('2026-Q1', CALENDAR_YEAR);
  if (!parsed.ok) throw new Error('bad period');
  const payeeIds = Array.from({ length: PAYEES }, () => randomUUID()).sort();
  const start = epochDay('2026-01-01');
  const records: CompRecord[] = new Array<CompRecord>(DEALS_N);
  for (let g = 1; g <= DEALS_N; g += 1) {
    const h = Number((BigInt(g) * 2654435761n) % 4294967296n);
    records[g - 1] = {
      id: String(g), amountMinor: 100_000 + (Math.floor(h / 13) % 700_000), currency: 'EUR', ownerId: payeeIds[Math.floor(h / 17) % PAYEES] as string,
      date: formatEpochDay(start + (g % 90)), fields: { product: `Product ${h % 20}` },
    };
  }
  const plan = compilePlan(BENCH_COMP_PLAN);
  const result = calculatePayouts({
    period: parsed.period, plans: [plan],
    assignments: payeeIds.map((payeeId) => ({ payeeId, planId: 'ae', planVersion: 1, from: '2026-01-01' })),
    quotas: payeeIds.map((payeeId, n) => ({ payeeId, periodKey: '2026-Q1', quotaMinor: 30_000_000 + ((n + 1) % 21) * 1_000_000 })),
    records,
  });
  const lines = result.payees.flatMap((p) => p.lines);
  return { lines, payeeIds, credits: lines.reduce((n, l) => n + l.explanation.credits.length, 0) };
}

interface Row { label: string; ms: number; note: string }

/** CPU time (user + system) of a PostgreSQL backend on this machine, from /proc (NaN elsewhere, and for PGlite). */
function backendCpuMs(pid: number | null): number {
  if (pid === null) return Number.NaN;
  try {
    // Fields after the command name: state is the 3rd, utime the 14th, stime the 15th (clock ticks, 100 a second on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}
const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

async function benchBackend(label: string, db: Db, data: { lines: PayoutLine[]; payeeIds: string[] }): Promise<Row[]> {
  const rows: Row[] = [];
  const report = (row: Row): void => {
    console.log(`  ${row.label}: ${Number.isNaN(row.ms) ? '' : `${row.ms.toFixed(1)} ms, `}${row.note}`);
    rows.push(row);
  };
  const tenantId = randomUUID();
  await db.query(`INSERT INTO tenants (id, slug, name, currency) VALUES ($1, 'bench-lines', 'Bench Lines', 'EUR')`, [tenantId]);
  await db.query(
    `INSERT INTO payees (tenant_id, id, kind, display_name, currency) SELECT $1, p.id, 'employee', 'Rep ' || p.n, 'EUR' FROM unnest($2::uuid[]) WITH ORDINALITY AS p(id, n)`,
    [tenantId, data.payeeIds],
  );
  const store = wrapDb(db, await detectAppRole(db));
  const inTenant = <T>(fn: (scope: TenantScope) => Promise<T>): Promise<T> => store.inTenant(tenantId, { actor: SYSTEM_ACTOR }, fn);
  const newRun = async (): Promise<string> => {
    const runId = randomUUID();
    await inTenant((scope) => scope.tx.query(
      `INSERT INTO payout_runs (tenant_id, id, period_key, period_start, period_end) VALUES ($1, $2, $3, '2026-01-01', '2026-04-01')`,
      [tenantId, runId, `2026-Q1-${runId.slice(0, 8)}`],
    ));
    return runId;
  };

  // Each insert is a run of its own, in its own transaction (as calculateRun writes them), timed inside it.
  // CPU time too (this process, and the PostgreSQL backend's): the machine is shared, and wall time follows the load.
  const runs: { ms: number; load: string; clientCpu: number; serverCpu: number }[] = [];
  let runId = '';
  for (let i = 0; i < RUNS; i += 1) {
    if (runId !== '') await inTenant((scope) => scope.tx.query('DELETE FROM payout_runs WHERE tenant_id = $1 AND id = $2', [tenantId, runId]));
    runId = await newRun();
    const id = runId;
    const t = await inTenant(async (scope) => {
      const [backend] = label === 'PostgreSQL' ? await scope.tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid') : [];
      const server0 = backendCpuMs(backend?.pid ?? null);
      const client0 = cpuMs();
      const timed = await time(() => insertLines(scope, id, data.lines));
      return { ...timed, clientCpu: cpuMs() - client0, serverCpu: backendCpuMs(backend?.pid ?? null) - server0 };
    });
    runs.push({ ms: t.ms, load: load(2), clientCpu: t.clientCpu, serverCpu: t.serverCpu });
  }
  const ms = median(runs.map((r) => r.ms));
  const target = label === 'PostgreSQL' ? `; ${ms <= TARGET_MS ? 'target met' : 'target NOT met'} (≤ ${TARGET_MS / 1000} s)` : '';
  const cpu = (r: (typeof runs)[number]): string => `CPU ${r.clientCpu.toFixed(0)} here${Number.isNaN(r.serverCpu) ? '' : ` + ${r.serverCpu.toFixed(0)} server`}`;
  report({
    label: `${label}: insertLines (whole run)`, ms,
    note: `median of ${RUNS}: ${runs.map((r) => `${r.ms.toFixed(0)} ms (${cpu(r)}; load ${r.load})`).join(', ')}${target}`,
  });

  const [size] = await db.query<{ heap: string; toast: string }>(
    `SELECT pg_size_pretty(pg_relation_size('payout_lines')) AS heap, pg_size_pretty(coalesce(pg_total_relation_size(nullif(reltoastrelid, 0)), 0)) AS toast FROM pg_class WHERE relname = 'payout_lines'`,
  );
  report({ label: `${label}: stored size of one run`, ms: Number.NaN, note: `payout_lines heap ${size?.heap}, its TOAST ${size?.toast} (with the dead rows of ${RUNS - 1} deleted runs)` });

  if (process.env.BENCH_EXPLAIN === '1' && label === 'PostgreSQL') {
    // One 2,000-line statement of the run, as insertLines sends them (the plan's node and trigger times).
    const slice = data.lines.slice(0, 2000);
    const plan = await inTenant(async (scope) => {
      const explainRun = await newRun();
      return scope.tx.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS, WAL) INSERT INTO payout_lines (tenant_id, run_id, line_no, ${LINE_COLUMNS})
         SELECT $1, $2, $3::int + u.k, ${LINE_VALUES} FROM ${linesUnnest(4)}`,
        [tenantId, explainRun, 0, ...encodeLines(slice)],
      );
    });
    console.log(plan.map((r) => `    ${r['QUERY PLAN']}`).join('\n'));
  }

  // One payee's lines, as a statement page reads them.
  const payee = data.payeeIds[Math.floor(data.payeeIds.length / 2)] as string;
  const reads: number[] = [];
  let read = 0;
  for (let i = 0; i < 20; i += 1) {
    const t = await inTenant((scope) => time(() => listLines(scope, runId, [payee])));
    reads.push(t.ms);
    read = t.value.reduce((n, l) => n + l.explanation.credits.length, 0);
  }
  const expected = data.lines.filter((l) => l.payeeId === payee);
  const back = await inTenant((scope) => listLines(scope, runId, [payee]));
  const same = isDeepStrictEqual(back.map(({ runId: _r, lineNo: _n, ...line }) => line), expected);
  report({ label: `${label}: listLines of one payee`, ms: median(reads), note: `median of 20; ${back.length} lines, ${read} credits; read back as written: ${same ? 'yes' : 'NO'}; load ${load(2)}` });

  const whole = await inTenant((scope) => time(() => listLines(scope, runId)));
  report({ label: `${label}: listLines of the whole run`, ms: whole.ms, note: `${whole.value.length.toLocaleString('en')} lines; load ${load(2)}` });
  return rows;
}

async function main(): Promise<void> {
  const generated = await time(engineLines);
  const data = generated.value;
  console.log(
    `Attain payout-lines benchmark: ${data.lines.length.toLocaleString('en')} lines of ${PAYEES.toLocaleString('en')} payees carrying ${data.credits.toLocaleString('en')} credits ` +
    `(the engine's, ${DEALS_N.toLocaleString('en')} deals, in ${(generated.ms / 1000).toFixed(1)} s); load average ${load(2)} at start (shared machine)\n`,
  );
  const rows: Row[] = [];
  const encodes: number[] = [];
  for (let i = 0; i < RUNS; i += 1) encodes.push((await time(() => encodeLines(data.lines))).ms);
  rows.push({ label: 'encodeLines alone (JS)', ms: median(encodes), note: `median of ${RUNS}; all ${data.lines.length.toLocaleString('en')} lines; load ${load(2)}` });
  console.log(`  ${rows[0]?.label}: ${rows[0]?.ms.toFixed(1)} ms, ${rows[0]?.note}`);

  const postgres = await openPostgresBench('comp_lines_bench');
  if (postgres) {
    try {
      await migrate(postgres.db);
      rows.push(...(await benchBackend('PostgreSQL', postgres.db, data)));
    } finally {
      await postgres.cleanup();
    }
  }
  if (process.env.BENCH_PGLITE !== '0') {
    const embedded = await openEmbedded({});
    try {
      await migrate(embedded);
      rows.push(...(await benchBackend('PGlite', embedded, data)));
    } finally {
      await embedded.close();
    }
  }
  console.log(`\n${'measurement'.padEnd(44)}${'ms'.padStart(10)}  note`);
  for (const row of rows) console.log(`${row.label.padEnd(44)}${(Number.isNaN(row.ms) ? '—' : row.ms >= 100 ? row.ms.toFixed(0) : row.ms.toFixed(1)).padStart(10)}  ${row.note}`);
}

await main();

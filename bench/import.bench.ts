/**
 * Import throughput: a generated CSV of deals (a Salesforce opportunity report export) goes
 * through the real import pipeline — stream, parse, validate (pass 1), write in one
 * transaction (pass 2) — into PostgreSQL and into the embedded PGlite; then the same file
 * again (every row unchanged).
 *
 *   npx tsx bench/import.bench.ts
 *   BENCH_ROWS=100000 BENCH_BACKENDS=postgres npx tsx bench/import.bench.ts
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (the default)
 *
 * Prints rows/s per phase and the process's peak RSS after each backend (PostgreSQL runs
 * first, so its figure is the pipeline's own footprint; the embedded figure includes PGlite).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { SALESFORCE_OPPORTUNITIES } from '../src/core/data/builtin-mappings.js';
import { DEALS } from '../src/core/data/datasets.js';
import { generateOrg, type GeneratorConfig } from '../src/core/data/generator.js';
import { SALESFORCE_HEADERS, salesforceDealRows } from '../src/integrations/csv/crm-export.js';
import { openCsv } from '../src/integrations/csv/reader.js';
import { writeCsvFile } from '../src/integrations/csv/writer.js';
import { openEmbedded, openPostgres, type Db } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { createImport, runImport, type ImportJob, type ImportStatus } from '../src/store/repos/imports.js';
import { detectAppRole, wrapDb, type Store } from '../src/store/store.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const REPS = Number(process.env.BENCH_REPS ?? 10_000);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'postgres,embedded').split(',');
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = () => `${fmt(process.resourceUsage().maxRSS / 1024)} MB`;

async function openBackend(backend: string): Promise<{ store: Store; label: string; cleanup: () => Promise<void> }> {
  let db: Db;
  let cleanup: () => Promise<void>;
  let label: string;
  if (backend === 'postgres') {
    const name = `attain_import_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(DATABASE_URL);
    url.pathname = `/${name}`;
    db = await openPostgres({ url: url.toString() });
    const version = (await db.query<{ v: string }>(`SELECT current_setting('server_version') AS v`))[0]?.v ?? '?';
    label = `PostgreSQL ${version.split(' ')[0] ?? version}`;
    cleanup = async () => {
      await db.close();
      // pg's pool.end() resolves before its sockets are closed: let them go before dropping.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  } else {
    db = await openEmbedded({});
    label = 'PGlite (embedded, in memory)';
    cleanup = () => db.close();
  }
  await migrate(db);
  return { store: wrapDb(db, await detectAppRole(db)), label, cleanup };
}

async function seedWorkspace(store: Store, config: GeneratorConfig): Promise<string> {
  const tenantId = randomUUID();
  const org = generateOrg(config);
  await store.asSystem(async (tx) => {
    await tx.query(`INSERT INTO tenants (id, slug, name) VALUES ($1, 'bench', 'Bench Corp')`, [tenantId]);
    await tx.query(
      `INSERT INTO payees (tenant_id, id, kind, display_name, email, currency, external_ref)
       SELECT $1, gen_random_uuid(), 'employee', r.name, r.email, 'EUR', r.ref FROM unnest($2::text[], $3::text[], $4::text[]) AS r(name, email, ref)`,
      [tenantId, org.reps.map((r) => r.name), org.reps.map((r) => r.email), org.reps.map((r) => r.extRef)],
    );
  });
  return tenantId;
}

interface Phases { validateMs: number; writeMs: number; totalMs: number; job: ImportJob }

async function importOnce(store: Store, tenantId: string, file: string): Promise<Phases> {
  const importId = randomUUID();
  const actor = { userId: null, tokenId: null };
  await store.inTenant(tenantId, { actor }, (scope) =>
    createImport(scope, { id: importId, dataset: 'deals', source: 'cli', fileName: path.basename(file), mapping: SALESFORCE_OPPORTUNITIES, mappingName: 'salesforce', mode: 'atomic', dryRun: false }));
  const marks = new Map<ImportStatus, number>();
  const started = performance.now();
  const job = await runImport({
    store, tenantId, actor, importId, dataset: DEALS, mapping: SALESFORCE_OPPORTUNITIES, mode: 'atomic', dryRun: false,
    open: () => openCsv(file, { delimiter: ',' }),
    onProgress: (p) => {
      if (!marks.has(p.status)) marks.set(p.status, performance.now());
    },
  });
  const ended = performance.now();
  const writing = marks.get('writing') ?? ended;
  return { validateMs: writing - started, writeMs: ended - writing, totalMs: ended - started, job };
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'attain-import-bench-'));
  const file = path.join(dir, 'deals.csv');
  const config: GeneratorConfig = { seed: 7, start: '2024-07-01', today: '2026-06-30', reps: REPS, deals: ROWS };
  try {
    console.log(`Attain import benchmark — ${fmt(ROWS)} deals (Salesforce report CSV), ${fmt(REPS)} reps, Node ${process.version}, ${os.cpus().length} CPUs`);
    let t0 = performance.now();
    await writeCsvFile(file, SALESFORCE_HEADERS, salesforceDealRows(config));
    const seconds = (performance.now() - t0) / 1000;
    console.log(`generated ${fmt(ROWS)} rows, ${fmt((await stat(file)).size / 1024 / 1024)} MB, in ${seconds.toFixed(1)} s (${fmt(ROWS / seconds)} rows/s); peak RSS ${mb()}\n`);
    console.log('backend'.padEnd(34) + 'phase'.padEnd(24) + 'seconds'.padStart(9) + 'rows/s'.padStart(11) + '  result');
    for (const backend of BACKENDS) {
      const { store, label, cleanup } = await openBackend(backend);
      try {
        t0 = performance.now();
        const tenantId = await seedWorkspace(store, config);
        const line = (phase: string, ms: number, rows: number, result = '') =>
          console.log(label.padEnd(34) + phase.padEnd(24) + (ms / 1000).toFixed(1).padStart(9) + fmt(rows / (ms / 1000)).padStart(11) + `  ${result}`);
        line('seed 10k payees', performance.now() - t0, REPS);
        const first = await importOnce(store, tenantId, file);
        const j = first.job;
        if (j.status !== 'completed' || j.errorCount > 0) throw new Error(`import ${j.status}: ${JSON.stringify(j.errors.slice(0, 3))}`);
        line('1 parse + validate', first.validateMs, ROWS);
        line('2 parse + write (1 tx)', first.writeMs, ROWS, `inserted ${fmt(j.inserted)}`);
        line('import total', first.totalMs, ROWS, `peak RSS ${mb()}`);
        if (store.kind === 'embedded') await store.analyze();
        const again = await importOnce(store, tenantId, file);
        line('re-import: validate', again.validateMs, ROWS);
        line('re-import: write', again.writeMs, ROWS, `unchanged ${fmt(again.job.unchanged)}, updated ${fmt(again.job.updated)}`);
        line('re-import total', again.totalMs, ROWS, `peak RSS ${mb()}`);
      } finally {
        await cleanup();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

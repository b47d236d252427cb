/** Bench data shared by the benchmarks: a tenant with a million deals, and a throwaway PostgreSQL database. */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openPostgres, type Db } from '../src/store/db.js';

const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/postgres';

/** One tenant: a company with `teams` teams, `owners` payees, `deals` deals closing 2024–2026 (about 30 % won), by INSERT … SELECT. */
export async function seedDeals(db: Db, { deals: DEALS, owners: OWNERS, teams: TEAMS = 50 }: { deals: number; owners: number; teams?: number }): Promise<string> {
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

/**
 * A fresh database on the PostgreSQL server of BENCH_DATABASE_URL (default: the local one when
 * it answers; `none` skips), dropped by `cleanup`.
 */
export async function openPostgresBench(prefix: string): Promise<{ db: Db; cleanup: () => Promise<void> } | null> {
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
  const name = `${prefix}_${process.pid}`;
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


/** The comp plan of the payout-run benchmarks: marginal tiers with an accelerator, a component cap, a plan cap and a SPIFF. */
export const BENCH_COMP_PLAN = {
  schemaVersion: 1, id: 'ae', version: 1, name: 'AE bench', currency: 'EUR', effectiveFrom: '2026-01-01', cap: '50000',
  components: [
    { id: 'core', kind: 'commission', label: 'Commission', cap: '40000', rates: { basis: 'attainment', mode: 'marginal', baseRate: '6%', tiers: [{ from: '0', multiplier: '1' }, { from: '1', multiplier: '1.5' }, { from: '1.5', rate: '12%' }] } },
    { id: 'product-3', kind: 'spiff', label: 'Product 3 SPIFF', amount: '150', from: '2026-02-01', to: '2026-03-31', base: { kind: 'credits', where: [{ field: 'product', op: 'eq', value: 'Product 3' }] } },
  ],
} as const;

/**
 * One tenant ready for a payout run of 2026-Q1: `payees` payees in 50 teams, each assigned
 * BENCH_COMP_PLAN and given a locked quarterly quota (300,000–500,000 EUR), and `deals` won
 * deals closing in the quarter (1,000–8,000 EUR, 20 products), by INSERT … SELECT.
 */
export async function seedCompRun(db: Db, { payees: PAYEES, deals: DEALS }: { payees: number; deals: number }): Promise<{ tenantId: string; payeeIds: string[] }> {
  const tenantId = randomUUID();
  await db.query(`INSERT INTO tenants (id, slug, name, currency) VALUES ($1, 'bench-comp', 'Bench Comp', 'EUR')`, [tenantId]);
  const teamIds = Array.from({ length: 50 }, () => randomUUID());
  await db.query(`INSERT INTO teams (tenant_id, id, name, kind) SELECT $1, t.id, 'Team ' || t.n, 'team' FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, n)`, [tenantId, teamIds]);
  const payeeIds = Array.from({ length: PAYEES }, () => randomUUID()).sort();
  await db.query(
    `INSERT INTO payees (tenant_id, id, kind, display_name, team_id, currency)
     SELECT $1, p.id, 'employee', 'Rep ' || p.n, ($3::uuid[])[1 + (p.n % 50)], 'EUR' FROM unnest($2::uuid[]) WITH ORDINALITY AS p(id, n)`,
    [tenantId, payeeIds, teamIds],
  );
  await db.query(
    `INSERT INTO comp_plan_versions (tenant_id, plan_id, version, name, currency, effective_from, document) VALUES ($1, 'ae', 1, 'AE bench', 'EUR', '2026-01-01', $2)`,
    [tenantId, JSON.stringify(BENCH_COMP_PLAN)],
  );
  await db.query(
    `INSERT INTO comp_assignments (tenant_id, id, payee_id, plan_id, plan_version, valid_from) SELECT $1, gen_random_uuid(), p, 'ae', 1, '2026-01-01' FROM unnest($2::uuid[]) AS p`,
    [tenantId, payeeIds],
  );
  const quotaPlanId = randomUUID();
  const versionId = randomUUID();
  await db.query(`INSERT INTO quota_plans (tenant_id, id, name, fiscal_year, currency, target_minor) VALUES ($1, $2, 'FY2026', 2026, 'EUR', 0)`, [tenantId, quotaPlanId]);
  await db.query(
    `INSERT INTO quota_versions (tenant_id, id, plan_id, version, method, levels, effective_from, month_shares) VALUES ($1, $2, $3, 1, 'equal', 'teams', '2026-01-01', '[]')`,
    [tenantId, versionId, quotaPlanId],
  );
  await db.query(
    `INSERT INTO quota_lines (tenant_id, version_id, assignee_kind, assignee_id, period, quota_minor)
     SELECT $1, $2, 'rep', p.id, '2026-Q1', 30000000 + (p.n % 21) * 1000000 FROM unnest($3::uuid[]) WITH ORDINALITY AS p(id, n)`,
    [tenantId, versionId, payeeIds],
  );
  await db.query('UPDATE quota_versions SET locked_at = now() WHERE tenant_id = $1 AND id = $2', [tenantId, versionId]);
  const chunk = 100_000;
  for (let from = 1; from <= DEALS; from += chunk) {
    const to = Math.min(DEALS, from + chunk - 1);
    await db.query(
      `INSERT INTO records (tenant_id, dataset, ext_id, owner_payee_id, t1, t3, t4, t5, t7, t9, t10, n1, d1, d2, row_hash)
       SELECT $1, 'deals', 'CR' || g, ($2::uuid[])[1 + (h / 17 % $3)], 'Deal ' || g, 'EUR', 'closed_won',
              'Product ' || (h % 20), (ARRAY['EMEA','Americas','APAC'])[1 + (h % 3)], (ARRAY['new','renewal','upsell','cross_sell'])[1 + (h / 7 % 4)],
              (ARRAY['online','field','partner'])[1 + (h / 11 % 3)],
              100000 + (h / 13 % 700000), DATE '2026-01-01' + (g % 90) - 30, DATE '2026-01-01' + (g % 90), md5(g::text)
         FROM generate_series($4::int, $5::int) AS g, LATERAL (SELECT (g::bigint * 2654435761) % 4294967296 AS h) x`,
      [tenantId, payeeIds, PAYEES, from, to],
    );
    process.stdout.write(`\r  seeding won deals: ${to.toLocaleString('en')}`);
  }
  process.stdout.write('\n');
  return { tenantId, payeeIds };
}

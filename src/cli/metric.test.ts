import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEALS } from '../core/data/datasets.js';
import { insertTestRecords } from '../store/metrics/testing.js';
import { openStore } from '../store/store.js';
import { formatMoney } from './commands/metric.js';
import { attain } from '../../test/cli.js';



describe('attain metric', () => {
  let dir: string;
  let env: Record<string, string>;
  let ids: string[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'attain-metric-'));
    env = { ATTAIN_DATA_DIR: dir };
    expect((await attain(['tenant', 'add', '--slug', 'metrics', '--name', 'Metrics GmbH'], env)).code).toBe(0);
    // Two reps and their deals, written with plain SQL while no CLI process holds the store.
    const store = await openStore({ dataDir: dir, command: 'metric test' });
    try {
      const [tenant] = await store.asSystem((tx) => tx.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = 'metrics'`));
      if (!tenant) throw new Error('no workspace');
      ids = await store.inTenant(tenant.id, { actor: { userId: null, tokenId: null } }, async ({ tx }) => {
        const rita = randomUUID();
        const jonas = randomUUID();
        await tx.query(`INSERT INTO payees (tenant_id, id, kind, display_name, currency) VALUES ($1, $2, 'employee', 'Rita Schmidt', 'EUR'), ($1, $3, 'employee', 'Jonas Vogel', 'EUR')`, [tenant.id, rita, jonas]);
        const payee = (name: string) => (name === 'Rita Schmidt' ? rita : jonas);
        const deal = (extId: string, owner: string | null, amount: number, close: string) =>
          ({ extId, values: { owner, stage: 'closed_won', amount, created: '2026-01-02', close_date: close, region: 'EMEA' } });
        return insertTestRecords(tx, tenant.id, DEALS, [
          deal('CLI-1', payee('Rita Schmidt'), 150000, '2026-02-01'),
          deal('CLI-2', payee('Rita Schmidt'), 2550, '2026-03-31'),
          deal('CLI-3', payee('Jonas Vogel'), 99999, '2026-01-15'),
          deal('CLI-4', payee('Jonas Vogel'), 1000000, '2026-04-01'),
        ]);
      });
    } finally {
      await store.close();
    }
  }, 90_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('evaluates a metric per owner as an aligned table, money in major units', async () => {
    const result = await attain(['metric', 'eval', 'revenue', '--period', '2026-Q1', '--by', 'owner', '--tenant', 'metrics'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Revenue (revenue v1, catalogue) — 2026-Q1: 2026-01-01 … 2026-03-31');
    expect(lines.slice(2)).toEqual([
      'owner         value (EUR)  records',
      'Rita Schmidt      1525.50        2',
      'Jonas Vogel        999.99        1',
      'total             2525.49        3',
    ]);
  }, 60_000);

  it('prints the API’s result shape with --json, and lists the metrics', async () => {
    const result = await attain(['metric', 'eval', 'revenue', '--period', '2026-Q1', '--json', '--tenant', 'metrics'], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      metric: { key: 'revenue', version: 1, source: 'catalogue' }, period: { key: '2026-Q1', start: '2026-01-01', end: '2026-04-01' },
      groups: [], total: { value: '252549', recordCount: 3 },
    });
    const list = await attain(['metric', 'list', '--json', '--tenant', 'metrics'], env);
    const items = (JSON.parse(list.stdout) as { items: { key: string }[] }).items.map((m) => m.key);
    expect(items).toEqual(expect.arrayContaining(['revenue', 'deals_won', 'churn_rate']));
    expect(ids).toHaveLength(4);
  }, 60_000);

  it('explains mistakes with exit code 2', async () => {
    const unknown = await attain(['metric', 'eval', 'revenu', '--period', '2026-Q1', '--tenant', 'metrics'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No metric "revenu"');
    const period = await attain(['metric', 'eval', 'revenue', '--period', '2026-Q9', '--by', 'owner', '--tenant', 'metrics'], env);
    expect(period.code).toBe(2);
    expect(period.stderr).toContain('--period:');
  }, 60_000);

  it('formats minor units exactly', () => {
    expect(formatMoney('150000', 'EUR')).toBe('1500.00');
    expect(formatMoney('47500.25', 'EUR')).toBe('475.0025');
    expect(formatMoney('-5', 'EUR')).toBe('-0.05');
    expect(formatMoney('1234', 'JPY')).toBe('1234');
    expect(formatMoney('1234', 'KWD')).toBe('1.234');
  });
});

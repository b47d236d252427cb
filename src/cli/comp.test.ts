import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PayoutResultSchema, type PayoutResult } from '../core/comp/index.js';
import { attain as runAttain } from '../../test/cli.js';

const attain = (args: string[]) => runAttain(args, {});
const DATA = ['--deals', 'examples/comp/deals.csv', '--quotas', 'examples/comp/quotas.csv', '--payees', 'examples/comp/payees.csv', '--metrics', 'examples/comp/metrics.csv', '--scores', 'examples/comp/scores.csv'];
const PLANS = (await readdir('examples/plans')).filter((f) => f.endsWith('.yaml')).sort();

function payouts(stdout: string): PayoutResult {
  const json = JSON.parse(stdout) as unknown;
  const checked = PayoutResultSchema.safeParse(json);
  expect(checked.success ? [] : checked.error.issues).toEqual([]);
  return json as PayoutResult;
}

function expectLinesSumToTotals(result: PayoutResult): void {
  for (const payee of result.payees) expect(payee.lines.reduce((a, l) => a + l.amountMinor, 0), payee.payeeId).toBe(payee.totalMinor);
}

describe('attain comp calc', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'attain-comp-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each(PLANS)('calculates examples/plans/%s on the example data; the JSON fits the published schema', async (file) => {
    const effectiveFrom = String((parse(readFileSync(`examples/plans/${file}`, 'utf8')) as { effectiveFrom: string }).effectiveFrom);
    const period = effectiveFrom >= '2026-04-01' ? '2026-Q2' : '2026-Q1';
    const run = await attain(['comp', 'calc', '--plan', `examples/plans/${file}`, ...DATA, '--period', period, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = payouts(run.stdout);
    expect(result.periodKey).toBe(period);
    expect(result.issues).toEqual([]);
    expect(result.payees.length).toBeGreaterThan(0);
    expect(result.payees.every((p) => p.totalMinor > 0)).toBe(true);
    expectLinesSumToTotals(result);
  }, 120_000);

  it('runs every example plan together and shows every line kind of the examples (with --json and as tables)', async () => {
    const plans = PLANS.flatMap((f) => ['--plan', `examples/plans/${f}`]);
    const kinds = new Set<string>();
    for (const period of ['2026-Q1', '2026-Q2']) {
      const run = await attain(['comp', 'calc', ...plans, ...DATA, '--period', period, '--json']);
      expect(run.code, run.stderr).toBe(0);
      const result = payouts(run.stdout);
      expect(result.issues).toEqual([]);
      expectLinesSumToTotals(result);
      for (const p of result.payees) for (const l of p.lines) if (l.amountMinor !== 0) kinds.add(l.kind);
    }
    expect([...kinds].sort()).toEqual(['bonus', 'clawback', 'commission', 'draw_top_up', 'partner', 'spiff']);

    const text = await attain(['comp', 'calc', ...plans, ...DATA, '--period', '2026-Q2']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Payouts 2026-Q2 (2026-04-01 – 2026-06-30): 8 payees');
    expect(text.stdout).toMatch(/mia — Mia Moser {2}\[manager@2\]/);
    expect(text.stdout).toMatch(/cancellations +— +100 % +-3,707\.99/);
    expect(text.stdout).toContain('core commission of 3707.99 EUR paid in 2026-Q1 is reversed');
  }, 120_000);

  it('pays a flat 10 % on two deals exactly, rounding half away from zero once per line', async () => {
    const plan = path.join(dir, 'flat.yaml');
    await writeFile(plan, 'schemaVersion: 1\nid: flat\nversion: 1\nname: Flat ten\ncurrency: EUR\neffectiveFrom: "2026-01-01"\ncomponents:\n  - { id: core, kind: commission, rates: { basis: flat, rate: "10%" } }\n');
    const deals = path.join(dir, 'deals.csv');
    // 1,234.55 + 2,000.00 = 3,234.55 × 10 % = 323.455 → 323.46; a deal of another quarter does not count.
    await writeFile(deals, 'id,owner,amount,currency,date\na,ann,1234.55,EUR,2026-01-15\nb,ann,2000,EUR,2026-03-31\nc,ann,999.99,EUR,2026-04-01\n');
    const run = await attain(['comp', 'calc', '--plan', plan, '--deals', deals, '--period', '2026-Q1', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = payouts(run.stdout);
    expect(result.payees).toHaveLength(1);
    const ann = result.payees[0];
    expect(ann?.creditedMinor).toBe(323_455);
    expect(ann?.totalMinor).toBe(32_346);
    expect(ann?.lines.map((l) => [l.kind, l.amountMinor, l.explanation.rate])).toEqual([['commission', 32_346, '0.1']]);
    expect(ann?.lines[0]?.explanation.credits.map((c) => [c.recordId, c.creditedMinor, c.attributedMinor])).toEqual([['a', 123_455, 12_346], ['b', 200_000, 20_000]]);
    expect(result.totals).toEqual([{ currency: 'EUR', payees: 1, earningsMinor: 32_346, totalMinor: 32_346, revenueMinor: 323_455 }]);

    const text = await attain(['comp', 'calc', '--plan', plan, '--deals', deals, '--period', '2026-Q1']);
    expect(text.stdout).toMatch(/core +flat +10 % +323\.46/);
    expect(text.stdout).toContain('core: 3234.55 × 10 % = 323.46 EUR');
  }, 120_000);

  it('reports bad CSV rows with file, row, column, value and reason, exits 2 and computes nothing', async () => {
    const deals = path.join(dir, 'bad-deals.csv');
    await writeFile(deals, 'id,owner,amount,currency,date,splits\nok,ann,10.00,EUR,2026-01-15,\nx1,ann,"12,50",EUR,2026-01-16,\nx2,bob,5.001,EUR,2026-02-30,\nx3,ann,100,EUR,2026-01-20,ann:60;bob:30\n');
    const run = await attain(['comp', 'calc', '--plan', 'examples/plans/account-executive-retroactive.yaml', '--deals', deals, '--period', '2026-Q1', '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('nothing was calculated');
    expect(run.stderr).toContain(`${deals} row 2 (line 3), column amount: "12,50" is not an amount of EUR in major units with at most 2 decimals after a decimal point`);
    expect(run.stderr).toContain(`${deals} row 3 (line 4), column date: "2026-02-30" is not a date as YYYY-MM-DD`);
    expect(run.stderr).toContain(`${deals} row 3 (line 4), column amount: "5.001"`);
    expect(run.stderr).toContain(`${deals} row 4 (line 5), column splits: "ann:60;bob:30" has percentages that do not sum to exactly 100`);

    const quotas = path.join(dir, 'bad-quotas.csv');
    await writeFile(quotas, 'payee,period,quota\nann,2026-Q5,100\n');
    const bad = await attain(['comp', 'calc', '--plan', 'examples/plans/account-executive-retroactive.yaml', '--deals', 'examples/comp/deals.csv', '--quotas', quotas, '--period', '2026-Q1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${quotas} row 1 (line 2), column period: "2026-Q5" is not a period`);

    const missing = path.join(dir, 'no-amount.csv');
    await writeFile(missing, 'id,owner,currency,date\n');
    const noColumn = await attain(['comp', 'calc', '--plan', 'examples/plans/account-executive-retroactive.yaml', '--deals', missing, '--period', '2026-Q1']);
    expect(noColumn.code).toBe(2);
    expect(noColumn.stderr).toContain(`${missing}: missing column amount`);
  }, 120_000);

  it('reports each issue of a bad plan with its file and path, and exits 2', async () => {
    const plan = path.join(dir, 'bad-plan.yaml');
    await writeFile(plan, 'schemaVersion: 1\nid: bad\nversion: 1\nname: Bad\ncurrency: EUR\neffectiveFrom: "2026-01-01"\ncomponents:\n  - id: core\n    kind: commission\n    rates: { basis: attainment, mode: marginal, tiers: [{ from: "0.5", rate: "5%" }] }\n');
    const run = await attain(['comp', 'calc', '--plan', plan, '--deals', 'examples/comp/deals.csv', '--period', '2026-Q1']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`${plan.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: components\\.0\\.rates\\.tiers\\.0\\.from: .+\\[first_tier_not_zero\\]`));
    const period = await attain(['comp', 'calc', '--plan', 'examples/plans/account-executive-retroactive.yaml', '--deals', 'examples/comp/deals.csv', '--period', '2026-Q7']);
    expect(period.code).toBe(2);
    expect(period.stderr).toContain('--period: "2026-Q7" is not a period');
  }, 120_000);
});

describe('attain comp simulate', () => {
  it('prints both plans’ totals, cost share of revenue and winners and losers side by side', async () => {
    const args = ['comp', 'simulate', '--plan', 'examples/plans/account-executive-marginal.yaml', '--against', 'examples/plans/account-executive-retroactive.yaml', '--deals', 'examples/comp/deals.csv', '--quotas', 'examples/comp/quotas.csv', '--period', '2026-Q1'];
    const json = await attain([...args, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout) as { baseline: { costMinor: number }[]; scenario: { costMinor: number }[]; payees: unknown[]; baselineRun: PayoutResult; scenarioRun: PayoutResult };
    expect(PayoutResultSchema.safeParse(result.baselineRun).success).toBe(true);
    expect(PayoutResultSchema.safeParse(result.scenarioRun).success).toBe(true);
    const baseline = result.baseline[0]?.costMinor ?? 0;
    const scenario = result.scenario[0]?.costMinor ?? 0;
    expect(baseline).toBe(result.baselineRun.totals[0]?.earningsMinor);
    expect(scenario).toBe(result.scenarioRun.totals[0]?.earningsMinor);
    expect(baseline).not.toBe(scenario);

    const text = await attain(args);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('What-if 2026-Q1: ae-marginal@1 (baseline) against ae-retroactive@1 (scenario)');
    const money = (minor: number) => (minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2 });
    expect(text.stdout).toMatch(new RegExp(`Total cost \\(earnings\\) +${money(baseline)} +${money(scenario)}`));
    expect(text.stdout).toMatch(/Cost share of revenue +\d+\.?\d* % +\d+\.?\d* %/);
    expect(text.stdout).toContain('Biggest winners:');
    expect(text.stdout).toContain('Biggest losers:');
  }, 120_000);

  it('needs one --against per --plan', async () => {
    const run = await attain(['comp', 'simulate', '--plan', 'examples/plans/account-executive-marginal.yaml', '--deals', 'examples/comp/deals.csv', '--period', '2026-Q1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('give at least one --against <file>');
  }, 120_000);
});

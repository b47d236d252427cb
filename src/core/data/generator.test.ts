import { describe, expect, it } from 'vitest';
import { declareDataset } from './dataset-declaration.js';
import { ACCOUNTS, ACTIVITIES, DEALS, LEADS, TICKETS, type DatasetDef } from './datasets.js';
import {
  createRng,
  DISTRIBUTOR_PROGRAMME,
  generateAccounts,
  generateActivities,
  generateDeals,
  generateDistributorProgramme,
  generatedCounts,
  generateLeads,
  generateOrg,
  generateTickets,
  type GeneratorConfig,
} from './generator.js';
import { buildPayeeDirectory } from './payee-directory.js';
import { mapJsonRecord, type RecordInput } from './record-input.js';

const config: GeneratorConfig = { seed: 42, start: '2024-07-01', today: '2026-06-30', reps: 24, deals: 3000 };
const take = <T>(iterable: Iterable<T>, n: number): T[] => {
  const out: T[] = [];
  for (const item of iterable) {
    out.push(item);
    if (out.length >= n) break;
  }
  return out;
};

describe('the sales data generator', () => {
  it('is deterministic for a seed, and different for another', () => {
    expect(take(generateDeals(config), 50)).toEqual(take(generateDeals(config), 50));
    expect(take(generateDeals({ ...config, seed: 43 }), 50)).not.toEqual(take(generateDeals(config), 50));
    const a = createRng(7);
    const b = createRng(7);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('streams: the millionth deal costs no more memory than the first (nothing is precomputed per deal)', () => {
    const big = { ...config, reps: 10_000, deals: 1_000_000 };
    const first = take(generateDeals(big), 3);
    expect(first.map((d) => d.extId)).toEqual(['D-0000001', 'D-0000002', 'D-0000003']);
    expect(generatedCounts(big)).toMatchObject({ deals: 1_000_000, accounts: 200_000 });
  });

  it('builds an org of regions, teams of about eight and reps with start dates', () => {
    const org = generateOrg(config);
    expect(org.reps).toHaveLength(24);
    expect(new Set(org.reps.map((r) => r.email)).size).toBe(24);
    expect(org.regions.map((r) => r.name)).toEqual(['EMEA', 'Americas', 'APAC']);
    expect(org.regions.flatMap((r) => r.teams)).toHaveLength(3);
    expect(org.reps.some((r) => r.startDate > config.start)).toBe(true);
    expect(generateOrg({ ...config, reps: 10_000 }).regions.flatMap((r) => r.teams)).toHaveLength(1250);
  });

  it('produces records that every dataset accepts, owned by the org’s reps and partners', () => {
    const org = generateOrg(config);
    const payees = buildPayeeDirectory([...org.reps, ...org.partners].map((p) => ({ id: `00000000-0000-4000-8000-${p.extRef.replace(/\D/g, '').padStart(12, '0')}`, externalRef: p.extRef, email: null, displayName: p.name })));
    const programme = declareDataset(DISTRIBUTOR_PROGRAMME);
    if (!programme.ok) throw new Error('programme');
    const check = (dataset: DatasetDef, rows: Iterable<RecordInput>) => {
      let n = 0;
      for (const input of rows) {
        const result = mapJsonRecord(dataset, input, { tenantCurrency: 'EUR', payees }, `${dataset.key}.${n}`);
        if (!result.ok) throw new Error(JSON.stringify({ input, issues: result.issues }));
        n += 1;
      }
      return n;
    };
    const small = { ...config, deals: 500, leads: 300, activities: 300, tickets: 200 };
    expect(check(ACCOUNTS, generateAccounts(small))).toBe(100);
    expect(check(DEALS, generateDeals(small))).toBe(500);
    expect(check(LEADS, generateLeads(small))).toBe(300);
    expect(check(ACTIVITIES, generateActivities(small))).toBe(300);
    expect(check(TICKETS, generateTickets(small))).toBe(200);
    expect(check(programme.dataset, generateDistributorProgramme(small))).toBe(8 * 24);
  });

  it('makes deals look like a sales business: log-normal sizes, win rates, seasonality, cycles, types', () => {
    const deals = [...generateDeals(config)].map((d) => d.values);
    const amounts = deals.map((d) => Number(d.amount)).sort((x, y) => x - y);
    const median = amounts[amounts.length >> 1] ?? 0;
    const p90 = amounts[Math.floor(amounts.length * 0.9)] ?? 0;
    expect(median).toBeGreaterThan(3000);
    expect(median).toBeLessThan(30_000);
    expect(p90 / median).toBeGreaterThan(3); // a long right tail
    const closed = deals.filter((d) => d.stage === 'closed_won' || d.stage === 'closed_lost');
    const winRate = closed.filter((d) => d.stage === 'closed_won').length / closed.length;
    expect(winRate).toBeGreaterThan(0.25);
    expect(winRate).toBeLessThan(0.6);
    expect(deals.filter((d) => String(d.close_date) > config.today).every((d) => !String(d.stage).startsWith('closed'))).toBe(true);
    expect(deals.every((d) => String(d.close_date) >= String(d.created) && String(d.created) >= config.start)).toBe(true);
    // More deals are created in the last month of a quarter than in its first.
    const byMonthInQuarter = [0, 0, 0];
    for (const d of deals) {
      const slot = (Number(String(d.created).slice(5, 7)) - 1) % 3;
      byMonthInQuarter[slot] = (byMonthInQuarter[slot] ?? 0) + 1;
    }
    expect(byMonthInQuarter[2]).toBeGreaterThan(byMonthInQuarter[0] ?? 0);
    const types = new Set(deals.map((d) => d.type));
    expect([...types].sort()).toEqual(['cross_sell', 'new', 'renewal', 'upsell']);
    const won = deals.filter((d) => d.stage === 'closed_won' && d.contract_start);
    expect(won.every((d) => String(d.contract_end) > String(d.contract_start) && ['12', '24', '36'].includes(String(d.term_months)))).toBe(true);
  });

  it('resolves tickets within a day about two times in three, and scores satisfaction 1–5', () => {
    const tickets = [...generateTickets({ ...config, tickets: 2000 })].map((t) => t.values).filter((t) => t.resolved_at);
    const hours = tickets.map((t) => (Date.parse(String(t.resolved_at)) - Date.parse(String(t.opened_at))) / 3_600_000);
    const within24 = hours.filter((h) => h <= 24).length / hours.length;
    expect(within24).toBeGreaterThan(0.55);
    expect(within24).toBeLessThan(0.9);
    expect(tickets.every((t) => Number(t.satisfaction) >= 1 && Number(t.satisfaction) <= 5)).toBe(true);
  });
});

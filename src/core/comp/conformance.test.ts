/**
 * Conformance: worked commission examples from public sources, run through the whole
 * engine (plan document → calculatePayouts). Each case cites where its numbers come from.
 */
import { describe, expect, it } from 'vitest';
import { calculatePayouts } from './calculate.js';
import type { CompPlanDocumentInput } from './plan-document.js';
import { makeDeal, makePlan, periodOf } from './test-fixtures.js';

type Rates = Extract<NonNullable<CompPlanDocumentInput['components']>[number], { kind: 'commission' }>['rates'];

/** Pays one payee's credits (major units) through one commission component. */
function pay(rates: Rates, amountMajor: number, quotaMajor?: number): number {
  const plan = makePlan({ currency: 'USD', components: [{ id: 'core', kind: 'commission', rates }] });
  const result = calculatePayouts({
    period: periodOf('2026-Q1'),
    plans: [plan],
    assignments: [{ payeeId: 'rep', planId: 'ae', planVersion: 1, from: '2026-01-01' }],
    quotas: quotaMajor === undefined ? [] : [{ payeeId: 'rep', periodKey: '2026-Q1', quotaMinor: Math.round(quotaMajor * 100) }],
    records: [makeDeal({ ownerId: 'rep', currency: 'USD', amountMinor: Math.round(amountMajor * 100) })],
  });
  const payee = result.payees[0];
  if (!payee) throw new Error('no payee');
  return payee.totalMinor / 100;
}

const byAmount = (mode: 'marginal' | 'retroactive' | 'highest_rate', tiers: [string, string][]): Rates => ({ basis: 'amount', mode, tiers: tiers.map(([from, rate]) => ({ from, rate })) });

describe('conformance with published commission examples', () => {
  // Aptify knowledge base, "Graduated Rate Scale vs. Highest Tier Achievement Only":
  // tiers $0–5,000 at 5 %, $5,000–10,000 at 10 %, $10,000+ at 15 %; on $11,000 graduated
  // pays $900.00, highest tier achieved pays $1,650.00.
  // https://aptifykb.atlassian.net/wiki/pages/diffpagesbyversion.action?pageId=15417386804&selectedPageVersions=3&selectedPageVersions=4
  it('Aptify: graduated (marginal) vs highest tier achieved (retroactive) on $11,000', () => {
    const tiers: [string, string][] = [['0', '5%'], ['5000', '10%'], ['10000', '15%']];
    expect(pay(byAmount('marginal', tiers), 11_000)).toBe(900);
    expect(pay(byAmount('retroactive', tiers), 11_000)).toBe(1650);
    expect(pay(byAmount('highest_rate', tiers), 11_000)).toBe(1650);
  });

  // MyTime help centre, "Tiered Commission by Revenue: Amount Above Earned Breakdown":
  // 25 % up to $500, 30 % from $500 to $3,000, 40 % above; pay cycles of $400 → $100,
  // $100 → $25, $5,000 → $1,675.00. (The page's third cycle, $1,500 → $424.98, does not
  // follow from its own arithmetic: 499.99 × 25 % + 1,000.01 × 30 % = 425.0005 → $425.00.)
  // https://help.mytime.com/hc/en-us/articles/360046956372-Tiered-Commission-by-Revenue-Amount-Above-Earned-Breakdown
  it('MyTime: marginal tiers by revenue per pay cycle', () => {
    const tiers = byAmount('marginal', [['0', '25%'], ['500', '30%'], ['3000', '40%']]);
    expect(pay(tiers, 400)).toBe(100);
    expect(pay(tiers, 100)).toBe(25);
    expect(pay(tiers, 5000)).toBe(1675);
    expect(pay(tiers, 1500)).toBe(425);
  });

  // Excel Forum thread "vlookup for multiple results" (accelerators over quota): 5 % up to
  // the $100,000 quota, one point more from $100,000 to $125,000, another above; "if they
  // did $150,000 … their commission would be $5,000 + $1,500 + $1,750".
  // https://excelforum.com/excel-formulas-and-functions/861932-vlookup-for-multiple-results-without-duplicates-prev-thread.html
  it('Excel Forum: accelerators by quota attainment, $150,000 on a $100,000 quota', () => {
    const rates: Rates = { basis: 'attainment', mode: 'marginal', tiers: [{ from: '0', rate: '5%' }, { from: '1', rate: '6%' }, { from: '1.25', rate: '7%' }] };
    expect(pay(rates, 150_000, 100_000)).toBe(8250);
    // The same accelerators written as multipliers on a 5 % base rate.
    const multipliers: Rates = { basis: 'attainment', mode: 'marginal', baseRate: '5%', tiers: [{ from: '0', multiplier: '1' }, { from: '1', multiplier: '1.2' }, { from: '1.25', multiplier: '1.4' }] };
    expect(pay(multipliers, 150_000, 100_000)).toBe(8250);
  });

  // salestool "Tiered Commission Calculator" model card: 5 % on the first $10,000, 7 % on
  // the next $15,000, 10 % above $25,000; marginal on $30,000 = $2,050.
  // https://huggingface.co/salestool/TieredCommissionCalculator
  it('salestool: marginal tiers on $30,000', () => {
    expect(pay(byAmount('marginal', [['0', '5%'], ['10000', '7%'], ['25000', '10%']]), 30_000)).toBe(2050);
  });

  // Prowi, "Tiered commission": 5 % to $75,000, 7 % to $150,000, 10 % to $300,000, 12 %
  // above; on $375,000 the tiered plan pays $6,750 more than a flat 7 % ($26,250).
  // https://prowi.io/en/post/tiered-commission
  it('Prowi: four marginal tiers on $375,000 against a flat 7 %', () => {
    const tiered = pay(byAmount('marginal', [['0', '5%'], ['75000', '7%'], ['150000', '10%'], ['300000', '12%']]), 375_000);
    const flat = pay({ basis: 'flat', rate: '7%' }, 375_000);
    expect(flat).toBe(26_250);
    expect(tiered - flat).toBe(6750);
    expect(tiered).toBe(33_000);
  });

  // OCA commission (Odoo), commission/models/commission.py `calculate_section`: the whole
  // base is paid at the percent of the section it falls in, nothing outside every section;
  // the section of commission/tests/test_commission.py is 15,000–16,000 at 20 %.
  // https://github.com/OCA/commission (commission/models/commission.py, commission/tests/test_commission.py)
  it('OCA commission: a "by sections" commission is a retroactive table', () => {
    const sections = byAmount('retroactive', [['0', '0'], ['15000', '20%'], ['16000.01', '0']]);
    expect(pay(sections, 15_100)).toBe(3020);
    expect(pay(sections, 14_999)).toBe(0);
    expect(pay(sections, 17_000)).toBe(0);
    // highest_rate keeps the best rate reached, where Odoo's sections pay nothing above the last one.
    expect(pay(byAmount('highest_rate', [['0', '0'], ['15000', '20%'], ['16000.01', '0']]), 17_000)).toBe(3400);
  });

  // Sales Cookie, "What is the difference between cumulative and non-cumulative tiers":
  // under 100 % of quota 6 %, 100–150 % 8 %, above 150 % 10 %; at 110 % non-cumulative uses
  // tier B alone, cumulative pays part from tier A and part from tier B. (The page gives no
  // amounts; with a $100,000 quota and $110,000 credited those are $8,800 and $6,800.)
  // https://support2.salescookie.com/portal/en/kb/articles/kb-what-is-the-difference-between-cumulative-and-non-cumulative-tiers
  it('Sales Cookie: cumulative (marginal) vs non-cumulative (retroactive) at 110 %', () => {
    const tiers = [{ from: '0', rate: '6%' }, { from: '1', rate: '8%' }, { from: '1.5', rate: '10%' }];
    expect(pay({ basis: 'attainment', mode: 'retroactive', tiers }, 110_000, 100_000)).toBe(8800);
    expect(pay({ basis: 'attainment', mode: 'marginal', tiers }, 110_000, 100_000)).toBe(6800);
  });

  // Xactly help centre, "How Bonuses are Evaluated for Calculation": the "Scanner 400 SPIF",
  // 01/01/2006–12/31/2006, "$250 bonus for selling 10 XScan 400 scanners per order", every
  // time an order has product XScan 400 and quantity ≥ 10. The same page's draw types: a
  // non-recoverable guarantee pays the difference between the draw and what was earned and
  // does not recover it; a recoverable guarantee does.
  // https://helpcenter.xactlycorp.com/?p=5396
  it('Xactly: a SPIFF per qualifying order, and guarantees (draws)', () => {
    const plan = makePlan({
      currency: 'USD', effectiveFrom: '2006-01-01',
      components: [
        { id: 'scanner-400', kind: 'spiff', amount: '250', from: '2006-01-01', to: '2006-12-31', base: { kind: 'credits', where: [{ field: 'product', op: 'eq', value: 'XScan 400' }, { field: 'quantity', op: 'gte', value: 10 }] } },
        { id: 'guarantee', kind: 'draw', amount: '1000', recoverable: false },
      ],
    });
    const order = (quantity: number, product = 'XScan 400') => makeDeal({ ownerId: 'rep', currency: 'USD', date: '2006-05-10', amountMinor: quantity * 50_000, fields: { product, quantity } });
    const run = (orders: ReturnType<typeof order>[]) =>
      calculatePayouts({ period: periodOf('FY2006'), plans: [plan], assignments: [{ payeeId: 'rep', planId: 'ae', planVersion: 1, from: '2006-01-01' }], records: orders }).payees[0];
    const few = run([order(12), order(9), order(10), order(20, 'XScan 300')]);
    expect(few?.lines.map((l) => [l.kind, l.amountMinor])).toEqual([['spiff', 50_000], ['draw_top_up', 50_000]]);
    expect([few?.totalMinor, few?.drawBalanceOutMinor]).toEqual([100_000, 0]);
    const many = run([order(10), order(10), order(10), order(10), order(11)]);
    expect(many?.lines.map((l) => [l.kind, l.amountMinor])).toEqual([['spiff', 125_000]]);
  });
});

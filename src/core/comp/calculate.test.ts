import { describe, expect, it } from 'vitest';
import { calculatePayouts } from './calculate.js';
import type { CompRecord } from './crediting.js';
import type { CompPlanDocumentInput } from './plan-document.js';
import type { CompPlan } from './plan.js';
import type { CalculationInput } from './payout-types.js';
import { makeDeal, makePlan, periodOf } from './test-fixtures.js';

const Q1 = periodOf('2026-Q1'); // 90 days
const assign = (payeeId = 'ann', planVersion = 1, from = '2026-01-01', to?: string) => ({ payeeId, planId: 'ae', planVersion, from, ...(to ? { to } : {}) });

function run(plan: CompPlan | CompPlan[], records: CompRecord[], extra: Partial<CalculationInput> = {}) {
  return calculatePayouts({
    period: Q1,
    plans: Array.isArray(plan) ? plan : [plan],
    assignments: [assign()],
    quotas: [{ payeeId: 'ann', periodKey: '2026-Q1', quotaMinor: 10_000_000 }],
    records,
    ...extra,
  });
}
const payee = (result: ReturnType<typeof run>, id = 'ann') => {
  const p = result.payees.find((x) => x.payeeId === id);
  if (!p) throw new Error(`no payee ${id}`);
  return p;
};
const components = (...c: NonNullable<CompPlanDocumentInput['components']>) => makePlan({ components: c });

describe('calculatePayouts: tier modes (quota 100,000.00, credits 120,000.00)', () => {
  const tiers = [{ from: '0', rate: '5%' }, { from: '1', rate: '8%' }];
  const deals = [makeDeal({ amountMinor: 7_000_000 }), makeDeal({ amountMinor: 5_000_000 })];
  it('marginal: each band pays its own slice (5,000 + 1,600)', () => {
    const p = payee(run(components({ id: 'core', kind: 'commission', rates: { basis: 'attainment', mode: 'marginal', tiers } }), deals));
    expect(p.totalMinor).toBe(660_000);
    expect(p.attainment).toBe('1.2');
    const line = p.lines[0];
    expect(line?.explanation.steps.map((s) => s.value)).toEqual(['120000.00', '1.2', '5000.00', '1600.00', '6600.00']);
    expect(line?.explanation.credits.reduce((a, c) => a + c.attributedMinor, 0)).toBe(660_000);
  });
  it('retroactive: the tier reached prices everything (120,000 × 8 %)', () => {
    expect(payee(run(components({ id: 'core', kind: 'commission', rates: { basis: 'attainment', mode: 'retroactive', tiers } }), deals)).totalMinor).toBe(960_000);
  });
  it('highest_rate: the best rate reached, even when a later tier decelerates', () => {
    const decel = [{ from: '0', rate: '5%' }, { from: '1', rate: '8%' }, { from: '1.1', rate: '3%' }];
    expect(payee(run(components({ id: 'core', kind: 'commission', rates: { basis: 'attainment', mode: 'highest_rate', tiers: decel } }), deals)).totalMinor).toBe(960_000);
    expect(payee(run(components({ id: 'core', kind: 'commission', rates: { basis: 'attainment', mode: 'retroactive', tiers: decel } }), deals)).totalMinor).toBe(360_000);
  });
  it('says how far the next tier is', () => {
    const p = payee(run(components({ id: 'core', kind: 'commission', rates: { basis: 'attainment', mode: 'marginal', tiers } }), [makeDeal({ amountMinor: 9_000_000 })]));
    expect(p.lines[0]?.explanation.next).toEqual({ tierIndex: 1, label: 'tier 2', rate: '0.08', remaining: '1000000' });
  });
  it('prices at the first tier and warns when there is no quota', () => {
    const p = payee(run(components({ id: 'core', kind: 'commission', rates: { basis: 'attainment', mode: 'marginal', tiers } }), deals, { quotas: [] }));
    expect(p.totalMinor).toBe(600_000);
    expect(p.lines[0]?.warnings.map((w) => w.code)).toEqual(['no_quota']);
  });
});

describe('calculatePayouts: thresholds, caps and floors', () => {
  const deal = makeDeal({ amountMinor: 4_000_000 });
  it('pays nothing below an attainment threshold', () => {
    const plan = components({ id: 'core', kind: 'commission', rates: { basis: 'flat', rate: '10%' }, threshold: { attainment: '0.5' } });
    expect(payee(run(plan, [deal])).totalMinor).toBe(0);
    expect(payee(run(plan, [deal, makeDeal({ amountMinor: 1_000_000 })])).totalMinor).toBe(500_000);
  });
  it('caps and floors a component', () => {
    const capped = components({ id: 'core', kind: 'commission', rates: { basis: 'flat', rate: '10%' }, cap: '3000' });
    expect(payee(run(capped, [deal])).totalMinor).toBe(300_000);
    const floored = components({ id: 'core', kind: 'commission', rates: { basis: 'flat', rate: '10%' }, floor: '5000' });
    expect(payee(run(floored, [deal])).totalMinor).toBe(500_000);
  });
  it('caps the plan with a plan_cap line that explains itself', () => {
    const plan = makePlan({ cap: '4500', components: [{ id: 'core', kind: 'commission', rates: { basis: 'flat', rate: '10%' } }, { id: 'kicker', kind: 'spiff', amount: '1000' }] });
    const p = payee(run(plan, [deal]));
    expect(p.lines.map((l) => [l.kind, l.amountMinor])).toEqual([['commission', 400_000], ['spiff', 100_000], ['plan_cap', -50_000]]);
    expect(p.totalMinor).toBe(450_000);
  });
  it('rounds once at the line, half away from zero', () => {
    // 3 deals of 0.05 at 10 % = 0.015 → 0.02 (per-deal rounding would give 0.03 or 0.00)
    const plan = components({ id: 'core', kind: 'commission', rates: { basis: 'flat', rate: '10%' } });
    expect(payee(run(plan, [makeDeal({ amountMinor: 5 }), makeDeal({ amountMinor: 5 }), makeDeal({ amountMinor: 5 })])).totalMinor).toBe(2);
    expect(payee(run(plan, [makeDeal({ amountMinor: -15 })])).totalMinor).toBe(-2);
  });
});

describe('calculatePayouts: SPIFFs, bonuses, partner programmes', () => {
  it('pays a SPIFF per qualifying record in its date range, shared by split', () => {
    const plan = components({ id: 'x', kind: 'spiff', amount: '250', from: '2026-02-01', to: '2026-02-28', base: { kind: 'credits', where: [{ field: 'product', op: 'eq', value: 'X' }] } });
    const deals = [
      makeDeal({ fields: { product: 'X' } }),
      makeDeal({ fields: { product: 'Y' } }),
      makeDeal({ fields: { product: 'X' }, date: '2026-03-05' }),
      makeDeal({ fields: { product: 'X' }, splits: [{ payeeId: 'ann', percent: '60' }, { payeeId: 'bob', percent: '40' }] }),
    ];
    const p = payee(run(plan, deals));
    expect(p.totalMinor).toBe(25_000 + 15_000);
    expect(p.lines[0]?.explanation.credits.map((c) => c.attributedMinor)).toEqual([25_000, 15_000]);
  });
  it('pays a SPIFF as a rate on the credited amount', () => {
    const plan = components({ id: 'x', kind: 'spiff', rate: '2%' });
    expect(payee(run(plan, [makeDeal({ amountMinor: 1_234_567 })])).totalMinor).toBe(24_691);
  });
  it('pays a step bonus on attainment and a curve bonus on a committed score', () => {
    const plan = components(
      { id: 'club', kind: 'bonus', on: { kind: 'attainment' }, payout: { kind: 'step', steps: [{ at: '0.8', amount: '1000' }, { at: '1', amount: '5000' }] } },
      { id: 'mbo', kind: 'bonus', on: { kind: 'score', key: 'kr-nps' }, payout: { kind: 'curve', points: [{ at: '0.5', amount: '0' }, { at: '1', amount: '2000' }] } },
    );
    const p = payee(run(plan, [makeDeal({ amountMinor: 9_000_000 })], { scores: [{ payeeId: 'ann', key: 'kr-nps', score: 0.7, commitment: 'committed' }] }));
    expect(p.lines.map((l) => l.amountMinor)).toEqual([100_000, 80_000]);
  });
  it('rejects aspirational scores unless the plan allows them, with a warning either way', () => {
    const bonus = (allowAspirational: boolean) => components({ id: 'mbo', kind: 'bonus', allowAspirational, on: { kind: 'score', key: 'kr' }, payout: { kind: 'step', steps: [{ at: '0.6', amount: '1000' }] } });
    const scores = [{ payeeId: 'ann', key: 'kr', score: '0.7', commitment: 'aspirational' as const }];
    const rejected = payee(run(bonus(false), [], { scores }));
    expect(rejected.totalMinor).toBe(0);
    expect(rejected.lines[0]?.warnings[0]?.code).toBe('aspirational_score_rejected');
    const allowed = payee(run(bonus(true), [], { scores }));
    expect(allowed.totalMinor).toBe(100_000);
    expect(allowed.lines[0]?.warnings[0]?.code).toBe('aspirational_score_used');
  });
  it('pays partner rates per unit of a custom-dataset metric, tiered by volume', () => {
    const plan = makePlan({
      payeeKind: 'partner',
      components: [{ id: 'consumption', kind: 'partner', base: { kind: 'metric', metric: 'gb_consumed', unit: 'quantity' }, rates: { basis: 'amount', mode: 'marginal', tiers: [{ from: '0', rate: '0.002' }, { from: '100000', rate: '0.003' }] } }],
    });
    const p = payee(run(plan, [], { metricValues: [{ payeeId: 'ann', metric: 'gb_consumed', value: '150000' }] }));
    expect(p.totalMinor).toBe(20_000 + 15_000); // 100,000 × 0.002 + 50,000 × 0.003 EUR
    expect(p.lines[0]?.explanation.rate).toBe('0.003');
    expect(p.lines[0]?.explanation.text).toBe('consumption: 100000 × 0.002 EUR per unit + 50000 × 0.003 EUR per unit = 350.00 EUR');
  });
  it('pays a commission on a money metric (deposits in minor units)', () => {
    const plan = components({ id: 'deposits', kind: 'commission', base: { kind: 'metric', metric: 'deposits', unit: 'money' }, rates: { basis: 'flat', rate: '0.5%' } });
    expect(payee(run(plan, [], { metricValues: [{ payeeId: 'ann', metric: 'deposits', value: '10000000' }] })).totalMinor).toBe(50_000);
  });
});

describe('calculatePayouts: draws', () => {
  const plan = (recoverable: boolean) => components({ id: 'core', kind: 'commission', rates: { basis: 'flat', rate: '10%' } }, { id: 'draw', kind: 'draw', amount: '3000', recoverable });
  it('tops a recoverable draw up and carries the balance, then recovers it', () => {
    const first = payee(run(plan(true), [makeDeal({ amountMinor: 2_000_000 })]));
    expect(first.lines.map((l) => [l.kind, l.amountMinor])).toEqual([['commission', 200_000], ['draw_top_up', 100_000]]);
    expect([first.totalMinor, first.drawBalanceOutMinor]).toEqual([300_000, 100_000]);
    const second = payee(run(plan(true), [makeDeal({ amountMinor: 5_000_000 })], { drawBalances: [{ payeeId: 'ann', balanceMinor: 100_000 }] }));
    expect(second.lines.map((l) => [l.kind, l.amountMinor])).toEqual([['commission', 500_000], ['draw_recovery', -100_000]]);
    expect([second.totalMinor, second.drawBalanceOutMinor]).toEqual([400_000, 0]);
  });
  it('recovers only what keeps the payee at the draw', () => {
    const p = payee(run(plan(true), [makeDeal({ amountMinor: 3_500_000 })], { drawBalances: [{ payeeId: 'ann', balanceMinor: 100_000 }] }));
    expect([p.totalMinor, p.drawBalanceOutMinor]).toEqual([300_000, 50_000]);
  });
  it('never carries a balance for a non-recoverable draw', () => {
    const p = payee(run(plan(false), [makeDeal({ amountMinor: 2_000_000 })]));
    expect([p.totalMinor, p.drawBalanceOutMinor]).toEqual([300_000, 0]);
  });
  it('limits recovery per period', () => {
    const capped = components({ id: 'core', kind: 'commission', rates: { basis: 'flat', rate: '10%' } }, { id: 'draw', kind: 'draw', amount: '3000', recoverable: true, maxRecoveryPerPeriod: '200' });
    const p = payee(run(capped, [makeDeal({ amountMinor: 5_000_000 })], { drawBalances: [{ payeeId: 'ann', balanceMinor: 100_000 }] }));
    expect([p.totalMinor, p.drawBalanceOutMinor]).toEqual([480_000, 80_000]);
  });
});

describe('calculatePayouts: clawbacks', () => {
  const plan = components({ id: 'core', kind: 'commission', rates: { basis: 'flat', rate: '10%' } }, { id: 'cb', kind: 'clawback', components: ['core'], withinDays: 90, events: ['cancelled'] });
  const paid = [{ recordId: 'old-1', payeeId: 'ann', componentId: 'core', amountMinor: 123_457, recordDate: '2025-12-15', periodKey: '2025-Q4' }];
  it('reverses a cancelled deal’s paid commission in the period the cancellation happens', () => {
    const p = payee(run(plan, [], { paidCommissions: paid, clawbackEvents: [{ recordId: 'old-1', kind: 'cancelled', date: '2026-02-10' }] }));
    expect(p.lines.map((l) => [l.kind, l.amountMinor])).toEqual([['commission', 0], ['clawback', -123_457]]);
    expect(p.lines[1]?.explanation.text).toContain('57 days');
  });
  it('does not claw back after N days or for events the plan does not name', () => {
    expect(payee(run(plan, [], { paidCommissions: paid, clawbackEvents: [{ recordId: 'old-1', kind: 'cancelled', date: '2026-03-20' }] })).totalMinor).toBe(0);
    expect(payee(run(plan, [], { paidCommissions: paid, clawbackEvents: [{ recordId: 'old-1', kind: 'churned', date: '2026-02-10' }] })).totalMinor).toBe(0);
  });
});

describe('calculatePayouts: proration', () => {
  it('prorates quota and draw for a joiner (45 of 90 days)', () => {
    const plan = components({ id: 'core', kind: 'commission', rates: { basis: 'attainment', mode: 'retroactive', tiers: [{ from: '0', rate: '5%' }, { from: '1', rate: '8%' }] } }, { id: 'draw', kind: 'draw', amount: '3000', recoverable: false });
    const p = payee(run(plan, [makeDeal({ amountMinor: 5_000_000, date: '2026-03-01' }), makeDeal({ amountMinor: 9_000_000, date: '2026-01-20' })], { assignments: [assign('ann', 1, '2026-02-15')] }));
    expect(p.segments[0]).toMatchObject({ from: '2026-02-15', to: '2026-04-01', days: 45, factor: '0.5', quota: '5000000', attainment: '1' });
    expect(p.lines.map((l) => [l.kind, l.amountMinor])).toEqual([['commission', 400_000]]); // 50,000 × 8 % ≥ the draw of 1,500
  });
  it('splits a period at a mid-period plan change into two segments with their own versions', () => {
    const v1 = makePlan({ version: 1, effectiveTo: '2026-02-15' });
    const v2 = makePlan({ version: 2, effectiveFrom: '2026-02-15', components: [{ id: 'core', kind: 'commission', rates: { basis: 'flat', rate: '12%' } }] });
    const p = payee(run([v1, v2], [makeDeal({ amountMinor: 1_000_000, date: '2026-01-10' }), makeDeal({ amountMinor: 1_000_000, date: '2026-03-10' })], { assignments: [assign('ann', 1, '2026-01-01', '2026-02-15'), assign('ann', 2, '2026-02-15')] }));
    expect(p.lines.map((l) => [l.planVersion, l.amountMinor])).toEqual([[1, 100_000], [2, 120_000]]);
    expect(p.segments.map((s) => s.factor)).toEqual(['0.5', '0.5']);
  });
  it('stops at a leaver’s last day', () => {
    const p = payee(run(makePlan(), [makeDeal({ amountMinor: 1_000_000, date: '2026-01-10' }), makeDeal({ amountMinor: 1_000_000, date: '2026-03-10' })], { assignments: [assign('ann', 1, '2026-01-01', '2026-02-01')] }));
    expect(p.totalMinor).toBe(100_000);
  });
});

describe('calculatePayouts: crediting, currencies, adjustments, determinism', () => {
  it('credits splits, overlays and manager roll-ups to the right payees', () => {
    const plan = makePlan({ components: [{ id: 'core', kind: 'commission', base: { kind: 'credits', creditKinds: ['owner', 'split', 'overlay', 'manager'] }, rates: { basis: 'flat', rate: '10%' } }] });
    const result = run(plan, [makeDeal({ amountMinor: 1_000_001, splits: [{ payeeId: 'ann', percent: '50' }, { payeeId: 'bob', percent: '50' }], overlays: [{ payeeId: 'sam', percent: '50' }] })], {
      assignments: ['ann', 'bob', 'sam', 'meg'].map((id) => assign(id)),
      crediting: { teams: [{ id: 'west', parentId: null, managerId: 'meg', memberIds: ['ann', 'bob', 'meg'] }] },
    });
    expect(result.payees.map((p) => [p.payeeId, p.creditedMinor, p.totalMinor])).toEqual([['ann', 500_001, 50_000], ['bob', 500_000, 50_000], ['meg', 0, 100_000], ['sam', 0, 50_000]]);
  });
  it('never mixes currencies: foreign credits are left out with an issue', () => {
    const result = run(makePlan(), [makeDeal({ amountMinor: 1_000_000 }), makeDeal({ amountMinor: 1_000_000, currency: 'USD' })]);
    expect(payee(result).totalMinor).toBe(100_000);
    expect(result.issues.map((i) => i.code)).toEqual(['currency_mismatch']);
  });
  it('pays adjustments from locked runs as lines with their reason', () => {
    const p = payee(run(makePlan(), [], { adjustments: [{ id: 'a1', payeeId: 'ann', amountMinor: 12_345, currency: 'EUR', reason: 'dispute 17 accepted', sourceRunId: 'run-2025-Q4' }] }));
    expect(p.lines[1]).toMatchObject({ kind: 'adjustment', amountMinor: 12_345, reason: 'dispute 17 accepted' });
    expect(p.totalMinor).toBe(12_345);
  });
  it('counts the revenue of the records dated in the period, per currency, and rejects a date that is not one', () => {
    const dated = (date: string, amountMinor: number, currency = 'EUR') => makeDeal({ date, amountMinor, currency });
    const credits = [dated('2026-02-01', 1)].flatMap((r) => [{ recordId: r.id, payeeId: 'ann', kind: 'owner' as const, amountMinor: 1, percent: '100', day: 20_485, record: r }]);
    const records = [dated('2025-12-31', 1), dated('2026-01-01', 20), dated('2026-03-31', 300, 'USD'), dated('2026-04-01', 4_000), dated('2026-02-28', 50_000), dated('2024-02-29', 7)];
    expect(run(makePlan(), records, { credits }).totals).toEqual([{ currency: 'EUR', payees: 1, earningsMinor: 0, totalMinor: 0, revenueMinor: 50_020 }]);
    expect(run(makePlan(), records, { credits, explain: false }).totals[0]?.revenueMinor).toBe(50_020);
    for (const bad of ['2026-02-30', '2026-13-01', '2026-1-01', '2026-01-01 ', '２０２６-01-01']) expect(() => run(makePlan(), [dated(bad, 1)], { credits })).toThrow(/not a date/);
  });
  it('is bit-identical for the same input, whatever the order of records and assignments', () => {
    const deals = Array.from({ length: 30 }, (_, i) => makeDeal({ ownerId: i % 2 ? 'ann' : 'bob', amountMinor: 100_000 + i * 997, date: `2026-0${1 + (i % 3)}-1${i % 9}` }));
    const plan = components({ id: 'core', kind: 'commission', rates: { basis: 'attainment', mode: 'marginal', tiers: [{ from: '0', rate: '3%' }, { from: '0.01', rate: '7.5%' }] } });
    const a = run(plan, deals, { assignments: [assign('ann'), assign('bob')] });
    const b = run(plan, [...deals].reverse(), { assignments: [assign('bob'), assign('ann')] });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

import { describe, expect, it } from 'vitest';
import { forecastPayout } from './forecast.js';
import type { CalculationInput } from './payout-types.js';
import { makeDeal, makePlan, periodOf } from './test-fixtures.js';
import { comparePlans } from './what-if.js';

const marginal = makePlan({ components: [{ id: 'core', kind: 'commission', rates: { basis: 'attainment', mode: 'marginal', tiers: [{ from: '0', rate: '5%' }, { from: '1', rate: '10%' }] } }] });
const input: CalculationInput = {
  period: periodOf('2026-Q1'),
  plans: [marginal],
  assignments: [{ payeeId: 'ann', planId: 'ae', planVersion: 1, from: '2026-01-01' }, { payeeId: 'bob', planId: 'ae', planVersion: 1, from: '2026-01-01' }],
  quotas: [{ payeeId: 'ann', periodKey: '2026-Q1', quotaMinor: 10_000_000 }, { payeeId: 'bob', periodKey: '2026-Q1', quotaMinor: 10_000_000 }],
  records: [makeDeal({ ownerId: 'ann', amountMinor: 9_000_000 }), makeDeal({ ownerId: 'bob', amountMinor: 4_000_000 })],
};

describe('forecastPayout', () => {
  it('prices each open deal at its marginal effect through the tiers, stage-weighted and best case', () => {
    const forecast = forecastPayout({
      input,
      payeeId: 'ann',
      pipeline: [
        { ...makeDeal({ id: 'o1', ownerId: 'ann', amountMinor: 2_000_000, date: '2026-03-20' }), stage: 'negotiation' },
        { ...makeDeal({ id: 'o2', ownerId: 'ann', amountMinor: 1_000_000, date: '2026-03-25' }), probability: '0.2' },
        { ...makeDeal({ id: 'o3', ownerId: 'ann', amountMinor: 1_000_000, date: '2026-04-25' }), probability: '0.9' },
      ],
      stageProbabilities: { negotiation: '0.5' },
    });
    expect(forecast.earnedMinor).toBe(450_000);
    // o1 alone: 10,000 at 5 % to quota + 10,000 at 10 % above = 1,500.00
    expect(forecast.deals.map((d) => [d.recordId, d.closesInPeriod, d.marginalMinor, d.weightedMinor])).toEqual([
      ['o1', true, 150_000, 75_000],
      ['o2', true, 50_000, 10_000],
      ['o3', false, 0, 0],
    ]);
    expect(forecast.bestCaseMinor).toBe(250_000); // 10,000 × 5 % + 20,000 × 10 %
    expect(forecast.stageWeightedMinor).toBe(70_000); // 10,000 + 2,000 weighted on 90,000: 10,000 × 5 % + 2,000 × 10 %
  });
});

describe('comparePlans', () => {
  it('compares cost, cost share of revenue, distribution and winners and losers', () => {
    const v2 = makePlan({ version: 2, components: [{ id: 'core', kind: 'commission', rates: { basis: 'flat', rate: '6%' } }] });
    const result = comparePlans({ input, scenario: { plans: [marginal, v2], remap: [{ from: { planId: 'ae', planVersion: 1 }, to: { planId: 'ae', planVersion: 2 } }] } });
    expect(result.baseline[0]).toMatchObject({ currency: 'EUR', costMinor: 650_000, revenueMinor: 13_000_000, costShareOfRevenue: '0.05' });
    expect(result.scenario[0]).toMatchObject({ costMinor: 780_000, costShareOfRevenue: '0.06' });
    expect(result.winners.map((w) => [w.payeeId, w.deltaMinor])).toEqual([['ann', 90_000], ['bob', 40_000]]);
    expect(result.losers).toEqual([]);
    expect(result.scenario[0]?.distribution).toMatchObject({ payees: 2, minMinor: 240_000, maxMinor: 540_000 });
  });

  it('simulates changed quotas', () => {
    const result = comparePlans({ input, scenario: { quotas: [{ payeeId: 'ann', periodKey: '2026-Q1', quotaMinor: 5_000_000 }, { payeeId: 'bob', periodKey: '2026-Q1', quotaMinor: 10_000_000 }] } });
    expect(result.payees.map((p) => [p.payeeId, p.deltaMinor])).toEqual([['ann', 200_000], ['bob', 0]]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calculatePayouts } from './calculate.js';
import { PayoutResultSchema, payoutResultJsonSchema } from './payout-schema.js';
import { makeDeal, makePlan, periodOf } from './test-fixtures.js';

describe('PayoutResultSchema', () => {
  it('accepts what calculatePayouts returns, every line kind included', () => {
    const plan = makePlan({
      cap: '1000',
      components: [
        { id: 'core', kind: 'commission', rates: { basis: 'attainment', mode: 'marginal', tiers: [{ from: '0', rate: '5%' }, { from: '1', rate: '8%' }] } },
        { id: 'x', kind: 'spiff', amount: '10' },
        { id: 'club', kind: 'bonus', on: { kind: 'attainment' }, payout: { kind: 'step', steps: [{ at: '0', amount: '5' }] } },
        { id: 'cb', kind: 'clawback', components: ['core'], withinDays: 30 },
        { id: 'draw', kind: 'draw', amount: '2000', recoverable: true },
      ],
    });
    const result = calculatePayouts({
      period: periodOf('2026-Q1'), plans: [plan],
      assignments: [{ payeeId: 'ann', planId: 'ae', planVersion: 1, from: '2026-01-01' }],
      quotas: [{ payeeId: 'ann', periodKey: '2026-Q1', quotaMinor: 1_000_000 }],
      records: [makeDeal({ amountMinor: 2_000_000 })],
      paidCommissions: [{ recordId: 'old', payeeId: 'ann', componentId: 'core', amountMinor: 5000, recordDate: '2026-01-02', periodKey: '2025-12' }],
      clawbackEvents: [{ recordId: 'old', kind: 'cancelled', date: '2026-01-20' }],
      adjustments: [{ id: 'a', payeeId: 'ann', amountMinor: 100, currency: 'EUR', reason: 'dispute' }],
    });
    expect(new Set(result.payees[0]?.lines.map((l) => l.kind))).toEqual(new Set(['commission', 'spiff', 'bonus', 'plan_cap', 'clawback', 'draw_top_up', 'adjustment']));
    expect(PayoutResultSchema.safeParse(JSON.parse(JSON.stringify(result))).success).toBe(true);
  });

  it('is published as docs/schemas/comp-payouts.schema.json', () => {
    const committed = JSON.parse(readFileSync('docs/schemas/comp-payouts.schema.json', 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(payoutResultJsonSchema())));
  });
});

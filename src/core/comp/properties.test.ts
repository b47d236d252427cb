/** Invariants of the engine, checked on generated plans and data (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculatePayouts } from './calculate.js';
import { allocateSplits } from './crediting.js';
import { allocate } from './money.js';
import { compilePlan } from './plan.js';
import { makeDeal, periodOf } from './test-fixtures.js';

const Q1 = periodOf('2026-Q1');
const MODES = ['marginal', 'retroactive', 'highest_rate'] as const;

/** Non-decreasing rates (in basis points) at increasing attainment bounds (in hundredths). */
const rateTable = fc
  .record({
    mode: fc.constantFrom(...MODES),
    basis: fc.constantFrom('attainment' as const, 'amount' as const),
    steps: fc.array(fc.record({ gap: fc.integer({ min: 1, max: 80 }), rise: fc.integer({ min: 0, max: 500 }) }), { minLength: 0, maxLength: 4 }),
    firstBp: fc.integer({ min: 0, max: 1500 }),
  })
  .map(({ mode, basis, steps, firstBp }) => {
    let at = 0;
    let bp = firstBp;
    const tiers = [{ from: '0', rate: `${bp / 100}%` }];
    for (const s of steps) {
      at += s.gap;
      bp += s.rise;
      tiers.push({ from: basis === 'attainment' ? (at / 100).toFixed(2) : String(at * 1000), rate: `${bp / 100}%` });
    }
    return { basis, mode, tiers };
  });

function planWith(rates: unknown, extra: Record<string, unknown> = {}) {
  return compilePlan({ schemaVersion: 1, id: 'ae', version: 1, name: 'AE', currency: 'EUR', effectiveFrom: '2026-01-01', components: [{ id: 'core', kind: 'commission', rates, ...extra }] });
}
const amounts = fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: 0, maxLength: 12 });
const calc = (plan: ReturnType<typeof planWith>, amountsMinor: number[], quotaMinor = 5_000_000) =>
  calculatePayouts({
    period: Q1,
    plans: [plan],
    assignments: [{ payeeId: 'ann', planId: 'ae', planVersion: 1, from: '2026-01-01' }],
    quotas: [{ payeeId: 'ann', periodKey: '2026-Q1', quotaMinor }],
    records: amountsMinor.map((amountMinor, i) => makeDeal({ id: `p${i}`, amountMinor })),
  });

describe('payout invariants', () => {
  it('earnings never fall as attainment rises (non-decreasing rate tables, every mode)', () => {
    fc.assert(
      fc.property(rateTable, amounts, fc.integer({ min: 0, max: 3_000_000 }), (rates, base, more) => {
        const plan = planWith(rates);
        const before = calc(plan, base).payees[0]?.totalMinor ?? 0;
        const after = calc(plan, [...base, more]).payees[0]?.totalMinor ?? 0;
        expect(after).toBeGreaterThanOrEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('caps are never exceeded', () => {
    fc.assert(
      fc.property(rateTable, amounts, fc.integer({ min: 0, max: 100_000 }), (rates, base, capMajor) => {
        const total = calc(planWith(rates, { cap: String(capMajor) }), base).payees[0]?.totalMinor ?? 0;
        expect(total).toBeLessThanOrEqual(capMajor * 100);
      }),
      { numRuns: 200 },
    );
  });

  it('lines sum to payee totals, payee totals to the run totals, attributions to their lines', () => {
    fc.assert(
      fc.property(rateTable, fc.array(fc.tuple(fc.constantFrom('ann', 'bob', 'cid'), fc.integer({ min: -200_000, max: 5_000_000 })), { maxLength: 25 }), (rates, deals) => {
        const plan = compilePlan({
          schemaVersion: 1, id: 'ae', version: 1, name: 'AE', currency: 'EUR', effectiveFrom: '2026-01-01', cap: '20000',
          components: [{ id: 'core', kind: 'commission', rates }, { id: 'x', kind: 'spiff', rate: '1.5%' }, { id: 'draw', kind: 'draw', amount: '500', recoverable: true }],
        });
        const result = calculatePayouts({
          period: Q1, plans: [plan],
          assignments: ['ann', 'bob', 'cid'].map((payeeId) => ({ payeeId, planId: 'ae', planVersion: 1, from: '2026-01-01' })),
          quotas: ['ann', 'bob', 'cid'].map((payeeId) => ({ payeeId, periodKey: '2026-Q1', quotaMinor: 4_000_000 })),
          records: deals.map(([ownerId, amountMinor], i) => makeDeal({ id: `q${i}`, ownerId, amountMinor })),
        });
        for (const p of result.payees) {
          expect(p.lines.reduce((a, l) => a + l.amountMinor, 0)).toBe(p.totalMinor);
          for (const line of p.lines) {
            if (line.explanation.credits.length > 0 && line.explanation.credits.some((c) => c.creditedMinor > 0)) {
              expect(line.explanation.credits.reduce((a, c) => a + c.attributedMinor, 0)).toBe(line.amountMinor);
            }
          }
        }
        expect(result.totals.reduce((a, t) => a + t.totalMinor, 0)).toBe(result.payees.reduce((a, p) => a + p.totalMinor, 0));
      }),
      { numRuns: 150 },
    );
  });

  it('recalculating the same input is bit-identical', () => {
    fc.assert(
      fc.property(rateTable, amounts, (rates, base) => {
        const plan = planWith(rates);
        expect(JSON.stringify(calc(plan, base))).toBe(JSON.stringify(calc(plan, base)));
      }),
      { numRuns: 100 },
    );
  });

  it('splits conserve the amount, cent for cent', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 7 }), (amount, raw) => {
        // Percentages with two decimals that sum to exactly 100.
        const total = raw.reduce((a, b) => a + b, 0) || 1;
        const hundredths = raw.map((r) => Math.floor((r * 10_000) / total));
        hundredths[0] = (hundredths[0] ?? 0) + 10_000 - hundredths.reduce((a, b) => a + b, 0);
        const parts = allocateSplits(amount, hundredths.map((h) => (h / 100).toFixed(2)));
        expect(parts).not.toBeNull();
        expect((parts ?? []).reduce((a, b) => a + b, 0)).toBe(amount);
      }),
    );
  });

  it('largest-remainder allocation stays within one minor unit of the exact share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), fc.array(fc.bigInt({ min: 0n, max: 1_000_000n }), { minLength: 1, maxLength: 10 }), (amount, weights) => {
        fc.pre(weights.some((w) => w > 0n));
        const parts = allocate(amount, weights);
        const sum = weights.reduce((a, b) => a + b, 0n);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(amount);
        parts.forEach((p, i) => {
          const exact = Number((BigInt(amount) * (weights[i] ?? 0n) * 1000n) / sum) / 1000;
          expect(Math.abs(p - exact)).toBeLessThan(1);
        });
      }),
    );
  });
});

/** The fast path of `explain: false` runs equals the reference path bit for bit (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculatePayouts, calculatePayoutsReference } from './calculate.js';
import type { CompRecord } from './crediting.js';
import { compilePlan } from './plan.js';
import type { CalculationInput } from './payout-types.js';
import { periodOf } from './test-fixtures.js';

const Q1 = periodOf('2026-Q1');
const MODES = ['marginal', 'retroactive', 'highest_rate'] as const;
const PAYEES = ['ann', 'bob', 'cyd', 'dee'] as const;

/** Rates in basis points (any order: decelerators too) at increasing bounds. */
const rateTable = fc
  .record({
    mode: fc.constantFrom(...MODES),
    basis: fc.constantFrom('attainment' as const, 'amount' as const, 'flat' as const),
    steps: fc.array(fc.record({ gap: fc.integer({ min: 1, max: 90 }), bp: fc.integer({ min: 0, max: 2500 }), third: fc.boolean() }), { minLength: 0, maxLength: 4 }),
    firstBp: fc.integer({ min: 0, max: 1500 }),
  })
  .map(({ mode, basis, steps, firstBp }) => {
    if (basis === 'flat') return { basis, rate: `${firstBp / 100}%` };
    let at = 0;
    const tiers = [{ from: '0', rate: `${firstBp / 100}%` }];
    for (const s of steps) {
      at += s.gap;
      // Bounds with thirds of a percent of attainment and odd amounts: denominators other than 10ⁿ.
      tiers.push({ from: basis === 'attainment' ? (at / 100 + (s.third ? 0.00333 : 0)).toFixed(5) : String(at * 997 + (s.third ? 0.01 : 0)), rate: `${s.bp / 100}%` });
    }
    return { basis, mode, tiers };
  });

const optionalMoney = fc.option(fc.integer({ min: 0, max: 400_000 }).map((n) => (n / 100).toFixed(2)), { nil: undefined });

const planDoc = fc.record({
  rates: rateTable,
  cap: optionalMoney,
  floor: optionalMoney,
  threshold: fc.option(fc.constantFrom({ attainment: '0.5' }, { amount: '1000' }), { nil: undefined }),
  spiff: fc.option(fc.record({ per: fc.constantFrom({ amount: '150' }, { amount: '0.33' }, { rate: '1.5%' }), dated: fc.boolean() }), { nil: undefined }),
  planCap: optionalMoney,
  planFloor: optionalMoney,
  prorateAmounts: fc.boolean(),
  ownerOnly: fc.boolean(),
});

type PlanDoc = typeof planDoc extends fc.Arbitrary<infer T> ? T : never;

function compile(id: string, d: PlanDoc) {
  const capFloor = d.cap !== undefined && d.floor !== undefined && Number(d.cap) < Number(d.floor) ? { cap: d.floor, floor: d.cap } : { cap: d.cap, floor: d.floor };
  const planCapFloor = d.planCap !== undefined && d.planFloor !== undefined && Number(d.planCap) < Number(d.planFloor) ? { cap: d.planFloor, floor: d.planCap } : { cap: d.planCap, floor: d.planFloor };
  const strip = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return compilePlan({
    schemaVersion: 1, id, version: 1, name: id, currency: 'EUR', effectiveFrom: '2026-01-01', prorateAmounts: d.prorateAmounts, ...strip(planCapFloor),
    components: [
      strip({ id: 'core', kind: 'commission', base: { kind: 'credits', dataset: 'deals', creditKinds: d.ownerOnly ? ['owner'] : ['owner', 'split'] }, rates: d.rates, threshold: d.threshold, ...capFloor }),
      ...(d.spiff ? [{ id: 'x', kind: 'spiff', ...d.spiff.per, ...(d.spiff.dated ? { from: '2026-02-01', to: '2026-03-15' } : {}), base: { kind: 'credits', where: [{ field: 'product', op: 'eq', value: 'X' }] } }] : []),
    ],
  });
}

const record = fc.record({
  amountMinor: fc.oneof(fc.integer({ min: -200_000, max: 5_000_000 }), fc.integer({ min: 0, max: 100 })),
  owner: fc.constantFrom(...PAYEES),
  day: fc.integer({ min: -10, max: 95 }),
  usd: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
  product: fc.constantFrom('X', 'Y'),
  split: fc.option(fc.record({ to: fc.constantFrom(...PAYEES), percent: fc.constantFrom('50', '33.33', '70', '12.5') }), { nil: undefined }),
});

const scenario = fc.record({
  plans: fc.array(planDoc, { minLength: 1, maxLength: 2 }),
  /** Per payee: plan index, and a joining day (0 = the whole period) or a plan change. */
  payees: fc.array(fc.record({ plan: fc.nat(), start: fc.constantFrom(0, 0, 0, 20, 46), change: fc.boolean(), quota: fc.option(fc.integer({ min: 0, max: 9_000_000 }), { nil: undefined }) }), { minLength: 1, maxLength: 4 }),
  records: fc.array(record, { minLength: 0, maxLength: 40 }),
});

function inputOf(s: typeof scenario extends fc.Arbitrary<infer T> ? T : never): CalculationInput {
  const plans = s.plans.map((d, i) => compile(`p${i}`, d));
  const day = (n: number) => {
    const d = new Date(Date.UTC(2026, 0, 1 + n));
    return d.toISOString().slice(0, 10);
  };
  const assignments = s.payees.flatMap((p, i) => {
    const payeeId = PAYEES[i] as string;
    const planId = `p${p.plan % plans.length}`;
    if (p.change && plans.length > 1) {
      return [
        { payeeId, planId: 'p0', planVersion: 1, from: day(p.start), to: day(50) },
        { payeeId, planId: 'p1', planVersion: 1, from: day(50) },
      ];
    }
    return [{ payeeId, planId, planVersion: 1, from: day(p.start) }];
  });
  const quotas = s.payees.flatMap((p, i) => (p.quota === undefined ? [] : [{ payeeId: PAYEES[i] as string, periodKey: Q1.key, quotaMinor: p.quota }]));
  const records: CompRecord[] = s.records.map((r, i) => ({
    id: `r${String(i).padStart(3, '0')}`, amountMinor: r.amountMinor, currency: r.usd ? 'USD' : 'EUR', ownerId: r.owner, date: day(r.day), fields: { product: r.product },
    ...(r.split && r.split.to !== r.owner ? { splits: [{ payeeId: r.owner, percent: String(100 - Number(r.split.percent)) }, { payeeId: r.split.to, percent: r.split.percent }] } : {}),
  }));
  return { period: Q1, plans, assignments, quotas, records, explain: false };
}

describe('fast path (explain: false)', () => {
  it('gives the reference path’s result bit for bit on random plans, assignments and credits', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const input = inputOf(s);
        const fast = calculatePayouts(input);
        const reference = calculatePayoutsReference(input);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(reference));
        expect(fast).toEqual(reference);
      }),
      { numRuns: 1500 },
    );
  });

  it('keeps the explaining path as it was (explain: true never takes the fast path)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const input = { ...inputOf(s), explain: true };
        expect(JSON.stringify(calculatePayouts(input))).toBe(JSON.stringify(calculatePayoutsReference(input)));
      }),
      { numRuns: 200 },
    );
  });
});

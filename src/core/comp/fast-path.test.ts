/**
 * The fast path of `explain: false` runs equals the reference path bit for bit (fast-check):
 * whole-period payees priced in doubles (and, past 2^52, in BigInt), SPIFFs by amount over
 * decimal shares and by rate, caps, floors, thresholds, bonuses, draws, adjustments; and the
 * work comparePlans shares between its two runs changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculatePayouts, calculatePayoutsReference } from './calculate.js';
import { compareCredits, compareCreditsOfPayee, creditRecords, type CompRecord, type Credit } from './crediting.js';
import { comparePlans } from './what-if.js';
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
  spiff: fc.option(fc.record({ per: fc.constantFrom({ amount: '150' }, { amount: '0.33' }, { rate: '1.5%' }, { rate: '0.0001234' }), dated: fc.boolean(), cap: optionalMoney }), { nil: undefined }),
  bonus: fc.option(fc.constantFrom(
    { kind: 'step', steps: [{ at: '0.5', amount: '100' }, { at: '1', amount: '1000.01' }] },
    { kind: 'curve', points: [{ at: '0.25', amount: '0' }, { at: '1.3333', amount: '777.77' }] },
  ), { nil: undefined }),
  draw: fc.option(fc.record({ amount: fc.constantFrom('500', '12345.67'), recoverable: fc.boolean() }), { nil: undefined }),
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
      ...(d.spiff ? [{ id: 'x', kind: 'spiff', ...d.spiff.per, ...strip({ cap: d.spiff.cap }), ...(d.spiff.dated ? { from: '2026-02-01', to: '2026-03-15' } : {}), base: { kind: 'credits', where: [{ field: 'product', op: 'eq', value: 'X' }] } }] : []),
      ...(d.bonus ? [{ id: 'b', kind: 'bonus', on: { kind: 'attainment' }, payout: d.bonus }] : []),
      ...(d.draw ? [{ id: 'd', kind: 'draw', ...d.draw }] : []),
    ],
  });
}

const record = fc.record({
  // Huge amounts: scaled sums past 2^52 (the BigInt fallback), every amount still a safe integer.
  amountMinor: fc.oneof(fc.integer({ min: -200_000, max: 5_000_000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 2_000_000_000_000 })),
  owner: fc.constantFrom(...PAYEES),
  day: fc.integer({ min: -10, max: 95 }),
  usd: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
  product: fc.constantFrom('X', 'Y'),
  // Shares with up to 7 decimals: the scaled SPIFF path takes up to 6, the general one the rest.
  split: fc.option(fc.record({ to: fc.constantFrom(...PAYEES), percent: fc.constantFrom('50', '33.33', '70', '12.5', '12.345', '0.0000001') }), { nil: undefined }),
});

const scenario = fc.record({
  plans: fc.array(planDoc, { minLength: 1, maxLength: 2 }),
  /** Per payee: plan index, and a joining day (0 = the whole period) or a plan change. */
  payees: fc.array(fc.record({
    plan: fc.nat(), start: fc.constantFrom(0, 0, 0, 20, 46), change: fc.boolean(),
    quota: fc.option(fc.oneof(fc.integer({ min: 0, max: 9_000_000 }), fc.constantFrom(0, -50_000, 1, 3)), { nil: undefined }),
    balanceMinor: fc.constantFrom(0, 0, 25_000),
    adjustment: fc.option(fc.integer({ min: -50_000, max: 50_000 }), { nil: undefined }),
  }), { minLength: 1, maxLength: 4 }),
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
  const drawBalances = s.payees.flatMap((p, i) => (p.balanceMinor === 0 ? [] : [{ payeeId: PAYEES[i] as string, balanceMinor: p.balanceMinor }]));
  const adjustments = s.payees.flatMap((p, i) => (p.adjustment === undefined ? [] : [{ id: `a${i}`, payeeId: PAYEES[i] as string, amountMinor: p.adjustment, currency: 'EUR', reason: 'test' }]));
  return { period: Q1, plans, assignments, quotas, records, drawBalances, adjustments, explain: false };
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

  it('shares work between a what-if’s runs without changing either', () => {
    fc.assert(
      fc.property(scenario, fc.boolean(), (s, fromCredits) => {
        const input = inputOf(s);
        const base = fromCredits ? { ...input, credits: creditRecords(input.records ?? []).credits } : input;
        const to = { planId: `p${input.plans.length - 1}`, planVersion: 1 };
        const remap = [{ from: { planId: 'p0', planVersion: 1 }, to }];
        const result = comparePlans({ input: base, scenario: { remap } });
        const remapped = base.assignments.map((a) => (a.planId === 'p0' ? { ...a, ...to } : a));
        expect(JSON.stringify(result.baselineRun)).toBe(JSON.stringify(calculatePayoutsReference(base)));
        expect(JSON.stringify(result.scenarioRun)).toBe(JSON.stringify(calculatePayoutsReference({ ...base, assignments: remapped })));
      }),
      { numRuns: 300 },
    );
  });

  it('explains the same whatever order the credits arrive in', () => {
    fc.assert(
      fc.property(scenario, fc.integer(), (s, seed) => {
        const input = { ...inputOf(s), explain: true };
        const credits = creditRecords(input.records ?? []).credits;
        // Shuffled (seeded), and in the engine's own order, which skips its sort.
        const shuffled = credits.map((c, i) => ({ c, key: Math.imul(i + 1, seed | 1) >>> 7 })).sort((a, b) => a.key - b.key).map((x) => x.c);
        const sorted = [...credits].sort(compareCredits);
        expect(JSON.stringify(calculatePayouts({ ...input, credits: shuffled }))).toBe(JSON.stringify(calculatePayouts({ ...input, credits: sorted })));
      }),
      { numRuns: 300 },
    );
  });

  it('explains lines with the amounts of the fast path, their credits in order, attributed to the cent', () => {
    fc.assert(
      fc.property(scenario, fc.integer(), (s, seed) => {
        const input = inputOf(s);
        const credits = creditRecords(input.records ?? []).credits;
        const shuffled = credits.map((c, i) => ({ c, key: Math.imul(i + 1, seed | 1) >>> 7 })).sort((a, b) => a.key - b.key).map((x) => x.c);
        const explained = calculatePayouts({ ...input, credits: shuffled, explain: true });
        const lean = calculatePayouts({ ...input, credits: shuffled, explain: false });
        const amounts = (r: typeof lean) => r.payees.map((p) => [p.payeeId, p.totalMinor, p.earningsMinor, p.lines.map((l) => [l.lineId, l.amountMinor])]);
        expect(amounts(explained)).toEqual(amounts(lean));
        // Revenue added up while crediting (records only) equals revenue added from the records apart (credits given).
        expect(calculatePayouts(input).totals).toEqual(lean.totals);
        const byRef = new Map(credits.map((c) => [`${c.payeeId}|${c.recordId}|${c.kind}`, c]));
        for (const p of explained.payees) {
          for (const line of p.lines) {
            const refs = line.explanation.credits;
            if (refs.length === 0 || line.kind === 'clawback') continue;
            const attributed = refs.reduce((a, r) => a + r.attributedMinor, 0);
            if (refs.some((r) => r.attributedMinor !== 0)) expect(attributed).toBe(line.amountMinor);
            const mine = refs.map((r) => byRef.get(`${p.payeeId}|${r.recordId}|${r.kind}`) as Credit);
            for (let i = 1; i < mine.length; i += 1) expect(compareCreditsOfPayee(mine[i - 1] as Credit, mine[i] as Credit)).toBeLessThan(0);
          }
        }
      }),
      { numRuns: 300 },
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

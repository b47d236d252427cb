import { describe, expect, it } from 'vitest';
import { fromMinor, ONE } from './money.js';
import { compilePlan, type CompiledRateTable } from './plan.js';
import { compareTierModes, priceInMode, tierModeCurve, tierUnit } from './preview.js';

/** The first component's rate table of a one-commission plan in EUR. */
function table(rates: unknown): CompiledRateTable {
  const plan = compilePlan({ schemaVersion: 1, id: 'p', version: 1, name: 'P', currency: 'EUR', effectiveFrom: '2026-01-01', components: [{ id: 'core', kind: 'commission', rates }] });
  const c = plan.components[0];
  if (!c || (c.kind !== 'commission' && c.kind !== 'partner')) throw new Error('no commission');
  return c.rates;
}
const eur = (major: number) => fromMinor(major * 100);
const amounts = (t: CompiledRateTable, baseMajor: number, unit = tierUnit(t, null)) => compareTierModes({ table: t, base: eur(baseMajor), unit }).map((m) => [m.mode, m.amountMinor / 100]);

describe('compareTierModes (worked by hand)', () => {
  // 0–100k @ 5 %, 100k–200k @ 8 %, > 200k @ 10 %, by amount.
  const accelerating = table({ basis: 'amount', mode: 'marginal', tiers: [{ from: '0', rate: '5%' }, { from: '100000', rate: '8%' }, { from: '200000', rate: '10%' }] });

  it('on 250k: marginal 5,000 + 8,000 + 5,000 = 18,000; retroactive and highest rate 250,000 × 10 % = 25,000', () => {
    expect(amounts(accelerating, 250_000)).toEqual([['marginal', 18_000], ['retroactive', 25_000], ['highest_rate', 25_000]]);
  });

  it('shows the per-band arithmetic: marginal slices 100k, 100k, 50k; the other modes one band over the whole base', () => {
    const [marginal, retroactive, highest] = compareTierModes({ table: accelerating, base: eur(250_000), unit: ONE });
    expect(marginal?.pricing.bands.map((b) => [Number(b.slice.num / b.slice.den) / 100, Number(b.amount.num / b.amount.den) / 100])).toEqual([[100_000, 5_000], [100_000, 8_000], [50_000, 5_000]]);
    expect(retroactive?.pricing.bands.map((b) => b.tierIndex)).toEqual([2]);
    expect(highest?.pricing.bands.map((b) => b.tierIndex)).toEqual([2]);
  });

  it('on 150k: marginal 5,000 + 4,000 = 9,000; retroactive 150,000 × 8 % = 12,000', () => {
    expect(amounts(accelerating, 150_000)).toEqual([['marginal', 9_000], ['retroactive', 12_000], ['highest_rate', 12_000]]);
  });

  it('below the first bound every mode pays the first rate: 80k × 5 % = 4,000', () => {
    expect(amounts(accelerating, 80_000)).toEqual([['marginal', 4_000], ['retroactive', 4_000], ['highest_rate', 4_000]]);
  });

  // A decelerator above 1M: 0 @ 1 %, 500k @ 1.5 %, 1M @ 1.25 %.
  const decelerating = table({ basis: 'amount', mode: 'highest_rate', tiers: [{ from: '0', rate: '1%' }, { from: '500000', rate: '1.5%' }, { from: '1000000', rate: '1.25%' }] });

  it('highest rate differs from retroactive only past a decelerator: 1.2M → marginal 5,000 + 7,500 + 2,500 = 15,000; retroactive 1.2M × 1.25 % = 15,000; highest 1.2M × 1.5 % = 18,000', () => {
    expect(amounts(decelerating, 1_200_000)).toEqual([['marginal', 15_000], ['retroactive', 15_000], ['highest_rate', 18_000]]);
  });

  it('800k: marginal 5,000 + 300,000 × 1.5 % = 9,500; retroactive and highest 800,000 × 1.5 % = 12,000', () => {
    expect(amounts(decelerating, 800_000)).toEqual([['marginal', 9_500], ['retroactive', 12_000], ['highest_rate', 12_000]]);
  });

  it('attainment tiers scale by the quota: quota 100k, credits 120k, 0 @ 5 %, 100 % @ 8 % → marginal 5,000 + 1,600 = 6,600; retroactive 9,600', () => {
    const byAttainment = table({ basis: 'attainment', mode: 'retroactive', tiers: [{ from: '0', rate: '5%' }, { from: '1', rate: '8%' }] });
    expect(amounts(byAttainment, 120_000, tierUnit(byAttainment, 10_000_000))).toEqual([['marginal', 6_600], ['retroactive', 9_600], ['highest_rate', 9_600]]);
  });

  it('multipliers on a base rate: 8 % × 0.5 below 50 %, × 1 to 100 %, × 1.5 above; quota 100k, credits 120k → marginal 2,000 + 4,000 + 2,400 = 8,400', () => {
    const accelerators = table({ basis: 'attainment', mode: 'marginal', baseRate: '8%', tiers: [{ from: '0', multiplier: '0.5' }, { from: '0.5', multiplier: '1' }, { from: '1', multiplier: '1.5' }] });
    expect(amounts(accelerators, 120_000, tierUnit(accelerators, 10_000_000))).toEqual([['marginal', 8_400], ['retroactive', 14_400], ['highest_rate', 14_400]]);
  });

  it('without a quota an attainment table prices at its first tier', () => {
    const byAttainment = table({ basis: 'attainment', mode: 'marginal', tiers: [{ from: '0', rate: '5%' }, { from: '1', rate: '8%' }] });
    expect(tierUnit(byAttainment, null)).toBeNull();
    expect(amounts(byAttainment, 120_000, null)).toEqual([['marginal', 6_000], ['retroactive', 6_000], ['highest_rate', 6_000]]);
  });

  it('a flat rate is the same in every mode: 50,000 × 10 % = 5,000', () => {
    expect(amounts(table({ basis: 'flat', rate: '10%' }), 50_000)).toEqual([['marginal', 5_000], ['retroactive', 5_000], ['highest_rate', 5_000]]);
  });
});

describe('priceInMode', () => {
  it('ignores the table’s declared mode', () => {
    const t = table({ basis: 'amount', mode: 'marginal', tiers: [{ from: '0', rate: '5%' }, { from: '100000', rate: '8%' }] });
    expect(priceInMode({ table: t, mode: 'retroactive', base: eur(150_000), unit: ONE }).amount).toEqual(eur(12_000));
    expect(priceInMode({ table: t, mode: 'marginal', base: eur(150_000), unit: ONE }).amount).toEqual(eur(9_000));
  });
});

describe('tierModeCurve', () => {
  const t = table({ basis: 'attainment', mode: 'marginal', tiers: [{ from: '0', rate: '5%' }, { from: '1', rate: '8%' }] });
  const curve = tierModeCurve({ table: t, quotaMinor: 10_000_000 });

  it('runs from 0 to 200 % in 5 % steps', () => {
    expect(curve.map((p) => p.percent)).toEqual(Array.from({ length: 41 }, (_, i) => i * 5));
  });

  it('at 150 % of a 100k quota: marginal 5,000 + 50,000 × 8 % = 9,000; retroactive 150,000 × 8 % = 12,000', () => {
    expect(curve.find((p) => p.percent === 150)?.amounts).toEqual({ marginal: 900_000, retroactive: 1_200_000, highest_rate: 1_200_000 });
  });

  it('retroactive jumps at the tier bound, marginal does not', () => {
    const at = (percent: number) => curve.find((p) => p.percent === percent)?.amounts;
    expect(at(95)).toEqual({ marginal: 475_000, retroactive: 475_000, highest_rate: 475_000 });
    expect(at(100)).toEqual({ marginal: 500_000, retroactive: 800_000, highest_rate: 800_000 });
  });

  it('prices a partial period against the prorated quota: half a period, quota 100k → at 100 % (base 50k) retroactive pays 50,000 × 8 % = 4,000', () => {
    const half = tierModeCurve({ table: t, quotaMinor: 10_000_000, reference: eur(50_000), unit: eur(50_000) });
    expect(half.find((p) => p.percent === 100)?.amounts).toEqual({ marginal: 250_000, retroactive: 400_000, highest_rate: 400_000 });
  });

  it('never falls as attainment rises for an accelerating table, in any mode', () => {
    for (let i = 1; i < curve.length; i += 1) {
      const prev = curve[i - 1]?.amounts;
      const cur = curve[i]?.amounts;
      expect(cur && prev && cur.marginal >= prev.marginal && cur.retroactive >= prev.retroactive && cur.highest_rate >= prev.highest_rate).toBe(true);
    }
  });
});

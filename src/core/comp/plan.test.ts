import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compPlanJsonSchema } from './plan-document.js';
import { parseCompPlan } from './plan.js';

const base = { schemaVersion: 1, id: 'ae', version: 1, name: 'AE', currency: 'EUR', effectiveFrom: '2026-01-01' };
const issuesOf = (doc: unknown) => {
  const result = parseCompPlan(doc);
  return result.ok ? [] : result.issues.map((i) => `${i.code} ${i.path}`);
};

describe('parseCompPlan', () => {
  it('compiles decimals to exact rationals and money to minor units', () => {
    const result = parseCompPlan({ ...base, cap: '25000.50', components: [{ id: 'core', kind: 'commission', rates: { basis: 'amount', mode: 'marginal', tiers: [{ from: 0, rate: '5%' }, { from: '100000', rate: 0.08 }] } }] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.capMinor).toBe(2_500_050);
    const core = result.plan.components[0];
    expect(core?.kind === 'commission' && core.rates.tiers.map((t) => [t.from.num, t.rate.num, t.rate.den])).toEqual([[0n, 1n, 20n], [10_000_000n, 2n, 25n]]);
  });

  it('reports structural problems with their paths', () => {
    expect(issuesOf({ ...base, components: [{ id: 'core', kind: 'commision', rates: { basis: 'flat', rate: '5%' } }] })).toEqual(['invalid_union components.0.kind']);
    expect(issuesOf({ ...base, currency: 'eur', components: [] })).toEqual(['invalid_format currency', 'too_small components']);
  });

  it('reports meaning problems with their paths', () => {
    const issues = issuesOf({
      ...base,
      currency: 'JPY',
      components: [
        { id: 'core', kind: 'commission', rates: { basis: 'attainment', mode: 'marginal', tiers: [{ from: '0.5', rate: '5%' }, { from: '0.4', rate: '-1%' }, { from: '1', multiplier: '2' }] }, cap: '100.5' },
        { id: 'core', kind: 'spiff' },
        { id: 'cb', kind: 'clawback', components: ['nope'], withinDays: 30 },
        { id: 'd1', kind: 'draw', amount: '1', recoverable: true },
        { id: 'd2', kind: 'draw', amount: '1', recoverable: true },
      ],
    });
    expect(issues).toEqual([
      'first_tier_not_zero components.0.rates.tiers.0.from',
      'negative_rate components.0.rates.tiers.1.rate',
      'tiers_not_increasing components.0.rates.tiers.1.from',
      'missing_base_rate components.0.rates.tiers.2.multiplier',
      'bad_amount components.0.cap',
      'duplicate_component components.1.id',
      'bad_spiff components.1',
      'duplicate_draw components.4',
      'unknown_component components.2.components.0',
    ]);
  });

  it('rejects unknown currencies and inverted date ranges', () => {
    expect(issuesOf({ ...base, currency: 'XYZ', components: [{ id: 'c', kind: 'spiff', amount: '1' }] })).toEqual(['unknown_currency currency']);
    expect(issuesOf({ ...base, effectiveTo: '2025-12-31', components: [{ id: 'c', kind: 'spiff', amount: '1' }] })).toEqual(['bad_date_range effectiveTo']);
  });

  it('warns when aspirational OKR scores may feed pay', () => {
    const result = parseCompPlan({ ...base, components: [{ id: 'mbo', kind: 'bonus', allowAspirational: true, on: { kind: 'score', key: 'kr' }, payout: { kind: 'step', steps: [{ at: '1', amount: '100' }] } }] });
    expect(result.ok && result.warnings.map((w) => w.code)).toEqual(['aspirational_allowed']);
  });

  it('publishes the JSON Schema of the format (docs/schemas/comp-plan.schema.json)', () => {
    const committed = JSON.parse(readFileSync('docs/schemas/comp-plan.schema.json', 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(compPlanJsonSchema())));
  });
});

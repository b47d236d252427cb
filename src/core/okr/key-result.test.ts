import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateKeyResult, expectedValueAt, isMeasurable, resolveRelativeTarget, type KeyResultDefinition } from './key-result.js';
import { evaluateObjective, targetWeightOf } from './objective.js';

const q1 = { start: '2026-01-01', end: '2026-04-01' };
const def = (over: Partial<KeyResultDefinition>): KeyResultDefinition => ({
  title: 'kr', kind: 'number', unit: 'count', direction: 'increase', start: 0, target: 100, baseline: null, metric: null, checklist: [], guardrail: null, weight: 1, ...over,
});

describe('evaluateKeyResult', () => {
  it('scores the latest value on or before the day, with pace and projection', () => {
    const daily = [{ date: '2026-01-11', value: 10 }, { date: '2026-01-21', value: 20 }, { date: '2026-03-01', value: 90 }];
    const result = evaluateKeyResult({ definition: def({ target: 90 }), daily, cycle: q1, asOf: '2026-01-31' });
    // 20 of 90 → 0.2222; expected 30 of 90 days → 0.3333, gap 0.11 → behind; trend 1 a day → 90 at the cycle's end (day 90).
    expect(result).toMatchObject({ score: 0.2222, current: 20, expectedProgress: 0.3333, expectedValue: 30, paceStatus: 'behind', projected: 90 });
  });

  it('takes a metric-bound key result’s value from the metric, not the check-ins', () => {
    const result = evaluateKeyResult({ definition: def({ kind: 'metric', metric: { key: 'revenue', version: null, parameters: {} } }), daily: [{ date: '2026-01-05', value: 5 }], metricValue: 40, cycle: q1, asOf: '2026-02-15' });
    // 0.4 against 0.5 expected: within the 0.1 on-track gap.
    expect(result).toMatchObject({ current: 40, score: 0.4, paceStatus: 'on_track' });
    const pipeline = evaluateKeyResult({ definition: def({ kind: 'metric', metric: { key: 'revenue', version: null, parameters: {} } }), daily: [], metricValue: 40, openPipeline: [{ amount: 100, probability: 0.5 }], cycle: q1, asOf: '2026-02-15' });
    expect(pipeline.projectedFromPipeline).toBe(90);
  });

  it('reads milestones from the latest reading and checklists from their state', () => {
    expect(evaluateKeyResult({ definition: def({ kind: 'milestone', target: null }), daily: [{ date: '2026-01-05', value: 1 }], cycle: q1, asOf: '2026-01-04' }).score).toBe(0);
    expect(evaluateKeyResult({ definition: def({ kind: 'milestone', target: null }), daily: [{ date: '2026-01-05', value: 1 }], cycle: q1, asOf: '2026-01-05' })).toMatchObject({ score: 1, targetReached: true });
    const checklist = evaluateKeyResult({ definition: def({ kind: 'checklist', target: null, checklist: ['a', 'b', 'c', 'd'] }), daily: [], checklistDone: [true, false, true], cycle: q1, asOf: '2026-03-01' });
    expect(checklist).toMatchObject({ score: 0.5, current: 2 });
  });

  it('scores guardrails over the days elapsed, never past the cycle’s last day', () => {
    const definition = def({ kind: 'guardrail', target: null, guardrail: { mode: 'stay_above', limit: 10 } });
    const daily = [{ date: '2026-01-01', value: 12 }, { date: '2026-02-15', value: 8 }];
    // 45 days inside of 90 once the cycle is over.
    expect(evaluateKeyResult({ definition, daily, cycle: q1, asOf: '2026-06-01' }).score).toBe(0.5);
  });

  it('has no score without a target', () => {
    expect(evaluateKeyResult({ definition: def({ target: null }), daily: [{ date: '2026-01-05', value: 5 }], cycle: q1, asOf: '2026-02-01' })).toMatchObject({ score: 0, hasValue: false, expectedValue: null });
    expect(isMeasurable(def({ target: null }))).toBe(false);
    expect(isMeasurable(def({ kind: 'checklist', checklist: [] }))).toBe(false);
  });

  it('keeps every score within [0, 1] (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 5 }), (start, target, values) => {
        const daily = values.map((value, i) => ({ date: `2026-01-${String(i + 1).padStart(2, '0')}`, value }));
        const { score } = evaluateKeyResult({ definition: def({ start, target }), daily, cycle: q1, asOf: '2026-02-01' });
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('relative targets and the expected line', () => {
  it('resolves "+10 % against last quarter" from the baseline value: levels start there, totals from 0', () => {
    expect(resolveRelativeTarget(48_000, { period: 'previous_period', changePercent: 10 }, { accumulates: false })).toEqual({ start: 48_000, target: 52_800 });
    expect(resolveRelativeTarget(40, { period: 'previous_period', changePercent: -15 }, { accumulates: false })).toEqual({ start: 40, target: 34 });
    expect(resolveRelativeTarget(10_726_400, { period: 'previous_period', changePercent: 10 }, { accumulates: true })).toEqual({ start: 0, target: 11_799_040 });
    expect(resolveRelativeTarget(542, { period: 'previous_period', changePercent: 10 }, { accumulates: true, whole: true })).toEqual({ start: 0, target: 597 });
    expect(resolveRelativeTarget(50, { period: 'previous_period', changePercent: 20 }, { accumulates: true, whole: true })).toEqual({ start: 0, target: 60 });
    expect(resolveRelativeTarget(41, { period: 'previous_period', changePercent: -10 }, { accumulates: false, whole: true })).toEqual({ start: 41, target: 36 });
  });

  it('draws the expected line from the exact share of the cycle elapsed', () => {
    expect(expectedValueAt({ start: 0, target: 500_000 }, { start: '2025-01-01', end: '2025-04-01' }, '2025-01-31')).toBe(166_666.6667);
    expect(expectedValueAt({ start: 40, target: 30 }, q1, '2026-12-31')).toBe(30);
  });
});

describe('evaluateObjective', () => {
  it('averages the key results by the objective’s weighting and reads the pace from the same gap rule', () => {
    const krs = [{ evaluation: { score: 1, hasValue: true }, weight: 3, targetValue: 400_000 }, { evaluation: { score: 0.5, hasValue: true }, weight: 1, targetValue: 100_000 }];
    expect(evaluateObjective({ weighting: 'equal', commitment: 'aspirational', keyResults: krs, expectedProgress: 0.5, final: false })).toMatchObject({ score: 0.75, band: 'green', paceStatus: 'on_track', expectation: null });
    expect(evaluateObjective({ weighting: 'explicit', commitment: 'aspirational', keyResults: krs, expectedProgress: 1, final: true })).toMatchObject({ score: 0.875, expectation: { verdict: 'healthy' } });
    expect(evaluateObjective({ weighting: 'target_value', commitment: 'committed', keyResults: krs, expectedProgress: 1, final: true })).toMatchObject({ score: 0.9, expectation: { verdict: 'missed', needsExplanation: true } });
    expect(evaluateObjective({ weighting: 'equal', commitment: 'committed', keyResults: [{ evaluation: { score: 0, hasValue: false }, weight: 1 }], expectedProgress: 0.05, final: false }).paceStatus).toBe('not_started');
  });

  it('weighs money key results by their target', () => {
    expect(targetWeightOf({ kind: 'currency', unit: 'money', target: 5 })).toBe(5);
    expect(targetWeightOf({ kind: 'metric', unit: 'money', target: 7 })).toBe(7);
    expect(targetWeightOf({ kind: 'number', unit: 'count', target: 7 })).toBeUndefined();
  });
});

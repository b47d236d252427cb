import { describe, expect, it } from 'vitest';
import { epochDay, formatEpochDay } from '../period.js';
import { payeeSegments } from './proration.js';
import { makePlan, periodOf } from './test-fixtures.js';

const Q1 = periodOf('2026-Q1');
const v1 = makePlan({ version: 1, effectiveTo: '2026-03-01' });
const v2 = makePlan({ version: 2, effectiveFrom: '2026-03-01' });
const plans = new Map([['ae@1', v1], ['ae@2', v2]]);
const view = (r: ReturnType<typeof payeeSegments>) => r.segments.map((s) => [s.plan.version, formatEpochDay(s.startDay), formatEpochDay(s.endDay), `${s.factor.num}/${s.factor.den}`]);

describe('payeeSegments', () => {
  it('clips assignments to the period and the plan version’s effective dates', () => {
    const r = payeeSegments({ payeeId: 'ann', period: Q1, plans, assignments: [{ payeeId: 'ann', planId: 'ae', planVersion: 1, from: '2025-06-01' }, { payeeId: 'ann', planId: 'ae', planVersion: 2, from: '2026-03-01' }] });
    expect(view(r)).toEqual([[1, '2026-01-01', '2026-03-01', '59/90'], [2, '2026-03-01', '2026-04-01', '31/90']]);
    expect(r.issues).toEqual([]);
  });
  it('lets the earlier assignment win an overlap, and reports it', () => {
    const r = payeeSegments({ payeeId: 'ann', period: Q1, plans, assignments: [{ payeeId: 'ann', planId: 'ae', planVersion: 1, from: '2026-01-01', to: '2026-02-15' }, { payeeId: 'ann', planId: 'ae', planVersion: 1, from: '2026-02-01' }] });
    expect(view(r)).toEqual([[1, '2026-01-01', '2026-02-15', '1/2'], [1, '2026-02-15', '2026-03-01', '7/45']]);
    expect(r.issues.map((i) => i.code)).toEqual(['overlapping_assignments']);
  });
  it('reports an assignment to a plan version it was not given', () => {
    const r = payeeSegments({ payeeId: 'ann', period: Q1, plans, assignments: [{ payeeId: 'ann', planId: 'ae', planVersion: 9, from: '2026-01-01' }] });
    expect(r.segments).toEqual([]);
    expect(r.issues.map((i) => i.code)).toEqual(['unknown_plan']);
  });
  it('gives a leaver the days up to the last one', () => {
    const r = payeeSegments({ payeeId: 'ann', period: Q1, plans, assignments: [{ payeeId: 'ann', planId: 'ae', planVersion: 1, from: '2026-01-01', to: '2026-01-31' }] });
    expect(r.segments[0]?.days).toBe(epochDay('2026-01-31') - epochDay('2026-01-01'));
  });
});

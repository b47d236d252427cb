import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessExpectation, bandOf, isProbablySandbagging, scoreKeyResult, scoreObjective } from './scoring.js';
import { expectedProgress, paceStatus, projectFromPipeline, projectFromTrend } from './pace.js';

describe('scoreKeyResult', () => {
  it('scores linear progress from start to target (worked example: $350k of $500k revenue → 0.7)', () => {
    expect(scoreKeyResult({ kind: 'linear', start: 0, target: 500_000, current: 350_000 })).toEqual({ score: 0.7, raw: 0.7, overAchievement: 0, hasValue: true });
  });

  it('scores a decrease the same way (sales cycle from 40 to 30 days, now 34 → 0.6)', () => {
    expect(scoreKeyResult({ kind: 'linear', start: 40, target: 30, current: 34 }).score).toBe(0.6);
  });

  it('clamps to 1.0 and reports over-achievement separately (60 of 50 deals)', () => {
    expect(scoreKeyResult({ kind: 'linear', start: 0, target: 50, current: 60 })).toEqual({ score: 1, raw: 1.2, overAchievement: 0.2, hasValue: true });
  });

  it('clamps to 0.0 when the value moved the wrong way', () => {
    expect(scoreKeyResult({ kind: 'linear', start: 100, target: 120, current: 90 })).toMatchObject({ score: 0, raw: -0.5 });
  });

  it('has no value before the first reading', () => {
    expect(scoreKeyResult({ kind: 'linear', start: 0, target: 10, current: null })).toMatchObject({ score: 0, hasValue: false });
  });

  it('scores milestones and checklists by completion', () => {
    expect(scoreKeyResult({ kind: 'milestone', done: true }).score).toBe(1);
    expect(scoreKeyResult({ kind: 'milestone', done: false }).score).toBe(0);
    expect(scoreKeyResult({ kind: 'checklist', items: [{ done: true }, { done: true }, { done: false }] }).score).toBe(0.6667);
  });

  it('scores a guardrail by the share of days inside the limit (worked example)', () => {
    // Churn must stay below 5 %: readings on day 1 (4 %), day 4 (6 %), day 8 (4.5 %); 10 days elapsed.
    const score = scoreKeyResult({
      kind: 'guardrail', mode: 'stay_below', limit: 5, cycleStart: '2026-01-01', asOf: '2026-01-10',
      history: [{ date: '2026-01-08', value: 4.5 }, { date: '2026-01-01', value: 4 }, { date: '2026-01-04', value: 6 }],
    });
    // Inside on days 1–3 and 8–10 (6 of 10 days).
    expect(score.score).toBe(0.6);
  });

  it('keeps every linear score within [0, 1] (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), fc.double({ noNaN: true, min: -1e9, max: 1e9 }), fc.double({ noNaN: true, min: -1e9, max: 1e9 }), (start, target, current) => {
        const { score } = scoreKeyResult({ kind: 'linear', start, target, current });
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('scoreObjective', () => {
  it('averages key results with each capped at 1.0', () => {
    expect(scoreObjective([{ score: 1 }, { score: 0.5 }, { score: 0.3 }])).toBe(0.6);
  });

  it('weights by explicit weight or by target value', () => {
    expect(scoreObjective([{ score: 1, weight: 3 }, { score: 0, weight: 1 }], 'explicit')).toBe(0.75);
    expect(scoreObjective([{ score: 1, targetValue: 400_000 }, { score: 0.5, targetValue: 100_000 }], 'target_value')).toBe(0.9);
  });

  it('stays within [0, 1] for any key results (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ score: fc.double({ min: 0, max: 1, noNaN: true }), weight: fc.double({ min: 0, max: 100, noNaN: true }) }), { maxLength: 8 }), (krs) => {
        const score = scoreObjective(krs, 'explicit');
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('grading', () => {
  it('reads Google’s bands from the score rounded to one decimal', () => {
    expect([0, 0.3, 0.34, 0.35, 0.6, 0.64, 0.65, 0.7, 1].map(bandOf)).toEqual(['red', 'red', 'red', 'yellow', 'yellow', 'yellow', 'green', 'green', 'green']);
  });

  it('expects 1.0 of committed OKRs and 0.6–0.7 of aspirational ones', () => {
    expect(assessExpectation(1, 'committed')).toEqual({ verdict: 'met', needsExplanation: false });
    expect(assessExpectation(0.9, 'committed')).toEqual({ verdict: 'missed', needsExplanation: true });
    expect(assessExpectation(0.65, 'aspirational').verdict).toBe('healthy');
    expect(assessExpectation(0.4, 'aspirational').verdict).toBe('low');
    expect(assessExpectation(0.97, 'aspirational').verdict).toBe('too_easy');
  });

  it('flags an owner who maxes out every aspirational key result two cycles running', () => {
    const easy = [{ commitment: 'aspirational' as const, score: 1 }, { commitment: 'aspirational' as const, score: 0.96 }];
    expect(isProbablySandbagging([easy, easy])).toBe(true);
    expect(isProbablySandbagging([easy])).toBe(false);
    expect(isProbablySandbagging([easy, [{ commitment: 'aspirational', score: 0.8 }]])).toBe(false);
  });
});

describe('pace', () => {
  const q1 = { start: '2026-01-01', end: '2026-04-01' };

  it('expects progress in proportion to elapsed time', () => {
    expect(expectedProgress(q1, '2026-01-01')).toBe(0);
    expect(expectedProgress(q1, '2026-02-15')).toBe(0.5); // 45 of 90 days
    expect(expectedProgress(q1, '2026-03-01')).toBe(0.6556); // 59 of 90 days
    expect(expectedProgress(q1, '2026-06-01')).toBe(1);
  });

  it('calls a gap on track, behind or at risk by the thresholds', () => {
    expect(paceStatus(0.45, 0.5)).toBe('on_track');
    expect(paceStatus(0.3, 0.5)).toBe('behind');
    expect(paceStatus(0.2, 0.5)).toBe('at_risk');
    expect(paceStatus(null, 0.05)).toBe('not_started');
    expect(paceStatus(0.45, 0.5, { onTrackGap: 0.02, atRiskGap: 0.1 })).toBe('behind');
  });

  it('projects the trend of the check-ins to the cycle’s end', () => {
    // 10 a day from 0 on day 0: 900 by day 90.
    expect(projectFromTrend([{ date: '2026-01-01', value: 0 }, { date: '2026-01-11', value: 100 }, { date: '2026-01-21', value: 200 }], q1)).toBe(900);
    expect(projectFromTrend([{ date: '2026-01-01', value: 5 }], q1)).toBeNull();
  });

  it('adds stage-weighted open pipeline to what is closed', () => {
    expect(projectFromPipeline(300_000, [{ amount: 100_000, probability: 0.5 }, { amount: 40_000, probability: 0.25 }])).toBe(360_000);
  });
});

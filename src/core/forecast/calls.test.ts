import { describe, expect, it } from 'vitest';
import { latestCalls, validateForecastCall } from './calls.js';

describe('validateForecastCall', () => {
  it('accepts a quarter or month call with best case at least the commit', () => {
    expect(validateForecastCall({ period: '2026-Q1', commitMinor: 100, bestCaseMinor: 100, note: '' })).toEqual([]);
    expect(validateForecastCall({ period: '2026-03', commitMinor: 0, bestCaseMinor: 5, note: 'ok' })).toEqual([]);
  });

  it('reports bad periods, amounts and a best case below the commit as data', () => {
    expect(validateForecastCall({ period: 'FY2026', commitMinor: 1, bestCaseMinor: 1, note: '' }).map((i) => i.code)).toEqual(['bad_period']);
    expect(validateForecastCall({ period: '2026-13', commitMinor: 1, bestCaseMinor: 1, note: '' }).map((i) => i.code)).toEqual(['bad_period']);
    expect(validateForecastCall({ period: '2026-Q1', commitMinor: -1, bestCaseMinor: 1.5, note: '' }).map((i) => i.path)).toEqual(['commitMinor', 'bestCaseMinor']);
    expect(validateForecastCall({ period: '2026-Q1', commitMinor: 10, bestCaseMinor: 9, note: '' })).toEqual([
      { code: 'best_case_below_commit', path: 'bestCaseMinor', message: 'the best case must be at least the commit' },
    ]);
    expect(validateForecastCall({ period: '2026-Q1', commitMinor: 1, bestCaseMinor: 1, note: 'x'.repeat(2001) }).map((i) => i.code)).toEqual(['note_too_long']);
  });
});

describe('latestCalls', () => {
  it('keeps the latest call per payee and period', () => {
    const calls = [
      { id: 'a', payeeId: 'p', period: '2026-Q1', submittedAt: '2026-01-09T00:00:00.000Z' },
      { id: 'b', payeeId: 'p', period: '2026-Q1', submittedAt: '2026-01-02T00:00:00.000Z' },
      { id: 'c', payeeId: 'p', period: '2026-Q2', submittedAt: '2026-01-01T00:00:00.000Z' },
      { id: 'd', payeeId: 'q', period: '2026-Q1', submittedAt: '2026-01-01T00:00:00.000Z' },
    ];
    expect(latestCalls(calls).map((c) => c.id).sort()).toEqual(['a', 'c', 'd']);
  });
});

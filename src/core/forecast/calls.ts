/**
 * Reps' forecast calls: per payee and period, the amount the rep commits to (commit) and the
 * most they see as possible (best case), both totals for the whole period, closed won included.
 * Calls are append-only; the latest per payee and period counts, earlier ones are history.
 */

export interface ForecastCallInput {
  /** Period key: a fiscal quarter ('2026-Q1') or a calendar month ('2026-03'). */
  period: string;
  commitMinor: number;
  bestCaseMinor: number;
  note: string;
}

export interface ForecastCallIssue {
  code: 'bad_amount' | 'best_case_below_commit' | 'bad_period' | 'note_too_long';
  path: string;
  message: string;
}

export const CALL_PERIOD_PATTERN = /^(\d{4}-Q[1-4]|\d{4}-(0[1-9]|1[0-2]))$/;
export const MAX_CALL_NOTE_LENGTH = 2000;

/**
 * The problems of a call as data (empty when it is fine).
 * @example validateForecastCall({ period: '2026-Q1', commitMinor: 500, bestCaseMinor: 400, note: '' })[0]?.code // 'best_case_below_commit'
 */
export function validateForecastCall(input: ForecastCallInput): ForecastCallIssue[] {
  const issues: ForecastCallIssue[] = [];
  if (!CALL_PERIOD_PATTERN.test(input.period)) issues.push({ code: 'bad_period', path: 'period', message: 'a quarter such as 2026-Q1 or a month such as 2026-03' });
  for (const [path, value] of [['commitMinor', input.commitMinor], ['bestCaseMinor', input.bestCaseMinor]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) issues.push({ code: 'bad_amount', path, message: 'a whole, non-negative amount in minor units' });
  }
  if (issues.length === 0 && input.bestCaseMinor < input.commitMinor) {
    issues.push({ code: 'best_case_below_commit', path: 'bestCaseMinor', message: 'the best case must be at least the commit' });
  }
  if (input.note.length > MAX_CALL_NOTE_LENGTH) issues.push({ code: 'note_too_long', path: 'note', message: `at most ${MAX_CALL_NOTE_LENGTH} characters` });
  return issues;
}

/**
 * The call that counts per payee and period: the latest submitted (ties: the later in the list).
 * @example latestCalls([{ payeeId: 'p', period: '2026-Q1', submittedAt: '2026-01-02T00:00:00Z' }, { payeeId: 'p', period: '2026-Q1', submittedAt: '2026-01-09T00:00:00Z' }])[0]?.submittedAt // '2026-01-09T00:00:00Z'
 */
export function latestCalls<T extends { payeeId: string; period: string; submittedAt: string }>(calls: readonly T[]): T[] {
  const latest = new Map<string, T>();
  for (const c of calls) {
    const key = `${c.payeeId}\u0000${c.period}`;
    const seen = latest.get(key);
    if (!seen || seen.submittedAt <= c.submittedAt) latest.set(key, c);
  }
  return [...latest.values()];
}

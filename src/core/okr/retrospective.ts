/**
 * The end-of-cycle retrospective: each objective's score against what its commitment
 * promised, the unfinished key results worth carrying into the next cycle, and the
 * sandbagging flag across closed cycles.
 */
import { assessExpectation, isProbablySandbagging, type Commitment, type Expectation } from './scoring.js';
import { isLinearKind, type KeyResultDefinition } from './key-result.js';

export interface RetrospectiveObjective {
  id: string;
  commitment: Commitment;
  score: number;
  keyResults: readonly { id: string; score: number }[];
}

export interface RetrospectiveSummary {
  objectives: { id: string; score: number; expectation: Expectation }[];
  /** Mean objective score (0 without objectives). */
  averageScore: number;
  committedMet: number;
  committedMissed: number;
  aspirationalHealthy: number;
  /** Key results below 1.0: candidates to carry into the next cycle. */
  unfinishedKeyResultIds: string[];
}

/**
 * @example summariseRetrospective([{ id: 'o', commitment: 'committed', score: 0.8, keyResults: [{ id: 'k', score: 0.8 }] }])
 * // → { committedMissed: 1, unfinishedKeyResultIds: ['k'], … }
 */
export function summariseRetrospective(objectives: readonly RetrospectiveObjective[]): RetrospectiveSummary {
  const assessed = objectives.map((o) => ({ id: o.id, score: o.score, expectation: assessExpectation(o.score, o.commitment), commitment: o.commitment }));
  const total = objectives.reduce((sum, o) => sum + o.score, 0);
  return {
    objectives: assessed.map(({ id, score, expectation }) => ({ id, score, expectation })),
    averageScore: objectives.length === 0 ? 0 : Math.round((total / objectives.length) * 10_000) / 10_000,
    committedMet: assessed.filter((o) => o.expectation.verdict === 'met').length,
    committedMissed: assessed.filter((o) => o.expectation.verdict === 'missed').length,
    aspirationalHealthy: assessed.filter((o) => o.expectation.verdict === 'healthy').length,
    unfinishedKeyResultIds: objectives.flatMap((o) => o.keyResults.filter((kr) => kr.score < 1).map((kr) => kr.id)),
  };
}

/**
 * The sandbagging flag of one owner: closed cycles in order, each with the final scores of
 * the owner's key results and their objectives' commitment.
 */
export function ownerSandbagging(cycles: readonly { cycleStart: string; keyResults: readonly { commitment: Commitment; score: number }[] }[]): boolean {
  const ordered = [...cycles].sort((a, b) => (a.cycleStart < b.cycleStart ? -1 : a.cycleStart > b.cycleStart ? 1 : 0));
  return isProbablySandbagging(ordered.map((c) => c.keyResults));
}

/**
 * A key result carried into the next cycle: the same definition, continuing from where it
 * stands. Manual linear key results start from their last value (a metric is measured
 * afresh in the new period, so it keeps its start); a checklist keeps its open items only.
 */
export function carriedDefinition(definition: KeyResultDefinition, state: { current: number | null; checklistDone: readonly boolean[] | null }): KeyResultDefinition {
  if (isLinearKind(definition.kind) && definition.kind !== 'metric' && state.current !== null) {
    return { ...definition, start: state.current };
  }
  if (definition.kind === 'checklist') {
    const open = definition.checklist.filter((_, i) => state.checklistDone?.[i] !== true);
    return { ...definition, checklist: open.length > 0 ? open : definition.checklist };
  }
  return { ...definition };
}

/**
 * An objective's evaluation: the weighted average of its key results' scores (scoring.ts),
 * its band, and a pace status read from the same gap rule as its key results.
 */
import { DEFAULT_PACE_THRESHOLDS, paceStatus, type PaceStatus, type PaceThresholds } from './pace.js';
import { assessExpectation, bandOf, scoreObjective, type Band, type Commitment, type Expectation, type Weighting } from './scoring.js';
import type { KeyResultEvaluation, KeyResultUnit } from './key-result.js';
import type { KeyResultKind } from './templates.js';

export interface ObjectiveEvaluation {
  score: number;
  band: Band;
  expectedProgress: number;
  paceStatus: PaceStatus;
  /** Read against the commitment once the cycle is over (null while it runs). */
  expectation: Expectation | null;
}

/** Money key results weigh by their target under `target_value` weighting; others by 1. */
export function targetWeightOf(kr: { kind: KeyResultKind; unit: KeyResultUnit; target: number | null }): number | undefined {
  return (kr.kind === 'currency' || kr.unit === 'money') && kr.target !== null ? kr.target : undefined;
}

/**
 * @example evaluateObjective({ weighting: 'equal', commitment: 'committed', final: false, expectedProgress: 0.5,
 *   keyResults: [{ evaluation: { score: 1, … }, weight: 1 }, { evaluation: { score: 0.4, … }, weight: 1 }] }) // → { score: 0.7, band: 'green', … }
 */
export function evaluateObjective(input: {
  weighting: Weighting;
  commitment: Commitment;
  keyResults: readonly { evaluation: Pick<KeyResultEvaluation, 'score' | 'hasValue'>; weight: number; targetValue?: number | undefined }[];
  expectedProgress: number;
  /** The cycle is over (or closed): read the score against the commitment. */
  final: boolean;
  thresholds?: PaceThresholds;
}): ObjectiveEvaluation {
  const score = scoreObjective(
    input.keyResults.map((kr) => ({ score: kr.evaluation.score, weight: kr.weight, targetValue: kr.targetValue })),
    input.weighting,
  );
  const started = input.keyResults.some((kr) => kr.evaluation.hasValue);
  return {
    score,
    band: bandOf(score),
    expectedProgress: input.expectedProgress,
    paceStatus: paceStatus(started ? score : null, input.expectedProgress, input.thresholds ?? DEFAULT_PACE_THRESHOLDS),
    expectation: input.final ? assessExpectation(score, input.commitment) : null,
  };
}

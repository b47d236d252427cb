import { addDays, epochDay } from '../period.js';

/**
 * Scoring of key results and objectives on Google's 0.0–1.0 scale. Pure and deterministic:
 * the same inputs give the same score anywhere. Formulas (also in docs/okrs.md):
 *
 * - Linear key results (number, percent, currency, metric-bound):
 *   raw = (current − start) ÷ (target − start); works for increase and decrease (target < start).
 *   score = raw clamped to [0, 1]; raw above 1 is shown separately as over-achievement.
 * - Milestone: 1 when done, else 0. Checklist: done items ÷ all items.
 * - Guardrail (stay above / stay below a limit): the share of the cycle's elapsed days on which
 *   the value was inside the limit, from daily history (a day takes the latest reading at or
 *   before it; days before the first reading do not count).
 * - Objective: the weighted average of its key results' scores, each capped at 1.0.
 * - Rounding: scores are kept to 4 decimals (half away from zero); the grade is read from the
 *   score rounded to one decimal: ≤ 0.3 red, 0.4–0.6 yellow, ≥ 0.7 green.
 */

export type Direction = 'increase' | 'decrease';

export type KeyResultMeasure =
  | { kind: 'linear'; start: number; target: number; current: number | null }
  | { kind: 'milestone'; done: boolean }
  | { kind: 'checklist'; items: readonly { done: boolean }[] }
  | {
      kind: 'guardrail';
      mode: 'stay_above' | 'stay_below';
      limit: number;
      /** Daily (or sparser) readings, any order. */
      history: readonly { date: string; value: number }[];
      cycleStart: string;
      /** The last day that counts (today, or the cycle's last day once it is over). */
      asOf: string;
    };

export interface KeyResultScore {
  /** 0–1, 4 decimals. */
  score: number;
  /** Progress before clamping (linear kinds); equals score for the others. */
  raw: number;
  /** raw − 1 when above target, else 0. */
  overAchievement: number;
  /** False when there is nothing to score yet (no current value, no readings). */
  hasValue: boolean;
}

export function round4(value: number): number {
  const rounded = Math.round(Math.abs(value) * 10_000) / 10_000;
  return value < 0 ? -rounded : rounded;
}

const clamp01 = (value: number): number => Math.min(1, Math.max(0, value));

/** Days between two 'YYYY-MM-DD' dates (b − a). */
export function daysBetween(a: string, b: string): number {
  return epochDay(b) - epochDay(a);
}

/**
 * Scores one key result.
 * @example scoreKeyResult({ kind: 'linear', start: 0, target: 500_000, current: 350_000 }) // → { score: 0.7, raw: 0.7, … }
 * @example scoreKeyResult({ kind: 'linear', start: 40, target: 30, current: 34 }) // days of sales cycle, lower is better → 0.6
 */
export function scoreKeyResult(measure: KeyResultMeasure): KeyResultScore {
  switch (measure.kind) {
    case 'linear': {
      if (measure.current === null) return { score: 0, raw: 0, overAchievement: 0, hasValue: false };
      const span = measure.target - measure.start;
      // A target equal to the start is met when the value is at or beyond it.
      const raw = span === 0 ? (measure.current >= measure.target ? 1 : 0) : (measure.current - measure.start) / span;
      const score = round4(clamp01(raw));
      return { score, raw: round4(raw), overAchievement: round4(Math.max(0, raw - 1)), hasValue: true };
    }
    case 'milestone': {
      const score = measure.done ? 1 : 0;
      return { score, raw: score, overAchievement: 0, hasValue: true };
    }
    case 'checklist': {
      if (measure.items.length === 0) return { score: 0, raw: 0, overAchievement: 0, hasValue: false };
      const score = round4(measure.items.filter((i) => i.done).length / measure.items.length);
      return { score, raw: score, overAchievement: 0, hasValue: true };
    }
    case 'guardrail':
      return scoreGuardrail(measure);
    default: {
      const unreachable: never = measure;
      throw new Error(`unknown key result kind ${JSON.stringify(unreachable)}`);
    }
  }
}

function scoreGuardrail(measure: Extract<KeyResultMeasure, { kind: 'guardrail' }>): KeyResultScore {
  const readings = [...measure.history].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const lastDay = daysBetween(measure.cycleStart, measure.asOf);
  let counted = 0;
  let inside = 0;
  let next = 0;
  let current: number | null = null;
  for (let day = 0; day <= lastDay; day += 1) {
    const date = addDays(measure.cycleStart, day);
    while (next < readings.length && (readings[next]?.date ?? '') <= date) {
      current = readings[next]?.value ?? current;
      next += 1;
    }
    if (current === null) continue;
    counted += 1;
    if (measure.mode === 'stay_above' ? current >= measure.limit : current <= measure.limit) inside += 1;
  }
  if (counted === 0) return { score: 0, raw: 0, overAchievement: 0, hasValue: false };
  const score = round4(inside / counted);
  return { score, raw: score, overAchievement: 0, hasValue: true };
}

export type Weighting = 'equal' | 'explicit' | 'target_value';

/**
 * An objective's score: the weighted average of its key results' scores (each ≤ 1).
 * Weights: equal; explicit (each key result's `weight`, default 1); or by target value
 * (money key results weigh by their target; for others this falls back to weight 1).
 * Key results without a value count as 0: an unstarted key result pulls the objective down.
 */
export function scoreObjective(
  keyResults: readonly { score: number; weight?: number | undefined; targetValue?: number | undefined }[],
  weighting: Weighting = 'equal',
): number {
  if (keyResults.length === 0) return 0;
  let total = 0;
  let weights = 0;
  for (const kr of keyResults) {
    const weight = weighting === 'equal' ? 1 : weighting === 'explicit' ? (kr.weight ?? 1) : Math.abs(kr.targetValue ?? 1);
    if (!(weight >= 0)) throw new Error('a key result weight must be a number ≥ 0');
    total += Math.min(1, kr.score) * weight;
    weights += weight;
  }
  return weights === 0 ? 0 : round4(total / weights);
}

export type Band = 'red' | 'yellow' | 'green';

/** Google's colour bands on the score rounded to one decimal. */
export function bandOf(score: number): Band {
  const tenths = Math.round(score * 10);
  if (tenths >= 7) return 'green';
  if (tenths >= 4) return 'yellow';
  return 'red';
}

export type Commitment = 'committed' | 'aspirational';

export interface Expectation {
  /** committed: met (1.0) or missed; aspirational: healthy (≥ 0.6), low, or too easy (≥ 0.95 hints at a sandbagged target). */
  verdict: 'met' | 'missed' | 'healthy' | 'low' | 'too_easy';
  /** A missed committed objective asks its owner for an explanation. */
  needsExplanation: boolean;
}

/**
 * Reads a final score against what its type promises: committed OKRs are expected at 1.0;
 * aspirational ones are healthy around 0.6–0.7.
 */
export function assessExpectation(score: number, commitment: Commitment): Expectation {
  if (commitment === 'committed') {
    return score >= 1 ? { verdict: 'met', needsExplanation: false } : { verdict: 'missed', needsExplanation: true };
  }
  if (score >= 0.95) return { verdict: 'too_easy', needsExplanation: false };
  if (score >= 0.6) return { verdict: 'healthy', needsExplanation: false };
  return { verdict: 'low', needsExplanation: false };
}

/**
 * The sandbagging flag: an owner scored ≥ 0.95 on every aspirational key result in each of
 * the last two closed cycles (targets are probably not ambitious enough).
 */
export function isProbablySandbagging(cycles: readonly (readonly { commitment: Commitment; score: number }[])[]): boolean {
  const lastTwo = cycles.slice(-2);
  if (lastTwo.length < 2) return false;
  return lastTwo.every((krs) => {
    const aspirational = krs.filter((kr) => kr.commitment === 'aspirational');
    return aspirational.length > 0 && aspirational.every((kr) => kr.score >= 0.95);
  });
}

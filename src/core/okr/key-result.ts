/**
 * A stored key result's definition and its evaluation at a date: score, band, expected
 * progress, pace status and projection, computed with scoring.ts and pace.ts from the
 * definition in effect and the daily values up to that date. Pure: the caller passes the
 * day (`asOf`) and, for metric-bound key results, the metric's value.
 */
import { addDays, type PeriodBaseline } from '../period.js';
import { DEFAULT_PACE_THRESHOLDS, expectedProgress, paceStatus, projectFromPipeline, projectFromTrend, type PaceStatus, type PaceThresholds } from './pace.js';
import { bandOf, daysBetween, round4, scoreKeyResult, type Band, type Direction, type KeyResultMeasure } from './scoring.js';
import type { KeyResultKind } from './templates.js';

export type KeyResultUnit = 'count' | 'money' | 'percent' | 'days' | 'hours' | 'number';
export const KEY_RESULT_KINDS = ['metric', 'number', 'percent', 'currency', 'milestone', 'checklist', 'guardrail'] as const satisfies readonly KeyResultKind[];
export const KEY_RESULT_UNITS = ['count', 'money', 'percent', 'days', 'hours', 'number'] as const satisfies readonly KeyResultUnit[];

export interface MetricBinding {
  key: string;
  /** The metric definition's version the key result was set against; null = the latest. */
  version: number | null;
  /** Picks made when binding: product, region, channel …; `scope: 'tenant'` reads the whole workspace instead of the objective's owner. */
  parameters: Readonly<Record<string, string>>;
}

export interface RelativeTarget {
  period: PeriodBaseline;
  /** +10 → the target is the baseline period's value plus 10 %. */
  changePercent: number;
}

/** What a key result measures and against what: the part whose changes mid-cycle are revisions. */
export interface KeyResultDefinition {
  title: string;
  kind: KeyResultKind;
  unit: KeyResultUnit;
  direction: Direction;
  /** Linear kinds: where progress starts (0 when null). */
  start: number | null;
  /** Linear kinds: the target; null until it is known (a relative target whose baseline is not resolved yet). */
  target: number | null;
  baseline: RelativeTarget | null;
  metric: MetricBinding | null;
  /** Checklist item titles, in order. */
  checklist: readonly string[];
  guardrail: { mode: 'stay_above' | 'stay_below'; limit: number } | null;
  weight: number;
}

export const DEFINITION_FIELDS = ['title', 'kind', 'unit', 'direction', 'start', 'target', 'baseline', 'metric', 'checklist', 'guardrail', 'weight'] as const satisfies readonly (keyof KeyResultDefinition)[];

export function isLinearKind(kind: KeyResultKind): boolean {
  return kind === 'metric' || kind === 'number' || kind === 'percent' || kind === 'currency';
}

/** Whether a key result can be scored at all: a target (linear, guardrail), or items (checklist). */
export function isMeasurable(definition: KeyResultDefinition): boolean {
  switch (definition.kind) {
    case 'metric':
    case 'number':
    case 'percent':
    case 'currency':
      return definition.target !== null;
    case 'milestone':
      return true;
    case 'checklist':
      return definition.checklist.length > 0;
    case 'guardrail':
      return definition.guardrail !== null;
    default: {
      const unreachable: never = definition.kind;
      throw new Error(`unknown key result kind ${String(unreachable)}`);
    }
  }
}

/**
 * A relative target from its baseline value: target = baseline × (1 + change ÷ 100). Where
 * progress starts depends on what is measured: a total that accumulates over the period
 * (revenue, deals won, calls — sums and counts) starts from 0 each period; a level (average deal
 * size, churn rate, days in the sales cycle — averages, rates, ratios) starts from the baseline.
 * Counted things get whole targets (at least the change: up for an increase, down for a decrease).
 * @example resolveRelativeTarget(48_000, { period: 'previous_period', changePercent: 10 }, { accumulates: false }) // { start: 48000, target: 52800 }
 * @example resolveRelativeTarget(542, { period: 'previous_period', changePercent: 10 }, { accumulates: true, whole: true }) // { start: 0, target: 597 }
 */
export function resolveRelativeTarget(baselineValue: number, relative: RelativeTarget, how: { accumulates: boolean; whole?: boolean }): { start: number; target: number } {
  const exact = baselineValue * (1 + relative.changePercent / 100);
  const target = how.whole ? (relative.changePercent >= 0 ? Math.ceil(exact - 1e-9) : Math.floor(exact + 1e-9)) : round4(exact);
  return { start: how.accumulates ? 0 : round4(baselineValue), target };
}

/**
 * Where the straight line from start (first day) to target (end of the cycle) stands on a day:
 * start + (target − start) × elapsed ÷ cycle days, from the exact fraction (4 decimals).
 * @example expectedValueAt({ start: 0, target: 500_000 }, { start: '2025-01-01', end: '2025-04-01' }, '2025-01-31') // 166666.6667
 */
export function expectedValueAt(line: { start: number; target: number }, cycle: { start: string; end: string }, date: string): number {
  const total = daysBetween(cycle.start, cycle.end);
  const fraction = total <= 0 ? 1 : Math.min(1, Math.max(0, daysBetween(cycle.start, date) / total));
  return round4(line.start + (line.target - line.start) * fraction);
}

/** A day's value of a key result (the day's latest check-in). */
export interface DailyValue {
  date: string;
  value: number;
}

export interface KeyResultEvaluationInput {
  definition: KeyResultDefinition;
  /** Daily values, any order; only those on or before asOf count. */
  daily: readonly DailyValue[];
  /** Checklist key results: which items were done at asOf (item order); missing items count as not done. */
  checklistDone?: readonly boolean[] | null;
  /** Metric-bound key results: the metric's value for the cycle up to asOf (overrides the daily values). */
  metricValue?: number | null;
  /** Closed plus stage-weighted open pipeline, when the metric layer can tell (sales key results). */
  openPipeline?: readonly { amount: number; probability: number }[] | null;
  cycle: { start: string; end: string };
  /** The day scores and pace are read at (clamped into the cycle). */
  asOf: string;
  thresholds?: PaceThresholds;
}

export interface KeyResultEvaluation {
  /** 0–1, 4 decimals. */
  score: number;
  /** Linear progress before clamping. */
  raw: number;
  overAchievement: number;
  hasValue: boolean;
  band: Band;
  /** The value scored (linear, guardrail: the latest reading; milestone: 1/0; checklist: items done). */
  current: number | null;
  /** Share of the cycle elapsed at asOf. */
  expectedProgress: number;
  /** Linear kinds: the value the straight line from start to target reaches at asOf. */
  expectedValue: number | null;
  paceStatus: PaceStatus;
  /** Linear kinds: the value at the cycle's end if the trend holds (null with fewer than two readings). */
  projected: number | null;
  /** Metric-bound sales key results: current + stage-weighted open pipeline. */
  projectedFromPipeline: number | null;
  /** The score reached 1.0: celebrate. */
  targetReached: boolean;
}

const byDate = (a: DailyValue, b: DailyValue): number => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

/**
 * Evaluates one key result at a date.
 * @example evaluateKeyResult({ definition: revenue500k, daily: [{ date: '2026-02-15', value: 250_000 }], cycle: q1, asOf: '2026-02-15' })
 * // → { score: 0.5, expectedProgress: 0.5, paceStatus: 'on_track', … }
 */
export function evaluateKeyResult(input: KeyResultEvaluationInput): KeyResultEvaluation {
  const { definition, cycle } = input;
  const asOf = input.asOf < cycle.start ? cycle.start : input.asOf;
  const readings = input.daily.filter((d) => d.date <= asOf).sort(byDate);
  const latest = readings.at(-1)?.value ?? null;
  const expected = expectedProgress(cycle, asOf);
  const thresholds = input.thresholds ?? DEFAULT_PACE_THRESHOLDS;
  let measure: KeyResultMeasure | null;
  let current: number | null;
  let expectedValue: number | null = null;
  switch (definition.kind) {
    case 'metric':
    case 'number':
    case 'percent':
    case 'currency': {
      current = definition.kind === 'metric' && input.metricValue !== undefined ? input.metricValue : latest;
      const start = definition.start ?? 0;
      measure = definition.target === null ? null : { kind: 'linear', start, target: definition.target, current };
      if (definition.target !== null) expectedValue = expectedValueAt({ start, target: definition.target }, cycle, asOf);
      break;
    }
    case 'milestone':
      current = latest === null ? null : latest >= 1 ? 1 : 0;
      measure = { kind: 'milestone', done: current === 1 };
      break;
    case 'checklist': {
      const done = definition.checklist.map((_, i) => input.checklistDone?.[i] === true);
      current = done.filter(Boolean).length;
      measure = { kind: 'checklist', items: done.map((d) => ({ done: d })) };
      break;
    }
    case 'guardrail': {
      current = latest;
      const end = lastDay(cycle);
      measure = definition.guardrail === null
        ? null
        : { kind: 'guardrail', mode: definition.guardrail.mode, limit: definition.guardrail.limit, history: readings, cycleStart: cycle.start, asOf: asOf > end ? end : asOf };
      break;
    }
    default: {
      const unreachable: never = definition.kind;
      throw new Error(`unknown key result kind ${String(unreachable)}`);
    }
  }
  const result = measure ? scoreKeyResult(measure) : { score: 0, raw: 0, overAchievement: 0, hasValue: false };
  // A milestone not yet reported done has "no value" for pace until the cycle runs late.
  const progress = result.hasValue ? result.raw : null;
  const linear = isLinearKind(definition.kind);
  const projected = linear ? projectFromTrend(definition.kind === 'metric' ? withLive(readings, asOf, current) : readings, cycle) : null;
  return {
    score: result.score,
    raw: result.raw,
    overAchievement: result.overAchievement,
    hasValue: result.hasValue,
    band: bandOf(result.score),
    current,
    expectedProgress: expected,
    expectedValue,
    paceStatus: paceStatus(progress, expected, thresholds),
    projected,
    projectedFromPipeline: definition.kind === 'metric' && input.openPipeline && current !== null ? projectFromPipeline(current, input.openPipeline) : null,
    targetReached: result.hasValue && result.score >= 1,
  };
}

/** The live metric value counts as today's reading for the trend. */
function withLive(readings: readonly DailyValue[], asOf: string, current: number | null): DailyValue[] {
  if (current === null) return [...readings];
  return [...readings.filter((r) => r.date < asOf), { date: asOf, value: current }];
}

/** The last day of a cycle (its end is exclusive). */
export function lastDay(cycle: { end: string }): string {
  return addDays(cycle.end, -1);
}

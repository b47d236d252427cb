/**
 * Primitives → values. Both evaluators return, per group and leaf, only exact integer
 * primitives; this one module turns them into the metric's value, so the evaluators
 * cannot disagree on arithmetic or rounding.
 *
 * Rounding rule (the only one): a value is computed exactly as a fraction of integers and
 * written as a decimal string — exact when it has at most 4 decimals (counts, sums, money
 * in minor units, min, max), otherwise rounded half away from zero to 4 decimals. Trailing
 * zeros are dropped. A value that is undefined (an average of nothing, a ratio with a zero
 * denominator, a change against zero) is null.
 */
import { absRational, descale, div, formatRational, isZero, mul, rational, sub, type Rational } from './rational.js';
import type { LeafPlan, MetricPlan, ValueExpr } from './plan.js';

/**
 * The integer primitives of one leaf in one group. Which are filled depends on the measure:
 * - count: records that match (period and filters);
 * - n: records that contribute to the value (count; with a value in the field for sum, avg,
 *   min, max and distinct_count; with both dates for avg_duration; with `from` for share_within);
 * - sum: of the field (scaled integers, minor units) or of durations in milliseconds;
 * - min, max: of the field, null when n = 0;
 * - distinct: different values of the field;
 * - hits: records that also meet `where` (rate) or stayed within the limit (share_within).
 */
export interface LeafPrimitives {
  count: bigint;
  n: bigint;
  sum: bigint;
  min: bigint | null;
  max: bigint | null;
  distinct: bigint;
  hits: bigint;
}

export const ZERO_PRIMITIVES: Readonly<LeafPrimitives> = Object.freeze({ count: 0n, n: 0n, sum: 0n, min: null, max: null, distinct: 0n, hits: 0n });

/** What an evaluator returns: primitives per group (one entry per leaf) and for all records. */
export interface RawEvaluation {
  groups: Map<string | null, LeafPrimitives[]>;
  total: LeafPrimitives[];
}

export interface GroupValue {
  key: string | null;
  value: string | null;
  recordCount: number;
}

export interface EvaluationValues {
  groups: GroupValue[];
  total: { value: string | null; recordCount: number };
}

const ONE = rational(1n);
const HUNDRED = rational(100n);

/** The exact value of one leaf, before the metric's percent scaling. */
export function leafValue(leaf: LeafPlan, p: LeafPrimitives): Rational | null {
  const m = leaf.measure;
  switch (m.kind) {
    case 'count':
      return rational(p.count);
    case 'sum':
      return descale(p.sum, m.scale);
    case 'avg':
      return p.n === 0n ? null : div(descale(p.sum, m.scale), rational(p.n));
    case 'min':
      return p.min === null ? null : descale(p.min, m.scale);
    case 'max':
      return p.max === null ? null : descale(p.max, m.scale);
    case 'distinct_count':
      return rational(p.distinct);
    case 'rate':
    case 'share_within':
      return p.n === 0n ? null : rational(p.hits, p.n);
    case 'avg_duration':
      return p.n === 0n ? null : rational(p.sum, p.n * BigInt(m.unitMs));
    default: {
      const unreachable: never = m;
      throw new Error(`unknown measure ${JSON.stringify(unreachable)}`);
    }
  }
}

function exprValue(plan: MetricPlan, expr: ValueExpr, leaves: readonly LeafPrimitives[]): Rational | null {
  switch (expr.kind) {
    case 'leaf': {
      const leaf = plan.leaves[expr.leaf];
      if (!leaf) throw new Error(`no leaf ${expr.leaf}`);
      return leafValue(leaf, leaves[expr.leaf] ?? ZERO_PRIMITIVES);
    }
    case 'ratio': {
      const numerator = exprValue(plan, expr.numerator, leaves);
      const denominator = exprValue(plan, expr.denominator, leaves);
      return numerator === null || denominator === null ? null : div(numerator, denominator);
    }
    case 'change': {
      const current = exprValue(plan, expr.current, leaves);
      const baseline = exprValue(plan, expr.baseline, leaves);
      if (current === null || baseline === null || isZero(baseline)) return null;
      return div(sub(current, baseline), absRational(baseline));
    }
    default: {
      const unreachable: never = expr;
      throw new Error(`unknown expression ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * The exact value of a metric for one group.
 * @example metricRational(revenuePlan, [{ ...ZERO_PRIMITIVES, count: 2n, n: 2n, sum: 150000n }]) // 150000/1
 */
export function metricRational(plan: MetricPlan, leaves: readonly LeafPrimitives[]): Rational | null {
  const value = exprValue(plan, plan.value, leaves);
  return value === null ? null : mul(value, plan.percent ? HUNDRED : ONE);
}

/**
 * The value of a metric for one group as a decimal string (see the rounding rule above).
 * @example metricValue(averageDealSizePlan, [{ ...ZERO_PRIMITIVES, count: 3n, n: 3n, sum: 100n }]) // '33.3333'
 */
export function metricValue(plan: MetricPlan, leaves: readonly LeafPrimitives[]): string | null {
  const value = metricRational(plan, leaves);
  return value === null ? null : formatRational(value);
}

/** Contributing records of a group: the primary leaf's n. */
export function recordCountOf(plan: MetricPlan, leaves: readonly LeafPrimitives[]): number {
  return Number((leaves[plan.primaryLeaf] ?? ZERO_PRIMITIVES).n);
}

/** Orders groups by value, highest first (undefined values last), then by key. */
export function compareGroups(a: { key: string | null; rational: Rational | null }, b: { key: string | null; rational: Rational | null }): number {
  if (a.rational !== null && b.rational !== null) {
    const d = a.rational.num * b.rational.den - b.rational.num * a.rational.den;
    if (d !== 0n) return d > 0n ? -1 : 1;
  } else if (a.rational !== b.rational) {
    return a.rational === null ? 1 : -1;
  }
  if (a.key === b.key) return 0;
  if (a.key === null) return 1;
  if (b.key === null) return -1;
  return a.key < b.key ? -1 : 1;
}

/** Turns an evaluator's primitives into the values of every group and the total. */
export function finaliseEvaluation(plan: MetricPlan, raw: RawEvaluation): EvaluationValues {
  const groups = [...raw.groups.entries()]
    .map(([key, leaves]) => ({ key, leaves, rational: metricRational(plan, leaves) }))
    .sort(compareGroups)
    .map(({ key, leaves, rational: r }) => ({ key, value: r === null ? null : formatRational(r), recordCount: recordCountOf(plan, leaves) }));
  return { groups, total: { value: metricValue(plan, raw.total), recordCount: recordCountOf(plan, raw.total) } };
}

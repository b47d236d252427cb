/**
 * Incremental maintenance of a metric's primitives: when one record changes, its old
 * contribution leaves and its new one enters, without scanning the other records.
 *
 * A record's contribution is what the in-memory evaluator returns for a snapshot holding
 * only that record (so selection, filters, grouping and team roll-up are the evaluator's own,
 * never re-implemented). Count, n, sum and hits are sums over records, so a change is exact
 * arithmetic on them: state − before + after. Min, max and distinct count are not (removing
 * the minimum needs the next one), so metrics with such a leaf are not incremental: their
 * holders re-evaluate instead (see `isIncremental`).
 */
import type { DatasetDef } from '../data/datasets.js';
import type { FiscalCalendar, Period } from '../period.js';
import { evaluatePrimitivesInMemory, type OrgSnapshot } from './evaluate.js';
import { ZERO_PRIMITIVES, type LeafPrimitives, type RawEvaluation } from './finalise.js';
import type { GroupingPlan, MetricPlan } from './plan.js';
import { createSnapshotBuilder, type ColumnarSnapshot, type SnapshotRow } from './snapshot.js';

/** True when every leaf's primitives are sums over records, so deltas are exact. */
export function isIncremental(plan: MetricPlan): boolean {
  return plan.leaves.every((leaf) => leaf.measure.kind !== 'min' && leaf.measure.kind !== 'max' && leaf.measure.kind !== 'distinct_count');
}

export interface ContributionInput {
  plan: MetricPlan;
  grouping: GroupingPlan;
  period: Period;
  calendar: FiscalCalendar;
  org: OrgSnapshot;
}

const emptySnapshots = new WeakMap<DatasetDef, ColumnarSnapshot>();
function emptySnapshot(dataset: DatasetDef): ColumnarSnapshot {
  let snapshot = emptySnapshots.get(dataset);
  if (!snapshot) {
    snapshot = createSnapshotBuilder(dataset, 1).build();
    emptySnapshots.set(dataset, snapshot);
  }
  return snapshot;
}

/**
 * What one record of `dataset` adds to the metric's primitives: per group and leaf, and to
 * the total. Leaves over other datasets get nothing. A record outside the period or the
 * filters contributes nothing (no groups, zero totals).
 */
export function contributionOf(input: ContributionInput, dataset: DatasetDef, row: SnapshotRow): RawEvaluation {
  const snapshots: Record<string, ColumnarSnapshot> = {};
  for (const leaf of input.plan.leaves) snapshots[leaf.dataset.key] ??= emptySnapshot(leaf.dataset);
  const builder = createSnapshotBuilder(dataset, 1);
  builder.append(row);
  snapshots[dataset.key] = builder.build();
  return evaluatePrimitivesInMemory({ ...input, snapshots });
}

/** Whether a contribution adds anything (a record outside the metric's selection does not). */
export function contributes(contribution: RawEvaluation): boolean {
  return contribution.total.some((p) => p.count !== 0n);
}

function addInto(target: LeafPrimitives, delta: LeafPrimitives, sign: 1n | -1n): LeafPrimitives {
  return {
    count: target.count + sign * delta.count,
    n: target.n + sign * delta.n,
    sum: target.sum + sign * delta.sum,
    min: target.min,
    max: target.max,
    distinct: target.distinct,
    hits: target.hits + sign * delta.hits,
  };
}

/**
 * Applies a contribution to the state in place (sign +1 adds it, −1 takes it out) and
 * returns the group keys it touched. A group left without records is removed, as neither
 * evaluator returns a group without records.
 * @example applyContribution(state, contributionOf(input, DEALS, before), -1n); applyContribution(state, contributionOf(input, DEALS, after), 1n)
 */
export function applyContribution(state: RawEvaluation, contribution: RawEvaluation, sign: 1n | -1n): Set<string | null> {
  const touched = new Set<string | null>();
  const leaves = state.total.length;
  state.total = state.total.map((p, i) => addInto(p, contribution.total[i] ?? ZERO_PRIMITIVES, sign));
  for (const [key, delta] of contribution.groups) {
    touched.add(key);
    const current = state.groups.get(key) ?? Array.from({ length: leaves }, () => ({ ...ZERO_PRIMITIVES }));
    const next = current.map((p, i) => addInto(p, delta[i] ?? ZERO_PRIMITIVES, sign));
    if (next.every((p) => p.count === 0n)) state.groups.delete(key);
    else state.groups.set(key, next);
  }
  return touched;
}

/** A copy of the state that later changes to the original do not affect. */
export function cloneRaw(raw: RawEvaluation): RawEvaluation {
  return { groups: new Map([...raw.groups].map(([key, leaves]) => [key, leaves.map((p) => ({ ...p }))])), total: raw.total.map((p) => ({ ...p })) };
}

/** Only the given groups of a state (and its total), e.g. to finalise just what changed. */
export function pickGroups(raw: RawEvaluation, keys: Iterable<string | null>): RawEvaluation {
  const groups = new Map<string | null, LeafPrimitives[]>();
  for (const key of keys) {
    const leaves = raw.groups.get(key);
    if (leaves) groups.set(key, leaves);
  }
  return { groups, total: raw.total };
}

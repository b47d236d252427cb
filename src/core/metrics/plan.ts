/**
 * A validated metric, resolved against its datasets: the shape both evaluators (SQL and
 * in-memory) execute. A metric is a small expression over **leaves**; each leaf is one
 * aggregate over one dataset in one period (the current one or a baseline), and both
 * evaluators return the same integer primitives per leaf and group.
 */
import type { DatasetDef, FieldDef, SlotFamily } from '../data/datasets.js';
import { baselinePeriod, type FiscalCalendar, type Period, type PeriodBaseline } from '../period.js';
import type { MetricDefinition } from './definition.js';

/** A filter with its value converted to what the slot stores. */
export type CompiledFilter =
  | { field: FieldDef; family: SlotFamily | 'owner'; op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte'; value: StoredValue }
  | { field: FieldDef; family: SlotFamily | 'owner'; op: 'in' | 'not_in'; values: StoredValue[] }
  | { field: FieldDef; family: SlotFamily | 'owner'; op: 'is_null' | 'not_null' }
  /** Internal (not in the definition format): the value, or none — a record without a currency is in the workspace's. */
  | { field: FieldDef; family: SlotFamily | 'owner'; op: 'eq_or_null'; value: StoredValue };

/**
 * A value as its slot holds it: text, account, territory and payee fields a string; number,
 * money and boolean fields a safe integer (scaled, minor units, 1/0); dates an epoch day;
 * datetimes epoch milliseconds.
 */
export type StoredValue = string | number;

export type CompiledLeafMeasure =
  | { kind: 'count' }
  | { kind: 'sum' | 'avg' | 'min' | 'max'; field: FieldDef; scale: number }
  | { kind: 'distinct_count'; field: FieldDef }
  | { kind: 'rate'; where: CompiledFilter[] }
  | { kind: 'avg_duration'; from: FieldDef; to: FieldDef; unitMs: number }
  | { kind: 'share_within'; from: FieldDef; to: FieldDef; limitMs: number };

export type LeafShift = 'current' | PeriodBaseline;

export interface LeafPlan {
  index: number;
  /** What this leaf is in the metric: value, numerator, denominator, current_numerator, baseline … */
  role: string;
  shift: LeafShift;
  dataset: DatasetDef;
  /** The date/datetime field that puts a record into the period. */
  dateField: FieldDef;
  /** When set: records active during the period (dateField before its end, activeUntil empty or not before its start). */
  activeUntil: FieldDef | null;
  filters: CompiledFilter[];
  measure: CompiledLeafMeasure;
}

export type ValueExpr =
  | { kind: 'leaf'; leaf: number }
  | { kind: 'ratio'; numerator: ValueExpr; denominator: ValueExpr }
  | { kind: 'change'; current: ValueExpr; baseline: ValueExpr };

export interface MetricPlan {
  definition: MetricDefinition;
  leaves: LeafPlan[];
  value: ValueExpr;
  /** The leaf whose contributing records a group's recordCount counts (and explain lists first). */
  primaryLeaf: number;
  /** Multiply the final fraction by 100 (rates, shares and ratios with unit percent; changes). */
  percent: boolean;
  baseline: PeriodBaseline | null;
  /** The groupings the definition allows. */
  dimensions: string[];
}

/** How one leaf's records are grouped. */
export type LeafGrouping =
  | { kind: 'none' }
  /** The owner's team and every team above it (a team's value covers its subtree). */
  | { kind: 'team'; owner: FieldDef }
  | { kind: 'field'; field: FieldDef };

export interface GroupingPlan {
  dimension: string | null;
  perLeaf: LeafGrouping[];
}

/** The period a leaf reads. */
export function leafPeriod(period: Period, shift: LeafShift, calendar: FiscalCalendar): Period {
  return shift === 'current' ? period : baselinePeriod(period, shift, calendar);
}

export const MS_PER_HOUR = 3_600_000;

/**
 * The fields each dataset must provide for a plan (and a grouping): what a snapshot needs
 * to hold to evaluate it, by dataset key.
 * @example fieldsUsed(revenuePlan, ownerGrouping) // Map { 'deals' => Set { 'close_date', 'stage', 'amount', 'owner' } }
 */
export function fieldsUsed(plan: MetricPlan, grouping?: GroupingPlan): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (dataset: string, field: FieldDef) => {
    let set = out.get(dataset);
    if (!set) {
      set = new Set();
      out.set(dataset, set);
    }
    set.add(field.key);
  };
  plan.leaves.forEach((leaf, i) => {
    const key = leaf.dataset.key;
    add(key, leaf.dateField);
    if (leaf.activeUntil) add(key, leaf.activeUntil);
    for (const filter of leaf.filters) add(key, filter.field);
    const m = leaf.measure;
    switch (m.kind) {
      case 'count':
        break;
      case 'sum':
      case 'avg':
      case 'min':
      case 'max':
      case 'distinct_count':
        add(key, m.field);
        break;
      case 'rate':
        for (const filter of m.where) add(key, filter.field);
        break;
      case 'avg_duration':
      case 'share_within':
        add(key, m.from);
        add(key, m.to);
        break;
      default: {
        const unreachable: never = m;
        throw new Error(`unknown measure ${JSON.stringify(unreachable)}`);
      }
    }
    const g = grouping?.perLeaf[i];
    if (g?.kind === 'team') add(key, g.owner);
    else if (g?.kind === 'field') add(key, g.field);
  });
  return out;
}

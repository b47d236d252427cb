/**
 * The in-memory evaluator: scans columnar snapshots (snapshot.ts) and returns the same
 * integer primitives per group as the SQL evaluator, for simulation and live updates.
 * Pure: snapshots, the org (payees and teams) and the period come in as data.
 *
 * Each leaf runs as a few tight loops over typed arrays: select the rows of the period,
 * narrow the selection by each filter, assign groups, accumulate. Sums stay exact: they
 * accumulate in a float64 while below 2^52 and spill into a BigInt beyond.
 */
import { slotFamilyOf, type FieldDef } from '../data/datasets.js';
import { epochDay, formatEpochDay, MS_PER_DAY, type FiscalCalendar, type Period } from '../period.js';
import { finaliseEvaluation, ZERO_PRIMITIVES, type EvaluationValues, type LeafPrimitives, type RawEvaluation } from './finalise.js';
import { groupLabel } from './labels.js';
import { leafPeriod, type CompiledFilter, type GroupingPlan, type LeafGrouping, type LeafPlan, type MetricPlan } from './plan.js';
import { isNullAt, NULL_DAY, type ColumnarSnapshot, type DictionaryColumn, type NumberColumn } from './snapshot.js';

export interface OrgTeam {
  id: string;
  parentId: string | null;
  name: string;
}

export interface OrgPayee {
  id: string;
  teamId: string | null;
  name: string;
}

/** The payees and the team tree, for team roll-up and labels. */
export interface OrgSnapshot {
  teams: readonly OrgTeam[];
  payees: readonly OrgPayee[];
}

export interface InMemoryInput {
  plan: MetricPlan;
  grouping: GroupingPlan;
  period: Period;
  calendar: FiscalCalendar;
  /** By dataset key: every dataset the plan's leaves read. */
  snapshots: Readonly<Record<string, ColumnarSnapshot>>;
  org: OrgSnapshot;
}

export interface LabelledGroup {
  key: string | null;
  label: string;
  value: string | null;
  recordCount: number;
}

export interface LabelledEvaluation {
  groups: LabelledGroup[];
  total: EvaluationValues['total'];
}

const SPILL = 2 ** 52;

// --- column access ---------------------------------------------------------------------

function dictColumn(s: ColumnarSnapshot, field: FieldDef): DictionaryColumn {
  const column = field.type === 'payee' ? s.owner : s.text[field.slot];
  if (!column) throw new Error(`snapshot of ${s.dataset} has no column ${field.slot}`);
  return column;
}
function numberColumn(s: ColumnarSnapshot, field: FieldDef): NumberColumn {
  const column = s.numbers[field.slot];
  if (!column) throw new Error(`snapshot of ${s.dataset} has no column ${field.slot}`);
  return column;
}
function dateColumn(s: ColumnarSnapshot, field: FieldDef): Int32Array {
  const column = s.dates[field.slot];
  if (!column) throw new Error(`snapshot of ${s.dataset} has no column ${field.slot}`);
  return column;
}
function datetimeColumn(s: ColumnarSnapshot, field: FieldDef): Float64Array {
  const column = s.datetimes[field.slot];
  if (!column) throw new Error(`snapshot of ${s.dataset} has no column ${field.slot}`);
  return column;
}

/** A date or datetime field as epoch milliseconds per row (NaN for no value). */
function millisOf(s: ColumnarSnapshot, field: FieldDef): (row: number) => number {
  if (field.type === 'datetime') {
    const column = datetimeColumn(s, field);
    return (row) => column[row] as number;
  }
  const column = dateColumn(s, field);
  return (row) => {
    const day = column[row] as number;
    return day === NULL_DAY ? Number.NaN : day * MS_PER_DAY;
  };
}

// --- selection -------------------------------------------------------------------------

/** Rows whose attribution puts them into the period. */
function selectPeriod(s: ColumnarSnapshot, leaf: LeafPlan, period: Period): { rows: Uint32Array; k: number } {
  const rows = new Uint32Array(s.rowCount);
  const startDay = epochDay(period.start);
  const endDay = epochDay(period.end);
  let k = 0;
  const bounds = (field: FieldDef) => (field.type === 'date' ? [startDay, endDay] : [startDay * MS_PER_DAY, endDay * MS_PER_DAY]) as [number, number];
  const values = (field: FieldDef): Int32Array | Float64Array => (field.type === 'date' ? dateColumn(s, field) : datetimeColumn(s, field));
  const from = values(leaf.dateField);
  const [lo, hi] = bounds(leaf.dateField);
  const n = s.rowCount;
  if (!leaf.activeUntil) {
    // The hot loop of every metric; NULL_DAY and NaN fail both comparisons.
    for (let i = 0; i < n; i += 1) {
      const v = from[i] as number;
      if (v >= lo && v < hi) rows[k++] = i;
    }
    return { rows, k };
  }
  const until = values(leaf.activeUntil);
  const [untilLo] = bounds(leaf.activeUntil);
  const untilIsDate = leaf.activeUntil.type === 'date';
  const fromIsDate = leaf.dateField.type === 'date';
  // Active during the period: started before its end, not ended before its start.
  for (let i = 0; i < n; i += 1) {
    const v = from[i] as number;
    if (v < hi && !(fromIsDate && v === NULL_DAY) && !Number.isNaN(v)) {
      const u = until[i] as number;
      if ((untilIsDate ? u === NULL_DAY : Number.isNaN(u)) || u >= untilLo) rows[k++] = i;
    }
  }
  return { rows, k };
}

function comparator(op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte', x: number): (v: number) => boolean {
  switch (op) {
    case 'eq':
      return (v) => v === x;
    case 'neq':
      return (v) => v !== x;
    case 'gt':
      return (v) => v > x;
    case 'gte':
      return (v) => v >= x;
    case 'lt':
      return (v) => v < x;
    case 'lte':
      return (v) => v <= x;
    default: {
      const unreachable: never = op;
      throw new Error(`unknown operator ${String(unreachable)}`);
    }
  }
}

/** Keeps the selected rows that pass the filter (in place); returns how many are left. */
function applyFilter(s: ColumnarSnapshot, filter: CompiledFilter, rows: Uint32Array, k: number): number {
  let out = 0;
  if (filter.family === 't' || filter.family === 'owner') {
    const { codes, dictionary } = dictColumn(s, filter.field);
    let keep: (code: number) => boolean;
    switch (filter.op) {
      case 'eq': {
        // The most common filter (stage = closed_won): one comparison of codes per row.
        const target = dictionary.indexOf(String(filter.value));
        if (target < 0) return 0;
        for (let j = 0; j < k; j += 1) {
          const i = rows[j] as number;
          if (codes[i] === target) rows[out++] = i;
        }
        return out;
      }
      case 'neq': {
        const target = dictionary.indexOf(String(filter.value));
        keep = (c) => c >= 0 && c !== target;
        break;
      }
      case 'in':
      case 'not_in': {
        const lut = new Uint8Array(dictionary.length);
        const wanted = new Set(filter.values.map(String));
        dictionary.forEach((text, code) => (lut[code] = wanted.has(text) ? 1 : 0));
        keep = filter.op === 'in' ? (c) => c >= 0 && lut[c] === 1 : (c) => c >= 0 && lut[c] === 0;
        break;
      }
      case 'eq_or_null': {
        const target = dictionary.indexOf(String(filter.value));
        keep = (c) => c < 0 || c === target;
        break;
      }
      case 'is_null':
        keep = (c) => c < 0;
        break;
      case 'not_null':
        keep = (c) => c >= 0;
        break;
      default:
        throw new Error(`operator ${filter.op} on text (validation lets it through only for ordered types)`);
    }
    for (let j = 0; j < k; j += 1) {
      const i = rows[j] as number;
      if (keep(codes[i] as number)) rows[out++] = i;
    }
    return out;
  }

  // Numbers, dates and datetimes: a value or none, compared as numbers.
  let get: (row: number) => number;
  let isNull: (row: number) => boolean;
  if (filter.family === 'n') {
    const column = numberColumn(s, filter.field);
    get = (row) => column.values[row] as number;
    isNull = (row) => isNullAt(column, row);
  } else if (filter.family === 'd') {
    const column = dateColumn(s, filter.field);
    get = (row) => column[row] as number;
    isNull = (row) => column[row] === NULL_DAY;
  } else {
    const column = datetimeColumn(s, filter.field);
    get = (row) => column[row] as number;
    isNull = (row) => Number.isNaN(column[row]);
  }
  let keep: (row: number) => boolean;
  switch (filter.op) {
    case 'eq_or_null': {
      const wanted = Number(filter.value);
      keep = (row) => isNull(row) || get(row) === wanted;
      break;
    }
    case 'is_null':
      keep = isNull;
      break;
    case 'not_null':
      keep = (row) => !isNull(row);
      break;
    case 'in':
    case 'not_in': {
      const set = new Set(filter.values.map(Number));
      keep = filter.op === 'in' ? (row) => !isNull(row) && set.has(get(row)) : (row) => !isNull(row) && !set.has(get(row));
      break;
    }
    default: {
      const test = comparator(filter.op, Number(filter.value));
      keep = (row) => !isNull(row) && test(get(row));
    }
  }
  for (let j = 0; j < k; j += 1) {
    const i = rows[j] as number;
    if (keep(i)) rows[out++] = i;
  }
  return out;
}

// --- grouping --------------------------------------------------------------------------

interface Groups {
  /** Number of groups (the total is accumulated in one more slot, index `size`). */
  size: number;
  keys: (string | null)[];
  /** Single grouping: the group of each selected row (by position in the selection). */
  ofSelected?: Int32Array;
  /** Team roll-up: the groups of each owner code + 1 (0 = no owner). */
  ofOwner?: Int32Array[];
  ownerCodes?: Int32Array;
}

function teamGroups(s: ColumnarSnapshot, owner: FieldDef, org: OrgSnapshot): Groups {
  const teamIndex = new Map(org.teams.map((t, i) => [t.id, i]));
  const parentOf = new Map(org.teams.map((t) => [t.id, t.parentId]));
  const nullGroup = org.teams.length;
  const ancestors = new Map<string, Int32Array>();
  const ancestorsOf = (teamId: string): Int32Array => {
    let cached = ancestors.get(teamId);
    if (!cached) {
      const seen: number[] = [];
      for (let id: string | null | undefined = teamId; id && teamIndex.has(id) && !seen.includes(teamIndex.get(id) as number); id = parentOf.get(id)) {
        seen.push(teamIndex.get(id) as number);
      }
      cached = Int32Array.from(seen);
      ancestors.set(teamId, cached);
    }
    return cached;
  };
  const teamOfPayee = new Map(org.payees.map((p) => [p.id, p.teamId]));
  const { codes, dictionary } = dictColumn(s, owner);
  const none = Int32Array.of(nullGroup);
  const ofOwner = [none, ...dictionary.map((payeeId) => {
    const teamId = teamOfPayee.get(payeeId);
    const list = teamId ? ancestorsOf(teamId) : none;
    return list.length > 0 ? list : none;
  })];
  return { size: nullGroup + 1, keys: [...org.teams.map((t) => t.id), null], ofOwner, ownerCodes: codes };
}

function fieldGroups(s: ColumnarSnapshot, field: FieldDef, rows: Uint32Array, k: number): Groups {
  const ofSelected = new Int32Array(k);
  const family = slotFamilyOf(field.type);
  if (family === 't' || family === 'owner') {
    const { codes, dictionary } = dictColumn(s, field);
    for (let j = 0; j < k; j += 1) ofSelected[j] = (codes[rows[j] as number] as number) + 1;
    return { size: dictionary.length + 1, keys: [null, ...dictionary], ofSelected };
  }
  const keys: (string | null)[] = [null];
  const index = new Map<number, number>();
  let value: (row: number) => number | null;
  let format: (v: number) => string;
  if (family === 'n') {
    const column = numberColumn(s, field);
    value = (row) => (isNullAt(column, row) ? null : (column.values[row] as number));
    format = (v) => String(v);
  } else if (family === 'd') {
    const column = dateColumn(s, field);
    value = (row) => (column[row] === NULL_DAY ? null : (column[row] as number));
    format = formatEpochDay;
  } else {
    throw new Error(`grouping by a ${field.type} field`);
  }
  for (let j = 0; j < k; j += 1) {
    const v = value(rows[j] as number);
    if (v === null) {
      ofSelected[j] = 0;
      continue;
    }
    let g = index.get(v);
    if (g === undefined) {
      g = keys.length;
      keys.push(format(v));
      index.set(v, g);
    }
    ofSelected[j] = g;
  }
  return { size: keys.length, keys, ofSelected };
}

// --- accumulation ----------------------------------------------------------------------

class Accumulators {
  readonly count: Float64Array;
  readonly n: Float64Array;
  readonly sum: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly hits: Float64Array;
  spilled: bigint[] | null = null;
  readonly sets: (Set<number> | undefined)[];
  constructor(readonly size: number) {
    this.count = new Float64Array(size);
    this.n = new Float64Array(size);
    this.sum = new Float64Array(size);
    this.min = new Float64Array(size).fill(Number.POSITIVE_INFINITY);
    this.max = new Float64Array(size).fill(Number.NEGATIVE_INFINITY);
    this.hits = new Float64Array(size);
    this.sets = new Array<Set<number> | undefined>(size);
  }
  spill(g: number, value: number): void {
    this.spilled ??= new Array<bigint>(this.size).fill(0n);
    this.spilled[g] = (this.spilled[g] ?? 0n) + BigInt(value);
  }
  primitives(g: number, kind: LeafPlan['measure']['kind']): LeafPrimitives {
    const n = this.n[g] as number;
    const big = (x: number) => BigInt(x);
    const sum = big(this.sum[g] as number) + (this.spilled?.[g] ?? 0n);
    const hasSum = kind === 'sum' || kind === 'avg' || kind === 'avg_duration';
    return {
      count: big(this.count[g] as number),
      n: big(n),
      sum: hasSum ? sum : 0n,
      min: kind === 'min' && n > 0 ? big(this.min[g] as number) : null,
      max: kind === 'max' && n > 0 ? big(this.max[g] as number) : null,
      distinct: kind === 'distinct_count' ? big(this.sets[g]?.size ?? 0) : 0n,
      hits: kind === 'rate' || kind === 'share_within' ? big(this.hits[g] as number) : 0n,
    };
  }
}

/** The per-row accumulation of one leaf's measure into group g. */
function adder(s: ColumnarSnapshot, leaf: LeafPlan, acc: Accumulators, rows: Uint32Array, k: number): (row: number, g: number) => void {
  const { count, n, sum, min, max, hits, sets } = acc;
  const m = leaf.measure;
  switch (m.kind) {
    case 'count':
      return (_row, g) => {
        count[g] = (count[g] as number) + 1;
        n[g] = (n[g] as number) + 1;
      };
    case 'sum':
    case 'avg': {
      const column = numberColumn(s, m.field);
      const { values, nulls } = column;
      return (row, g) => {
        count[g] = (count[g] as number) + 1;
        if ((((nulls[row >>> 5] as number) >>> (row & 31)) & 1) === 1) return;
        n[g] = (n[g] as number) + 1;
        let total = (sum[g] as number) + (values[row] as number);
        if (total >= SPILL || total <= -SPILL) {
          acc.spill(g, total);
          total = 0;
        }
        sum[g] = total;
      };
    }
    case 'min':
    case 'max': {
      const column = numberColumn(s, m.field);
      const target = m.kind === 'min' ? min : max;
      const better = m.kind === 'min' ? (v: number, best: number) => v < best : (v: number, best: number) => v > best;
      return (row, g) => {
        count[g] = (count[g] as number) + 1;
        if (isNullAt(column, row)) return;
        n[g] = (n[g] as number) + 1;
        const v = column.values[row] as number;
        if (better(v, target[g] as number)) target[g] = v;
      };
    }
    case 'distinct_count': {
      const family = slotFamilyOf(m.field.type);
      let value: (row: number) => number | null;
      if (family === 't' || family === 'owner') {
        const { codes } = dictColumn(s, m.field);
        value = (row) => (codes[row] === -1 ? null : (codes[row] as number));
      } else if (family === 'n') {
        const column = numberColumn(s, m.field);
        value = (row) => (isNullAt(column, row) ? null : (column.values[row] as number));
      } else if (family === 'd') {
        const column = dateColumn(s, m.field);
        value = (row) => (column[row] === NULL_DAY ? null : (column[row] as number));
      } else {
        const column = datetimeColumn(s, m.field);
        value = (row) => (Number.isNaN(column[row]) ? null : (column[row] as number));
      }
      return (row, g) => {
        count[g] = (count[g] as number) + 1;
        const v = value(row);
        if (v === null) return;
        n[g] = (n[g] as number) + 1;
        let set = sets[g];
        if (!set) {
          set = new Set();
          sets[g] = set;
        }
        set.add(v);
      };
    }
    case 'rate': {
      // Mark the selected rows that also meet `where`.
      const also = rows.slice(0, k);
      let left = k;
      for (const filter of m.where) left = applyFilter(s, filter, also, left);
      const hit = new Uint8Array(s.rowCount);
      for (let j = 0; j < left; j += 1) hit[also[j] as number] = 1;
      return (row, g) => {
        count[g] = (count[g] as number) + 1;
        n[g] = (n[g] as number) + 1;
        if (hit[row] === 1) hits[g] = (hits[g] as number) + 1;
      };
    }
    case 'avg_duration': {
      const from = millisOf(s, m.from);
      const to = millisOf(s, m.to);
      return (row, g) => {
        count[g] = (count[g] as number) + 1;
        const d = to(row) - from(row);
        if (Number.isNaN(d)) return;
        n[g] = (n[g] as number) + 1;
        let total = (sum[g] as number) + d;
        if (total >= SPILL || total <= -SPILL) {
          acc.spill(g, total);
          total = 0;
        }
        sum[g] = total;
      };
    }
    case 'share_within': {
      const from = millisOf(s, m.from);
      const to = millisOf(s, m.to);
      const limit = m.limitMs;
      return (row, g) => {
        count[g] = (count[g] as number) + 1;
        const start = from(row);
        if (Number.isNaN(start)) return;
        n[g] = (n[g] as number) + 1;
        if (to(row) - start <= limit) hits[g] = (hits[g] as number) + 1;
      };
    }
    default: {
      const unreachable: never = m;
      throw new Error(`unknown measure ${JSON.stringify(unreachable)}`);
    }
  }
}

function evaluateLeaf(input: InMemoryInput, leaf: LeafPlan, grouping: LeafGrouping): { groups: Map<string | null, LeafPrimitives>; total: LeafPrimitives } {
  const s = input.snapshots[leaf.dataset.key];
  if (!s) throw new Error(`no snapshot of dataset ${leaf.dataset.key}`);
  const period = leafPeriod(input.period, leaf.shift, input.calendar);
  const selection = selectPeriod(s, leaf, period);
  const rows = selection.rows;
  let k = selection.k;
  for (const filter of leaf.filters) k = applyFilter(s, filter, rows, k);

  const groups: Groups =
    grouping.kind === 'none' ? { size: 0, keys: [] } : grouping.kind === 'team' ? teamGroups(s, grouping.owner, input.org) : fieldGroups(s, grouping.field, rows, k);
  const total = groups.size;
  const acc = new Accumulators(groups.size + 1);
  const add = adder(s, leaf, acc, rows, k);
  if (groups.ofSelected) {
    const of = groups.ofSelected;
    for (let j = 0; j < k; j += 1) {
      const row = rows[j] as number;
      add(row, of[j] as number);
      add(row, total);
    }
  } else if (groups.ofOwner && groups.ownerCodes) {
    const { ofOwner, ownerCodes } = groups;
    for (let j = 0; j < k; j += 1) {
      const row = rows[j] as number;
      const list = ofOwner[(ownerCodes[row] as number) + 1] as Int32Array;
      for (let t = 0; t < list.length; t += 1) add(row, list[t] as number);
      add(row, total);
    }
  } else {
    for (let j = 0; j < k; j += 1) add(rows[j] as number, total);
  }
  const out = new Map<string | null, LeafPrimitives>();
  for (let g = 0; g < groups.size; g += 1) if ((acc.count[g] as number) > 0) out.set(groups.keys[g] ?? null, acc.primitives(g, leaf.measure.kind));
  return { groups: out, total: acc.primitives(total, leaf.measure.kind) };
}

/** Evaluates every leaf of a metric and collects the primitives per group. */
export function evaluatePrimitivesInMemory(input: InMemoryInput): RawEvaluation {
  const { plan, grouping } = input;
  const perLeaf = plan.leaves.map((leaf, i) => evaluateLeaf(input, leaf, grouping.perLeaf[i] ?? { kind: 'none' }));
  const zero = (): LeafPrimitives[] => plan.leaves.map(() => ({ ...ZERO_PRIMITIVES }));
  const groups = new Map<string | null, LeafPrimitives[]>();
  perLeaf.forEach((result, i) => {
    for (const [key, primitives] of result.groups) {
      let entry = groups.get(key);
      if (!entry) {
        entry = zero();
        groups.set(key, entry);
      }
      entry[i] = primitives;
    }
  });
  return { groups, total: perLeaf.map((r) => r.total) };
}

/**
 * Evaluates a metric over snapshots: values per group (with labels) and the total.
 * @example evaluateInMemory({ plan, grouping, period, calendar, snapshots: { deals }, org }).groups[0] // { key: '<payee id>', label: 'Rita Schmidt', value: '125000', recordCount: 3 }
 */
export function evaluateInMemory(input: InMemoryInput): LabelledEvaluation {
  const values = finaliseEvaluation(input.plan, evaluatePrimitivesInMemory(input));
  const grouping = input.grouping.perLeaf[input.plan.primaryLeaf] ?? { kind: 'none' };
  const payees = new Map(input.org.payees.map((p) => [p.id, p.name]));
  const teams = new Map(input.org.teams.map((t) => [t.id, t.name]));
  const labelOf = (key: string | null): string => {
    if (key === null) return groupLabel(null, null);
    if (grouping.kind === 'team') return teams.get(key) ?? key;
    if (grouping.kind === 'field' && grouping.field.type === 'payee') return payees.get(key) ?? key;
    return groupLabel(grouping.kind === 'field' ? grouping.field : null, key);
  };
  return { groups: values.groups.map((g) => ({ ...g, label: labelOf(g.key) })), total: values.total };
}

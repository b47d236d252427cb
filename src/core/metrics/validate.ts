/**
 * Validates a metric definition against its datasets and resolves it to a plan. Expected
 * failures (an unknown field, a field of the wrong type, a value the field cannot hold)
 * come back as issues `{ code, path, message }`; this never throws on bad input.
 */
import { findField, slotFamilyOf, type DatasetDef, type FieldDef, type FieldType } from '../data/datasets.js';
import { MS_PER_DAY, parseInstant, toEpochDay } from '../period.js';
import { MetricDefinitionSchema, type Filter, type LeafMeasure, type Measure, type MetricDefinition, type MetricUnit, type RatioMeasure } from './definition.js';
import { MS_PER_HOUR, type CompiledFilter, type CompiledLeafMeasure, type GroupingPlan, type LeafGrouping, type LeafPlan, type LeafShift, type MetricPlan, type StoredValue, type ValueExpr } from './plan.js';
import { parseScaled } from './rational.js';
import { isUuid } from '../uuid.js';

/**
 * Codes: the zod issue codes for structure (invalid_type, unrecognized_keys, too_small …),
 * and unknown_dataset, unknown_field, wrong_field_type, operator_not_allowed, bad_value,
 * missing_date_field, unknown_dimension, dimension_not_allowed, unit_mismatch.
 */
export interface MetricIssue {
  code: string;
  path: string;
  message: string;
}

export type ValidationResult = { ok: true; definition: MetricDefinition; plan: MetricPlan } | { ok: false; issues: MetricIssue[] };

/** Values in a snapshot are exact integers in a float64; beyond 2^52 sums could not stay exact. */
export const MAX_STORED_INTEGER = 2 ** 52;

const DATE_TYPES: readonly FieldType[] = ['date', 'datetime'];
const ORDERED_TYPES: readonly FieldType[] = ['number', 'money', 'date', 'datetime'];

interface Outer {
  dataset: DatasetDef;
  dateField: FieldDef | null;
  activeUntil: FieldDef | null;
  filters: CompiledFilter[];
}

class Checker {
  readonly issues: MetricIssue[] = [];
  readonly leaves: LeafPlan[] = [];
  constructor(private readonly datasets: readonly DatasetDef[]) {}

  add(code: string, path: string, message: string): void {
    this.issues.push({ code, path, message });
  }

  dataset(key: string, path: string): DatasetDef | null {
    const dataset = this.datasets.find((d) => d.key === key);
    if (!dataset) this.add('unknown_dataset', path, `no dataset "${key}" (known: ${this.datasets.map((d) => d.key).join(', ')})`);
    return dataset ?? null;
  }

  field(dataset: DatasetDef, key: string, path: string, types?: readonly FieldType[]): FieldDef | null {
    const field = findField(dataset, key);
    if (!field) {
      this.add('unknown_field', path, `dataset "${dataset.key}" has no field "${key}"`);
      return null;
    }
    if (types && !types.includes(field.type)) {
      this.add('wrong_field_type', path, `"${key}" is a ${field.type} field; expected ${types.join(' or ')}`);
      return null;
    }
    return field;
  }

  value(field: FieldDef, raw: unknown, path: string): StoredValue | null {
    const bad = (message: string): null => {
      this.add('bad_value', path, `${field.key} (${field.type}): ${message}`);
      return null;
    };
    switch (field.type) {
      case 'text':
      case 'account':
      case 'territory':
        return typeof raw === 'string' ? raw : bad('expected a string');
      case 'payee':
        return typeof raw === 'string' && isUuid(raw) ? raw.toLowerCase() : bad('expected a payee id');
      case 'number':
      case 'money': {
        const scale = field.type === 'money' ? 0 : (field.scale ?? 0);
        const text = typeof raw === 'number' ? (Number.isFinite(raw) ? String(raw) : '') : typeof raw === 'string' ? raw : '';
        const scaled = parseScaled(text, scale);
        if (scaled === null) return bad(field.type === 'money' ? 'expected whole minor units' : `expected a number with at most ${scale} decimals`);
        if (scaled > BigInt(MAX_STORED_INTEGER) || scaled < -BigInt(MAX_STORED_INTEGER)) return bad('out of range');
        return Number(scaled);
      }
      case 'boolean':
        return typeof raw === 'boolean' ? (raw ? 1 : 0) : bad('expected true or false');
      case 'date': {
        const days = typeof raw === 'string' ? toEpochDay(raw) : null;
        return days === null ? bad('expected a date YYYY-MM-DD') : days;
      }
      case 'datetime': {
        const ms = typeof raw === 'string' ? parseInstant(raw) : null;
        return ms === null ? bad('expected an ISO instant such as 2026-03-01T10:00:00Z') : ms;
      }
      default: {
        const unreachable: never = field.type;
        throw new Error(`unknown field type ${String(unreachable)}`);
      }
    }
  }

  filter(dataset: DatasetDef, filter: Filter, path: string): CompiledFilter | null {
    const field = this.field(dataset, filter.field, `${path}.field`);
    if (!field) return null;
    const family = slotFamilyOf(field.type);
    switch (filter.op) {
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
      case 'eq':
      case 'neq': {
        if (!['eq', 'neq'].includes(filter.op) && !ORDERED_TYPES.includes(field.type)) {
          this.add('operator_not_allowed', `${path}.op`, `${filter.op} compares numbers, money, dates and datetimes; "${field.key}" is ${field.type}`);
          return null;
        }
        const value = this.value(field, filter.value, `${path}.value`);
        return value === null ? null : { field, family, op: filter.op, value };
      }
      case 'in':
      case 'not_in': {
        const values = filter.values.map((v, i) => this.value(field, v, `${path}.values.${i}`));
        return values.some((v) => v === null) ? null : { field, family, op: filter.op, values: values as StoredValue[] };
      }
      case 'is_null':
      case 'not_null':
        return { field, family, op: filter.op };
      default: {
        const unreachable: never = filter;
        throw new Error(`unknown filter ${JSON.stringify(unreachable)}`);
      }
    }
  }

  filters(dataset: DatasetDef, filters: readonly Filter[] | undefined, path: string): CompiledFilter[] {
    return (filters ?? []).flatMap((f, i) => this.filter(dataset, f, `${path}.${i}`) ?? []);
  }

  leafMeasure(dataset: DatasetDef, measure: LeafMeasure, path: string): CompiledLeafMeasure | null {
    switch (measure.kind) {
      case 'count':
        return { kind: 'count' };
      case 'sum':
      case 'avg':
      case 'min':
      case 'max': {
        const types: FieldType[] = measure.kind === 'sum' || measure.kind === 'avg' ? ['number', 'money', 'boolean'] : ['number', 'money'];
        const field = this.field(dataset, measure.field, `${path}.field`, types);
        return field ? { kind: measure.kind, field, scale: field.type === 'number' ? (field.scale ?? 0) : 0 } : null;
      }
      case 'distinct_count': {
        const field = this.field(dataset, measure.field, `${path}.field`);
        return field ? { kind: 'distinct_count', field } : null;
      }
      case 'rate':
        return { kind: 'rate', where: this.filters(dataset, measure.where, `${path}.where`) };
      case 'avg_duration':
      case 'share_within': {
        const from = this.field(dataset, measure.from, `${path}.from`, DATE_TYPES);
        const to = this.field(dataset, measure.to, `${path}.to`, DATE_TYPES);
        if (!from || !to) return null;
        if (measure.kind === 'avg_duration') return { kind: 'avg_duration', from, to, unitMs: measure.in === 'days' ? MS_PER_DAY : MS_PER_HOUR };
        return { kind: 'share_within', from, to, limitMs: measure.limit.value * (measure.limit.unit === 'days' ? MS_PER_DAY : MS_PER_HOUR) };
      }
      default: {
        const unreachable: never = measure;
        throw new Error(`unknown measure ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Where a (sub-)metric reads: its dataset, attribution and filters, inherited from outside where omitted. */
  scope(
    sub: { dataset?: string | undefined; dateField?: string | undefined; activeUntil?: string | undefined; filters?: Filter[] | undefined },
    outer: Outer,
    path: string,
  ): Outer | null {
    const otherDataset = sub.dataset !== undefined && sub.dataset !== outer.dataset.key;
    const dataset = otherDataset ? this.dataset(sub.dataset ?? '', `${path}.dataset`) : outer.dataset;
    if (!dataset) return null;
    let dateField = outer.dateField;
    let activeUntil = otherDataset || sub.activeUntil !== undefined ? null : outer.activeUntil;
    if (otherDataset && sub.dateField === undefined) {
      this.add('missing_date_field', `${path}.dateField`, `a sub-metric on another dataset ("${dataset.key}") names its own dateField`);
      return null;
    }
    if (sub.dateField !== undefined) {
      dateField = this.field(dataset, sub.dateField, `${path}.dateField`, DATE_TYPES);
      activeUntil = null;
    }
    if (sub.activeUntil !== undefined) activeUntil = this.field(dataset, sub.activeUntil, `${path}.activeUntil`, DATE_TYPES);
    const filters = [...(otherDataset ? [] : outer.filters), ...this.filters(dataset, sub.filters, `${path}.filters`)];
    return { dataset, dateField, activeUntil, filters };
  }

  leaf(scope: Outer, measure: LeafMeasure, path: string, role: string, shift: LeafShift): ValueExpr | null {
    const compiled = this.leafMeasure(scope.dataset, measure, path);
    if (!compiled || !scope.dateField) return null;
    const index = this.leaves.length;
    this.leaves.push({ index, role, shift, dataset: scope.dataset, dateField: scope.dateField, activeUntil: scope.activeUntil, filters: scope.filters, measure: compiled });
    return { kind: 'leaf', leaf: index };
  }

  ratio(scope: Outer, measure: RatioMeasure, path: string, prefix: string, shift: LeafShift): ValueExpr | null {
    const numScope = this.scope(measure.numerator, scope, `${path}.numerator`);
    const denScope = this.scope(measure.denominator, scope, `${path}.denominator`);
    const numerator = numScope && this.leaf(numScope, measure.numerator.measure, `${path}.numerator.measure`, `${prefix}numerator`, shift);
    const denominator = denScope && this.leaf(denScope, measure.denominator.measure, `${path}.denominator.measure`, `${prefix}denominator`, shift);
    return numerator && denominator ? { kind: 'ratio', numerator, denominator } : null;
  }

  measure(scope: Outer, measure: Measure, path: string): ValueExpr | null {
    switch (measure.kind) {
      case 'ratio':
        return this.ratio(scope, measure, path, '', 'current');
      case 'change': {
        const subject = this.scope(measure.of, scope, `${path}.of`);
        if (!subject) return null;
        const inner = measure.of.measure;
        const build = (shift: LeafShift, role: 'current' | 'baseline'): ValueExpr | null =>
          inner.kind === 'ratio' ? this.ratio(subject, inner, `${path}.of.measure`, `${role}_`, shift) : this.leaf(subject, inner, `${path}.of.measure`, role, shift);
        const current = build('current', 'current');
        const baseline = current && build(measure.baseline, 'baseline');
        return current && baseline ? { kind: 'change', current, baseline } : null;
      }
      default:
        return this.leaf(scope, measure, path, 'value', 'current');
    }
  }
}

/** Which units a measure's value may carry. */
function allowedUnits(measure: Measure, plan: { leaves: LeafPlan[] }): readonly MetricUnit[] {
  switch (measure.kind) {
    case 'count':
    case 'distinct_count':
      return ['count', 'number'];
    case 'sum':
    case 'avg':
    case 'min':
    case 'max': {
      const leaf = plan.leaves[0]?.measure;
      const isMoney = leaf !== undefined && 'field' in leaf && leaf.field.type === 'money';
      return isMoney ? ['money'] : ['number', 'count', 'percent', 'ratio', 'days', 'hours'];
    }
    case 'rate':
    case 'share_within':
      return ['percent', 'ratio'];
    case 'avg_duration':
      return [measure.in];
    case 'ratio':
      return ['ratio', 'percent', 'number', 'money', 'days', 'hours'];
    case 'change':
      return ['percent'];
    default: {
      const unreachable: never = measure;
      throw new Error(`unknown measure ${JSON.stringify(unreachable)}`);
    }
  }
}

function primaryOf(expr: ValueExpr): number {
  switch (expr.kind) {
    case 'leaf':
      return expr.leaf;
    case 'ratio':
      return primaryOf(expr.denominator);
    case 'change':
      return primaryOf(expr.current);
    default: {
      const unreachable: never = expr;
      throw new Error(`unknown expression ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * How a dimension groups one dataset's records, or null when it cannot: `owner` is the
 * dataset's payee field, `team` the owner's team (rolled up), `territory` its territory
 * field; any other name is a field key (not a datetime).
 */
export function resolveDimension(dataset: DatasetDef, dimension: string): LeafGrouping | null {
  const payee = dataset.fields.find((f) => f.type === 'payee');
  if (dimension === 'owner') return payee ? { kind: 'field', field: payee } : null;
  if (dimension === 'team') return payee ? { kind: 'team', owner: payee } : null;
  const territory = dimension === 'territory' ? dataset.fields.find((f) => f.type === 'territory') : undefined;
  const field = territory ?? findField(dataset, dimension);
  return field && field.type !== 'datetime' ? { kind: 'field', field } : null;
}

const groupingFamily = (g: LeafGrouping): string => (g.kind === 'field' ? slotFamilyOf(g.field.type) : g.kind);

/**
 * Validates a definition (unknown input) against the datasets it may use and resolves it.
 * @example validateMetricDefinition({ key: 'deals_won', …, measure: { kind: 'count' } }, BUILTIN_DATASETS) // { ok: true, plan: … }
 */
export function validateMetricDefinition(input: unknown, datasets: readonly DatasetDef[]): ValidationResult {
  const parsed = MetricDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ code: i.code, path: i.path.map(String).join('.'), message: i.message })) };
  }
  const definition = parsed.data;
  const checker = new Checker(datasets);
  const dataset = checker.dataset(definition.dataset, 'dataset');
  if (!dataset) return { ok: false, issues: checker.issues };
  const dateField = checker.field(dataset, definition.dateField, 'dateField', DATE_TYPES);
  const activeUntil = definition.activeUntil === undefined ? null : checker.field(dataset, definition.activeUntil, 'activeUntil', DATE_TYPES);
  const filters = checker.filters(dataset, definition.filters, 'filters');
  const value = checker.measure({ dataset, dateField, activeUntil, filters }, definition.measure, 'measure');
  if (!value || checker.issues.length > 0) return { ok: false, issues: checker.issues };

  const units = allowedUnits(definition.measure, checker);
  if (!units.includes(definition.unit)) {
    checker.add('unit_mismatch', 'unit', `a ${definition.measure.kind} metric${definition.unit === 'money' ? ' of a non-money field' : ''} has unit ${units.join(' or ')}`);
  }
  const dimensions = definition.groupBy ?? [];
  dimensions.forEach((dimension, i) => {
    const resolved = checker.leaves.map((leaf) => resolveDimension(leaf.dataset, dimension));
    const missing = checker.leaves.find((_leaf, j) => resolved[j] === null);
    if (missing) checker.add('unknown_dimension', `groupBy.${i}`, `"${dimension}" does not group dataset "${missing.dataset.key}" (owner, team, territory or a field that is not a datetime)`);
    else if (new Set(resolved.map((g) => groupingFamily(g as LeafGrouping))).size > 1) checker.add('unknown_dimension', `groupBy.${i}`, `"${dimension}" has different types in the datasets used`);
  });
  if (checker.issues.length > 0) return { ok: false, issues: checker.issues };

  const kind = definition.measure.kind;
  const plan: MetricPlan = {
    definition,
    leaves: checker.leaves,
    value,
    primaryLeaf: primaryOf(value),
    percent: kind === 'change' || (definition.unit === 'percent' && (kind === 'ratio' || kind === 'rate' || kind === 'share_within')),
    baseline: definition.measure.kind === 'change' ? definition.measure.baseline : null,
    dimensions: [...dimensions],
  };
  return { ok: true, definition, plan };
}

/** Resolves the grouping for one evaluation; only the dimensions the definition allows. */
export function planGrouping(plan: MetricPlan, dimension: string | null | undefined): { ok: true; grouping: GroupingPlan } | { ok: false; issues: MetricIssue[] } {
  if (!dimension) return { ok: true, grouping: { dimension: null, perLeaf: plan.leaves.map(() => ({ kind: 'none' })) } };
  if (!plan.dimensions.includes(dimension)) {
    return {
      ok: false,
      issues: [{ code: 'dimension_not_allowed', path: 'groupBy', message: `${plan.definition.key} groups by ${plan.dimensions.join(', ') || 'nothing'}; not by "${dimension}"` }],
    };
  }
  const perLeaf = plan.leaves.map((leaf) => resolveDimension(leaf.dataset, dimension));
  if (perLeaf.some((g) => g === null)) throw new Error(`validated dimension ${dimension} does not resolve`);
  return { ok: true, grouping: { dimension, perLeaf: perLeaf as LeafGrouping[] } };
}

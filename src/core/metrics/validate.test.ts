import { describe, expect, it } from 'vitest';
import { BUILTIN_DATASETS } from '../data/datasets.js';
import type { MetricDefinition } from './definition.js';
import { planGrouping, validateMetricDefinition } from './validate.js';

const base: MetricDefinition = {
  key: 'won_revenue', name: { en: 'Revenue', de: 'Umsatz' }, description: { en: 'Won', de: 'Gewonnen' }, unit: 'money', dataset: 'deals',
  dateField: 'close_date', measure: { kind: 'sum', field: 'amount' }, filters: [{ field: 'stage', op: 'eq', value: 'closed_won' }], groupBy: ['owner', 'team'],
};
const issuesOf = (input: unknown) => {
  const result = validateMetricDefinition(input, BUILTIN_DATASETS);
  return result.ok ? [] : result.issues;
};

describe('validateMetricDefinition', () => {
  it('accepts a valid definition and resolves it to one leaf', () => {
    const result = validateMetricDefinition(base, BUILTIN_DATASETS);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.plan.leaves).toHaveLength(1);
      expect(result.plan.leaves[0]?.filters[0]).toMatchObject({ op: 'eq', value: 'closed_won', family: 't' });
    }
  });

  it('names the path of structural mistakes', () => {
    expect(issuesOf({ ...base, measure: { kind: 'sum' } })).toEqual([expect.objectContaining({ code: 'invalid_type', path: 'measure.field' })]);
    expect(issuesOf({ ...base, extra: 1 })).toEqual([expect.objectContaining({ code: 'unrecognized_keys', path: '' })]);
    expect(issuesOf({ ...base, key: 'Bad Key' })[0]).toMatchObject({ path: 'key' });
    expect(issuesOf('not an object')[0]).toMatchObject({ code: 'invalid_type' });
  });

  it('checks fields, their types and values against the dataset', () => {
    expect(issuesOf({ ...base, dataset: 'opportunities' })).toEqual([expect.objectContaining({ code: 'unknown_dataset', path: 'dataset' })]);
    expect(issuesOf({ ...base, measure: { kind: 'sum', field: 'revenue' } })).toEqual([expect.objectContaining({ code: 'unknown_field', path: 'measure.field' })]);
    expect(issuesOf({ ...base, measure: { kind: 'avg', field: 'stage' } })).toEqual([expect.objectContaining({ code: 'wrong_field_type', path: 'measure.field' })]);
    expect(issuesOf({ ...base, dateField: 'amount' })).toEqual([expect.objectContaining({ code: 'wrong_field_type', path: 'dateField' })]);
    expect(issuesOf({ ...base, filters: [{ field: 'stage', op: 'gt', value: 'a' }] })).toEqual([expect.objectContaining({ code: 'operator_not_allowed', path: 'filters.0.op' })]);
    expect(issuesOf({ ...base, filters: [{ field: 'probability', op: 'gte', value: 12.345 }] })).toEqual([expect.objectContaining({ code: 'bad_value', path: 'filters.0.value' })]);
    expect(issuesOf({ ...base, filters: [{ field: 'amount', op: 'gte', value: '10.5' }] })).toEqual([expect.objectContaining({ code: 'bad_value', path: 'filters.0.value' })]);
    expect(issuesOf({ ...base, filters: [{ field: 'created', op: 'in', values: ['2026-01-01', '2026-02-30'] }] })).toEqual([expect.objectContaining({ code: 'bad_value', path: 'filters.0.values.1' })]);
    expect(issuesOf({ ...base, filters: [{ field: 'owner', op: 'eq', value: 'rita' }] })).toEqual([expect.objectContaining({ code: 'bad_value', path: 'filters.0.value' })]);
  });

  it('compiles typed values to what the slots store', () => {
    const result = validateMetricDefinition({
      ...base,
      filters: [
        { field: 'probability', op: 'gte', value: 12.5 },
        { field: 'created', op: 'gte', value: '1970-01-11' },
        { field: 'owner', op: 'eq', value: '0B7C2F4E-1A2B-4C3D-8E9F-001122334455' },
      ],
    }, BUILTIN_DATASETS);
    expect(result.ok && result.plan.leaves[0]?.filters.map((f) => ('value' in f ? f.value : null))).toEqual([1250, 10, '0b7c2f4e-1a2b-4c3d-8e9f-001122334455']);
  });

  it('checks the unit against the measure', () => {
    expect(issuesOf({ ...base, unit: 'count' })).toEqual([expect.objectContaining({ code: 'unit_mismatch', path: 'unit' })]);
    expect(issuesOf({ ...base, unit: 'percent', measure: { kind: 'change', of: { measure: { kind: 'count' } }, baseline: 'previous_period' } })).toEqual([]);
    expect(issuesOf({ ...base, unit: 'money', measure: { kind: 'rate', where: [{ field: 'type', op: 'eq', value: 'new' }] } })[0]).toMatchObject({ code: 'unit_mismatch' });
  });

  it('resolves sub-metrics: inherited scope, another dataset needs its own dateField', () => {
    const ratio = (numerator: object) => ({ ...base, unit: 'ratio', measure: { kind: 'ratio', numerator, denominator: { measure: { kind: 'count' } } } });
    expect(issuesOf(ratio({ dataset: 'activities', measure: { kind: 'count' } }))).toEqual([expect.objectContaining({ code: 'missing_date_field', path: 'measure.numerator.dateField' })]);
    const result = validateMetricDefinition(ratio({ dataset: 'activities', dateField: 'date', filters: [{ field: 'type', op: 'eq', value: 'call' }], measure: { kind: 'count' } }), BUILTIN_DATASETS);
    expect(result.ok).toBe(true);
    if (result.ok) {
      // The outer stage filter does not apply to activities; it does to the denominator.
      expect(result.plan.leaves.map((leaf) => [leaf.role, leaf.dataset.key, leaf.filters.map((f) => f.field.key)])).toEqual([
        ['numerator', 'activities', ['type']],
        ['denominator', 'deals', ['stage']],
      ]);
      expect(result.plan.primaryLeaf).toBe(1);
    }
    expect(issuesOf(ratio({ dataset: 'activities', dateField: 'date', measure: { kind: 'count' } })).length).toBe(0);
    expect(issuesOf({ ...ratio({ dataset: 'activities', dateField: 'date', measure: { kind: 'count' } }), groupBy: ['territory'] })).toEqual([
      expect.objectContaining({ code: 'unknown_dimension', path: 'groupBy.0' }),
    ]);
  });

  it('allows only the groupings a definition lists', () => {
    const result = validateMetricDefinition(base, BUILTIN_DATASETS);
    if (!result.ok) throw new Error('invalid');
    expect(planGrouping(result.plan, 'team')).toMatchObject({ ok: true, grouping: { dimension: 'team', perLeaf: [{ kind: 'team' }] } });
    expect(planGrouping(result.plan, 'region')).toMatchObject({ ok: false, issues: [{ code: 'dimension_not_allowed', path: 'groupBy' }] });
    expect(issuesOf({ ...base, groupBy: ['nonsense'] })).toEqual([expect.objectContaining({ code: 'unknown_dimension', path: 'groupBy.0' })]);
  });
});

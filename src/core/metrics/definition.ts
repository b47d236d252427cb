/**
 * The metric definition format: a closed, declarative JSON document (JSON Schema in
 * docs/schemas/metric.schema.json, generated from these zod schemas). Structure is checked
 * here; whether the fields exist in the dataset and have fitting types is checked by
 * `validateMetricDefinition` (validate.ts).
 */
import { z } from 'zod';

export const METRIC_UNITS = ['count', 'money', 'number', 'percent', 'days', 'hours', 'ratio'] as const;
export type MetricUnit = (typeof METRIC_UNITS)[number];

export const METRIC_KEY = /^[a-z][a-z0-9_]{1,59}$/;
const FIELD_REF = /^[a-z][a-z0-9_]{0,39}$/;
const DATASET_REF = /^[a-z][a-z0-9_]{1,39}$/;

const FieldRef = z.string().regex(FIELD_REF, 'a field key: a-z, 0-9 and _').describe('A field of the dataset, by key');
const DatasetRef = z.string().regex(DATASET_REF, 'a dataset key').describe('A dataset, by key: accounts, deals, leads, activities, tickets or a custom one');
const Localized = z.strictObject({ en: z.string().trim().min(1).max(300), de: z.string().trim().min(1).max(300) });

export const FilterValueSchema = z
  .union([z.string().max(200), z.number(), z.boolean()])
  .describe(
    'Typed by the field: text/account/territory a string; number a number or decimal string in the field\'s unit (12.5); ' +
      'money integer minor units; boolean true/false; date "YYYY-MM-DD"; datetime an ISO instant; payee a payee id',
  );

export const FilterSchema = z
  .discriminatedUnion('op', [
    z.strictObject({ field: FieldRef, op: z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte']), value: FilterValueSchema }),
    z.strictObject({ field: FieldRef, op: z.enum(['in', 'not_in']), values: z.array(FilterValueSchema).min(1).max(1000) }),
    z.strictObject({ field: FieldRef, op: z.enum(['is_null', 'not_null']) }),
  ])
  .describe('A condition on one field. Only is_null matches a missing value; every other operator needs a value to compare.')
  .meta({ id: 'MetricFilter' });
export type Filter = z.infer<typeof FilterSchema>;
export type FilterOp = Filter['op'];

const Filters = z.array(FilterSchema).max(50);

const CountMeasure = z.strictObject({ kind: z.literal('count') }).describe('How many records');
const FieldMeasure = z
  .strictObject({ kind: z.enum(['sum', 'avg', 'min', 'max']), field: FieldRef })
  .describe('Sum, average, minimum or maximum of a number, money or boolean field (records without a value are left out)');
const DistinctMeasure = z.strictObject({ kind: z.literal('distinct_count'), field: FieldRef }).describe('How many different values a field has');
const RateMeasure = z
  .strictObject({ kind: z.literal('rate'), where: z.array(FilterSchema).min(1).max(20) })
  .describe('The share of the matching records that also meet `where` (renewed ÷ up for renewal)');
const AvgDurationMeasure = z
  .strictObject({ kind: z.literal('avg_duration'), from: FieldRef, to: FieldRef, in: z.enum(['days', 'hours']) })
  .describe('Average time from one date/datetime field to another, over records that have both');
const ShareWithinMeasure = z
  .strictObject({
    kind: z.literal('share_within'),
    from: FieldRef,
    to: FieldRef,
    limit: z.strictObject({ value: z.number().int().positive().max(100_000), unit: z.enum(['hours', 'days']) }),
  })
  .describe('The share of records (with `from`) whose `to` came at most `limit` after `from`; a record without `to` is not within');

export const LeafMeasureSchema = z
  .discriminatedUnion('kind', [CountMeasure, FieldMeasure, DistinctMeasure, RateMeasure, AvgDurationMeasure, ShareWithinMeasure])
  .meta({ id: 'LeafMeasure' });
export type LeafMeasure = z.infer<typeof LeafMeasureSchema>;

/** Where and when a sub-metric counts. Omitted parts come from the metric around it (see docs/metrics.md). */
const subMetricShape = {
  dataset: DatasetRef.optional().describe('Another dataset; then the outer filters do not apply and dateField is required'),
  dateField: FieldRef.optional(),
  activeUntil: FieldRef.optional(),
  filters: Filters.optional().describe('Added to the outer filters (same dataset)'),
};
const SubMetricSchema = z.strictObject({ ...subMetricShape, measure: LeafMeasureSchema }).meta({ id: 'SubMetric' });
export type SubMetric = z.infer<typeof SubMetricSchema>;

const RatioMeasureSchema = z
  .strictObject({ kind: z.literal('ratio'), numerator: SubMetricSchema, denominator: SubMetricSchema })
  .describe('numerator ÷ denominator; undefined (null) when the denominator is zero');
export type RatioMeasure = z.infer<typeof RatioMeasureSchema>;

const ChangeSubjectSchema = z.strictObject({
  ...subMetricShape,
  measure: z.discriminatedUnion('kind', [CountMeasure, FieldMeasure, DistinctMeasure, RateMeasure, AvgDurationMeasure, ShareWithinMeasure, RatioMeasureSchema]),
});
export type ChangeSubject = z.infer<typeof ChangeSubjectSchema>;

const ChangeMeasureSchema = z
  .strictObject({ kind: z.literal('change'), of: ChangeSubjectSchema, baseline: z.enum(['previous_period', 'same_period_last_year']) })
  .describe('Change of a sub-metric against a baseline period, in percent: (current − baseline) ÷ |baseline| × 100');

export const MeasureSchema = z.discriminatedUnion('kind', [
  CountMeasure, FieldMeasure, DistinctMeasure, RateMeasure, AvgDurationMeasure, ShareWithinMeasure, RatioMeasureSchema, ChangeMeasureSchema,
]);
export type Measure = z.infer<typeof MeasureSchema>;
export type MeasureKind = Measure['kind'];

export const MetricDefinitionSchema = z
  .strictObject({
    key: z.string().regex(METRIC_KEY, 'a-z, 0-9 and _, starting with a letter, 2–60 characters'),
    name: Localized,
    description: Localized,
    unit: z.enum(METRIC_UNITS).describe('money values are in minor units; percent values are 0–100'),
    dataset: DatasetRef,
    dateField: FieldRef.describe('The date or datetime field that puts a record into a period'),
    activeUntil: FieldRef.optional().describe(
      'Counts records active during the period instead: dateField before the period ends, and activeUntil empty or not before the period starts',
    ),
    measure: MeasureSchema,
    filters: Filters.optional(),
    groupBy: z
      .array(z.string().regex(FIELD_REF))
      .max(30)
      .optional()
      .describe('The groupings this metric allows: owner, team (rolled up through the team tree), territory, or a field key'),
  })
  .meta({ id: 'MetricDefinition', title: 'Attain metric definition' });
export type MetricDefinition = z.infer<typeof MetricDefinitionSchema>;

/** The JSON Schema published as docs/schemas/metric.schema.json. */
export function metricJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://attain.dev/schemas/metric.schema.json',
    ...z.toJSONSchema(MetricDefinitionSchema, { io: 'input', target: 'draft-2020-12' }),
  };
}

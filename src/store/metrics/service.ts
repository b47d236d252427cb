/**
 * Evaluating and explaining metrics against the store: resolve the metric (catalogue,
 * custom version, or an inline definition), validate it against the tenant's datasets,
 * run the compiled query in the caller's tenant scope, and finalise the primitives with
 * the core's one rounding rule. The API and the CLI return what this returns.
 */
import type { Label } from '../../core/data/datasets.js';
import { findCatalogueMetric, METRIC_CATALOGUE } from '../../core/metrics/catalogue.js';
import type { Filter, MetricDefinition, MetricUnit } from '../../core/metrics/definition.js';
import { finaliseEvaluation, ZERO_PRIMITIVES, type LeafPrimitives, type RawEvaluation } from '../../core/metrics/finalise.js';
import { planCurrency, restrictMoneyToCurrency } from '../../core/metrics/currency.js';
import { groupLabel, NO_VALUE_LABEL } from '../../core/metrics/labels.js';
import { leafPeriod, type GroupingPlan, type LeafGrouping, type MetricPlan } from '../../core/metrics/plan.js';
import { planGrouping, validateMetricDefinition, type MetricIssue } from '../../core/metrics/validate.js';
import { parsePeriod, type FiscalCalendar, type Period } from '../../core/period.js';
import { listDatasets } from '../repos/datasets.js';
import { getTenant } from '../repos/tenants.js';
import type { TenantScope } from '../store.js';
import { compileExplainQuery, compileMetricQuery, isValidGroupKey, type ExplainRow, type PrimitiveRow } from './compile.js';
import { getCustomMetric, listCustomMetrics } from './definitions.js';

export type MetricSource = 'catalogue' | 'custom' | 'inline';

/** Which metric: a saved one by key (and optionally version), or an unsaved definition. */
export type MetricSelector = { key: string; version?: number | undefined } | { definition: unknown };

export interface MetricRef {
  key: string;
  /** null for an unsaved (inline) definition. */
  version: number | null;
  source: MetricSource;
}

export interface PeriodRef {
  key: string;
  start: string;
  end: string;
}

export interface MetricResult {
  metric: MetricRef;
  name: Label;
  unit: MetricUnit;
  /** The currency money values are in (minor units), for money metrics; null otherwise. */
  currency: string | null;
  period: PeriodRef;
  /** The period a change metric compares against. */
  baselinePeriod: PeriodRef | null;
  groupBy: string | null;
  groups: { key: string | null; label: string; value: string | null; recordCount: number }[];
  total: { value: string | null; recordCount: number };
}

export interface ExplainComponent {
  /** value, numerator, denominator, current, baseline, current_numerator … */
  role: string;
  dataset: string;
  period: PeriodRef;
  count: number;
  recordIds: string[];
}

export interface MetricExplanation {
  metric: MetricRef;
  period: PeriodRef;
  groupBy: string | null;
  group: string | null;
  /** The contributing records of the value (the primary component): what recordCount counts. */
  count: number;
  recordIds: string[];
  components: ExplainComponent[];
}

export type ServiceResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'not_found'; message: string }
  | { ok: false; reason: 'invalid'; issues: MetricIssue[] };

export interface EvaluateRequest {
  metric: MetricSelector;
  period: string;
  groupBy?: string | null | undefined;
  /** Extra filters on the metric's dataset (a key result's parameters, e.g. region = EMEA). */
  filters?: readonly Filter[] | undefined;
}

export interface ExplainRequest extends EvaluateRequest {
  /** The group to explain (null: the group without a value); absent: all records. */
  group?: string | null | undefined;
  limit: number;
}

interface ResolvedMetric {
  ref: MetricRef;
  definition: unknown;
  pathPrefix: string;
}

export interface ListedMetric {
  key: string;
  version: number;
  source: 'catalogue' | 'custom';
  definition: MetricDefinition;
  /** Custom datasets it reads that the tenant has not declared. */
  missingDatasets: string[];
}

/** The catalogue and the tenant's custom metrics, latest versions, by key. */
export async function listMetrics(scope: TenantScope): Promise<ListedMetric[]> {
  const datasets = new Set((await listDatasets(scope)).map((d) => d.key));
  const custom = await listCustomMetrics(scope);
  return [
    ...METRIC_CATALOGUE.map((e) => ({
      key: e.definition.key, version: e.version, source: 'catalogue' as const, definition: e.definition,
      missingDatasets: (e.requires ?? []).filter((d) => !datasets.has(d)),
    })),
    ...custom.map((m) => ({ key: m.key, version: m.version, source: 'custom' as const, definition: m.definition, missingDatasets: [] })),
  ].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

async function resolveMetric(scope: TenantScope, selector: MetricSelector): Promise<ResolvedMetric | null> {
  if ('definition' in selector) {
    const key = typeof selector.definition === 'object' && selector.definition !== null ? String((selector.definition as { key?: unknown }).key ?? 'inline') : 'inline';
    return { ref: { key, version: null, source: 'inline' }, definition: selector.definition, pathPrefix: 'definition.' };
  }
  const entry = findCatalogueMetric(selector.key);
  if (entry) {
    if (selector.version !== undefined && selector.version !== entry.version) return null;
    return { ref: { key: selector.key, version: entry.version, source: 'catalogue' }, definition: entry.definition, pathPrefix: '' };
  }
  const stored = await getCustomMetric(scope, selector.key, selector.version);
  return stored ? { ref: { key: stored.key, version: stored.version, source: 'custom' }, definition: stored.definition, pathPrefix: '' } : null;
}

/** A metric resolved, validated and planned for one period and grouping: what evaluating needs. */
export interface PreparedMetric {
  ref: MetricRef;
  plan: MetricPlan;
  grouping: GroupingPlan;
  period: Period;
  calendar: FiscalCalendar;
  /** The currency of the metric's money (null when it counts none). */
  currency: string | null;
}

const periodRef = (p: Period): PeriodRef => ({ key: p.key, start: p.start, end: p.end });

export async function prepareMetric(scope: TenantScope, request: EvaluateRequest): Promise<ServiceResult<PreparedMetric>> {
  const resolved = await resolveMetric(scope, request.metric);
  if (!resolved) {
    const key = 'key' in request.metric ? request.metric.key : '';
    return { ok: false, reason: 'not_found', message: `No metric "${key}"${'version' in request.metric && request.metric.version !== undefined ? ` version ${request.metric.version}` : ''}` };
  }
  let input = resolved.definition;
  const extra = request.filters ?? [];
  const own = typeof input === 'object' && input !== null && Array.isArray((input as { filters?: unknown }).filters) ? ((input as { filters: unknown[] }).filters.length) : 0;
  if (extra.length > 0 && typeof input === 'object' && input !== null) {
    input = { ...input, filters: [...((input as { filters?: unknown[] }).filters ?? []), ...extra] };
  }
  const validated = validateMetricDefinition(input, await listDatasets(scope));
  if (!validated.ok) {
    const issues = validated.issues.map((issue) => {
      const match = /^filters\.(\d+)(.*)$/.exec(issue.path);
      if (match && Number(match[1]) >= own) return { ...issue, path: `filters.${Number(match[1]) - own}${match[2] ?? ''}` };
      return { ...issue, path: `${resolved.pathPrefix}${issue.path}` };
    });
    return { ok: false, reason: 'invalid', issues };
  }
  const tenant = await getTenant(scope);
  const calendar: FiscalCalendar = { fiscalYearStartMonth: tenant.fiscalYearStartMonth };
  // Never add money across currencies (see core/metrics/currency.ts).
  const plan = restrictMoneyToCurrency(validated.plan, tenant.currency);
  const period = parsePeriod(request.period, calendar);
  if (!period.ok) return { ok: false, reason: 'invalid', issues: period.issues };
  const grouping = planGrouping(plan, request.groupBy ?? null);
  if (!grouping.ok) return { ok: false, reason: 'invalid', issues: grouping.issues };
  return { ok: true, value: { ref: resolved.ref, plan, grouping: grouping.grouping, period: period.period, calendar, currency: planCurrency(plan, tenant.currency) } };
}

const big = (value: string | null): bigint => (value === null ? 0n : BigInt(value));

/** Query rows → the evaluator-neutral primitives (and the labels the query joined). */
export function rowsToPrimitives(plan: MetricPlan, rows: readonly PrimitiveRow[]): RawEvaluation & { labels: Map<string, string> } {
  const zero = (): LeafPrimitives[] => plan.leaves.map(() => ({ ...ZERO_PRIMITIVES }));
  const groups = new Map<string | null, LeafPrimitives[]>();
  const total = zero();
  const labels = new Map<string, string>();
  for (const row of rows) {
    const primitives: LeafPrimitives = {
      count: BigInt(row.c), n: big(row.n), sum: big(row.s), min: row.mn === null ? null : BigInt(row.mn), max: row.mx === null ? null : BigInt(row.mx),
      distinct: big(row.dc), hits: big(row.h),
    };
    if (row.is_total) {
      total[row.leaf] = primitives;
      continue;
    }
    let entry = groups.get(row.g);
    if (!entry) {
      entry = zero();
      groups.set(row.g, entry);
    }
    entry[row.leaf] = primitives;
    if (row.g !== null && row.label !== null) labels.set(row.g, row.label);
  }
  return { groups, total, labels };
}

function labelFor(grouping: LeafGrouping, key: string | null, labels: ReadonlyMap<string, string>): string {
  if (key === null) return NO_VALUE_LABEL;
  if (grouping.kind === 'team' || (grouping.kind === 'field' && grouping.field.type === 'payee')) return labels.get(key) ?? key;
  return groupLabel(grouping.kind === 'field' ? grouping.field : null, key);
}

/** Runs a prepared metric's query: the primitives per group, and the labels the query joined. */
export async function evaluatePreparedRaw(scope: TenantScope, prepared: PreparedMetric): Promise<RawEvaluation & { labels: Map<string, string> }> {
  const { plan, grouping, period, calendar } = prepared;
  const query = compileMetricQuery({ tenantId: scope.tenantId, plan, grouping, period, calendar });
  return rowsToPrimitives(plan, await scope.tx.query<PrimitiveRow>(query.sql, query.params));
}

/** The label of a group key of a prepared metric (payee and team names from `labels`). */
export function groupLabelOf(prepared: PreparedMetric, key: string | null, labels: ReadonlyMap<string, string>): string {
  return labelFor(prepared.grouping.perLeaf[prepared.plan.primaryLeaf] ?? { kind: 'none' }, key, labels);
}

/** Primitives → the evaluation as the API returns it. */
export function toMetricResult(prepared: PreparedMetric, raw: RawEvaluation, labels: ReadonlyMap<string, string>): MetricResult {
  const { ref, plan, grouping, period, calendar, currency } = prepared;
  const values = finaliseEvaluation(plan, raw);
  return {
    metric: ref,
    name: plan.definition.name,
    unit: plan.definition.unit,
    currency,
    period: periodRef(period),
    baselinePeriod: plan.baseline ? periodRef(leafPeriod(period, plan.baseline, calendar)) : null,
    groupBy: grouping.dimension,
    groups: values.groups.map((g) => ({ key: g.key, label: groupLabelOf(prepared, g.key, labels), value: g.value, recordCount: g.recordCount })),
    total: values.total,
  };
}

/** Evaluates a metric with the SQL evaluator, in the caller's tenant. */
export async function evaluateMetric(scope: TenantScope, request: EvaluateRequest): Promise<ServiceResult<MetricResult>> {
  const prepared = await prepareMetric(scope, request);
  if (!prepared.ok) return prepared;
  const raw = await evaluatePreparedRaw(scope, prepared.value);
  return { ok: true, value: toMetricResult(prepared.value, raw, raw.labels) };
}

/** Lists the records behind one group's value (or the total), per component, up to a limit each. */
export async function explainMetric(scope: TenantScope, request: ExplainRequest): Promise<ServiceResult<MetricExplanation>> {
  const prepared = await prepareMetric(scope, request);
  if (!prepared.ok) return prepared;
  const { ref, plan, grouping, period, calendar } = prepared.value;
  const group = grouping.dimension && request.group !== undefined ? request.group : null;
  if (grouping.dimension && group !== null && !grouping.perLeaf.every((g) => isValidGroupKey(g, group))) {
    return { ok: false, reason: 'invalid', issues: [{ code: 'bad_group', path: 'group', message: `"${group}" cannot be a ${grouping.dimension} group` }] };
  }
  // Explaining "all records" of a grouped evaluation is the total: no group condition.
  const effective: GroupingPlan = grouping.dimension && request.group !== undefined ? grouping : { dimension: null, perLeaf: plan.leaves.map(() => ({ kind: 'none' })) };
  const query = compileExplainQuery({ tenantId: scope.tenantId, plan, grouping: effective, period, calendar, group, limit: request.limit });
  const rows = await scope.tx.query<ExplainRow>(query.sql, query.params);
  const components: ExplainComponent[] = plan.leaves.map((leaf) => {
    const mine = rows.filter((r) => r.leaf === leaf.index);
    return {
      role: leaf.role,
      dataset: leaf.dataset.key,
      period: periodRef(leafPeriod(period, leaf.shift, calendar)),
      count: Number(mine[0]?.total ?? 0),
      recordIds: mine.flatMap((r) => (r.id === null ? [] : [r.id])),
    };
  });
  const primary = components[plan.primaryLeaf] ?? { count: 0, recordIds: [] };
  return {
    ok: true,
    value: {
      // groupBy null: the explanation covers all records (the total).
      metric: ref, period: periodRef(period), groupBy: effective.dimension, group: effective.dimension ? group : null,
      count: primary.count, recordIds: primary.recordIds, components,
    },
  };
}

import { currencyExponent } from '../../core/data/currency.js';
import { DEALS } from '../../core/data/datasets.js';
import type { Filter } from '../../core/metrics/definition.js';
import { addDays } from '../../core/period.js';
import { DEFAULT_OPEN_STAGE_PROBABILITY, DEFAULT_STAGE_PROBABILITY, MetricUnavailableError, type MetricValueQuery, type MetricValueSource } from '../../core/okr/metric-source.js';
import { evaluateMetric, listMetrics } from '../metrics/service.js';
import type { TenantScope } from '../store.js';
import { listDatasets } from './datasets.js';
import { listTeamSubtreeIds } from './teams.js';
import { getTenant } from './tenants.js';

// A payee id no record has: "this owner has no payee" still filters to nothing.
const NO_PAYEE = '00000000-0000-0000-0000-000000000000';

/** '123456' minor units with exponent 2 → '1234.56' (exact: moves the decimal point). */
export function toMajorUnits(minor: string, exponent: number): string {
  const negative = minor.startsWith('-');
  const [int = '0', frac = ''] = minor.replace('-', '').split('.');
  const padded = int.padStart(exponent + 1, '0');
  const major = padded.slice(0, padded.length - exponent).replace(/^0+(?=\d)/, '');
  const fraction = (padded.slice(padded.length - exponent) + frac).replace(/0+$/, '');
  return `${negative ? '-' : ''}${major}${fraction ? `.${fraction}` : ''}`;
}

/**
 * The metric layer's SQL evaluator as the OKRs' MetricValueSource, in the caller's tenant
 * scope. A key result's parameters become equality filters on the metric's dataset (product,
 * region, channel …); its owner becomes a filter on the dataset's payee field: the payees of
 * the owning team and the teams below it, or the owning person's payee. Money comes back in
 * minor units and is turned into major units of the workspace currency (key results count in
 * major units). Anything that cannot be computed throws MetricUnavailableError — never 0.
 */
export function sqlMetricValueSource(scope: TenantScope): MetricValueSource {
  let ownerFields: Promise<Map<string, string | null>> | null = null;
  let measures: Promise<Map<string, string>> | null = null;
  let exponent: Promise<number> | null = null;
  /** Metric key → the key of its dataset's payee field. */
  const loadOwnerFields = async (): Promise<Map<string, string | null>> => {
    // One connection per transaction: queries run one after the other.
    const metrics = await listMetrics(scope);
    const datasets = await listDatasets(scope);
    return new Map(metrics.map((m) => [m.key, datasets.find((d) => d.key === m.definition.dataset)?.fields.find((f) => f.type === 'payee')?.key ?? null]));
  };
  const payeesOf = async (query: MetricValueQuery): Promise<string[] | null> => {
    switch (query.scope.kind) {
      case 'tenant':
        return null;
      case 'team': {
        const teams = await listTeamSubtreeIds(scope, [query.scope.teamId]);
        const rows = await scope.tx.query<{ id: string }>('SELECT id FROM payees WHERE tenant_id = $1 AND team_id = ANY($2::uuid[])', [scope.tenantId, teams]);
        return rows.map((r) => r.id);
      }
      case 'user': {
        const rows = await scope.tx.query<{ id: string }>('SELECT id FROM payees WHERE tenant_id = $1 AND user_id = $2', [scope.tenantId, query.scope.userId]);
        return rows.map((r) => r.id);
      }
      default: {
        const unreachable: never = query.scope;
        throw new Error(`unknown scope ${JSON.stringify(unreachable)}`);
      }
    }
  };
  const bindingFilters = async (query: MetricValueQuery, ownerField: string | null): Promise<Filter[]> => {
    const filters: Filter[] = Object.entries(query.metric.parameters)
      .filter(([key]) => key !== 'scope')
      .map(([field, value]) => ({ field, op: 'eq', value }));
    const payees = await payeesOf(query);
    if (payees !== null) {
      if (ownerField === null) throw new MetricUnavailableError('bad_parameters', `The metric "${query.metric.key}" has no owner field: bind it with scope "tenant"`);
      filters.push({ field: ownerField, op: 'in', values: payees.length > 0 ? payees : [NO_PAYEE] });
    }
    return filters;
  };
  const majorUnits = async (minor: string): Promise<number> => {
    exponent ??= getTenant(scope).then((t) => currencyExponent(t.currency) ?? 2);
    return Number(toMajorUnits(minor, await exponent));
  };
  return {
    async openPipelineOf(query) {
      if (query.period.end <= query.period.start) return [];
      const metric = (await listMetrics(scope)).find((m) => m.key === query.metric.key);
      const definition = metric?.definition;
      if (!definition || definition.dataset !== 'deals') return null;
      const wonFilter = (definition.filters ?? []).findIndex((f) => f.field === 'stage' && f.op === 'eq' && 'value' in f && f.value === 'closed_won');
      const measure = definition.measure;
      const sums = measure.kind === 'sum' && measure.field === 'amount';
      if (wonFilter < 0 || !(sums || measure.kind === 'count')) return null;
      ownerFields ??= loadOwnerFields();
      const ownerField = (await ownerFields).get(query.metric.key) ?? null;
      // The same metric over the open deals expected to close in the period, by probability (and,
      // for deals without one, by stage).
      const open: Filter = { field: 'stage', op: 'not_in', values: ['closed_won', 'closed_lost'] };
      const filters = [...(definition.filters ?? []).filter((_f, i) => i !== wonFilter), open, ...(await bindingFilters(query, ownerField))];
      const period = `${query.period.start}..${addDays(query.period.end, -1)}`;
      const run = async (extra: Filter, groupBy: string) => {
        const result = await evaluateMetric(scope, {
          metric: { definition: { ...definition, key: `${definition.key}_pipeline`, filters: [...filters, extra], groupBy: ['probability', 'stage'] } },
          period, groupBy,
        });
        if (!result.ok) return null;
        return result.value.groups;
      };
      const withProbability = await run({ field: 'probability', op: 'not_null' }, 'probability');
      const withoutProbability = await run({ field: 'probability', op: 'is_null' }, 'stage');
      if (!withProbability || !withoutProbability) return null;
      const amountOf = async (value: string | null) => (value === null ? 0 : sums ? majorUnits(value) : Number(value));
      const items: { amount: number; probability: number }[] = [];
      // Probability is a percent with a scale: the group key is the scaled integer.
      const scale = 10 ** (DEALS.fields.find((f) => f.key === 'probability')?.scale ?? 0);
      for (const g of withProbability) if (g.key !== null) items.push({ amount: await amountOf(g.value), probability: Number(g.key) / scale / 100 });
      for (const g of withoutProbability) {
        const percent = (g.key !== null ? DEFAULT_STAGE_PROBABILITY[g.key] : undefined) ?? DEFAULT_OPEN_STAGE_PROBABILITY;
        items.push({ amount: await amountOf(g.value), probability: percent / 100 });
      }
      return items;
    },
    async accumulates(metric) {
      measures ??= listMetrics(scope).then((list) => new Map(list.map((m) => [m.key, m.definition.measure.kind])));
      const kind = (await measures).get(metric.key);
      if (kind === undefined) throw new MetricUnavailableError('unknown_metric', `No metric "${metric.key}" in the catalogue or this workspace`);
      return kind === 'count' || kind === 'sum' || kind === 'distinct_count';
    },
    async valueOf(query) {
      if (query.period.end <= query.period.start) return null;
      ownerFields ??= loadOwnerFields();
      const ownerField = (await ownerFields).get(query.metric.key);
      if (ownerField === undefined) throw new MetricUnavailableError('unknown_metric', `No metric "${query.metric.key}" in the catalogue or this workspace`);
      const filters = await bindingFilters(query, ownerField);
      const result = await evaluateMetric(scope, {
        metric: { key: query.metric.key, ...(query.metric.version === null ? {} : { version: query.metric.version }) },
        period: `${query.period.start}..${addDays(query.period.end, -1)}`,
        filters,
      });
      if (!result.ok) {
        if (result.reason === 'not_found') throw new MetricUnavailableError('unknown_metric', result.message);
        throw new MetricUnavailableError('bad_parameters', result.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
      }
      const value = result.value.total.value;
      if (value === null || result.value.unit !== 'money') return value;
      exponent ??= getTenant(scope).then((t) => currencyExponent(t.currency) ?? 2);
      return toMajorUnits(value, await exponent);
    },
  };
}

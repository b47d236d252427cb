/**
 * Money is never added across currencies. A leaf that sums, averages or compares a money
 * field of a dataset whose records carry their own currency (`currencyField`) counts only
 * the records in one currency: the one its filters name, else the workspace's currency.
 * Records in other currencies are left out (convert them before import, or filter the
 * metric by their currency to see them).
 */
import { findField } from '../data/datasets.js';
import type { LeafPlan, MetricPlan } from './plan.js';

function needsCurrency(leaf: LeafPlan): boolean {
  const measure = leaf.measure;
  return (measure.kind === 'sum' || measure.kind === 'avg' || measure.kind === 'min' || measure.kind === 'max') && measure.field.type === 'money';
}

/** The currency a leaf's money is counted in, or null when it counts no money. */
export function leafCurrency(leaf: LeafPlan, defaultCurrency: string): string | null {
  if (!needsCurrency(leaf) || !leaf.dataset.currencyField) return needsCurrency(leaf) ? defaultCurrency : null;
  const named = leaf.filters.find((f) => f.field.key === leaf.dataset.currencyField && (f.op === 'eq' || f.op === 'eq_or_null'));
  return named && 'value' in named ? String(named.value) : defaultCurrency;
}

/**
 * Returns the plan with a currency filter on every money leaf that lacks one.
 * @example restrictMoneyToCurrency(plan, 'EUR') // revenue of deals now sums EUR deals only
 */
export function restrictMoneyToCurrency(plan: MetricPlan, currency: string): MetricPlan {
  const leaves = plan.leaves.map((leaf): LeafPlan => {
    const field = leaf.dataset.currencyField ? findField(leaf.dataset, leaf.dataset.currencyField) : undefined;
    if (!field || !needsCurrency(leaf) || leaf.filters.some((f) => f.field.key === field.key)) return leaf;
    // A record without a currency is in the workspace's currency.
    return { ...leaf, filters: [...leaf.filters, { field, family: 't', op: 'eq_or_null', value: currency }] };
  });
  return { ...plan, leaves };
}

/** The one currency a metric's money is in (null when it counts no money, or mixes named currencies). */
export function planCurrency(plan: MetricPlan, defaultCurrency: string): string | null {
  const currencies = new Set(plan.leaves.map((leaf) => leafCurrency(leaf, defaultCurrency)).filter((c): c is string => c !== null));
  return currencies.size === 1 ? ([...currencies][0] ?? null) : null;
}

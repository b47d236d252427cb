/**
 * Where a metric-bound key result's value comes from: the metric layer, behind a small
 * interface so the OKR code does not depend on how metrics are evaluated (SQL in the store,
 * the in-memory evaluator in tests and simulations).
 */
import type { MetricBinding } from './key-result.js';

/** Whose numbers: the objective's owner (a team, rolled up through the tree; or one person), or the whole workspace. */
export type MetricScope = { kind: 'tenant' } | { kind: 'team'; teamId: string } | { kind: 'user'; userId: string };

export interface MetricValueQuery {
  metric: MetricBinding;
  /** `[start, end)`, 'YYYY-MM-DD'. */
  period: { start: string; end: string };
  scope: MetricScope;
}

export interface MetricValueSource {
  /**
   * The metric's value over the period for the scope, as an exact decimal string in the key
   * result's units (money in major units of the workspace currency, percentages 0–100), or
   * null when it is undefined (a ratio over nothing). Throws MetricUnavailableError when the
   * value cannot be computed (unknown metric, metric engine not available): never a silent 0.
   */
  valueOf(query: MetricValueQuery): Promise<string | null>;
  /**
   * Whether the metric is a total that accumulates over its period (counts, sums) rather than a
   * level (averages, rates, ratios): a relative target of a total starts each period from 0.
   */
  accumulates(metric: MetricBinding): Promise<boolean>;
}

export type MetricUnavailableReason = 'engine_unavailable' | 'unknown_metric' | 'bad_parameters';

export class MetricUnavailableError extends Error {
  readonly reason: MetricUnavailableReason;
  constructor(reason: MetricUnavailableReason, message: string) {
    super(message);
    this.name = 'MetricUnavailableError';
    this.reason = reason;
  }
}

/** Which scope a binding reads, given the objective's owner. */
export function scopeOf(binding: MetricBinding, owner: { kind: 'team'; teamId: string } | { kind: 'user'; userId: string }): MetricScope {
  if (binding.parameters.scope === 'tenant') return { kind: 'tenant' };
  return owner.kind === 'team' ? { kind: 'team', teamId: owner.teamId } : { kind: 'user', userId: owner.userId };
}

/** A decimal string from the source as a number for scoring (scores are 4-decimal numbers). */
export function metricNumber(value: string | null): number | null {
  if (value === null) return null;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`metric value is not a number: ${value}`);
  return n;
}

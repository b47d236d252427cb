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
  /**
   * For metrics that count or sum won deals (stage = closed_won): the open deals of the scope
   * expected to close in the period, as what each would add to the value if won (amount in the
   * key result's units, or 1 for a count) and its win probability 0–1 — the "closed plus
   * stage-weighted open pipeline" projection. null when the metric is not such a metric.
   */
  openPipelineOf?(query: MetricValueQuery): Promise<{ amount: number; probability: number }[] | null>;
}

/**
 * Win probability by open stage when a deal has none of its own (percent). The stages of the
 * built-in deals dataset and of the generator; any other open stage counts as DEFAULT_OPEN_STAGE_PROBABILITY.
 */
export const DEFAULT_STAGE_PROBABILITY: Readonly<Record<string, number>> = { prospecting: 10, qualification: 25, proposal: 50, negotiation: 75 };
export const DEFAULT_OPEN_STAGE_PROBABILITY = 20;

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

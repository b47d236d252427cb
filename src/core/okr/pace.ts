import { daysBetween, round4 } from './scoring.js';

/**
 * Pace: how far a key result should be by now, where it is heading, and a status.
 *
 * - expected progress = elapsed days ÷ cycle days (linear through the cycle), clamped to [0, 1];
 * - projected value: from the trend of the check-in history (least-squares line through
 *   (day, value), evaluated at the cycle's last day); for metric-bound sales key results also
 *   "closed plus stage-weighted open pipeline" (current + Σ amount × win probability of the
 *   open deals that close in the cycle), computed by the metric layer and passed in;
 * - status from the gap between progress and expected progress:
 *   gap ≥ −onTrackGap → on_track; gap ≥ −atRiskGap → behind; otherwise at_risk
 *   (defaults 0.1 and 0.25, configurable per workspace).
 */

export type PaceStatus = 'on_track' | 'behind' | 'at_risk' | 'not_started';

export interface PaceThresholds {
  /** How far progress may trail the expected line and still be on track. */
  onTrackGap: number;
  /** Beyond this gap a key result is at risk. */
  atRiskGap: number;
}

export const DEFAULT_PACE_THRESHOLDS: PaceThresholds = { onTrackGap: 0.1, atRiskGap: 0.25 };

export function expectedProgress(cycle: { start: string; end: string }, today: string): number {
  const total = daysBetween(cycle.start, cycle.end);
  if (total <= 0) return 1;
  return round4(Math.min(1, Math.max(0, daysBetween(cycle.start, today) / total)));
}

export function paceStatus(progress: number | null, expected: number, thresholds: PaceThresholds = DEFAULT_PACE_THRESHOLDS): PaceStatus {
  if (progress === null) return expected > thresholds.onTrackGap ? 'at_risk' : 'not_started';
  const gap = progress - expected;
  if (gap >= -thresholds.onTrackGap) return 'on_track';
  if (gap >= -thresholds.atRiskGap) return 'behind';
  return 'at_risk';
}

/**
 * The value at the cycle's end if the trend of the readings holds (least squares).
 * Needs two readings on different days; otherwise null.
 */
export function projectFromTrend(history: readonly { date: string; value: number }[], cycle: { start: string; end: string }): number | null {
  if (history.length < 2) return null;
  const xs = history.map((h) => daysBetween(cycle.start, h.date));
  const ys = history.map((h) => h.value);
  const n = xs.length;
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i += 1) {
    const dx = (xs[i] ?? 0) - meanX;
    sxx += dx * dx;
    sxy += dx * ((ys[i] ?? 0) - meanY);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const endX = daysBetween(cycle.start, cycle.end);
  return round4(meanY + slope * (endX - meanX));
}

/** Closed plus stage-weighted open pipeline, for metric-bound sales key results. */
export function projectFromPipeline(current: number, openPipeline: readonly { amount: number; probability: number }[]): number {
  return round4(current + openPipeline.reduce((sum, deal) => sum + deal.amount * Math.min(1, Math.max(0, deal.probability)), 0));
}

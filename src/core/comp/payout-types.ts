/** Inputs and outputs of `calculatePayouts` (plain data; the store loads and saves them). */
import type { Period } from '../period.js';
import type { CompRecord, Credit, CreditingRules } from './crediting.js';
import type { CompIssue, CompPlan, CreditKind, TierMode } from './plan.js';

/** Payee → plan version for a date range (`to` exclusive; null/absent = open). */
export interface Assignment {
  payeeId: string;
  planId: string;
  planVersion: number;
  from: string;
  to?: string | null;
}

/** A payee's quota for a whole period (prorated by the engine for partial periods). */
export interface QuotaInput {
  payeeId: string;
  periodKey: string;
  quotaMinor: number;
}

/** A metric's value for a payee over the period: minor units (money) or units (quantity), exact decimal. */
export interface MetricValueInput {
  payeeId: string;
  metric: string;
  value: string;
}

/** A key result's or MBO's score (0–1) for a payee. */
export interface ScoreInput {
  payeeId: string;
  key: string;
  score: number | string;
  commitment: 'committed' | 'aspirational';
}

export interface DrawBalanceInput {
  payeeId: string;
  /** What the payee owes from earlier recoverable draws (≥ 0). */
  balanceMinor: number;
}

export interface ClawbackEvent {
  recordId: string;
  kind: 'cancelled' | 'churned';
  date: string;
}

/** A record's commission paid in a locked run (from its lines' attribution). */
export interface PaidCommission {
  recordId: string;
  payeeId: string;
  componentId: string;
  amountMinor: number;
  /** The record's crediting date (the N days of a clawback count from it). */
  recordDate: string;
  periodKey: string;
}

/** A correction from a locked run, paid in this one. */
export interface AdjustmentInput {
  id: string;
  payeeId: string;
  amountMinor: number;
  currency: string;
  reason: string;
  sourceRunId?: string;
}

export interface CalculationInput {
  period: Period;
  plans: readonly CompPlan[];
  assignments: readonly Assignment[];
  quotas?: readonly QuotaInput[];
  /** Records to credit with `crediting` … */
  records?: readonly CompRecord[];
  crediting?: CreditingRules;
  /** … or credits computed already (then `records` only feed the revenue total). */
  credits?: readonly Credit[];
  metricValues?: readonly MetricValueInput[];
  scores?: readonly ScoreInput[];
  drawBalances?: readonly DrawBalanceInput[];
  clawbackEvents?: readonly ClawbackEvent[];
  paidCommissions?: readonly PaidCommission[];
  adjustments?: readonly AdjustmentInput[];
  /**
   * Build explanations (default true): credits with attribution, steps and text. False
   * keeps amounts, tiers and rates only — for simulations, forecasts and benchmarks of the
   * arithmetic; saved runs always explain.
   */
  explain?: boolean;
}

export type LineKind = 'commission' | 'partner' | 'spiff' | 'bonus' | 'plan_cap' | 'plan_floor' | 'clawback' | 'draw_top_up' | 'draw_recovery' | 'adjustment';

export interface CreditRef {
  recordId: string;
  kind: CreditKind;
  creditedMinor: number;
  /** This credit's share of the line (largest remainder; sums to the line). */
  attributedMinor: number;
}

/** One step of a line's arithmetic: `value` is exact (or 4 extra decimals). */
export interface Step {
  label: string;
  expression: string;
  value: string;
}

export interface LineExplanation {
  credits: CreditRef[];
  tier: { index: number; label: string; mode: TierMode; basis: 'flat' | 'attainment' | 'amount' } | null;
  /** The rate that applied: a decimal fraction, or major units of money per unit for quantity metrics. */
  rate: string | null;
  steps: Step[];
  /** The same arithmetic in one sentence. */
  text: string;
  /** The next tier: its rate and how much more base reaches it (minor units or units). */
  next: { tierIndex: number; label: string; rate: string; remaining: string } | null;
}

export interface PayoutLine {
  /** Stable: payee / plan@version / segment start / component (/ record). */
  lineId: string;
  payeeId: string;
  kind: LineKind;
  componentId: string | null;
  label: string;
  planId: string | null;
  planVersion: number | null;
  amountMinor: number;
  currency: string;
  explanation: LineExplanation;
  warnings: CompIssue[];
  reason?: string;
}

export interface SegmentInfo {
  planId: string;
  planVersion: number;
  from: string;
  /** Exclusive. */
  to: string;
  days: number;
  /** days ÷ period days, exact decimal. */
  factor: string;
  /** The quota prorated to the segment (exact, minor units). */
  quota: string | null;
  /** The plan's attainment base credited in the segment. */
  creditedMinor: number;
  attainment: string | null;
}

export interface PayeePayout {
  payeeId: string;
  currency: string;
  segments: SegmentInfo[];
  quotaMinor: number | null;
  creditedMinor: number;
  /** creditedMinor ÷ the prorated quota of all segments (4 decimals), null without a quota. */
  attainment: string | null;
  lines: PayoutLine[];
  /** Component lines, plan caps and floors, clawbacks: what was earned in the period. */
  earningsMinor: number;
  drawBalanceInMinor: number;
  drawBalanceOutMinor: number;
  adjustmentsMinor: number;
  /** earnings + draw top-up − draw recovery + adjustments: what is paid. */
  totalMinor: number;
}

export interface CurrencyTotal {
  currency: string;
  payees: number;
  earningsMinor: number;
  totalMinor: number;
  /** Σ amount of the period's records in this currency (for cost as a share of revenue). */
  revenueMinor: number;
}

export interface PayoutResult {
  periodKey: string;
  payees: PayeePayout[];
  totals: CurrencyTotal[];
  issues: CompIssue[];
}

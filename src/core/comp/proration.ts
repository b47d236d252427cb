/**
 * Assignments → segments of a period, and proration.
 *
 * A payee's period is cut into segments, one per assignment (plan version) in force: the
 * overlap of the period [start, end), the assignment [from, to) and the plan version's
 * effective dates [effectiveFrom, effectiveTo). For each segment:
 *
 *   factor = days in the segment ÷ days in the period          (exact fraction)
 *   quota  = period quota × factor                              (exact, not rounded)
 *
 * and, when the plan prorates amounts (default), amount-based tier bounds, thresholds,
 * caps, floors, draws and bonus amounts are multiplied by the factor as well. Credits count
 * in the segment their date falls in. A joiner on day 46 of a 90-day quarter works 45 days:
 * factor 1/2, half the quota, half the draw. A plan change mid-period gives two segments,
 * each with its own plan version, lines and share of the quota.
 */
import { epochDay, type Period } from '../period.js';
import { rational, type Rational } from './money.js';
import type { CompIssue, CompPlan } from './plan.js';
import type { Assignment } from './payout-types.js';

export interface Segment {
  plan: CompPlan;
  startDay: number;
  /** Exclusive. */
  endDay: number;
  days: number;
  /** days ÷ period days. */
  factor: Rational;
}

/** Dates repeat across payees (assignment starts, plan dates): parse each once (bounded memo). */
const days = new Map<string, number>();
function dayOf(date: string): number {
  let day = days.get(date);
  if (day === undefined) {
    if (days.size >= 4096) days.clear();
    day = epochDay(date);
    days.set(date, day);
  }
  return day;
}

/** days ÷ periodDays, shared (rationals are immutable): most payees' segments have the same few. */
const factors = new Map<number, Rational[]>();
function factorOf(days: number, periodDays: number): Rational {
  let byDays = factors.get(periodDays);
  if (!byDays) {
    if (factors.size >= 64) factors.clear();
    factors.set(periodDays, (byDays = []));
  }
  return (byDays[days] ??= rational(BigInt(days), BigInt(periodDays)));
}

/**
 * The segments of one payee in a period, in date order.
 * @example payeeSegments({ payeeId: 'ann', period: q1, assignments: [{ payeeId: 'ann', planId: 'ae', planVersion: 1, from: '2026-02-15' }], plans })
 *   // { segments: [{ startDay: …2026-02-15, endDay: …2026-04-01, days: 45, factor: 1/2 }], issues: [] }
 */
export function payeeSegments(args: { payeeId: string; period: Period; assignments: readonly Assignment[]; plans: ReadonlyMap<string, CompPlan> }): { segments: Segment[]; issues: CompIssue[] } {
  const { payeeId, period } = args;
  const issues: CompIssue[] = [];
  const periodStart = dayOf(period.start);
  const periodEnd = dayOf(period.end);
  const periodDays = periodEnd - periodStart;
  const candidates: Segment[] = [];
  const sorted = args.assignments.length < 2 ? args.assignments : [...args.assignments].sort((a, b) => (a.from === b.from ? (a.planId < b.planId ? -1 : a.planId > b.planId ? 1 : a.planVersion - b.planVersion) : a.from < b.from ? -1 : 1));
  for (const a of sorted) {
    const plan = args.plans.get(`${a.planId}@${a.planVersion}`);
    if (!plan) {
      issues.push({ code: 'unknown_plan', path: `assignments.${payeeId}`, message: `${payeeId} is assigned plan ${a.planId} version ${a.planVersion}, which is not among the plans given` });
      continue;
    }
    const start = Math.max(periodStart, dayOf(a.from), dayOf(plan.effectiveFrom));
    const end = Math.min(periodEnd, a.to ? dayOf(a.to) : periodEnd, plan.effectiveTo ? dayOf(plan.effectiveTo) : periodEnd);
    if (end <= start) continue;
    candidates.push({ plan, startDay: start, endDay: end, days: end - start, factor: factorOf(end - start, periodDays) });
  }
  // Exactly sized (a pushed-to array keeps room for 16): segments live as long as the run.
  if (candidates.length < 2) return { segments: candidates.slice(), issues };
  const segments: Segment[] = [];
  for (const s of candidates) {
    const prev = segments[segments.length - 1];
    if (prev && s.startDay < prev.endDay) {
      issues.push({ code: 'overlapping_assignments', path: `assignments.${payeeId}`, message: `${payeeId} has overlapping assignments; the earlier one wins until it ends` });
      if (s.endDay <= prev.endDay) continue;
      const startDay = prev.endDay;
      segments.push({ ...s, startDay, days: s.endDay - startDay, factor: factorOf(s.endDay - startDay, periodDays) });
      continue;
    }
    segments.push(s);
  }
  return { segments, issues };
}

/**
 * Territory plans: per territory and period (fiscal year or quarter), a revenue target, a
 * product-line mix (shares as exact decimals that add up to 1) and headcount (seats).
 */
import { parseScaled } from '../metrics/rational.js';
import { parsePeriod, type FiscalCalendar } from '../period.js';
import { allocateLargestRemainder } from '../quota/largest-remainder.js';

export interface ProductLineShare {
  productLine: string;
  /** Decimal string, '0.35' = 35 %. */
  share: string;
}

export interface TerritoryPlan {
  territoryId: string;
  /** 'FY2026' or '2026-Q1'. */
  period: string;
  revenueTargetMinor: number;
  productLineMix: readonly ProductLineShare[];
  /** Selling seats planned (whole people). */
  headcount: number;
}

export interface TerritoryPlanIssue {
  code: 'unknown_territory' | 'bad_period' | 'bad_amount' | 'bad_share' | 'mix_not_whole' | 'duplicate_product_line' | 'bad_headcount' | 'duplicate_plan' | 'children_do_not_add_up';
  severity: 'error' | 'warning';
  path: string;
  message: string;
}

const SHARE_SCALE = 6;
const WHOLE = 10n ** BigInt(SHARE_SCALE);

/**
 * Validates plans; a parent whose children's targets (same period) do not add up to its own
 * is a warning with the difference, not an error (top-down and bottom-up plans meet here).
 * @example validateTerritoryPlans({ plans: [{ territoryId: 'emea', period: 'FY2026', revenueTargetMinor: 1_000_000_00, headcount: 12, productLineMix: [{ productLine: 'Platform', share: '1' }] }], territories, calendar: CALENDAR_YEAR }) // { ok: true, issues: [] }
 */
export function validateTerritoryPlans(input: { plans: readonly TerritoryPlan[]; territories: readonly { id: string; parentId: string | null }[]; calendar: FiscalCalendar }): { ok: boolean; issues: TerritoryPlanIssue[] } {
  const { plans, territories, calendar } = input;
  const issues: TerritoryPlanIssue[] = [];
  const known = new Map(territories.map((t) => [t.id, t] as const));
  const seen = new Set<string>();
  plans.forEach((plan, i) => {
    const path = `plans.${i}`;
    if (!known.has(plan.territoryId)) issues.push({ code: 'unknown_territory', severity: 'error', path: `${path}.territoryId`, message: `no territory "${plan.territoryId}"` });
    const parsed = parsePeriod(plan.period, calendar);
    if (!parsed.ok || (parsed.period.kind !== 'year' && parsed.period.kind !== 'quarter')) issues.push({ code: 'bad_period', severity: 'error', path: `${path}.period`, message: 'a plan period is a fiscal year (FY2026) or quarter (2026-Q1)' });
    if (!Number.isSafeInteger(plan.revenueTargetMinor) || plan.revenueTargetMinor < 0) issues.push({ code: 'bad_amount', severity: 'error', path: `${path}.revenueTargetMinor`, message: 'a non-negative integer of minor units' });
    if (!Number.isInteger(plan.headcount) || plan.headcount < 0) issues.push({ code: 'bad_headcount', severity: 'error', path: `${path}.headcount`, message: 'a whole number of seats ≥ 0' });
    const key = `${plan.territoryId}\u0000${plan.period}`;
    if (seen.has(key)) issues.push({ code: 'duplicate_plan', severity: 'error', path, message: `two plans for ${plan.territoryId} in ${plan.period}` });
    seen.add(key);
    let sum = 0n;
    let sharesOk = true;
    const lines = new Set<string>();
    plan.productLineMix.forEach((m, j) => {
      const scaled = parseScaled(m.share, SHARE_SCALE);
      if (scaled === null || scaled < 0n || scaled > WHOLE) {
        sharesOk = false;
        issues.push({ code: 'bad_share', severity: 'error', path: `${path}.productLineMix.${j}.share`, message: `a decimal from 0 to 1 with at most ${SHARE_SCALE} decimals` });
      } else sum += scaled;
      const line = m.productLine.trim().toLowerCase();
      if (lines.has(line)) issues.push({ code: 'duplicate_product_line', severity: 'error', path: `${path}.productLineMix.${j}.productLine`, message: `"${m.productLine}" appears twice` });
      lines.add(line);
    });
    if (sharesOk && plan.productLineMix.length > 0 && sum !== WHOLE) issues.push({ code: 'mix_not_whole', severity: 'error', path: `${path}.productLineMix`, message: 'the shares must add up to 1' });
  });
  // Children against parents, per period.
  const target = new Map<string, number>(plans.map((p) => [`${p.territoryId}\u0000${p.period}`, p.revenueTargetMinor]));
  const childSums = new Map<string, number>();
  for (const p of plans) {
    const parent = known.get(p.territoryId)?.parentId;
    if (parent === null || parent === undefined) continue;
    const key = `${parent}\u0000${p.period}`;
    childSums.set(key, (childSums.get(key) ?? 0) + p.revenueTargetMinor);
  }
  for (const [key, sumMinor] of childSums) {
    const parentTarget = target.get(key);
    if (parentTarget === undefined || parentTarget === sumMinor) continue;
    const [parentId, period] = key.split('\u0000');
    issues.push({ code: 'children_do_not_add_up', severity: 'warning', path: `plans.${parentId}.${period}`, message: `children plan ${sumMinor} against ${parentTarget} (gap ${sumMinor - parentTarget})` });
  }
  return { ok: !issues.some((i) => i.severity === 'error'), issues };
}

/**
 * The revenue target per product line, by largest remainder (adds up to the target).
 * @example productLineTargets({ revenueTargetMinor: 100, productLineMix: [{ productLine: 'A', share: '0.333333' }, { productLine: 'B', share: '0.666667' }], … }) // [{ productLine: 'A', targetMinor: 33 }, { productLine: 'B', targetMinor: 67 }]
 */
export function productLineTargets(plan: Pick<TerritoryPlan, 'revenueTargetMinor' | 'productLineMix'>): { productLine: string; targetMinor: number }[] {
  const weights = plan.productLineMix.map((m) => Number(parseScaled(m.share, SHARE_SCALE) ?? 0n));
  const parts = allocateLargestRemainder(plan.revenueTargetMinor, weights);
  return plan.productLineMix.map((m, i) => ({ productLine: m.productLine, targetMinor: parts[i] ?? 0 }));
}

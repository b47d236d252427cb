/**
 * The payout engine: one period, every payee, lines that explain themselves.
 *
 * Per payee: assignments → segments of the period (one per plan version in force, see
 * proration.ts); per segment the plan's components price the segment's credits; then plan
 * caps and floors, clawbacks, the draw, adjustments. Each line is computed exactly and
 * rounded once (money.ts: half away from zero to the minor unit). Deterministic: payees by
 * id, lines in plan order, credits by date and record id.
 */
import { epochDay, formatEpochDay } from '../period.js';
import { formatRational } from '../metrics/rational.js';
import { aggregateCredits, creditList, type PayeeCredits, type SegmentCredits } from './credit-stats.js';
import { compareCredits, creditRecords, type Credit } from './crediting.js';
import {
  add, allocate, compare, div, formatMoney, minorFromBigInt, formatPercent, formatRate, fromMinor, minor, mul, parseDecimal, rational, roundMinor, sub, ZERO, type Rational,
} from './money.js';
import type { CompIssue, CompiledComponent, CompPlan } from './plan.js';
import { payeeSegments, type Segment } from './proration.js';
import { compileTable, fraction, priceFast, roundScaled } from './fast-pricing.js';
import { priceBase } from './rate-table.js';
import type { CalculationInput, CreditRef, CurrencyTotal, LineExplanation, PayeePayout, PayoutLine, PayoutResult, SegmentInfo, Step } from './payout-types.js';

type Component<K extends CompiledComponent['kind']> = Extract<CompiledComponent, { kind: K }>;

export { selectCredits } from './credit-stats.js';

/** formatRational, with integers short-cut (their decimals are all zeros, which it drops: the same string). */
const formatExact = (r: Rational, decimals: number): string => (r.den === 1n ? r.num.toString() : formatRational(r, decimals));
const ratio4 = (r: Rational): string => formatExact(r, 4);

/** Attributes a line to its credits by largest remainder on their (non-negative) amounts. */
function attribute(amountMinor: number, credits: readonly Credit[], weights?: readonly (bigint | number)[]): CreditRef[] {
  const w = weights ?? credits.map((c) => (c.amountMinor > 0 ? c.amountMinor : 0));
  const hasWeight = w.some((x) => x > 0);
  const parts = hasWeight ? allocate(amountMinor, w) : credits.map(() => 0);
  const out: CreditRef[] = [];
  for (let i = 0; i < credits.length; i += 1) {
    const c = credits[i] as Credit;
    out.push({ recordId: c.recordId, kind: c.kind, creditedMinor: c.amountMinor, attributedMinor: parts[i] as number });
  }
  return out;
}

interface SegmentContext {
  payeeId: string;
  plan: CompPlan;
  segment: Segment & { share: Rational };
  /**
   * The segment's credits: `select` (memoised per selector key; explanations only) and
   * `stats`, what a selector's credits add up to — all the amounts need (credit-stats.ts).
   */
  credits: SegmentCredits;
  quota: Rational | null;
  /** Fast path and the payee's whole period (factor 1): lines may take the scaled-integer path. */
  scaled: boolean;
  /** The plan's attainment base and ratio (null without a quota). */
  attainmentBase: number;
  attainment: Rational | null;
  metricValue: (metric: string) => Rational | null;
  scoreOf: (key: string) => { score: Rational; commitment: 'committed' | 'aspirational' } | null;
}

const emptyExplanation = (): LineExplanation => ({ credits: [], tier: null, rate: null, steps: [], text: '', next: null });

class LineBuilder {
  readonly lines: PayoutLine[] = [];
  /** False: lines carry amounts only (no credits, steps or text), for simulations. */
  constructor(readonly payeeId: string, readonly currency: string, readonly explain: boolean) {}
  money(r: Rational | number): string {
    return formatMoney(r, this.currency);
  }
  push(line: Omit<PayoutLine, 'payeeId' | 'currency'>): PayoutLine {
    const full: PayoutLine = { payeeId: this.payeeId, currency: this.currency, ...line };
    this.lines.push(full);
    return full;
  }
}

/** Applies a (prorated) cap and floor to an exact amount, recording the steps. */
function capAndFloor(amount: Rational, capMinor: number | null, floorMinor: number | null, factor: Rational, steps: Step[], b: LineBuilder): Rational {
  let out = amount;
  if (capMinor !== null) {
    const cap = mul(fromMinor(capMinor), factor);
    if (compare(out, cap) > 0) {
      if (b.explain) steps.push({ label: 'cap', expression: `min(${b.money(out)}, ${b.money(cap)})`, value: b.money(cap) });
      out = cap;
    }
  }
  if (floorMinor !== null) {
    const floor = mul(fromMinor(floorMinor), factor);
    if (compare(out, floor) < 0) {
      if (b.explain) steps.push({ label: 'floor', expression: `max(${b.money(out)}, ${b.money(floor)})`, value: b.money(floor) });
      out = floor;
    }
  }
  return out;
}

/**
 * A commission line without explanation, priced on scaled integers (fast-pricing.ts): whole
 * periods, credit bases, no threshold. Null when the line needs the general path.
 */
function fastCommissionLine(ctx: SegmentContext, c: Component<'commission' | 'partner'>, b: LineBuilder, lineId: string): PayoutLine | null {
  if (b.explain || !ctx.scaled || c.base.kind !== 'credits' || c.threshold !== null) return null;
  const warnings: CompIssue[] = [];
  let unit: bigint | null = 1n;
  if (c.rates.basis === 'attainment') {
    const quota = ctx.quota;
    if (quota === null || quota.num === 0n) {
      unit = null;
      warnings.push({ code: 'no_quota', path: `${c.id}.rates`, message: `no quota for ${ctx.payeeId} in this period: priced at the first tier` });
    } else if (quota.den !== 1n || quota.num < 0n) return null;
    else unit = quota.num;
  }
  const baseMinor = ctx.credits.stats(c.base.selector).sumMinor;
  const table = compileTable(c.rates);
  const pricing = priceFast(c.rates, table, baseMinor, unit);
  const den = table.boundScale * table.rateScale;
  let amountNum = pricing.amountNum;
  if (c.capMinor !== null && amountNum > BigInt(c.capMinor) * den) amountNum = BigInt(c.capMinor) * den;
  if (c.floorMinor !== null && amountNum < BigInt(c.floorMinor) * den) amountNum = BigInt(c.floorMinor) * den;
  const amountMinor = minorFromBigInt(roundScaled(amountNum, den));
  const tier = { index: pricing.tierIndex, label: c.rates.tiers[pricing.tierIndex]?.label ?? '', mode: c.rates.mode, basis: c.rates.basis };
  const next = pricing.next
    ? { tierIndex: pricing.next.tierIndex, label: c.rates.tiers[pricing.next.tierIndex]?.label ?? '', rate: table.rateText[pricing.next.tierIndex] ?? '', remaining: formatRational(fraction(pricing.next.remainingNum, table.boundScale), 4) }
    : null;
  return b.push({
    lineId, kind: c.kind, componentId: c.id, label: c.label, planId: ctx.plan.id, planVersion: ctx.plan.version, amountMinor,
    explanation: { credits: [], tier, rate: table.rateText[pricing.rateIndex] ?? '', steps: [], text: '', next }, warnings,
  });
}

function commissionLine(ctx: SegmentContext, c: Component<'commission' | 'partner'>, b: LineBuilder, lineId: string): PayoutLine {
  const fast = fastCommissionLine(ctx, c, b, lineId);
  if (fast) return fast;
  const { plan, segment } = ctx;
  const steps: Step[] = [];
  const warnings: CompIssue[] = [];
  let base: Rational;
  let credits: Credit[] = [];
  const quantity = c.base.kind === 'metric' && c.base.unit === 'quantity';
  const fmtBase = (r: Rational): string => (quantity ? formatRational(r, 4) : b.money(r));
  if (c.base.kind === 'credits') {
    const stats = ctx.credits.stats(c.base.selector);
    if (b.explain) credits = ctx.credits.select(c.base.selector);
    base = fromMinor(stats.sumMinor);
    if (b.explain) steps.push({ label: 'credit base', expression: `Σ ${stats.count} credits`, value: fmtBase(base) });
  } else {
    const value = ctx.metricValue(c.base.metric);
    if (value === null) warnings.push({ code: 'missing_metric', path: `${c.id}.base.metric`, message: `no value of metric "${c.base.metric}" for ${ctx.payeeId}: counted as 0` });
    base = value ?? ZERO;
    if (b.explain) steps.push({ label: 'metric base', expression: `${c.base.metric} × ${formatRational(segment.share, 6)} of the payee’s covered days`, value: fmtBase(base) });
  }
  const factor = plan.prorateAmounts ? segment.factor : rational(1n);
  let unit: Rational | null = factor;
  if (c.rates.basis === 'attainment') {
    unit = ctx.quota;
    if (ctx.quota === null || ctx.quota.num === 0n) {
      unit = null;
      warnings.push({ code: 'no_quota', path: `${c.id}.rates`, message: `no quota for ${ctx.payeeId} in this period: priced at the first tier` });
    } else {
      const att = div(base, ctx.quota) ?? ZERO;
      if (b.explain) steps.push({ label: 'attainment', expression: `${fmtBase(base)} ÷ ${b.money(ctx.quota)}`, value: ratio4(att) });
    }
  }
  const pricing = priceBase(c.rates, base, unit);
  let amount = pricing.amount;
  /** Quantity rates are kept in minor units per unit; people read major units per unit. */
  const perUnit = (rate: Rational): Rational => (quantity ? (div(rate, rational(10n ** BigInt(plan.exponent))) ?? ZERO) : rate);
  const rateText = (rate: Rational): string => (quantity ? `${formatRate(perUnit(rate))} ${b.currency} per unit` : formatPercent(rate));
  const bandText = !b.explain ? [] : pricing.bands.map((band) => `${fmtBase(band.slice)} × ${rateText(band.rate)}`);
  for (const band of pricing.bands) {
    if (b.explain) steps.push({ label: `${c.rates.mode} ${band.label}`, expression: `${fmtBase(band.slice)} × ${formatRate(perUnit(band.rate))}`, value: b.money(band.amount) });
  }
  let gated = false;
  if (c.threshold) {
    const t = c.threshold;
    const below = t.kind === 'attainment' ? ctx.attainment === null || compare(ctx.attainment, t.value) < 0 : compare(base, plan.prorateAmounts && !quantity ? mul(t.value, factor) : t.value) < 0;
    if (below) {
      gated = true;
      if (b.explain) steps.push({ label: 'threshold', expression: t.kind === 'attainment' ? `attainment ${ctx.attainment === null ? 'n/a' : ratio4(ctx.attainment)} < ${ratio4(t.value)}` : `base < ${fmtBase(t.value)}`, value: '0' });
      amount = ZERO;
    }
  }
  amount = capAndFloor(amount, c.capMinor, c.floorMinor, factor, steps, b);
  const amountMinor = roundMinor(amount);
  if (b.explain) steps.push({ label: 'rounded', expression: `round half away from zero (${b.money(amount)})`, value: b.money(amountMinor) });
  const tier = { index: pricing.tierIndex, label: c.rates.tiers[pricing.tierIndex]?.label ?? '', mode: c.rates.mode, basis: c.rates.basis };
  const next = pricing.next
    ? { tierIndex: pricing.next.tierIndex, label: c.rates.tiers[pricing.next.tierIndex]?.label ?? '', rate: formatRate(perUnit(pricing.next.rate)), remaining: formatRational(sub(pricing.next.lower, base), 4) }
    : null;
  const text = !b.explain ? '' : `${c.label}: ${gated ? 'below the threshold, nothing is paid' : `${c.rates.mode === 'marginal' ? bandText.join(' + ') : bandText[0] ?? ''}`} = ${b.money(amountMinor)} ${b.currency}`;
  return b.push({
    lineId, kind: c.kind, componentId: c.id, label: c.label, planId: plan.id, planVersion: plan.version, amountMinor,
    explanation: { credits: b.explain ? attribute(amountMinor, credits) : [], tier, rate: formatRate(perUnit(pricing.rate)), steps, text, next }, warnings,
  });
}

function spiffLine(ctx: SegmentContext, c: Component<'spiff'>, b: LineBuilder, lineId: string): PayoutLine {
  const stats = ctx.credits.stats(c.selector);
  const credits = b.explain ? ctx.credits.select(c.selector) : [];
  const steps: Step[] = [];
  const hundred = rational(100n);
  let amount: Rational;
  const weights: (bigint | number)[] = [];
  if (c.perRecord.kind === 'amount') {
    // Σ amount × share: count the credits per share (most are 100 %), then multiply once.
    const counts = stats.percentCounts;
    const shares = new Map<string, Rational>();
    let shareSum = ZERO;
    for (const [percent, count] of counts) {
      const share = div(parseDecimal(percent) ?? ZERO, hundred) ?? ZERO;
      shares.set(percent, share);
      shareSum = add(shareSum, mul(share, rational(BigInt(count))));
    }
    if (b.explain) {
      for (const credit of credits) {
        const share = shares.get(credit.percent) ?? ZERO;
        weights.push(Number((share.num * 10n ** 9n) / share.den));
      }
    }
    amount = mul(fromMinor(c.perRecord.amountMinor), shareSum);
  } else {
    if (b.explain) for (const credit of credits) weights.push(credit.amountMinor > 0 ? credit.amountMinor : 0);
    amount = mul(fromMinor(stats.sumMinor), c.perRecord.rate);
  }
  const per = !b.explain ? '' : c.perRecord.kind === 'amount' ? `${b.money(c.perRecord.amountMinor)} per record` : `${formatPercent(c.perRecord.rate)} of the credited amount`;
  if (b.explain) steps.push({ label: 'qualifying records', expression: `${stats.count} × ${per}`, value: b.money(amount) });
  const factor = ctx.plan.prorateAmounts ? ctx.segment.factor : rational(1n);
  amount = capAndFloor(amount, c.capMinor, null, factor, steps, b);
  const amountMinor = roundMinor(amount);
  if (b.explain) steps.push({ label: 'rounded', expression: `round half away from zero (${b.money(amount)})`, value: b.money(amountMinor) });
  return b.push({
    lineId, kind: 'spiff', componentId: c.id, label: c.label, planId: ctx.plan.id, planVersion: ctx.plan.version, amountMinor,
    explanation: { ...emptyExplanation(), credits: b.explain ? attribute(amountMinor, credits, weights) : [], rate: c.perRecord.kind === 'rate' ? formatRate(c.perRecord.rate) : null, steps, text: b.explain ? `${c.label}: ${stats.count} qualifying records × ${per} = ${b.money(amountMinor)} ${b.currency}` : '' },
    warnings: [],
  });
}

/** A step table (highest step reached) or a curve (linear between points, flat after the last, 0 before the first). */
export function bonusAmount(payout: Component<'bonus'>['payout'], value: Rational): Rational {
  const pts = payout.points;
  const first = pts[0];
  if (!first || compare(value, first.at) < 0) return ZERO;
  if (payout.kind === 'step') {
    let out = fromMinor(first.amountMinor);
    for (const p of pts) if (compare(value, p.at) >= 0) out = fromMinor(p.amountMinor);
    return out;
  }
  for (let i = 1; i < pts.length; i += 1) {
    const lo = pts[i - 1];
    const hi = pts[i];
    if (!lo || !hi) break;
    if (compare(value, hi.at) <= 0) {
      const t = div(sub(value, lo.at), sub(hi.at, lo.at)) ?? ZERO;
      return add(fromMinor(lo.amountMinor), mul(t, fromMinor(hi.amountMinor - lo.amountMinor)));
    }
  }
  return fromMinor(pts[pts.length - 1]?.amountMinor ?? 0);
}

function bonusLine(ctx: SegmentContext, c: Component<'bonus'>, b: LineBuilder, lineId: string): PayoutLine {
  const steps: Step[] = [];
  const warnings: CompIssue[] = [];
  let value: Rational | null = null;
  const what = c.on.kind === 'attainment' ? 'quota attainment' : `score of ${c.on.key}`;
  if (c.on.kind === 'attainment') {
    value = ctx.attainment;
    if (value === null) warnings.push({ code: 'no_quota', path: `${c.id}.on`, message: `no quota for ${ctx.payeeId}: no attainment bonus` });
  } else {
    const s = ctx.scoreOf(c.on.key);
    if (s === null) warnings.push({ code: 'missing_score', path: `${c.id}.on.key`, message: `no score "${c.on.key}" for ${ctx.payeeId}: no bonus` });
    else if (s.commitment === 'aspirational' && !c.allowAspirational) {
      warnings.push({ code: 'aspirational_score_rejected', path: `${c.id}.on.key`, message: `"${c.on.key}" is an aspirational OKR: its score does not feed pay unless the plan sets allowAspirational: true` });
    } else {
      if (s.commitment === 'aspirational') warnings.push({ code: 'aspirational_score_used', path: `${c.id}.allowAspirational`, message: `the aspirational score of "${c.on.key}" feeds pay because the plan allows it` });
      value = s.score;
    }
  }
  let amount = value === null ? ZERO : bonusAmount(c.payout, value);
  if (b.explain) steps.push({ label: what, expression: value === null ? 'n/a' : `${c.payout.kind}(${ratio4(value)})`, value: b.money(amount) });
  if (ctx.plan.prorateAmounts && compare(ctx.segment.factor, rational(1n)) !== 0) {
    const prorated = mul(amount, ctx.segment.factor);
    if (b.explain) steps.push({ label: 'prorated', expression: `${b.money(amount)} × ${formatRational(ctx.segment.factor, 6)}`, value: b.money(prorated) });
    amount = prorated;
  }
  const amountMinor = roundMinor(amount);
  if (b.explain) steps.push({ label: 'rounded', expression: `round half away from zero (${b.money(amount)})`, value: b.money(amountMinor) });
  return b.push({
    lineId, kind: 'bonus', componentId: c.id, label: c.label, planId: ctx.plan.id, planVersion: ctx.plan.version, amountMinor,
    explanation: { ...emptyExplanation(), steps, text: b.explain ? `${c.label}: ${what} ${value === null ? 'n/a' : ratio4(value)} → ${b.money(amountMinor)} ${b.currency}` : '' },
    warnings,
  });
}

interface PayeeWork {
  payeeId: string;
  segments: Segment[];
  credits: PayeeCredits;
}

/** Index of per-payee inputs. */
function indexBy<T extends { payeeId: string }>(items: readonly T[] | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items ?? []) {
    const list = out.get(item.payeeId);
    if (list) list.push(item);
    else out.set(item.payeeId, [item]);
  }
  return out;
}

/**
 * Calculates every assigned payee's payout for a period.
 * @example
 * calculatePayouts({ period: parsePeriod('2026-Q1', CALENDAR_YEAR).period, plans: [plan],
 *   assignments: [{ payeeId: 'ann', planId: 'ae', planVersion: 1, from: '2026-01-01' }],
 *   quotas: [{ payeeId: 'ann', periodKey: '2026-Q1', quotaMinor: 10_000_000 }], records: deals })
 * // { payees: [{ payeeId: 'ann', lines: [{ kind: 'commission', amountMinor: 660000, explanation: … }], totalMinor: 660000 }], totals: […] }
 */
export function calculatePayouts(input: CalculationInput): PayoutResult {
  return calculate(input, input.explain === false);
}

/**
 * The reference path: every payee's credits as lists, whatever `explain` says. The fast path
 * of `explain: false` must equal it bit for bit (properties.test.ts); benchmarks compare them.
 */
export function calculatePayoutsReference(input: CalculationInput): PayoutResult {
  return calculate(input, false);
}

function calculate(input: CalculationInput, fast: boolean): PayoutResult {
  const issues: CompIssue[] = [];
  const { period } = input;
  const startDay = epochDay(period.start);
  const endDay = epochDay(period.end);
  let credits: readonly Credit[];
  if (input.credits) credits = input.credits;
  else {
    const credited = creditRecords(input.records ?? [], input.crediting ?? {});
    issues.push(...credited.issues);
    credits = credited.credits;
  }
  const plans = new Map(input.plans.map((p) => [`${p.id}@${p.version}`, p]));
  const assignmentsByPayee = indexBy(input.assignments);
  const quotas = new Map((input.quotas ?? []).filter((q) => q.periodKey === period.key).map((q) => [q.payeeId, minor(q.quotaMinor)]));
  const metricsByPayee = indexBy(input.metricValues);
  const scoresByPayee = indexBy(input.scores);
  const balances = new Map((input.drawBalances ?? []).map((d) => [d.payeeId, minor(d.balanceMinor)]));
  const adjustmentsByPayee = indexBy(input.adjustments);
  const paidByPayee = indexBy(input.paidCommissions);
  const events = (input.clawbackEvents ?? []).filter((e) => {
    const d = epochDay(e.date);
    return d >= startDay && d < endDay;
  });
  const eventsByRecord = new Map<string, typeof events>();
  for (const e of events) eventsByRecord.set(e.recordId, [...(eventsByRecord.get(e.recordId) ?? []), e]);

  const explain = input.explain ?? true;
  const payeeIds = [...new Set([...assignmentsByPayee.keys(), ...adjustmentsByPayee.keys(), ...balances.keys()])].sort();
  const segmented = payeeIds.map((payeeId) => ({ payeeId, ...payeeSegments({ payeeId, period, assignments: assignmentsByPayee.get(payeeId) ?? [], plans }) }));
  // Fast path (amounts only): payees on one plan for the whole period are added up in one
  // columnar pass; the others (joiners, leavers, plan changes mid-period) keep their lists.
  const aggregated = new Map<string, PayeeCredits>();
  if (fast) {
    const simple = segmented.flatMap(({ payeeId, segments }) => {
      const only = segments.length === 1 ? segments[0] : undefined;
      return only && only.factor.num === only.factor.den ? [{ payeeId, plan: only.plan }] : [];
    });
    const sums = aggregateCredits({ credits, startDay, endDay, payees: simple });
    simple.forEach((p, i) => aggregated.set(p.payeeId, sums[i] as PayeeCredits));
  }
  const creditsByPayee = new Map<string, Credit[]>();
  if (aggregated.size < payeeIds.length) {
    for (const c of credits) {
      if (c.day < startDay || c.day >= endDay || aggregated.has(c.payeeId)) continue;
      const list = creditsByPayee.get(c.payeeId);
      if (list) list.push(c);
      else creditsByPayee.set(c.payeeId, [c]);
    }
  }
  const payees: PayeePayout[] = [];
  for (const seg of segmented) {
    const { payeeId } = seg;
    issues.push(...seg.issues);
    let payeeCredits = aggregated.get(payeeId);
    if (!payeeCredits) {
      const mine = creditsByPayee.get(payeeId) ?? [];
      // Order matters only to explanations (credit lists, attribution ties): amounts are exact
      // sums. Credits usually arrive in date order (the store loads them so): check first.
      let sorted = !explain;
      if (explain) {
        sorted = true;
        for (let i = 1; i < mine.length && sorted; i += 1) sorted = compareCredits(mine[i - 1] as Credit, mine[i] as Credit) <= 0;
      }
      payeeCredits = creditList(sorted ? mine : mine.sort(compareCredits));
    }
    const work: PayeeWork = { payeeId, segments: seg.segments, credits: payeeCredits };
    const payout = calculatePayee(work, {
      explain,
      fast,
      quotaMinor: quotas.get(payeeId) ?? null,
      metrics: metricsByPayee.get(payeeId) ?? [],
      scores: scoresByPayee.get(payeeId) ?? [],
      balanceMinor: balances.get(payeeId) ?? 0,
      adjustments: adjustmentsByPayee.get(payeeId) ?? [],
      paid: paidByPayee.get(payeeId) ?? [],
      eventsByRecord,
      periodKey: period.key,
    }, issues);
    if (payout) payees.push(payout);
  }

  const revenue = new Map<string, number>();
  const inPeriod = new Map<string, boolean>();
  for (const r of input.records ?? []) {
    let hit = inPeriod.get(r.date);
    if (hit === undefined) {
      const d = epochDay(r.date);
      hit = d >= startDay && d < endDay;
      inPeriod.set(r.date, hit);
    }
    if (hit) revenue.set(r.currency, minor((revenue.get(r.currency) ?? 0) + r.amountMinor));
  }
  const totals = new Map<string, CurrencyTotal>();
  for (const p of payees) {
    const t = totals.get(p.currency) ?? { currency: p.currency, payees: 0, earningsMinor: 0, totalMinor: 0, revenueMinor: revenue.get(p.currency) ?? 0 };
    t.payees += 1;
    t.earningsMinor = minor(t.earningsMinor + p.earningsMinor);
    t.totalMinor = minor(t.totalMinor + p.totalMinor);
    totals.set(p.currency, t);
  }
  return { periodKey: period.key, payees, totals: [...totals.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)), issues };
}

interface PayeeInputs {
  explain: boolean;
  /** The fast path (amounts only): aggregated credits, scaled-integer pricing. */
  fast: boolean;
  quotaMinor: number | null;
  metrics: readonly { metric: string; value: string }[];
  scores: readonly { key: string; score: number | string; commitment: 'committed' | 'aspirational' }[];
  balanceMinor: number;
  adjustments: readonly { id: string; amountMinor: number; currency: string; reason: string; sourceRunId?: string }[];
  paid: readonly { recordId: string; componentId: string; amountMinor: number; recordDate: string; periodKey: string }[];
  eventsByRecord: Map<string, readonly { recordId: string; kind: 'cancelled' | 'churned'; date: string }[]>;
  periodKey: string;
}

function calculatePayee(work: PayeeWork, inp: PayeeInputs, issues: CompIssue[]): PayeePayout | null {
  const { payeeId, segments } = work;
  const currencies = [...new Set([...segments.map((s) => s.plan.currency), ...(segments.length === 0 ? inp.adjustments.map((a) => a.currency) : [])])];
  if (currencies.length === 0) return null;
  if (currencies.length > 1) {
    issues.push({ code: 'mixed_currencies', path: `payees.${payeeId}`, message: `${payeeId}'s plans in this period pay in ${currencies.join(' and ')}: currencies are never mixed; the payee is left out` });
    return null;
  }
  const currency = currencies[0] as string;
  const b = new LineBuilder(payeeId, currency, inp.explain);
  const foreign = work.credits.foreignCount(currency);
  if (foreign > 0) issues.push({ code: 'currency_mismatch', path: `payees.${payeeId}`, message: `${foreign} credits of ${payeeId} are not in ${currency} and were left out` });
  const coveredDays = segments.reduce((a, s) => a + s.days, 0);
  const scores = new Map(inp.scores.map((s) => [s.key, s]));
  const metrics = new Map(inp.metrics.map((m) => [m.metric, m.value]));
  const segmentInfos: SegmentInfo[] = [];
  let creditedTotal = 0;
  let quotaTotal: Rational | null = null;
  const draws: { amountMinor: number; recoverable: boolean; maxRecoveryMinor: number | null; plan: CompPlan; id: string }[] = [];

  for (const segment of segments) {
    const { plan } = segment;
    const whole = segments.length === 1 && segment.factor.num === segment.factor.den;
    const segmentCredits = work.credits.segment({ currency, startDay: segment.startDay, endDay: segment.endDay, whole });
    const quota = inp.quotaMinor === null ? null : mul(fromMinor(inp.quotaMinor), segment.factor);
    const attainmentBase = segmentCredits.stats(plan.attainment).sumMinor;
    const attainment = quota === null || quota.num === 0n ? null : div(fromMinor(attainmentBase), quota);
    creditedTotal += attainmentBase;
    if (quota !== null) quotaTotal = quotaTotal === null ? quota : add(quotaTotal, quota);
    const share = coveredDays === 0 ? rational(0n) : rational(BigInt(segment.days), BigInt(coveredDays));
    const ctx: SegmentContext = {
      payeeId, plan, segment: { ...segment, share }, credits: segmentCredits, quota, scaled: inp.fast && whole, attainmentBase, attainment,
      metricValue: (metric) => {
        const v = metrics.get(metric);
        const parsed = v === undefined ? null : parseDecimal(v);
        return parsed === null ? null : mul(parsed, share);
      },
      scoreOf: (key) => {
        const s = scores.get(key);
        if (!s) return null;
        const score = parseDecimal(typeof s.score === 'number' ? s.score.toFixed(4) : s.score);
        return score === null ? null : { score, commitment: s.commitment };
      },
    };
    segmentInfos.push({
      planId: plan.id, planVersion: plan.version, from: formatEpochDay(segment.startDay), to: formatEpochDay(segment.endDay), days: segment.days,
      factor: formatExact(segment.factor, 6), quota: quota === null ? null : formatExact(quota, 4), creditedMinor: attainmentBase, attainment: attainment === null ? null : ratio4(attainment),
    });
    const prefix = `${payeeId}/${plan.id}@${plan.version}/${formatEpochDay(segment.startDay)}`;
    const earned: PayoutLine[] = [];
    for (const c of plan.components) {
      const lineId = `${prefix}/${c.id}`;
      switch (c.kind) {
        case 'commission':
        case 'partner':
          earned.push(commissionLine(ctx, c, b, lineId));
          break;
        case 'spiff':
          earned.push(spiffLine(ctx, c, b, lineId));
          break;
        case 'bonus':
          earned.push(bonusLine(ctx, c, b, lineId));
          break;
        case 'draw':
          draws.push({ amountMinor: roundMinor(mul(fromMinor(c.amountMinor), plan.prorateAmounts ? segment.factor : rational(1n))), recoverable: c.recoverable, maxRecoveryMinor: c.maxRecoveryMinor, plan, id: c.id });
          break;
        case 'clawback':
          break; // after the segments: events are dated, not segment-bound
        default: {
          const unreachable: never = c;
          throw new Error(`unknown component ${JSON.stringify(unreachable)}`);
        }
      }
    }
    planCapAndFloor(plan, segment, earned, b, prefix);
  }

  clawbackLines(work, inp, b);
  const earningsMinor = minor(b.lines.reduce((a, l) => a + l.amountMinor, 0));
  const { balanceOutMinor } = drawLines(draws, earningsMinor, inp.balanceMinor, b, payeeId);
  let adjustmentsMinor = 0;
  for (const adj of [...inp.adjustments].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))) {
    if (adj.currency !== currency) {
      issues.push({ code: 'currency_mismatch', path: `adjustments.${adj.id}`, message: `adjustment ${adj.id} is in ${adj.currency}, ${payeeId} is paid in ${currency}: left out` });
      continue;
    }
    adjustmentsMinor = minor(adjustmentsMinor + minor(adj.amountMinor));
    b.push({
      lineId: `${payeeId}/adjustment/${adj.id}`, kind: 'adjustment', componentId: null, label: 'Adjustment', planId: null, planVersion: null, amountMinor: adj.amountMinor,
      explanation: { ...emptyExplanation(), steps: [{ label: 'adjustment', expression: adj.sourceRunId ? `from run ${adj.sourceRunId}` : 'manual', value: b.money(adj.amountMinor) }], text: `Adjustment ${b.money(adj.amountMinor)} ${currency}: ${adj.reason}` },
      warnings: [], reason: adj.reason,
    });
  }
  const totalMinor = minor(b.lines.reduce((a, l) => a + l.amountMinor, 0));
  const attainment = quotaTotal === null || quotaTotal.num === 0n ? null : ratio4(div(fromMinor(creditedTotal), quotaTotal) ?? ZERO);
  return {
    payeeId, currency, segments: segmentInfos, quotaMinor: inp.quotaMinor, creditedMinor: minor(creditedTotal), attainment, lines: b.lines,
    earningsMinor, drawBalanceInMinor: inp.balanceMinor, drawBalanceOutMinor: balanceOutMinor, adjustmentsMinor, totalMinor,
  };
}

function planCapAndFloor(plan: CompPlan, segment: Segment, earned: readonly PayoutLine[], b: LineBuilder, prefix: string): void {
  if (plan.capMinor === null && plan.floorMinor === null) return;
  const factor = plan.prorateAmounts ? segment.factor : rational(1n);
  const sum = earned.reduce((a, l) => a + l.amountMinor, 0);
  const push = (kind: 'plan_cap' | 'plan_floor', limitMinor: number) => {
    const amountMinor = limitMinor - sum;
    const word = kind === 'plan_cap' ? 'cap' : 'floor';
    b.push({
      lineId: `${prefix}/${kind}`, kind, componentId: null, label: `Plan ${word}`, planId: plan.id, planVersion: plan.version, amountMinor,
      explanation: { ...emptyExplanation(), steps: [{ label: `plan ${word}`, expression: `${b.money(limitMinor)} − ${b.money(sum)}`, value: b.money(amountMinor) }], text: `Plan ${word} ${b.money(limitMinor)} ${b.currency}: earnings ${b.money(sum)} become ${b.money(limitMinor)}` },
      warnings: [],
    });
  };
  if (plan.capMinor !== null) {
    const cap = roundMinor(mul(fromMinor(plan.capMinor), factor));
    if (sum > cap) return push('plan_cap', cap);
  }
  if (plan.floorMinor !== null) {
    const floor = roundMinor(mul(fromMinor(plan.floorMinor), factor));
    if (sum < floor) push('plan_floor', floor);
  }
}

function clawbackLines(work: PayeeWork, inp: PayeeInputs, b: LineBuilder): void {
  if (inp.paid.length === 0 || work.segments.length === 0) return;
  const sorted = [...inp.paid].sort((x, y) => (x.recordId === y.recordId ? (x.componentId < y.componentId ? -1 : x.componentId > y.componentId ? 1 : x.periodKey < y.periodKey ? -1 : 1) : x.recordId < y.recordId ? -1 : 1));
  for (const paid of sorted) {
    for (const event of inp.eventsByRecord.get(paid.recordId) ?? []) {
      const day = epochDay(event.date);
      const segment = work.segments.find((s) => day >= s.startDay && day < s.endDay) ?? work.segments[work.segments.length - 1];
      if (!segment) continue;
      const rule = segment.plan.components.find((c): c is Component<'clawback'> => c.kind === 'clawback' && c.components.includes(paid.componentId) && c.events.includes(event.kind));
      if (!rule) continue;
      const days = day - epochDay(paid.recordDate);
      if (days < 0 || days > rule.withinDays) continue;
      const reversed = mul(fromMinor(paid.amountMinor), rule.share);
      const amountMinor = -roundMinor(reversed);
      if (amountMinor === 0) continue;
      b.push({
        lineId: `${work.payeeId}/${segment.plan.id}@${segment.plan.version}/${rule.id}/${paid.recordId}/${paid.componentId}/${paid.periodKey}/${event.kind}`,
        kind: 'clawback', componentId: rule.id, label: rule.label, planId: segment.plan.id, planVersion: segment.plan.version, amountMinor,
        explanation: {
          ...emptyExplanation(),
          credits: [{ recordId: paid.recordId, kind: 'owner', creditedMinor: 0, attributedMinor: amountMinor }],
          rate: formatRate(rule.share),
          steps: [
            { label: 'event', expression: `${event.kind} on ${event.date}, ${days} days after ${paid.recordDate} (within ${rule.withinDays})`, value: String(days) },
            { label: 'reversed', expression: `−(${b.money(paid.amountMinor)} paid in ${paid.periodKey} × ${formatRate(rule.share)})`, value: b.money(amountMinor) },
          ],
          text: `${rule.label}: ${paid.recordId} ${event.kind} ${days} days after closing; ${paid.componentId} commission of ${b.money(paid.amountMinor)} ${b.currency} paid in ${paid.periodKey} is reversed: ${b.money(amountMinor)} ${b.currency}`,
        },
        warnings: [],
      });
    }
  }
}

/**
 * The draw: D guaranteed (sum of the segments' prorated draws), E earned, B owed before.
 * recovery = min(B, max(0, E − D), max recovery); top-up = max(0, D − E);
 * B' = B − recovery + top-up (recoverable) or B − recovery (non-recoverable).
 */
function drawLines(draws: readonly { amountMinor: number; recoverable: boolean; maxRecoveryMinor: number | null; plan: CompPlan; id: string }[], earningsMinor: number, balanceMinor: number, b: LineBuilder, payeeId: string): { balanceOutMinor: number } {
  const last = draws[draws.length - 1];
  if (!last && balanceMinor === 0) return { balanceOutMinor: 0 };
  const drawMinor = draws.reduce((a, d) => a + d.amountMinor, 0);
  const recoverable = last ? last.recoverable : true;
  let recovery = Math.min(balanceMinor, Math.max(0, earningsMinor - drawMinor));
  if (last?.maxRecoveryMinor !== null && last?.maxRecoveryMinor !== undefined) recovery = Math.min(recovery, last.maxRecoveryMinor);
  recovery = Math.max(0, recovery);
  const topUp = Math.max(0, drawMinor - earningsMinor);
  const balanceOutMinor = minor(balanceMinor - recovery + (recoverable ? topUp : 0));
  const planId = last?.plan.id ?? null;
  const planVersion = last?.plan.version ?? null;
  const componentId = last?.id ?? null;
  if (topUp > 0) {
    b.push({
      lineId: `${payeeId}/draw/top_up`, kind: 'draw_top_up', componentId, label: recoverable ? 'Recoverable draw' : 'Non-recoverable draw', planId, planVersion, amountMinor: topUp,
      explanation: {
        ...emptyExplanation(),
        steps: [
          { label: 'draw', expression: `max(0, ${b.money(drawMinor)} − ${b.money(earningsMinor)})`, value: b.money(topUp) },
          { label: 'balance', expression: recoverable ? `${b.money(balanceMinor)} − ${b.money(recovery)} + ${b.money(topUp)}` : 'non-recoverable: no balance', value: b.money(balanceOutMinor) },
        ],
        text: `Draw of ${b.money(drawMinor)} ${b.currency}: earnings ${b.money(earningsMinor)} are topped up by ${b.money(topUp)}${recoverable ? `, owed back from later earnings (balance ${b.money(balanceOutMinor)})` : ' (not recoverable)'}`,
      },
      warnings: [],
    });
  }
  if (recovery > 0) {
    b.push({
      lineId: `${payeeId}/draw/recovery`, kind: 'draw_recovery', componentId, label: 'Draw recovery', planId, planVersion, amountMinor: -recovery,
      explanation: {
        ...emptyExplanation(),
        steps: [{ label: 'recovery', expression: `min(balance ${b.money(balanceMinor)}, earnings ${b.money(earningsMinor)} − draw ${b.money(drawMinor)}${last?.maxRecoveryMinor != null ? `, ${b.money(last.maxRecoveryMinor)}` : ''})`, value: b.money(-recovery) }],
        text: `Draw recovery: ${b.money(recovery)} ${b.currency} of the ${b.money(balanceMinor)} owed is netted against this period’s earnings (balance ${b.money(balanceOutMinor)})`,
      },
      warnings: [],
    });
  }
  return { balanceOutMinor };
}

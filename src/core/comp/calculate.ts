/**
 * The payout engine: one period, every payee, lines that explain themselves.
 *
 * Per payee: assignments → segments of the period (one per plan version in force, see
 * proration.ts); per segment the plan's components price the segment's credits; then plan
 * caps and floors, clawbacks, the draw, adjustments. Each line is computed exactly and
 * rounded once (money.ts: half away from zero to the minor unit). Deterministic: payees by
 * id, lines in plan order, credits by date and record id.
 *
 * `explain: false` runs (simulations, forecasts, what-if) take a fast path for payees on one
 * plan for the whole period: their credits are added up in one columnar pass (credit-stats.ts)
 * and their commission and SPIFF lines priced on scaled integers, in doubles while every value
 * is exact (exact-number.ts), else in BigInt; what all payees' segments share (dates, line ids,
 * prorated limits) is built once per run. It gives the same result as the general path bit for
 * bit (fast-path.test.ts). Its lines share what is the same for every payee (empty lists, a
 * table's tier, a SPIFF's explanation) as frozen objects: results are read, never changed.
 */
import { epochDay, formatEpochDay } from '../period.js';
import { formatRational } from '../metrics/rational.js';
import { AggregatedPayee, CreditAggregation, creditList, type PayeeCredits, type SegmentCredits } from './credit-stats.js';
import { compareCreditsOfPayee, creditRecordsTallying, revenueTally, type CompRecord, type Credit, type CreditingResult } from './crediting.js';
import {
  add, allocate, allocateInto, compare, div, formatMoney, minorFromBigInt, formatPercent, formatRate, fromMinor, minor, mul, ONE, parseDecimal, rational, roundMinor, sub, ZERO, type Rational,
} from './money.js';
import type { CompIssue, CompiledComponent, CompiledRateTable, CompPlan } from './plan.js';
import { payeeSegments, type Segment } from './proration.js';
import { LIMIT, formatQuotient, roundQuotient, within } from './exact-number.js';
import { compileTable, fraction, priceFast, priceFastNumber, roundScaled, type CompiledTable } from './fast-pricing.js';
import { priceBase } from './rate-table.js';
import type { CalculationInput, CreditRef, QuotaInput, CurrencyTotal, LineExplanation, PayeePayout, PayoutLine, PayoutResult, SegmentInfo, Step } from './payout-types.js';

type Component<K extends CompiledComponent['kind']> = Extract<CompiledComponent, { kind: K }>;

export { selectCredits } from './credit-stats.js';

/** formatRational, with integers short-cut (their decimals are all zeros, which it drops: the same string). */
const formatExact = (r: Rational, decimals: number): string => (r.den === 1n ? r.num.toString() : formatRational(r, decimals));
const ratio4 = (r: Rational): string => formatExact(r, 4);

/** Weights and parts of attribute (reused: one line at a time). */
let weightScratch = new Float64Array(256);
let partScratch = new Float64Array(256);

/** Attributes a line to its credits by largest remainder on their (non-negative) amounts. */
function attribute(amountMinor: number, credits: readonly Credit[], weights?: readonly (bigint | number)[]): CreditRef[] {
  const n = credits.length;
  if (weightScratch.length < n) {
    weightScratch = new Float64Array(Math.max(n, weightScratch.length * 2));
    partScratch = new Float64Array(weightScratch.length);
  }
  // Weights into a scratch array, summed: the parts in doubles without an array per line
  // (allocateInto, the same parts as allocate); allocate itself for the rest.
  const w = weightScratch;
  let sum = 0;
  let plain = true;
  if (!weights) {
    for (let i = 0; i < n; i += 1) {
      const a = (credits[i] as Credit).amountMinor;
      const x = a > 0 ? a : 0;
      w[i] = x;
      sum += x;
    }
  } else {
    for (let i = 0; i < n && plain; i += 1) {
      const x = weights[i];
      if (typeof x !== 'number' || x < 0) plain = false;
      else {
        w[i] = x;
        sum += x;
      }
    }
  }
  let parts: ArrayLike<number> | null = null;
  if (plain && sum > 0 && allocateInto(amountMinor, w, n, sum, partScratch)) parts = partScratch;
  else if (!plain || sum > 0) {
    let general = weights;
    if (!general) {
      const amounts = new Array<number>(n);
      for (let i = 0; i < n; i += 1) amounts[i] = w[i] as number;
      general = amounts;
    }
    let hasWeight = false;
    for (let i = 0; i < general.length && !hasWeight; i += 1) hasWeight = (general[i] as bigint | number) > 0;
    parts = hasWeight ? allocate(amountMinor, general) : null;
  }
  // Sized up front: a result holds a million of these on a big run. Parts read from the
  // scratch array are doubles: as small integers (the usual case) they are stored unboxed.
  const out = new Array<CreditRef>(n);
  for (let i = 0; i < n; i += 1) {
    const c = credits[i] as Credit;
    const part = parts === null ? 0 : (parts[i] as number);
    out[i] = { recordId: c.recordId, kind: c.kind, creditedMinor: c.amountMinor, attributedMinor: (part | 0) === part ? part | 0 : part };
  }
  return out;
}

/** The per-payee inputs a segment's lines read (metric values, scores). */
interface PayeeData {
  metrics: readonly { metric: string; value: string }[];
  scores: readonly { key: string; score: number | string; commitment: 'committed' | 'aspirational' }[];
}

/**
 * What a segment's lines read. A class with lazy fields, not a literal with closures: the
 * fast path builds one per payee and mostly needs none of the rationals.
 */
class SegmentContext {
  private quotaValue: Rational | null | undefined;
  private attainmentValue: Rational | null | undefined;
  private shareValue: Rational | undefined;
  constructor(
    readonly payeeId: string,
    readonly plan: CompPlan,
    readonly segment: Segment,
    /** Days covered by all the payee's segments (a metric is shared out by days). */
    private readonly coveredDays: number,
    /**
     * The segment's credits: `select` (memoised per selector key; explanations only) and
     * `stats`, what a selector's credits add up to — all the amounts need (credit-stats.ts).
     */
    readonly credits: SegmentCredits,
    /** The same credits aggregated, on the fast path's whole-period payees: lines may take the scaled-integer path. */
    readonly aggregated: AggregatedPayee | null,
    /** The period's quota (not prorated), null without one. */
    readonly quotaMinor: number | null,
    /** The plan's attainment base. */
    readonly attainmentBase: number,
    private readonly data: PayeeData,
  ) {}

  /** The quota prorated to the segment. */
  get quota(): Rational | null {
    if (this.quotaValue === undefined) this.quotaValue = this.quotaMinor === null ? null : mul(fromMinor(this.quotaMinor), this.segment.factor);
    return this.quotaValue;
  }

  /** The attainment ratio (null without a quota). */
  get attainment(): Rational | null {
    if (this.attainmentValue === undefined) {
      const quota = this.quota;
      this.attainmentValue = quota === null || quota.num === 0n ? null : div(fromMinor(this.attainmentBase), quota);
    }
    return this.attainmentValue;
  }

  /** The segment's share of the payee's covered days. */
  get share(): Rational {
    if (this.shareValue === undefined) this.shareValue = this.coveredDays === 0 ? ZERO : rational(BigInt(this.segment.days), BigInt(this.coveredDays));
    return this.shareValue;
  }

  metricValue(metric: string): Rational | null {
    // The last value given wins, as a Map built from the list would keep it.
    const m = findLast(this.data.metrics, (x) => x.metric === metric);
    const parsed = m === undefined ? null : parseDecimal(m.value);
    return parsed === null ? null : mul(parsed, this.share);
  }

  scoreOf(key: string): { score: Rational; commitment: 'committed' | 'aspirational' } | null {
    const s = findLast(this.data.scores, (x) => x.key === key);
    if (!s) return null;
    const score = parseDecimal(typeof s.score === 'number' ? s.score.toFixed(4) : s.score);
    return score === null ? null : { score, commitment: s.commitment };
  }
}

function findLast<T>(items: readonly T[], test: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i -= 1) if (test(items[i] as T)) return items[i];
  return undefined;
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
    // Written out, not spread: the fields in the same order, one object instead of two copies' worth of work.
    const full: PayoutLine = {
      payeeId: this.payeeId, currency: this.currency, lineId: line.lineId, kind: line.kind, componentId: line.componentId, label: line.label,
      planId: line.planId, planVersion: line.planVersion, amountMinor: line.amountMinor, explanation: line.explanation, warnings: line.warnings,
    };
    if (line.reason !== undefined) full.reason = line.reason;
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

/** A scaled line's price: amount after cap and floor, tiers, and the next tier's distance as text. */
interface ScaledPrice {
  amountMinor: number;
  tierIndex: number;
  rateIndex: number;
  nextTier: number;
  remaining: string;
}

/** The price in doubles (exact-number.ts), or null when a value could leave their exact range. */
function scaledPriceNumber(c: Component<'commission' | 'partner'>, table: CompiledTable, baseMinor: number, unit: number | null): ScaledPrice | null {
  const n = table.numeric;
  const pricing = n === null ? null : priceFastNumber(c.rates, table, baseMinor, unit);
  if (n === null || pricing === null) return null;
  const den = n.boundScale * n.rateScale;
  const cap = c.capMinor === null ? null : c.capMinor * den;
  const floor = c.floorMinor === null ? null : c.floorMinor * den;
  if (!within(den) || (cap !== null && !within(cap)) || (floor !== null && !within(floor))) return null;
  let amountNum = pricing.amountNum;
  if (cap !== null && amountNum > cap) amountNum = cap;
  if (floor !== null && amountNum < floor) amountNum = floor;
  const remaining = pricing.nextTier < 0 ? '' : formatQuotient(pricing.remainingNum, n.boundScale, 4) ?? formatRational(fraction(BigInt(pricing.remainingNum), table.boundScale), 4);
  return { amountMinor: roundQuotient(amountNum, den), tierIndex: pricing.tierIndex, rateIndex: pricing.rateIndex, nextTier: pricing.nextTier, remaining };
}

/** The same price on BigInt scaled integers (any size). */
function scaledPriceBigInt(c: Component<'commission' | 'partner'>, table: CompiledTable, baseMinor: number, unit: bigint | null): ScaledPrice {
  const pricing = priceFast(c.rates, table, baseMinor, unit);
  const den = table.boundScale * table.rateScale;
  let amountNum = pricing.amountNum;
  if (c.capMinor !== null && amountNum > BigInt(c.capMinor) * den) amountNum = BigInt(c.capMinor) * den;
  if (c.floorMinor !== null && amountNum < BigInt(c.floorMinor) * den) amountNum = BigInt(c.floorMinor) * den;
  return {
    amountMinor: minorFromBigInt(roundScaled(amountNum, den)), tierIndex: pricing.tierIndex, rateIndex: pricing.rateIndex,
    nextTier: pricing.next ? pricing.next.tierIndex : -1, remaining: pricing.next ? formatRational(fraction(pricing.next.remainingNum, table.boundScale), 4) : '',
  };
}

/**
 * A commission line without explanation, priced on scaled integers (fast-pricing.ts): whole
 * periods, credit bases, no threshold. Null when the line needs the general path.
 */
function scaledCommissionLine(ctx: SegmentContext, c: Component<'commission' | 'partner'>, b: LineBuilder, lineId: string): PayoutLine | null {
  const agg = ctx.aggregated;
  if (agg === null || c.base.kind !== 'credits' || c.threshold !== null) return null;
  let warnings: CompIssue[] = NO_WARNINGS;
  let unit: number | null = 1;
  if (c.rates.basis === 'attainment') {
    const quota = ctx.quotaMinor;
    if (quota === null || quota === 0) {
      unit = null;
      warnings = [];
      warnings.push({ code: 'no_quota', path: `${c.id}.rates`, message: `no quota for ${ctx.payeeId} in this period: priced at the first tier` });
    } else if (quota < 0) return null;
    else unit = quota;
  }
  const baseMinor = agg.sumAt(agg.cellOf(c.base.selector));
  const table = compileTable(c.rates);
  const price = scaledPriceNumber(c, table, baseMinor, unit) ?? scaledPriceBigInt(c, table, baseMinor, unit === null ? null : BigInt(unit));
  const tiers = c.rates.tiers;
  const next = price.nextTier < 0 ? null : { tierIndex: price.nextTier, label: tiers[price.nextTier]?.label ?? '', rate: table.rateText[price.nextTier] ?? '', remaining: price.remaining };
  return b.push({
    lineId, kind: c.kind, componentId: c.id, label: c.label, planId: ctx.plan.id, planVersion: ctx.plan.version, amountMinor: price.amountMinor,
    explanation: { credits: NO_CREDITS, tier: tierOf(c.rates, price.tierIndex), rate: table.rateText[price.rateIndex] ?? '', steps: NO_STEPS, text: '', next },
    warnings,
  });
}

/*
 * Results of `explain: false` runs share what is the same in every payee's lines (frozen: a
 * what-if keeps two runs of every payee, and each object kept is one more for the collector to
 * copy): empty lists, a rate table's tiers, a SPIFF's explanation.
 */
const NO_CREDITS = Object.freeze([]) as unknown as CreditRef[];
const NO_STEPS = Object.freeze([]) as unknown as Step[];
const NO_WARNINGS = Object.freeze([]) as unknown as CompIssue[];
const tiersOf = new WeakMap<CompiledRateTable, NonNullable<LineExplanation['tier']>[]>();
function tierOf(rates: CompiledRateTable, index: number): LineExplanation['tier'] {
  let list = tiersOf.get(rates);
  if (!list) tiersOf.set(rates, (list = []));
  return (list[index] ??= Object.freeze({ index, label: rates.tiers[index]?.label ?? '', mode: rates.mode, basis: rates.basis }));
}
const spiffExplanations = new WeakMap<Component<'spiff'>, LineExplanation>();
function spiffExplanation(c: Component<'spiff'>): LineExplanation {
  let out = spiffExplanations.get(c);
  if (!out) {
    out = Object.freeze({ credits: NO_CREDITS, tier: null, rate: c.perRecord.kind === 'rate' ? rateText(c.perRecord.rate) : null, steps: NO_STEPS, text: '', next: null });
    spiffExplanations.set(c, out);
  }
  return out;
}

/** A SPIFF share as written ('70', '33.33') as hundredths × 10^decimals, for the scaled path (null: other forms). */
const shareDigits = new Map<string, { scaled: number; decimals: number } | null>();
function parseShare(percent: string): { scaled: number; decimals: number } | null {
  let out = shareDigits.get(percent);
  if (out === undefined) {
    if (shareDigits.size >= 4096) shareDigits.clear();
    const match = /^(\d{1,9})(?:\.(\d{1,6}))?$/.exec(percent);
    const decimals = match?.[2]?.length ?? 0;
    out = match ? { scaled: Number(`${match[1]}${match[2] ?? ''}`), decimals } : null;
    shareDigits.set(percent, out);
  }
  return out;
}

const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/**
 * A SPIFF line without explanation in doubles: Σ amount × share (shares in hundredths at a
 * common scale) or Σ credited × rate, capped, rounded. Null when the line needs the general path.
 */
function scaledSpiffLine(ctx: SegmentContext, c: Component<'spiff'>, b: LineBuilder, lineId: string): PayoutLine | null {
  const agg = ctx.aggregated;
  if (agg === null) return null;
  const cell = agg.cellOf(c.selector);
  let num: number;
  let den: number;
  if (c.perRecord.kind === 'amount') {
    const others = agg.otherSharesAt(cell);
    let maxDecimals = 0;
    if (others.size > 0) {
      for (const percent of others.keys()) {
        const share = parseShare(percent);
        if (share === null) return null;
        if (share.decimals > maxDecimals) maxDecimals = share.decimals;
      }
    }
    // Σ share = shares ÷ (100 × 10^maxDecimals).
    const scale = POW10[maxDecimals] as number;
    let shares = agg.hundredsAt(cell) * 100 * scale;
    if (others.size > 0) {
      for (const [percent, count] of others) {
        const share = parseShare(percent) as { scaled: number; decimals: number };
        shares += count * share.scaled * (POW10[maxDecimals - share.decimals] as number);
      }
    }
    if (!within(shares)) return null;
    num = c.perRecord.amountMinor * shares;
    den = 100 * scale;
  } else {
    const { rate } = c.perRecord;
    if (rate.num > BIG_LIMIT || rate.num < -BIG_LIMIT || rate.den > BIG_LIMIT) return null;
    den = Number(rate.den);
    num = agg.sumAt(cell) * Number(rate.num);
  }
  const cap = c.capMinor === null ? null : c.capMinor * den;
  if (!within(num) || (cap !== null && !within(cap))) return null;
  if (cap !== null && num > cap) num = cap;
  return b.push({
    lineId, kind: 'spiff', componentId: c.id, label: c.label, planId: ctx.plan.id, planVersion: ctx.plan.version, amountMinor: roundQuotient(num, den),
    explanation: spiffExplanation(c), warnings: NO_WARNINGS,
  });
}

const BIG_LIMIT = BigInt(LIMIT);

/** `format` of a plan's rates, once per rate object (plans are compiled once and reused across runs). */
function perRate(format: (rate: Rational) => string): (rate: Rational) => string {
  const texts = new WeakMap<Rational, string>();
  return (rate) => {
    let text = texts.get(rate);
    if (text === undefined) {
      text = format(rate);
      texts.set(rate, text);
    }
    return text;
  };
}
const percentText = perRate(formatPercent);
const rateText = perRate(formatRate);

function commissionLine(ctx: SegmentContext, c: Component<'commission' | 'partner'>, b: LineBuilder, lineId: string): PayoutLine {
  const scaled = scaledCommissionLine(ctx, c, b, lineId);
  if (scaled) return scaled;
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
    if (b.explain) steps.push({ label: 'metric base', expression: `${c.base.metric} × ${formatRational(ctx.share, 6)} of the payee’s covered days`, value: fmtBase(base) });
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
  const bandRateText = (rate: Rational): string => (quantity ? `${rateText(perUnit(rate))} ${b.currency} per unit` : percentText(rate));
  const bandText = !b.explain ? [] : pricing.bands.map((band) => `${fmtBase(band.slice)} × ${bandRateText(band.rate)}`);
  for (const band of pricing.bands) {
    if (b.explain) steps.push({ label: `${c.rates.mode} ${band.label}`, expression: `${fmtBase(band.slice)} × ${rateText(perUnit(band.rate))}`, value: b.money(band.amount) });
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
    ? { tierIndex: pricing.next.tierIndex, label: c.rates.tiers[pricing.next.tierIndex]?.label ?? '', rate: rateText(perUnit(pricing.next.rate)), remaining: formatRational(sub(pricing.next.lower, base), 4) }
    : null;
  const text = !b.explain ? '' : `${c.label}: ${gated ? 'below the threshold, nothing is paid' : `${c.rates.mode === 'marginal' ? bandText.join(' + ') : bandText[0] ?? ''}`} = ${b.money(amountMinor)} ${b.currency}`;
  return b.push({
    lineId, kind: c.kind, componentId: c.id, label: c.label, planId: plan.id, planVersion: plan.version, amountMinor,
    explanation: { credits: b.explain ? attribute(amountMinor, credits) : [], tier, rate: rateText(perUnit(pricing.rate)), steps, text, next }, warnings,
  });
}

function spiffLine(ctx: SegmentContext, c: Component<'spiff'>, b: LineBuilder, lineId: string): PayoutLine {
  const scaled = scaledSpiffLine(ctx, c, b, lineId);
  if (scaled) return scaled;
  const stats = ctx.credits.stats(c.selector);
  const credits = b.explain ? ctx.credits.select(c.selector) : [];
  const steps: Step[] = [];
  let amount: Rational;
  const weights: (bigint | number)[] = [];
  if (c.perRecord.kind === 'amount') {
    // Σ amount × share: count the credits per share (most are 100 %), then multiply once.
    const counts = stats.percentCounts;
    /** Per share as written: its attribution weight (the share with 9 decimals). */
    const shareWeights = new Map<string, number>();
    let shareSum = ZERO;
    for (const [percent, count] of counts) {
      const { share, weight } = shareOf(percent);
      if (b.explain) shareWeights.set(percent, weight);
      shareSum = add(shareSum, mul(share, rational(BigInt(count))));
    }
    if (b.explain) for (const credit of credits) weights.push(shareWeights.get(credit.percent) ?? 0);
    amount = mul(fromMinor(c.perRecord.amountMinor), shareSum);
  } else {
    if (b.explain) for (const credit of credits) weights.push(credit.amountMinor > 0 ? credit.amountMinor : 0);
    amount = mul(fromMinor(stats.sumMinor), c.perRecord.rate);
  }
  const per = !b.explain ? '' : c.perRecord.kind === 'amount' ? `${b.money(c.perRecord.amountMinor)} per record` : `${percentText(c.perRecord.rate)} of the credited amount`;
  if (b.explain) steps.push({ label: 'qualifying records', expression: `${stats.count} × ${per}`, value: b.money(amount) });
  const factor = ctx.plan.prorateAmounts ? ctx.segment.factor : rational(1n);
  amount = capAndFloor(amount, c.capMinor, null, factor, steps, b);
  const amountMinor = roundMinor(amount);
  if (b.explain) steps.push({ label: 'rounded', expression: `round half away from zero (${b.money(amount)})`, value: b.money(amountMinor) });
  return b.push({
    lineId, kind: 'spiff', componentId: c.id, label: c.label, planId: ctx.plan.id, planVersion: ctx.plan.version, amountMinor,
    explanation: { ...emptyExplanation(), credits: b.explain ? attribute(amountMinor, credits, weights) : [], rate: c.perRecord.kind === 'rate' ? rateText(c.perRecord.rate) : null, steps, text: b.explain ? `${c.label}: ${stats.count} qualifying records × ${per} = ${b.money(amountMinor)} ${b.currency}` : '' },
    warnings: [],
  });
}

/** A SPIFF share as written ('70', '33.33') as a fraction, and its attribution weight (the share with 9 decimals); memoised, bounded. */
const shares = new Map<string, { share: Rational; weight: number }>();
function shareOf(percent: string): { share: Rational; weight: number } {
  let out = shares.get(percent);
  if (out === undefined) {
    if (shares.size >= 4096) shares.clear();
    const share = div(parseDecimal(percent) ?? ZERO, rational(100n)) ?? ZERO;
    out = { share, weight: Number((share.num * 10n ** 9n) / share.den) };
    shares.set(percent, out);
  }
  return out;
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

/** Day counts for sortCreditsOfPayee, reused: a typed array per payee would cost more than the sort. */
let dayStarts = new Int32Array(512);

/**
 * A payee's credits in compareCreditsOfPayee order, as a stable sort puts them: counted into
 * days first (a period has few), then each day's few credits by record id and kind by
 * insertion — far fewer comparisons of record ids than a comparison sort.
 */
function sortCreditsOfPayee(credits: readonly Credit[]): Credit[] {
  const n = credits.length;
  let min = Infinity;
  let max = -Infinity;
  for (const c of credits) {
    if (c.day < min) min = c.day;
    if (c.day > max) max = c.day;
  }
  const range = max - min + 1;
  if (!(range <= 4 * n + 64)) return [...credits].sort(compareCreditsOfPayee); // spread-out (or odd) days
  if (dayStarts.length < range + 1) dayStarts = new Int32Array(Math.max(range + 1, dayStarts.length * 2));
  const starts = dayStarts;
  starts.fill(0, 0, range + 1);
  for (const c of credits) starts[c.day - min + 1] = (starts[c.day - min + 1] as number) + 1;
  for (let d = 0; d < range; d += 1) starts[d + 1] = (starts[d + 1] as number) + (starts[d] as number);
  const out = new Array<Credit>(n);
  for (const c of credits) {
    const at = starts[c.day - min] as number;
    out[at] = c;
    starts[c.day - min] = at + 1;
  }
  for (let i = 1; i < n; i += 1) {
    const c = out[i] as Credit;
    let j = i - 1;
    for (; j >= 0 && compareCreditsOfPayee(out[j] as Credit, c) > 0; j -= 1) out[j + 1] = out[j] as Credit;
    out[j + 1] = c;
  }
  return out;
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
  return calculate(input, input.explain === false, null);
}

/**
 * The reference path: every payee's credits as lists, whatever `explain` says. The fast path
 * of `explain: false` must equal it bit for bit (fast-path.test.ts); benchmarks compare them.
 */
export function calculatePayoutsReference(input: CalculationInput): PayoutResult {
  return calculate(input, false, null);
}

/**
 * What runs over the same period's data can share (comparePlans: the baseline and the
 * scenario): the credits computed from the same records, the aggregation of the same credits
 * for the same payees on plans that select alike, the revenue of the same records. Each is
 * reused only for the very same input arrays, which the runs do not change.
 */
export class SharedRunWork {
  credited: { records: CalculationInput['records']; crediting: CalculationInput['crediting']; result: CreditingResult } | null = null;
  aggregation: CreditAggregation | null = null;
  revenue: { records: readonly CompRecord[]; startDay: number; endDay: number; byCurrency: ReadonlyMap<string, number> } | null = null;
  quotas: { quotas: readonly QuotaInput[]; periodKey: string; byPayee: ReadonlyMap<string, number> } | null = null;
}

const NONE: readonly never[] = [];

/** The period's quotas by payee (the last one given wins). */
function quotasOf(quotas: readonly QuotaInput[], periodKey: string, shared: SharedRunWork | null): ReadonlyMap<string, number> {
  const last = shared?.quotas;
  if (last && last.quotas === quotas && last.periodKey === periodKey) return last.byPayee;
  const byPayee = new Map<string, number>();
  for (const q of quotas) if (q.periodKey === periodKey) byPayee.set(q.payeeId, minor(q.quotaMinor));
  if (shared) shared.quotas = { quotas, periodKey, byPayee };
  return byPayee;
}

/**
 * calculatePayouts, sharing work with the other runs given the same `shared` (see SharedRunWork).
 * @example const shared = new SharedRunWork();
 *   const before = calculatePayoutsSharing({ ...input, explain: false }, shared);
 *   const after = calculatePayoutsSharing({ ...input, explain: false, plans: changed }, shared); // credits aggregated once
 */
export function calculatePayoutsSharing(input: CalculationInput, shared: SharedRunWork): PayoutResult {
  return calculate(input, input.explain === false, shared);
}

/** The credits of the input's records, and (when credited here) the period's revenue, added up on the way. */
function creditsOf(input: CalculationInput, shared: SharedRunWork | null, startDay: number, endDay: number): { result: CreditingResult; revenue: ReadonlyMap<string, number> | null } {
  const last = shared?.credited;
  if (last && last.records === input.records && last.crediting === input.crediting) return { result: last.result, revenue: null };
  const tally = input.records ? revenueTally(startDay, endDay) : null;
  const result = creditRecordsTallying(input.records ?? [], input.crediting ?? {}, tally);
  if (shared) shared.credited = { records: input.records, crediting: input.crediting, result };
  if (tally && input.records && shared) shared.revenue = { records: input.records, startDay, endDay, byCurrency: tally.byCurrency };
  return { result, revenue: tally?.byCurrency ?? null };
}

/** Σ amount of the records dated in [startDay, endDay), per currency. */
function revenueOf(records: readonly CompRecord[], startDay: number, endDay: number, shared: SharedRunWork | null): ReadonlyMap<string, number> {
  const last = shared?.revenue;
  if (last && last.records === records && last.startDay === startDay && last.endDay === endDay) return last.byCurrency;
  const byCurrency = new Map<string, number>();
  const inPeriod = new Map<string, boolean>();
  // A running sum per run of records in one currency (most runs are one currency): the same
  // partial sums per currency, in record order, as adding each record to the map.
  let currency: string | undefined;
  let sum = 0;
  for (const r of records) {
    let hit = inPeriod.get(r.date);
    if (hit === undefined) {
      const d = epochDay(r.date);
      hit = d >= startDay && d < endDay;
      inPeriod.set(r.date, hit);
    }
    if (!hit) continue;
    if (r.currency !== currency) {
      if (currency !== undefined) byCurrency.set(currency, sum);
      currency = r.currency;
      sum = byCurrency.get(currency) ?? 0;
    }
    sum = minor(sum + r.amountMinor);
  }
  if (currency !== undefined) byCurrency.set(currency, sum);
  if (shared) shared.revenue = { records, startDay, endDay, byCurrency };
  return byCurrency;
}

/**
 * The period's credits of the payees not aggregated (all of them when explaining), grouped by
 * payee in input order: counted per payee, then placed in one array (no list per payee grown
 * by push and kept for the run); a payee's list is cut out when its turn comes.
 */
function creditsOfListedPayees(credits: readonly Credit[], startDay: number, endDay: number, segmented: readonly { payeeId: string; aggregatedAt: number }[]): { of: (payeeId: string) => Credit[] } {
  const slotOf = new Map<string, number>();
  for (const seg of segmented) if (seg.aggregatedAt < 0) slotOf.set(seg.payeeId, slotOf.size);
  if (slotOf.size === 0) return { of: () => [] };
  const n = credits.length;
  const slots = new Int32Array(n);
  const starts = new Int32Array(slotOf.size + 1);
  // A payee's credits usually come together (the store loads them so), split credits going
  // back and forth between two payees: the last two looked up are kept.
  let lastPayeeId: string | undefined;
  let slot = -1;
  let otherPayeeId: string | undefined;
  let otherSlot = -1;
  let count = 0;
  for (let i = 0; i < n; i += 1) {
    const c = credits[i] as Credit;
    if (c.day < startDay || c.day >= endDay) {
      slots[i] = -1;
      continue;
    }
    if (c.payeeId !== lastPayeeId) {
      const previousId = lastPayeeId;
      const previous = slot;
      lastPayeeId = c.payeeId;
      slot = c.payeeId === otherPayeeId ? otherSlot : slotOf.get(c.payeeId) ?? -1;
      otherPayeeId = previousId;
      otherSlot = previous;
    }
    slots[i] = slot;
    if (slot >= 0) {
      starts[slot + 1] = (starts[slot + 1] as number) + 1;
      count += 1;
    }
  }
  for (let s = 0; s < slotOf.size; s += 1) starts[s + 1] = (starts[s + 1] as number) + (starts[s] as number);
  const next = starts.slice(0, slotOf.size);
  const ordered = new Array<Credit>(count);
  for (let i = 0; i < n; i += 1) {
    const s = slots[i] as number;
    if (s < 0) continue;
    const at = next[s] as number;
    ordered[at] = credits[i] as Credit;
    next[s] = at + 1;
  }
  return {
    of: (payeeId) => {
      const s = slotOf.get(payeeId);
      return s === undefined ? [] : ordered.slice(starts[s], starts[s + 1]);
    },
  };
}

/** Ids in sort() order: usually given so already (assignments by payee), which one pass checks. */
function sortedIds(ids: string[]): string[] {
  for (let i = 1; i < ids.length; i += 1) if ((ids[i - 1] as string) > (ids[i] as string)) return ids.sort();
  return ids;
}

function calculate(input: CalculationInput, fast: boolean, shared: SharedRunWork | null): PayoutResult {
  const issues: CompIssue[] = [];
  const { period } = input;
  const startDay = epochDay(period.start);
  const endDay = epochDay(period.end);
  let credits: readonly Credit[];
  /** The period's revenue when crediting added it up already. */
  let creditedRevenue: ReadonlyMap<string, number> | null = null;
  if (input.credits) credits = input.credits;
  else {
    const credited = creditsOf(input, shared, startDay, endDay);
    issues.push(...credited.result.issues);
    credits = credited.result.credits;
    creditedRevenue = credited.revenue;
  }
  const plans = new Map(input.plans.map((p) => [`${p.id}@${p.version}`, p]));
  const assignmentsByPayee = indexBy(input.assignments);
  const quotas = quotasOf(input.quotas ?? NONE, period.key, shared);
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
  const payeeIds = sortedIds(adjustmentsByPayee.size === 0 && balances.size === 0 ? [...assignmentsByPayee.keys()] : [...new Set([...assignmentsByPayee.keys(), ...adjustmentsByPayee.keys(), ...balances.keys()])]);
  // Kept for the whole run: only what the payees' loop needs (no empty issue lists).
  // Payees with one segment of the same plan and days share one list of it (segments are read only).
  const single = new Map<CompPlan, Segment[][]>();
  const segmented = payeeIds.map((payeeId) => {
    const made = payeeSegments({ payeeId, period, assignments: assignmentsByPayee.get(payeeId) ?? NONE, plans });
    const segmentIssues = made.issues;
    let segments = made.segments;
    const only = segments.length === 1 ? (segments[0] as Segment) : null;
    if (only) {
      let lists = single.get(only.plan);
      if (!lists) single.set(only.plan, (lists = []));
      const same = lists.find((l) => (l[0] as Segment).startDay === only.startDay && (l[0] as Segment).endDay === only.endDay && (l[0] as Segment).factor === only.factor);
      if (same) segments = same;
      else lists.push(segments);
    }
    return { payeeId, segments, issues: segmentIssues.length > 0 ? segmentIssues : null, aggregatedAt: -1 };
  });
  // Fast path (amounts only): payees on one plan for the whole period are added up in one
  // columnar pass; the others (joiners, leavers, plan changes mid-period) keep their lists.
  let aggregation: CreditAggregation | null = null;
  if (fast) {
    const simple: { payeeId: string; plan: CompPlan }[] = [];
    for (const seg of segmented) {
      const only = seg.segments.length === 1 ? seg.segments[0] : undefined;
      if (!only || only.factor.num !== only.factor.den) continue;
      seg.aggregatedAt = simple.length;
      simple.push({ payeeId: seg.payeeId, plan: only.plan });
    }
    const args = { credits, startDay, endDay, payees: simple };
    aggregation = shared?.aggregation?.covers(args) ? shared.aggregation : CreditAggregation.of(args);
    if (shared) shared.aggregation = aggregation;
  }
  const listed = creditsOfListedPayees(credits, startDay, endDay, segmented);
  const payees: PayeePayout[] = [];
  const templates = new SegmentTemplates();
  for (const seg of segmented) {
    const { payeeId } = seg;
    if (seg.issues) issues.push(...seg.issues);
    // The aggregated payees' views are made here, not kept for the run (less for the collector to copy).
    let payeeCredits: PayeeCredits | null = aggregation && seg.aggregatedAt >= 0 ? aggregation.view(seg.aggregatedAt, (seg.segments[0] as Segment).plan) : null;
    if (!payeeCredits) {
      const mine = listed.of(payeeId);
      // Order matters only to explanations (credit lists, attribution ties): amounts are exact
      // sums. Credits usually arrive in date order (the store loads them so): check first.
      let sorted = !explain;
      if (explain) {
        sorted = true;
        for (let i = 1; i < mine.length && sorted; i += 1) sorted = compareCreditsOfPayee(mine[i - 1] as Credit, mine[i] as Credit) <= 0;
      }
      payeeCredits = creditList(sorted ? mine : sortCreditsOfPayee(mine));
    }
    const work: PayeeWork = { payeeId, segments: seg.segments, credits: payeeCredits };
    const payout = calculatePayee(work, {
      explain,
      fast,
      quotaMinor: quotas.get(payeeId) ?? null,
      metrics: metricsByPayee.get(payeeId) ?? NONE,
      scores: scoresByPayee.get(payeeId) ?? NONE,
      balanceMinor: balances.get(payeeId) ?? 0,
      adjustments: adjustmentsByPayee.get(payeeId) ?? NONE,
      paid: paidByPayee.get(payeeId) ?? NONE,
      eventsByRecord,
      periodKey: period.key,
      templates,
    }, issues);
    if (payout) payees.push(payout);
  }

  const revenue = creditedRevenue ?? revenueOf(input.records ?? [], startDay, endDay, shared);
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

interface PayeeInputs extends PayeeData {
  explain: boolean;
  /** The fast path (amounts only): aggregated credits, scaled-integer pricing. */
  fast: boolean;
  quotaMinor: number | null;
  balanceMinor: number;
  adjustments: readonly { id: string; amountMinor: number; currency: string; reason: string; sourceRunId?: string }[];
  paid: readonly { recordId: string; componentId: string; amountMinor: number; recordDate: string; periodKey: string }[];
  eventsByRecord: Map<string, readonly { recordId: string; kind: 'cancelled' | 'churned'; date: string }[]>;
  periodKey: string;
  /** The run's segment templates (shared by all payees). */
  templates: SegmentTemplates;
}

/**
 * What every payee's segment of one plan over the same days shares: dates and factor as
 * text, line id tails, prorated plan cap and floor. Built once per run and segment shape
 * (most payees have the same one: the whole period), not once per payee.
 */
interface SegmentTemplate {
  plan: CompPlan;
  startDay: number;
  endDay: number;
  from: string;
  to: string;
  factor: string;
  /** `/plan@version/from`: a line id is the payee id, this, and the component (or plan_cap …). */
  tail: string;
  /** The tail of each component's line id, in plan order. */
  componentTails: readonly string[];
  capMinor: number | null;
  floorMinor: number | null;
}

class SegmentTemplates {
  private readonly byPlan = new Map<CompPlan, SegmentTemplate[]>();

  of(segment: Segment): SegmentTemplate {
    const { plan, startDay, endDay, factor } = segment;
    let list = this.byPlan.get(plan);
    if (!list) this.byPlan.set(plan, (list = []));
    for (const t of list) if (t.startDay === startDay && t.endDay === endDay) return t;
    const from = formatEpochDay(startDay);
    const tail = `/${plan.id}@${plan.version}/${from}`;
    const limitFactor = plan.prorateAmounts ? factor : ONE;
    const template: SegmentTemplate = {
      plan, startDay, endDay, from, to: formatEpochDay(endDay), factor: formatExact(factor, 6), tail,
      componentTails: plan.components.map((c) => `${tail}/${c.id}`),
      capMinor: plan.capMinor === null ? null : roundMinor(mul(fromMinor(plan.capMinor), limitFactor)),
      floorMinor: plan.floorMinor === null ? null : roundMinor(mul(fromMinor(plan.floorMinor), limitFactor)),
    };
    list.push(template);
    return template;
  }
}

/** The payee's currency: their plans' (or, with no segment, their adjustments'), one only, else all that conflict. */
function currenciesOf(segments: readonly Segment[], adjustments: PayeeInputs['adjustments']): string[] {
  const out: string[] = [];
  if (segments.length > 0) {
    for (const s of segments) if (!out.includes(s.plan.currency)) out.push(s.plan.currency);
  } else {
    for (const a of adjustments) if (!out.includes(a.currency)) out.push(a.currency);
  }
  return out;
}

const sumOf = (lines: readonly PayoutLine[], from = 0): number => {
  let sum = 0;
  for (let i = from; i < lines.length; i += 1) sum += (lines[i] as PayoutLine).amountMinor;
  return sum;
};

function calculatePayee(work: PayeeWork, inp: PayeeInputs, issues: CompIssue[]): PayeePayout | null {
  const { payeeId, segments } = work;
  let currency: string;
  if (segments.length === 1) currency = (segments[0] as Segment).plan.currency;
  else {
    const currencies = currenciesOf(segments, inp.adjustments);
    if (currencies.length === 0) return null;
    if (currencies.length > 1) {
      issues.push({ code: 'mixed_currencies', path: `payees.${payeeId}`, message: `${payeeId}'s plans in this period pay in ${currencies.join(' and ')}: currencies are never mixed; the payee is left out` });
      return null;
    }
    currency = currencies[0] as string;
  }
  const b = new LineBuilder(payeeId, currency, inp.explain);
  const foreign = work.credits.foreignCount(currency);
  if (foreign > 0) issues.push({ code: 'currency_mismatch', path: `payees.${payeeId}`, message: `${foreign} credits of ${payeeId} are not in ${currency} and were left out` });
  let coveredDays = 0;
  for (const s of segments) coveredDays += s.days;
  const segmentInfos: SegmentInfo[] = [];
  let creditedTotal = 0;
  let quotaTotal: Rational | null = null;
  /** The payee's attainment when it is one whole segment's (the common case: no sum of rationals). */
  let wholeAttainment: string | null = null;
  /** Made when a plan has a draw (most have none). */
  let draws: { amountMinor: number; recoverable: boolean; maxRecoveryMinor: number | null; plan: CompPlan; id: string }[] | null = null;
  /** The aggregated credits of a whole-period payee of the fast path (one segment in the plan's currency). */
  const view = inp.fast && work.credits instanceof AggregatedPayee ? work.credits : null;

  for (const segment of segments) {
    const { plan } = segment;
    const template = inp.templates.of(segment);
    const whole = segments.length === 1 && segment.factor.num === segment.factor.den;
    const segmentCredits = view !== null && whole ? view : work.credits.segment({ currency, startDay: segment.startDay, endDay: segment.endDay, whole });
    const aggregated = inp.fast && whole ? (segmentCredits as AggregatedPayee) : null;
    const attainmentBase = aggregated ? aggregated.sumAt(aggregated.cellOf(plan.attainment)) : segmentCredits.stats(plan.attainment).sumMinor;
    const ctx = new SegmentContext(payeeId, plan, segment, coveredDays, segmentCredits, aggregated, inp.quotaMinor, attainmentBase, inp);
    creditedTotal += attainmentBase;
    let quotaText: string | null = null;
    let attainmentText: string | null = null;
    if (whole && inp.quotaMinor !== null) {
      // Factor 1: the quota is the period's, an integer; the attainment a ratio of integers.
      quotaText = String(inp.quotaMinor);
      attainmentText = inp.quotaMinor === 0 ? null : formatQuotient(attainmentBase, inp.quotaMinor, 4);
      if (inp.quotaMinor !== 0 && attainmentText === null) attainmentText = ratio4(ctx.attainment as Rational);
      wholeAttainment = attainmentText;
    } else if (inp.quotaMinor !== null) {
      const quota = ctx.quota as Rational;
      quotaTotal = quotaTotal === null ? quota : add(quotaTotal, quota);
      quotaText = formatExact(quota, 4);
      const attainment = ctx.attainment;
      attainmentText = attainment === null ? null : ratio4(attainment);
    }
    segmentInfos.push({
      planId: plan.id, planVersion: plan.version, from: template.from, to: template.to, days: segment.days,
      factor: template.factor, quota: quotaText, creditedMinor: attainmentBase, attainment: attainmentText,
    });
    const firstLine = b.lines.length;
    const components = plan.components;
    for (let i = 0; i < components.length; i += 1) {
      const c = components[i] as CompiledComponent;
      const lineId = `${payeeId}${template.componentTails[i] as string}`;
      switch (c.kind) {
        case 'commission':
        case 'partner':
          commissionLine(ctx, c, b, lineId);
          break;
        case 'spiff':
          spiffLine(ctx, c, b, lineId);
          break;
        case 'bonus':
          bonusLine(ctx, c, b, lineId);
          break;
        case 'draw':
          (draws ??= []).push({ amountMinor: roundMinor(mul(fromMinor(c.amountMinor), plan.prorateAmounts ? segment.factor : ONE)), recoverable: c.recoverable, maxRecoveryMinor: c.maxRecoveryMinor, plan, id: c.id });
          break;
        case 'clawback':
          break; // after the segments: events are dated, not segment-bound
        default: {
          const unreachable: never = c;
          throw new Error(`unknown component ${JSON.stringify(unreachable)}`);
        }
      }
    }
    planCapAndFloor(template, sumOf(b.lines, firstLine), b, `${payeeId}${template.tail}`);
  }

  clawbackLines(work, inp, b);
  const earningsMinor = minor(sumOf(b.lines));
  const balanceOutMinor = draws === null && inp.balanceMinor === 0 ? 0 : drawLines(draws ?? [], earningsMinor, inp.balanceMinor, b, payeeId).balanceOutMinor;
  let adjustmentsMinor = 0;
  const adjustments = inp.adjustments.length < 2 ? inp.adjustments : [...inp.adjustments].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  for (const adj of adjustments) {
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
  const totalMinor = minor(sumOf(b.lines));
  const attainment = segments.length === 1 && segments[0] !== undefined && segments[0].factor.num === segments[0].factor.den
    ? wholeAttainment
    : quotaTotal === null || quotaTotal.num === 0n ? null : ratio4(div(fromMinor(creditedTotal), quotaTotal) ?? ZERO);
  // Exactly sized copies: the arrays grown by push keep room for 16 items, and results are kept.
  return {
    payeeId, currency, segments: segmentInfos.slice(), quotaMinor: inp.quotaMinor, creditedMinor: minor(creditedTotal), attainment, lines: b.lines.slice(),
    earningsMinor, drawBalanceInMinor: inp.balanceMinor, drawBalanceOutMinor: balanceOutMinor, adjustmentsMinor, totalMinor,
  };
}

/** The plan cap or floor of a segment: a line bringing the segment's earnings (`sum`) to the limit. */
function planCapAndFloor(template: SegmentTemplate, sum: number, b: LineBuilder, prefix: string): void {
  if (template.capMinor !== null && sum > template.capMinor) planLimitLine(template.plan, 'plan_cap', template.capMinor, sum, b, prefix);
  else if (template.floorMinor !== null && sum < template.floorMinor) planLimitLine(template.plan, 'plan_floor', template.floorMinor, sum, b, prefix);
}

function planLimitLine(plan: CompPlan, kind: 'plan_cap' | 'plan_floor', limitMinor: number, sum: number, b: LineBuilder, prefix: string): void {
  const amountMinor = limitMinor - sum;
  const word = kind === 'plan_cap' ? 'cap' : 'floor';
  b.push({
    lineId: `${prefix}/${kind}`, kind, componentId: null, label: `Plan ${word}`, planId: plan.id, planVersion: plan.version, amountMinor,
    explanation: { ...emptyExplanation(), steps: [{ label: `plan ${word}`, expression: `${b.money(limitMinor)} − ${b.money(sum)}`, value: b.money(amountMinor) }], text: `Plan ${word} ${b.money(limitMinor)} ${b.currency}: earnings ${b.money(sum)} become ${b.money(limitMinor)}` },
    warnings: [],
  });
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

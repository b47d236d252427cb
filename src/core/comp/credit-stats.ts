/**
 * What the payout lines read of a payee's credits, behind one interface with two
 * implementations:
 * - `creditList`: the credits as objects, selected per selector (the reference path; it is
 *   the only one that can explain a line down to its credits);
 * - `CreditAggregation`: one columnar pass over all credits of a period into typed arrays
 *   (count, sum, shares per payee and selector) — the fast path of `explain: false` runs
 *   (simulations, forecasts, what-if), which need amounts only.
 * Both add the same amounts in the same order (the input order), so their sums are the same
 * doubles bit for bit — exact whenever the reference's are (every partial sum a safe integer;
 * `minor()` throws otherwise, on both paths alike). fast-path.test.ts checks the two agree.
 */
import type { Credit } from './crediting.js';
import { minor } from './money.js';
import type { CompiledFilter, CompPlan, CreditSelector, FieldValue } from './plan.js';

/** A selector's credits, added up: everything a line's amount depends on. */
export interface CreditStats {
  count: number;
  sumMinor: number;
  /** Credits per share written on them ('100', '60'): what per-record SPIFF amounts multiply. */
  percentCounts: ReadonlyMap<string, number>;
}

/** The credits of one segment of a payee's period, in the payee's currency. */
export interface SegmentCredits {
  /** The credits themselves (explanations only; the fast path has none). */
  select: (selector: CreditSelector) => Credit[];
  stats: (selector: CreditSelector) => CreditStats;
}

export interface PayeeCredits {
  /** Credits in another currency than the payee's (left out of every line). */
  foreignCount: (currency: string) => number;
  /** `whole`: the segment is the payee's whole period (no credit falls outside it). */
  segment: (args: { currency: string; startDay: number; endDay: number; whole: boolean }) => SegmentCredits;
}

function matches(filter: CompiledFilter, value: FieldValue | undefined): boolean {
  const v = filter.value;
  switch (filter.op) {
    case 'eq':
      return value === v;
    case 'ne':
      return value !== v;
    case 'in':
      return Array.isArray(v) && v.includes(value ?? null);
    case 'not_in':
      return Array.isArray(v) && !v.includes(value ?? null);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (value === undefined || value === null || v === undefined || v === null || Array.isArray(v) || typeof value !== typeof v) return false;
      const c = value < v ? -1 : value > v ? 1 : 0;
      return filter.op === 'gt' ? c > 0 : filter.op === 'gte' ? c >= 0 : filter.op === 'lt' ? c < 0 : c <= 0;
    }
    case 'exists':
      return value !== undefined && value !== null;
    default: {
      const unreachable: never = filter.op;
      throw new Error(`unknown filter op ${String(unreachable)}`);
    }
  }
}

/**
 * A selector compiled for the hot loops: open dates as ±Infinity, so a test is a handful of
 * comparisons in one monomorphic function (no closure per selector).
 */
interface CompiledSelector {
  dataset: string;
  kinds: readonly string[];
  fromDay: number;
  toDay: number;
  where: readonly CompiledFilter[];
}

const compileSelector = (s: CreditSelector): CompiledSelector => ({
  dataset: s.dataset, kinds: s.kinds, fromDay: s.fromDay ?? -Infinity, toDay: s.toDay ?? Infinity, where: s.where,
});

function passes(s: CompiledSelector, c: Credit): boolean {
  if (c.day < s.fromDay || c.day >= s.toDay) return false;
  const record = c.record;
  if ((record.dataset ?? 'deals') !== s.dataset) return false;
  const kinds = s.kinds;
  let kindOk = false;
  for (let k = 0; k < kinds.length && !kindOk; k += 1) kindOk = kinds[k] === c.kind;
  if (!kindOk) return false;
  const where = s.where;
  for (let f = 0; f < where.length; f += 1) {
    const filter = where[f] as CompiledFilter;
    if (!matches(filter, record.fields?.[filter.field])) return false;
  }
  return true;
}

/** The credits a selector counts. */
export function selectCredits(selector: CreditSelector, credits: readonly Credit[]): Credit[] {
  const compiled = compileSelector(selector);
  const out: Credit[] = [];
  for (let i = 0; i < credits.length; i += 1) {
    const c = credits[i] as Credit;
    if (passes(compiled, c)) out.push(c);
  }
  return out;
}

const HUNDRED = '100';

/** Stats of a list of credits, added in list order. */
export function statsOf(credits: readonly Credit[]): CreditStats {
  let sum = 0;
  // Most credits are at 100 %: count those apart, the map holds the few others.
  let hundreds = 0;
  const others = new Map<string, number>();
  for (const c of credits) {
    sum += c.amountMinor;
    if (c.percent === HUNDRED) hundreds += 1;
    else others.set(c.percent, (others.get(c.percent) ?? 0) + 1);
  }
  const percentCounts = hundreds === 0 ? others : new Map([[HUNDRED, hundreds], ...others]);
  return { count: credits.length, sumMinor: minor(sum), percentCounts };
}

/** The reference: a payee's credits as a list, selected (and memoised) per selector key. */
export function creditList(all: readonly Credit[]): PayeeCredits {
  return new CreditList(all);
}

/** creditList's lists (classes: no closures per payee). */
class CreditList implements PayeeCredits {
  /** The credits in the payee's currency, and how many were not, for the last currency asked. */
  private inCurrency: { currency: string; credits: readonly Credit[]; foreign: number } | null = null;
  constructor(private readonly all: readonly Credit[]) {}

  private ofCurrency(currency: string): { credits: readonly Credit[]; foreign: number } {
    if (this.inCurrency?.currency !== currency) {
      let foreign = 0;
      for (const c of this.all) if (c.record.currency !== currency) foreign += 1;
      this.inCurrency = { currency, credits: foreign > 0 ? this.all.filter((c) => c.record.currency === currency) : this.all, foreign };
    }
    return this.inCurrency;
  }

  foreignCount(currency: string): number {
    return this.ofCurrency(currency).foreign;
  }

  segment(args: { currency: string; startDay: number; endDay: number; whole: boolean }): SegmentCredits {
    const { credits } = this.ofCurrency(args.currency);
    return new SegmentList(args.whole ? credits : credits.filter((c) => c.day >= args.startDay && c.day < args.endDay));
  }
}

class SegmentList implements SegmentCredits {
  private readonly selected = new Map<string, Credit[]>();
  private readonly computed = new Map<string, CreditStats>();
  constructor(private readonly credits: readonly Credit[]) {}

  select(selector: CreditSelector): Credit[] {
    let list = this.selected.get(selector.key);
    if (!list) {
      list = selectCredits(selector, this.credits);
      this.selected.set(selector.key, list);
    }
    return list;
  }

  stats(selector: CreditSelector): CreditStats {
    let s = this.computed.get(selector.key);
    if (!s) {
      s = statsOf(this.select(selector));
      this.computed.set(selector.key, s);
    }
    return s;
  }
}

/** The selectors a plan's amounts read: its attainment base, credit-based commissions, SPIFFs (each key once). */
function selectorsOf(plan: CompPlan): CreditSelector[] {
  const out = new Map<string, CreditSelector>([[plan.attainment.key, plan.attainment]]);
  for (const c of plan.components) {
    if ((c.kind === 'commission' || c.kind === 'partner') && c.base.kind === 'credits') out.set(c.base.selector.key, c.base.selector);
    else if (c.kind === 'spiff') out.set(c.selector.key, c.selector);
  }
  return [...out.values()];
}


/** A plan's selectors in the aggregation: each key's slot in a payee's row of cells. */
interface Layout {
  keys: Map<string, number>;
  selectors: CompiledSelector[];
  /** Currency and selector keys: plans with the same signature are aggregated alike. */
  signature: string;
}

/** Plans are compiled once and reused across runs: their layouts too. */
const layouts = new WeakMap<CompPlan, Layout>();
function layoutOf(plan: CompPlan): Layout {
  let layout = layouts.get(plan);
  if (!layout) {
    const selectors = selectorsOf(plan);
    layout = {
      keys: new Map(selectors.map((s, i) => [s.key, i])),
      selectors: selectors.map(compileSelector),
      signature: JSON.stringify([plan.currency, ...selectors.map((s) => s.key)]),
    };
    layouts.set(plan, layout);
  }
  return layout;
}

type AggregationArgs = {
  credits: readonly Credit[];
  startDay: number;
  endDay: number;
  payees: readonly { payeeId: string; plan: CompPlan }[];
};

/**
 * The fast path: one pass over the period's credits into typed arrays, per payee (each on one
 * plan for the whole period, paid in `currency`) and per selector of that plan. Credits of
 * payees not listed are skipped. Credits are added in input order, as the reference adds a
 * payee's list (see the file comment). The pass is kept so that a second run over the same
 * credits and payees can reuse it (a what-if's scenario: plans that differ in rates but select
 * the same credits).
 */
export class CreditAggregation {
  private constructor(
    private readonly args: AggregationArgs,
    /** Per payee, its plan's layout signature. */
    private readonly signatures: readonly string[],
    private readonly cells: Cells,
  ) {}

  static of(args: AggregationArgs): CreditAggregation {
    const { credits, startDay, endDay, payees } = args;
    const n = payees.length;
    const index = new Map<string, number>();
    const selectorsOfPayee: CompiledSelector[][] = [];
    const currencyOf: string[] = [];
    const signatures: string[] = [];
    let width = 1;
    for (let i = 0; i < n; i += 1) {
      const payee = payees[i] as { payeeId: string; plan: CompPlan };
      const layout = layoutOf(payee.plan);
      index.set(payee.payeeId, i);
      selectorsOfPayee.push(layout.selectors);
      currencyOf.push(payee.plan.currency);
      signatures.push(layout.signature);
      if (layout.selectors.length > width) width = layout.selectors.length;
    }
    const sums = new Float64Array(n * width);
    const hundreds = new Float64Array(n * width);
    const foreign = new Float64Array(n);
    // Credits at other shares than 100 % (split credits: the few), per cell: the first two
    // shares seen (ids into `percents`) and their counts in typed arrays, any further ones in a
    // map — no map per cell, nothing allocated per credit.
    const shares: OtherShares = { ids: new Map(), percents: [''], first: new Int32Array(n * width), firstCount: new Float64Array(n * width), second: new Int32Array(n * width), secondCount: new Float64Array(n * width), more: new Map() };
    let lastPercent: string | undefined;
    let lastShare = 0;
    // A payee's credits usually come together (the store loads them so), split credits going
    // back and forth between two payees: the last two rows looked up are kept.
    let lastPayeeId: string | undefined;
    let p = -1;
    let otherPayeeId: string | undefined;
    let otherP = -1;
    for (let i = 0; i < credits.length; i += 1) {
      const c = credits[i] as Credit;
      if (c.day < startDay || c.day >= endDay) continue;
      if (c.payeeId !== lastPayeeId) {
        const previousId = lastPayeeId;
        const previous = p;
        lastPayeeId = c.payeeId;
        p = c.payeeId === otherPayeeId ? otherP : index.get(c.payeeId) ?? -1;
        otherPayeeId = previousId;
        otherP = previous;
      }
      if (p < 0) continue;
      if (c.record.currency !== currencyOf[p]) {
        foreign[p] = (foreign[p] as number) + 1;
        continue;
      }
      const selectors = selectorsOfPayee[p] as CompiledSelector[];
      const base = p * width;
      for (let s = 0; s < selectors.length; s += 1) {
        if (!passes(selectors[s] as CompiledSelector, c)) continue;
        const cell = base + s;
        sums[cell] = (sums[cell] as number) + c.amountMinor;
        const percent = c.percent;
        if (percent === HUNDRED) hundreds[cell] = (hundreds[cell] as number) + 1;
        else {
          if (percent !== lastPercent) {
            lastPercent = percent;
            lastShare = shares.ids.get(percent) ?? 0;
            if (lastShare === 0) {
              lastShare = shares.percents.length;
              shares.ids.set(percent, lastShare);
              shares.percents.push(percent);
            }
          }
          countShare(shares, cell, lastShare);
        }
      }
    }
    return new CreditAggregation(args, signatures, { width, sums, hundreds, foreign, shares });
  }

  /**
   * Whether this pass aggregated the same credits (the same array), days and payees, in the
   * same order, on plans of the same signature: then its cells serve those payees too.
   */
  covers(args: AggregationArgs): boolean {
    const mine = this.args;
    if (args.credits !== mine.credits || args.startDay !== mine.startDay || args.endDay !== mine.endDay || args.payees.length !== mine.payees.length) return false;
    for (let i = 0; i < args.payees.length; i += 1) {
      const payee = args.payees[i] as { payeeId: string; plan: CompPlan };
      if (payee.payeeId !== (mine.payees[i] as { payeeId: string }).payeeId || layoutOf(payee.plan).signature !== this.signatures[i]) return false;
    }
    return true;
  }

  /** The i-th payee's view of the cells, on `plan` (of the signature aggregated). */
  view(i: number, plan: CompPlan): AggregatedPayee {
    return new AggregatedPayee(plan, layoutOf(plan).keys, i, this.cells);
  }
}

interface Cells {
  width: number;
  sums: Float64Array;
  hundreds: Float64Array;
  foreign: Float64Array;
  shares: OtherShares;
}

const NO_SHARES: ReadonlyMap<string, number> = new Map();

/** The aggregation's counts of credits at other shares than 100 %, per cell (see CreditAggregation.of). */
interface OtherShares {
  /** Share as written → id (1, 2, …); `percents` the other way. */
  ids: Map<string, number>;
  percents: string[];
  /** Per cell: the first and second share ids seen (0: none) and their counts. */
  first: Int32Array;
  firstCount: Float64Array;
  second: Int32Array;
  secondCount: Float64Array;
  /** Per cell, any further shares: id → count, in the order first seen. */
  more: Map<number, Map<number, number>>;
}

function countShare(s: OtherShares, cell: number, id: number): void {
  const first = s.first[cell] as number;
  if (first === id) s.firstCount[cell] = (s.firstCount[cell] as number) + 1;
  else if (first === 0) {
    s.first[cell] = id;
    s.firstCount[cell] = 1;
  } else {
    const second = s.second[cell] as number;
    if (second === id) s.secondCount[cell] = (s.secondCount[cell] as number) + 1;
    else if (second === 0) {
      s.second[cell] = id;
      s.secondCount[cell] = 1;
    } else {
      let m = s.more.get(cell);
      if (!m) s.more.set(cell, (m = new Map()));
      m.set(id, (m.get(id) ?? 0) + 1);
    }
  }
}

/**
 * One payee's view of the aggregated cells (a class: no closures per payee). Beside the
 * SegmentCredits interface, the scaled-integer lines read a selector's cell directly
 * (`cellOf`, then sum and share counts) without building stats objects.
 */
export class AggregatedPayee implements PayeeCredits, SegmentCredits {
  constructor(
    private readonly plan: CompPlan,
    private readonly keys: Map<string, number>,
    private readonly index: number,
    private readonly cells: Cells,
  ) {}

  foreignCount(currency: string): number {
    if (currency !== this.plan.currency) throw new Error('aggregated for another currency');
    return this.cells.foreign[this.index] as number;
  }

  segment(args: { currency: string; whole: boolean }): SegmentCredits {
    if (!args.whole || args.currency !== this.plan.currency) throw new Error('aggregated credits cover one whole-period segment');
    return this;
  }

  select(): Credit[] {
    throw new Error('the aggregated credits have no lists: explanations take the reference path');
  }

  cellOf(selector: CreditSelector): number {
    const slot = this.keys.get(selector.key);
    if (slot === undefined) throw new Error(`selector ${selector.key} is not one of plan ${this.plan.id}'s`);
    return this.index * this.cells.width + slot;
  }

  sumAt(cell: number): number {
    // A double from the typed array: as a small integer (most sums) it is stored unboxed in results.
    const sum = minor(this.cells.sums[cell] as number);
    return (sum | 0) === sum ? sum | 0 : sum;
  }

  /** Credits at 100 %, and the others counted per share as written. */
  hundredsAt(cell: number): number {
    return this.cells.hundreds[cell] as number;
  }

  /** Credits at other shares than 100 %, counted per share as written, in the order first seen. */
  otherSharesAt(cell: number): ReadonlyMap<string, number> {
    const s = this.cells.shares;
    const first = s.first[cell] as number;
    if (first === 0) return NO_SHARES;
    const out = new Map<string, number>([[s.percents[first] as string, s.firstCount[cell] as number]]);
    const second = s.second[cell] as number;
    if (second !== 0) out.set(s.percents[second] as string, s.secondCount[cell] as number);
    const more = s.more.get(cell);
    if (more) for (const [id, count] of more) out.set(s.percents[id] as string, count);
    return out;
  }

  stats(selector: CreditSelector): CreditStats {
    const cell = this.cellOf(selector);
    const hundreds = this.hundredsAt(cell);
    let count = hundreds;
    const percentCounts = new Map<string, number>();
    if (hundreds > 0) percentCounts.set(HUNDRED, hundreds);
    for (const [percent, n] of this.otherSharesAt(cell)) {
      percentCounts.set(percent, n);
      count += n;
    }
    return { count, sumMinor: this.sumAt(cell), percentCounts };
  }
}

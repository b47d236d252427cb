/**
 * What the payout lines read of a payee's credits, behind one interface with two
 * implementations:
 * - `creditList`: the credits as objects, selected per selector (the reference path; it is
 *   the only one that can explain a line down to its credits);
 * - `aggregateCredits`: one columnar pass over all credits of a period into typed arrays
 *   (count, sum, shares per payee and selector) — the fast path of `explain: false` runs
 *   (simulations, forecasts, what-if), which need amounts only.
 * Both add the same amounts in the same order (the input order), so their sums are the same
 * doubles bit for bit — exact whenever the reference's are (every partial sum a safe integer;
 * `minor()` throws otherwise, on both paths alike). properties.test.ts checks the two agree.
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

/** A selector as a predicate over one credit (the one definition both paths use). */
export function selectorTest(selector: CreditSelector): (c: Credit) => boolean {
  const { dataset, kinds, fromDay, toDay, where } = selector;
  return (c) => {
    if ((c.record.dataset ?? 'deals') !== dataset || !kinds.includes(c.kind)) return false;
    if (fromDay !== null && c.day < fromDay) return false;
    if (toDay !== null && c.day >= toDay) return false;
    for (const f of where) if (!matches(f, c.record.fields?.[f.field])) return false;
    return true;
  };
}

/** The credits a selector counts. */
export function selectCredits(selector: CreditSelector, credits: readonly Credit[]): Credit[] {
  const test = selectorTest(selector);
  const out: Credit[] = [];
  for (const c of credits) if (test(c)) out.push(c);
  return out;
}

/** Stats of a list of credits, added in list order. */
export function statsOf(credits: readonly Credit[]): CreditStats {
  let sum = 0;
  const percentCounts = new Map<string, number>();
  for (const c of credits) {
    sum += c.amountMinor;
    percentCounts.set(c.percent, (percentCounts.get(c.percent) ?? 0) + 1);
  }
  return { count: credits.length, sumMinor: minor(sum), percentCounts };
}

/** The reference: a payee's credits as a list, selected (and memoised) per selector key. */
export function creditList(all: readonly Credit[]): PayeeCredits {
  let inCurrency: { currency: string; credits: readonly Credit[] } | null = null;
  const ofCurrency = (currency: string): readonly Credit[] => {
    if (inCurrency?.currency !== currency) {
      const foreign = all.some((c) => c.record.currency !== currency);
      inCurrency = { currency, credits: foreign ? all.filter((c) => c.record.currency === currency) : all };
    }
    return inCurrency.credits;
  };
  return {
    foreignCount: (currency) => {
      let n = 0;
      for (const c of all) if (c.record.currency !== currency) n += 1;
      return n;
    },
    segment: ({ currency, startDay, endDay, whole }) => {
      const credits = ofCurrency(currency);
      const segCredits = whole ? credits : credits.filter((c) => c.day >= startDay && c.day < endDay);
      const selected = new Map<string, Credit[]>();
      const stats = new Map<string, CreditStats>();
      const select = (selector: CreditSelector): Credit[] => {
        let list = selected.get(selector.key);
        if (!list) {
          list = selectCredits(selector, segCredits);
          selected.set(selector.key, list);
        }
        return list;
      };
      return {
        select,
        stats: (selector) => {
          let s = stats.get(selector.key);
          if (!s) {
            s = statsOf(select(selector));
            stats.set(selector.key, s);
          }
          return s;
        },
      };
    },
  };
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

const HUNDRED = '100';

/**
 * The fast path: one pass over the period's credits into typed arrays, per payee (each on one
 * plan for the whole period, paid in `currency`) and per selector of that plan. Credits of
 * payees not listed are skipped. Credits are added in input order, as the reference adds a
 * payee's list (see the file comment).
 */
export function aggregateCredits(args: {
  credits: readonly Credit[];
  startDay: number;
  endDay: number;
  payees: readonly { payeeId: string; plan: CompPlan }[];
}): PayeeCredits[] {
  const { credits, startDay, endDay, payees } = args;
  const layouts = new Map<CompPlan, { keys: Map<string, number>; tests: ((c: Credit) => boolean)[] }>();
  let width = 1;
  for (const { plan } of payees) {
    if (layouts.has(plan)) continue;
    const selectors = selectorsOf(plan);
    layouts.set(plan, { keys: new Map(selectors.map((s, i) => [s.key, i])), tests: selectors.map(selectorTest) });
    width = Math.max(width, selectors.length);
  }
  const n = payees.length;
  const index = new Map<string, number>();
  payees.forEach((p, i) => index.set(p.payeeId, i));
  const testsOf = payees.map((p) => (layouts.get(p.plan) as { tests: ((c: Credit) => boolean)[] }).tests);
  const currencyOf = payees.map((p) => p.plan.currency);
  const sums = new Float64Array(n * width);
  const counts = new Float64Array(n * width);
  const hundreds = new Float64Array(n * width);
  const foreign = new Float64Array(n);
  /** Credits at other shares than 100 % (split credits: the few), per cell. */
  const otherShares = new Map<number, Map<string, number>>();
  for (let i = 0; i < credits.length; i += 1) {
    const c = credits[i] as Credit;
    if (c.day < startDay || c.day >= endDay) continue;
    const p = index.get(c.payeeId);
    if (p === undefined) continue;
    if (c.record.currency !== currencyOf[p]) {
      foreign[p] = (foreign[p] as number) + 1;
      continue;
    }
    const tests = testsOf[p] as ((c: Credit) => boolean)[];
    const base = p * width;
    for (let s = 0; s < tests.length; s += 1) {
      if (!(tests[s] as (c: Credit) => boolean)(c)) continue;
      const cell = base + s;
      sums[cell] = (sums[cell] as number) + c.amountMinor;
      counts[cell] = (counts[cell] as number) + 1;
      if (c.percent === HUNDRED) hundreds[cell] = (hundreds[cell] as number) + 1;
      else {
        let m = otherShares.get(cell);
        if (!m) otherShares.set(cell, (m = new Map()));
        m.set(c.percent, (m.get(c.percent) ?? 0) + 1);
      }
    }
  }
  const cells = { width, sums, counts, hundreds, foreign, otherShares };
  return payees.map((payee, p) => new AggregatedPayee(payee.plan, (layouts.get(payee.plan) as { keys: Map<string, number> }).keys, p, cells));
}

interface Cells {
  width: number;
  sums: Float64Array;
  counts: Float64Array;
  hundreds: Float64Array;
  foreign: Float64Array;
  otherShares: Map<number, Map<string, number>>;
}

/** One payee's view of the aggregated cells (a class: no closures per payee). */
class AggregatedPayee implements PayeeCredits, SegmentCredits {
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

  stats(selector: CreditSelector): CreditStats {
    const slot = this.keys.get(selector.key);
    if (slot === undefined) throw new Error(`selector ${selector.key} is not one of plan ${this.plan.id}'s`);
    const { width, sums, counts, hundreds, otherShares } = this.cells;
    const cell = this.index * width + slot;
    const percentCounts = new Map<string, number>();
    if ((hundreds[cell] as number) > 0) percentCounts.set(HUNDRED, hundreds[cell] as number);
    for (const [percent, count] of otherShares.get(cell) ?? []) percentCounts.set(percent, count);
    return { count: counts[cell] as number, sumMinor: minor(sums[cell] as number), percentCounts };
  }
}

/**
 * Validates a comp plan document and compiles it: decimals become exact rationals, money
 * becomes minor units, tiers are checked for order. Expected failures come back as issues
 * `{ code, path, message }`; this never throws on bad input.
 */
import { epochDay } from '../period.js';
import { CompPlanDocument, type ComponentDocument, type CREDIT_KINDS, type FILTER_OPS, type TIER_MODES } from './plan-document.js';
import { compare, exponentOf, mul, parseDecimal, parseMajor, rational, ZERO, type Rational } from './money.js';
import { currencyExponent } from '../data/currency.js';

export type CreditKind = (typeof CREDIT_KINDS)[number];
export type TierMode = (typeof TIER_MODES)[number];
export type FilterOp = (typeof FILTER_OPS)[number];
export type FieldValue = string | number | boolean | null;

/**
 * Codes: zod's for structure (invalid_type, unrecognized_keys, invalid_union …), and
 * unknown_currency, bad_decimal, bad_amount, negative_rate, first_tier_not_zero,
 * tiers_not_increasing, bad_tier, missing_base_rate, bad_threshold, cap_below_floor,
 * bad_spiff, bad_date_range, points_not_increasing, duplicate_component, duplicate_draw,
 * unknown_component, basis_not_allowed; warnings: aspirational_allowed.
 */
export interface CompIssue {
  code: string;
  path: string;
  message: string;
}

export interface CompiledFilter {
  field: string;
  op: FilterOp;
  value: FieldValue | readonly FieldValue[] | undefined;
}

export interface CreditSelector {
  /** Identifies equal selectors (the engine selects once per segment and key). */
  key: string;
  dataset: string;
  kinds: readonly CreditKind[];
  where: readonly CompiledFilter[];
  /** Epoch days, inclusive / exclusive; null = open. */
  fromDay: number | null;
  toDay: number | null;
}

export type CompiledBase = { kind: 'credits'; selector: CreditSelector } | { kind: 'metric'; metric: string; unit: 'money' | 'quantity' };

export interface CompiledTier {
  /** Attainment ratio, or an amount of the base (minor units, or units of a quantity). */
  from: Rational;
  /** Fraction of the base (money bases) or minor units per unit (quantity bases). */
  rate: Rational;
  label: string;
}

export interface CompiledRateTable {
  basis: 'flat' | 'attainment' | 'amount';
  /** Flat tables are one tier priced retroactively. */
  mode: TierMode;
  tiers: readonly CompiledTier[];
}

export type CompiledComponent =
  | {
      kind: 'commission' | 'partner';
      id: string;
      label: string;
      base: CompiledBase;
      rates: CompiledRateTable;
      threshold: { kind: 'attainment' | 'amount'; value: Rational } | null;
      capMinor: number | null;
      floorMinor: number | null;
    }
  | {
      kind: 'spiff';
      id: string;
      label: string;
      selector: CreditSelector;
      perRecord: { kind: 'amount'; amountMinor: number } | { kind: 'rate'; rate: Rational };
      capMinor: number | null;
    }
  | {
      kind: 'bonus';
      id: string;
      label: string;
      on: { kind: 'attainment' } | { kind: 'score'; key: string };
      payout: { kind: 'step' | 'curve'; points: readonly { at: Rational; amountMinor: number }[] };
      allowAspirational: boolean;
    }
  | { kind: 'draw'; id: string; label: string; amountMinor: number; recoverable: boolean; maxRecoveryMinor: number | null }
  | { kind: 'clawback'; id: string; label: string; components: readonly string[]; withinDays: number; events: readonly ('cancelled' | 'churned')[]; share: Rational };

export interface CompPlan {
  id: string;
  version: number;
  name: string;
  currency: string;
  /** Digits of the currency's minor unit. */
  exponent: number;
  effectiveFrom: string;
  /** Exclusive; null = open-ended. */
  effectiveTo: string | null;
  payeeKind: 'employee' | 'partner';
  attainment: CreditSelector;
  capMinor: number | null;
  floorMinor: number | null;
  prorateAmounts: boolean;
  components: readonly CompiledComponent[];
  /** The validated document, defaults filled in. */
  document: CompPlanDocument;
}

export type PlanParseResult = { ok: true; plan: CompPlan; warnings: CompIssue[] } | { ok: false; issues: CompIssue[] };

type Num = string | number;
const text = (value: Num): string => (typeof value === 'number' ? String(value) : value);

class Compiler {
  readonly issues: CompIssue[] = [];
  readonly warnings: CompIssue[] = [];
  constructor(readonly currency: string) {}

  add(code: string, path: string, message: string): void {
    this.issues.push({ code, path, message });
  }

  decimal(value: Num, path: string): Rational {
    const parsed = parseDecimal(text(value));
    if (parsed === null) {
      this.add('bad_decimal', path, `"${value}" is not an exact decimal (write e.g. 0.05 or 5%)`);
      return ZERO;
    }
    return parsed;
  }

  rate(value: Num, path: string): Rational {
    const r = this.decimal(value, path);
    if (r.num < 0n) this.add('negative_rate', path, 'a rate cannot be negative');
    return r;
  }

  money(value: Num, path: string): number {
    const parsed = parseMajor(text(value), this.currency);
    if (parsed === null) {
      this.add('bad_amount', path, `"${value}" is not an amount in ${this.currency} (at most ${exponentOf(this.currency)} decimals)`);
      return 0;
    }
    return parsed;
  }

  optionalMoney(value: Num | undefined, path: string): number | null {
    return value === undefined ? null : this.money(value, path);
  }

  capFloor(cap: Num | undefined, floor: Num | undefined, path: string): { capMinor: number | null; floorMinor: number | null } {
    const capMinor = this.optionalMoney(cap, `${path}.cap`);
    const floorMinor = this.optionalMoney(floor, `${path}.floor`);
    if (capMinor !== null && floorMinor !== null && capMinor < floorMinor) this.add('cap_below_floor', `${path}.cap`, 'the cap is below the floor');
    return { capMinor, floorMinor };
  }

  selector(base: { dataset: string; creditKinds: readonly CreditKind[]; where: readonly { field: string; op: FilterOp; value?: FieldValue | FieldValue[] | undefined }[] }, from?: string, to?: string): CreditSelector {
    const selector = {
      dataset: base.dataset,
      kinds: [...new Set(base.creditKinds)].sort(),
      where: base.where.map((f) => ({ field: f.field, op: f.op, value: f.value })),
      fromDay: from === undefined ? null : epochDay(from),
      toDay: to === undefined ? null : epochDay(to) + 1,
    };
    return { key: JSON.stringify(selector), ...selector };
  }

  /**
   * A rate table. `quantity`: tier bounds are units and rates money per unit, stored as
   * minor units per unit; otherwise amount bounds are money (major units → minor units).
   */
  rates(doc: Extract<ComponentDocument, { kind: 'commission' }>['rates'], path: string, quantity: boolean): CompiledRateTable {
    const scale = quantity ? rational(10n ** BigInt(exponentOf(this.currency))) : rational(1n);
    if (doc.basis === 'flat') return { basis: 'flat', mode: 'retroactive', tiers: [{ from: ZERO, rate: mul(this.rate(doc.rate, `${path}.rate`), scale), label: 'flat' }] };
    const baseRate = doc.baseRate === undefined ? null : this.rate(doc.baseRate, `${path}.baseRate`);
    const tiers: CompiledTier[] = [];
    doc.tiers.forEach((tier, i) => {
      const at = `${path}.tiers.${i}`;
      const from = doc.basis === 'amount' && !quantity ? rational(BigInt(this.money(tier.from, `${at}.from`))) : this.decimal(tier.from, `${at}.from`);
      let rate = ZERO;
      if ((tier.rate === undefined) === (tier.multiplier === undefined)) {
        this.add('bad_tier', at, 'a tier has either a rate or a multiplier (on baseRate)');
      } else if (tier.rate !== undefined) {
        rate = this.rate(tier.rate, `${at}.rate`);
      } else if (tier.multiplier !== undefined) {
        if (baseRate === null) this.add('missing_base_rate', `${at}.multiplier`, 'a multiplier needs the table’s baseRate');
        else rate = mul(baseRate, this.rate(tier.multiplier, `${at}.multiplier`));
      }
      const previous = tiers[i - 1];
      if (i === 0 && from.num !== 0n) this.add('first_tier_not_zero', `${at}.from`, 'the first tier starts at 0');
      if (previous && compare(from, previous.from) <= 0) this.add('tiers_not_increasing', `${at}.from`, 'tier bounds must increase strictly');
      tiers.push({ from, rate: mul(rate, scale), label: tier.label ?? `tier ${i + 1}` });
    });
    return { basis: doc.basis, mode: doc.mode, tiers };
  }

  points(points: readonly { at: Num; amount: Num }[], path: string): { at: Rational; amountMinor: number }[] {
    const out: { at: Rational; amountMinor: number }[] = [];
    points.forEach((p, i) => {
      const at = this.decimal(p.at, `${path}.${i}.at`);
      const prev = out[i - 1];
      if (prev && compare(at, prev.at) <= 0) this.add('points_not_increasing', `${path}.${i}.at`, 'points must be in strictly increasing order of `at`');
      out.push({ at, amountMinor: this.money(p.amount, `${path}.${i}.amount`) });
    });
    return out;
  }

  component(doc: ComponentDocument, path: string): CompiledComponent {
    const label = doc.label ?? doc.id;
    switch (doc.kind) {
      case 'commission':
      case 'partner': {
        const quantity = doc.base.kind === 'metric' && doc.base.unit === 'quantity';
        if (doc.base.kind === 'metric' && doc.rates.basis === 'attainment') this.add('basis_not_allowed', `${path}.rates.basis`, 'a metric base is tiered by amount or flat, not by quota attainment');
        const base: CompiledBase = doc.base.kind === 'credits' ? { kind: 'credits', selector: this.selector(doc.base) } : { kind: 'metric', metric: doc.base.metric, unit: doc.base.unit };
        let threshold: { kind: 'attainment' | 'amount'; value: Rational } | null = null;
        if (doc.kind === 'commission' && doc.threshold) {
          const t = doc.threshold;
          if ((t.attainment === undefined) === (t.amount === undefined)) this.add('bad_threshold', `${path}.threshold`, 'a threshold is either an attainment or an amount');
          else if (t.attainment !== undefined) threshold = { kind: 'attainment', value: this.decimal(t.attainment, `${path}.threshold.attainment`) };
          else if (t.amount !== undefined) threshold = { kind: 'amount', value: quantity ? this.decimal(t.amount, `${path}.threshold.amount`) : rational(BigInt(this.money(t.amount, `${path}.threshold.amount`))) };
        }
        return { kind: doc.kind, id: doc.id, label, base, rates: this.rates(doc.rates, `${path}.rates`, quantity), threshold, ...this.capFloor(doc.cap, doc.floor, path) };
      }
      case 'spiff': {
        if ((doc.amount === undefined) === (doc.rate === undefined)) this.add('bad_spiff', path, 'a SPIFF pays either a fixed amount or a rate per qualifying record');
        if (doc.from !== undefined && doc.to !== undefined && doc.to < doc.from) this.add('bad_date_range', `${path}.to`, 'the SPIFF ends before it starts');
        const perRecord = doc.rate !== undefined ? { kind: 'rate' as const, rate: this.rate(doc.rate, `${path}.rate`) } : { kind: 'amount' as const, amountMinor: doc.amount === undefined ? 0 : this.money(doc.amount, `${path}.amount`) };
        return { kind: 'spiff', id: doc.id, label, selector: this.selector(doc.base, doc.from, doc.to), perRecord, capMinor: this.optionalMoney(doc.cap, `${path}.cap`) };
      }
      case 'bonus': {
        const points = doc.payout.kind === 'step' ? this.points(doc.payout.steps, `${path}.payout.steps`) : this.points(doc.payout.points, `${path}.payout.points`);
        if (doc.on.kind === 'score' && doc.allowAspirational) {
          this.warnings.push({ code: 'aspirational_allowed', path: `${path}.allowAspirational`, message: 'aspirational OKR scores will feed pay; Google’s guidance keeps them out of compensation so targets stay ambitious' });
        }
        return { kind: 'bonus', id: doc.id, label, on: doc.on, payout: { kind: doc.payout.kind, points }, allowAspirational: doc.allowAspirational };
      }
      case 'draw':
        return { kind: 'draw', id: doc.id, label, amountMinor: this.money(doc.amount, `${path}.amount`), recoverable: doc.recoverable, maxRecoveryMinor: this.optionalMoney(doc.maxRecoveryPerPeriod, `${path}.maxRecoveryPerPeriod`) };
      case 'clawback': {
        const share = this.rate(doc.share, `${path}.share`);
        return { kind: 'clawback', id: doc.id, label, components: doc.components, withinDays: doc.withinDays, events: [...new Set(doc.events)], share };
      }
      default: {
        const unreachable: never = doc;
        throw new Error(`unknown component ${JSON.stringify(unreachable)}`);
      }
    }
  }
}

/**
 * Validates and compiles a plan document (parsed JSON or YAML).
 * @example parseCompPlan({ schemaVersion: 1, id: 'ae', version: 1, name: 'AE', currency: 'EUR', effectiveFrom: '2026-01-01', components: [{ id: 'core', kind: 'commission', rates: { basis: 'flat', rate: '5%' } }] }) // { ok: true, plan: … }
 */
export function parseCompPlan(input: unknown): PlanParseResult {
  const parsed = CompPlanDocument.safeParse(input);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((i) => ({ code: i.code, path: i.path.map(String).join('.'), message: i.message })) };
  const doc = parsed.data;
  if (currencyExponent(doc.currency) === null) return { ok: false, issues: [{ code: 'unknown_currency', path: 'currency', message: `${doc.currency} is not an active ISO 4217 currency` }] };
  const c = new Compiler(doc.currency);
  if (doc.effectiveTo !== undefined && doc.effectiveTo <= doc.effectiveFrom) c.add('bad_date_range', 'effectiveTo', 'effectiveTo must be after effectiveFrom');
  const seen = new Set<string>();
  let draws = 0;
  const components = doc.components.map((component, i) => {
    const path = `components.${i}`;
    if (seen.has(component.id)) c.add('duplicate_component', `${path}.id`, `component id "${component.id}" is used twice`);
    seen.add(component.id);
    if (component.kind === 'draw' && ++draws > 1) c.add('duplicate_draw', path, 'a plan has at most one draw');
    return c.component(component, path);
  });
  components.forEach((component, i) => {
    if (component.kind !== 'clawback') return;
    component.components.forEach((id, j) => {
      const target = components.find((x) => x.id === id);
      if (!target || (target.kind !== 'commission' && target.kind !== 'partner')) c.add('unknown_component', `components.${i}.components.${j}`, `"${id}" is not a commission or partner component of this plan`);
    });
  });
  const { capMinor, floorMinor } = c.capFloor(doc.cap, doc.floor, 'plan');
  if (c.issues.length > 0) return { ok: false, issues: c.issues.map((i) => ({ ...i, path: i.path.replace(/^plan\./, '') })) };
  return {
    ok: true,
    warnings: c.warnings,
    plan: {
      id: doc.id,
      version: doc.version,
      name: doc.name,
      currency: doc.currency,
      exponent: exponentOf(doc.currency),
      effectiveFrom: doc.effectiveFrom,
      effectiveTo: doc.effectiveTo ?? null,
      payeeKind: doc.payeeKind,
      attainment: c.selector(doc.attainment),
      capMinor,
      floorMinor,
      prorateAmounts: doc.prorateAmounts,
      components,
      document: doc,
    },
  };
}

/** Like parseCompPlan for documents known to be valid (examples, tests): throws with the issues otherwise. */
export function compilePlan(input: unknown): CompPlan {
  const result = parseCompPlan(input);
  if (!result.ok) throw new Error(`invalid plan: ${result.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return result.plan;
}

// The plan editor's form state: the plan document's shape with every value kept as typed
// (strings; rates and amounts stay exact decimals, never floats), so a form field's path is
// the document path the parser reports (`components.0.rates.tiers.1.rate`).
import { stringify as toYaml } from 'yaml';
import type { ComponentDocument, CompPlanDocument, CompPlanDocumentInput } from '../../../../core/comp/plan-document';
import type { CreditKind, FilterOp, TierMode } from '../../../../core/comp/plan';

export const COMPONENT_KINDS = ['commission', 'spiff', 'bonus', 'draw', 'clawback', 'partner'] as const satisfies readonly ComponentDocument['kind'][];
export type ComponentKind = (typeof COMPONENT_KINDS)[number];
export const CREDIT_KIND_LIST = ['owner', 'split', 'overlay', 'team', 'manager', 'territory'] as const satisfies readonly CreditKind[];
export const TIER_MODE_LIST = ['marginal', 'retroactive', 'highest_rate'] as const satisfies readonly TierMode[];
export const FILTER_OP_LIST = ['eq', 'ne', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'exists'] as const satisfies readonly FilterOp[];
export const CLAWBACK_EVENTS = ['cancelled', 'churned'] as const;
export type ClawbackEvent = (typeof CLAWBACK_EVENTS)[number];
export type RateBasis = 'flat' | 'attainment' | 'amount';

export interface DraftFilter {
  uid: string;
  field: string;
  op: FilterOp;
  /** As typed; `in` / `not_in` comma-separated. */
  value: string;
}

export interface DraftCreditBase {
  dataset: string;
  creditKinds: CreditKind[];
  where: DraftFilter[];
}

export interface DraftMetricBase {
  metric: string;
  unit: 'money' | 'quantity';
}

export interface DraftTier {
  uid: string;
  from: string;
  /** A rate, or a multiplier on the table's base rate (accelerator > 1, decelerator < 1). */
  by: 'rate' | 'multiplier';
  value: string;
  label: string;
}

export interface DraftRates {
  basis: RateBasis;
  mode: TierMode;
  /** The flat rate. */
  rate: string;
  baseRate: string;
  tiers: DraftTier[];
}

export interface DraftPoint {
  uid: string;
  at: string;
  amount: string;
}

/** One component; fields of other kinds are kept so switching kind loses nothing. */
export interface DraftComponent {
  uid: string;
  kind: ComponentKind;
  id: string;
  label: string;
  baseKind: 'credits' | 'metric';
  credits: DraftCreditBase;
  metric: DraftMetricBase;
  rates: DraftRates;
  threshold: { kind: 'none' | 'attainment' | 'amount'; value: string };
  cap: string;
  floor: string;
  spiff: { from: string; to: string; pay: 'amount' | 'rate'; value: string };
  bonus: { on: 'attainment' | 'score'; key: string; payout: 'step' | 'curve'; points: DraftPoint[]; allowAspirational: boolean };
  draw: { amount: string; recoverable: boolean; maxRecovery: string };
  clawback: { components: string[]; withinDays: string; events: ClawbackEvent[]; share: string };
}

export interface Draft {
  id: string;
  version: number;
  name: string;
  description: string;
  currency: string;
  effectiveFrom: string;
  effectiveTo: string;
  payeeKind: 'employee' | 'partner';
  attainment: DraftCreditBase;
  cap: string;
  floor: string;
  prorateAmounts: boolean;
  components: DraftComponent[];
}

let uidSequence = 0;
/** Stable React keys for list rows (not part of the document). */
export const uid = (): string => `u${(uidSequence += 1)}`;

export const defaultCreditBase = (): DraftCreditBase => ({ dataset: 'deals', creditKinds: ['owner', 'split'], where: [] });
export const tier = (from: string, value: string, by: DraftTier['by'] = 'rate'): DraftTier => ({ uid: uid(), from, by, value, label: '' });
export const point = (at: string, amount: string): DraftPoint => ({ uid: uid(), at, amount });

/** A new component of a kind, pre-filled with a sensible example (the id is made unique by the caller). */
export function newComponent(kind: ComponentKind, id: string): DraftComponent {
  const base: DraftComponent = {
    uid: uid(),
    kind,
    id,
    label: '',
    baseKind: kind === 'partner' ? 'metric' : 'credits',
    credits: defaultCreditBase(),
    metric: { metric: kind === 'partner' ? 'consumption_gb' : '', unit: kind === 'partner' ? 'quantity' : 'money' },
    rates: {
      basis: kind === 'partner' ? 'amount' : 'attainment',
      mode: 'marginal',
      rate: '10%',
      baseRate: '',
      tiers: kind === 'partner' ? [tier('0', '0.002'), tier('100000', '0.003')] : [tier('0', '5%'), tier('1', '8%'), tier('1.5', '10%')],
    },
    threshold: { kind: 'none', value: '' },
    cap: '',
    floor: '',
    spiff: { from: '', to: '', pay: 'amount', value: '500' },
    bonus: { on: 'attainment', key: '', payout: 'step', points: [point('1', '2500'), point('1.25', '5000')], allowAspirational: false },
    draw: { amount: '3000', recoverable: true, maxRecovery: '' },
    clawback: { components: [], withinDays: '90', events: ['cancelled', 'churned'], share: '1' },
  };
  return base;
}

/** A unique component id like `commission-2`. */
export function nextComponentId(kind: ComponentKind, taken: readonly string[]): string {
  if (!taken.includes(kind)) return kind;
  for (let i = 2; ; i += 1) if (!taken.includes(`${kind}-${i}`)) return `${kind}-${i}`;
}

export function blankDraft(today: string): Draft {
  return {
    id: '',
    version: 1,
    name: '',
    description: '',
    currency: 'EUR',
    effectiveFrom: `${today.slice(0, 7)}-01`,
    effectiveTo: '',
    payeeKind: 'employee',
    attainment: defaultCreditBase(),
    cap: '',
    floor: '',
    prorateAmounts: true,
    components: [newComponent('commission', 'commission')],
  };
}

// --- document → draft ---------------------------------------------------------------------

type Scalar = string | number | boolean | null;
const text = (value: string | number | undefined | null): string => (value === undefined || value === null ? '' : String(value));
const scalarText = (value: Scalar | Scalar[] | undefined): string => (value === undefined ? '' : Array.isArray(value) ? value.map((v) => String(v)).join(', ') : String(value));

function creditBaseFrom(base: { dataset?: string; creditKinds?: CreditKind[]; where?: { field: string; op?: FilterOp; value?: Scalar | Scalar[] | undefined }[] } | undefined): DraftCreditBase {
  if (!base) return defaultCreditBase();
  return {
    dataset: base.dataset ?? 'deals',
    creditKinds: [...(base.creditKinds ?? ['owner', 'split'])],
    where: (base.where ?? []).map((f) => ({ uid: uid(), field: f.field, op: f.op ?? 'eq', value: scalarText(f.value) })),
  };
}

type RatesDoc = Extract<ComponentDocument, { kind: 'commission' }>['rates'];
function ratesFrom(rates: RatesDoc): DraftRates {
  if (rates.basis === 'flat') return { basis: 'flat', mode: 'marginal', rate: text(rates.rate), baseRate: '', tiers: [tier('0', text(rates.rate))] };
  return {
    basis: rates.basis,
    mode: rates.mode,
    rate: text(rates.tiers[0]?.rate),
    baseRate: text(rates.baseRate),
    tiers: rates.tiers.map((t) => ({ uid: uid(), from: text(t.from), by: t.multiplier !== undefined && t.rate === undefined ? 'multiplier' : 'rate', value: text(t.rate ?? t.multiplier), label: t.label ?? '' })),
  };
}

/** A saved version's document (defaults filled in) as a draft. */
export function draftFromDocument(doc: CompPlanDocument): Draft {
  const components = doc.components.map((c): DraftComponent => {
    const d = newComponent(c.kind, c.id);
    d.label = c.label ?? '';
    switch (c.kind) {
      case 'commission':
      case 'partner': {
        if (c.base.kind === 'metric') {
          d.baseKind = 'metric';
          d.metric = { metric: c.base.metric, unit: c.base.unit };
        } else {
          d.baseKind = 'credits';
          d.credits = creditBaseFrom(c.base);
        }
        d.rates = ratesFrom(c.rates);
        d.cap = text(c.cap);
        d.floor = text(c.floor);
        if (c.kind === 'commission' && c.threshold) {
          d.threshold = c.threshold.attainment !== undefined ? { kind: 'attainment', value: text(c.threshold.attainment) } : { kind: 'amount', value: text(c.threshold.amount) };
        }
        return d;
      }
      case 'spiff':
        d.credits = creditBaseFrom(c.base);
        d.spiff = { from: c.from ?? '', to: c.to ?? '', pay: c.rate !== undefined ? 'rate' : 'amount', value: text(c.rate ?? c.amount) };
        d.cap = text(c.cap);
        return d;
      case 'bonus': {
        const points = c.payout.kind === 'step' ? c.payout.steps : c.payout.points;
        d.bonus = { on: c.on.kind, key: c.on.kind === 'score' ? c.on.key : '', payout: c.payout.kind, points: points.map((p) => point(text(p.at), text(p.amount))), allowAspirational: c.allowAspirational };
        return d;
      }
      case 'draw':
        d.draw = { amount: text(c.amount), recoverable: c.recoverable, maxRecovery: text(c.maxRecoveryPerPeriod) };
        return d;
      case 'clawback':
        d.clawback = { components: [...c.components], withinDays: text(c.withinDays), events: [...c.events], share: text(c.share) };
        return d;
      default: {
        const unreachable: never = c;
        throw new Error(`unknown component ${JSON.stringify(unreachable)}`);
      }
    }
  });
  return {
    id: doc.id,
    version: doc.version,
    name: doc.name,
    description: doc.description ?? '',
    currency: doc.currency,
    effectiveFrom: doc.effectiveFrom,
    effectiveTo: doc.effectiveTo ?? '',
    payeeKind: doc.payeeKind,
    attainment: creditBaseFrom(doc.attainment),
    cap: text(doc.cap),
    floor: text(doc.floor),
    prorateAmounts: doc.prorateAmounts,
    components,
  };
}

// --- draft → document ---------------------------------------------------------------------

/** Optional text: absent when blank. */
const opt = <K extends string>(key: K, value: string): Partial<Record<K, string>> => {
  const trimmed = value.trim();
  return trimmed === '' ? {} : ({ [key]: trimmed } as Record<K, string>);
};

/** A filter value as typed: numbers and booleans as such, the rest as text. */
function scalarOf(raw: string): Scalar {
  const v = raw.trim();
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (v === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(v) && Number.isFinite(Number(v)) && String(Number(v)) === v) return Number(v);
  return v;
}

function creditBaseDoc(base: DraftCreditBase) {
  return {
    kind: 'credits' as const,
    dataset: base.dataset.trim(),
    creditKinds: [...base.creditKinds],
    where: base.where.map((f) => ({
      field: f.field.trim(),
      op: f.op,
      ...(f.op === 'exists' ? {} : { value: f.op === 'in' || f.op === 'not_in' ? f.value.split(',').map((v) => v.trim()).filter((v) => v !== '').map(scalarOf) : scalarOf(f.value) }),
    })),
  };
}

function ratesDoc(rates: DraftRates): RatesDoc {
  if (rates.basis === 'flat') return { basis: 'flat', rate: rates.rate.trim() };
  return {
    basis: rates.basis,
    mode: rates.mode,
    ...opt('baseRate', rates.baseRate),
    tiers: rates.tiers.map((t) => ({ from: t.from.trim(), ...(t.by === 'rate' ? { rate: t.value.trim() } : { multiplier: t.value.trim() }), ...opt('label', t.label) })),
  };
}

/** A whole number as a number; anything else as typed, so the parser reports it at its path. */
const integerOf = (value: string): number | string => (/^\d+$/.test(value.trim()) ? Number(value.trim()) : value.trim());

function componentDoc(c: DraftComponent): ComponentDocument {
  const head = { id: c.id.trim(), ...opt('label', c.label) };
  switch (c.kind) {
    case 'commission':
    case 'partner': {
      const metricBase = { kind: 'metric' as const, metric: c.metric.metric.trim(), unit: c.metric.unit };
      const limits = { ...opt('cap', c.cap), ...opt('floor', c.floor) };
      if (c.kind === 'partner') return { ...head, kind: 'partner', base: metricBase, rates: ratesDoc(c.rates), ...limits };
      const threshold = c.threshold.kind === 'none' ? {} : { threshold: c.threshold.kind === 'attainment' ? { attainment: c.threshold.value.trim() } : { amount: c.threshold.value.trim() } };
      return { ...head, kind: 'commission', base: c.baseKind === 'metric' ? metricBase : creditBaseDoc(c.credits), rates: ratesDoc(c.rates), ...threshold, ...limits };
    }
    case 'spiff':
      return {
        ...head,
        kind: 'spiff',
        base: creditBaseDoc(c.credits),
        ...opt('from', c.spiff.from),
        ...opt('to', c.spiff.to),
        ...(c.spiff.pay === 'amount' ? { amount: c.spiff.value.trim() } : { rate: c.spiff.value.trim() }),
        ...opt('cap', c.cap),
      };
    case 'bonus': {
      const points = c.bonus.points.map((p) => ({ at: p.at.trim(), amount: p.amount.trim() }));
      return {
        ...head,
        kind: 'bonus',
        on: c.bonus.on === 'score' ? { kind: 'score', key: c.bonus.key.trim() } : { kind: 'attainment' },
        payout: c.bonus.payout === 'step' ? { kind: 'step', steps: points } : { kind: 'curve', points },
        allowAspirational: c.bonus.on === 'score' && c.bonus.allowAspirational,
      };
    }
    case 'draw':
      return { ...head, kind: 'draw', amount: c.draw.amount.trim(), recoverable: c.draw.recoverable, ...(c.draw.recoverable ? opt('maxRecoveryPerPeriod', c.draw.maxRecovery) : {}) };
    case 'clawback':
      // withinDays as typed when it is not a whole number: the parser then names the field.
      return { ...head, kind: 'clawback', components: [...c.clawback.components], withinDays: integerOf(c.clawback.withinDays) as number, events: [...c.clawback.events], share: c.clawback.share.trim() || '1' };
    default: {
      const unreachable: never = c.kind;
      throw new Error(`unknown component kind ${String(unreachable)}`);
    }
  }
}

/** The document the draft stands for (what is validated, shown as YAML and saved). */
export function draftToDocument(draft: Draft): CompPlanDocumentInput {
  return {
    schemaVersion: 1,
    id: draft.id.trim(),
    version: draft.version,
    name: draft.name.trim(),
    ...opt('description', draft.description),
    currency: draft.currency.trim(),
    effectiveFrom: draft.effectiveFrom.trim(),
    ...opt('effectiveTo', draft.effectiveTo),
    payeeKind: draft.payeeKind,
    attainment: creditBaseDoc(draft.attainment),
    ...opt('cap', draft.cap),
    ...opt('floor', draft.floor),
    prorateAmounts: draft.prorateAmounts,
    components: draft.components.map(componentDoc),
  };
}

/** The document as YAML, exactly what is saved (the format of examples/plans/). */
export function documentYaml(doc: CompPlanDocumentInput): string {
  return toYaml(doc, { lineWidth: 0 });
}

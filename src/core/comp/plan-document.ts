/**
 * Comp plan documents (YAML/JSON; schema in docs/schemas/comp-plan.schema.json, generated
 * from these zod schemas by scripts/generate-comp-schema.ts). Structure only: the meaning
 * (tiers in order, amounts in the currency's minor unit, references between components) is
 * checked by `parseCompPlan` in plan.ts. Formulas: docs/compensation.md.
 */
import { z } from 'zod';
import { toEpochDay } from '../period.js';

const CalendarDate = z.string().refine((d) => toEpochDay(d) !== null, 'a real date as YYYY-MM-DD');
/** An exact decimal: a fraction ('0.05') or a percentage ('5%'). Numbers are accepted and read by their shortest decimal form. */
const Decimal = z.union([z.string().regex(/^-?\d+(\.\d+)?%?$/, 'a decimal such as 0.05 or 5%'), z.number()]);
/** Money in major units of the plan's currency ('1250.50' EUR); at most the currency's minor digits. */
const Money = z.union([z.string().regex(/^-?\d+(\.\d+)?$/, 'an amount such as 1250.50'), z.number()]);
const Id = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, _ and -, starting with a letter');

export const CREDIT_KINDS = ['owner', 'split', 'overlay', 'team', 'manager', 'territory'] as const;
export const TIER_MODES = ['marginal', 'retroactive', 'highest_rate'] as const;
export const FILTER_OPS = ['eq', 'ne', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'exists'] as const;

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const FilterDocument = z.object({
  field: z.string().min(1).max(100),
  op: z.enum(FILTER_OPS).default('eq'),
  value: z.union([Scalar, z.array(Scalar)]).optional(),
});

/** Which credits feed a component (or the plan's attainment). */
export const CreditBaseDocument = z.object({
  kind: z.literal('credits'),
  dataset: z.string().min(1).max(100).default('deals'),
  creditKinds: z.array(z.enum(CREDIT_KINDS)).min(1).default(['owner', 'split']),
  where: z.array(FilterDocument).default([]),
});
export const MetricBaseDocument = z.object({
  kind: z.literal('metric'),
  /** The metric's key; its value per payee and period is an input of the calculation. */
  metric: z.string().min(1).max(100),
  /** money: the value is minor units and rates are fractions; quantity: rates are money (major units) per unit. */
  unit: z.enum(['money', 'quantity']).default('money'),
});

const TierDocument = z.object({
  /** Lower bound: an attainment ratio (1 = 100 % of quota) or an amount (major units, or units of a quantity metric). */
  from: Decimal,
  rate: Decimal.optional(),
  /** Accelerator (> 1) or decelerator (< 1) on the table's baseRate. */
  multiplier: Decimal.optional(),
  label: z.string().max(100).optional(),
});
export const RateTableDocument = z.discriminatedUnion('basis', [
  z.object({ basis: z.literal('flat'), rate: Decimal }),
  z.object({ basis: z.literal('attainment'), mode: z.enum(TIER_MODES), baseRate: Decimal.optional(), tiers: z.array(TierDocument).min(1) }),
  z.object({ basis: z.literal('amount'), mode: z.enum(TIER_MODES), baseRate: Decimal.optional(), tiers: z.array(TierDocument).min(1) }),
]);

const ComponentBase = {
  id: Id,
  label: z.string().max(200).optional(),
};

export const ComponentDocument = z.discriminatedUnion('kind', [
  z.object({
    ...ComponentBase,
    kind: z.literal('commission'),
    base: z.discriminatedUnion('kind', [CreditBaseDocument, MetricBaseDocument]).default({ kind: 'credits', dataset: 'deals', creditKinds: ['owner', 'split'], where: [] }),
    rates: RateTableDocument,
    /** Below it nothing is paid: an attainment ratio or an amount of the base. */
    threshold: z.object({ attainment: Decimal.optional(), amount: Money.optional() }).optional(),
    cap: Money.optional(),
    floor: Money.optional(),
  }),
  z.object({
    ...ComponentBase,
    kind: z.literal('spiff'),
    base: CreditBaseDocument.default({ kind: 'credits', dataset: 'deals', creditKinds: ['owner', 'split'], where: [] }),
    /** Qualifying credit dates, both inclusive. */
    from: CalendarDate.optional(),
    to: CalendarDate.optional(),
    /** A fixed amount per qualifying record (times the payee's share of it) … */
    amount: Money.optional(),
    /** … or a rate on the credited amount. */
    rate: Decimal.optional(),
    cap: Money.optional(),
  }),
  z.object({
    ...ComponentBase,
    kind: z.literal('bonus'),
    on: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('attainment') }),
      /** A key result's or MBO's score (0–1), an input of the calculation. */
      z.object({ kind: z.literal('score'), key: z.string().min(1).max(100) }),
    ]),
    payout: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('step'), steps: z.array(z.object({ at: Decimal, amount: Money })).min(1) }),
      z.object({ kind: z.literal('curve'), points: z.array(z.object({ at: Decimal, amount: Money })).min(2) }),
    ]),
    /** Aspirational OKR scores do not feed pay unless this says so (Google's guidance). */
    allowAspirational: z.boolean().default(false),
  }),
  z.object({
    ...ComponentBase,
    kind: z.literal('draw'),
    /** Guaranteed per period (prorated for partial periods). */
    amount: Money,
    /** Recoverable: the top-up is a balance owed, netted against later earnings. */
    recoverable: z.boolean(),
    maxRecoveryPerPeriod: Money.optional(),
  }),
  z.object({
    ...ComponentBase,
    kind: z.literal('clawback'),
    /** Commission or partner components whose paid amounts are reversed. */
    components: z.array(Id).min(1),
    withinDays: z.number().int().min(0).max(3660),
    events: z.array(z.enum(['cancelled', 'churned'])).min(1).default(['cancelled', 'churned']),
    /** The share of the paid commission reversed (default all of it). */
    share: Decimal.default('1'),
  }),
  z.object({
    ...ComponentBase,
    kind: z.literal('partner'),
    /** A custom-dataset metric: consumption volume, deployments, deposits, maintenance fees … */
    base: MetricBaseDocument,
    rates: RateTableDocument,
    cap: Money.optional(),
    floor: Money.optional(),
  }),
]);
export type ComponentDocument = z.infer<typeof ComponentDocument>;

export const CompPlanDocument = z
  .object({
    $schema: z.string().optional(),
    schemaVersion: z.literal(1),
    id: Id,
    /** Plan version: a version that has paid out never changes; a new one takes effect from a date. */
    version: z.number().int().min(1),
    name: z.string().min(1).max(200),
    description: z.string().max(5000).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
    effectiveFrom: CalendarDate,
    effectiveTo: CalendarDate.describe('exclusive: the first day the version no longer applies').optional(),
    payeeKind: z.enum(['employee', 'partner']).default('employee'),
    /** What counts toward quota attainment (default: owner and split credits on deals). */
    attainment: CreditBaseDocument.default({ kind: 'credits', dataset: 'deals', creditKinds: ['owner', 'split'], where: [] }),
    /** Plan-level cap and floor on the sum of commission, SPIFF, bonus and partner lines. */
    cap: Money.optional(),
    floor: Money.optional(),
    /** Prorate amount-based tier bounds, thresholds, caps, floors, draws and bonus amounts for partial periods. */
    prorateAmounts: z.boolean().default(true),
    components: z.array(ComponentDocument).min(1),
  })
  .strict();
export type CompPlanDocument = z.infer<typeof CompPlanDocument>;
export type CompPlanDocumentInput = z.input<typeof CompPlanDocument>;

/** The published JSON Schema of comp plan documents (docs/schemas/comp-plan.schema.json). */
export function compPlanJsonSchema(): unknown {
  return {
    ...z.toJSONSchema(CompPlanDocument, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://attain.dev/schemas/comp-plan.schema.json',
    title: 'Attain comp plan',
    description: 'A versioned, effective-dated incentive compensation plan: commission, SPIFF, bonus, draw, clawback and partner components. Formulas in docs/compensation.md.',
  };
}

/**
 * The JSON shape of a payout run (`calculatePayouts`' result), published as
 * docs/schemas/comp-payouts.schema.json for `attain comp calc --json` and the API.
 */
import { z } from 'zod';
import { CREDIT_KINDS, TIER_MODES } from './plan-document.js';
import type { PayoutResult } from './payout-types.js';

const Issue = z.object({ code: z.string(), path: z.string(), message: z.string() });
const Minor = z.number().int().describe('integer minor units of the currency');
const Decimal = z.string().describe('an exact decimal');

const Line = z.object({
  lineId: z.string(),
  payeeId: z.string(),
  kind: z.enum(['commission', 'partner', 'spiff', 'bonus', 'plan_cap', 'plan_floor', 'clawback', 'draw_top_up', 'draw_recovery', 'adjustment']),
  componentId: z.string().nullable(),
  label: z.string(),
  planId: z.string().nullable(),
  planVersion: z.number().int().nullable(),
  amountMinor: Minor,
  currency: z.string(),
  explanation: z.object({
    credits: z.array(z.object({ recordId: z.string(), kind: z.enum(CREDIT_KINDS), creditedMinor: Minor, attributedMinor: Minor })),
    tier: z.object({ index: z.number().int(), label: z.string(), mode: z.enum(TIER_MODES), basis: z.enum(['flat', 'attainment', 'amount']) }).nullable(),
    rate: Decimal.nullable(),
    steps: z.array(z.object({ label: z.string(), expression: z.string(), value: z.string() })),
    text: z.string(),
    next: z.object({ tierIndex: z.number().int(), label: z.string(), rate: Decimal, remaining: Decimal }).nullable(),
  }),
  warnings: z.array(Issue),
  reason: z.string().optional(),
});

export const PayoutResultSchema = z.object({
  periodKey: z.string(),
  payees: z.array(
    z.object({
      payeeId: z.string(),
      currency: z.string(),
      segments: z.array(
        z.object({
          planId: z.string(), planVersion: z.number().int(), from: z.string(), to: z.string(), days: z.number().int(), factor: Decimal,
          quota: Decimal.nullable(), creditedMinor: Minor, attainment: Decimal.nullable(),
        }),
      ),
      quotaMinor: Minor.nullable(),
      creditedMinor: Minor,
      attainment: Decimal.nullable(),
      lines: z.array(Line),
      earningsMinor: Minor,
      drawBalanceInMinor: Minor,
      drawBalanceOutMinor: Minor,
      adjustmentsMinor: Minor,
      totalMinor: Minor,
    }),
  ),
  totals: z.array(z.object({ currency: z.string(), payees: z.number().int(), earningsMinor: Minor, totalMinor: Minor, revenueMinor: Minor })),
  issues: z.array(Issue),
});

// Every PayoutResult fits the schema, and the schema asks for nothing the type lacks
// (compile-time checks; `reason` is optional on both sides, zod just adds `| undefined`).
type Fits<A, B> = [A] extends [B] ? true : false;
export const PAYOUT_TYPE_FITS_SCHEMA: Fits<PayoutResult, z.infer<typeof PayoutResultSchema>> = true;
export const PAYOUT_SCHEMA_FITS_TYPE: Fits<Omit<z.infer<typeof PayoutResultSchema>, 'payees'>, Omit<PayoutResult, 'payees'>> = true;

/** The published JSON Schema of payout runs (docs/schemas/comp-payouts.schema.json). */
export function payoutResultJsonSchema(): unknown {
  return {
    ...z.toJSONSchema(PayoutResultSchema, { io: 'output', target: 'draft-2020-12' }),
    $id: 'https://attain.dev/schemas/comp-payouts.schema.json',
    title: 'Attain payout run',
    description: 'Per payee the lines of a period with their explanations, draw balances and totals; per currency the run totals. Formulas in docs/compensation.md.',
  };
}

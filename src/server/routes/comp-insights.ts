import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { earningsOf, listEarningsPayees, simulateWhatIf, type Visibility } from '../../store/repos/comp-insights.js';
import { quotaVisibility } from '../../store/repos/quotas.js';
import type { TenantScope } from '../../store/store.js';
import type { App, RouteDeps } from '../context.js';
import { AppError } from '../errors.js';
import { compCall } from './comp.js';
import { COMMON_ERRORS, Id, listOf } from '../schemas.js';

/** Whose pay the caller may see (null: all) — the statements' rule: own; a manager's team subtree; finance and admins all. */
async function visiblePayees(scope: TenantScope, request: FastifyRequest): Promise<Visibility> {
  const auth = request.auth;
  if (!auth) return [];
  const visible = await quotaVisibility(scope, { role: auth.role, userId: auth.userId });
  return visible.all ? null : [...visible.payeeIds];
}

const MoneyMinor = z.number().int().describe('Minor units (cents)');
const PlanKey = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'a plan id: lower-case letters, digits, _ and -');

const EarningsSchema = z
  .object({
    payee: z.object({ id: Id, name: z.string(), currency: z.string() }),
    period: z.object({ key: z.string(), start: z.string(), end: z.string().describe('Exclusive'), previous: z.string(), next: z.string() }),
    source: z.union([z.object({ kind: z.literal('run'), runId: Id, status: z.string() }), z.object({ kind: z.literal('live') })])
      .describe('Where earned-to-date comes from: the period’s payout run, or the engine on the stored data (nothing is saved)'),
    currency: z.string(),
    earnedMinor: MoneyMinor.describe('Earnings so far, before draws and adjustments'),
    quotaMinor: MoneyMinor.nullable(),
    creditedMinor: MoneyMinor,
    attainment: z.string().nullable().describe('Credited ÷ quota, 4 decimals'),
    plan: z.object({ planId: z.string(), version: z.number().int(), name: z.string() }).nullable(),
    progress: z.object({
      componentId: z.string(), label: z.string(), basis: z.enum(['flat', 'attainment', 'amount']), mode: z.string(), baseMinor: MoneyMinor,
      tiers: z.array(z.object({ index: z.number().int(), label: z.string(), rate: z.string(), fromMinor: MoneyMinor })),
      tierIndex: z.number().int(),
      next: z.object({ index: z.number().int(), label: z.string(), rate: z.string(), remainingMinor: MoneyMinor.describe('Credit still to book to reach it') }).nullable(),
    }).nullable().describe('The first tiered commission: tier bands, where the payee is, the next tier and how far away it is'),
    forecast: z.object({
      weightedTotalMinor: MoneyMinor, bestCaseTotalMinor: MoneyMinor, weightedIncrementMinor: MoneyMinor, bestCaseIncrementMinor: MoneyMinor, pipelineMinor: MoneyMinor,
      deals: z.array(z.object({
        recordId: z.string(), name: z.string(), stage: z.string().nullable(), probability: z.string(), closeDate: z.string(), amountMinor: MoneyMinor,
        payoutIfWonMinor: MoneyMinor, weightedPayoutMinor: MoneyMinor,
      })),
    }),
  })
  .meta({ id: 'CompEarnings' });

const SideSchema = z.object({
  label: z.string(), costMinor: MoneyMinor, costShareOfRevenue: z.string().nullable(),
  distribution: z.object({ payees: z.number().int(), minMinor: MoneyMinor, p25Minor: MoneyMinor, medianMinor: MoneyMinor, p75Minor: MoneyMinor, maxMinor: MoneyMinor }),
});
const WhatIfPayeeSchema = z.object({ payeeId: z.string(), name: z.string(), baselineMinor: MoneyMinor, scenarioMinor: MoneyMinor, deltaMinor: MoneyMinor, revenueMinor: MoneyMinor });
const WhatIfSchema = z
  .object({
    period: z.object({ key: z.string(), start: z.string(), end: z.string() }),
    currency: z.string(),
    baseline: SideSchema,
    scenario: SideSchema,
    revenueMinor: MoneyMinor,
    deltaMinor: MoneyMinor,
    histogram: z.array(z.object({ fromMinor: MoneyMinor, toMinor: MoneyMinor, baseline: z.number().int(), scenario: z.number().int() })),
    payees: z.array(WhatIfPayeeSchema),
    winners: z.array(WhatIfPayeeSchema),
    losers: z.array(WhatIfPayeeSchema),
    periods: z.array(z.object({
      key: z.string(), assignments: z.enum(['actual', 'projected']), payees: z.number().int(), revenueMinor: MoneyMinor, baselineCostMinor: MoneyMinor, scenarioCostMinor: MoneyMinor,
    })),
    warnings: z.array(z.object({ code: z.string(), path: z.string(), message: z.string() })),
  })
  .meta({ id: 'CompWhatIf' });

const WhatIfBody = z.object({
  period: z.string().trim().min(1).max(40).describe('A month (2025-07), a quarter (2025-Q3) or a fiscal year (FY2025)'),
  planId: PlanKey.describe('The plan modelled: its payees are the population'),
  baselineVersion: z.number().int().min(1).nullable().optional().describe('A stored version as the baseline; absent: the versions as assigned'),
  candidate: z.object({
    version: z.number().int().min(1).nullable().optional().describe('A stored version of the plan'),
    document: z.record(z.string(), z.unknown()).nullable().optional().describe('A draft plan document (docs/schemas/comp-plan.schema.json)'),
  }).optional().describe('Neither: the baseline plan with the quota change only'),
  quotaMultiplier: z.string().max(20).nullable().optional().describe('Every quota × this decimal, e.g. "1.1"'),
  quotaOverrides: z.array(z.object({ payeeId: Id, quotaMinor: z.number().int().min(0) })).max(10_000).optional().describe('Per payee: the quota of each simulated period'),
  cadence: z.enum(['month', 'quarter']).optional().describe('A year is simulated by months (default: the runs’ cadence) or quarters'),
  top: z.number().int().min(1).max(50).optional().describe('Winners and losers: how many (default 5)'),
});

/** "My earnings" (with forecasted payout) and what-if simulation on stored data. */
export function registerCompInsightRoutes(app: App, { store }: RouteDeps): void {
  const tags = ['compensation'];

  app.get(
    '/api/comp/earnings/payees',
    {
      config: { access: 'comp:statements' },
      schema: {
        tags, summary: 'Payees whose earnings the caller may see: their own (managers: and their teams’; finance: all)',
        response: { 200: listOf(z.object({ id: Id, name: z.string(), currency: z.string(), isSelf: z.boolean() })), ...COMMON_ERRORS },
      },
    },
    async (request) =>
      compCall(store, request, async (scope) => ({ items: await listEarningsPayees(scope, await visiblePayees(scope, request), request.auth?.userId ?? null) })),
  );

  app.get(
    '/api/comp/earnings',
    {
      config: { access: 'comp:statements' },
      schema: {
        tags,
        summary: 'My earnings: earned to date, attainment, the next tier and the forecasted payout of the open pipeline (stage-weighted and best case, per deal)',
        description: 'Pay is private, as statements: another payee’s earnings answer 404 unless the caller manages them or is finance. Nothing is saved.',
        querystring: z.object({
          payeeId: Id.optional().describe('Default: the caller’s own payee'),
          period: z.string().trim().min(1).max(40).optional().describe('A month or quarter; default: the current run’s period'),
        }),
        response: { 200: EarningsSchema, ...COMMON_ERRORS },
      },
    },
    async (request) =>
      compCall(store, request, async (scope) => {
        const visible = await visiblePayees(scope, request);
        let payeeId = request.query.payeeId;
        if (!payeeId) {
          const userId = request.auth?.userId ?? null;
          const [own] = userId ? await scope.tx.query<{ id: string }>('SELECT id FROM payees WHERE tenant_id = $1 AND user_id = $2 ORDER BY id', [scope.tenantId, userId]) : [];
          if (!own) throw new AppError('not_found', 'No payee is linked to you: choose one');
          payeeId = own.id;
        }
        // Someone else's pay is "not found": nothing says it exists.
        if (visible !== null && !visible.includes(payeeId)) throw new AppError('not_found', 'Earnings not found');
        return earningsOf(scope, { payeeId, period: request.query.period, today: new Date().toISOString().slice(0, 10) });
      }),
  );

  app.post(
    '/api/comp/what-if',
    {
      config: { access: 'comp:manage' },
      schema: {
        tags,
        summary: 'Simulate a draft plan, another version or changed quotas on a past period or a whole year, side by side with the plan as assigned',
        description: 'Reads only: no run and no line is written (the transaction is read-only). Invalid documents answer 400 with the document path.',
        body: WhatIfBody,
        response: { 200: WhatIfSchema, ...COMMON_ERRORS },
      },
    },
    async (request) =>
      compCall(store, request, async (scope) => {
        await scope.tx.query('SET TRANSACTION READ ONLY');
        const body = request.body;
        return simulateWhatIf(scope, {
          period: body.period, planId: body.planId, baselineVersion: body.baselineVersion ?? null,
          ...(body.candidate ? { candidate: { version: body.candidate.version ?? null, ...(body.candidate.document ? { document: body.candidate.document } : {}) } } : {}),
          quotaMultiplier: body.quotaMultiplier ?? null, quotaOverrides: body.quotaOverrides ?? [], cadence: body.cadence, top: body.top,
        });
      }),
  );
}

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { hasPermission } from '../../core/roles.js';
import { CALL_PERIOD_PATTERN, MAX_CALL_NOTE_LENGTH } from '../../core/forecast/index.js';
import {
  bookingsForecastFor, forecastAccuracyFor, listForecastCalls, payeeForCall, pipelineForecastFor, recommendQuotasFor, submitForecastCall, takeForecastSnapshot,
} from '../../store/repos/forecasts.js';
import { quotaVisibility, type QuotaVisibility } from '../../store/repos/quotas.js';
import type { TenantScope } from '../../store/store.js';
import { inCallerTenant, type App, type AuthContext, type RouteDeps } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { CalendarDate, COMMON_ERRORS, Id } from '../schemas.js';
import { unwrap } from './territories.js';

/** The shell's clock: the server passes today into the store and core (a query may set another day). */
const todayUtc = (): string => new Date().toISOString().slice(0, 10);
const Today = CalendarDate.optional().describe('The day to forecast from (default: today, UTC)');
const GroupBy = z.enum(['owner', 'team', 'territory', 'company']);
const PeriodKind = z.enum(['month', 'quarter']);
const StageRate = z.object({ stage: z.string(), closed: z.number(), wins: z.number(), observedRate: z.number().nullable(), priorRate: z.number(), winRate: z.number(), isThin: z.boolean(), hasDefault: z.boolean() });
const CallSchema = z.object({
  id: z.string(), payeeId: z.string(), payeeName: z.string(), teamId: z.string().nullable(), period: z.string(), commitMinor: z.number(), bestCaseMinor: z.number(), note: z.string(),
  submittedBy: z.string().nullable(), submittedByName: z.string().nullable(), submittedAt: z.string(), isLatest: z.boolean(),
}).meta({ id: 'ForecastCall' });
const Amount = z.number().int('a whole amount in minor units').min(0, 'not negative').max(Number.MAX_SAFE_INTEGER);

/** Who the caller may submit calls for: everyone (admin, finance), their team subtree and themselves (manager), themselves (others). */
async function callVisibility(scope: TenantScope, auth: AuthContext): Promise<QuotaVisibility> {
  return quotaVisibility(scope, { role: auth.role, userId: auth.userId });
}

const Stats = z.object({
  points: z.number(), zeroActualPoints: z.number(), forecastTotalMinor: z.number(), actualTotalMinor: z.number(), maeMinor: z.number().nullable(),
  mape: z.number().nullable(), wape: z.number().nullable(), bias: z.number().nullable(), accuracy: z.number().nullable(),
});

export function registerForecastRoutes(app: App, { store }: RouteDeps): void {
  const tags = ['forecasts'];

  app.get(
    '/api/forecasts/pipeline',
    {
      config: { access: 'forecasts:read' },
      schema: {
        tags,
        summary: 'Pipeline forecast: closed won + open deals weighted by stage win rates learned from the workspace\'s won/lost history, per group and period',
        querystring: z.object({ groupBy: GroupBy.default('team'), periodKind: PeriodKind.default('quarter'), periods: z.coerce.number().int().min(1).max(12).default(4), today: Today }),
        response: {
          200: z.object({
            from: z.string(), to: z.string(), undatedDeals: z.number(), winRates: z.array(StageRate),
            rows: z.array(z.object({
              groupKey: z.string(), period: z.string(), openDeals: z.number(), pipelineMinor: z.number(), weightedMinor: z.number(), closedWonMinor: z.number(), expectedMinor: z.number(),
              commitMinor: z.number(), bestCaseMinor: z.number(), blendedMinor: z.number(), call: z.object({ commitMinor: z.number(), bestCaseMinor: z.number() }).nullable(),
              omittedMinor: z.number(), unknownStageDeals: z.number(),
            })),
            labels: z.array(z.object({ groupKey: z.string(), name: z.string(), teamId: z.string().nullable() })),
          }).meta({ id: 'PipelineForecast' }),
          ...COMMON_ERRORS,
        },
      },
    },
    (request) => inCallerTenant(store, request, (scope) => pipelineForecastFor(scope, { ...request.query, today: request.query.today ?? todayUtc() })),
  );

  app.get(
    '/api/forecasts/calls',
    {
      config: { access: 'forecasts:read' },
      schema: {
        tags,
        summary: 'Reps\' commit / best-case calls, newest first (the latest per payee and period counts; earlier ones are history), and the payees the caller may call for',
        querystring: z.object({ payeeId: Id.optional(), teamId: Id.optional(), period: z.string().regex(CALL_PERIOD_PATTERN, 'a quarter such as 2026-Q1 or a month such as 2026-03').optional() }),
        response: {
          200: z.object({ items: z.array(CallSchema), mayCallFor: z.array(z.object({ payeeId: z.string(), name: z.string(), teamId: z.string().nullable() })) }),
          ...COMMON_ERRORS,
        },
      },
    },
    (request) => inCallerTenant(store, request, async (scope) => {
      const auth = request.auth;
      if (!auth) throw new Error('no caller');
      const items = await listForecastCalls(scope, request.query);
      const v = await callVisibility(scope, auth);
      const payees = await scope.tx.query<{ id: string; name: string; team_id: string | null }>(
        `SELECT id, display_name AS name, team_id FROM payees WHERE tenant_id = $1 AND kind = 'employee' AND ($2::boolean OR id = ANY($3::uuid[])) ORDER BY display_name`,
        [scope.tenantId, v.all, v.all ? [] : v.payeeIds],
      );
      return { items, mayCallFor: payees.map((p) => ({ payeeId: p.id, name: p.name, teamId: p.team_id })) };
    }),
  );

  app.post(
    '/api/forecasts/calls',
    {
      config: { access: 'forecasts:read' },
      schema: {
        tags,
        summary: 'Submit a commit / best-case call for a payee and period (a rep for themselves, a manager for their team, finance and admins for anyone); audited, earlier calls are kept',
        body: z.object({
          payeeId: Id, period: z.string().describe('A fiscal quarter (2026-Q1) or a month (2026-03)'),
          commitMinor: Amount, bestCaseMinor: Amount, note: z.string().trim().max(MAX_CALL_NOTE_LENGTH).default(''),
        }),
        response: { 201: CallSchema, ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const saved = await inCallerTenant(store, request, async (scope) => {
        const auth = request.auth;
        if (!auth) throw new Error('no caller');
        // Unknown first (404, never saying whose), then may-call (403).
        const payee = await payeeForCall(scope, request.body.payeeId);
        if (!payee) throw notFound('Payee');
        const v = await callVisibility(scope, auth);
        if (!v.all && !v.payeeIds.includes(payee.id)) throw new AppError('forbidden', 'You may submit a call only for yourself or, as a manager, for your team');
        return unwrap(await submitForecastCall(scope, { id: randomUUID(), ...request.body })).value;
      });
      return reply.status(201).send(saved);
    },
  );

  app.get(
    '/api/forecasts/bookings',
    {
      config: { access: 'forecasts:read' },
      schema: {
        tags,
        summary: 'Time-series forecast of won bookings per team or territory (ETS with intervals, honest fallback for short histories) and the quota line where a quota version exists and the caller may see it',
        querystring: z.object({
          groupBy: z.enum(['team', 'territory', 'company']).default('team'), periodKind: PeriodKind.default('quarter'),
          horizon: z.coerce.number().int().min(1).max(24).default(4), historyYears: z.coerce.number().int().min(1).max(10).default(3), today: Today,
        }),
        response: {
          200: z.object({
            from: z.string(), to: z.string(),
            groups: z.array(z.object({
              groupKey: z.string(), method: z.string(), modelName: z.string(), isFallback: z.boolean(), flags: z.array(z.string()),
              history: z.array(z.object({ period: z.string(), actualMinor: z.number(), fittedMinor: z.number().nullable() })),
              forecast: z.array(z.object({ period: z.string(), meanMinor: z.number(), intervals: z.array(z.object({ level: z.number(), lowerMinor: z.number(), upperMinor: z.number() })) })),
              quota: z.array(z.object({ period: z.string(), quotaMinor: z.number() })),
            })),
          }).meta({ id: 'BookingsForecast' }),
          ...COMMON_ERRORS,
        },
      },
    },
    (request) => inCallerTenant(store, request, async (scope) => {
      const auth = request.auth;
      const visibility = auth && hasPermission(auth.role, 'quotas:read') ? await quotaVisibility(scope, { role: auth.role, userId: auth.userId }) : null;
      return bookingsForecastFor(scope, { ...request.query, today: request.query.today ?? todayUtc(), quotaVisibility: visibility });
    }),
  );

  app.post(
    '/api/forecasts/snapshots',
    {
      config: { access: 'forecasts:manage' },
      schema: {
        tags,
        summary: 'Keep the current pipeline forecast (per group and period) so its accuracy can be measured once the periods are over',
        body: z.object({ groupBy: GroupBy.default('team'), periodKind: PeriodKind.default('quarter'), periods: z.number().int().min(1).max(12).default(4), takenOn: CalendarDate.optional() }),
        response: { 201: z.object({ id: z.string(), takenOn: z.string(), groupBy: GroupBy, periodKind: PeriodKind, rows: z.number() }), ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const result = await inCallerTenant(store, request, (scope) => takeForecastSnapshot(scope, { id: randomUUID(), ...request.body, takenOn: request.body.takenOn ?? todayUtc() }));
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/api/forecasts/accuracy',
    {
      config: { access: 'forecasts:read' },
      schema: {
        tags,
        summary: 'Forecast accuracy over the kept snapshots vs won bookings of completed periods: MAPE, WAPE, bias and accuracy (1 − WAPE) per group, per period and overall',
        querystring: z.object({ groupBy: GroupBy.default('team'), periodKind: PeriodKind.default('quarter'), leadDays: z.coerce.number().int().min(0).max(366).default(0), today: Today }),
        response: {
          200: z.object({
            snapshots: z.number(), pending: z.number(), overall: Stats,
            byGroup: z.array(z.object({ groupKey: z.string(), stats: Stats })), byPeriod: z.array(z.object({ period: z.string(), stats: Stats })),
          }).meta({ id: 'ForecastAccuracy' }),
          ...COMMON_ERRORS,
        },
      },
    },
    (request) => inCallerTenant(store, request, (scope) => forecastAccuracyFor(scope, { ...request.query, today: request.query.today ?? todayUtc() })),
  );

  app.get(
    '/api/forecasts/quota-recommendation',
    {
      config: { access: 'quotas:read' },
      schema: {
        tags,
        summary: 'Recommended quota per team or rep for a fiscal year: the bookings forecast × (1 + stretch), with the gap to the quota in force (narrowed like quotas)',
        querystring: z.object({
          fiscalYear: z.coerce.number().int().min(1900).max(9999), groupBy: z.enum(['team', 'owner']).default('team'),
          stretch: z.string().regex(/^-?\d+(\.\d{1,6})?$/, 'a decimal such as 0.1').default('0.1'), today: Today,
        }),
        response: {
          200: z.object({
            fiscalYear: z.number(), stretchRate: z.string(),
            items: z.array(z.object({
              id: z.string(), forecastMinor: z.number(), stretchRate: z.string(), recommendedMinor: z.number(), quotaMinor: z.number().nullable(),
              gapMinor: z.number().nullable(), gapRate: z.string().nullable(), method: z.string(), isFallback: z.boolean(),
            })),
          }).meta({ id: 'QuotaRecommendation' }),
          ...COMMON_ERRORS,
        },
      },
    },
    async (request) => {
      const result = await inCallerTenant(store, request, async (scope) => {
        const auth = request.auth;
        if (!auth) throw new Error('no caller');
        const visibility = await quotaVisibility(scope, { role: auth.role, userId: auth.userId });
        return recommendQuotasFor(scope, { groupBy: request.query.groupBy, fiscalYear: request.query.fiscalYear, stretchRate: request.query.stretch, today: request.query.today ?? todayUtc(), visibility });
      });
      return unwrap(result).value;
    },
  );
}

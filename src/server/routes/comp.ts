import { randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formatMoney } from '../../core/comp/index.js';
import { hasPermission } from '../../core/roles.js';
import {
  CompError, createAssignment, createPlanVersion, endAssignment, getPlanVersion, listAssignments, listPlanVersions, replacePlanVersion,
  type CompAssignment, type PlanVersion,
} from '../../store/repos/comp-plans.js';
import {
  calculateRun, createRun, deleteRun, getDispute, getRun, listDisputes, listLines, listRuns, raiseDispute, resolveDispute, runPayees, transitionRun,
  type Dispute, type PayoutRun,
} from '../../store/repos/payout-runs.js';
import { quotaVisibility } from '../../store/repos/quotas.js';
import { getTenant } from '../../store/repos/tenants.js';
import type { TenantScope } from '../../store/store.js';
import { inCallerTenant, type App, type RouteDeps } from '../context.js';
import { AppError } from '../errors.js';
import { renderStatementPdf } from '../pdf/statement-pdf.js';
import { CalendarDate, COMMON_ERRORS, Id, listOf, NoContent } from '../schemas.js';

/** Maps the repositories' refusals to the API's error shape. */
function compAppError(error: CompError): AppError {
  const f = error.failure;
  switch (f.kind) {
    case 'not_found':
      return new AppError('not_found', `${f.what} not found`);
    case 'invalid':
      return new AppError('validation_failed', `${f.issues[0]?.path ?? 'body'}: ${f.issues[0]?.message ?? 'invalid'}${f.issues.length > 1 ? ` (and ${f.issues.length - 1} more)` : ''}`,
        f.issues.map((i) => ({ path: i.path.startsWith('body') || i.path.startsWith('query') ? i.path : `body.${i.path}`.replace(/\.$/, ''), ...(i.code ? { code: i.code } : {}), message: i.message })));
    case 'conflict':
      return new AppError('conflict', f.message, { reason: f.reason });
    case 'forbidden':
      return new AppError('forbidden', f.message);
    default:
      return new AppError('internal', 'unexpected failure');
  }
}

/** Runs fn in the caller's tenant; the repositories' refusals become the API's errors (also the insights routes'). */
export async function compCall<T>(store: RouteDeps['store'], request: FastifyRequest, fn: (scope: TenantScope) => Promise<T>): Promise<T> {
  try {
    return await inCallerTenant(store, request, fn);
  } catch (error) {
    if (error instanceof CompError) throw compAppError(error);
    throw error;
  }
}

// --- schemas ----------------------------------------------------------------------------------

const PlanKey = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'a plan id: lower-case letters, digits, _ and -');
const MoneyMinor = z.number().int().describe('Minor units (cents)');

const PlanVersionSchema = z
  .object({
    planId: z.string(), version: z.number().int(), name: z.string(), currency: z.string(), effectiveFrom: z.string(), effectiveTo: z.string().nullable(),
    paidOut: z.boolean().describe('A locked payout run paid from it: it never changes'),
    document: z.record(z.string(), z.unknown()).describe('The plan document (docs/schemas/comp-plan.schema.json)'),
    createdAt: z.string(), createdBy: z.string().nullable(),
  })
  .meta({ id: 'CompPlanVersion' });
const toPlanBody = (v: PlanVersion) => ({ ...v, document: v.document as unknown as Record<string, unknown> });

const AssignmentSchema = z
  .object({ id: Id, payeeId: Id, payeeName: z.string(), planId: z.string(), planVersion: z.number().int(), from: z.string(), to: z.string().nullable().describe('Exclusive') })
  .meta({ id: 'CompAssignment' });
const toAssignmentBody = (a: CompAssignment) => a;

const IssueSchema = z.object({ code: z.string(), severity: z.string().optional(), path: z.string(), message: z.string() });
const TotalSchema = z.object({ currency: z.string(), payees: z.number().int(), earningsMinor: MoneyMinor, totalMinor: MoneyMinor, revenueMinor: MoneyMinor });
const RunSchema = z
  .object({
    id: Id, periodKey: z.string(), periodStart: z.string(), periodEnd: z.string().describe('Exclusive'),
    status: z.enum(['draft', 'calculated', 'approved', 'locked', 'paid']), inputHash: z.string().nullable(),
    totals: z.array(TotalSchema), issues: z.array(IssueSchema),
    calculatedAt: z.string().nullable(), approvedAt: z.string().nullable(), lockedAt: z.string().nullable(), paidAt: z.string().nullable(), createdAt: z.string(),
  })
  .meta({ id: 'PayoutRun' });
const toRunBody = (r: PayoutRun) => ({ ...r, issues: r.issues.map((i) => ({ ...i })) });

const PayeeSummarySchema = z.object({
  payeeId: Id, payeeName: z.string(), externalRef: z.string().nullable(), currency: z.string(), quotaMinor: MoneyMinor.nullable(), creditedMinor: MoneyMinor,
  attainment: z.string().nullable().describe('Credited ÷ prorated quota, 4 decimals'), earningsMinor: MoneyMinor, drawBalanceInMinor: MoneyMinor, drawBalanceOutMinor: MoneyMinor,
  adjustmentsMinor: MoneyMinor, totalMinor: MoneyMinor, lineCount: z.number().int(),
});
const LineSchema = z
  .object({
    runId: Id, lineNo: z.number().int(), lineId: z.string(), payeeId: Id, kind: z.string(), componentId: z.string().nullable(), label: z.string(),
    planId: z.string().nullable(), planVersion: z.number().int().nullable(), amountMinor: MoneyMinor, currency: z.string(),
    explanation: z.object({
      credits: z.array(z.object({ recordId: z.string(), kind: z.string(), creditedMinor: MoneyMinor, attributedMinor: MoneyMinor })),
      tier: z.object({ index: z.number().int(), label: z.string(), mode: z.string(), basis: z.string() }).nullable(),
      rate: z.string().nullable(),
      steps: z.array(z.object({ label: z.string(), expression: z.string(), value: z.string() })),
      text: z.string(),
      next: z.object({ tierIndex: z.number().int(), label: z.string(), rate: z.string(), remaining: z.string() }).nullable(),
    }).describe('Which credits (down to the records), which tier and rate, the arithmetic, in one sentence too'),
    warnings: z.array(IssueSchema), reason: z.string().optional(),
  })
  .meta({ id: 'PayoutLine' });

const StatementSchema = z
  .object({
    run: RunSchema, payee: PayeeSummarySchema, lines: z.array(LineSchema), disputes: z.array(z.lazy(() => DisputeSchema)),
    canDispute: z.boolean().describe('The statement is the caller’s own: they may dispute its lines'),
  })
  .meta({ id: 'PayoutStatement' });
const DisputeSchema = z
  .object({
    id: Id, runId: Id, periodKey: z.string(), lineNo: z.number().int(), lineLabel: z.string(), amountMinor: MoneyMinor, currency: z.string(),
    payeeId: Id, payeeName: z.string(), reason: z.string(), status: z.enum(['open', 'accepted', 'rejected']), resolution: z.string().nullable(),
    adjustmentId: Id.nullable(), raisedBy: z.string().nullable(), resolvedBy: z.string().nullable(), createdAt: z.string(), resolvedAt: z.string().nullable(),
  })
  .meta({ id: 'PayoutDispute' });

const StatementListItem = z.object({ runId: Id, periodKey: z.string(), status: z.string(), payeeId: Id, payeeName: z.string(), currency: z.string(), totalMinor: MoneyMinor, attainment: z.string().nullable() });

// --- who may see whose pay -------------------------------------------------------------------------

/**
 * The payees whose statements the caller may read (null: all) — the same rule as quotas:
 * finance and admins all; a manager their own and their team subtree's; anyone else their own.
 * Pay is never shown to another rep.
 */
async function visiblePayeeIds(scope: TenantScope, request: FastifyRequest): Promise<string[] | null> {
  const auth = request.auth;
  if (!auth) return [];
  const visible = await quotaVisibility(scope, { role: auth.role, userId: auth.userId });
  return visible.all ? null : [...visible.payeeIds];
}

/** Runs a payee may see: calculated and later (a draft has no numbers yet). */
const SHOWN_TO_PAYEES = new Set(['calculated', 'approved', 'locked', 'paid']);

const csv = (rows: unknown[][]): string => stringify(rows);

export function registerCompRoutes(app: App, { store, hub, compRecalc }: RouteDeps): void {
  /** Plans and assignments feed open runs: they recalculate by themselves. */
  const inputsChanged = (request: FastifyRequest) => {
    if (request.auth) compRecalc.schedule(request.auth.tenantId);
  };
  const tags = ['compensation'];
  const planParams = z.object({ planId: PlanKey });
  const versionParams = z.object({ planId: PlanKey, version: z.coerce.number().int().min(1) });
  const runParams = z.object({ runId: Id });

  // --- plans -------------------------------------------------------------------------------------
  app.get(
    '/api/comp/plans',
    { config: { access: 'comp:manage' }, schema: { tags, summary: 'Comp plan versions, by plan and version', response: { 200: listOf(PlanVersionSchema), ...COMMON_ERRORS } } },
    async (request) => ({ items: (await compCall(store, request, (scope) => listPlanVersions(scope))).map(toPlanBody) }),
  );
  app.get(
    '/api/comp/plans/:planId',
    { config: { access: 'comp:manage' }, schema: { tags, summary: 'The versions of one plan', params: planParams, response: { 200: listOf(PlanVersionSchema), ...COMMON_ERRORS } } },
    async (request) => {
      const items = await compCall(store, request, (scope) => listPlanVersions(scope, request.params.planId));
      if (items.length === 0) throw new AppError('not_found', 'Plan not found');
      return { items: items.map(toPlanBody) };
    },
  );
  app.post(
    '/api/comp/plans',
    {
      config: { access: 'comp:manage' },
      schema: {
        tags,
        summary: 'Add a plan version: a new plan, or the next version of one (409 when the version exists)',
        description: 'The body is a plan document (docs/schemas/comp-plan.schema.json, examples in examples/plans/). Validation errors name the document path.',
        body: z.record(z.string(), z.unknown()),
        response: { 201: PlanVersionSchema, ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const created = await compCall(store, request, (scope) => createPlanVersion(scope, request.body));
      inputsChanged(request);
      return reply.status(201).send(toPlanBody(created));
    },
  );
  app.get(
    '/api/comp/plans/:planId/versions/:version',
    { config: { access: 'comp:manage' }, schema: { tags, summary: 'One plan version', params: versionParams, response: { 200: PlanVersionSchema, ...COMMON_ERRORS } } },
    async (request) => {
      const version = await compCall(store, request, (scope) => getPlanVersion(scope, request.params.planId, request.params.version));
      if (!version) throw new AppError('not_found', 'Plan version not found');
      return toPlanBody(version);
    },
  );
  app.put(
    '/api/comp/plans/:planId/versions/:version',
    {
      config: { access: 'comp:manage' },
      schema: {
        tags, summary: 'Correct a plan version that has not paid out (409 reason paid_out otherwise: add a version instead)',
        params: versionParams, body: z.record(z.string(), z.unknown()), response: { 200: PlanVersionSchema, ...COMMON_ERRORS },
      },
    },
    async (request) => {
      const replaced = await compCall(store, request, (scope) => replacePlanVersion(scope, request.params.planId, request.params.version, request.body));
      inputsChanged(request);
      return toPlanBody(replaced);
    },
  );

  // --- assignments ---------------------------------------------------------------------------------
  app.get(
    '/api/comp/assignments',
    {
      config: { access: 'comp:manage' },
      schema: { tags, summary: 'Assignments of payees to plan versions', querystring: z.object({ payeeId: Id.optional() }), response: { 200: listOf(AssignmentSchema), ...COMMON_ERRORS } },
    },
    async (request) => ({
      items: (await compCall(store, request, (scope) => listAssignments(scope, request.query.payeeId ? { payeeIds: [request.query.payeeId] } : {}))).map(toAssignmentBody),
    }),
  );
  app.post(
    '/api/comp/assignments',
    {
      config: { access: 'comp:manage' },
      schema: {
        tags, summary: 'Assign a payee to a plan version for a date range (one plan at a time: 409 on overlap)',
        body: z.object({ payeeId: Id, planId: PlanKey, planVersion: z.number().int().min(1), from: CalendarDate, to: CalendarDate.nullable().optional().describe('Exclusive; absent = open-ended') }),
        response: { 201: AssignmentSchema, ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const created = await compCall(store, request, (scope) => createAssignment(scope, randomUUID(), request.body));
      inputsChanged(request);
      return reply.status(201).send(toAssignmentBody(created));
    },
  );
  app.patch(
    '/api/comp/assignments/:compAssignmentId',
    {
      config: { access: 'comp:manage' },
      schema: {
        tags, summary: 'End an assignment (a payee leaves the plan or changes plans); never before what locked runs paid',
        params: z.object({ compAssignmentId: Id }), body: z.object({ to: CalendarDate.describe('Exclusive: the first day not on the plan') }),
        response: { 200: AssignmentSchema, ...COMMON_ERRORS },
      },
    },
    async (request) => {
      const ended = await compCall(store, request, (scope) => endAssignment(scope, request.params.compAssignmentId, request.body.to));
      if (!ended) throw new AppError('not_found', 'Assignment not found');
      inputsChanged(request);
      return ended;
    },
  );
  app.delete(
    '/api/comp/assignments/:compAssignmentId',
    { config: { access: 'comp:manage' }, schema: { tags, summary: 'Delete an assignment no locked run paid from', params: z.object({ compAssignmentId: Id }), response: { 204: NoContent, ...COMMON_ERRORS } } },
    async (request, reply) => {
      await compCall(store, request, (scope) => endAssignment(scope, request.params.compAssignmentId, null));
      inputsChanged(request);
      return reply.status(204).send(null);
    },
  );

  // --- runs ----------------------------------------------------------------------------------------
  app.get(
    '/api/comp/runs',
    { config: { access: 'comp:manage' }, schema: { tags, summary: 'Payout runs, newest period first', response: { 200: listOf(RunSchema), ...COMMON_ERRORS } } },
    async (request) => ({ items: (await compCall(store, request, listRuns)).map(toRunBody) }),
  );
  app.post(
    '/api/comp/runs',
    {
      config: { access: 'comp:manage' },
      schema: { tags, summary: 'Open the payout run of a month or quarter (one per period)', body: z.object({ period: z.string().trim().min(1).max(40) }), response: { 201: RunSchema, ...COMMON_ERRORS } },
    },
    async (request, reply) => reply.status(201).send(toRunBody(await compCall(store, request, (scope) => createRun(scope, randomUUID(), request.body.period)))),
  );
  app.get(
    '/api/comp/runs/:runId',
    {
      config: { access: 'comp:manage' },
      schema: { tags, summary: 'A payout run with every payee’s totals', params: runParams, response: { 200: z.object({ run: RunSchema, payees: z.array(PayeeSummarySchema) }), ...COMMON_ERRORS } },
    },
    async (request) =>
      compCall(store, request, async (scope) => {
        const run = await getRun(scope, request.params.runId);
        if (!run) throw new AppError('not_found', 'Payout run not found');
        return { run: toRunBody(run), payees: await runPayees(scope, run.id) };
      }),
  );
  app.post(
    '/api/comp/runs/:runId/calculate',
    {
      config: { access: 'comp:manage' },
      schema: {
        tags, summary: 'Calculate (or recalculate) an open run from the store’s current data; unchanged inputs give identical lines',
        params: runParams, response: { 200: z.object({ run: RunSchema, changed: z.boolean() }), ...COMMON_ERRORS },
      },
    },
    async (request) => {
      const result = await compCall(store, request, (scope) => calculateRun(scope, request.params.runId));
      return { run: toRunBody(result.run), changed: result.changed };
    },
  );
  for (const action of ['approve', 'reopen', 'lock', 'pay'] as const) {
    app.post(
      `/api/comp/runs/:runId/${action}`,
      {
        config: { access: 'comp:manage' },
        schema: {
          tags,
          summary: {
            approve: 'Approve a calculated run', reopen: 'Send an approved run back to calculated', lock: 'Lock an approved run: it never changes again', pay: 'Mark a locked run as paid',
          }[action],
          params: runParams, response: { 200: RunSchema, ...COMMON_ERRORS },
        },
      },
      async (request) => toRunBody(await compCall(store, request, (scope) => transitionRun(scope, request.params.runId, action))),
    );
  }
  app.delete(
    '/api/comp/runs/:runId',
    { config: { access: 'comp:manage' }, schema: { tags, summary: 'Delete an open run (a locked run stays)', params: runParams, response: { 204: NoContent, ...COMMON_ERRORS } } },
    async (request, reply) => {
      await compCall(store, request, (scope) => deleteRun(scope, request.params.runId));
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/comp/runs/:runId/lines',
    {
      config: { access: 'comp:manage' },
      schema: { tags, summary: 'A run’s payout lines with their explanations', params: runParams, querystring: z.object({ payeeId: Id.optional() }), response: { 200: listOf(LineSchema), ...COMMON_ERRORS } },
    },
    async (request) =>
      compCall(store, request, async (scope) => {
        if (!(await getRun(scope, request.params.runId))) throw new AppError('not_found', 'Payout run not found');
        return { items: await listLines(scope, request.params.runId, request.query.payeeId ? [request.query.payeeId] : undefined) };
      }),
  );
  app.get(
    '/api/comp/runs/:runId/payroll.csv',
    { config: { access: 'comp:manage' }, schema: { tags, summary: 'Payroll export of a run: one row per payee (CSV)', params: runParams, response: { 200: z.string().describe('text/csv'), ...COMMON_ERRORS } } },
    async (request, reply) => {
      const { run, payees } = await compCall(store, request, async (scope) => {
        const found = await getRun(scope, request.params.runId);
        if (!found) throw new AppError('not_found', 'Payout run not found');
        return { run: found, payees: await runPayees(scope, found.id) };
      });
      const rows = [
        ['period', 'run_status', 'payee_id', 'external_ref', 'payee', 'currency', 'earnings', 'draw_top_up_or_recovery', 'adjustments', 'total', 'total_minor'],
        ...payees.map((p) => [run.periodKey, run.status, p.payeeId, p.externalRef ?? '', p.payeeName, p.currency, formatMoney(p.earningsMinor, p.currency), formatMoney(p.totalMinor - p.earningsMinor - p.adjustmentsMinor, p.currency), formatMoney(p.adjustmentsMinor, p.currency), formatMoney(p.totalMinor, p.currency), String(p.totalMinor)]),
      ];
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="payroll-${run.periodKey}.csv"`).send(csv(rows));
    },
  );

  // --- statements (the payee's view) ------------------------------------------------------------
  app.get(
    '/api/comp/statements',
    {
      config: { access: 'comp:statements' },
      schema: { tags, summary: 'Statements the caller may read: their own (managers: and their teams’; finance: all)', response: { 200: listOf(StatementListItem), ...COMMON_ERRORS } },
    },
    async (request) =>
      compCall(store, request, async (scope) => {
        const visible = await visiblePayeeIds(scope, request);
        const runs = (await listRuns(scope)).filter((r) => SHOWN_TO_PAYEES.has(r.status));
        const items = [];
        for (const run of runs) {
          for (const p of await runPayees(scope, run.id, visible ?? undefined)) {
            items.push({ runId: run.id, periodKey: run.periodKey, status: run.status, payeeId: p.payeeId, payeeName: p.payeeName, currency: p.currency, totalMinor: p.totalMinor, attainment: p.attainment });
          }
        }
        return { items };
      }),
  );

  const loadStatement = (request: FastifyRequest, params: { runId: string; payeeId: string }) =>
    compCall(store, request, async (scope) => {
      const visible = await visiblePayeeIds(scope, request);
      const run = await getRun(scope, params.runId);
      // Someone else's pay, or a run not shown yet, is "not found": nothing says it exists.
      if (!run || (visible !== null && (!visible.includes(params.payeeId) || !SHOWN_TO_PAYEES.has(run.status)))) throw new AppError('not_found', 'Statement not found');
      const [payee] = await runPayees(scope, run.id, [params.payeeId]);
      if (!payee) throw new AppError('not_found', 'Statement not found');
      const [owner] = await scope.tx.query<{ user_id: string | null }>('SELECT user_id FROM payees WHERE tenant_id = $1 AND id = $2', [scope.tenantId, payee.payeeId]);
      const mine = owner?.user_id !== null && owner?.user_id !== undefined && owner.user_id === request.auth?.userId;
      return { run, payee, mine, lines: await listLines(scope, run.id, [payee.payeeId]), disputes: await listDisputes(scope, { payeeIds: [payee.payeeId] }) };
    });
  const statementParams = z.object({ runId: Id, payeeId: Id });
  app.get(
    '/api/comp/statements/:runId/:payeeId',
    {
      config: { access: 'comp:statements' },
      schema: { tags, summary: 'A payee’s statement for a run: totals, attainment, every line with its explanation, disputes', params: statementParams, response: { 200: StatementSchema, ...COMMON_ERRORS } },
    },
    async (request) => {
      const s = await loadStatement(request, request.params);
      return { run: toRunBody(s.run), payee: s.payee, lines: s.lines, disputes: s.disputes.filter((d) => d.runId === s.run.id), canDispute: s.mine };
    },
  );
  app.get(
    '/api/comp/statements/:runId/:payeeId/statement.csv',
    { config: { access: 'comp:statements' }, schema: { tags, summary: 'A payee’s statement as CSV (one row per line)', params: statementParams, response: { 200: z.string().describe('text/csv'), ...COMMON_ERRORS } } },
    async (request, reply) => {
      const s = await loadStatement(request, request.params);
      const rows = [
        ['period', 'payee', 'line', 'kind', 'label', 'plan', 'tier', 'rate', 'amount', 'currency', 'records', 'explanation'],
        ...s.lines.map((l) => [
          s.run.periodKey, s.payee.payeeName, String(l.lineNo), l.kind, l.label, l.planId ? `${l.planId}@${l.planVersion}` : '', l.explanation.tier?.label ?? '', l.explanation.rate ?? '',
          formatMoney(l.amountMinor, l.currency), l.currency, l.explanation.credits.map((c) => c.recordId).join(' '), l.explanation.text,
        ]),
        [s.run.periodKey, s.payee.payeeName, '', 'total', 'Total', '', '', '', formatMoney(s.payee.totalMinor, s.payee.currency), s.payee.currency, '', ''],
      ];
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="statement-${s.run.periodKey}.csv"`).send(csv(rows));
    },
  );

  app.get(
    '/api/comp/statements/:runId/:payeeId/statement.pdf',
    {
      config: { access: 'comp:statements' },
      schema: {
        tags, summary: 'A payee’s statement as a PDF: totals, every line with its arithmetic, the records behind it, disputes',
        params: statementParams, querystring: z.object({ locale: z.enum(['en', 'de']).optional().describe('Default: the caller’s language') }),
        response: { 200: z.string().describe('application/pdf'), ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const s = await loadStatement(request, request.params);
      const extra = await compCall(store, request, async (scope) => {
        const ids = [...new Set(s.lines.flatMap((l) => l.explanation.credits.map((c) => c.recordId)))].filter((id) => /^[0-9]{1,18}$/.test(id));
        const deals = ids.length === 0 ? [] : await scope.tx.query<{ id: string; ext_id: string; name: string | null; close_date: string | null; amount: string | null; currency: string | null; dataset: string }>(
          `SELECT id::text, ext_id, t1 AS name, to_char(d2, 'YYYY-MM-DD') AS close_date, n1::text AS amount, t3 AS currency, dataset
             FROM records WHERE tenant_id = $1 AND id = ANY($2::bigint[])`,
          [scope.tenantId, ids],
        );
        const [who] = request.auth?.userId ? await scope.tx.query<{ locale: 'en' | 'de' }>('SELECT locale FROM users WHERE id = $1', [request.auth.userId]) : [];
        return { tenant: await getTenant(scope), deals, locale: who?.locale };
      });
      const pdf = await renderStatementPdf({
        locale: request.query.locale ?? extra.locale ?? extra.tenant.locale,
        workspaceName: extra.tenant.name,
        run: s.run, payee: s.payee, lines: s.lines,
        // Only deals carry a name, a close date and an amount in these columns.
        deals: new Map(extra.deals.map((d) => [d.id, d.dataset === 'deals'
          ? { extId: d.ext_id, name: d.name, closeDate: d.close_date, amountMinor: d.amount === null ? null : Number(d.amount), currency: d.currency }
          : { extId: d.ext_id, name: null, closeDate: null, amountMinor: null, currency: null }])),
        disputes: s.disputes.filter((d) => d.runId === s.run.id),
        generatedAt: new Date(),
      });
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="statement-${s.run.periodKey}-${s.payee.externalRef ?? s.payee.payeeId}.pdf"`.replace(/[^\x20-\x7e]/g, '_'))
        // Fastify sends a Buffer as it is (no serialiser); the schema documents the content type.
        .send(pdf as unknown as string);
    },
  );

  // --- disputes ------------------------------------------------------------------------------------
  const notifyPayee = (tenantId: string, dispute: Dispute, userId: string | null) => {
    hub.publish(tenantId, { type: 'dispute.updated', data: { id: dispute.id, runId: dispute.runId, status: dispute.status } }, (client) => client.userId !== null && (client.userId === userId || hasPermission(client.role, 'comp:manage')));
  };
  const payeeUser = async (scope: TenantScope, payeeId: string) =>
    (await scope.tx.query<{ user_id: string | null }>('SELECT user_id FROM payees WHERE tenant_id = $1 AND id = $2', [scope.tenantId, payeeId]))[0]?.user_id ?? null;

  app.get(
    '/api/comp/disputes',
    {
      config: { access: 'comp:statements' },
      schema: { tags, summary: 'Disputes: all for finance, the caller’s (and their teams’) otherwise', querystring: z.object({ status: z.enum(['open', 'accepted', 'rejected']).optional() }), response: { 200: listOf(DisputeSchema), ...COMMON_ERRORS } },
    },
    async (request) =>
      compCall(store, request, async (scope) => {
        const visible = await visiblePayeeIds(scope, request);
        return { items: await listDisputes(scope, { ...(visible ? { payeeIds: visible } : {}), ...(request.query.status ? { status: request.query.status } : {}) }) };
      }),
  );
  app.post(
    '/api/comp/disputes',
    {
      config: { access: 'comp:statements' },
      schema: {
        tags, summary: 'Dispute one of your own payout lines (finance is told)',
        body: z.object({ runId: Id, lineNo: z.number().int().min(1), reason: z.string().trim().min(1).max(5000) }), response: { 201: DisputeSchema, ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const auth = request.auth;
      const dispute = await compCall(store, request, async (scope) => {
        const own = auth?.userId ? await scope.tx.query<{ id: string }>('SELECT id FROM payees WHERE tenant_id = $1 AND user_id = $2', [scope.tenantId, auth.userId]) : [];
        const [line] = await scope.tx.query<{ payee_id: string }>('SELECT payee_id FROM payout_lines WHERE tenant_id = $1 AND run_id = $2 AND line_no = $3', [scope.tenantId, request.body.runId, request.body.lineNo]);
        const run = await getRun(scope, request.body.runId);
        // Only the payee disputes their own line; other lines do not exist for them.
        if (!line || !run || !SHOWN_TO_PAYEES.has(run.status) || !own.some((p) => p.id === line.payee_id)) throw new AppError('not_found', 'Payout line not found');
        return raiseDispute(scope, randomUUID(), request.body);
      });
      if (auth) notifyPayee(auth.tenantId, dispute, auth.userId);
      return reply.status(201).send(dispute);
    },
  );
  app.post(
    '/api/comp/disputes/:disputeId/resolve',
    {
      config: { access: 'comp:manage' },
      schema: {
        tags, summary: 'Resolve a dispute: accept (with an adjustment paid in the next run) or reject with a reason; the payee is told',
        params: z.object({ disputeId: Id }),
        body: z.object({
          decision: z.enum(['accept', 'reject']), note: z.string().trim().min(1).max(2000),
          adjustmentMinor: z.number().int().nullable().optional().describe('Accept: the correction in minor units (+ pays more, − recovers)'),
        }),
        response: { 200: DisputeSchema, ...COMMON_ERRORS },
      },
    },
    async (request) => {
      const auth = request.auth;
      const { dispute, userId } = await compCall(store, request, async (scope) => {
        const before = await getDispute(scope, request.params.disputeId);
        if (!before) throw new AppError('not_found', 'Dispute not found');
        const resolved = await resolveDispute(scope, before.id, request.body, randomUUID);
        return { dispute: resolved, userId: await payeeUser(scope, resolved.payeeId) };
      });
      if (auth) notifyPayee(auth.tenantId, dispute, userId);
      return dispute;
    },
  );
}

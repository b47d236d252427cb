// Incentive compensation: plan versions, payout runs, statements and disputes (/api/comp).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export type RunStatus = 'draft' | 'calculated' | 'approved' | 'locked' | 'paid';

export interface CompIssue {
  code: string;
  path: string;
  message: string;
  severity?: string;
}

export interface PlanVersion {
  planId: string;
  version: number;
  name: string;
  currency: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  paidOut: boolean;
  document: Record<string, unknown>;
  createdAt: string;
  createdBy: string | null;
}

export interface RunTotal {
  currency: string;
  payees: number;
  earningsMinor: number;
  totalMinor: number;
  revenueMinor: number;
}

export interface PayoutRun {
  id: string;
  periodKey: string;
  periodStart: string;
  periodEnd: string;
  status: RunStatus;
  inputHash: string | null;
  totals: RunTotal[];
  issues: CompIssue[];
  calculatedAt: string | null;
  approvedAt: string | null;
  lockedAt: string | null;
  paidAt: string | null;
  createdAt: string;
}

export interface PayeeSummary {
  payeeId: string;
  payeeName: string;
  externalRef: string | null;
  currency: string;
  quotaMinor: number | null;
  creditedMinor: number;
  attainment: string | null;
  earningsMinor: number;
  drawBalanceInMinor: number;
  drawBalanceOutMinor: number;
  adjustmentsMinor: number;
  totalMinor: number;
  lineCount: number;
}

export interface PayoutLine {
  runId: string;
  lineNo: number;
  lineId: string;
  payeeId: string;
  kind: string;
  componentId: string | null;
  label: string;
  planId: string | null;
  planVersion: number | null;
  amountMinor: number;
  currency: string;
  explanation: {
    credits: { recordId: string; kind: string; creditedMinor: number; attributedMinor: number }[];
    tier: { index: number; label: string; mode: string; basis: string } | null;
    rate: string | null;
    steps: { label: string; expression: string; value: string }[];
    text: string;
    next: { tierIndex: number; label: string; rate: string; remaining: string } | null;
  };
  warnings: CompIssue[];
  reason?: string;
}

export interface Dispute {
  id: string;
  runId: string;
  periodKey: string;
  lineNo: number;
  lineLabel: string;
  amountMinor: number;
  currency: string;
  payeeId: string;
  payeeName: string;
  reason: string;
  status: 'open' | 'accepted' | 'rejected';
  resolution: string | null;
  adjustmentId: string | null;
  raisedBy: string | null;
  resolvedBy: string | null;
  createdAt: string;
  resolvedAt: string | null;
}

export interface StatementItem {
  runId: string;
  periodKey: string;
  status: RunStatus;
  payeeId: string;
  payeeName: string;
  currency: string;
  totalMinor: number;
  attainment: string | null;
}

export interface Statement {
  run: PayoutRun;
  payee: PayeeSummary;
  lines: PayoutLine[];
  disputes: Dispute[];
  /** The caller's own statement: they may dispute its lines. */
  canDispute: boolean;
}

export const compKeys = {
  all: ['comp'] as const,
  plans: ['comp', 'plans'] as const,
  runs: ['comp', 'runs'] as const,
  run: (id: string) => ['comp', 'runs', id] as const,
  statements: ['comp', 'statements'] as const,
  statement: (runId: string, payeeId: string) => ['comp', 'statements', runId, payeeId] as const,
  disputes: (status: string | null) => ['comp', 'disputes', status] as const,
  assignments: ['comp', 'assignments'] as const,
};

const enc = encodeURIComponent;

export function usePlanVersions(options: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: compKeys.plans, queryFn: () => api.get<{ items: PlanVersion[] }>('/comp/plans').then((r) => r.items), enabled: options.enabled ?? true });
}

export function useRuns(options: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: compKeys.runs, queryFn: () => api.get<{ items: PayoutRun[] }>('/comp/runs').then((r) => r.items), enabled: options.enabled ?? true });
}

export function useRun(id: string) {
  return useQuery({ queryKey: compKeys.run(id), queryFn: () => api.get<{ run: PayoutRun; payees: PayeeSummary[] }>(`/comp/runs/${enc(id)}`) });
}

export function useStatements() {
  return useQuery({ queryKey: compKeys.statements, queryFn: () => api.get<{ items: StatementItem[] }>('/comp/statements').then((r) => r.items) });
}

export function useStatement(runId: string, payeeId: string) {
  return useQuery({ queryKey: compKeys.statement(runId, payeeId), queryFn: () => api.get<Statement>(`/comp/statements/${enc(runId)}/${enc(payeeId)}`) });
}

export function useDisputes(status: Dispute['status'] | null) {
  return useQuery({
    queryKey: compKeys.disputes(status),
    queryFn: () => api.get<{ items: Dispute[] }>('/comp/disputes', { query: status ? { status } : {} }).then((r) => r.items),
  });
}

export interface CompAssignment {
  id: string;
  payeeId: string;
  payeeName: string;
  planId: string;
  planVersion: number;
  from: string;
  /** Exclusive: the first day not on the plan; null = open-ended. */
  to: string | null;
}

export function useCompAssignments(options: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: compKeys.assignments, queryFn: () => api.get<{ items: CompAssignment[] }>('/comp/assignments').then((r) => r.items), enabled: options.enabled ?? true });
}

function useInvalidateComp() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: compKeys.all });
}

export function useCreatePlanVersion() {
  const invalidate = useInvalidateComp();
  return useMutation({ mutationFn: (document: unknown) => api.post<PlanVersion>('/comp/plans', document), onSuccess: invalidate });
}

export function useCreateRun() {
  const invalidate = useInvalidateComp();
  return useMutation({ mutationFn: (period: string) => api.post<PayoutRun>('/comp/runs', { period }), onSuccess: invalidate });
}

export type RunAction = 'calculate' | 'approve' | 'reopen' | 'lock' | 'pay';

export function useRunAction() {
  const invalidate = useInvalidateComp();
  return useMutation({ mutationFn: ({ id, action }: { id: string; action: RunAction }) => api.post<unknown>(`/comp/runs/${enc(id)}/${action}`), onSuccess: invalidate });
}

export function useRaiseDispute() {
  const invalidate = useInvalidateComp();
  return useMutation({ mutationFn: (input: { runId: string; lineNo: number; reason: string }) => api.post<Dispute>('/comp/disputes', input), onSuccess: invalidate });
}

export function useResolveDispute() {
  const invalidate = useInvalidateComp();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; decision: 'accept' | 'reject'; note: string; adjustmentMinor?: number | null }) => api.post<Dispute>(`/comp/disputes/${enc(id)}/resolve`, body),
    onSuccess: invalidate,
  });
}

export function useCreateAssignment() {
  const invalidate = useInvalidateComp();
  return useMutation({
    mutationFn: (input: { payeeId: string; planId: string; planVersion: number; from: string; to?: string | null }) => api.post<CompAssignment>('/comp/assignments', input),
    onSuccess: invalidate,
  });
}

export function useEndAssignment() {
  const invalidate = useInvalidateComp();
  return useMutation({ mutationFn: ({ id, to }: { id: string; to: string }) => api.patch<CompAssignment>(`/comp/assignments/${enc(id)}`, { to }), onSuccess: invalidate });
}

export function useDeleteAssignment() {
  const invalidate = useInvalidateComp();
  return useMutation({ mutationFn: (id: string) => api.delete(`/comp/assignments/${enc(id)}`), onSuccess: invalidate });
}

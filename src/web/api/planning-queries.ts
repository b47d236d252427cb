// Territories and quota planning (/api/territories…, /api/quota-plans, /api/quota-versions).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { ItemList } from './types';

export interface PlanningIssue {
  code: string;
  path: string;
  message: string;
  severity?: 'error' | 'warning';
}

// --- territories -----------------------------------------------------------

export interface PostcodeRange {
  country?: string;
  from: string;
  to: string;
}

export interface TerritoryCriteria {
  regions?: string[];
  countries?: string[];
  postcodeRanges?: PostcodeRange[];
  productLines?: string[];
  segments?: string[];
  namedAccounts?: string[];
}

export interface Territory {
  id: string;
  name: string;
  parentId: string | null;
  criteria: TerritoryCriteria;
}

export interface TerritoryAssignment {
  id: string;
  territoryId: string;
  assigneeKind: 'rep' | 'team';
  assigneeId: string;
  role: 'owner' | 'overlay';
  from: string;
  until: string | null;
}

export interface TerritoryPlan {
  territoryId: string;
  period: string;
  revenueTargetMinor: number;
  productLineMix: { productLine: string; share: string }[];
  headcount: number;
}

export interface TerritoryCoverage {
  dataset: string;
  period: string | null;
  records: number;
  covered: number;
  overlapCount: number;
  gapCount: number;
  overlapsByParent: { parentId: string | null; records: number }[];
  gapsByParent: { parentId: string | null; records: number }[];
  overlaps: { recordId: string; parentId: string | null; territoryIds: string[] }[];
  gaps: { recordId: string; parentId: string | null }[];
  recordsByTerritory: { territoryId: string; records: number }[];
  criteriaOverlaps: { parentId: string | null; territoryIds: string[] }[];
}

// --- quotas ----------------------------------------------------------------

export type AllocationMethod = 'equal' | 'historical' | 'potential' | 'capacity';
export const ALLOCATION_METHODS = ['historical', 'equal', 'potential', 'capacity'] as const satisfies readonly AllocationMethod[];
export type QuotaLevels = 'teams' | 'territories';
export type AssigneeKind = 'rep' | 'team' | 'territory';

export interface QuotaPlan {
  id: string;
  name: string;
  fiscalYear: number;
  currency: string;
  targetMinor: number;
}

export interface QuotaVersion {
  id: string;
  planId: string;
  version: number;
  method: AllocationMethod;
  levels: QuotaLevels;
  effectiveFrom: string;
  effectiveTo: string | null;
  isLocked: boolean;
  lockedAt: string | null;
  lockedBy: string | null;
  note: string;
}

export interface QuotaLine {
  assigneeKind: AssigneeKind;
  assigneeId: string;
  assigneeName: string | null;
  period: string;
  quotaMinor: number;
  parentKey: string | null;
  isOverridden: boolean;
}

export interface QuotaGap {
  parentId: string | null;
  parentQuotaMinor: number;
  childrenSumMinor: number;
  gapMinor: number;
}

export interface QuotaVersionDetail {
  plan: QuotaPlan;
  version: QuotaVersion;
  lines: QuotaLine[];
  totalGapMinor: number | null;
  gaps: QuotaGap[] | null;
}

export interface QuotaOverride {
  assigneeKind: AssigneeKind;
  assigneeId: string;
  quotaMinor: number;
  reason: string;
}

export interface QuotaDiff {
  changes: { key: string; assigneeKind: AssigneeKind; assigneeId: string; period: string; beforeMinor: number | null; afterMinor: number | null; deltaMinor: number }[];
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  totalBeforeMinor: number;
  totalAfterMinor: number;
  totalDeltaMinor: number;
}

export const planningKeys = {
  territories: ['planning', 'territories'] as const,
  assignments: ['planning', 'assignments'] as const,
  territoryPlans: (period: string | null) => ['planning', 'territory-plans', period] as const,
  coverage: (period: string | null) => ['planning', 'coverage', period] as const,
  plans: ['planning', 'quota-plans'] as const,
  version: (id: string) => ['planning', 'quota-version', id] as const,
  diff: (id: string, against: string) => ['planning', 'quota-diff', id, against] as const,
};

const enc = encodeURIComponent;

function useInvalidate(...keys: (readonly unknown[])[]) {
  const queryClient = useQueryClient();
  return () => Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

export function useTerritories() {
  return useQuery({ queryKey: planningKeys.territories, queryFn: () => api.get<{ items: Territory[]; issues: PlanningIssue[] }>('/territories') });
}

export interface TerritoryInput {
  name: string;
  parentId: string | null;
  criteria: TerritoryCriteria;
}

export function useSaveTerritory() {
  const invalidate = useInvalidate(['planning']);
  return useMutation({
    mutationFn: ({ id, ...input }: TerritoryInput & { id: string | null }) =>
      id ? api.patch<Territory & { warnings: PlanningIssue[] }>(`/territories/${enc(id)}`, input) : api.post<Territory & { warnings: PlanningIssue[] }>('/territories', input),
    onSuccess: invalidate,
  });
}

export function useDeleteTerritory() {
  const invalidate = useInvalidate(['planning']);
  return useMutation({ mutationFn: (id: string) => api.delete(`/territories/${enc(id)}`), onSuccess: invalidate });
}

export function useAssignments() {
  return useQuery({ queryKey: planningKeys.assignments, queryFn: () => api.get<ItemList<TerritoryAssignment>>('/territory-assignments').then((r) => r.items) });
}

export function useCreateAssignment() {
  const invalidate = useInvalidate(planningKeys.assignments, ['planning', 'coverage']);
  return useMutation({
    mutationFn: (input: Omit<TerritoryAssignment, 'id'>) => api.post<TerritoryAssignment & { warnings: PlanningIssue[] }>('/territory-assignments', input),
    onSuccess: invalidate,
  });
}

export function useDeleteAssignment() {
  const invalidate = useInvalidate(planningKeys.assignments);
  return useMutation({ mutationFn: (id: string) => api.delete(`/territory-assignments/${enc(id)}`), onSuccess: invalidate });
}

export function useTerritoryPlans(period: string | null) {
  return useQuery({
    queryKey: planningKeys.territoryPlans(period),
    queryFn: () => api.get<ItemList<TerritoryPlan>>('/territory-plans', { query: { period } }).then((r) => r.items),
  });
}

export function useSaveTerritoryPlan() {
  const invalidate = useInvalidate(['planning', 'territory-plans']);
  return useMutation({ mutationFn: (plan: TerritoryPlan) => api.put<TerritoryPlan & { warnings: PlanningIssue[] }>('/territory-plans', plan), onSuccess: invalidate });
}

export function useCoverage(period: string | null, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: planningKeys.coverage(period),
    queryFn: () => api.get<TerritoryCoverage>('/territories/coverage', { query: { dataset: 'deals', period, sample: 10 } }),
    enabled: options.enabled ?? true,
  });
}

// --- quota plans and versions ------------------------------------------------

export function useQuotaPlans() {
  return useQuery({ queryKey: planningKeys.plans, queryFn: () => api.get<ItemList<QuotaPlan & { versions: QuotaVersion[] }>>('/quota-plans').then((r) => r.items) });
}

export function useCreateQuotaPlan() {
  const invalidate = useInvalidate(planningKeys.plans);
  return useMutation({
    mutationFn: (input: { name: string; fiscalYear: number; targetMinor: number; currency?: string }) => api.post<QuotaPlan>('/quota-plans', input),
    onSuccess: invalidate,
  });
}

export function useAllocateVersion() {
  const invalidate = useInvalidate(planningKeys.plans);
  return useMutation({
    mutationFn: ({ planId, ...input }: { planId: string; method: AllocationMethod; levels: QuotaLevels; effectiveFrom: string; note?: string }) =>
      api.post<QuotaVersion & { lineCount: number; warnings: PlanningIssue[] }>(`/quota-plans/${enc(planId)}/versions`, input),
    onSuccess: invalidate,
  });
}

export function useQuotaVersion(id: string) {
  return useQuery({ queryKey: planningKeys.version(id), queryFn: () => api.get<QuotaVersionDetail>(`/quota-versions/${enc(id)}`) });
}

export function useOverrideQuotas(versionId: string) {
  const invalidate = useInvalidate(planningKeys.version(versionId));
  return useMutation({
    mutationFn: (input: { overrides: QuotaOverride[]; rebalance: boolean }) =>
      api.post<{ changes: unknown[]; gaps: QuotaGap[]; totalGapMinor: number; warnings: PlanningIssue[] }>(`/quota-versions/${enc(versionId)}/overrides`, input),
    onSettled: invalidate,
  });
}

export function useImportQuotas(versionId: string) {
  const invalidate = useInvalidate(planningKeys.version(versionId));
  return useMutation({
    mutationFn: (input: { csv: string; reason: string }) => api.post<{ added: number; changed: number; unchanged: number }>(`/quota-versions/${enc(versionId)}/import`, input),
    onSuccess: invalidate,
  });
}

export function useLockVersion() {
  const invalidate = useInvalidate(['planning']);
  return useMutation({ mutationFn: (versionId: string) => api.post<QuotaVersion>(`/quota-versions/${enc(versionId)}/lock`), onSuccess: invalidate });
}

export function useReviseVersion() {
  const invalidate = useInvalidate(planningKeys.plans);
  return useMutation({
    mutationFn: ({ versionId, ...input }: { versionId: string; effectiveFrom: string; note?: string }) => api.post<QuotaVersion>(`/quota-versions/${enc(versionId)}/revise`, input),
    onSuccess: invalidate,
  });
}

export function useQuotaDiff(versionId: string, against: string | null) {
  return useQuery({
    queryKey: planningKeys.diff(versionId, against ?? ''),
    queryFn: () => api.get<QuotaDiff>(`/quota-versions/${enc(versionId)}/diff`, { query: { against } }),
    enabled: against !== null,
  });
}

/** The CSV export's URL (a plain link: same-origin cookies carry the session). */
export function quotaCsvUrl(versionId: string): string {
  return `/api/quota-versions/${enc(versionId)}/lines.csv`;
}

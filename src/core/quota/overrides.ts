/**
 * Bottom-up adjustments of a top-down allocation. A manager's override replaces one node's
 * quota; by default nothing else moves, and the difference shows as a gap: for every parent,
 * the sum of its children's quotas against the parent's own quota, and for the company the
 * sum of the top-level quotas against the target. With `rebalance: true` the siblings that
 * were not overridden absorb the difference in proportion to their quotas (largest
 * remainder), and a node whose quota changed has its subtree rescaled to match. A
 * difference that cannot be absorbed (the overrides exceed the parent) stays a gap.
 * Every changed quota is listed in `changes` so the store can write the audit trail.
 */
import { allocateLargestRemainder } from './largest-remainder.js';
import type { NodeQuota } from './allocate.js';

export interface QuotaOverride {
  nodeId: string;
  quotaMinor: number;
  reason?: string;
}

export interface QuotaGap {
  /** null: the company (top-level quotas against the target). */
  parentId: string | null;
  parentQuotaMinor: number;
  childrenSumMinor: number;
  /** childrenSum − parentQuota: positive = over-allocated, negative = under. */
  gapMinor: number;
}

export interface QuotaChange {
  nodeId: string;
  beforeMinor: number;
  afterMinor: number;
  cause: 'override' | 'rebalance';
  reason?: string;
}

export interface OverrideIssue {
  code: 'unknown_node' | 'bad_amount' | 'duplicate_override' | 'cannot_rebalance';
  path: string;
  message: string;
}

export interface OverrideResult {
  quotas: (NodeQuota & { isOverridden: boolean })[];
  /** Only the parents whose children do not add up (empty when everything reconciles). */
  gaps: QuotaGap[];
  /** Sum of top-level quotas − target. */
  totalGapMinor: number;
  changes: QuotaChange[];
  issues: OverrideIssue[];
}

export interface ApplyOverridesInput {
  targetMinor: number;
  /** An allocation in tree order (parents first), e.g. allocateQuota(...).quotas. */
  quotas: readonly NodeQuota[];
  overrides: readonly QuotaOverride[];
  rebalance?: boolean;
}

/**
 * Applies overrides and reports gaps.
 * @example applyQuotaOverrides({ targetMinor: 100, quotas, overrides: [{ nodeId: 'r1', quotaMinor: 60 }] }).gaps // [{ parentId: 'team', parentQuotaMinor: 100, childrenSumMinor: 110, gapMinor: 10 }]
 */
export function applyQuotaOverrides(input: ApplyOverridesInput): OverrideResult {
  const issues: OverrideIssue[] = [];
  const quota = new Map<string, number>();
  const children = new Map<string | null, string[]>();
  for (const q of input.quotas) {
    quota.set(q.nodeId, q.quotaMinor);
    const list = children.get(q.parentId);
    if (list) list.push(q.nodeId);
    else children.set(q.parentId, [q.nodeId]);
  }
  const overridden = new Map<string, QuotaOverride>();
  input.overrides.forEach((o, i) => {
    if (!quota.has(o.nodeId)) issues.push({ code: 'unknown_node', path: `overrides.${i}.nodeId`, message: `no quota for "${o.nodeId}"` });
    else if (!Number.isSafeInteger(o.quotaMinor) || o.quotaMinor < 0) issues.push({ code: 'bad_amount', path: `overrides.${i}.quotaMinor`, message: 'a quota is a non-negative integer of minor units' });
    else if (overridden.has(o.nodeId)) issues.push({ code: 'duplicate_override', path: `overrides.${i}.nodeId`, message: `"${o.nodeId}" is overridden twice` });
    else overridden.set(o.nodeId, o);
  });
  const before = new Map(quota);
  const causes = new Map<string, QuotaChange['cause']>();
  for (const [id, o] of overridden) {
    quota.set(id, o.quotaMinor);
    causes.set(id, 'override');
  }
  if (input.rebalance) {
    // Top-down: fix each parent's children to the parent's (possibly new) quota.
    const rebalanceUnder = (parentId: string | null, parentQuota: number): void => {
      const kids = children.get(parentId) ?? [];
      if (kids.length === 0) return;
      const fixed = kids.filter((k) => overridden.has(k));
      const free = kids.filter((k) => !overridden.has(k));
      const fixedSum = fixed.reduce((a, k) => a + (quota.get(k) ?? 0), 0);
      const freeSum = free.reduce((a, k) => a + (quota.get(k) ?? 0), 0);
      const remaining = parentQuota - fixedSum;
      if (remaining === freeSum) return;
      if (free.length === 0 || remaining < 0) {
        issues.push({ code: 'cannot_rebalance', path: parentId ?? 'company', message: `the overrides under ${parentId ?? 'the company'} exceed it or leave no one to absorb the difference: the gap stays` });
        return;
      }
      const parts = allocateLargestRemainder(remaining, free.map((k) => quota.get(k) ?? 0));
      free.forEach((k, i) => {
        quota.set(k, parts[i] ?? 0);
        if (!causes.has(k)) causes.set(k, 'rebalance');
      });
    };
    rebalanceUnder(null, input.targetMinor);
    for (const q of input.quotas) rebalanceUnder(q.nodeId, quota.get(q.nodeId) ?? 0);
  }
  const gaps: QuotaGap[] = [];
  const gapOf = (parentId: string | null, parentQuotaMinor: number): number => {
    const kids = children.get(parentId) ?? [];
    if (kids.length === 0) return 0;
    const childrenSumMinor = kids.reduce((a, k) => a + (quota.get(k) ?? 0), 0);
    const gapMinor = childrenSumMinor - parentQuotaMinor;
    if (gapMinor !== 0) gaps.push({ parentId, parentQuotaMinor, childrenSumMinor, gapMinor });
    return gapMinor;
  };
  const totalGapMinor = gapOf(null, input.targetMinor);
  for (const q of input.quotas) gapOf(q.nodeId, quota.get(q.nodeId) ?? 0);
  const changes: QuotaChange[] = [];
  for (const q of input.quotas) {
    const b = before.get(q.nodeId) ?? 0;
    const a = quota.get(q.nodeId) ?? 0;
    const cause = causes.get(q.nodeId);
    if (cause && (a !== b || cause === 'override')) {
      const reason = overridden.get(q.nodeId)?.reason;
      changes.push({ nodeId: q.nodeId, beforeMinor: b, afterMinor: a, cause, ...(reason === undefined ? {} : { reason }) });
    }
  }
  return {
    quotas: input.quotas.map((q) => ({ ...q, quotaMinor: quota.get(q.nodeId) ?? 0, isOverridden: overridden.has(q.nodeId) })),
    gaps,
    totalGapMinor,
    changes,
    issues,
  };
}

/**
 * Top-down quota allocation: a company target for a fiscal year, split down an org tree
 * (territories → teams → reps, any depth) by one method. Every level is split by largest
 * remainder, so each parent's children add up to the parent exactly and the leaves add up
 * to the target to the cent.
 *
 * Methods (the weight of a leaf; a parent weighs the sum of its leaves):
 * - `equal`:      1 per leaf (per seat), so bigger territories get more;
 * - `historical`: the leaf's bookings in the reference period (`historicalMinor`);
 * - `potential`:  the leaf's forecast or weighted pipeline (`potentialMinor`);
 * - `capacity`:   effective selling months in the fiscal year, FTE × ramp (see ramp.ts);
 *                 leaves without a start date count as 12 months × FTE.
 * When all children of a parent weigh zero (no history yet), that parent's amount is split
 * equally among them and an issue says so: nothing is dropped silently.
 */
import type { FiscalCalendar } from '../period.js';
import { allocateLargestRemainder, assertMinor } from './largest-remainder.js';
import { capacityMonths, DEFAULT_RAMP, type RampCurve } from './ramp.js';

export type AllocationMethod = 'equal' | 'historical' | 'potential' | 'capacity';
export const ALLOCATION_METHODS = ['equal', 'historical', 'potential', 'capacity'] as const satisfies readonly AllocationMethod[];

export type OrgNodeKind = 'territory' | 'team' | 'rep';

export interface OrgNode {
  id: string;
  /** null: directly under the company. */
  parentId: string | null;
  kind: OrgNodeKind;
  /** Bookings in the reference period (for `historical`). */
  historicalMinor?: number;
  /** Forecast or weighted pipeline (for `potential`). */
  potentialMinor?: number;
  /** For `capacity`: the first selling day; absent = on board all year. */
  startDate?: string;
  endDate?: string | null;
  /** 0–1, default 1. */
  fte?: number;
}

export interface AllocationIssue {
  code: 'unknown_parent' | 'duplicate_node' | 'cycle' | 'bad_amount' | 'bad_weight' | 'no_nodes' | 'zero_weights_split_equally';
  path: string;
  message: string;
}

export interface NodeQuota {
  nodeId: string;
  parentId: string | null;
  kind: OrgNodeKind;
  quotaMinor: number;
  /** The leaf weight (or the sum of its leaves' weights) the split used. */
  weight: number;
}

export interface AllocationResult {
  ok: true;
  method: AllocationMethod;
  targetMinor: number;
  /** In tree order: parents before their children. */
  quotas: NodeQuota[];
  /** Warnings that do not stop the allocation (e.g. an equal split where weights were all zero). */
  issues: AllocationIssue[];
}

export interface AllocateQuotaInput {
  targetMinor: number;
  method: AllocationMethod;
  nodes: readonly OrgNode[];
  /** For `capacity`. */
  fiscalYear?: number;
  calendar?: FiscalCalendar;
  ramp?: RampCurve;
}

export interface OrgTree {
  byId: Map<string, OrgNode>;
  children: Map<string | null, OrgNode[]>;
  /** Parents before children. */
  order: OrgNode[];
}

/**
 * Indexes nodes into a tree and checks it (unique ids, known parents, no cycles).
 * @example buildOrgTree([{ id: 'emea', parentId: null, kind: 'territory' }]) // { ok: true, tree: { order: [emea], … } }
 */
export function buildOrgTree(nodes: readonly OrgNode[]): { ok: true; tree: OrgTree } | { ok: false; issues: AllocationIssue[] } {
  const issues: AllocationIssue[] = [];
  const byId = new Map<string, OrgNode>();
  nodes.forEach((node, i) => {
    if (byId.has(node.id)) issues.push({ code: 'duplicate_node', path: `nodes.${i}.id`, message: `node "${node.id}" appears twice` });
    byId.set(node.id, node);
  });
  const children = new Map<string | null, OrgNode[]>();
  nodes.forEach((node, i) => {
    if (node.parentId !== null && !byId.has(node.parentId)) issues.push({ code: 'unknown_parent', path: `nodes.${i}.parentId`, message: `no node "${node.parentId}"` });
    const list = children.get(node.parentId);
    if (list) list.push(node);
    else children.set(node.parentId, [node]);
  });
  if (issues.length > 0) return { ok: false, issues };
  const order: OrgNode[] = [];
  const stack = [...(children.get(null) ?? [])].reverse();
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) break;
    order.push(node);
    const kids = children.get(node.id);
    if (kids) for (let i = kids.length - 1; i >= 0; i -= 1) stack.push(kids[i] as OrgNode);
  }
  if (order.length !== byId.size) {
    const reached = new Set(order.map((n) => n.id));
    const stuck = nodes.find((n) => !reached.has(n.id));
    return { ok: false, issues: [{ code: 'cycle', path: 'nodes', message: `node "${stuck?.id ?? '?'}" is in a cycle of parents` }] };
  }
  return { ok: true, tree: { byId, children, order } };
}

function leafWeight(node: OrgNode, input: AllocateQuotaInput): number {
  switch (input.method) {
    case 'equal':
      return 1;
    case 'historical':
      return node.historicalMinor ?? 0;
    case 'potential':
      return node.potentialMinor ?? 0;
    case 'capacity': {
      const fte = node.fte ?? 1;
      if (!node.startDate) return 12 * fte;
      if (input.fiscalYear === undefined || !input.calendar) throw new Error('capacity allocation needs fiscalYear and calendar');
      return capacityMonths({ rep: { startDate: node.startDate, endDate: node.endDate ?? null, fte }, fiscalYear: input.fiscalYear, calendar: input.calendar, curve: input.ramp ?? DEFAULT_RAMP });
    }
    default: {
      const unreachable: never = input.method;
      throw new Error(`unknown allocation method ${String(unreachable)}`);
    }
  }
}

/**
 * Allocates a target down the tree.
 * @example allocateQuota({ targetMinor: 100_000_00, method: 'equal', nodes: [{ id: 'emea', parentId: null, kind: 'territory' }, { id: 'r1', parentId: 'emea', kind: 'rep' }, { id: 'r2', parentId: 'emea', kind: 'rep' }] })
 *   // quotas: emea 100,000.00; r1 50,000.00; r2 50,000.00
 */
export function allocateQuota(input: AllocateQuotaInput): AllocationResult | { ok: false; issues: AllocationIssue[] } {
  if (!Number.isSafeInteger(input.targetMinor) || input.targetMinor < 0) {
    return { ok: false, issues: [{ code: 'bad_amount', path: 'targetMinor', message: 'the target must be a non-negative integer of minor units' }] };
  }
  if (input.nodes.length === 0) return { ok: false, issues: [{ code: 'no_nodes', path: 'nodes', message: 'nothing to allocate to' }] };
  const built = buildOrgTree(input.nodes);
  if (!built.ok) return built;
  const { tree } = built;
  const weights = new Map<string, number>();
  const issues: AllocationIssue[] = [];
  // Leaf weights, then sums up the tree (reverse tree order visits children first).
  for (let i = tree.order.length - 1; i >= 0; i -= 1) {
    const node = tree.order[i] as OrgNode;
    const kids = tree.children.get(node.id);
    let weight: number;
    if (kids && kids.length > 0) {
      weight = 0;
      for (const kid of kids) weight += weights.get(kid.id) ?? 0;
    } else {
      weight = leafWeight(node, input);
      if (!Number.isFinite(weight) || weight < 0) {
        return { ok: false, issues: [{ code: 'bad_weight', path: `nodes.${node.id}`, message: `the ${input.method} weight of "${node.id}" must be a finite non-negative number` }] };
      }
    }
    weights.set(node.id, weight);
  }
  const quotas = new Map<string, number>();
  const split = (parentId: string | null, amountMinor: number): void => {
    const kids = tree.children.get(parentId) ?? [];
    if (kids.length === 0) return;
    const w = kids.map((k) => weights.get(k.id) ?? 0);
    if (amountMinor !== 0 && w.every((x) => x === 0)) {
      issues.push({ code: 'zero_weights_split_equally', path: parentId ?? 'company', message: `no ${input.method} weight under ${parentId ?? 'the company'}: split equally` });
    }
    const parts = allocateLargestRemainder(amountMinor, w);
    kids.forEach((kid, i) => quotas.set(kid.id, parts[i] ?? 0));
  };
  split(null, input.targetMinor);
  for (const node of tree.order) split(node.id, quotas.get(node.id) ?? 0);
  return {
    ok: true,
    method: input.method,
    targetMinor: input.targetMinor,
    quotas: tree.order.map((node) => ({ nodeId: node.id, parentId: node.parentId, kind: node.kind, quotaMinor: assertMinor(quotas.get(node.id) ?? 0), weight: weights.get(node.id) ?? 0 })),
    issues,
  };
}

import { describe, expect, it } from 'vitest';
import { allocateQuota, type OrgNode } from './allocate.js';
import { applyQuotaOverrides } from './overrides.js';

const NODES: OrgNode[] = [
  { id: 'team', parentId: null, kind: 'team' },
  { id: 'other', parentId: null, kind: 'team' },
  { id: 'a', parentId: 'team', kind: 'rep' },
  { id: 'b', parentId: 'team', kind: 'rep' },
  { id: 'c', parentId: 'team', kind: 'rep' },
  { id: 'd', parentId: 'other', kind: 'rep' },
];
const allocation = (): ReturnType<typeof allocateQuota> & { ok: true } => {
  const result = allocateQuota({ targetMinor: 400, method: 'equal', nodes: NODES });
  if (!result.ok) throw new Error('setup');
  return result;
};

describe('applyQuotaOverrides', () => {
  it('keeps everything else and shows the gap by default', () => {
    const result = applyQuotaOverrides({ targetMinor: 400, quotas: allocation().quotas, overrides: [{ nodeId: 'a', quotaMinor: 150, reason: 'bigger patch' }] });
    expect(result.gaps).toEqual([{ parentId: 'team', parentQuotaMinor: 300, childrenSumMinor: 350, gapMinor: 50 }]);
    expect(result.totalGapMinor).toBe(0);
    expect(result.changes).toEqual([{ nodeId: 'a', beforeMinor: 100, afterMinor: 150, cause: 'override', reason: 'bigger patch' }]);
  });

  it('shows the company gap when a team is overridden', () => {
    const result = applyQuotaOverrides({ targetMinor: 400, quotas: allocation().quotas, overrides: [{ nodeId: 'other', quotaMinor: 80 }] });
    expect(result.totalGapMinor).toBe(-20);
    expect(result.gaps).toContainEqual({ parentId: 'other', parentQuotaMinor: 80, childrenSumMinor: 100, gapMinor: 20 });
  });

  it('rebalances siblings when asked, so everything reconciles again', () => {
    const result = applyQuotaOverrides({ targetMinor: 400, quotas: allocation().quotas, overrides: [{ nodeId: 'a', quotaMinor: 151 }], rebalance: true });
    const q = Object.fromEntries(result.quotas.map((x) => [x.nodeId, x.quotaMinor]));
    expect([q.a, q.b, q.c]).toEqual([151, 75, 74]);
    expect(result.gaps).toEqual([]);
    expect(result.changes.map((c) => c.cause)).toEqual(['override', 'rebalance', 'rebalance']);
  });

  it('rescales a team’s reps when the team is overridden with rebalance, and the other team absorbs the rest', () => {
    const result = applyQuotaOverrides({ targetMinor: 400, quotas: allocation().quotas, overrides: [{ nodeId: 'other', quotaMinor: 40 }], rebalance: true });
    const q = Object.fromEntries(result.quotas.map((x) => [x.nodeId, x.quotaMinor]));
    expect([q.team, q.other, q.a, q.b, q.c, q.d]).toEqual([360, 40, 120, 120, 120, 40]);
    expect(result.gaps).toEqual([]);
  });

  it('leaves a gap it cannot absorb and says so', () => {
    const result = applyQuotaOverrides({ targetMinor: 400, quotas: allocation().quotas, overrides: [{ nodeId: 'a', quotaMinor: 200 }, { nodeId: 'b', quotaMinor: 200 }, { nodeId: 'c', quotaMinor: 0 }], rebalance: true });
    expect(result.issues.map((i) => i.code)).toEqual(['cannot_rebalance']);
    expect(result.gaps).toEqual([{ parentId: 'team', parentQuotaMinor: 300, childrenSumMinor: 400, gapMinor: 100 }]);
  });

  it('reports unknown nodes and bad amounts', () => {
    const result = applyQuotaOverrides({ targetMinor: 400, quotas: allocation().quotas, overrides: [{ nodeId: 'zz', quotaMinor: 1 }, { nodeId: 'a', quotaMinor: -1 }] });
    expect(result.issues.map((i) => i.code)).toEqual(['unknown_node', 'bad_amount']);
  });
});

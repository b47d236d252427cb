import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CALENDAR_YEAR } from '../period.js';
import { allocateQuota, type OrgNode } from './allocate.js';
import { capacityMonths, DEFAULT_RAMP, rampedMonths, rampFactor } from './ramp.js';

const makeNode = (over: Partial<OrgNode> & Pick<OrgNode, 'id'>): OrgNode => ({ parentId: null, kind: 'rep', ...over });

const ORG: OrgNode[] = [
  makeNode({ id: 'emea', kind: 'territory' }),
  makeNode({ id: 'amer', kind: 'territory' }),
  makeNode({ id: 'dach', parentId: 'emea', kind: 'team' }),
  makeNode({ id: 'r1', parentId: 'dach', historicalMinor: 300, potentialMinor: 10, startDate: '2020-01-01' }),
  makeNode({ id: 'r2', parentId: 'dach', historicalMinor: 100, potentialMinor: 30, startDate: '2026-07-01' }),
  makeNode({ id: 'r3', parentId: 'amer', historicalMinor: 600, potentialMinor: 60 }),
];

const quotaOf = (result: ReturnType<typeof allocateQuota>, id: string): number | undefined => (result.ok ? result.quotas.find((q) => q.nodeId === id)?.quotaMinor : undefined);

describe('allocateQuota', () => {
  it('splits equally per seat, so a territory with two reps gets two thirds', () => {
    const result = allocateQuota({ targetMinor: 900_00, method: 'equal', nodes: ORG });
    expect(quotaOf(result, 'emea')).toBe(600_00);
    expect(quotaOf(result, 'amer')).toBe(300_00);
    expect(quotaOf(result, 'r1')).toBe(300_00);
  });

  it('splits by historical share and by potential', () => {
    const hist = allocateQuota({ targetMinor: 1000, method: 'historical', nodes: ORG });
    expect([quotaOf(hist, 'r1'), quotaOf(hist, 'r2'), quotaOf(hist, 'r3')]).toEqual([300, 100, 600]);
    const pot = allocateQuota({ targetMinor: 1000, method: 'potential', nodes: ORG });
    expect([quotaOf(pot, 'r1'), quotaOf(pot, 'r2'), quotaOf(pot, 'r3')]).toEqual([100, 300, 600]);
  });

  it('splits by capacity with ramp: a rep starting in July has 0.25+0.5+0.75+3 = 4.5 selling months', () => {
    expect(capacityMonths({ rep: { startDate: '2026-07-01' }, fiscalYear: 2026, calendar: CALENDAR_YEAR })).toBe(4.5);
    const result = allocateQuota({ targetMinor: 28_500, method: 'capacity', nodes: ORG, fiscalYear: 2026, calendar: CALENDAR_YEAR });
    // r1 12 months, r2 4.5, r3 12 (no start date): 28.5 months.
    expect([quotaOf(result, 'r1'), quotaOf(result, 'r2'), quotaOf(result, 'r3')]).toEqual([12_000, 4_500, 12_000]);
  });

  it('splits equally, with an issue, where there is no history', () => {
    const nodes = [makeNode({ id: 't', kind: 'territory' }), makeNode({ id: 'a', parentId: 't' }), makeNode({ id: 'b', parentId: 't' })];
    const result = allocateQuota({ targetMinor: 101, method: 'historical', nodes });
    expect(result.ok && result.issues.map((i) => i.code)).toEqual(['zero_weights_split_equally', 'zero_weights_split_equally']);
    expect([quotaOf(result, 'a'), quotaOf(result, 'b')]).toEqual([51, 50]);
  });

  it('reports unknown parents, cycles and bad targets as issues', () => {
    expect(allocateQuota({ targetMinor: 1, method: 'equal', nodes: [makeNode({ id: 'a', parentId: 'x' })] })).toMatchObject({ ok: false, issues: [{ code: 'unknown_parent' }] });
    expect(allocateQuota({ targetMinor: 1, method: 'equal', nodes: [makeNode({ id: 'a', parentId: 'b' }), makeNode({ id: 'b', parentId: 'a' })] })).toMatchObject({ ok: false, issues: [{ code: 'cycle' }] });
    expect(allocateQuota({ targetMinor: -1, method: 'equal', nodes: ORG })).toMatchObject({ ok: false, issues: [{ code: 'bad_amount' }] });
  });

  it('reconciles every parent with its children and the leaves with the target (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.array(fc.record({ parent: fc.nat(), hist: fc.integer({ min: 0, max: 1e9 }) }), { minLength: 1, maxLength: 40 }),
        fc.constantFrom('equal', 'historical', 'potential', 'capacity' as const),
        (target, specs, method) => {
          const nodes: OrgNode[] = specs.map((s, i) => ({ id: `n${i}`, parentId: i === 0 ? null : `n${s.parent % i}`, kind: 'rep', historicalMinor: s.hist, potentialMinor: s.hist % 1000 }));
          const result = allocateQuota({ targetMinor: target, method, nodes, fiscalYear: 2026, calendar: CALENDAR_YEAR });
          if (!result.ok) throw new Error('unexpected issues');
          const q = new Map(result.quotas.map((x) => [x.nodeId, x.quotaMinor] as const));
          const sums = new Map<string | null, number>();
          for (const x of result.quotas) sums.set(x.parentId, (sums.get(x.parentId) ?? 0) + x.quotaMinor);
          expect(sums.get(null)).toBe(target);
          for (const [parent, sum] of sums) if (parent !== null) expect(sum).toBe(q.get(parent));
        },
      ),
    );
  });
});

describe('ramp', () => {
  it('prorates the start month by days and ramps 25/50/75 % then 100 %', () => {
    expect(rampFactor({ rep: { startDate: '2026-04-16' }, year: 2026, month: 4, curve: DEFAULT_RAMP })).toBeCloseTo(0.25 * (15 / 30), 10);
    expect(rampedMonths({ rep: { startDate: '2026-01-01' }, fiscalYear: 2026, calendar: CALENDAR_YEAR }).slice(0, 5)).toEqual([0.25, 0.5, 0.75, 1, 1]);
    expect(rampFactor({ rep: { startDate: '2026-01-01', fte: 0.5 }, year: 2026, month: 6 })).toBe(0.5);
    expect(rampFactor({ rep: { startDate: '2026-01-01', endDate: '2026-05-31' }, year: 2026, month: 6 })).toBe(0);
  });

  it('follows the fiscal calendar (fiscal year from April)', () => {
    const months = rampedMonths({ rep: { startDate: '2027-03-01' }, fiscalYear: 2026, calendar: { fiscalYearStartMonth: 4 } });
    expect(months[11]).toBe(0.25);
    expect(months.slice(0, 11).every((m) => m === 0)).toBe(true);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DATASETS, DEALS } from '../data/datasets.js';
import { CALENDAR_YEAR, parsePeriod, type Period } from '../period.js';
import { findCatalogueMetric } from './catalogue.js';
import { evaluatePrimitivesInMemory, type OrgSnapshot } from './evaluate.js';
import type { LeafPrimitives, RawEvaluation } from './finalise.js';
import { applyContribution, cloneRaw, contributes, contributionOf, isIncremental, type ContributionInput } from './incremental.js';
import { snapshotFromRecords, snapshotRowOf, type PlainRecord } from './snapshot.js';
import { planGrouping, validateMetricDefinition } from './validate.js';

const ORG: OrgSnapshot = {
  teams: [
    { id: 'company', parentId: null, name: 'Company' },
    { id: 'east', parentId: 'company', name: 'East' },
    { id: 'west', parentId: 'company', name: 'West' },
  ],
  payees: [
    { id: 'p1', teamId: 'east', name: 'P1' },
    { id: 'p2', teamId: 'west', name: 'P2' },
    { id: 'p3', teamId: null, name: 'P3' },
  ],
};
const Q1 = (parsePeriod('2026-Q1', CALENDAR_YEAR) as { period: Period }).period;

function prepared(metricKey: string, groupBy: string | null): ContributionInput {
  const validated = validateMetricDefinition(findCatalogueMetric(metricKey)?.definition, BUILTIN_DATASETS);
  if (!validated.ok) throw new Error(JSON.stringify(validated.issues));
  const grouping = planGrouping(validated.plan, groupBy);
  if (!grouping.ok) throw new Error(JSON.stringify(grouping.issues));
  return { plan: validated.plan, grouping: grouping.grouping, period: Q1, calendar: CALENDAR_YEAR, org: ORG };
}

function full(input: ContributionInput, records: readonly PlainRecord[]): RawEvaluation {
  return evaluatePrimitivesInMemory({ ...input, snapshots: { deals: snapshotFromRecords(DEALS, records) } });
}

/** A state as sorted plain data, so two states compare regardless of map order. */
function normal(raw: RawEvaluation): unknown {
  const leaves = (list: LeafPrimitives[]) => list.map((p) => ({ ...p }));
  return { total: leaves(raw.total), groups: [...raw.groups].map(([k, v]) => [k ?? '\u0000', leaves(v)] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
}

const day = fc.integer({ min: 0, max: 150 }).map((d) => new Date(Date.UTC(2025, 11, 1) + d * 86_400_000).toISOString().slice(0, 10));
const dealValues = fc.record({
  owner: fc.constantFrom('p1', 'p2', 'p3', null),
  stage: fc.constantFrom('closed_won', 'closed_lost', 'open'),
  amount: fc.oneof(fc.integer({ min: 0, max: 5_000_000 }), fc.constant(null)),
  created: day,
  close_date: fc.oneof(day, fc.constant(null)),
  region: fc.constantFrom('EMEA', 'US', null),
  type: fc.constantFrom('new', 'upsell', 'renewal'),
  currency: fc.constantFrom('EUR', null),
});
type Change = { kind: 'upsert'; target: number; values: PlainRecord['values'] } | { kind: 'delete'; target: number };
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('upsert' as const), target: fc.nat(40), values: dealValues }),
  fc.record({ kind: fc.constant('delete' as const), target: fc.nat(40) }),
);

describe('incremental metric state', () => {
  it('knows which measures take deltas', () => {
    expect(isIncremental(prepared('revenue', null).plan)).toBe(true);
    expect(isIncremental(prepared('win_rate', null).plan)).toBe(true);
    expect(isIncremental(prepared('regions_entered', null).plan)).toBe(false);
  });

  it('a record outside the period contributes nothing; one inside adds its amount to owner and total', () => {
    const input = prepared('revenue', 'owner');
    const outside = contributionOf(input, DEALS, snapshotRowOf(DEALS, { id: 1, values: { owner: 'p1', stage: 'closed_won', amount: 500, close_date: '2025-12-31' } }));
    expect(contributes(outside)).toBe(false);
    const inside = contributionOf(input, DEALS, snapshotRowOf(DEALS, { id: 1, values: { owner: 'p1', stage: 'closed_won', amount: 500, close_date: '2026-01-01' } }));
    expect(inside.total[0]).toMatchObject({ count: 1n, sum: 500n });
    expect(inside.groups.get('p1')?.[0]).toMatchObject({ count: 1n, sum: 500n });
  });

  // Every catalogue metric over deals that takes deltas, by each grouping it offers here.
  const cases = [
    ['revenue', 'owner'], ['revenue', 'team'], ['revenue', null], ['deals_won', 'region'], ['avg_deal_size', 'owner'], ['win_rate', 'team'],
    ['sales_cycle_days', 'owner'], ['revenue_change', 'owner'], ['online_revenue', 'region'], ['new_deals_won', 'team'], ['renewal_rate', 'owner'],
  ] as const;
  for (const [metric, groupBy] of cases) {
    it(`${metric} by ${groupBy ?? 'nothing'}: applying changes one by one equals evaluating the final records`, () => {
      const input = prepared(metric, groupBy);
      expect(isIncremental(input.plan)).toBe(true);
      fc.assert(
        fc.property(fc.array(dealValues, { maxLength: 30 }), fc.array(change, { maxLength: 25 }), (initial, changes) => {
          const records = new Map<number, PlainRecord>(initial.map((values, i) => [i, { id: i, values }]));
          const state = cloneRaw(full(input, [...records.values()]));
          for (const c of changes) {
            const before = records.get(c.target);
            if (before) applyContribution(state, contributionOf(input, DEALS, snapshotRowOf(DEALS, before)), -1n);
            if (c.kind === 'upsert') {
              const after = { id: c.target, values: c.values };
              records.set(c.target, after);
              applyContribution(state, contributionOf(input, DEALS, snapshotRowOf(DEALS, after)), 1n);
            } else {
              records.delete(c.target);
            }
          }
          expect(normal(state)).toEqual(normal(full(input, [...records.values()])));
        }),
        { numRuns: 60 },
      );
    });
  }
});

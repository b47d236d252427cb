import { describe, expect, it } from 'vitest';
import { CALENDAR_YEAR } from '../period.js';
import { assignmentsOn, territoriesOf, validateAssignments, type TerritoryAssignment } from './assignment.js';
import { coverageReport } from './coverage.js';
import { productLineTargets, validateTerritoryPlans, type TerritoryPlan } from './plan.js';
import { attributeRecord, criteriaIntersect, deepestTerritories, indexTerritories, validateTerritories, type Territory, type TerritoryRecord } from './territory.js';

const makeTerritory = (over: Partial<Territory> & Pick<Territory, 'id'>): Territory => ({ name: over.id, parentId: null, criteria: {}, ...over });
const makeRecord = (over: Partial<TerritoryRecord> & Pick<TerritoryRecord, 'id'>): TerritoryRecord => over;

const TERRITORIES: Territory[] = [
  makeTerritory({ id: 'emea', criteria: { regions: ['EMEA'] } }),
  makeTerritory({ id: 'amer', criteria: { regions: ['Americas'] } }),
  makeTerritory({ id: 'dach', parentId: 'emea', criteria: { countries: ['DE', 'AT', 'CH'] } }),
  makeTerritory({ id: 'uk', parentId: 'emea', criteria: { countries: ['GB'] } }),
  makeTerritory({ id: 'berlin', parentId: 'dach', criteria: { postcodeRanges: [{ country: 'DE', from: '10000', to: '14999' }] } }),
  makeTerritory({ id: 'de-rest', parentId: 'dach', criteria: { postcodeRanges: [{ country: 'DE', from: '01000', to: '99999' }, { country: 'AT', from: '1000', to: '9999' }, { country: 'CH', from: '1000', to: '9999' }] } }),
  makeTerritory({ id: 'strategic', parentId: 'emea', criteria: { namedAccounts: ['A-000042'], segments: ['enterprise'] } }),
  makeTerritory({ id: 'analytics', parentId: 'amer', criteria: { productLines: ['Analytics'] } }),
];

describe('attributeRecord', () => {
  it('walks down the tree: a Berlin record is in EMEA, DACH and both postcode territories (an overlap)', () => {
    const r = makeRecord({ id: 'D-1', region: 'emea', country: 'de', postcode: '10 115' });
    const matched = attributeRecord(r, TERRITORIES);
    expect(matched).toEqual(['emea', 'dach', 'berlin', 'de-rest']);
    expect(deepestTerritories(matched, TERRITORIES)).toEqual(['berlin', 'de-rest']);
  });

  it('requires every named dimension (AND) and any listed value (OR)', () => {
    expect(attributeRecord(makeRecord({ id: 'x', region: 'EMEA', accountId: 'A-000042', segment: 'smb' }), TERRITORIES)).toEqual(['emea']);
    expect(attributeRecord(makeRecord({ id: 'x', region: 'EMEA', accountId: 'A-000042', segment: 'Enterprise' }), TERRITORIES)).toEqual(['emea', 'strategic']);
    expect(attributeRecord(makeRecord({ id: 'x', region: 'Americas', productLine: 'Platform' }), TERRITORIES)).toEqual(['amer']);
    expect(attributeRecord(makeRecord({ id: 'x', country: 'DE' }), TERRITORIES)).toEqual([]);
  });

  it('applies a postcode range only in its country and treats the upper bound as a prefix', () => {
    const idx = indexTerritories([makeTerritory({ id: 'sw', criteria: { postcodeRanges: [{ country: 'GB', from: 'SW1', to: 'SW9' }] } })]);
    expect(attributeRecord(makeRecord({ id: 'a', country: 'GB', postcode: 'SW9 1AA' }), idx)).toEqual(['sw']);
    expect(attributeRecord(makeRecord({ id: 'b', country: 'GB', postcode: 'W1A 1AA' }), idx)).toEqual([]);
    expect(attributeRecord(makeRecord({ id: 'c', country: 'IE', postcode: 'SW2' }), idx)).toEqual([]);
  });
});

describe('coverageReport', () => {
  it('lists overlaps and gaps per level without resolving them', () => {
    const report = coverageReport({
      territories: TERRITORIES,
      records: [
        makeRecord({ id: 'berlin', region: 'EMEA', country: 'DE', postcode: '10115' }),
        makeRecord({ id: 'paris', region: 'EMEA', country: 'FR', postcode: '75001' }),
        makeRecord({ id: 'tokyo', region: 'APAC', country: 'JP' }),
        makeRecord({ id: 'munich', region: 'EMEA', country: 'DE', postcode: '80331' }),
      ],
    });
    expect(report.overlaps).toEqual([{ recordId: 'berlin', parentId: 'dach', territoryIds: ['berlin', 'de-rest'] }]);
    expect(report.gaps).toEqual([{ recordId: 'paris', parentId: 'emea' }, { recordId: 'tokyo', parentId: null }]);
    expect(report.covered).toBe(3);
    expect(report.recordsByTerritory.find((t) => t.territoryId === 'dach')?.records).toBe(2);
    expect(report.criteriaOverlaps).toContainEqual({ parentId: 'dach', territoryIds: ['berlin', 'de-rest'] });
    // DACH and the strategic accounts may meet (a named account in Germany), UK and DACH cannot.
    expect(report.criteriaOverlaps).toContainEqual({ parentId: 'emea', territoryIds: ['dach', 'strategic'] });
    expect(report.criteriaOverlaps).not.toContainEqual({ parentId: 'emea', territoryIds: ['dach', 'uk'] });
  });

  it('finds intersecting criteria without records', () => {
    expect(criteriaIntersect({ postcodeRanges: [{ from: '10000', to: '19999' }] }, { postcodeRanges: [{ from: '20000', to: '29999' }] })).toBe(false);
    expect(criteriaIntersect({ postcodeRanges: [{ from: '10000', to: '19999' }] }, { postcodeRanges: [{ from: '19000', to: '29999' }] })).toBe(true);
    expect(criteriaIntersect({ countries: ['DE'] }, { countries: ['de', 'FR'] })).toBe(true);
  });
});

describe('validateTerritories', () => {
  it('reports duplicates, unknown parents, cycles, bad ranges and criteria that match everything', () => {
    const result = validateTerritories([
      makeTerritory({ id: 'a', parentId: 'b', criteria: { countries: ['DE'] } }),
      makeTerritory({ id: 'b', parentId: 'a', criteria: { countries: ['DE'] } }),
      makeTerritory({ id: 'c', parentId: 'zz', criteria: { postcodeRanges: [{ from: '9', to: '1' }] } }),
      makeTerritory({ id: 'c', criteria: {} }),
    ]);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.code)).toEqual(['duplicate_territory', 'cycle', 'cycle', 'unknown_parent', 'bad_postcode_range', 'matches_everything']);
    expect(validateTerritories(TERRITORIES)).toEqual({ ok: true, issues: [] });
  });
});

describe('territory assignments', () => {
  const assignments: TerritoryAssignment[] = [
    { territoryId: 'dach', assigneeKind: 'rep', assigneeId: 'anna', role: 'owner', from: '2026-01-01', until: '2026-07-01' },
    { territoryId: 'dach', assigneeKind: 'rep', assigneeId: 'ben', role: 'owner', from: '2026-07-01', until: null },
    { territoryId: 'dach', assigneeKind: 'team', assigneeId: 'dach-team', role: 'owner', from: '2026-01-01', until: null },
  ];

  it('answers who covers a territory on a day, and what an assignee covers', () => {
    expect(assignmentsOn({ assignments, territoryId: 'dach', date: '2026-06-30' }).map((a) => a.assigneeId)).toEqual(['anna', 'dach-team']);
    expect(assignmentsOn({ assignments, territoryId: 'dach', date: '2026-07-01' }).map((a) => a.assigneeId)).toEqual(['ben', 'dach-team']);
    expect(territoriesOf({ assignments, assignee: { kind: 'rep', id: 'anna' }, date: '2026-08-01' })).toEqual([]);
  });

  it('validates dates, territories, double assignment and shared ownership', () => {
    expect(validateAssignments(assignments, new Set(['dach']))).toEqual({ ok: true, issues: [] });
    const result = validateAssignments(
      [
        ...assignments,
        { territoryId: 'dach', assigneeKind: 'rep', assigneeId: 'anna', role: 'overlay', from: '2026-03-01', until: '2026-04-01' },
        { territoryId: 'dach', assigneeKind: 'rep', assigneeId: 'carl', role: 'owner', from: '2026-08-01', until: null },
        { territoryId: 'nowhere', assigneeKind: 'rep', assigneeId: 'x', role: 'owner', from: '2026-02-01', until: '2026-01-01' },
      ],
      new Set(['dach']),
    );
    expect(result.issues.map((i) => i.code)).toEqual(['unknown_territory', 'bad_dates', 'overlapping_assignment', 'several_owners']);
  });
});

describe('territory plans', () => {
  const plan = (over: Partial<TerritoryPlan> = {}): TerritoryPlan => ({
    territoryId: 'emea', period: 'FY2026', revenueTargetMinor: 1_000_000_00, headcount: 12,
    productLineMix: [{ productLine: 'Platform', share: '0.6' }, { productLine: 'Analytics', share: '0.3' }, { productLine: 'Services', share: '0.1' }],
    ...over,
  });

  it('splits the target by product line to the cent', () => {
    expect(productLineTargets(plan({ revenueTargetMinor: 100, productLineMix: [{ productLine: 'A', share: '0.333333' }, { productLine: 'B', share: '0.666667' }] }))).toEqual([
      { productLine: 'A', targetMinor: 33 },
      { productLine: 'B', targetMinor: 67 },
    ]);
  });

  it('validates mixes, amounts, headcount and periods, and warns when children do not add up', () => {
    const result = validateTerritoryPlans({
      plans: [
        plan(),
        plan({ territoryId: 'dach', revenueTargetMinor: 400_000_00 }),
        plan({ territoryId: 'uk', revenueTargetMinor: 500_000_00, productLineMix: [{ productLine: 'Platform', share: '0.5' }, { productLine: 'platform', share: '0.4' }] }),
        plan({ territoryId: 'amer', period: '2026-03', headcount: 1.5, revenueTargetMinor: -1 }),
      ],
      territories: TERRITORIES,
      calendar: CALENDAR_YEAR,
    });
    expect(result.issues.map((i) => `${i.severity}:${i.code}`)).toEqual([
      'error:duplicate_product_line',
      'error:mix_not_whole',
      'error:bad_period',
      'error:bad_amount',
      'error:bad_headcount',
      'warning:children_do_not_add_up',
    ]);
    expect(validateTerritoryPlans({ plans: [plan()], territories: TERRITORIES, calendar: CALENDAR_YEAR })).toEqual({ ok: true, issues: [] });
  });
});

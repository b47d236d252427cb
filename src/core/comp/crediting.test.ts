import { describe, expect, it } from 'vitest';
import { allocateSplits, creditRecords } from './crediting.js';
import { makeDeal } from './test-fixtures.js';

const summary = (records: Parameters<typeof creditRecords>[0], rules: Parameters<typeof creditRecords>[1] = {}) =>
  creditRecords(records, rules).credits.map((c) => `${c.payeeId}:${c.kind}:${c.amountMinor}`).sort();

describe('creditRecords', () => {
  it('credits the owner when there are no splits', () => {
    expect(summary([makeDeal({ ownerId: 'ann', amountMinor: 500 })])).toEqual(['ann:owner:500']);
  });

  it('allocates splits by largest remainder so the cents add up', () => {
    expect(allocateSplits(100, ['33.33', '33.33', '33.34'])).toEqual([33, 33, 34]);
    expect(allocateSplits(1, ['50', '50'])).toEqual([1, 0]);
    expect(allocateSplits(-10_001, ['50', '50'])).toEqual([-5001, -5000]);
    expect(allocateSplits(100, ['60', '30'])).toBeNull();
    expect(summary([makeDeal({ amountMinor: 10_000, splits: [{ payeeId: 'ann', percent: '60' }, { payeeId: 'bob', percent: '40' }] })])).toEqual(['ann:split:6000', 'bob:split:4000']);
  });

  it('reports splits that do not sum to exactly 100 % and credits nothing for them', () => {
    const result = creditRecords([makeDeal({ id: 'bad', splits: [{ payeeId: 'ann', percent: '60' }, { payeeId: 'bob', percent: '40.01' }] })]);
    expect(result.credits).toEqual([]);
    expect(result.issues).toEqual([{ code: 'bad_split', path: 'records.0.splits', message: 'record bad: split percentages must be exact decimals that sum to exactly 100' }]);
  });

  it('adds overlay credit without reducing the owner’s', () => {
    expect(summary([makeDeal({ ownerId: 'ann', amountMinor: 1001, overlays: [{ payeeId: 'se' }, { payeeId: 'ps', percent: '50' }] })])).toEqual(['ann:owner:1001', 'ps:overlay:501', 'se:overlay:1001']);
  });

  const teams = [
    { id: 'company', parentId: null, managerId: 'ceo', memberIds: ['ceo', 'vp'] },
    { id: 'emea', parentId: 'company', managerId: 'vp', memberIds: ['vp', 'mgr'] },
    { id: 'dach', parentId: 'emea', managerId: 'mgr', memberIds: ['ann', 'bob', 'mgr'] },
  ];
  it('rolls credit up through the team tree, once per manager and record', () => {
    expect(summary([makeDeal({ amountMinor: 900, splits: [{ payeeId: 'ann', percent: '50' }, { payeeId: 'bob', percent: '50' }] })], { teams })).toEqual([
      'ann:split:450', 'bob:split:450', 'ceo:manager:900', 'mgr:manager:900', 'vp:manager:900',
    ]);
  });

  it('credits no one above when no team has a manager (the same credits, in the same order, as without teams)', () => {
    const records = [
      makeDeal({ id: 'a', ownerId: 'ann', amountMinor: 900, splits: [{ payeeId: 'ann', percent: '70' }, { payeeId: 'bob', percent: '30' }] }),
      makeDeal({ id: 'b', ownerId: 'bob', amountMinor: 301, overlays: [{ payeeId: 'se', percent: '50' }] }),
      makeDeal({ id: 'c', ownerId: 'ann', amountMinor: -40 }),
    ];
    const unmanaged = teams.map((t) => ({ ...t, managerId: null }));
    expect(creditRecords(records, { teams: unmanaged })).toEqual(creditRecords(records));
    expect(creditRecords(records, { teams: unmanaged, teamCredit: ['dach'] })).toEqual(creditRecords(records, { teams: unmanaged, managerRollup: false, teamCredit: ['dach'] }));
  });

  it('gives team credit to every member of a team-credit team', () => {
    expect(summary([makeDeal({ ownerId: 'ann', amountMinor: 300 })], { teams, managerRollup: false, teamCredit: ['dach'] })).toEqual(['ann:owner:300', 'ann:team:300', 'bob:team:300', 'mgr:team:300']);
  });

  it('credits territory payees from the record or a supplied function', () => {
    const territories = [{ territoryId: 'de', payeeId: 'tm' }, { territoryId: 'at', payeeId: 'tm2', percent: '25' }];
    expect(summary([makeDeal({ ownerId: 'ann', amountMinor: 400, territoryIds: ['de'] })], { territories })).toEqual(['ann:owner:400', 'tm:territory:400']);
    expect(summary([makeDeal({ ownerId: 'ann', amountMinor: 400, fields: { country: 'AT' } })], { territories, territoryOf: (r) => [String(r.fields?.country).toLowerCase()] })).toEqual(['ann:owner:400', 'tm2:territory:100']);
  });
});

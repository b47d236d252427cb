import { describe, expect, it } from 'vitest';
import { buildAlignmentTree } from './alignment.js';
import { changeSince, checkinValueOf, compareForMeeting, expectedLine, historySeries, isCelebration } from './checkin.js';
import type { KeyResultDefinition } from './key-result.js';
import { carriedDefinition, ownerSandbagging, summariseRetrospective } from './retrospective.js';

const base: KeyResultDefinition = { title: 'x', kind: 'number', unit: 'count', direction: 'increase', start: 0, target: 90, baseline: null, metric: null, checklist: [], guardrail: null, weight: 1 };
const q1 = { start: '2026-01-01', end: '2026-04-01' };

describe('check-ins', () => {
  it('records what each kind of key result takes', () => {
    expect(checkinValueOf(base, { value: 12 }, null)).toEqual({ ok: true, value: 12, checklistDone: null });
    expect(checkinValueOf(base, {}, null)).toEqual({ ok: true, value: null, checklistDone: null });
    expect(checkinValueOf({ ...base, kind: 'milestone' }, { done: true }, null)).toEqual({ ok: true, value: 1, checklistDone: null });
    expect(checkinValueOf({ ...base, kind: 'checklist', checklist: ['a', 'b'] }, { checklistDone: [true, false] }, null)).toEqual({ ok: true, value: 1, checklistDone: [true, false] });
    expect(checkinValueOf({ ...base, kind: 'metric' }, {}, 42)).toEqual({ ok: true, value: 42, checklistDone: null });
    const typed = checkinValueOf({ ...base, kind: 'metric' }, { value: 1 }, 42);
    expect(typed.ok ? null : typed.issues[0]?.code).toBe('value_from_metric');
    const short = checkinValueOf({ ...base, kind: 'checklist', checklist: ['a', 'b'] }, { checklistDone: [true] }, null);
    expect(short.ok ? null : short.issues[0]?.path).toBe('checklistDone');
  });

  it('draws the history against the expected line', () => {
    expect(historySeries(base, q1, [{ date: '2026-01-31', value: 25 }, { date: '2026-01-11', value: 10 }])).toEqual([
      { date: '2026-01-11', value: 10, expected: 10 },
      { date: '2026-01-31', value: 25, expected: 30 },
    ]);
    expect(expectedLine(base, q1)).toEqual([{ date: '2026-01-01', value: 0 }, { date: '2026-03-31', value: 90 }]);
    expect(expectedLine({ ...base, kind: 'milestone' }, q1)).toBeNull();
  });

  it('celebrates reaching the target once', () => {
    expect(isCelebration(0.9, 1)).toBe(true);
    expect(isCelebration(null, 1)).toBe(true);
    expect(isCelebration(1, 1)).toBe(false);
    expect(isCelebration(0.5, 0.9)).toBe(false);
  });

  it('puts at-risk items first in the meeting, biggest drops first', () => {
    const item = (paceStatus: 'at_risk' | 'behind' | 'on_track' | 'not_started', before: number, now: number) => ({ paceStatus, change: changeSince({ value: before, score: before }, { value: now, score: now }) });
    const items = [item('on_track', 0.5, 0.6), item('at_risk', 0.3, 0.3), item('behind', 0.4, 0.2), item('at_risk', 0.4, 0.1)];
    expect(items.sort(compareForMeeting).map((i) => [i.paceStatus, i.change.scoreDelta])).toEqual([['at_risk', -0.3], ['at_risk', 0], ['behind', -0.2], ['on_track', 0.1]]);
    expect(changeSince(null, { value: 5, score: 0.1 })).toEqual({ previousValue: null, currentValue: 5, previousScore: null, score: 0.1, scoreDelta: 0.1, changed: true });
  });
});

describe('retrospective', () => {
  it('reads each objective against its commitment and lists unfinished key results', () => {
    const summary = summariseRetrospective([
      { id: 'a', commitment: 'committed', score: 1, keyResults: [{ id: 'a1', score: 1 }] },
      { id: 'b', commitment: 'committed', score: 0.8, keyResults: [{ id: 'b1', score: 0.6 }, { id: 'b2', score: 1 }] },
      { id: 'c', commitment: 'aspirational', score: 0.65, keyResults: [{ id: 'c1', score: 0.65 }] },
    ]);
    expect(summary).toMatchObject({ averageScore: 0.8167, committedMet: 1, committedMissed: 1, aspirationalHealthy: 1, unfinishedKeyResultIds: ['b1', 'c1'] });
  });

  it('flags sandbagging over the owner’s last two closed cycles, in date order', () => {
    const easy = [{ commitment: 'aspirational' as const, score: 1 }];
    const hard = [{ commitment: 'aspirational' as const, score: 0.5 }];
    expect(ownerSandbagging([{ cycleStart: '2026-04-01', keyResults: easy }, { cycleStart: '2026-01-01', keyResults: easy }, { cycleStart: '2025-10-01', keyResults: hard }])).toBe(true);
    expect(ownerSandbagging([{ cycleStart: '2026-04-01', keyResults: hard }, { cycleStart: '2026-01-01', keyResults: easy }, { cycleStart: '2025-10-01', keyResults: easy }])).toBe(false);
  });

  it('carries a key result on from where it stands', () => {
    expect(carriedDefinition(base, { current: 30, checklistDone: null })).toMatchObject({ start: 30, target: 90 });
    expect(carriedDefinition({ ...base, kind: 'metric' }, { current: 30, checklistDone: null }).start).toBe(0);
    expect(carriedDefinition({ ...base, kind: 'checklist', checklist: ['a', 'b', 'c'] }, { current: 1, checklistDone: [true, false, false] }).checklist).toEqual(['b', 'c']);
  });
});

describe('alignment tree', () => {
  it('nests company → teams → people with their objectives', () => {
    const tree = buildAlignmentTree({
      teams: [
        { id: 'c', name: 'Company', kind: 'company', parentId: null, managerUserId: 'ceo' },
        { id: 'd', name: 'DACH', kind: 'team', parentId: 'c', managerUserId: 'm' },
      ],
      people: [{ userId: 'rita', name: 'Rita', teamId: 'd' }, { userId: 'ceo', name: 'CEO', teamId: null }],
      objectives: [{ id: 'o1', owner: { kind: 'team', id: 'c' } }, { id: 'o2', owner: { kind: 'team', id: 'd' } }, { id: 'o3', owner: { kind: 'user', id: 'rita' } }, { id: 'o4', owner: { kind: 'user', id: 'ceo' } }],
    });
    expect(tree.roots.map((r) => r.objectives.map((o) => o.id))).toEqual([['o1']]);
    const dach = tree.roots[0]?.children[0];
    expect(dach?.objectives.map((o) => o.id)).toEqual(['o2']);
    expect(dach?.people).toEqual([{ userId: 'rita', name: 'Rita', objectives: [{ id: 'o3', owner: { kind: 'user', id: 'rita' } }] }]);
    expect(tree.unassigned.map((u) => [u.userId, u.objectives.map((o) => o.id)])).toEqual([['ceo', ['o4']]]);
  });
});

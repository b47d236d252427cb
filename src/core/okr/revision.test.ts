import { describe, expect, it } from 'vitest';
import type { KeyResultDefinition } from './key-result.js';
import { changedFields, definitionAt, endOfDayInstant, needsRevision } from './revision.js';

const v1: KeyResultDefinition = { title: 'Demos', kind: 'number', unit: 'count', direction: 'increase', start: 0, target: 100, baseline: null, metric: null, checklist: [], guardrail: null, weight: 1 };
const v2 = { ...v1, target: 200 };
const v3 = { ...v2, weight: 2 };
const revisions = [
  { at: '2026-02-10T09:00:00.000Z', before: v1, after: v2 },
  { at: '2026-03-01T09:00:00.000Z', before: v2, after: v3 },
];

describe('key-result revisions', () => {
  it('finds the definition in effect at any instant', () => {
    expect(definitionAt(v3, revisions, endOfDayInstant('2026-02-09'))).toEqual(v1);
    expect(definitionAt(v3, revisions, endOfDayInstant('2026-02-10'))).toEqual(v2);
    expect(definitionAt(v3, revisions, '2026-03-05T00:00:00.000Z')).toEqual(v3);
    expect(definitionAt(v1, [], '2020-01-01T00:00:00.000Z')).toEqual(v1);
  });

  it('names what changed, and needs a reason only once the objective is active', () => {
    expect(changedFields(v1, v3)).toEqual(['target', 'weight']);
    expect(changedFields(v1, { ...v1, metric: null })).toEqual([]);
    expect(changedFields({ ...v1, metric: { key: 'r', version: null, parameters: { a: '1', b: '2' } } }, { ...v1, metric: { key: 'r', version: null, parameters: { b: '2', a: '1' } } })).toEqual([]);
    expect(needsRevision('draft', v1, v2)).toBe(false);
    expect(needsRevision('proposed', v1, v2)).toBe(false);
    expect(needsRevision('active', v1, v2)).toBe(true);
    expect(needsRevision('active', v1, v1)).toBe(false);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { OkrSetDocument, scoreDocument } from './document.js';
import { okrSetJsonSchema } from './document-schema.js';
import { OKR_TEMPLATES } from './templates.js';

const EXAMPLES = 'examples/okrs';

describe('OKR set documents', () => {
  it('ships one example per template, and each one validates and scores', () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));
    expect(files.map((f) => f.replace('.yaml', '')).sort()).toEqual(OKR_TEMPLATES.map((t) => t.id).sort());
    for (const file of files) {
      const doc = OkrSetDocument.parse(parse(readFileSync(`${EXAMPLES}/${file}`, 'utf8')));
      const result = scoreDocument(doc);
      for (const objective of result.objectives) {
        expect(objective.score, file).toBeGreaterThanOrEqual(0);
        expect(objective.score, file).toBeLessThanOrEqual(1);
        expect(objective.keyResults.length, file).toBe(3);
      }
    }
  });

  it('scores a worked example', () => {
    const doc = OkrSetDocument.parse({
      version: 1,
      cycle: { key: '2026-Q1', start: '2026-01-01', end: '2026-04-01' },
      objectives: [
        {
          id: 'o1', title: 'Grow revenue', commitment: 'committed',
          keyResults: [
            { id: 'a', title: 'Revenue', kind: 'currency', target: 500_000, current: 500_000 },
            { id: 'b', title: 'Deals', kind: 'number', target: 50, history: [{ date: '2026-02-01', value: 20 }, { date: '2026-03-31', value: 45 }] },
            { id: 'c', title: 'Launch', kind: 'milestone', done: false },
          ],
        },
      ],
    });
    const result = scoreDocument(doc);
    expect(result.final).toBe(true);
    expect(result.asOf).toBe('2026-03-31');
    const [objective] = result.objectives;
    expect(objective?.keyResults.map((kr) => kr.score)).toEqual([1, 0.9, 0]);
    // (1 + 0.9 + 0) / 3
    expect(objective).toMatchObject({ score: 0.6333, band: 'yellow', expectation: { verdict: 'missed', needsExplanation: true } });
  });

  it('reports invalid documents with the path of each problem', () => {
    const parsed = OkrSetDocument.safeParse({
      version: 1, cycle: { start: '2026-01-01', end: '2026-02-30' },
      objectives: [{ id: 'o', title: 'x', keyResults: [{ id: 'k', title: 'y', kind: 'checklist', items: [] }] }],
    });
    expect(parsed.success).toBe(false);
    const paths = parsed.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['cycle.end', 'objectives.0.keyResults.0.items']));
  });

  it('publishes the JSON Schema that the code enforces', () => {
    const committed = JSON.parse(readFileSync('docs/schemas/okr-set.schema.json', 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(okrSetJsonSchema())));
  });
});

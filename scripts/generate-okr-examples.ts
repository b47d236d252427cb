// Writes examples/okrs/<template>.yaml — one OKR set document per template, with sample
// check-in values — and docs/schemas/okr-set.schema.json. Run: npx tsx scripts/generate-okr-examples.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { okrSetJsonSchema } from '../src/core/okr/document-schema.js';
import { OKR_TEMPLATES, type KeyResultTemplate } from '../src/core/okr/templates.js';

const BASELINES: Record<string, number> = { money: 48_000, count: 400, percent: 12, days: 42, hours: 20, number: 10 };

function keyResult(kr: KeyResultTemplate, index: number, seed: number) {
  const id = `kr${index + 1}`;
  const share = [0.35, 0.55, 0.72, 0.9, 0.48][(seed + index) % 5] ?? 0.5;
  if (kr.kind === 'milestone') return { id, title: kr.title.en, kind: 'milestone', done: (seed + index) % 2 === 0 };
  if (kr.kind === 'checklist') {
    return { id, title: kr.title.en, kind: 'checklist', items: (kr.checklist ?? []).map((item, i) => ({ title: item.en, done: i < 1 + (seed % 2) })) };
  }
  if (kr.kind === 'guardrail') {
    return {
      id, title: kr.title.en, kind: 'guardrail', mode: 'stay_above', limit: kr.target ?? 100,
      history: [{ date: '2026-01-05', value: 100 }, { date: '2026-01-19', value: 90 }, { date: '2026-01-26', value: 100 }],
    };
  }
  const baseline = BASELINES[kr.unit] ?? 10;
  const start = kr.relative ? baseline : 0;
  const target = kr.relative ? Math.round(baseline * (1 + kr.relative.changePercent / 100) * 100) / 100 : (kr.target ?? 0);
  const precision = kr.unit === 'count' || kr.unit === 'money' ? 1 : 100;
  const at = (f: number) => Math.round((start + (target - start) * f) * precision) / precision;
  return {
    id, title: kr.title.en, kind: kr.kind, ...(kr.metric ? { metric: kr.metric.key } : {}), unit: kr.unit, start, target,
    history: [{ date: '2026-01-15', value: at(share * 0.3) }, { date: '2026-02-01', value: at(share * 0.7) }, { date: '2026-02-13', value: at(share) }],
  };
}

mkdirSync('examples/okrs', { recursive: true });
OKR_TEMPLATES.forEach((template, seed) => {
  const doc = {
    $schema: '../../docs/schemas/okr-set.schema.json',
    version: 1,
    cycle: { key: '2026-Q1', start: '2026-01-01', end: '2026-04-01' },
    asOf: '2026-02-15',
    objectives: [
      {
        id: template.id, title: template.title.en, description: template.description.en, owner: 'team:dach', category: template.category,
        commitment: template.commitment, template: template.id, keyResults: template.keyResults.map((kr, i) => keyResult(kr, i, seed)),
      },
    ],
  };
  writeFileSync(`examples/okrs/${template.id}.yaml`, `# ${template.title.en} / ${template.title.de}\n# Score it: npx attain okr score examples/okrs/${template.id}.yaml\n${stringify(doc)}`);
});
mkdirSync('docs/schemas', { recursive: true });
writeFileSync('docs/schemas/okr-set.schema.json', `${JSON.stringify(okrSetJsonSchema(), null, 2)}\n`);
console.log(`wrote ${OKR_TEMPLATES.length} examples and the schema`);

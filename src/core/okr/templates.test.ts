import { describe, expect, it } from 'vitest';
import { OKR_TEMPLATES } from './templates.js';
import { checkGuidance } from './guidance.js';

describe('OKR templates', () => {
  it('has the seed’s fifteen examples, each in English and German, with three key results', () => {
    expect(OKR_TEMPLATES).toHaveLength(15);
    expect(new Set(OKR_TEMPLATES.map((t) => t.id)).size).toBe(15);
    for (const template of OKR_TEMPLATES) {
      for (const text of [template.title, template.description, ...template.keyResults.map((kr) => kr.title)]) {
        expect(text.en.length, template.id).toBeGreaterThan(5);
        expect(text.de.length, template.id).toBeGreaterThan(5);
        expect(text.de, template.id).not.toBe(text.en);
      }
      expect(template.keyResults, template.id).toHaveLength(3);
    }
  });

  it('gives every key result a way to be measured', () => {
    for (const template of OKR_TEMPLATES) {
      for (const kr of template.keyResults) {
        const measured = kr.kind === 'milestone' || (kr.kind === 'checklist' ? (kr.checklist?.length ?? 0) > 0 : kr.target !== undefined || kr.relative !== undefined);
        expect(measured, `${template.id}: ${kr.title.en}`).toBe(true);
        if (kr.kind === 'metric') expect(kr.metric, `${template.id}: ${kr.title.en}`).toBeDefined();
        else if (kr.kind !== 'milestone' && kr.kind !== 'checklist') expect(kr.trackingNote, `${template.id}: ${kr.title.en} says how to track it`).toBeDefined();
      }
    }
  });

  it('keeps the seed’s figures', () => {
    const targets = Object.fromEntries(OKR_TEMPLATES.map((t) => [t.id, t.keyResults.map((kr) => kr.target ?? kr.relative?.changePercent ?? null)]));
    expect(targets['grow-quarterly-revenue']).toEqual([500_000, 50, 10]);
    expect(targets['keep-customers-longer']).toEqual([85, -5, 100]);
    expect(targets['expand-into-new-regions']).toEqual([3, 200, 1_000_000]);
    expect(targets['lower-acquisition-cost']).toEqual([-10, 30, null]);
  });

  it('words objectives as outcomes, not tasks', () => {
    const warnings = checkGuidance({
      objectives: OKR_TEMPLATES.map((t) => ({ ownerKey: t.id, title: t.title.en, keyResults: t.keyResults.map((kr) => ({ title: kr.title.en, measurable: true })) })),
    }).filter((w) => w.code === 'objective_sounds_like_task');
    expect(warnings).toEqual([]);
    const german = checkGuidance({
      objectives: OKR_TEMPLATES.map((t) => ({ ownerKey: t.id, title: t.title.de, keyResults: t.keyResults.map((kr) => ({ title: kr.title.de, measurable: true })) })),
    }).filter((w) => w.code === 'objective_sounds_like_task');
    expect(german).toEqual([]);
  });
});

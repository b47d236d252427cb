import { describe, expect, it } from 'vitest';
import { checkGuidance, soundsLikeTask } from './guidance.js';

const kr = (title: string, measurable = true) => ({ title, measurable });

describe('checkGuidance', () => {
  it('accepts 3 objectives of 3 measurable key results each', () => {
    const objectives = ['Grow quarterly revenue', 'Keep customers longer', 'Win the DACH market'].map((title) => ({
      ownerKey: 'team:dach', title, keyResults: [kr('a'), kr('b'), kr('c')],
    }));
    expect(checkGuidance({ objectives })).toEqual([]);
  });

  it('warns about counts, unmeasurable key results and task wording, with paths', () => {
    const warnings = checkGuidance({
      objectives: [{ ownerKey: 'user:rita', title: 'Conduct 10 sales trainings', keyResults: [kr('Trainings held', false)] }],
    });
    expect(warnings.map((w) => [w.code, w.path])).toEqual([
      ['too_few_key_results', 'objectives.0'],
      ['key_result_not_measurable', 'objectives.0.keyResults.0'],
      ['objective_sounds_like_task', 'objectives.0'],
      ['too_few_objectives', 'owner:user:rita'],
    ]);
  });

  it('lets a workspace tune the limits', () => {
    const objectives = [{ ownerKey: 'x', title: 'Delight customers', keyResults: [kr('a')] }];
    expect(checkGuidance({ objectives }, { objectivesPerOwner: { min: 1, max: 2 }, keyResultsPerObjective: { min: 1, max: 1 }, checkOutcomeWording: true })).toEqual([]);
  });
});

describe('soundsLikeTask', () => {
  it('spots task openings in English and German, not outcomes', () => {
    expect(soundsLikeTask('Implement a new CRM')).toBe(true);
    expect(soundsLikeTask('Einführung eines CRM-Systems')).toBe(true);
    expect(soundsLikeTask('Increase quarterly revenue')).toBe(false);
    expect(soundsLikeTask('Starke Kundenbeziehungen')).toBe(false);
  });
});

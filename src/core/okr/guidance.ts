/**
 * Guidance for well-formed OKRs, as warnings a workspace can tune — never hard blocks:
 * 3–5 objectives per owner per cycle, 2–5 key results per objective, every key result
 * measurable (a target, or checklist items), objectives worded as outcomes, not tasks.
 */

export interface GuidanceSettings {
  objectivesPerOwner: { min: number; max: number };
  keyResultsPerObjective: { min: number; max: number };
  /** Warn when an objective's title starts like a task ("Conduct …", "Einführung …"). */
  checkOutcomeWording: boolean;
}

export const DEFAULT_GUIDANCE: GuidanceSettings = {
  objectivesPerOwner: { min: 3, max: 5 },
  keyResultsPerObjective: { min: 2, max: 5 },
  checkOutcomeWording: true,
};

export type GuidanceCode =
  | 'too_few_objectives'
  | 'too_many_objectives'
  | 'too_few_key_results'
  | 'too_many_key_results'
  | 'key_result_not_measurable'
  | 'objective_sounds_like_task';

export interface GuidanceWarning {
  code: GuidanceCode;
  /** Where: `owner:<id>`, `objectives.<i>` or `objectives.<i>.keyResults.<j>`. */
  path: string;
  /** Values for the message (counts, limits), so the UI can phrase it in any language. */
  params: Record<string, string | number>;
}

export interface GuidanceInput {
  objectives: readonly {
    ownerKey: string;
    title: string;
    keyResults: readonly { title: string; measurable: boolean }[];
  }[];
}

// Words that open a task rather than an outcome, in English and German.
const TASK_OPENINGS = [
  'conduct', 'implement', 'launch', 'hold', 'run', 'train', 'introduce', 'create', 'build', 'organise', 'organize', 'start', 'roll out',
  'durchführung', 'durchführen', 'einführung', 'einführen', 'implementierung', 'implementieren', 'schulung', 'schulen', 'start', 'starten',
  'umsetzung', 'umsetzen', 'erstellung', 'erstellen', 'organisation', 'organisieren',
];

export function soundsLikeTask(title: string): boolean {
  const lower = title.trim().toLowerCase();
  return TASK_OPENINGS.some((word) => lower === word || lower.startsWith(`${word} `));
}

/**
 * @example checkGuidance({ objectives: [{ ownerKey: 'team:dach', title: 'Conduct 10 trainings', keyResults: [] }] })
 * // → warnings: too_few_objectives, too_few_key_results, objective_sounds_like_task
 */
export function checkGuidance(input: GuidanceInput, settings: GuidanceSettings = DEFAULT_GUIDANCE): GuidanceWarning[] {
  const warnings: GuidanceWarning[] = [];
  const perOwner = new Map<string, number>();
  input.objectives.forEach((objective, i) => {
    perOwner.set(objective.ownerKey, (perOwner.get(objective.ownerKey) ?? 0) + 1);
    const count = objective.keyResults.length;
    const { min, max } = settings.keyResultsPerObjective;
    if (count < min) warnings.push({ code: 'too_few_key_results', path: `objectives.${i}`, params: { count, min } });
    if (count > max) warnings.push({ code: 'too_many_key_results', path: `objectives.${i}`, params: { count, max } });
    objective.keyResults.forEach((kr, j) => {
      if (!kr.measurable) warnings.push({ code: 'key_result_not_measurable', path: `objectives.${i}.keyResults.${j}`, params: { title: kr.title } });
    });
    if (settings.checkOutcomeWording && soundsLikeTask(objective.title)) {
      warnings.push({ code: 'objective_sounds_like_task', path: `objectives.${i}`, params: { title: objective.title } });
    }
  });
  for (const [owner, count] of perOwner) {
    const { min, max } = settings.objectivesPerOwner;
    if (count < min) warnings.push({ code: 'too_few_objectives', path: `owner:${owner}`, params: { count, min } });
    if (count > max) warnings.push({ code: 'too_many_objectives', path: `owner:${owner}`, params: { count, max } });
  }
  return warnings;
}

/**
 * Key-result revisions: a change to an active key result's target or definition is recorded
 * with who, when, why and the definition before and after. Scores stay reproducible: a score
 * read "as of" an instant uses the definition that was in effect then — the `before` of the
 * first revision made after that instant, or the current definition when there is none.
 */
import { DEFINITION_FIELDS, type KeyResultDefinition } from './key-result.js';

export interface Revision {
  /** UTC ISO instant the change was made. */
  at: string;
  before: KeyResultDefinition;
  after: KeyResultDefinition;
}

/**
 * The definition in effect at an instant.
 * @example definitionAt(current, [{ at: '2026-02-10T09:00:00.000Z', before: old, after: current }], '2026-02-01T00:00:00.000Z') // → old
 */
export function definitionAt(current: KeyResultDefinition, revisions: readonly Revision[], instant: string): KeyResultDefinition {
  let first: Revision | null = null;
  for (const revision of revisions) {
    if (revision.at > instant && (first === null || revision.at < first.at)) first = revision;
  }
  return first ? first.before : current;
}

const canonical = (value: unknown): string => JSON.stringify(value, (_key, v: unknown) =>
  v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
);

/** The definition fields that differ between two definitions. */
export function changedFields(before: KeyResultDefinition, after: KeyResultDefinition): (keyof KeyResultDefinition)[] {
  return DEFINITION_FIELDS.filter((field) => canonical(before[field]) !== canonical(after[field]));
}

/**
 * Whether a change needs a reason (and becomes a revision): once an objective is active (or
 * closed), any change to a key result's definition does; drafts and proposals change freely.
 */
export function needsRevision(objectiveStatus: 'draft' | 'proposed' | 'active' | 'closed', before: KeyResultDefinition, after: KeyResultDefinition): boolean {
  return (objectiveStatus === 'active' || objectiveStatus === 'closed') && changedFields(before, after).length > 0;
}

/** The end of a day as an instant: what "as of 2026-02-15" means for revisions (in effect by the end of that day, UTC). */
export function endOfDayInstant(date: string): string {
  return `${date}T23:59:59.999Z`;
}

/**
 * Check-ins: what a check-in records for each kind of key result, the history chart's
 * expected line, and the check-in meeting's "what changed since last time", at-risk first.
 */
import { addDays } from '../period.js';
import type { PaceStatus } from './pace.js';
import { round4 } from './scoring.js';
import { expectedValueAt, type KeyResultDefinition } from './key-result.js';

export interface CheckinInput {
  /** Number, percent, currency and guardrail key results. */
  value?: number | null | undefined;
  /** Milestones. */
  done?: boolean | undefined;
  /** Checklists: done flags in item order. */
  checklistDone?: readonly boolean[] | undefined;
}

export interface CheckinIssue {
  code: 'value_from_metric' | 'value_required' | 'wrong_field' | 'checklist_length';
  path: string;
  message: string;
}

/** What a check-in stores: the value (null = a confidence/note-only check-in) and the checklist state. */
export type CheckinValue = { ok: true; value: number | null; checklistDone: boolean[] | null } | { ok: false; issues: CheckinIssue[] };

/**
 * Normalises a check-in for the key result's kind. Metric-bound key results take the
 * metric's value (passed in), never a typed one.
 * @example checkinValueOf(milestone, { done: true }, null) // { ok: true, value: 1, checklistDone: null }
 */
export function checkinValueOf(definition: KeyResultDefinition, input: CheckinInput, metricValue: number | null): CheckinValue {
  const fail = (code: CheckinIssue['code'], path: string, message: string): CheckinValue => ({ ok: false, issues: [{ code, path, message }] });
  switch (definition.kind) {
    case 'metric':
      if (input.value !== undefined && input.value !== null) return fail('value_from_metric', 'value', 'A metric-bound key result takes its value from the metric');
      return { ok: true, value: metricValue, checklistDone: null };
    case 'number':
    case 'percent':
    case 'currency':
    case 'guardrail':
      if (input.done !== undefined || input.checklistDone !== undefined) return fail('wrong_field', 'value', `A ${definition.kind} key result takes a value`);
      return { ok: true, value: input.value ?? null, checklistDone: null };
    case 'milestone':
      if (input.checklistDone !== undefined) return fail('wrong_field', 'done', 'A milestone takes done: true or false');
      if (input.done !== undefined) return { ok: true, value: input.done ? 1 : 0, checklistDone: null };
      if (input.value !== undefined && input.value !== null) return { ok: true, value: input.value >= 1 ? 1 : 0, checklistDone: null };
      return { ok: true, value: null, checklistDone: null };
    case 'checklist': {
      if (input.checklistDone === undefined) {
        if (input.value !== undefined && input.value !== null) return fail('wrong_field', 'checklistDone', 'A checklist takes checklistDone, one flag per item');
        return { ok: true, value: null, checklistDone: null };
      }
      if (input.checklistDone.length !== definition.checklist.length) {
        return fail('checklist_length', 'checklistDone', `The checklist has ${definition.checklist.length} items`);
      }
      const done = [...input.checklistDone];
      return { ok: true, value: done.filter(Boolean).length, checklistDone: done };
    }
    default: {
      const unreachable: never = definition.kind;
      throw new Error(`unknown key result kind ${String(unreachable)}`);
    }
  }
}

export interface SeriesPoint {
  date: string;
  value: number;
  /** Where the straight line from start to target stands that day (linear kinds; null otherwise). */
  expected: number | null;
}

/**
 * The history chart: each day's value next to the expected line (start on the cycle's first
 * day, target on its last).
 * @example historySeries(revenue500k, q1, [{ date: '2026-02-15', value: 200_000 }]) // [{ date: '2026-02-15', value: 200000, expected: 250000 }]
 */
export function historySeries(definition: KeyResultDefinition, cycle: { start: string; end: string }, daily: readonly { date: string; value: number }[]): SeriesPoint[] {
  const linear = definition.kind === 'metric' || definition.kind === 'number' || definition.kind === 'percent' || definition.kind === 'currency';
  const start = definition.start ?? 0;
  const target = definition.target;
  return [...daily]
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map((d) => ({
      date: d.date,
      value: d.value,
      expected: linear && target !== null ? expectedValueAt({ start, target }, cycle, d.date) : null,
    }));
}

/** The expected line's two ends, for drawing it across the whole cycle. */
export function expectedLine(definition: KeyResultDefinition, cycle: { start: string; end: string }): { date: string; value: number }[] | null {
  const linear = definition.kind === 'metric' || definition.kind === 'number' || definition.kind === 'percent' || definition.kind === 'currency';
  if (!linear || definition.target === null) return null;
  return [{ date: cycle.start, value: definition.start ?? 0 }, { date: addDays(cycle.end, -1), value: definition.target }];
}

/** A key result reached its target with this check-in (it was below before): celebrate. */
export function isCelebration(scoreBefore: number | null, scoreAfter: number): boolean {
  return scoreAfter >= 1 && (scoreBefore === null || scoreBefore < 1);
}

const STATUS_RANK: Readonly<Record<PaceStatus, number>> = { at_risk: 0, behind: 1, not_started: 2, on_track: 3 };

export interface MeetingChange {
  previousValue: number | null;
  currentValue: number | null;
  previousScore: number | null;
  score: number;
  /** score − previousScore (score when there was nothing before). */
  scoreDelta: number;
  changed: boolean;
}

/** What changed for one key result since the last meeting. */
export function changeSince(before: { value: number | null; score: number } | null, now: { value: number | null; score: number }): MeetingChange {
  return {
    previousValue: before?.value ?? null,
    currentValue: now.value,
    previousScore: before?.score ?? null,
    score: now.score,
    scoreDelta: round4(now.score - (before?.score ?? 0)),
    changed: before === null ? now.value !== null : before.value !== now.value || before.score !== now.score,
  };
}

/**
 * Meeting order: at risk first, then behind, not started, on track; within a status the
 * biggest drop first, then the lowest score.
 */
export function compareForMeeting(a: { paceStatus: PaceStatus; change: MeetingChange }, b: { paceStatus: PaceStatus; change: MeetingChange }): number {
  return STATUS_RANK[a.paceStatus] - STATUS_RANK[b.paceStatus] || a.change.scoreDelta - b.change.scoreDelta || a.change.score - b.change.score;
}

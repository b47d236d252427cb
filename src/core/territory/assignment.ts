/**
 * Who covers a territory when: reps and teams assigned for date ranges `[from, until)`
 * (until exclusive, null = open-ended), as owner or overlay.
 */
import { epochDay, toEpochDay } from '../period.js';

export interface TerritoryAssignment {
  territoryId: string;
  assigneeKind: 'rep' | 'team';
  assigneeId: string;
  /** An owner carries the territory's quota; an overlay (specialist) is credited alongside. */
  role: 'owner' | 'overlay';
  /** First day, 'YYYY-MM-DD'. */
  from: string;
  /** Day after the last day; null = open-ended. */
  until: string | null;
}

export interface AssignmentIssue {
  code: 'unknown_territory' | 'bad_dates' | 'overlapping_assignment' | 'several_owners';
  severity: 'error' | 'warning';
  path: string;
  message: string;
}

const END_OF_TIME = Number.MAX_SAFE_INTEGER;
const overlap = (a: TerritoryAssignment, b: TerritoryAssignment): boolean =>
  epochDay(a.from) < (b.until === null ? END_OF_TIME : epochDay(b.until)) && epochDay(b.from) < (a.until === null ? END_OF_TIME : epochDay(a.until));

/**
 * Checks dates and territories; the same assignee twice on one territory at once is an
 * error, two rep owners of one territory at once a warning (a shared territory is allowed).
 * @example validateAssignments([{ territoryId: 'dach', assigneeKind: 'rep', assigneeId: 'anna', role: 'owner', from: '2026-01-01', until: null }], new Set(['dach'])) // { ok: true, issues: [] }
 */
export function validateAssignments(assignments: readonly TerritoryAssignment[], territoryIds: ReadonlySet<string>): { ok: boolean; issues: AssignmentIssue[] } {
  const issues: AssignmentIssue[] = [];
  const valid: { a: TerritoryAssignment; i: number }[] = [];
  assignments.forEach((a, i) => {
    if (!territoryIds.has(a.territoryId)) issues.push({ code: 'unknown_territory', severity: 'error', path: `assignments.${i}.territoryId`, message: `no territory "${a.territoryId}"` });
    const from = toEpochDay(a.from);
    const until = a.until === null ? null : toEpochDay(a.until);
    if (from === null || (a.until !== null && (until === null || until <= from))) {
      issues.push({ code: 'bad_dates', severity: 'error', path: `assignments.${i}`, message: 'from must be a date before until' });
      return;
    }
    valid.push({ a, i });
  });
  const byTerritory = new Map<string, { a: TerritoryAssignment; i: number }[]>();
  for (const v of valid) {
    const list = byTerritory.get(v.a.territoryId);
    if (list) list.push(v);
    else byTerritory.set(v.a.territoryId, [v]);
  }
  for (const list of byTerritory.values()) {
    for (let x = 0; x < list.length; x += 1) {
      for (let y = x + 1; y < list.length; y += 1) {
        const p = list[x] as { a: TerritoryAssignment; i: number };
        const q = list[y] as { a: TerritoryAssignment; i: number };
        if (!overlap(p.a, q.a)) continue;
        if (p.a.assigneeKind === q.a.assigneeKind && p.a.assigneeId === q.a.assigneeId) {
          issues.push({ code: 'overlapping_assignment', severity: 'error', path: `assignments.${q.i}`, message: `${q.a.assigneeId} is assigned to ${q.a.territoryId} twice at once (see assignments.${p.i})` });
        } else if (p.a.role === 'owner' && q.a.role === 'owner' && p.a.assigneeKind === 'rep' && q.a.assigneeKind === 'rep') {
          issues.push({ code: 'several_owners', severity: 'warning', path: `assignments.${q.i}`, message: `${q.a.territoryId} has two rep owners at once (${p.a.assigneeId}, ${q.a.assigneeId})` });
        }
      }
    }
  }
  return { ok: !issues.some((i) => i.severity === 'error'), issues };
}

/**
 * The assignments of a territory in force on a day.
 * @example assignmentsOn({ assignments, territoryId: 'dach', date: '2026-03-01' }) // [{ assigneeId: 'rep-1', role: 'owner', … }]
 */
export function assignmentsOn(input: { assignments: readonly TerritoryAssignment[]; territoryId: string; date: string }): TerritoryAssignment[] {
  const { assignments, territoryId } = input;
  const day = epochDay(input.date);
  return assignments.filter((a) => a.territoryId === territoryId && epochDay(a.from) <= day && (a.until === null || day < epochDay(a.until)));
}

/**
 * The territories an assignee covers on a day.
 * @example territoriesOf({ assignments, assignee: { kind: 'rep', id: 'rep-1' }, date: '2026-03-01' }) // ['dach']
 */
export function territoriesOf(input: { assignments: readonly TerritoryAssignment[]; assignee: { kind: 'rep' | 'team'; id: string }; date: string }): string[] {
  const { assignments, assignee } = input;
  const day = epochDay(input.date);
  return assignments.filter((a) => a.assigneeKind === assignee.kind && a.assigneeId === assignee.id && epochDay(a.from) <= day && (a.until === null || day < epochDay(a.until))).map((a) => a.territoryId);
}

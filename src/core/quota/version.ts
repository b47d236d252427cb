/**
 * Quota versions: the shape the store persists, and pure operations on it. A version holds
 * the quota lines of one plan (e.g. FY2026) from `effectiveFrom`; a locked version never
 * changes: a correction is a new version (revise), and the diff between two versions is
 * what a reviewer approves.
 */
import { assertMinor } from './largest-remainder.js';
import { parsePeriod, toEpochDay, type FiscalCalendar } from '../period.js';

export type QuotaAssigneeKind = 'rep' | 'team' | 'territory';

export interface QuotaLine {
  assigneeKind: QuotaAssigneeKind;
  assigneeId: string;
  /** 'FY2026', '2026-Q1' or '2026-03'. */
  period: string;
  quotaMinor: number;
}

export interface QuotaVersion {
  id: string;
  /** The plan this is a version of (one per fiscal year and currency, say). */
  planId: string;
  version: number;
  currency: string;
  /** 'YYYY-MM-DD': the version applies from this day … */
  effectiveFrom: string;
  /** … to the day before this one; null = open-ended (until a later version starts). */
  effectiveTo: string | null;
  isLocked: boolean;
  /** UTC ISO instant. */
  lockedAt: string | null;
  lockedBy: string | null;
  note: string;
  lines: readonly QuotaLine[];
}

export interface QuotaVersionIssue {
  code: 'bad_period' | 'bad_amount' | 'duplicate_line' | 'bad_dates' | 'quota_version_locked';
  path: string;
  message: string;
}

export const quotaLineKey = (line: Pick<QuotaLine, 'assigneeKind' | 'assigneeId' | 'period'>): string => `${line.assigneeKind}:${line.assigneeId}:${line.period}`;

/**
 * Checks a version's lines and dates.
 * @example validateQuotaVersion(version, CALENDAR_YEAR) // { ok: true } or { ok: false, issues: [{ code: 'duplicate_line', … }] }
 */
export function validateQuotaVersion(version: QuotaVersion, calendar: FiscalCalendar): { ok: true } | { ok: false; issues: QuotaVersionIssue[] } {
  const issues: QuotaVersionIssue[] = [];
  const from = toEpochDay(version.effectiveFrom);
  const to = version.effectiveTo === null ? null : toEpochDay(version.effectiveTo);
  if (from === null || (version.effectiveTo !== null && (to === null || to <= from))) {
    issues.push({ code: 'bad_dates', path: 'effectiveFrom', message: 'effectiveFrom must be a date before effectiveTo' });
  }
  const seen = new Set<string>();
  version.lines.forEach((line, i) => {
    const parsed = parsePeriod(line.period, calendar, `lines.${i}.period`);
    if (!parsed.ok || parsed.period.kind === 'week' || parsed.period.kind === 'range') issues.push({ code: 'bad_period', path: `lines.${i}.period`, message: 'a quota period is a fiscal year, quarter or month' });
    if (!Number.isSafeInteger(line.quotaMinor) || line.quotaMinor < 0) issues.push({ code: 'bad_amount', path: `lines.${i}.quotaMinor`, message: 'a quota is a non-negative integer of minor units' });
    const key = quotaLineKey(line);
    if (seen.has(key)) issues.push({ code: 'duplicate_line', path: `lines.${i}`, message: `two quotas for ${key}` });
    seen.add(key);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true };
}

/** Replaces a draft's lines; a locked version refuses (expected failure, not a bug). */
export function editQuotaVersion(version: QuotaVersion, lines: readonly QuotaLine[]): { ok: true; version: QuotaVersion } | { ok: false; issues: QuotaVersionIssue[] } {
  if (version.isLocked) return { ok: false, issues: [{ code: 'quota_version_locked', path: 'version', message: `version ${version.version} is locked: revise it instead` }] };
  return { ok: true, version: { ...version, lines: [...lines] } };
}

/**
 * Locks a version (idempotent for an already locked one).
 * @example lockQuotaVersion(draft, { now: '2026-01-05T10:00:00.000Z', by: 'finance-1' }).isLocked // true
 */
export function lockQuotaVersion(version: QuotaVersion, at: { now: string; by: string }): QuotaVersion {
  if (version.isLocked) return version;
  return { ...version, isLocked: true, lockedAt: at.now, lockedBy: at.by };
}

/**
 * A new draft that copies a version's lines, numbered one higher.
 * @example reviseQuotaVersion(locked, { id: 'v2', effectiveFrom: '2026-04-01' }).version // locked.version + 1
 */
export function reviseQuotaVersion(version: QuotaVersion, next: { id: string; effectiveFrom: string; note?: string }): QuotaVersion {
  return { ...version, id: next.id, version: version.version + 1, effectiveFrom: next.effectiveFrom, effectiveTo: null, isLocked: false, lockedAt: null, lockedBy: null, note: next.note ?? '', lines: [...version.lines] };
}

export interface QuotaLineChange {
  key: string;
  assigneeKind: QuotaAssigneeKind;
  assigneeId: string;
  period: string;
  /** null: the line is new. */
  beforeMinor: number | null;
  /** null: the line was removed. */
  afterMinor: number | null;
  deltaMinor: number;
}

export interface QuotaVersionDiff {
  changes: QuotaLineChange[];
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  totalBeforeMinor: number;
  totalAfterMinor: number;
  totalDeltaMinor: number;
}

/**
 * What changed from one version to another, line by line (sorted by key).
 * @example diffQuotaVersions(v1, v2).totalDeltaMinor // 5000_00
 */
export function diffQuotaVersions(before: Pick<QuotaVersion, 'lines'>, after: Pick<QuotaVersion, 'lines'>): QuotaVersionDiff {
  const a = new Map(before.lines.map((l) => [quotaLineKey(l), l] as const));
  const b = new Map(after.lines.map((l) => [quotaLineKey(l), l] as const));
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changes: QuotaLineChange[] = [];
  let added = 0;
  let removed = 0;
  let changed = 0;
  let unchanged = 0;
  let totalBeforeMinor = 0;
  let totalAfterMinor = 0;
  for (const key of keys) {
    const x = a.get(key);
    const y = b.get(key);
    const line = (y ?? x) as QuotaLine;
    const beforeMinor = x ? assertMinor(x.quotaMinor) : null;
    const afterMinor = y ? assertMinor(y.quotaMinor) : null;
    totalBeforeMinor += beforeMinor ?? 0;
    totalAfterMinor += afterMinor ?? 0;
    if (beforeMinor === afterMinor) {
      unchanged += 1;
      continue;
    }
    if (beforeMinor === null) added += 1;
    else if (afterMinor === null) removed += 1;
    else changed += 1;
    changes.push({ key, assigneeKind: line.assigneeKind, assigneeId: line.assigneeId, period: line.period, beforeMinor, afterMinor, deltaMinor: (afterMinor ?? 0) - (beforeMinor ?? 0) });
  }
  return { changes, added, removed, changed, unchanged, totalBeforeMinor, totalAfterMinor, totalDeltaMinor: totalAfterMinor - totalBeforeMinor };
}

import { describe, expect, it } from 'vitest';
import { CALENDAR_YEAR } from '../period.js';
import { diffQuotaVersions, editQuotaVersion, lockQuotaVersion, reviseQuotaVersion, validateQuotaVersion, type QuotaVersion } from './version.js';

const makeVersion = (over: Partial<QuotaVersion> = {}): QuotaVersion => ({
  id: 'v1', planId: 'fy26', version: 1, currency: 'EUR', effectiveFrom: '2026-01-01', effectiveTo: null, isLocked: false, lockedAt: null, lockedBy: null, note: '',
  lines: [
    { assigneeKind: 'rep', assigneeId: 'r1', period: 'FY2026', quotaMinor: 100_000_00 },
    { assigneeKind: 'rep', assigneeId: 'r2', period: 'FY2026', quotaMinor: 80_000_00 },
  ],
  ...over,
});

describe('quota versions', () => {
  it('diffs line by line with totals', () => {
    const before = makeVersion();
    const after = makeVersion({ lines: [{ assigneeKind: 'rep', assigneeId: 'r1', period: 'FY2026', quotaMinor: 110_000_00 }, { assigneeKind: 'rep', assigneeId: 'r3', period: 'FY2026', quotaMinor: 50_000_00 }] });
    const diff = diffQuotaVersions(before, after);
    expect(diff).toMatchObject({ added: 1, removed: 1, changed: 1, unchanged: 0, totalBeforeMinor: 180_000_00, totalAfterMinor: 160_000_00, totalDeltaMinor: -20_000_00 });
    expect(diff.changes.map((c) => [c.assigneeId, c.deltaMinor])).toEqual([['r1', 10_000_00], ['r2', -80_000_00], ['r3', 50_000_00]]);
    expect(diffQuotaVersions(before, before).changes).toEqual([]);
  });

  it('refuses edits to a locked version; a revision is a new draft', () => {
    const locked = lockQuotaVersion(makeVersion(), { now: '2026-01-05T10:00:00.000Z', by: 'finance-1' });
    expect(locked).toMatchObject({ isLocked: true, lockedBy: 'finance-1' });
    expect(editQuotaVersion(locked, [])).toMatchObject({ ok: false, issues: [{ code: 'quota_version_locked' }] });
    const draft = reviseQuotaVersion(locked, { id: 'v2', effectiveFrom: '2026-04-01' });
    expect(draft).toMatchObject({ id: 'v2', version: 2, isLocked: false, effectiveFrom: '2026-04-01' });
    expect(editQuotaVersion(draft, [])).toMatchObject({ ok: true });
  });

  it('validates periods, amounts, duplicates and dates', () => {
    const bad = makeVersion({
      effectiveTo: '2025-12-31',
      lines: [
        { assigneeKind: 'rep', assigneeId: 'r1', period: '2026-W01', quotaMinor: 1 },
        { assigneeKind: 'rep', assigneeId: 'r1', period: '2026-W01', quotaMinor: 1.5 },
      ],
    });
    const result = validateQuotaVersion(bad, CALENDAR_YEAR);
    expect(result.ok ? [] : result.issues.map((i) => i.code)).toEqual(['bad_dates', 'bad_period', 'bad_period', 'bad_amount', 'duplicate_line']);
    expect(validateQuotaVersion(makeVersion(), CALENDAR_YEAR)).toEqual({ ok: true });
  });
});

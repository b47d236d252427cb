import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestStore, describeEachBackend, type TestStore } from '../../../test/stores.js';
import { seedDemo } from '../seed-demo.js';
import { loadViewer, SYSTEM_VIEWER } from './okr-common.js';
import { getCycleByKey, listCycles } from './okr-cycles.js';
import { seedDemoOkrs } from './okr-demo.js';
import { listObjectiveRecords } from './okr-objectives.js';
import { evaluateObjectives } from './okr-read.js';
import { alignmentView, meetingView, retrospectiveView } from './okr-views.js';

describeEachBackend('demo OKRs', (backend) => {
  let t: TestStore;
  let tenantId: string;
  const today = '2026-05-20';
  const context = { today, now: `${today}T12:00:00.000Z` };

  beforeAll(async () => {
    t = await createTestStore(backend);
    // The demo seed loads sales data and then the OKRs, both as of `today`.
    tenantId = (await seedDemo(t.store, { passwordHash: 'not-a-real-hash', data: { today } })).tenantId;
  });
  afterAll(() => t?.dispose());

  const inDemo = <T>(fn: Parameters<typeof t.store.inTenant<T>>[2]) => t.store.inTenant(tenantId, { actor: { userId: null, tokenId: null } }, fn);

  it('creates a running quarter after a closed one, once', async () => {
    // seedDemo created them; a second run changes nothing.
    expect(await seedDemoOkrs(t.store, tenantId, { today })).toEqual({ created: false, cycleKey: null });
    const cycles = await inDemo(listCycles);
    expect(cycles.map((c) => [c.key, c.status])).toEqual([['2026-Q2', 'open'], ['2026-Q1', 'closed'], ['FY2026', 'open']]);
  });

  it('gives every page something to show: statuses, scores at risk and on track, alignment, meeting, retrospective', async () => {
    await inDemo(async (scope) => {
      const cycle = await getCycleByKey(scope, '2026-Q2');
      const records = (await listObjectiveRecords(scope, SYSTEM_VIEWER, { cycleId: cycle?.id, limit: 100 })).items;
      expect(new Set(records.map((r) => r.status))).toEqual(new Set(['active', 'proposed', 'draft']));
      expect(records.some((r) => r.carriedFromObjectiveId !== null)).toBe(true);
      const views = await evaluateObjectives(scope, records, context);
      const statuses = new Set(views.flatMap((v) => v.keyResults.map((k) => k.paceStatus)));
      expect(statuses).toContain('at_risk');
      expect(statuses).toContain('on_track');
      for (const view of views) {
        expect(view.score).toBeGreaterThanOrEqual(0);
        expect(view.score).toBeLessThanOrEqual(1);
      }
      const alignment = await alignmentView(scope, cycle?.id ?? '', SYSTEM_VIEWER, context);
      // The summary counts approved objectives (drafts and proposals are plans, not results); everyone with one sits in the tree.
      const approved = views.filter((v) => v.status === 'active' || v.status === 'closed');
      expect(approved.length).toBeGreaterThanOrEqual(6);
      expect(alignment.roots[0]?.summary.objectiveCount).toBe(approved.length);
      expect(alignment.unassigned).toEqual([]);
      const dach = (await scope.tx.query<{ id: string }>(`SELECT id FROM teams WHERE tenant_id = $1 AND name = 'DACH'`, [tenantId]))[0]?.id ?? '';
      const meeting = await meetingView(scope, dach, { cycleId: cycle?.id }, SYSTEM_VIEWER, context);
      expect(meeting.items[0]?.paceStatus).toBe('at_risk');
      expect(meeting.lastMeeting?.notes).toContain('Training plan');
      expect(meeting.items.some((i) => i.change.changed)).toBe(true);
      const previous = await getCycleByKey(scope, '2026-Q1');
      const retro = await retrospectiveView(scope, previous?.id ?? '', { kind: 'team', id: dach }, SYSTEM_VIEWER, context);
      expect(retro).toMatchObject({ final: true, learnings: expect.stringContaining('week one') });
      expect(retro.objectives[0]?.keyResults.some((k) => k.carriedTo.length > 0)).toBe(true);
      // Rita's private objective stays private to a viewer.
      const viewer = (await scope.tx.query<{ user_id: string }>(`SELECT user_id FROM memberships WHERE tenant_id = $1 AND role = 'viewer'`, [tenantId]))[0]?.user_id ?? null;
      const seen = await listObjectiveRecords(scope, await loadViewer(scope, { userId: viewer, isAdmin: false }), { cycleId: cycle?.id, limit: 100 });
      expect(seen.items.map((o) => o.title)).not.toContain('Forecasts I can stand behind');
    });
  });
});

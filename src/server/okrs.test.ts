import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, describeEachBackend, type TestStore } from '../../test/stores.js';
import { seedTenant, type TenantFixture } from '../../test/fixtures.js';
import { call, signIn, type Caller } from '../../test/http.js';
import { buildApp, type RouteEntry } from './app.js';
import type { App } from './context.js';

interface Kr { id: string; title: string; score: number; raw: number; band: string; current: number | null; target: number | null; paceStatus: string; expectedProgress: number; valueSource: string; metricError: unknown; finalScore: number | null; baseline: unknown; metric: { key: string; parameters: Record<string, string> } | null; checklist: { title: string; done: boolean }[] }
interface Objective {
  id: string; title: string; status: string; score: number; band: string; expectedProgress: number; paceStatus: string; finalScore: number | null; final: boolean;
  keyResults: Kr[]; warnings: { code: string; path: string }[]; can: Record<string, boolean>; approvals: { action: string; actor: { id: string | null } }[];
  approvers: { id: string }[]; alignment: { parent: { id: string } | null; children: { id: string }[] }; expectation: { verdict: string } | null; selfAssessment: string | null;
  templateId: string | null; visibility: string;
}

describeEachBackend('OKR API', (backend) => {
  let t: TestStore;
  let app: App & { routeTable: RouteEntry[] };
  let a: TenantFixture;
  const as: Record<'admin' | 'manager' | 'rep' | 'finance' | 'viewer' | 'partner', Caller> = {} as never;
  const cycles: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestStore(backend);
    a = await seedTenant(t.store, 'alpha');
    app = await buildApp(t.store, { signInLimit: { max: 1000, windowMs: 60_000 } });
    for (const role of ['admin', 'manager', 'rep', 'finance', 'viewer', 'partner'] as const) as[role] = await signIn(app, a.users[role].email);
    for (const key of ['2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']) {
      const created = await call(app, as.admin, 'POST', '/api/okrs/cycles', { key });
      expect(created.statusCode, created.body).toBe(201);
      cycles[key] = (created.json() as { id: string }).id;
    }
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const ok = <T>(response: { statusCode: number; body: string; json: () => unknown }, status = 200): T => {
    expect(response.statusCode, response.body).toBe(status);
    return response.json() as T;
  };
  const create = async (caller: Caller, body: Record<string, unknown>) => ok<Objective>(await call(app, caller, 'POST', '/api/okrs/objectives', body), 201);
  const get = async (caller: Caller, id: string, asOf?: string) => ok<Objective>(await call(app, caller, 'GET', `/api/okrs/objectives/${id}${asOf ? `?asOf=${asOf}` : ''}`));
  const checkIn = async (caller: Caller, krId: string, body: Record<string, unknown>) =>
    ok<{ keyResult: Kr; celebrate: boolean; objective: { score: number } }>(await call(app, caller, 'POST', `/api/okrs/key-results/${krId}/check-ins`, body), 201);
  const repOwner = () => ({ kind: 'user', id: a.users.rep.id });
  const teamOwner = () => ({ kind: 'team', id: a.teamId });

  describe('cycles', () => {
    it('lays cycles on the fiscal calendar and refuses duplicates', async () => {
      const cycle = ok<{ key: string; start: string; end: string; kind: string }>(await call(app, as.viewer, 'GET', `/api/okrs/cycles/${cycles['2025-Q1']}`));
      expect(cycle).toMatchObject({ key: '2025-Q1', kind: 'quarter', start: '2025-01-01', end: '2025-04-01' });
      const again = await call(app, as.admin, 'POST', '/api/okrs/cycles', { key: '2025-Q1' });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ error: { code: 'conflict', details: { reason: 'cycle_exists' } } });
      const year = ok<{ id: string }>(await call(app, as.admin, 'POST', '/api/okrs/cycles', { key: 'FY2025' }), 201);
      // The year adopts its quarters.
      expect(ok<{ parentCycleId: string }>(await call(app, as.viewer, 'GET', `/api/okrs/cycles/${cycles['2025-Q2']}`)).parentCycleId).toBe(year.id);
      expect((await call(app, as.manager, 'POST', '/api/okrs/cycles', { key: '2026-Q3' })).statusCode).toBe(403);
    });
  });

  describe('process', () => {
    it('lets a member draft and propose, and the owner’s manager approve (never the proposer)', async () => {
      const objective = await create(as.rep, {
        cycleId: cycles['2025-Q2'], owner: repOwner(), title: 'Win the Hamburg accounts', category: 'customer',
        keyResults: [{ title: 'Sign 5 new accounts', kind: 'number', target: 5 }, { title: 'Reach 80 % renewal', kind: 'percent', target: 80 }],
      });
      expect(objective).toMatchObject({ status: 'draft', can: { edit: true, propose: true, approve: false } });
      expect(objective.approvers.map((p) => p.id)).toEqual([a.users.manager.id, a.users.admin.id]);
      const proposed = ok<Objective>(await call(app, as.rep, 'POST', `/api/okrs/objectives/${objective.id}/propose`, { note: 'please look' }));
      expect(proposed.status).toBe('proposed');
      // A rep cannot approve at all; the manager above the rep can.
      expect((await call(app, as.rep, 'POST', `/api/okrs/objectives/${objective.id}/approve`, {})).statusCode).toBe(403);
      expect((await get(as.manager, objective.id)).can.approve).toBe(true);
      const approved = ok<Objective>(await call(app, as.manager, 'POST', `/api/okrs/objectives/${objective.id}/approve`, { note: 'good' }));
      expect(approved.status).toBe('active');
      expect(approved.approvals.map((x) => [x.action, x.actor.id])).toEqual([['proposed', a.users.rep.id], ['approved', a.users.manager.id]]);
      const twice = await call(app, as.manager, 'POST', `/api/okrs/objectives/${objective.id}/approve`, {});
      expect(twice.json()).toMatchObject({ error: { code: 'conflict', details: { reason: 'invalid_transition' } } });
      // Drafts only can be deleted.
      const del = await call(app, as.rep, 'DELETE', `/api/okrs/objectives/${objective.id}`);
      expect(del.json()).toMatchObject({ error: { code: 'conflict', details: { reason: 'not_deletable' } } });
    });

    it('refuses an approval by the person who proposed it, even an admin, with 409 approver_is_proposer', async () => {
      const objective = await create(as.manager, { cycleId: cycles['2025-Q2'], owner: repOwner(), title: 'Grow the rep’s pipeline', category: 'revenue', keyResults: [{ title: 'Open 20 deals', kind: 'number', target: 20 }] });
      await call(app, as.manager, 'POST', `/api/okrs/objectives/${objective.id}/propose`, {});
      expect((await get(as.manager, objective.id)).can.approve).toBe(false);
      const self = await call(app, as.manager, 'POST', `/api/okrs/objectives/${objective.id}/approve`, {});
      expect(self.statusCode).toBe(409);
      expect(self.json()).toMatchObject({ error: { code: 'conflict', details: { reason: 'approver_is_proposer' } } });
      const rejected = ok<Objective>(await call(app, as.admin, 'POST', `/api/okrs/objectives/${objective.id}/reject`, { note: 'Too small' }));
      expect(rejected.status).toBe('draft');
      const own = await create(as.admin, { cycleId: cycles['2025-Q2'], owner: { kind: 'team', id: a.companyTeamId }, title: 'Be the region’s first choice', category: 'customer', keyResults: [{ title: 'NPS 50', kind: 'number', target: 50 }] });
      await call(app, as.admin, 'POST', `/api/okrs/objectives/${own.id}/propose`, {});
      expect((await call(app, as.admin, 'POST', `/api/okrs/objectives/${own.id}/approve`, {})).json()).toMatchObject({ error: { details: { reason: 'approver_is_proposer' } } });
    });

    it('sends a team’s objective to the manager of the parent team', async () => {
      const objective = await create(as.manager, { cycleId: cycles['2025-Q2'], owner: teamOwner(), title: 'A sales team customers recommend', category: 'team', keyResults: [{ title: 'Referrals', kind: 'number', target: 10 }] });
      expect(objective.approvers.map((p) => p.id)).toEqual([a.users.admin.id]);
      await call(app, as.rep, 'POST', `/api/okrs/objectives/${objective.id}/propose`, {});
      // The team's own manager is not above the team.
      expect((await call(app, as.manager, 'POST', `/api/okrs/objectives/${objective.id}/approve`, {})).statusCode).toBe(403);
      expect(ok<Objective>(await call(app, as.admin, 'POST', `/api/okrs/objectives/${objective.id}/approve`, {})).status).toBe('active');
    });

    it('returns guidance warnings a workspace can tune, never blocking', async () => {
      const objective = await create(as.rep, { cycleId: cycles['2024-Q3'], owner: repOwner(), title: 'Implement the new CRM', category: 'process', keyResults: [{ title: 'Adoption', kind: 'percent' }] });
      expect(objective.warnings.map((w) => [w.code, w.path]).sort()).toEqual([
        ['key_result_not_measurable', 'keyResults.0'], ['objective_sounds_like_task', 'objective'], ['too_few_key_results', 'objective'], ['too_few_objectives', 'owner'],
      ]);
      expect((await call(app, as.rep, 'PUT', '/api/okrs/settings', {})).statusCode).toBe(403);
      const settings = { guidance: { objectivesPerOwner: { min: 1, max: 5 }, keyResultsPerObjective: { min: 1, max: 5 }, checkOutcomeWording: false }, pace: { onTrackGap: 0.1, atRiskGap: 0.25 }, checkinCadenceDays: 14 };
      ok(await call(app, as.admin, 'PUT', '/api/okrs/settings', settings));
      expect((await get(as.rep, objective.id)).warnings.map((w) => w.code)).toEqual(['key_result_not_measurable']);
      ok(await call(app, as.admin, 'PUT', '/api/okrs/settings', { ...settings, guidance: { objectivesPerOwner: { min: 3, max: 5 }, keyResultsPerObjective: { min: 2, max: 5 }, checkOutcomeWording: true }, checkinCadenceDays: 7 }));
      // A draft goes with its check-ins (the one exception to append-only: the cascade).
      await checkIn(as.rep, objective.keyResults[0]?.id ?? '', { value: 5, date: '2024-08-01' });
      expect((await call(app, as.rep, 'DELETE', `/api/okrs/objectives/${objective.id}`)).statusCode).toBe(204);
      expect((await call(app, as.rep, 'GET', `/api/okrs/objectives/${objective.id}`)).statusCode).toBe(404);
    });

    it('lists objectives with filters, search and paging', async () => {
      const q2 = cycles['2025-Q2'];
      type Page = { items: { id: string; status: string; category: string; owner: { kind: string; id: string } }[]; total: number };
      const active = ok<Page>(await call(app, as.viewer, 'GET', `/api/okrs/objectives?cycleId=${q2}&status=active`));
      expect(active.items.length).toBeGreaterThanOrEqual(2);
      expect(active.items.every((o) => o.status === 'active')).toBe(true);
      const reps = ok<Page>(await call(app, as.viewer, 'GET', `/api/okrs/objectives?cycleId=${q2}&ownerUserId=${a.users.rep.id}&category=customer`));
      expect(reps.items.every((o) => o.owner.id === a.users.rep.id && o.category === 'customer')).toBe(true);
      // A team's objectives and its people's.
      const team = ok<Page>(await call(app, as.viewer, 'GET', `/api/okrs/objectives?cycleId=${q2}&teamId=${a.teamId}`));
      expect(new Set(team.items.map((o) => o.owner.kind))).toEqual(new Set(['team', 'user']));
      const first = ok<Page>(await call(app, as.viewer, 'GET', `/api/okrs/objectives?cycleId=${q2}&limit=2`));
      const second = ok<Page>(await call(app, as.viewer, 'GET', `/api/okrs/objectives?cycleId=${q2}&limit=2&offset=2`));
      expect(first.total).toBe(team.total + 1);
      expect(first.items).toHaveLength(2);
      expect(second.items.map((o) => o.id)).not.toContain(first.items[0]?.id);
      expect((await call(app, as.viewer, 'GET', '/api/okrs/objectives?status=maybe')).statusCode).toBe(400);
      expect((await call(app, as.partner, 'GET', '/api/okrs/objectives')).statusCode).toBe(403);
    });

    it('lets members create objectives only for themselves, their team and the people and teams they manage', async () => {
      const forManager = await call(app, as.rep, 'POST', '/api/okrs/objectives', { cycleId: cycles['2025-Q2'], owner: { kind: 'user', id: a.users.manager.id }, title: 'x', category: 'team' });
      expect(forManager.statusCode).toBe(403);
      const company = await call(app, as.rep, 'POST', '/api/okrs/objectives', { cycleId: cycles['2025-Q2'], owner: { kind: 'team', id: a.companyTeamId }, title: 'x', category: 'team' });
      expect(company.statusCode).toBe(403);
      const badCycle = await call(app, as.rep, 'POST', '/api/okrs/objectives', { cycleId: a.teamId, owner: repOwner(), title: 'x', category: 'team' });
      expect(badCycle.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'body.cycleId' }] } });
    });
  });

  describe('scoring through the API (worked example, Q1 2025 = 90 days)', () => {
    let objective: Objective;
    beforeAll(async () => {
      objective = await create(as.rep, {
        cycleId: cycles['2025-Q1'], owner: repOwner(), title: 'A record first quarter', category: 'revenue', commitment: 'committed',
        keyResults: [
          { title: 'Book €500,000', kind: 'currency', target: 500_000 },
          { title: 'Sales cycle from 40 to 30 days', kind: 'number', unit: 'days', start: 40, target: 30 },
          { title: 'Launch the partner portal', kind: 'milestone' },
          { title: 'Sales playbook', kind: 'checklist', checklist: ['Written', 'Workshop held', 'Everyone coached'] },
          { title: 'Churn stays below 5 %', kind: 'guardrail', unit: 'percent', guardrail: { mode: 'stay_below', limit: 5 } },
        ],
      });
      const [revenue, cycle, milestone, checklist, guardrail] = objective.keyResults.map((k) => k.id) as [string, string, string, string, string];
      await checkIn(as.rep, revenue, { value: 200_000, date: '2025-01-31', confidence: 6 });
      await checkIn(as.rep, revenue, { value: 350_000, date: '2025-02-14', confidence: 7, note: 'Two big wins' });
      await checkIn(as.rep, cycle, { value: 34, date: '2025-02-10' });
      await checkIn(as.rep, milestone, { done: true, date: '2025-02-03' });
      await checkIn(as.rep, checklist, { checklistDone: [true, true, false], date: '2025-02-05' });
      await checkIn(as.rep, guardrail, { value: 4, date: '2025-01-01' });
      await checkIn(as.rep, guardrail, { value: 6, date: '2025-01-04' });
      await checkIn(as.rep, guardrail, { value: 4.5, date: '2025-01-08' });
    });

    it('scores each kind and the objective as documented', async () => {
      const read = await get(as.viewer, objective.id, '2025-02-15');
      // 350k of 500k → 0.7; (40 − 34) ÷ (40 − 30) → 0.6; done → 1; 2 of 3 → 0.6667;
      // below 5 % on 42 of the 46 days from 1 Jan to 15 Feb → 0.913.
      expect(read.keyResults.map((k) => k.score)).toEqual([0.7, 0.6, 1, 0.6667, 0.913]);
      expect(read.keyResults[0]).toMatchObject({ current: 350_000, raw: 0.7, band: 'green', expectedProgress: 0.5, paceStatus: 'on_track' });
      // (0.7 + 0.6 + 1 + 0.6667 + 0.913) ÷ 5 = 0.77594 → 0.7759
      expect(read).toMatchObject({ score: 0.7759, band: 'green', expectedProgress: 0.5, final: false, asOf: '2025-02-15' });
      // Earlier, fewer readings count: on 2025-02-01 only the first revenue check-in (200k → 0.4).
      expect((await get(as.viewer, objective.id, '2025-02-01')).keyResults[0]?.score).toBe(0.4);
    });

    it('reads the score at the end of a cycle that is over, against the commitment', async () => {
      const read = await get(as.viewer, objective.id);
      expect(read.final).toBe(true);
      expect(read.expectation).toMatchObject({ verdict: 'missed', needsExplanation: true });
    });

    it('keeps a check-in history with the expected line for the chart', async () => {
      const revenue = objective.keyResults[0]?.id ?? '';
      const history = ok<{ items: { value: number; confidence: number }[]; series: { date: string; value: number; expected: number }[]; expectedLine: unknown }>(
        await call(app, as.viewer, 'GET', `/api/okrs/key-results/${revenue}/check-ins`),
      );
      expect(history.items.map((c) => c.value)).toEqual([350_000, 200_000]);
      // Expected on 31 Jan: 30 of 90 days → 166,666.6667; on 14 Feb: 44 of 90 → 244,444.4444.
      expect(history.series).toEqual([
        { date: '2025-01-31', value: 200_000, expected: 166_666.6667 },
        { date: '2025-02-14', value: 350_000, expected: 244_444.4444 },
      ]);
      expect(history.expectedLine).toEqual([{ date: '2025-01-01', value: 0 }, { date: '2025-03-31', value: 500_000 }]);
    });

    it('celebrates the check-in that reaches the target', async () => {
      const krs = (await get(as.rep, objective.id)).keyResults;
      const result = await checkIn(as.rep, krs[0]?.id ?? '', { value: 510_000, date: '2025-03-20' });
      expect(result.celebrate).toBe(true);
      expect(result.keyResult).toMatchObject({ score: 1, raw: 1.02, targetReached: true });
      expect((await checkIn(as.rep, krs[0]?.id ?? '', { value: 520_000, date: '2025-03-21' })).celebrate).toBe(false);
    });

    it('validates check-ins by kind and date', async () => {
      const krs = (await get(as.rep, objective.id)).keyResults;
      const wrong = await call(app, as.rep, 'POST', `/api/okrs/key-results/${krs[3]?.id}/check-ins`, { checklistDone: [true] });
      expect(wrong.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'body.checklistDone' }] } });
      const outside = await call(app, as.rep, 'POST', `/api/okrs/key-results/${krs[0]?.id}/check-ins`, { value: 1, date: '2025-04-02' });
      expect(outside.json()).toMatchObject({ error: { details: [{ path: 'body.date' }] } });
      expect((await call(app, as.viewer, 'POST', `/api/okrs/key-results/${krs[0]?.id}/check-ins`, { value: 1 })).statusCode).toBe(403);
    });
  });

  describe('mid-cycle revisions', () => {
    it('needs a reason, keeps before/after, and leaves earlier scores reproducible', async () => {
      const objective = await create(as.rep, { cycleId: cycles['2025-Q1'], owner: repOwner(), title: 'More demos', category: 'revenue', keyResults: [{ title: 'Give 100 demos', kind: 'number', target: 100 }] });
      const kr = objective.keyResults[0]?.id ?? '';
      // A draft changes freely.
      expect(ok<{ revised: boolean }>(await call(app, as.rep, 'PATCH', `/api/okrs/key-results/${kr}`, { target: 90 })).revised).toBe(false);
      await call(app, as.rep, 'PATCH', `/api/okrs/key-results/${kr}`, { target: 100 });
      await call(app, as.rep, 'POST', `/api/okrs/objectives/${objective.id}/propose`, {});
      await call(app, as.manager, 'POST', `/api/okrs/objectives/${objective.id}/approve`, {});
      await checkIn(as.rep, kr, { value: 50, date: '2025-02-15' });
      expect((await get(as.viewer, objective.id, '2025-02-20')).keyResults[0]?.score).toBe(0.5);

      const noReason = await call(app, as.rep, 'PATCH', `/api/okrs/key-results/${kr}`, { target: 200 });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'body.reason' }] } });
      const revised = ok<Objective & { revised: boolean }>(await call(app, as.rep, 'PATCH', `/api/okrs/key-results/${kr}`, { target: 200, reason: 'The market doubled' }));
      expect(revised.revised).toBe(true);
      expect(revised.keyResults[0]).toMatchObject({ target: 200, score: 0.25 });
      // The score as of 20 February still uses the definition in effect then.
      expect((await get(as.viewer, objective.id, '2025-02-20')).keyResults[0]).toMatchObject({ target: 100, score: 0.5 });
      const revisions = ok<{ items: { reason: string; before: { target: number }; after: { target: number }; author: { id: string }; changed: string[] }[] }>(
        await call(app, as.viewer, 'GET', `/api/okrs/key-results/${kr}/revisions`),
      );
      expect(revisions.items).toMatchObject([{ reason: 'The market doubled', before: { target: 100 }, after: { target: 200 }, author: { id: a.users.rep.id }, changed: ['target'] }]);
      // History is append-only, even for the table's owner.
      await expect(t.store.db.query('UPDATE okr_kr_revisions SET reason = $2 WHERE tenant_id = $1', [a.tenantId, 'forged'])).rejects.toThrow(/append-only/);
      await expect(t.store.db.query('DELETE FROM okr_checkins WHERE tenant_id = $1', [a.tenantId])).rejects.toThrow(/append-only/);
      const audit = await t.store.asSystem((tx) => tx.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [kr]));
      expect(audit.map((r) => r.action)).toContain('okr_key_result.revised');
      // An active objective keeps its key results (and their history).
      expect((await call(app, as.rep, 'DELETE', `/api/okrs/key-results/${kr}`)).json()).toMatchObject({ error: { details: { reason: 'not_deletable' } } });
    });
  });

  describe('private objectives', () => {
    let privateId: string;
    beforeAll(async () => {
      const objective = await create(as.rep, {
        cycleId: cycles['2025-Q2'], owner: repOwner(), title: 'Secret career step', category: 'team', visibility: 'private', contributors: [a.users.finance.id],
        keyResults: [{ title: 'Certification passed', kind: 'milestone' }],
      });
      privateId = objective.id;
      await call(app, as.rep, 'POST', `/api/okrs/objectives/${privateId}/comments`, { kind: 'comment', body: 'between us' });
    });

    it('shows it to its owner, contributors, the managers above and admins only', async () => {
      for (const who of ['rep', 'finance', 'manager', 'admin'] as const) expect((await call(app, as[who], 'GET', `/api/okrs/objectives/${privateId}`)).statusCode, who).toBe(200);
      const hidden = await call(app, as.viewer, 'GET', `/api/okrs/objectives/${privateId}`);
      expect(hidden.statusCode).toBe(404);
      expect(hidden.body).not.toContain('Secret career step');
    });

    it('leaks nowhere else: lists, alignment, comments, check-ins', async () => {
      const kr = (await get(as.rep, privateId)).keyResults[0]?.id ?? '';
      const responses = [
        await call(app, as.viewer, 'GET', '/api/okrs/objectives?limit=500'),
        await call(app, as.viewer, 'GET', `/api/okrs/objectives?q=secret&cycleId=${cycles['2025-Q2']}`),
        await call(app, as.viewer, 'GET', `/api/okrs/cycles/${cycles['2025-Q2']}/alignment`),
        await call(app, as.viewer, 'GET', `/api/okrs/teams/${a.teamId}/meeting?cycleId=${cycles['2025-Q2']}`),
        await call(app, as.viewer, 'GET', `/api/okrs/cycles/${cycles['2025-Q2']}/retrospective?userId=${a.users.rep.id}`),
      ];
      for (const response of responses) {
        expect(response.statusCode, response.body).toBe(200);
        expect(response.body).not.toContain('Secret career step');
        expect(response.body).not.toContain(privateId);
      }
      expect((await call(app, as.viewer, 'GET', `/api/okrs/objectives/${privateId}/comments`)).statusCode).toBe(404);
      expect((await call(app, as.viewer, 'GET', `/api/okrs/key-results/${kr}/check-ins`)).statusCode).toBe(404);
      expect((await call(app, as.viewer, 'GET', `/api/okrs/key-results/${kr}/revisions`)).statusCode).toBe(404);
      const visible = ok<{ items: { id: string }[] }>(await call(app, as.manager, 'GET', `/api/okrs/objectives?q=secret`));
      expect(visible.items.map((o) => o.id)).toEqual([privateId]);
      // A public objective aligned to it shows no alignment to outsiders, not even the id.
      const child = await create(as.rep, { cycleId: cycles['2025-Q2'], owner: repOwner(), title: 'Public step', category: 'team', parent: { objectiveId: privateId }, keyResults: [{ title: 'Course booked', kind: 'milestone' }] });
      const outside = await call(app, as.viewer, 'GET', `/api/okrs/objectives/${child.id}`);
      expect(outside.json()).toMatchObject({ parent: null, alignment: { parent: null } });
      expect(outside.body).not.toContain(privateId);
      expect(await get(as.manager, child.id)).toMatchObject({ parent: { objectiveId: privateId }, alignment: { parent: { id: privateId } } });
    });
  });

  describe('templates', () => {
    it('creates an objective from a template in one call, with metric bindings and parameters', async () => {
      const templates = ok<{ items: { id: string }[] }>(await call(app, as.viewer, 'GET', '/api/okrs/templates'));
      expect(templates.items).toHaveLength(15);
      const objective = await create(as.manager, {
        cycleId: cycles['2025-Q2'], owner: teamOwner(), fromTemplate: { templateId: 'sell-more-of-product', locale: 'de', parameters: { product: 'Widget' }, targets: [null, 800] },
      });
      expect(objective).toMatchObject({ title: 'Mehr von einem Schlüsselprodukt verkaufen', templateId: 'sell-more-of-product', status: 'draft' });
      expect(objective.keyResults.map((k) => [k.metric?.key, k.metric?.parameters, k.target])).toEqual([
        ['product_revenue', { product: 'Widget' }, null],
        ['webinar_attendees', {}, 800],
        ['upsell_rate', { product: 'Widget' }, 30],
      ]);
      // The relative key result's baseline (last quarter) has no sales yet: no target until one is set.
      expect(objective.keyResults[0]?.baseline).toEqual({ period: 'previous_period', changePercent: 25 });
      expect(objective.warnings.map((w) => w.code)).toContain('key_result_not_measurable');
      for (const kr of objective.keyResults) expect(kr).toMatchObject({ valueSource: 'metric', metricError: null });
      const missing = await call(app, as.manager, 'POST', '/api/okrs/objectives', { cycleId: cycles['2025-Q2'], owner: teamOwner(), fromTemplate: { templateId: 'nope' } });
      expect(missing.json()).toMatchObject({ error: { details: [{ path: 'body.fromTemplate.templateId' }] } });
    });

    it('reads a metric-bound key result from the metric layer and records it on check-in', async () => {
      const objective = await create(as.rep, { cycleId: cycles['2025-Q2'], owner: repOwner(), title: 'Close more deals', category: 'revenue', keyResults: [{ title: 'Revenue', kind: 'metric', metric: { key: 'revenue' }, unit: 'money', target: 10_000 }] });
      const kr = objective.keyResults[0]?.id ?? '';
      const typed = await call(app, as.rep, 'POST', `/api/okrs/key-results/${kr}/check-ins`, { value: 5 });
      expect(typed.json()).toMatchObject({ error: { details: [{ path: 'body.value' }] } });
      const result = await checkIn(as.rep, kr, { confidence: 8, date: '2025-05-01' });
      expect(result.keyResult.valueSource).toBe('metric');
      const history = ok<{ items: { source: string }[] }>(await call(app, as.rep, 'GET', `/api/okrs/key-results/${kr}/check-ins`));
      expect(history.items[0]?.source).toBe('metric');
    });
  });

  describe('pipeline projection', () => {
    it('projects a sales key result from closed plus stage-weighted open pipeline of the rest of the cycle', async () => {
      const deal = (extId: string, stage: string, amount: string, close: string, probability?: number) => ({
        extId, values: { name: extId, amount, currency: 'EUR', stage, created: '2025-04-01', close_date: close, owner: a.payeeId, ...(probability === undefined ? {} : { probability }) },
      });
      const written = await call(app, as.admin, 'POST', '/api/datasets/deals/records/batch', {
        upsert: [
          deal('PIPE-WON', 'closed_won', '1000.00', '2025-04-10'),
          deal('PIPE-PROPOSAL', 'proposal', '2000.00', '2025-06-01', 40), // its own probability: 40 %
          deal('PIPE-NEGOTIATION', 'negotiation', '500.00', '2025-06-10'), // none: the stage's default, 75 %
          deal('PIPE-LATER', 'proposal', '9000.00', '2025-07-15', 90), // after the cycle
          deal('PIPE-EARLIER', 'proposal', '7000.00', '2025-05-01', 90), // before the day read
          deal('PIPE-LOST', 'closed_lost', '8000.00', '2025-06-01'),
        ],
      });
      expect(written.statusCode, written.body).toBe(200);
      const objective = await create(as.rep, { cycleId: cycles['2025-Q2'], owner: repOwner(), title: 'Grow my pipeline', category: 'revenue', keyResults: [
        { title: 'Revenue', kind: 'metric', metric: { key: 'revenue' }, unit: 'money', target: 5_000 },
        { title: 'Average deal size', kind: 'metric', metric: { key: 'avg_deal_size' }, unit: 'money', target: 5_000 },
      ] });
      const read = ok<{ keyResults: (Kr & { projectedFromPipeline: number | null })[] }>(await call(app, as.rep, 'GET', `/api/okrs/objectives/${objective.id}?asOf=2025-05-15`));
      const [revenue, average] = read.keyResults;
      expect(revenue?.current).toBe(1000);
      expect(revenue?.projectedFromPipeline).toBe(1000 + 2000 * 0.4 + 500 * 0.75);
      // An average is no sum over deals: no pipeline projection.
      expect(average?.projectedFromPipeline).toBeNull();
      // Read after the cycle, the value is final: no projection.
      expect(ok<{ keyResults: { projectedFromPipeline: number | null }[] }>(await call(app, as.rep, 'GET', `/api/okrs/objectives/${objective.id}`)).keyResults[0]?.projectedFromPipeline).toBeNull();
      await call(app, as.admin, 'POST', '/api/datasets/deals/records/batch', { delete: ['PIPE-WON', 'PIPE-PROPOSAL', 'PIPE-NEGOTIATION', 'PIPE-LATER', 'PIPE-EARLIER', 'PIPE-LOST'] });
    });
  });

  describe('comments, alignment, meeting, close, retrospective, carry-over', () => {
    let company: Objective;
    let team: Objective;
    beforeAll(async () => {
      // The manager contributes to the company objective, so can propose it to the company's manager.
      company = await create(as.admin, { cycleId: cycles['2025-Q1'], owner: { kind: 'team', id: a.companyTeamId }, contributors: [a.users.manager.id], title: 'Become the market leader', category: 'revenue', keyResults: [{ title: 'Revenue €2m', kind: 'currency', target: 2_000_000 }] });
      team = await create(as.manager, {
        cycleId: cycles['2025-Q1'], owner: teamOwner(), title: 'The team that wins the north', category: 'revenue', parent: { keyResultId: company.keyResults[0]?.id },
        keyResults: [{ title: 'Win 100 deals', kind: 'number', target: 100 }, { title: 'Open 40 opportunities', kind: 'number', target: 40 }, { title: 'Playbook live', kind: 'milestone' }],
      });
      for (const o of [company, team]) {
        ok(await call(app, as.manager, 'POST', `/api/okrs/objectives/${o.id}/propose`, {}));
        ok(await call(app, as.admin, 'POST', `/api/okrs/objectives/${o.id}/approve`, {}));
      }
    });

    it('takes comments and kudos', async () => {
      ok(await call(app, as.rep, 'POST', `/api/okrs/objectives/${team.id}/comments`, { kind: 'kudos', body: 'Great week!', keyResultId: team.keyResults[0]?.id }), 201);
      const list = ok<{ items: { kind: string; body: string; author: { id: string } }[] }>(await call(app, as.viewer, 'GET', `/api/okrs/objectives/${team.id}/comments`));
      expect(list.items).toMatchObject([{ kind: 'kudos', body: 'Great week!', author: { id: a.users.rep.id } }]);
    });

    it('shows alignment both ways and in the company → team → people tree', async () => {
      const read = await get(as.viewer, company.id);
      expect(read.alignment.children.map((c) => c.id)).toContain(team.id);
      expect((await get(as.viewer, team.id)).alignment.parent?.id).toBe(company.id);
      const tree = ok<{ roots: { team: { id: string }; objectives: { id: string }[]; children: { team: { id: string }; objectives: { id: string }[]; people: { userId: string; objectives: { id: string }[] }[] }[]; summary: { objectiveCount: number } }[] }>(
        await call(app, as.viewer, 'GET', `/api/okrs/cycles/${cycles['2025-Q1']}/alignment`),
      );
      const root = tree.roots.find((r) => r.team.id === a.companyTeamId);
      expect(root?.objectives.map((o) => o.id)).toContain(company.id);
      const sales = root?.children.find((c) => c.team.id === a.teamId);
      expect(sales?.objectives.map((o) => o.id)).toContain(team.id);
      expect(sales?.people.find((p) => p.userId === a.users.rep.id)?.objectives.length).toBeGreaterThan(0);
      expect(root?.summary.objectiveCount).toBeGreaterThanOrEqual(3);
    });

    it('shows a team’s check-in meeting: what changed since the last meeting, at-risk first', async () => {
      const [deals, opportunities, playbook] = team.keyResults.map((k) => k.id) as [string, string, string];
      await checkIn(as.rep, deals, { value: 10, date: '2025-02-01', confidence: 5 });
      await checkIn(as.rep, playbook, { done: true, date: '2025-02-01' });
      ok(await call(app, as.manager, 'POST', `/api/okrs/teams/${a.teamId}/meetings`, { cycleId: cycles['2025-Q1'], notes: 'Kick-off' }), 201);
      await checkIn(as.rep, deals, { value: 30, date: '2025-02-08', confidence: 4, blockers: 'Legal review' });
      const meeting = ok<{ items: { keyResult: { id: string }; paceStatus: string; change: { previousValue: number | null; currentValue: number | null; scoreDelta: number; changed: boolean }; checkinsSince: { blockers: string | null }[] }[]; lastMeeting: { notes: string } }>(
        await call(app, as.manager, 'GET', `/api/okrs/teams/${a.teamId}/meeting?cycleId=${cycles['2025-Q1']}`),
      );
      expect(meeting.lastMeeting.notes).toBe('Kick-off');
      const byKr = new Map(meeting.items.map((i) => [i.keyResult.id, i]));
      expect(byKr.get(deals)).toMatchObject({ change: { previousValue: 10, currentValue: 30, scoreDelta: 0.2, changed: true }, checkinsSince: [{ blockers: 'Legal review' }] });
      expect(byKr.get(playbook)?.change.changed).toBe(false);
      const order = meeting.items.map((i) => i.paceStatus);
      expect(order[0]).toBe('at_risk');
      expect(order.at(-1)).toBe('on_track');
      expect(order.indexOf('on_track')).toBeGreaterThan(order.lastIndexOf('at_risk'));
      expect(byKr.has(opportunities)).toBe(true);
    });

    it('takes each team’s check-in cadence: its own, else the nearest team above, else the workspace’s', async () => {
      const cadence = async () => ok<{ cadenceDays: number }>(await call(app, as.manager, 'GET', `/api/okrs/teams/${a.teamId}/meeting?cycleId=${cycles['2025-Q1']}`)).cadenceDays;
      const workspace = ok<{ checkinCadenceDays: number }>(await call(app, as.viewer, 'GET', '/api/okrs/settings')).checkinCadenceDays;
      expect(await cadence()).toBe(workspace);
      expect(ok<{ checkinCadenceDays: number | null }>(await call(app, as.admin, 'PATCH', `/api/teams/${a.companyTeamId}`, { checkinCadenceDays: 14 })).checkinCadenceDays).toBe(14);
      expect(await cadence()).toBe(14);
      ok(await call(app, as.admin, 'PATCH', `/api/teams/${a.teamId}`, { checkinCadenceDays: 7 }));
      expect(await cadence()).toBe(7);
      expect((await call(app, as.admin, 'PATCH', `/api/teams/${a.teamId}`, { checkinCadenceDays: 0 })).statusCode).toBe(400);
      expect((await call(app, as.rep, 'PATCH', `/api/teams/${a.teamId}`, { checkinCadenceDays: 30 })).statusCode).toBe(403);
      ok(await call(app, as.admin, 'PATCH', `/api/teams/${a.teamId}`, { checkinCadenceDays: null }));
      ok(await call(app, as.admin, 'PATCH', `/api/teams/${a.companyTeamId}`, { checkinCadenceDays: null }));
      expect(await cadence()).toBe(workspace);
    });

    it('closes a cycle: scores frozen with the self-assessment, no more changes', async () => {
      const draft = await create(as.rep, { cycleId: cycles['2025-Q1'], owner: repOwner(), title: 'Never approved', category: 'team', keyResults: [{ title: 'x', kind: 'number', target: 1 }] });
      const before = await get(as.viewer, team.id);
      expect((await call(app, as.manager, 'POST', `/api/okrs/cycles/${cycles['2025-Q1']}/close`, {})).statusCode).toBe(403);
      const closed = ok<{ cycle: { status: string }; objectives: { id: string; finalScore: number | null; wasActive: boolean }[] }>(
        await call(app, as.admin, 'POST', `/api/okrs/cycles/${cycles['2025-Q1']}/close`, { assessments: [{ objectiveId: team.id, note: 'Pipeline came too late' }] }),
      );
      expect(closed.cycle.status).toBe('closed');
      expect(closed.objectives.find((o) => o.id === team.id)).toMatchObject({ finalScore: before.score, wasActive: true });
      expect(closed.objectives.find((o) => o.id === draft.id)).toMatchObject({ finalScore: null, wasActive: false });
      const after = await get(as.viewer, team.id);
      expect(after).toMatchObject({ status: 'closed', finalScore: before.score, score: before.score, final: true, selfAssessment: 'Pipeline came too late' });
      expect(after.keyResults.map((k) => k.finalScore)).toEqual(before.keyResults.map((k) => k.score));
      const late = await call(app, as.rep, 'POST', `/api/okrs/key-results/${team.keyResults[0]?.id}/check-ins`, { value: 99, date: '2025-03-01' });
      expect(late.json()).toMatchObject({ error: { code: 'conflict', details: { reason: 'cycle_closed' } } });
      expect((await call(app, as.manager, 'PATCH', `/api/okrs/objectives/${team.id}`, { title: 'Renamed' })).json()).toMatchObject({ error: { details: { reason: 'cycle_closed' } } });
      ok(await call(app, as.manager, 'PATCH', `/api/okrs/objectives/${team.id}`, { selfAssessment: 'Pipeline came too late; start earlier' }));
      expect((await call(app, as.admin, 'POST', `/api/okrs/cycles/${cycles['2025-Q1']}/close`, {})).json()).toMatchObject({ error: { details: { reason: 'cycle_closed' } } });
    });

    it('shows the retrospective and carries unfinished key results into the next cycle', async () => {
      const retro = ok<{ final: boolean; objectives: { id: string; expectation: { verdict: string }; keyResults: { id: string; unfinished: boolean }[] }[]; summary: { unfinishedKeyResultIds: string[] }; nextCycle: { id: string } }>(
        await call(app, as.manager, 'GET', `/api/okrs/cycles/${cycles['2025-Q1']}/retrospective?teamId=${a.teamId}`),
      );
      expect(retro.final).toBe(true);
      expect(retro.nextCycle.id).toBe(cycles['2025-Q2']);
      const mine = retro.objectives.find((o) => o.id === team.id);
      expect(mine?.expectation.verdict).toBe('low');
      const unfinished = team.keyResults[0]?.id ?? '';
      expect(retro.summary.unfinishedKeyResultIds).toContain(unfinished);
      expect((await call(app, as.manager, 'PUT', `/api/okrs/cycles/${cycles['2025-Q1']}/retrospective`, { teamId: a.teamId, learnings: 'Start pipeline work in week one' })).statusCode).toBe(204);
      expect((await call(app, as.viewer, 'PUT', `/api/okrs/cycles/${cycles['2025-Q1']}/retrospective`, { teamId: a.teamId, learnings: 'x' })).statusCode).toBe(403);
      const carried = ok<{ objectiveIds: string[]; keyResultIds: string[] }>(await call(app, as.manager, 'POST', '/api/okrs/carry-over', { keyResultIds: [unfinished], toCycleId: retro.nextCycle.id }), 201);
      const copy = await get(as.manager, carried.objectiveIds[0] ?? '');
      expect(copy).toMatchObject({ status: 'draft', title: team.title });
      expect(copy.keyResults.map((k) => k.title)).toEqual(['Win 100 deals']);
      // Manual key results continue from where they stood.
      expect(copy.keyResults[0]).toMatchObject({ target: 100 });
      const again = ok<{ keyResultIds: string[] }>(await call(app, as.manager, 'POST', '/api/okrs/carry-over', { keyResultIds: [unfinished], toCycleId: retro.nextCycle.id }), 201);
      expect(again.keyResultIds).toEqual([]);
      const updated = ok<{ learnings: string; objectives: { keyResults: { id: string; carriedTo: { keyResultId: string }[] }[] }[] }>(
        await call(app, as.viewer, 'GET', `/api/okrs/cycles/${cycles['2025-Q1']}/retrospective?teamId=${a.teamId}`),
      );
      expect(updated.learnings).toBe('Start pipeline work in week one');
      expect(updated.objectives.flatMap((o) => o.keyResults).find((k) => k.id === unfinished)?.carriedTo.map((c) => c.keyResultId)).toEqual(carried.keyResultIds);
    });

    it('flags an owner who maxes out every aspirational key result two closed cycles running', async () => {
      // The rep's last closed cycle (2025-Q1) had an aspirational key result at 0.25: Q3 alone does not flag.
      for (const key of ['2025-Q3', '2025-Q4']) {
        const objective = await create(as.rep, { cycleId: cycles[key], owner: repOwner(), title: `Easy wins ${key}`, category: 'revenue', commitment: 'aspirational', keyResults: [{ title: 'Three calls', kind: 'number', target: 3 }] });
        await call(app, as.rep, 'POST', `/api/okrs/objectives/${objective.id}/propose`, {});
        ok(await call(app, as.manager, 'POST', `/api/okrs/objectives/${objective.id}/approve`, {}));
        await checkIn(as.rep, objective.keyResults[0]?.id ?? '', { value: 3, date: key === '2025-Q3' ? '2025-08-01' : '2025-11-01' });
        const closed = ok<{ probablySandbagging: { id: string }[] }>(await call(app, as.admin, 'POST', `/api/okrs/cycles/${cycles[key]}/close`, {}));
        expect(closed.probablySandbagging.map((o) => o.id)).toEqual(key === '2025-Q3' ? [] : [a.users.rep.id]);
      }
      const retro = ok<{ probablySandbagging: boolean }>(await call(app, as.rep, 'GET', `/api/okrs/cycles/${cycles['2025-Q4']}/retrospective`));
      expect(retro.probablySandbagging).toBe(true);
    });
  });

  describe('documents', () => {
    const doc = (key: string, start: string, end: string) => ({
      version: 1,
      cycle: { key, start, end },
      objectives: [
        {
          id: 'north', title: 'Own the north', owner: 'team:alpha sales team', category: 'revenue', commitment: 'committed', status: 'active',
          keyResults: [
            { id: 'rev', title: 'Revenue', kind: 'currency', target: 100_000, history: [{ date: start, value: 10_000 }] },
            { id: 'ms', title: 'Office opened', kind: 'milestone', done: true, owner: 'rep@alpha.test' },
            { id: 'cl', title: 'Hiring', kind: 'checklist', items: [{ title: 'Lead', done: true }, { title: 'Two reps', done: false }] },
          ],
        },
        {
          id: 'rita', title: 'Grow my accounts', owner: 'user:rep@alpha.test', category: 'customer', visibility: 'private', contributors: ['finance@alpha.test'],
          parent: { objective: 'north', keyResult: 'rev' }, status: 'draft',
          keyResults: [{ id: 'g', title: 'Churn below 3 %', kind: 'guardrail', mode: 'stay_below', limit: 3, history: [{ date: start, value: 2 }] }],
        },
      ],
    });

    it('imports atomically and idempotently, and exports what it imported (round trip)', async () => {
      const broken = doc('2023-Q1', '2023-01-01', '2023-04-01');
      broken.objectives[1] = { ...broken.objectives[1], owner: 'user:nobody@alpha.test' } as (typeof broken.objectives)[1];
      const refused = await call(app, as.admin, 'POST', '/api/okrs/import', { document: broken });
      expect(refused.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'objectives.1.owner' }] } });
      expect(ok<{ items: { key: string }[] }>(await call(app, as.admin, 'GET', '/api/okrs/cycles')).items.map((c) => c.key)).not.toContain('2023-Q1');

      const source = doc('2023-Q1', '2023-01-01', '2023-04-01');
      const dry = ok<{ dryRun: boolean; objectives: { created: number } }>(await call(app, as.admin, 'POST', '/api/okrs/import', { document: source, dryRun: true }));
      expect(dry).toMatchObject({ dryRun: true, objectives: { created: 2 } });
      expect(ok<{ items: { key: string }[] }>(await call(app, as.admin, 'GET', '/api/okrs/cycles')).items.map((c) => c.key)).not.toContain('2023-Q1');
      const first = ok<{ cycle: { created: boolean }; objectives: { created: number }; keyResults: { created: number }; checkins: number }>(await call(app, as.admin, 'POST', '/api/okrs/import', { document: source }));
      expect(first).toMatchObject({ cycle: { created: true }, objectives: { created: 2 }, keyResults: { created: 4 }, checkins: 4 });
      const auditCount = async () => Number((await t.store.asSystem((tx) => tx.query<{ n: string }>('SELECT count(*) AS n FROM audit_log WHERE tenant_id = $1', [a.tenantId])))[0]?.n);
      const audits = await auditCount();
      const second = ok<{ objectives: { unchanged: number }; keyResults: { unchanged: number }; checkins: number }>(await call(app, as.admin, 'POST', '/api/okrs/import', { document: source }));
      expect(second).toMatchObject({ objectives: { unchanged: 2 }, keyResults: { unchanged: 4 }, checkins: 0 });
      expect(await auditCount()).toBe(audits);

      const cycle = ok<{ items: { id: string; key: string }[] }>(await call(app, as.admin, 'GET', '/api/okrs/cycles')).items.find((c) => c.key === '2023-Q1');
      const exported = ok<Record<string, unknown> & { objectives: Record<string, unknown>[] }>(await call(app, as.admin, 'GET', `/api/okrs/cycles/${cycle?.id}/document`));
      expect(exported.objectives.map((o) => o.id)).toEqual(['north', 'rita']);
      expect(exported.objectives[1]).toMatchObject({ owner: 'user:rep@alpha.test', visibility: 'private', contributors: ['finance@alpha.test'], parent: { objective: 'north', keyResult: 'rev' }, status: 'draft' });
      expect(exported.objectives[0]).toMatchObject({
        keyResults: [
          { id: 'rev', kind: 'currency', start: 0, target: 100_000, history: [{ date: '2023-01-01', value: 10_000 }] },
          { id: 'ms', kind: 'milestone', done: true, owner: 'rep@alpha.test' },
          { id: 'cl', kind: 'checklist', items: [{ title: 'Lead', done: true }, { title: 'Two reps', done: false }] },
        ],
      });
      // Importing the export changes nothing; exporting again gives the same document.
      const third = ok<{ objectives: { unchanged: number }; checkins: number }>(await call(app, as.admin, 'POST', '/api/okrs/import', { document: exported }));
      expect(third).toMatchObject({ objectives: { unchanged: 2 }, checkins: 0 });
      expect(ok(await call(app, as.admin, 'GET', `/api/okrs/cycles/${cycle?.id}/document`))).toEqual(exported);
      const yaml = await call(app, as.admin, 'GET', `/api/okrs/cycles/${cycle?.id}/document?format=yaml`);
      expect(yaml.headers['content-type']).toContain('yaml');
      expect(yaml.body).toContain('id: north');
      // A changed target on an active objective is imported as a revision.
      const changed = structuredClone(source);
      (changed.objectives[0]?.keyResults[0] as { target: number }).target = 120_000;
      expect(ok<{ keyResults: { revised: number } }>(await call(app, as.admin, 'POST', '/api/okrs/import', { document: changed })).keyResults.revised).toBe(1);
    });
  });
});

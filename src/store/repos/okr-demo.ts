import { randomUUID } from 'node:crypto';
import { MetricUnavailableError, metricNumber, type MetricScope } from '../../core/okr/metric-source.js';
import { addDays, formatEpochDay, MS_PER_DAY, periodContaining, previousPeriod, type FiscalCalendar } from '../../core/period.js';
import type { Store, TenantScope } from '../store.js';
import { loadViewer, type Viewer } from './okr-common.js';
import { carryOver, closeCycle } from './okr-close.js';
import { createCycle, getCycleByKey, type OkrCycle } from './okr-cycles.js';
import { getKeyResultRecord, insertCheckin, listKeyResults } from './okr-key-results.js';
import { sqlMetricValueSource } from './okr-metric-source.js';
import { addComment, createObjective, decideObjective, proposeObjective, type KeyResultInput, type ObjectiveInput } from './okr-process.js';
import { saveLearnings } from './okr-views.js';
import { getTenant } from './tenants.js';

/**
 * Demo OKRs for a workspace made by the demo seed (src/store/seed-demo.ts): last quarter
 * closed with its retrospective, and the current quarter running — company objectives, team
 * objectives aligned to them, personal ones, weekly check-ins since the quarter began,
 * comments and kudos, one proposal waiting for approval, a draft, and some key results at risk.
 * Does nothing when the workspace has cycles already. Deterministic for a given `today`.
 */
export async function seedDemoOkrs(store: Store, tenantId: string, options: { today?: string } = {}): Promise<{ created: boolean; cycleKey: string | null }> {
  const today = options.today ?? formatEpochDay(Math.floor(Date.now() / MS_PER_DAY));
  const system = { actor: { userId: null, tokenId: null }, requestId: 'seed-demo-okrs' };
  const org = await store.inTenant(tenantId, system, async (scope) => {
    const existing = await scope.tx.query('SELECT 1 FROM okr_cycles WHERE tenant_id = $1 LIMIT 1', [tenantId]);
    if (existing.length > 0) return null;
    const members = await scope.tx.query<{ user_id: string; role: string }>('SELECT user_id, role FROM memberships WHERE tenant_id = $1 ORDER BY created_at', [tenantId]);
    const teams = await scope.tx.query<{ id: string; name: string; kind: string }>('SELECT id, name, kind FROM teams WHERE tenant_id = $1', [tenantId]);
    const role = (r: string) => members.find((m) => m.user_id && m.role === r)?.user_id ?? null;
    const company = teams.find((t) => t.kind === 'company') ?? teams[0];
    if (!company) return null;
    const team = (name: string) => teams.find((t) => t.name === name) ?? company;
    return {
      admin: role('admin'), manager: role('manager'), rep: role('rep'), finance: role('finance'),
      company: company.id, dach: team('DACH').id, nordics: team('Nordics').id,
      calendar: { fiscalYearStartMonth: (await getTenant(scope)).fiscalYearStartMonth } satisfies FiscalCalendar,
    };
  });
  if (!org?.admin || !org.manager || !org.rep) return { created: false, cycleKey: null };
  const { admin, manager, rep } = org;

  const as = <T>(userId: string, fn: (scope: TenantScope, viewer: Viewer) => Promise<T>): Promise<T> =>
    store.inTenant(tenantId, { actor: { userId, tokenId: null }, requestId: 'seed-demo-okrs' }, async (scope) =>
      fn(scope, await loadViewer(scope, { userId, isAdmin: userId === admin })));
  const now = `${today}T12:00:00.000Z`;
  const context = (viewer: Viewer) => ({ today, now, viewer });

  // Cycles: the fiscal year, last quarter and this one.
  const current = periodContaining('quarter', today, org.calendar);
  const previous = previousPeriod(current, org.calendar);
  const cycles = await as(admin, async (scope) => {
    const year = periodContaining('year', today, org.calendar);
    if (!(await getCycleByKey(scope, year.key))) await createCycle(scope, randomUUID(), { key: year.key });
    const prev = await createCycle(scope, randomUUID(), { key: previous.key });
    const cur = await createCycle(scope, randomUUID(), { key: current.key });
    return { prev, cur };
  });

  /** Creates, proposes (by `proposer`) and approves (by `approver`, when given) an objective. */
  const objective = async (owner: string, input: Omit<ObjectiveInput, 'cycleId'> & { cycle: OkrCycle }, flow: { proposer?: string; approver?: string } = {}) => {
    const { cycle, ...rest } = input;
    const id = await as(owner, (scope, viewer) => createObjective(scope, { ...rest, cycleId: cycle.id }, context(viewer)));
    if (flow.proposer) await as(flow.proposer, (scope, viewer) => proposeObjective(scope, id, null, context(viewer)));
    if (flow.proposer && flow.approver) await as(flow.approver, (scope, viewer) => decideObjective(scope, id, 'approve', 'Looks good — go for it.', context(viewer)));
    const krs = await as(owner, (scope) => listKeyResults(scope, [id]));
    return { id, krs: krs.map((k) => k.id) };
  };

  /**
   * Weekly check-ins from the cycle's first Friday to `until`: the value follows the expected
   * line times `pace` (with a small deterministic wobble); confidence follows the pace.
   */
  const history = async (author: string, cycle: OkrCycle, keyResultId: string, line: { start: number; target: number; pace: number; until: string; whole?: boolean; notes?: Record<number, string>; blockers?: Record<number, string> }) => {
    const total = (Date.parse(cycle.end) - Date.parse(cycle.start)) / MS_PER_DAY;
    await as(author, async (scope) => {
      for (let day = 4, week = 0; addDays(cycle.start, day) <= line.until; day += 7, week += 1) {
        const date = addDays(cycle.start, day);
        const wobble = 1 + (((week * 7919) % 11) - 5) / 100;
        const fraction = Math.min(1.2, (day / total) * line.pace * wobble);
        const exact = line.start + (line.target - line.start) * fraction;
        const value = line.whole ? Math.round(exact) : Math.round(exact * 100) / 100;
        await insertCheckin(scope, {
          id: randomUUID(), keyResultId, date, value, checklistDone: null,
          confidence: Math.max(2, Math.min(9, Math.round(line.pace * 7 + ((week % 3) - 1)))),
          note: line.notes?.[week] ?? null, blockers: line.blockers?.[week] ?? null, source: 'manual', at: `${date}T16:30:00.000Z`,
        });
      }
    });
  };

  /** Weekly check-ins of a metric-bound key result: the metric's value for the cycle so far, as each Friday would have recorded it. */
  const metricHistory = async (author: string, cycle: OkrCycle, keyResultId: string, owner: MetricScope, until: string) => {
    await as(author, async (scope) => {
      const kr = (await getKeyResultRecord(scope, keyResultId))?.definition.metric;
      if (!kr) return;
      const source = sqlMetricValueSource(scope);
      for (let day = 4; addDays(cycle.start, day) <= until; day += 7) {
        const date = addDays(cycle.start, day);
        let value: number | null;
        try {
          value = metricNumber(await source.valueOf({ metric: kr, period: { start: cycle.start, end: addDays(date, 1) }, scope: owner }));
        } catch (error) {
          if (error instanceof MetricUnavailableError) return;
          throw error;
        }
        if (value === null) continue;
        await insertCheckin(scope, {
          id: randomUUID(), keyResultId, date, value, checklistDone: null, confidence: 7, note: null, blockers: null, source: 'metric', at: `${date}T16:30:00.000Z`,
        });
      }
    });
  };

  const num = (title: string, target: number, extra: Partial<KeyResultInput> = {}): KeyResultInput => ({ title, kind: 'number', unit: 'count', target, ...extra });
  const eur = (title: string, target: number): KeyResultInput => ({ title, kind: 'currency', unit: 'money', target });

  // --- last quarter: approved, checked in, closed, with learnings -----------------------------
  const prevEnd = addDays(cycles.prev.end, -1);
  const lastTeam = await objective(manager, {
    cycle: cycles.prev, owner: { kind: 'team', id: org.dach }, title: 'Break into the Bavarian mid-market', category: 'revenue', commitment: 'aspirational',
    keyResults: [eur('Book €300,000 with new mid-market customers', 300_000), num('Sign 12 new mid-market customers', 12), num('Run 4 customer events in Munich', 4)],
  }, { proposer: manager, approver: admin });
  await history(manager, cycles.prev, lastTeam.krs[0] ?? '', { start: 0, target: 300_000, pace: 0.82, until: prevEnd });
  await history(manager, cycles.prev, lastTeam.krs[1] ?? '', { start: 0, target: 12, pace: 0.7, until: prevEnd, whole: true });
  await history(manager, cycles.prev, lastTeam.krs[2] ?? '', { start: 0, target: 4, pace: 1, until: prevEnd, whole: true });
  const lastRita = await objective(rep, {
    cycle: cycles.prev, owner: { kind: 'user', id: rep }, title: 'Turn my territory into a reference region', category: 'customer', commitment: 'committed',
    keyResults: [num('Win 5 reference customers', 5), { title: 'Customer satisfaction at 90 %', kind: 'percent', unit: 'percent', start: 80, target: 90 }],
  }, { proposer: rep, approver: manager });
  await history(rep, cycles.prev, lastRita.krs[0] ?? '', { start: 0, target: 5, pace: 1.05, until: prevEnd, whole: true });
  await history(rep, cycles.prev, lastRita.krs[1] ?? '', { start: 80, target: 90, pace: 0.9, until: prevEnd });
  await as(admin, (scope) => closeCycle(scope, cycles.prev.id, {
    assessments: [
      { objectiveId: lastTeam.id, note: 'Strong events, but the customer count lagged: the sales cycle in the mid-market is longer than we planned for.' },
      { objectiveId: lastRita.id, note: 'References done; satisfaction slipped after the March release.' },
    ],
  }, { today, now }));
  await as(manager, (scope, viewer) => saveLearnings(scope, cycles.prev.id, { kind: 'team', id: org.dach }, 'Start mid-market deals in week one: they take 70+ days. Events work — keep two a quarter.', viewer));
  await as(rep, (scope, viewer) => saveLearnings(scope, cycles.prev.id, { kind: 'user', id: rep }, 'Ask every new customer for a reference at go-live, not later.', viewer));

  // --- this quarter -----------------------------------------------------------------------------
  const cur = cycles.cur;
  const until = today < addDays(cur.end, -1) ? today : addDays(cur.end, -1);
  // Bound to the catalogue's metrics: targets from last quarter's sales data, values from this quarter's.
  const revenue = await objective(admin, {
    cycle: cur, owner: { kind: 'team', id: org.company }, title: 'Grow this quarter’s revenue', category: 'revenue', commitment: 'committed', contributors: [manager],
    description: 'Close more business this quarter: focus on the biggest opportunities and follow up on every promising lead.',
    templateId: 'grow-quarterly-revenue',
    keyResults: [
      { title: 'Grow closed-won revenue 10 % over last quarter', kind: 'metric', unit: 'money', baseline: { period: 'previous_period', changePercent: 10 }, metric: { key: 'revenue', parameters: { scope: 'tenant' } } },
      { title: 'Win 10 % more deals than last quarter', kind: 'metric', unit: 'count', baseline: { period: 'previous_period', changePercent: 10 }, metric: { key: 'deals_won', parameters: { scope: 'tenant' } } },
      num('Win 3 lighthouse customers', 3),
    ],
  }, { proposer: manager, approver: admin });
  await metricHistory(admin, cur, revenue.krs[0] ?? '', { kind: 'tenant' }, until);
  await metricHistory(admin, cur, revenue.krs[1] ?? '', { kind: 'tenant' }, until);
  await history(admin, cur, revenue.krs[2] ?? '', { start: 0, target: 3, pace: 0.9, until, whole: true, notes: { 1: 'Alpenbank signed as the first lighthouse.' } });
  const loyalty = await objective(admin, {
    cycle: cur, owner: { kind: 'team', id: org.company }, title: 'Keep our customers longer', category: 'customer', commitment: 'aspirational', contributors: [manager],
    keyResults: [
      { title: 'Renew 85 % of contracts up for renewal', kind: 'percent', unit: 'percent', start: 70, target: 85 },
      { title: 'Monthly churn stays below 3 %', kind: 'guardrail', unit: 'percent', guardrail: { mode: 'stay_below', limit: 3 } },
    ],
  }, { proposer: manager, approver: admin });
  await history(admin, cur, loyalty.krs[0] ?? '', { start: 70, target: 85, pace: 0.75, until });
  await as(admin, async (scope) => {
    // Churn readings: above the 3 % limit for two weeks after the price change.
    const readings = [2.4, 2.6, 3.4, 3.2, 2.7, 2.5, 2.4, 2.6, 2.3, 2.5, 2.4, 2.2, 2.3];
    for (const [week, value] of readings.entries()) {
      const date = addDays(cur.start, 4 + week * 7);
      if (date > until) break;
      await insertCheckin(scope, {
        id: randomUUID(), keyResultId: loyalty.krs[1] ?? '', date, value, checklistDone: null, confidence: value > 3 ? 4 : 7,
        note: week === 2 ? 'Churn above the limit after the price change.' : null, blockers: null, source: 'manual', at: `${date}T16:30:00.000Z`,
      });
    }
  });

  const dach = await objective(manager, {
    cycle: cur, owner: { kind: 'team', id: org.dach }, title: 'Win the DACH mid-market', category: 'revenue', commitment: 'committed', parent: { keyResultId: revenue.krs[0] },
    keyResults: [
      eur('Book €450,000 in DACH', 450_000),
      num('Win 25 new deals', 25),
      { title: 'Partner programme live', kind: 'checklist', checklist: ['Terms agreed', 'Three partners signed', 'First partner deal closed'] },
    ],
  }, { proposer: manager, approver: admin });
  await history(manager, cur, dach.krs[0] ?? '', { start: 0, target: 450_000, pace: 1.05, until, notes: { 0: 'Good start: Müller AG signed.' } });
  await history(manager, cur, dach.krs[1] ?? '', { start: 0, target: 25, pace: 0.95, until, whole: true });
  await as(manager, (scope) => insertCheckin(scope, {
    id: randomUUID(), keyResultId: dach.krs[2] ?? '', date: until, value: 2, checklistDone: [true, true, false], confidence: 6, note: 'Third partner signed on Monday.',
    blockers: null, source: 'manual', at: `${until}T10:00:00.000Z`,
  }));
  const skills = await objective(manager, {
    cycle: cur, owner: { kind: 'team', id: org.dach }, title: 'A team that keeps getting better', category: 'team', commitment: 'aspirational', templateId: 'develop-the-sales-team',
    keyResults: [num('Run 6 sales trainings', 6), { title: 'Certify 80 % of the team', kind: 'percent', unit: 'percent', target: 80 }],
  }, { proposer: manager, approver: admin });
  await history(manager, cur, skills.krs[0] ?? '', { start: 0, target: 6, pace: 0.35, until, whole: true, blockers: { 2: 'Trainer cancelled twice.', 3: 'No date for the next training yet.' } });
  await history(manager, cur, skills.krs[1] ?? '', { start: 0, target: 80, pace: 0.45, until });

  const nordics = await objective(admin, {
    cycle: cur, owner: { kind: 'team', id: org.nordics }, title: 'Open the Nordic market', category: 'revenue', commitment: 'aspirational', parent: { objectiveId: revenue.id },
    contributors: [manager], keyResults: [num('Sign 15 new Nordic customers', 15), { title: 'Stockholm office opened', kind: 'milestone' }],
  }, { proposer: manager, approver: admin });
  await history(admin, cur, nordics.krs[0] ?? '', { start: 0, target: 15, pace: 0.7, until, whole: true });

  const rita = await objective(rep, {
    cycle: cur, owner: { kind: 'user', id: rep }, title: 'Grow my key accounts', category: 'customer', commitment: 'committed', parent: { objectiveId: dach.id },
    keyResults: [eur('Book €150,000 with my top ten accounts', 150_000), num('Hold 30 customer meetings', 30)],
  }, { proposer: rep, approver: manager });
  await history(rep, cur, rita.krs[0] ?? '', { start: 0, target: 150_000, pace: 1.1, until, notes: { 1: 'Upsell at Alpenbank closed.' } });
  await history(rep, cur, rita.krs[1] ?? '', { start: 0, target: 30, pace: 0.9, until, whole: true });
  const forecast = await objective(rep, {
    cycle: cur, owner: { kind: 'user', id: rep }, title: 'Forecasts I can stand behind', category: 'process', commitment: 'aspirational', visibility: 'private',
    keyResults: [{ title: 'Forecast accuracy at 90 %', kind: 'percent', unit: 'percent', start: 70, target: 90 }],
  }, { proposer: rep, approver: manager });
  await history(rep, cur, forecast.krs[0] ?? '', { start: 70, target: 90, pace: 0.6, until });
  // Waiting for approval, and a draft.
  await objective(manager, {
    cycle: cur, owner: { kind: 'user', id: manager }, title: 'Every rep coached every week', category: 'team', commitment: 'aspirational',
    keyResults: [num('Hold 60 coaching sessions', 60), { title: 'Coaching guide written', kind: 'milestone' }],
  }, { proposer: manager });
  await objective(rep, {
    cycle: cur, owner: { kind: 'user', id: rep }, title: 'More referrals from happy customers', category: 'customer', commitment: 'aspirational',
    keyResults: [num('Get 10 referrals', 10)],
  });
  // The unfinished customer count of last quarter carries over.
  await as(manager, (scope, viewer) => carryOver(scope, { keyResultIds: [lastTeam.krs[1] ?? ''], toCycleId: cur.id }, { viewer }));

  // Comments and kudos; a team meeting a week ago.
  await as(admin, (scope, viewer) => addComment(scope, dach.id, { kind: 'kudos', body: 'Fantastic start to the quarter, DACH — €100k ahead of plan!', keyResultId: dach.krs[0] }, viewer));
  await as(rep, (scope, viewer) => addComment(scope, skills.id, { kind: 'comment', body: 'Could we do the next training remotely? That would unblock it.', keyResultId: skills.krs[0] }, viewer));
  await as(manager, (scope, viewer) => addComment(scope, rita.id, { kind: 'kudos', body: 'Great upsell at Alpenbank, Rita!' }, viewer));
  await as(manager, (scope, viewer) => addComment(scope, loyalty.id, { kind: 'comment', body: 'The churn spike was the price change; see the notes in the check-in.' }, viewer));
  await as(manager, async (scope) => {
    const heldAt = `${addDays(until, -7) < cur.start ? cur.start : addDays(until, -7)}T09:00:00.000Z`;
    await scope.tx.query('INSERT INTO okr_meetings (tenant_id, id, team_id, cycle_id, held_at, notes, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      tenantId, randomUUID(), org.dach, cur.id, heldAt, 'Training plan: Markus finds a remote trainer. Partner programme: one more partner to sign.', manager,
    ]);
  });
  return { created: true, cycleKey: cur.key };
}

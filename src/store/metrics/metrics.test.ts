import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, describeEachBackend, type TestStore } from '../../../test/stores.js';
import { DEALS, TICKETS, type DatasetDef } from '../../core/data/datasets.js';
import type { Filter, LeafMeasure, MetricDefinition, MetricUnit } from '../../core/metrics/definition.js';
import { evaluatePrimitivesInMemory, type OrgSnapshot } from '../../core/metrics/evaluate.js';
import { finaliseEvaluation } from '../../core/metrics/finalise.js';
import { planGrouping, validateMetricDefinition } from '../../core/metrics/validate.js';
import { formatEpochDay, formatInstant, MS_PER_DAY, parsePeriod, periodContaining, epochDay, type FiscalCalendar } from '../../core/period.js';
import { createTenant } from '../repos/tenants.js';
import type { Store, TenantScope } from '../store.js';
import { compileMetricQuery, type PrimitiveRow } from './compile.js';
import { addMetricVersion, createCustomMetric, listCustomMetrics, listMetricVersions } from './definitions.js';
import { evaluateMetric, explainMetric, listMetrics, rowsToPrimitives } from './service.js';
import { loadOrg, loadSnapshot, loadSnapshotInScope } from './snapshot.js';
import { insertTestRecords, type TestRecord } from './testing.js';

const ACTOR = { actor: { userId: null, tokenId: null } };

interface Org {
  tenantId: string;
  teams: { company: string; regionA: string; teamA1: string; teamA2: string };
  payees: { p1: string; p2: string; p3: string };
}

/** A tenant with company → region A → teams A1 (Petra) and A2 (Paul); Pia has no team. */
async function seedOrg(store: Store, slug: string, fiscalYearStartMonth = 1): Promise<Org> {
  const tenantId = randomUUID();
  await store.asSystem((tx) => createTenant(tx, { id: tenantId, slug, name: slug, fiscalYearStartMonth }));
  const teams = { company: randomUUID(), regionA: randomUUID(), teamA1: randomUUID(), teamA2: randomUUID() };
  const payees = { p1: randomUUID(), p2: randomUUID(), p3: randomUUID() };
  await store.inTenant(tenantId, ACTOR, async ({ tx }) => {
    const team = (id: string, name: string, kind: string, parent: string | null) =>
      tx.query('INSERT INTO teams (tenant_id, id, name, kind, parent_id) VALUES ($1, $2, $3, $4, $5)', [tenantId, id, name, kind, parent]);
    await team(teams.company, 'Company', 'company', null);
    await team(teams.regionA, 'Region A', 'region', teams.company);
    await team(teams.teamA1, 'Team A1', 'team', teams.regionA);
    await team(teams.teamA2, 'Team A2', 'team', teams.regionA);
    const payee = (id: string, name: string, teamId: string | null) =>
      tx.query(`INSERT INTO payees (tenant_id, id, kind, display_name, team_id, currency) VALUES ($1, $2, 'employee', $3, $4, 'EUR')`, [tenantId, id, name, teamId]);
    await payee(payees.p1, 'Petra', teams.teamA1);
    await payee(payees.p2, 'Paul', teams.teamA2);
    await payee(payees.p3, 'Pia', null);
  });
  return { tenantId, teams, payees };
}

const inTenant = <T>(store: Store, tenantId: string, fn: (scope: TenantScope) => Promise<T>) => store.inTenant(tenantId, ACTOR, fn);

describeEachBackend('metric engine (SQL)', (backend) => {
  let t: TestStore;
  let org: Org;
  let dealIds: string[];
  let ticketIds: string[];

  beforeAll(async () => {
    t = await createTestStore(backend);
    org = await seedOrg(t.store, 'metrics');
    const { p1, p2, p3 } = org.payees;
    const deals: TestRecord[] = [
      { extId: 'D1', values: { owner: p1, stage: 'closed_won', amount: 100000, created: '2026-01-01', close_date: '2026-01-11', region: 'EMEA', account: 'ACC1', type: 'new' } },
      { extId: 'D2', values: { owner: p1, stage: 'closed_won', amount: 50000, created: '2025-12-22', close_date: '2026-02-01', region: 'EMEA', account: 'ACC2', type: 'upsell' } },
      { extId: 'D3', values: { owner: p2, stage: 'closed_lost', amount: 70000, created: '2026-01-05', close_date: '2026-02-10', region: 'US', account: 'ACC3', type: 'new' } },
      { extId: 'D4', values: { owner: p2, stage: 'closed_won', amount: 30001, created: '2026-03-01', close_date: '2026-03-31', region: 'US', account: 'ACC1', type: 'upsell' } },
      { extId: 'D5', values: { owner: p3, stage: 'closed_won', amount: 20000, created: '2026-03-01', close_date: '2026-04-01', region: 'US', account: 'ACC3', type: 'new' } },
      { extId: 'D6', values: { owner: null, stage: 'closed_won', amount: 10000, created: '2026-03-10', close_date: '2026-03-15', account: 'ACC4', type: 'new' } },
      { extId: 'D7', values: { owner: p1, stage: 'closed_won', amount: 40000, created: '2025-12-01', close_date: '2025-12-31', region: 'EMEA', account: 'ACC5', type: 'new' } },
    ];
    const tickets: TestRecord[] = [
      { extId: 'T1', values: { owner: p1, type: 'complaint', opened_at: '2026-01-05T10:00:00Z', resolved_at: '2026-01-06T09:00:00Z', satisfaction: 45 } },
      { extId: 'T2', values: { owner: p1, type: 'complaint', opened_at: '2026-01-07T10:00:00Z', resolved_at: '2026-01-08T10:00:00.001Z', satisfaction: 30 } },
      { extId: 'T3', values: { owner: p2, type: 'complaint', opened_at: '2026-02-01T00:00:00Z', resolved_at: null } },
    ];
    await inTenant(t.store, org.tenantId, async ({ tx }) => {
      dealIds = await insertTestRecords(tx, org.tenantId, DEALS, deals);
      ticketIds = await insertTestRecords(tx, org.tenantId, TICKETS, tickets);
    });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const evaluate = (key: string, period: string, groupBy?: string) =>
    inTenant(t.store, org.tenantId, (scope) => evaluateMetric(scope, { metric: { key }, period, groupBy }));

  describe('evaluation (worked examples, as in the in-memory tests)', () => {
    it('sums revenue per owner with names, and in total', async () => {
      const result = await evaluate('revenue', '2026-Q1', 'owner');
      if (!result.ok) throw new Error(JSON.stringify(result));
      expect(result.value).toMatchObject({
        metric: { key: 'revenue', version: 1, source: 'catalogue' }, unit: 'money', groupBy: 'owner',
        period: { key: '2026-Q1', start: '2026-01-01', end: '2026-04-01' }, baselinePeriod: null,
        total: { value: '190001', recordCount: 4 },
      });
      expect(result.value.groups).toEqual([
        { key: org.payees.p1, label: 'Petra', value: '150000', recordCount: 2 },
        { key: org.payees.p2, label: 'Paul', value: '30001', recordCount: 1 },
        { key: null, label: '(none)', value: '10000', recordCount: 1 },
      ]);
    });

    it('rolls revenue up the team tree', async () => {
      const result = await evaluate('revenue', '2026-Q1', 'team');
      if (!result.ok) throw new Error(JSON.stringify(result));
      const byName = Object.fromEntries(result.value.groups.map((g) => [g.label, g.value]));
      expect(byName).toEqual({ Company: '180001', 'Region A': '180001', 'Team A1': '150000', 'Team A2': '30001', '(none)': '10000' });
      expect(result.value.total.value).toBe('190001');
    });

    it('computes changes against the baseline period, rates, durations and shares', async () => {
      const change = await evaluate('avg_deal_size_change', '2026-Q1');
      expect(change.ok && change.value).toMatchObject({ total: { value: '18.7506' }, baselinePeriod: { key: '2025-Q4', start: '2025-10-01', end: '2026-01-01' } });
      expect((await evaluate('win_rate', '2026-Q1')).ok && (await evaluate('win_rate', '2026-Q1'))).toMatchObject({ value: { total: { value: '80', recordCount: 5 } } });
      expect(await evaluate('sales_cycle_days', '2026-Q1')).toMatchObject({ value: { total: { value: '21.5' } } });
      expect(await evaluate('upsell_rate', '2026-Q1')).toMatchObject({ value: { total: { value: '66.6667' } } });
      expect(await evaluate('complaints_resolved_24h', '2026-01')).toMatchObject({ value: { total: { value: '50', recordCount: 2 } } });
      expect(await evaluate('complaints_resolved_24h', '2026-Q1')).toMatchObject({ value: { total: { value: '33.3333', recordCount: 3 } } });
    });

    it('follows the tenant’s fiscal calendar', async () => {
      const april = await seedOrg(t.store, 'fiscal-april', 4);
      await inTenant(t.store, april.tenantId, ({ tx }) => insertTestRecords(tx, april.tenantId, DEALS, [
        { extId: 'A', values: { stage: 'closed_won', amount: 5, created: '2026-01-01', close_date: '2026-03-31' } },
        { extId: 'B', values: { stage: 'closed_won', amount: 7, created: '2026-01-01', close_date: '2026-04-01' } },
      ]));
      const result = await inTenant(t.store, april.tenantId, (scope) => evaluateMetric(scope, { metric: { key: 'revenue' }, period: '2026-Q1' }));
      expect(result).toMatchObject({ ok: true, value: { period: { start: '2026-04-01', end: '2026-07-01' }, total: { value: '7' } } });
    });

    it('applies extra filters (a key result’s parameters)', async () => {
      const result = await inTenant(t.store, org.tenantId, (scope) =>
        evaluateMetric(scope, { metric: { key: 'revenue' }, period: '2026-Q1', filters: [{ field: 'region', op: 'eq', value: 'EMEA' }] }));
      expect(result).toMatchObject({ ok: true, value: { total: { value: '150000' } } });
      const bad = await inTenant(t.store, org.tenantId, (scope) =>
        evaluateMetric(scope, { metric: { key: 'revenue' }, period: '2026-Q1', filters: [{ field: 'regoin', op: 'eq', value: 'EMEA' }] }));
      expect(bad).toMatchObject({ ok: false, reason: 'invalid', issues: [{ code: 'unknown_field', path: 'filters.0.field' }] });
    });

    it('returns issues for a bad period, a grouping the metric does not allow, an unknown metric', async () => {
      expect(await evaluate('revenue', '2026-Q5')).toMatchObject({ ok: false, reason: 'invalid', issues: [{ code: 'bad_period', path: 'period' }] });
      expect(await evaluate('revenue', '2026-Q1', 'stage')).toMatchObject({ ok: false, reason: 'invalid', issues: [{ code: 'dimension_not_allowed' }] });
      expect(await evaluate('no_such_metric', '2026-Q1')).toMatchObject({ ok: false, reason: 'not_found' });
    });
  });

  describe('explain', () => {
    const explain = (key: string, groupBy: string | undefined, group: string | null | undefined, limit = 100) =>
      inTenant(t.store, org.tenantId, (scope) => explainMetric(scope, { metric: { key }, period: '2026-Q1', groupBy, group, limit }));

    it('lists the records behind one group, the total, and the group without a value', async () => {
      expect(await explain('revenue', 'owner', org.payees.p1)).toMatchObject({ ok: true, value: { count: 2, recordIds: [dealIds[0], dealIds[1]], group: org.payees.p1 } });
      expect(await explain('revenue', 'owner', null)).toMatchObject({ ok: true, value: { count: 1, recordIds: [dealIds[5]] } });
      expect(await explain('revenue', 'team', org.teams.regionA)).toMatchObject({ ok: true, value: { count: 3, recordIds: [dealIds[0], dealIds[1], dealIds[3]] } });
      expect(await explain('revenue', 'team', null)).toMatchObject({ ok: true, value: { count: 1, recordIds: [dealIds[5]] } });
      expect(await explain('revenue', undefined, undefined, 2)).toMatchObject({ ok: true, value: { count: 4, recordIds: [dealIds[0], dealIds[1]] } });
      expect(await explain('revenue', 'owner', 'not-a-uuid')).toMatchObject({ ok: false, issues: [{ code: 'bad_group', path: 'group' }] });
    });

    it('lists each component of a composite metric', async () => {
      const result = await explain('avg_deal_size_change', undefined, undefined);
      if (!result.ok) throw new Error(JSON.stringify(result));
      expect(result.value.components.map((c) => [c.role, c.period.key, c.count])).toEqual([['current', '2026-Q1', 4], ['baseline', '2025-Q4', 1]]);
      expect(result.value.components[1]?.recordIds).toEqual([dealIds[6]]);
      const complaints = await explain('complaints_resolved_24h', 'owner', org.payees.p1);
      expect(complaints).toMatchObject({ ok: true, value: { count: 2, recordIds: [ticketIds[0], ticketIds[1]] } });
    });
  });

  describe('custom definitions and snapshots', () => {
    it('versions custom metrics: an edit adds a version, old ones stay, the list shows the latest', async () => {
      const definition: MetricDefinition = {
        key: 'emea_revenue', name: { en: 'EMEA revenue', de: 'Umsatz EMEA' }, description: { en: 'x', de: 'x' }, unit: 'money', dataset: 'deals',
        dateField: 'close_date', measure: { kind: 'sum', field: 'amount' }, filters: [{ field: 'region', op: 'eq', value: 'EMEA' }],
      };
      await inTenant(t.store, org.tenantId, async (scope) => {
        expect(await createCustomMetric(scope, definition)).toMatchObject({ key: 'emea_revenue', version: 1 });
        expect(await createCustomMetric(scope, definition)).toBeNull();
        expect(await addMetricVersion(scope, { ...definition, filters: [...(definition.filters ?? []), { field: 'stage', op: 'eq', value: 'closed_won' }] })).toMatchObject({ version: 2 });
        expect((await listMetricVersions(scope, 'emea_revenue')).map((v) => v.version)).toEqual([2, 1]);
        expect((await listCustomMetrics(scope)).map((m) => [m.key, m.version])).toEqual([['emea_revenue', 2]]);
        expect((await listMetrics(scope)).find((m) => m.key === 'emea_revenue')).toMatchObject({ source: 'custom', version: 2 });
        expect(await evaluateMetric(scope, { metric: { key: 'emea_revenue' }, period: '2026-Q1' })).toMatchObject({ ok: true, value: { metric: { version: 2 }, total: { value: '150000' } } });
        expect(await evaluateMetric(scope, { metric: { key: 'emea_revenue', version: 1 }, period: '2026-Q1' })).toMatchObject({ ok: true, value: { metric: { version: 1 }, total: { value: '150000' } } });
      });
      await expect(t.store.asSystem((tx) => tx.query(`UPDATE metric_definitions SET definition = '{}' WHERE key = 'emea_revenue'`))).rejects.toThrow(/append-only/);
    });

    it('streams a dataset into a columnar snapshot in batches', async () => {
      const snapshot = await loadSnapshot(t.store, org.tenantId, 'deals', { batchSize: 3 });
      expect(snapshot.rowCount).toBe(7);
      expect([...snapshot.ids].map(String)).toEqual(dealIds);
      expect(snapshot.owner.dictionary).toEqual([org.payees.p1, org.payees.p2, org.payees.p3]);
      expect(snapshot.dates.d2?.[0]).toBe(epochDay('2026-01-11'));
      const tickets = await loadSnapshot(t.store, org.tenantId, TICKETS);
      expect(tickets.datetimes.ts2?.[1]).toBe(epochDay('2026-01-08') * MS_PER_DAY + 36_000_001);
      expect(Number.isNaN(tickets.datetimes.ts2?.[2])).toBe(true);
      const projected = await loadSnapshot(t.store, org.tenantId, 'deals', { fields: ['amount', 'close_date', 'stage'] });
      expect(Object.keys({ ...projected.text, ...projected.numbers, ...projected.dates })).toEqual(['t4', 'n1', 'd2']);
    });
  });

  describe('property: the SQL and the in-memory evaluator agree exactly', () => {
    it('on random records, definitions, periods and groupings', async () => {
      const propOrg = await seedOrg(t.store, 'property');
      const org: OrgSnapshot = await inTenant(t.store, propOrg.tenantId, loadOrg);
      const payeeIds = [...Object.values(propOrg.payees)];
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(recordsArb(payeeIds), fc.array(scenarioArb(payeeIds), { minLength: 3, maxLength: 3 }), async (records, scenarios) => {
          runs += 1;
          await inTenant(t.store, propOrg.tenantId, async (scope) => {
            await scope.tx.query('DELETE FROM records WHERE tenant_id = $1', [scope.tenantId]);
            await insertTestRecords(scope.tx, scope.tenantId, PROP, records.map((values, i) => ({ extId: `r${i}`, values })));
            const snapshot = await loadSnapshotInScope(scope, PROP, { batchSize: 128 });
            for (const scenario of scenarios) {
              const validated = validateMetricDefinition(scenario.definition, [PROP]);
              if (!validated.ok) throw new Error(`generated an invalid definition: ${JSON.stringify(validated.issues)}`);
              const grouping = planGrouping(validated.plan, scenario.groupBy);
              if (!grouping.ok) throw new Error(JSON.stringify(grouping.issues));
              const parsed = parsePeriod(scenario.period, scenario.calendar);
              if (!parsed.ok) throw new Error(scenario.period);
              const input = { plan: validated.plan, grouping: grouping.grouping, period: parsed.period, calendar: scenario.calendar };
              const query = compileMetricQuery({ tenantId: scope.tenantId, ...input });
              const sqlRaw = rowsToPrimitives(validated.plan, await scope.tx.query<PrimitiveRow>(query.sql, query.params));
              const memoryRaw = evaluatePrimitivesInMemory({ ...input, snapshots: { [PROP.key]: snapshot }, org });
              const context = JSON.stringify({ scenario });
              expect(sortedEntries(sqlRaw.groups), context).toEqual(sortedEntries(memoryRaw.groups));
              expect(sqlRaw.total, context).toEqual(memoryRaw.total);
              expect(finaliseEvaluation(validated.plan, sqlRaw), context).toEqual(finaliseEvaluation(validated.plan, memoryRaw));
            }
          });
        }),
        { numRuns: 40, seed: Number(process.env.ATTAIN_PROPERTY_SEED ?? 20260301) },
      );
      expect(runs).toBe(40);
    }, 120_000);
  });
});

const sortedEntries = <T>(map: Map<string | null, T>) => [...map.entries()].sort(([a], [b]) => String(a).localeCompare(String(b)));

// ---------------------------------------------------------------------------------------
// The property test's dataset and generators: every field type, nulls everywhere.

const PROP: DatasetDef = {
  key: 'proptest',
  label: { en: 'Property test', de: 'Eigenschaftstest' },
  kind: 'custom',
  fields: [
    { key: 'cat', label: { en: 'c', de: 'c' }, type: 'text', slot: 't1' },
    { key: 'terr', label: { en: 't', de: 't' }, type: 'territory', slot: 't2' },
    { key: 'owner', label: { en: 'o', de: 'o' }, type: 'payee', slot: 'owner' },
    { key: 'amount', label: { en: 'a', de: 'a' }, type: 'money', slot: 'n1' },
    { key: 'qty', label: { en: 'q', de: 'q' }, type: 'number', slot: 'n2', scale: 2 },
    { key: 'flag', label: { en: 'f', de: 'f' }, type: 'boolean', slot: 'n3' },
    { key: 'opened', label: { en: 'o', de: 'o' }, type: 'date', slot: 'd1' },
    { key: 'closed', label: { en: 'c', de: 'c' }, type: 'date', slot: 'd2' },
    { key: 'at', label: { en: 'a', de: 'a' }, type: 'datetime', slot: 'ts1' },
    { key: 'done_at', label: { en: 'd', de: 'd' }, type: 'datetime', slot: 'ts2' },
  ],
};

const DAY0 = epochDay('2025-10-01');
const DAYS = 274; // through 2026-06-30
const orNull = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { freq: 5, nil: null });
const dayArb = fc.integer({ min: DAY0, max: DAY0 + DAYS }).map(formatEpochDay);
const instantArb = fc.integer({ min: DAY0 * MS_PER_DAY, max: (DAY0 + DAYS) * MS_PER_DAY }).map(formatInstant);
const catArb = fc.constantFrom('a', 'b', 'c');
const terrArb = fc.constantFrom('north', 'south');
// Mostly small amounts, some near 2^50 so sums pass 2^52 and spill into BigInt.
const amountArb = fc.oneof({ arbitrary: fc.integer({ min: -1000, max: 100_000 }), weight: 9 }, { arbitrary: fc.integer({ min: 2 ** 49, max: 2 ** 50 }), weight: 1 });
const qtyArb = fc.integer({ min: 0, max: 5000 });

function recordsArb(payees: string[]) {
  return fc.array(
    fc.record({
      cat: orNull(catArb), terr: orNull(terrArb), owner: orNull(fc.constantFrom(...payees)), amount: orNull(amountArb), qty: orNull(qtyArb),
      flag: orNull(fc.boolean()), opened: orNull(dayArb), closed: orNull(dayArb), at: orNull(instantArb), done_at: orNull(instantArb),
    }),
    { minLength: 100, maxLength: 300 },
  );
}

function filterArb(payees: string[]): fc.Arbitrary<Filter> {
  const valueOf: Record<string, fc.Arbitrary<string | number | boolean>> = {
    cat: fc.constantFrom('a', 'b', 'c', 'zz'),
    terr: terrArb,
    owner: fc.constantFrom(...payees, '00000000-0000-4000-8000-000000000000'),
    amount: fc.integer({ min: -1000, max: 100_000 }),
    qty: qtyArb.map((q) => (q / 100).toFixed(2)),
    flag: fc.boolean(),
    opened: dayArb,
    closed: dayArb,
    at: instantArb,
    done_at: instantArb,
  };
  const ordered = ['amount', 'qty', 'opened', 'closed', 'at', 'done_at'];
  return fc.constantFrom(...Object.keys(valueOf)).chain((field) => {
    const value = valueOf[field] as fc.Arbitrary<string | number | boolean>;
    const ops = ordered.includes(field) ? (['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const) : (['eq', 'neq'] as const);
    return fc.oneof(
      fc.record({ field: fc.constant(field), op: fc.constantFrom(...ops), value }),
      fc.record({ field: fc.constant(field), op: fc.constantFrom('in' as const, 'not_in' as const), values: fc.array(value, { minLength: 1, maxLength: 3 }) }),
      fc.record({ field: fc.constant(field), op: fc.constantFrom('is_null' as const, 'not_null' as const) }),
    ) as fc.Arbitrary<Filter>;
  });
}

function leafArb(payees: string[]): fc.Arbitrary<{ measure: LeafMeasure; unit: MetricUnit }> {
  return fc.oneof(
    fc.constant({ measure: { kind: 'count' as const }, unit: 'count' as const }),
    fc.record({ kind: fc.constantFrom('sum' as const, 'avg' as const, 'min' as const, 'max' as const), field: fc.constantFrom('amount', 'qty') })
      .map((measure) => ({ measure, unit: measure.field === 'amount' ? ('money' as const) : ('number' as const) })),
    fc.constant({ measure: { kind: 'sum' as const, field: 'flag' }, unit: 'count' as const }),
    fc.constantFrom('cat', 'terr', 'owner', 'qty', 'opened', 'at').map((field) => ({ measure: { kind: 'distinct_count' as const, field }, unit: 'count' as const })),
    fc.array(filterArb(payees), { minLength: 1, maxLength: 2 }).map((where) => ({ measure: { kind: 'rate' as const, where }, unit: 'percent' as const })),
    fc.constantFrom<[string, string]>(['opened', 'closed'], ['at', 'done_at'], ['opened', 'done_at'], ['closed', 'at']).chain(([from, to]) =>
      fc.constantFrom('days' as const, 'hours' as const).map((unit) => ({ measure: { kind: 'avg_duration' as const, from, to, in: unit }, unit }))),
    fc.record({ value: fc.integer({ min: 1, max: 200 }), unit: fc.constantFrom('hours' as const, 'days' as const) }).map((limit) => ({
      measure: { kind: 'share_within' as const, from: 'at', to: 'done_at', limit }, unit: 'ratio' as const,
    })),
  );
}

const attributionArb = fc.constantFrom<{ dateField: string; activeUntil?: string }>(
  { dateField: 'opened' }, { dateField: 'closed' }, { dateField: 'at' }, { dateField: 'opened', activeUntil: 'closed' }, { dateField: 'at', activeUntil: 'done_at' },
);

function subArb(payees: string[]) {
  return fc.record({ attribution: fc.option(attributionArb, { nil: undefined }), filters: fc.array(filterArb(payees), { maxLength: 1 }), leaf: leafArb(payees) })
    .map(({ attribution, filters, leaf }) => ({ ...(attribution ?? {}), filters, measure: leaf.measure }));
}

function scenarioArb(payees: string[]) {
  const measureArb = fc.oneof(
    { arbitrary: leafArb(payees), weight: 4 },
    { arbitrary: fc.record({ numerator: subArb(payees), denominator: subArb(payees), unit: fc.constantFrom('ratio' as const, 'percent' as const) })
      .map(({ numerator, denominator, unit }) => ({ measure: { kind: 'ratio' as const, numerator, denominator }, unit })), weight: 1 },
    { arbitrary: fc.record({ of: subArb(payees), baseline: fc.constantFrom('previous_period' as const, 'same_period_last_year' as const) })
      .map(({ of, baseline }) => ({ measure: { kind: 'change' as const, of, baseline }, unit: 'percent' as const })), weight: 1 },
  );
  const periodArb = fc.oneof(
    fc.constantFrom('2025-W45', '2026-W01', '2026-01', '2026-02', '2026-03', '2026-04', '2025-Q4', '2026-Q1', '2026-Q2', 'FY2025', 'FY2026'),
    fc.tuple(dayArb, fc.integer({ min: 0, max: 90 })).map(([start, length]) => `${start}..${formatEpochDay(epochDay(start) + length)}`),
  );
  return fc.record({
    measure: measureArb,
    attribution: attributionArb,
    filters: fc.array(filterArb(payees), { maxLength: 1 }),
    groupBy: fc.constantFrom(null, 'owner', 'team', 'territory', 'cat', 'flag', 'opened', 'qty'),
    period: periodArb,
    fiscal: fc.integer({ min: 1, max: 12 }),
  }).map(({ measure, attribution, filters, groupBy, period, fiscal }) => {
    const calendar: FiscalCalendar = { fiscalYearStartMonth: fiscal };
    // Quarter and fiscal-year keys resolve on the scenario's calendar; keep them inside the data.
    const resolved = parsePeriod(period, calendar);
    const key = resolved.ok ? period : periodContaining('month', '2026-01-15', calendar).key;
    const definition: MetricDefinition = {
      key: 'prop_metric', name: { en: 'P', de: 'P' }, description: { en: 'P', de: 'P' }, unit: measure.unit, dataset: 'proptest',
      ...attribution, measure: measure.measure, filters, groupBy: ['owner', 'team', 'territory', 'cat', 'flag', 'opened', 'qty'],
    };
    return { definition, groupBy, period: key, calendar };
  });
}

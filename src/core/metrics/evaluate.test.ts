import { describe, expect, it } from 'vitest';
import { ACCOUNTS, BUILTIN_DATASETS, DEALS, TICKETS } from '../data/datasets.js';
import { CALENDAR_YEAR, parsePeriod, type Period } from '../period.js';
import { findCatalogueMetric } from './catalogue.js';
import type { MetricDefinition } from './definition.js';
import { evaluateInMemory, type OrgSnapshot } from './evaluate.js';
import { snapshotFromRecords, type ColumnarSnapshot } from './snapshot.js';
import { planGrouping, validateMetricDefinition } from './validate.js';

// Org: company → region A → teams A1 (p1) and A2 (p2); p3 has no team.
const ORG: OrgSnapshot = {
  teams: [
    { id: 'company', parentId: null, name: 'Company' },
    { id: 'region-a', parentId: 'company', name: 'Region A' },
    { id: 'team-a1', parentId: 'region-a', name: 'Team A1' },
    { id: 'team-a2', parentId: 'region-a', name: 'Team A2' },
  ],
  payees: [
    { id: 'p1', teamId: 'team-a1', name: 'Petra' },
    { id: 'p2', teamId: 'team-a2', name: 'Paul' },
    { id: 'p3', teamId: null, name: 'Pia' },
  ],
};

const deal = (id: number, values: Record<string, string | number | null>) => ({ id, values });
const DEAL_ROWS = [
  deal(1, { owner: 'p1', stage: 'closed_won', amount: 100000, created: '2026-01-01', close_date: '2026-01-11', region: 'EMEA', account: 'ACC1', type: 'new', territory: 'T1' }),
  deal(2, { owner: 'p1', stage: 'closed_won', amount: 50000, created: '2025-12-22', close_date: '2026-02-01', region: 'EMEA', account: 'ACC2', type: 'upsell' }),
  deal(3, { owner: 'p2', stage: 'closed_lost', amount: 70000, created: '2026-01-05', close_date: '2026-02-10', region: 'US', account: 'ACC3', type: 'new' }),
  deal(4, { owner: 'p2', stage: 'closed_won', amount: 30001, created: '2026-03-01', close_date: '2026-03-31', region: 'US', account: 'ACC1', type: 'upsell' }),
  deal(5, { owner: 'p3', stage: 'closed_won', amount: 20000, created: '2026-03-01', close_date: '2026-04-01', region: 'US', account: 'ACC3', type: 'new' }),
  deal(6, { owner: null, stage: 'closed_won', amount: 10000, created: '2026-03-10', close_date: '2026-03-15', region: null, account: 'ACC4', type: 'new' }),
  deal(7, { owner: 'p1', stage: 'closed_won', amount: 40000, created: '2025-12-01', close_date: '2025-12-31', region: 'EMEA', account: 'ACC5', type: 'new' }),
  deal(8, { owner: 'p1', stage: 'open', amount: 99999, created: '2026-02-01', close_date: null, region: 'EMEA', account: 'ACC1', type: 'cross_sell' }),
];
const TICKET_ROWS = [
  deal(1, { owner: 'p1', type: 'complaint', opened_at: '2026-01-05T10:00:00Z', resolved_at: '2026-01-06T09:00:00Z', satisfaction: 45 }),
  deal(2, { owner: 'p1', type: 'complaint', opened_at: '2026-01-07T10:00:00Z', resolved_at: '2026-01-08T10:00:00.001Z', satisfaction: 30 }),
  deal(3, { owner: 'p2', type: 'complaint', opened_at: '2026-02-01T00:00:00Z', resolved_at: null, satisfaction: null }),
  deal(4, { owner: 'p2', type: 'question', opened_at: '2026-02-02T00:00:00Z', resolved_at: '2026-02-03T00:00:00Z', satisfaction: 50 }),
];
const ACCOUNT_ROWS = [
  deal(1, { name: 'a1', region: 'EMEA', created: '2025-06-01', churned_at: '2026-02-15', in_referral_program: 1 }),
  deal(2, { name: 'a2', region: 'EMEA', created: '2025-01-01', churned_at: '2025-12-31', in_referral_program: 1 }),
  deal(3, { name: 'a3', region: 'US', created: '2026-03-31', churned_at: null, in_referral_program: 0 }),
  deal(4, { name: 'a4', region: 'US', created: '2026-04-01', churned_at: null, in_referral_program: 1 }),
  deal(5, { name: 'a5', region: 'US', created: '2024-01-01', churned_at: '2026-01-01', in_referral_program: 0 }),
  deal(6, { name: 'a6', region: 'EMEA', created: '2025-01-01', churned_at: null, in_referral_program: 1 }),
];
const SNAPSHOTS: Record<string, ColumnarSnapshot> = {
  deals: snapshotFromRecords(DEALS, DEAL_ROWS),
  tickets: snapshotFromRecords(TICKETS, TICKET_ROWS),
  accounts: snapshotFromRecords(ACCOUNTS, ACCOUNT_ROWS),
};
const Q1 = (parsePeriod('2026-Q1', CALENDAR_YEAR) as { period: Period }).period;

function run(definition: MetricDefinition | string, groupBy: string | null = null, period = Q1) {
  const input = typeof definition === 'string' ? findCatalogueMetric(definition)?.definition : definition;
  const validated = validateMetricDefinition(input, BUILTIN_DATASETS);
  if (!validated.ok) throw new Error(JSON.stringify(validated.issues));
  const grouping = planGrouping(validated.plan, groupBy);
  if (!grouping.ok) throw new Error(JSON.stringify(grouping.issues));
  const result = evaluateInMemory({ plan: validated.plan, grouping: grouping.grouping, period, calendar: CALENDAR_YEAR, snapshots: SNAPSHOTS, org: ORG });
  return { ...result, byKey: Object.fromEntries(result.groups.map((g) => [String(g.key), g.value])) };
}

const custom = (measure: MetricDefinition['measure'], extra: Partial<MetricDefinition> = {}): MetricDefinition => ({
  key: 'test_metric', name: { en: 'T', de: 'T' }, description: { en: 'T', de: 'T' }, unit: 'count', dataset: 'deals', dateField: 'close_date',
  measure, groupBy: ['owner', 'team', 'territory', 'region', 'account', 'close_date', 'amount'], ...extra,
});

describe('in-memory evaluator: worked examples per measure', () => {
  it('sum: revenue per owner, per team (rolled up) and in total', () => {
    const byOwner = run('revenue', 'owner');
    expect(byOwner.total).toEqual({ value: '190001', recordCount: 4 });
    expect(byOwner.groups).toEqual([
      { key: 'p1', label: 'Petra', value: '150000', recordCount: 2 },
      { key: 'p2', label: 'Paul', value: '30001', recordCount: 1 },
      { key: null, label: '(none)', value: '10000', recordCount: 1 },
    ]);
    const byTeam = run('revenue', 'team');
    expect(byTeam.byKey).toEqual({ company: '180001', 'region-a': '180001', 'team-a1': '150000', 'team-a2': '30001', null: '10000' });
    expect(byTeam.total.value).toBe('190001');
  });

  it('count, avg, min, max', () => {
    expect(run('deals_won', 'owner').byKey).toEqual({ p1: '2', p2: '1', null: '1' });
    expect(run('avg_deal_size').total.value).toBe('47500.25');
    expect(run(custom({ kind: 'min', field: 'amount' }, { unit: 'money', filters: [{ field: 'stage', op: 'eq', value: 'closed_won' }] })).total.value).toBe('10000');
    expect(run(custom({ kind: 'max', field: 'amount' }, { unit: 'money' }), 'owner').byKey).toEqual({ p1: '100000', p2: '70000', null: '10000' });
  });

  it('distinct_count stays right through the team roll-up', () => {
    // Accounts of won deals: team A1 {ACC1, ACC2}, team A2 {ACC1}: region A has 2, not 3.
    const def = custom({ kind: 'distinct_count', field: 'account' }, { filters: [{ field: 'stage', op: 'eq', value: 'closed_won' }] });
    expect(run(def, 'team').byKey).toEqual({ company: '2', 'region-a': '2', 'team-a1': '2', 'team-a2': '1', null: '1' });
    expect(run(def).total.value).toBe('3');
  });

  it('ratio: upsell rate and revenue per rep', () => {
    expect(run('upsell_rate').total.value).toBe('66.6667'); // 2 of 3 buying customers
    expect(run('revenue_per_rep').total.value).toBe('95000.5'); // 190001 ÷ 2 owners
    expect(run('revenue_per_rep', 'owner').byKey).toEqual({ p1: '150000', p2: '30001', null: null }); // no owner: ÷ 0
  });

  it('change against the previous period', () => {
    // Q1 average 47,500.25 against Q4's 40,000: +18.750625 %.
    const result = run('avg_deal_size_change', 'owner');
    expect(result.total.value).toBe('18.7506');
    expect(result.byKey).toEqual({ p1: '87.5', p2: null, null: null });
    expect(run('revenue_change').total.value).toBe('375.0025');
  });

  it('rate: win rate and renewal-style shares', () => {
    expect(run('win_rate').total).toEqual({ value: '80', recordCount: 5 });
    expect(run('win_rate', 'owner').byKey).toEqual({ p1: '100', p2: '50', null: '100' });
  });

  it('avg_duration in days and hours', () => {
    expect(run('sales_cycle_days').total.value).toBe('21.5'); // (10 + 41 + 30 + 5) ÷ 4
    const hours = custom({ kind: 'avg_duration', from: 'opened_at', to: 'resolved_at', in: 'hours' }, { unit: 'hours', dataset: 'tickets', dateField: 'opened_at', filters: [{ field: 'type', op: 'eq', value: 'complaint' }], groupBy: [] });
    expect(run(hours).total).toEqual({ value: '23.5', recordCount: 2 }); // (23 h + 24 h 1 ms) ÷ 2, the open one left out
  });

  it('share_within: an open complaint counts as not resolved in time', () => {
    expect(run('complaints_resolved_24h').total).toEqual({ value: '33.3333', recordCount: 3 });
  });

  it('satisfaction: share of scores ≥ 4 and the average score (scale 1)', () => {
    expect(run('customer_satisfaction').total.value).toBe('66.6667');
    expect(run('satisfaction_score').total.value).toBe('4.1667');
  });

  it('activeUntil: customers active during the period (churn rate, programme participants)', () => {
    expect(run('churn_rate').total.value).toBe('50'); // a1, a5 lost of a1, a3, a5, a6 active
    expect(run('referral_participants').total.value).toBe('2'); // a1, a6
    expect(run('new_customers', 'region').byKey).toEqual({ US: '1' }); // a3 (a4 starts with Q2)
  });

  it('filters: missing values match only is_null', () => {
    const count = (filters: MetricDefinition['filters']) => run(custom({ kind: 'count' }, { filters })).total.value;
    expect(count([{ field: 'region', op: 'neq', value: 'US' }])).toBe('2'); // 1, 2 (deal 6 has no region)
    expect(count([{ field: 'region', op: 'not_in', values: ['EMEA'] }])).toBe('2'); // 3, 4
    expect(count([{ field: 'region', op: 'is_null' }])).toBe('1');
    expect(count([{ field: 'amount', op: 'gte', value: 50000 }])).toBe('3');
    expect(count([{ field: 'created', op: 'lt', value: '2026-01-01' }])).toBe('1');
  });

  it('groups by date and number fields with their stored keys', () => {
    const def = custom({ kind: 'count' }, { filters: [{ field: 'stage', op: 'eq', value: 'closed_won' }] });
    expect(run(def, 'close_date').byKey).toEqual({ '2026-01-11': '1', '2026-02-01': '1', '2026-03-31': '1', '2026-03-15': '1' });
    expect(run(def, 'amount').groups.map((g) => g.key).sort()).toEqual(['10000', '100000', '30001', '50000']);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestStore, describeEachBackend, type TestStore } from '../../../test/stores.js';
import { DEALS } from '../../core/data/datasets.js';
import { createTenant } from '../repos/tenants.js';
import { evaluateMetric } from './service.js';
import { insertTestRecords } from './testing.js';

const ACTOR = { actor: { userId: null, tokenId: null } };

describeEachBackend('money metrics and currencies', (backend) => {
  let t: TestStore;
  const tenantId = randomUUID();

  beforeAll(async () => {
    t = await createTestStore(backend);
    await t.store.asSystem((tx) => createTenant(tx, { id: tenantId, slug: 'fx', name: 'FX', currency: 'EUR' }));
    const deal = (extId: string, amount: number, currency: string) => ({
      extId, values: { name: extId, amount, currency, stage: 'closed_won', created: '2026-01-05', close_date: '2026-02-10' },
    });
    await t.store.inTenant(tenantId, ACTOR, ({ tx }) =>
      insertTestRecords(tx, tenantId, DEALS, [
        deal('e1', 100_000, 'EUR'), deal('e2', 50_000, 'EUR'), deal('u1', 70_000, 'USD'),
        // No currency: the workspace's.
        { extId: 'n1', values: { name: 'n1', amount: 5_000, stage: 'closed_won', created: '2026-01-05', close_date: '2026-02-11' } },
      ]),
    );
  });
  afterAll(() => t?.dispose());

  const revenue = (filters?: { field: string; op: 'eq'; value: string }[]) =>
    t.store.inTenant(tenantId, ACTOR, (scope) => evaluateMetric(scope, { metric: { key: 'revenue' }, period: '2026-Q1', ...(filters ? { filters } : {}) }));

  it('sums money in the workspace currency only, and says which', async () => {
    const result = await revenue();
    expect(result.ok && result.value.total).toEqual({ value: '155000', recordCount: 3 });
    expect(result.ok && result.value.currency).toBe('EUR');
  });

  it('agrees with the in-memory evaluator on the currency rule', async () => {
    const { restrictMoneyToCurrency } = await import('../../core/metrics/currency.js');
    const { findCatalogueMetric } = await import('../../core/metrics/catalogue.js');
    const { validateMetricDefinition, planGrouping } = await import('../../core/metrics/validate.js');
    const { evaluatePrimitivesInMemory } = await import('../../core/metrics/evaluate.js');
    const { finaliseEvaluation } = await import('../../core/metrics/finalise.js');
    const { parsePeriod } = await import('../../core/period.js');
    const { loadSnapshot, loadOrg } = await import('./snapshot.js');
    const validated = validateMetricDefinition(findCatalogueMetric('revenue')?.definition, [DEALS]);
    if (!validated.ok) throw new Error('revenue must validate');
    const plan = restrictMoneyToCurrency(validated.plan, 'EUR');
    const grouping = planGrouping(plan, null);
    const period = parsePeriod('2026-Q1', { fiscalYearStartMonth: 1 });
    if (!grouping.ok || !period.ok) throw new Error('plan');
    const snapshot = await loadSnapshot(t.store, tenantId, DEALS);
    const org = await t.store.inTenant(tenantId, ACTOR, loadOrg);
    const raw = evaluatePrimitivesInMemory({ plan, grouping: grouping.grouping, period: period.period, calendar: { fiscalYearStartMonth: 1 }, snapshots: { deals: snapshot }, org });
    expect(finaliseEvaluation(plan, raw).total).toEqual({ value: '155000', recordCount: 3 });
  });

  it('sums another currency when the metric is filtered by it', async () => {
    const result = await revenue([{ field: 'currency', op: 'eq', value: 'USD' }]);
    expect(result.ok && result.value.total).toEqual({ value: '70000', recordCount: 1 });
    expect(result.ok && result.value.currency).toBe('USD');
  });

  it('counts deals of every currency (a count is not money)', async () => {
    const result = await t.store.inTenant(tenantId, ACTOR, (scope) => evaluateMetric(scope, { metric: { key: 'deals_won' }, period: '2026-Q1' }));
    expect(result.ok && result.value.total.value).toBe('4');
    expect(result.ok && result.value.currency).toBeNull();
  });
});

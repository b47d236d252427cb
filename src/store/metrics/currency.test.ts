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
      insertTestRecords(tx, tenantId, DEALS, [deal('e1', 100_000, 'EUR'), deal('e2', 50_000, 'EUR'), deal('u1', 70_000, 'USD')]),
    );
  });
  afterAll(() => t?.dispose());

  const revenue = (filters?: { field: string; op: 'eq'; value: string }[]) =>
    t.store.inTenant(tenantId, ACTOR, (scope) => evaluateMetric(scope, { metric: { key: 'revenue' }, period: '2026-Q1', ...(filters ? { filters } : {}) }));

  it('sums money in the workspace currency only, and says which', async () => {
    const result = await revenue();
    expect(result.ok && result.value.total).toEqual({ value: '150000', recordCount: 2 });
    expect(result.ok && result.value.currency).toBe('EUR');
  });

  it('sums another currency when the metric is filtered by it', async () => {
    const result = await revenue([{ field: 'currency', op: 'eq', value: 'USD' }]);
    expect(result.ok && result.value.total).toEqual({ value: '70000', recordCount: 1 });
    expect(result.ok && result.value.currency).toBe('USD');
  });

  it('counts deals of every currency (a count is not money)', async () => {
    const result = await t.store.inTenant(tenantId, ACTOR, (scope) => evaluateMetric(scope, { metric: { key: 'deals_won' }, period: '2026-Q1' }));
    expect(result.ok && result.value.total.value).toBe('3');
    expect(result.ok && result.value.currency).toBeNull();
  });
});

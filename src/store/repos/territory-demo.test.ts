import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestStore, describeEachBackend, type TestStore } from '../../../test/stores.js';
import { seedTenant, type TenantFixture } from '../../../test/fixtures.js';
import { createTeam } from './teams.js';
import { listAssignments, listTerritories } from './territories.js';
import { getQuotaVersion } from './quotas.js';
import { seedDemoTerritoriesAndQuotas } from './territory-demo.js';

describeEachBackend('demo territories and quotas', (backend) => {
  let t: TestStore;
  let a: TenantFixture;
  const actor = { actor: { userId: null, tokenId: null } };

  beforeAll(async () => {
    t = await createTestStore(backend);
    a = await seedTenant(t.store, 'alpha');
    // A workspace without territories of its own, with a team named like the demo's.
    await t.store.inTenant(a.tenantId, actor, async (scope) => {
      await scope.tx.query('DELETE FROM territories WHERE tenant_id = $1', [a.tenantId]);
      await createTeam(scope, randomUUID(), { name: 'DACH', kind: 'team', parentId: a.companyTeamId });
    });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('creates a territory tree, owner assignments and a FY quota version that reconciles to the target, once', async () => {
    const result = await seedDemoTerritoriesAndQuotas(t.store, a.tenantId, { today: '2026-03-01' });
    expect(result.territories).toBe(6);
    expect(result.assignments).toBe(1);
    expect(result.quotaVersionId).not.toBeNull();
    await t.store.inTenant(a.tenantId, actor, async (scope) => {
      const names = (await listTerritories(scope)).map((x) => x.name);
      expect(names).toEqual(expect.arrayContaining(['EMEA', 'DACH', 'Nordics', 'UK & Ireland']));
      expect(await listAssignments(scope)).toHaveLength(1);
      const detail = await getQuotaVersion(scope, result.quotaVersionId as string, { visibility: { all: true }, period: 'FY2026' });
      expect(detail?.totalGapMinor).toBe(0);
      expect(detail?.lines.filter((l) => l.assigneeKind === 'rep').reduce((s, l) => s + l.quotaMinor, 0)).toBe(detail?.plan.targetMinor);
    });
    expect((await seedDemoTerritoriesAndQuotas(t.store, a.tenantId, { today: '2026-03-01' })).territories).toBe(0);
  });
});

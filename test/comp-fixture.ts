import { randomUUID } from 'node:crypto';
import { createAssignment, createPlanVersion } from '../src/store/repos/comp-plans.js';
import { calculateRun, createRun, listLines, raiseDispute } from '../src/store/repos/payout-runs.js';
import type { Store } from '../src/store/store.js';

/** Compensation rows: a plan version, an assignment, a calculated run with a line, a dispute on it. */
export interface CompFixture {
  compPlanId: string;
  compAssignmentId: string;
  payoutRunId: string;
  disputeId: string;
}

/**
 * A plan `<slug>-plan` v1 (flat 10 %), the rep's payee on it in January 2026, an adjustment of
 * 12.34 (so the January run has a line without touching the fixture's sales data), the
 * January 2026 run calculated, and the rep's dispute of that line.
 */
export async function seedTenantComp(store: Store, tenantId: string, at: { payeeId: string; repUserId: string; slug: string }): Promise<CompFixture & { markers: string[] }> {
  const compPlanId = `${at.slug}-plan`;
  return store.inTenant(tenantId, { actor: { userId: null, tokenId: null } }, async (scope) => {
    await createPlanVersion(scope, {
      schemaVersion: 1, id: compPlanId, version: 1, name: `${at.slug} comp plan`, currency: 'EUR', effectiveFrom: '2026-01-01',
      components: [{ id: 'core', kind: 'commission', label: `${at.slug} commission`, rates: { basis: 'flat', rate: '10%' } }],
    });
    const compAssignmentId = randomUUID();
    await createAssignment(scope, compAssignmentId, { payeeId: at.payeeId, planId: compPlanId, planVersion: 1, from: '2026-01-01', to: '2026-02-01' });
    await scope.tx.query(
      `INSERT INTO payout_adjustments (tenant_id, id, payee_id, amount_minor, currency, reason) VALUES ($1, $2, $3, 1234, 'EUR', $4)`,
      [tenantId, randomUUID(), at.payeeId, `${at.slug} adjustment`],
    );
    const payoutRunId = randomUUID();
    await createRun(scope, payoutRunId, '2026-01');
    await calculateRun(scope, payoutRunId);
    const [line] = await listLines(scope, payoutRunId);
    if (!line) throw new Error('the fixture run has no line');
    const disputeId = randomUUID();
    await raiseDispute({ ...scope, actor: { userId: at.repUserId, tokenId: null } }, disputeId, { runId: payoutRunId, lineNo: line.lineNo, reason: `${at.slug} dispute` });
    return {
      compPlanId, compAssignmentId, payoutRunId, disputeId,
      markers: [compPlanId, `${at.slug} comp plan`, compAssignmentId, payoutRunId, disputeId, `${at.slug} adjustment`, `${at.slug} dispute`],
    };
  });
}

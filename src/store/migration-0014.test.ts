/**
 * Migration 0014 on runs written before it: their per-payee results and owner digests move to
 * payout_run_payees and payout_run_owners, their lines keep their credits in the explanation,
 * and everything reads as before — while the locked run itself is not rewritten.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestStore, describeEachBackend, type TestStore } from '../../test/stores.js';
import { migrate } from './migrate.js';
import { listLines, runPayees } from './repos/payout-runs.js';
import { SYSTEM_ACTOR } from './store.js';

describeEachBackend('migration 0014 (payout run storage)', (backend) => {
  let t: TestStore;
  const a = { tenantId: randomUUID(), payeeId: randomUUID() };
  const runId = randomUUID();
  const payee = {
    currency: 'EUR', segments: [], quotaMinor: 1_000_000, creditedMinor: 250_000, attainment: '0.25', earningsMinor: 15_000,
    drawBalanceInMinor: 0, drawBalanceOutMinor: 2_500, adjustmentsMinor: 0, totalMinor: 15_000,
  };
  const credits = [
    { recordId: '41', kind: 'owner', creditedMinor: 150_000, attributedMinor: 9_000 },
    { recordId: '42', kind: 'split', creditedMinor: 100_000, attributedMinor: 6_000 },
  ];
  const explanation = { credits, tier: null, rate: '0.06', steps: [{ label: 'credit base', expression: 'Σ 2 credits', value: '2,500.00' }], text: 'Core: 2,500.00 × 6% = 150.00 EUR', next: null };

  beforeAll(async () => {
    t = await createTestStore(backend, { migrateUpTo: 13 });
    // The tenant and payee by hand: the fixtures calculate runs, which needs the new schema.
    await t.store.asSystem(async (tx) => {
      await tx.query(`INSERT INTO tenants (id, slug, name, currency) VALUES ($1, 'mig14', 'Migration 14', 'EUR')`, [a.tenantId]);
      await tx.query(`INSERT INTO payees (tenant_id, id, kind, display_name, currency) VALUES ($1, $2, 'employee', 'Ann', 'EUR')`, [a.tenantId, a.payeeId]);
    });
    const result = { issues: [], payees: [{ payeeId: a.payeeId, ...payee }], inputs: { global: 'g', owners: { [a.payeeId]: { digest: 'ab'.repeat(16), revenue: { EUR: 250_000 } } } } };
    await t.store.asSystem(async (tx) => {
      await tx.query(
        `INSERT INTO payout_runs (tenant_id, id, period_key, period_start, period_end, status, input_hash, totals, result, calculated_at, approved_at, locked_at)
         VALUES ($1, $2, '2025-Q4', '2025-10-01', '2026-01-01', 'calculated', 'h', $3, $4, now(), now(), now())`,
        [a.tenantId, runId, JSON.stringify([{ currency: 'EUR', payees: 1, earningsMinor: 15_000, totalMinor: 15_000, revenueMinor: 250_000 }]), JSON.stringify(result)],
      );
      await tx.query(
        `INSERT INTO payout_lines (tenant_id, run_id, line_no, line_id, payee_id, kind, component_id, label, plan_id, plan_version, amount_minor, currency, explanation)
         VALUES ($1, $2, 1, $3, $4, 'commission', 'core', 'Core', 'ae', 1, 15000, 'EUR', $5)`,
        [a.tenantId, runId, `${a.payeeId}/ae@1/2025-10-01/core`, a.payeeId, JSON.stringify(explanation)],
      );
      await tx.query(`UPDATE payout_runs SET status = 'approved' WHERE tenant_id = $1 AND id = $2`, [a.tenantId, runId]);
      await tx.query(`UPDATE payout_runs SET status = 'locked' WHERE tenant_id = $1 AND id = $2`, [a.tenantId, runId]);
    });
    expect(await migrate(t.store.db)).toContain(14);
  });
  afterAll(() => t?.dispose());

  const inA = <T>(fn: Parameters<typeof t.store.inTenant>[2]) => t.store.inTenant(a.tenantId, { actor: SYSTEM_ACTOR }, fn) as Promise<T>;

  it('moves each payee’s result and each owner’s digest into their tables', async () => {
    const payees = await inA<Awaited<ReturnType<typeof runPayees>>>((scope) => runPayees(scope, runId));
    expect(payees).toEqual([expect.objectContaining({ payeeId: a.payeeId, payeeName: 'Ann', ...(({ segments: _segments, ...summary }) => summary)(payee), lineCount: 1 })]);
    const [owner] = await inA<{ owner_id: string; digest: string; revenue: unknown }[]>((scope) =>
      scope.tx.query('SELECT owner_id, digest, revenue FROM payout_run_owners WHERE tenant_id = $1 AND run_id = $2', [a.tenantId, runId]));
    expect(owner).toEqual({ owner_id: a.payeeId, digest: 'ab'.repeat(16), revenue: { EUR: 250_000 } });
    const [balance] = await inA<{ draw: string }[]>((scope) =>
      scope.tx.query('SELECT draw_balance_out_minor::text AS draw FROM payout_run_payees WHERE tenant_id = $1 AND run_id = $2', [a.tenantId, runId]));
    expect(balance?.draw).toBe('2500');
  });

  it('reads the credits of lines written before from their explanation, unchanged', async () => {
    const [line] = await inA<Awaited<ReturnType<typeof listLines>>>((scope) => listLines(scope, runId));
    expect(line?.explanation).toEqual(explanation);
  });

  it('leaves the locked run as it was, and keeps it frozen in the new tables', async () => {
    const [run] = await inA<{ status: string; result: { payees?: unknown[] } }[]>((scope) =>
      scope.tx.query('SELECT status, result FROM payout_runs WHERE tenant_id = $1 AND id = $2', [a.tenantId, runId]));
    expect(run?.status).toBe('locked');
    expect(run?.result.payees).toHaveLength(1);
    await expect(inA((scope) => scope.tx.query('UPDATE payout_run_payees SET total_minor = 0 WHERE tenant_id = $1 AND run_id = $2', [a.tenantId, runId]))).rejects.toThrow(/never change/);
  });
});

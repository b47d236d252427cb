/**
 * Migration 0015 (a line's credits in one bytea) on lines written before it: a locked run's
 * lines keep their credits in the 0014 arrays or, older still, in the explanation, and read as
 * before — by the statements (listLines) and by the clawback query — while the run stays
 * frozen. New lines round-trip exactly through the bytes, in JS and in SQL.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, describeEachBackend, type TestStore } from '../../test/stores.js';
import { compilePlan } from '../core/comp/index.js';
import type { CreditRef, PayoutLine } from '../core/comp/payout-types.js';
import { CALENDAR_YEAR, parsePeriod } from '../core/period.js';
import { migrate } from './migrate.js';
import { loadClawbackInputs } from './repos/comp-inputs.js';
import { encodeLines, insertLines, LINE_ARRAYS, LINE_COLUMNS, LINE_VALUES, linesUnnest, listLines } from './repos/payout-lines.js';
import { SYSTEM_ACTOR, type TenantScope } from './store.js';

const PLAN = compilePlan({
  schemaVersion: 1, id: 'mig15', version: 1, name: 'Migration 15', currency: 'EUR', effectiveFrom: '2026-01-01',
  components: [
    { id: 'core', kind: 'commission', label: 'Commission', rates: { basis: 'flat', rate: '10%' } },
    { id: 'undo', kind: 'clawback', label: 'Clawback', components: ['core'], withinDays: 90, events: ['cancelled'] },
  ],
});

const explanationOf = (credits: CreditRef[], text: string): PayoutLine['explanation'] => ({
  credits, tier: null, rate: '0.1', steps: [{ label: 'credit base', expression: `Σ ${credits.length} credits`, value: '1.00' }], text, next: null,
});
const makeLine = (payeeId: string, { lineId, credits, amountMinor = 1_000 }: { lineId: string; credits: CreditRef[]; amountMinor?: number }): PayoutLine => ({
  lineId, payeeId, kind: 'commission', componentId: 'core', label: 'Commission', planId: 'mig15', planVersion: 1, amountMinor, currency: 'EUR',
  explanation: explanationOf(credits, `Commission of ${lineId}`), warnings: [],
});

describeEachBackend('migration 0015 (payout line credits as bytes)', (backend) => {
  let t: TestStore;
  const tenantId = randomUUID();
  const payeeId = randomUUID();
  const lockedRun = randomUUID();
  const openRun = randomUUID();
  let deal: [string, string, string];
  // Written before the migration: in the 0014 arrays, and in the explanation (before 0014).
  let arrayCredits: CreditRef[];
  let explainedCredits: CreditRef[];

  const inTenant = <T>(fn: (scope: TenantScope) => Promise<T>): Promise<T> => t.store.inTenant(tenantId, { actor: SYSTEM_ACTOR }, fn);
  const insertRun = (tx: TenantScope['tx'], id: string, period: string, start: string, end: string) => tx.query(
    `INSERT INTO payout_runs (tenant_id, id, period_key, period_start, period_end, status, input_hash, calculated_at) VALUES ($1, $2, $3, $4, $5, 'calculated', 'h', now())`,
    [tenantId, id, period, start, end],
  );
  const lock = (id: string) => t.store.asSystem(async (tx) => {
    await tx.query(`UPDATE payout_runs SET status = 'approved' WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    await tx.query(`UPDATE payout_runs SET status = 'locked' WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  });

  beforeAll(async () => {
    t = await createTestStore(backend, { migrateUpTo: 14 });
    await t.store.asSystem(async (tx) => {
      await tx.query(`INSERT INTO tenants (id, slug, name, currency) VALUES ($1, 'mig15', 'Migration 15', 'EUR')`, [tenantId]);
      await tx.query(`INSERT INTO payees (tenant_id, id, kind, display_name, currency) VALUES ($1, $2, 'employee', 'Ann', 'EUR')`, [tenantId, payeeId]);
      // Three deals closed in January, cancelled since: what the clawback query looks for.
      const rows = await tx.query<{ id: string }>(
        `INSERT INTO records (tenant_id, dataset, ext_id, owner_payee_id, t4, n1, d2, row_hash)
         SELECT $1, 'deals', 'D' || g, $2, 'cancelled', 100000, DATE '2026-01-15', 'h' FROM generate_series(1, 3) g RETURNING id::text AS id`,
        [tenantId, payeeId],
      );
      deal = rows.map((r) => r.id) as [string, string, string];
      arrayCredits = [
        { recordId: deal[0], kind: 'owner', creditedMinor: 100_000, attributedMinor: 6_000 },
        { recordId: deal[1], kind: 'split', creditedMinor: 50_000, attributedMinor: 4_000 },
      ];
      explainedCredits = [{ recordId: deal[2], kind: 'owner', creditedMinor: 100_000, attributedMinor: 10_000 }];
      await insertRun(tx, lockedRun, '2026-01', '2026-01-01', '2026-02-01');
      await insertRun(tx, openRun, '2026-02', '2026-02-01', '2026-03-01');
      const insert0014 = (run: string, lineNo: number, lineId: string, credits: CreditRef[]) => tx.query(
        `INSERT INTO payout_lines (tenant_id, run_id, line_no, line_id, payee_id, kind, component_id, label, plan_id, plan_version, amount_minor, currency, explanation,
                                   credit_record_ids, credit_kinds, credit_credited_minor, credit_attributed_minor)
         VALUES ($1, $2, $3, $4, $5, 'commission', 'core', 'Commission', 'mig15', 1, 10000, 'EUR', $6, $7, $8, $9, $10)`,
        [tenantId, run, lineNo, lineId, payeeId, JSON.stringify((({ credits: _c, ...rest }) => rest)(explanationOf(credits, `Commission of ${lineId}`))),
          credits.map((c) => c.recordId), credits.map((c) => c.kind), credits.map((c) => String(c.creditedMinor)), credits.map((c) => String(c.attributedMinor))],
      );
      await insert0014(lockedRun, 1, 'arrays', arrayCredits);
      await tx.query(
        `INSERT INTO payout_lines (tenant_id, run_id, line_no, line_id, payee_id, kind, component_id, label, plan_id, plan_version, amount_minor, currency, explanation)
         VALUES ($1, $2, 2, 'explained', $3, 'commission', 'core', 'Commission', 'mig15', 1, 10000, 'EUR', $4)`,
        [tenantId, lockedRun, payeeId, JSON.stringify(explanationOf(explainedCredits, 'Commission of explained'))],
      );
      await insert0014(openRun, 1, 'open', arrayCredits);
    });
    await lock(lockedRun);
    expect(await migrate(t.store.db)).toContain(15);
  });
  afterAll(() => t?.dispose());

  it('reads the credits of a locked run’s lines written before, from the arrays and from the explanation', async () => {
    const lines = await inTenant((scope) => listLines(scope, lockedRun));
    expect(lines.map((l) => [l.lineId, l.explanation])).toEqual([
      ['arrays', explanationOf(arrayCredits, 'Commission of arrays')],
      ['explained', explanationOf(explainedCredits, 'Commission of explained')],
    ]);
  });

  it('keeps the locked run frozen, its new column too', async () => {
    await expect(inTenant((scope) => scope.tx.query(`UPDATE payout_lines SET credit_record_ids = NULL, credit_kinds = NULL, credit_credited_minor = NULL, credit_attributed_minor = NULL, credits = '\\x0101010100000000'::bytea WHERE tenant_id = $1 AND run_id = $2 AND line_no = 1`, [tenantId, lockedRun])))
      .rejects.toThrow(/never change/);
    const [row] = await inTenant((scope) => scope.tx.query<{ credits: string | null }>('SELECT credits::text AS credits FROM payout_lines WHERE tenant_id = $1 AND run_id = $2 AND line_no = 1', [tenantId, lockedRun]));
    expect(row?.credits).toBeNull();
  });

  it('lets the clawback query read paid credits in all three formats', async () => {
    // A run locked after the migration: its line's credits are bytes.
    const bytesRun = randomUUID();
    await inTenant(async (scope) => {
      await insertRun(scope.tx, bytesRun, '2026-03', '2026-03-01', '2026-04-01');
      await insertLines(scope, bytesRun, [makeLine(payeeId, { lineId: 'bytes', credits: [{ recordId: deal[0], kind: 'owner', creditedMinor: 100_000, attributedMinor: 2_500 }] })]);
    });
    await lock(bytesRun);
    const [{ credits } = { credits: null }] = await inTenant((scope) => scope.tx.query<{ credits: string | null }>('SELECT encode(credits, \'hex\') AS credits FROM payout_lines WHERE tenant_id = $1 AND run_id = $2', [tenantId, bytesRun]));
    expect(credits).not.toBeNull();

    const parsed = parsePeriod('2026-04', CALENDAR_YEAR);
    if (!parsed.ok) throw new Error('bad period');
    const { paidCommissions } = await inTenant((scope) => loadClawbackInputs(scope, parsed.period, [PLAN], [payeeId]));
    expect(paidCommissions.map((p) => [p.recordId, p.periodKey, p.amountMinor])).toEqual([
      [deal[0], '2026-01', 6_000], [deal[0], '2026-03', 2_500], [deal[1], '2026-01', 4_000], [deal[2], '2026-01', 10_000],
    ].sort((a, b) => (`${a[0]}/${a[1]}` < `${b[0]}/${b[1]}` ? -1 : 1)));
  });

  it('replaces a line written before in one format when a payee’s lines are upserted (payout-runs.ts)', async () => {
    const line = makeLine(payeeId, { lineId: 'open', credits: [{ recordId: deal[1], kind: 'team', creditedMinor: 7, attributedMinor: -3 }], amountMinor: -3 });
    // The statement payout-runs.ts builds from these exports for a per-payee recalculation.
    await inTenant((scope) => scope.tx.query(
      `INSERT INTO payout_lines (tenant_id, run_id, line_no, ${LINE_COLUMNS})
       SELECT $1, $2, $${4 + LINE_ARRAYS}::int + u.k, ${LINE_VALUES} FROM ${linesUnnest(4)} WHERE u.payee_id = ANY($3::uuid[])
       ON CONFLICT (tenant_id, run_id, line_id) DO UPDATE SET ${LINE_COLUMNS.split(', ').map((c) => `${c} = excluded.${c}`).join(', ')}`,
      [tenantId, openRun, [payeeId], ...encodeLines([line]), 1],
    ));
    const [row] = await inTenant((scope) => scope.tx.query<{ arrays: boolean; bytes: boolean; explained: boolean }>(
      `SELECT credit_record_ids IS NOT NULL AS arrays, credits IS NOT NULL AS bytes, explanation ? 'credits' AS explained FROM payout_lines WHERE tenant_id = $1 AND run_id = $2`,
      [tenantId, openRun],
    ));
    expect(row).toEqual({ arrays: false, bytes: true, explained: false });
    expect((await inTenant((scope) => listLines(scope, openRun))).map(({ runId: _r, lineNo: _n, ...l }) => l)).toEqual([line]);
  });

  describe('new lines', () => {
    const MAX = Number.MAX_SAFE_INTEGER;
    const kinds = ['owner', 'split', 'overlay', 'team', 'manager', 'territory'] as const;
    const wide: CreditRef[] = [
      { recordId: '0', kind: 'owner', creditedMinor: 0, attributedMinor: 0 },
      { recordId: '999999999999999', kind: 'split', creditedMinor: MAX, attributedMinor: -MAX },
      ...kinds.map((kind, i) => ({ recordId: String(127 + i), kind, creditedMinor: -(2 ** (8 * i + 7)), attributedMinor: 2 ** (8 * i + 7) - 1 })),
      { recordId: '4294967296', kind: 'manager', creditedMinor: -1, attributedMinor: 2 ** 32 },
    ];
    const narrow: CreditRef[] = [{ recordId: '5', kind: 'owner', creditedMinor: 12, attributedMinor: -128 }];
    // One line per field width (1–6 bytes), at the edges of its range.
    const widths: CreditRef[][] = [1, 2, 3, 4, 5, 6].map((w) => [
      { recordId: String(2 ** (8 * w - 1) - 1), kind: 'overlay', creditedMinor: -(2 ** (8 * w - 1)), attributedMinor: 2 ** (8 * w - 1) - 1 },
      { recordId: '1', kind: 'territory', creditedMinor: 2 ** (8 * w - 1) - 1, attributedMinor: -(2 ** (8 * w - 1)) },
    ]);
    // Ids the bytes cannot hold: these lines keep their credits in the explanation.
    const odd: CreditRef[] = [
      { recordId: '7', kind: 'owner', creditedMinor: 1, attributedMinor: 1 }, { recordId: 'd-7', kind: 'owner', creditedMinor: 1, attributedMinor: 1 },
    ];
    const oddIds = ['007', '1e3', '+5', ' 5', '1000000000000000', ''].map((recordId) => [{ recordId, kind: 'split', creditedMinor: 2, attributedMinor: 3 }] as CreditRef[]);
    let runId: string;
    let written: PayoutLine[];

    beforeAll(async () => {
      runId = randomUUID();
      written = [
        makeLine(payeeId, { lineId: 'wide', credits: wide }), makeLine(payeeId, { lineId: 'narrow', credits: narrow }),
        ...widths.map((credits, i) => makeLine(payeeId, { lineId: `width-${i + 1}`, credits })), makeLine(payeeId, { lineId: 'none', credits: [] }),
        makeLine(payeeId, { lineId: 'odd', credits: odd }), ...oddIds.map((credits, i) => makeLine(payeeId, { lineId: `odd-${i}`, credits })),
      ];
      await inTenant(async (scope) => {
        await insertRun(scope.tx, runId, '2026-05', '2026-05-01', '2026-06-01');
        await insertLines(scope, runId, written);
      });
    });

    it('reads them back exactly as written', async () => {
      const lines = await inTenant((scope) => listLines(scope, runId));
      expect(lines.map(({ runId: _r, lineNo: _n, ...l }) => l)).toEqual(written);
      expect(lines.map((l) => l.lineNo)).toEqual(written.map((_, i) => i + 1));
    });

    it('stores the credits as bytes when every record id is an integer, else in the explanation', async () => {
      const rows = await inTenant((scope) => scope.tx.query<{ line_id: string; bytes: boolean; explained: boolean; arrays: boolean }>(
        `SELECT line_id, credits IS NOT NULL AS bytes, explanation ? 'credits' AS explained, credit_record_ids IS NOT NULL AS arrays FROM payout_lines WHERE tenant_id = $1 AND run_id = $2 ORDER BY line_no`,
        [tenantId, runId],
      ));
      expect(rows.map((r) => [r.line_id, r.bytes, r.explained, r.arrays])).toEqual(written.map((l) => {
        const bytes = ['wide', 'narrow'].includes(l.lineId) || l.lineId.startsWith('width-');
        return [l.lineId, bytes, !bytes && l.lineId !== 'none', false];
      }));
    });

    it('gives the same credits to SQL readers (attain_payout_credits)', async () => {
      const rows = await inTenant((scope) => scope.tx.query<{ line_id: string; record_id: string; kind: string; credited: string; attributed: string }>(
        `SELECT l.line_id, c.record_id::text AS record_id, c.kind, c.credited_minor::text AS credited, c.attributed_minor::text AS attributed
           FROM payout_lines l CROSS JOIN LATERAL attain_payout_credits(l.credits) c WHERE l.tenant_id = $1 AND l.run_id = $2 ORDER BY l.line_no, c.credit_no`,
        [tenantId, runId],
      ));
      expect(rows.map((r) => [r.line_id, { recordId: r.record_id, kind: r.kind, creditedMinor: Number(r.credited), attributedMinor: Number(r.attributed) }]))
        .toEqual([...wide.map((c) => ['wide', c]), ...narrow.map((c) => ['narrow', c]), ...widths.flatMap((credits, i) => credits.map((c) => [`width-${i + 1}`, c]))]);
    });

    it('refuses bytes of another format', async () => {
      await expect(inTenant((scope) => scope.tx.query(`UPDATE payout_lines SET credits = '\\x02010101'::bytea WHERE tenant_id = $1 AND run_id = $2 AND line_id = 'narrow'`, [tenantId, runId])))
        .rejects.toThrow(/payout_lines_credits_format/);
      await expect(inTenant((scope) => scope.tx.query(`UPDATE payout_lines SET credits = '\\x0101010100' WHERE tenant_id = $1 AND run_id = $2 AND line_id = 'narrow'`, [tenantId, runId])))
        .rejects.toThrow(/payout_lines_credits_format/);
    });
  });
});

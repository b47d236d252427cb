/**
 * The demo workspace's compensation: an account-executive plan (marginal commission tiers by
 * amount, a SPIFF on Forecast+, a clawback for early churn) in EUR and in USD, every employee payee on it, last month's
 * run calculated, approved, locked and paid, this month's run calculated, a fifth of those
 * months' won deals split 70/30 with a teammate, and the demo rep's open dispute of a line — so the Compensation pages show every state on first start.
 */
import { randomUUID } from 'node:crypto';
import { addDays } from '../../core/period.js';
import { declareDataset, type DatasetDeclaration } from '../../core/data/dataset-declaration.js';
import { mapJsonRecord } from '../../core/data/record-input.js';
import { CREDIT_SPLITS_DATASET } from './comp-inputs.js';
import { createAssignment, createPlanVersion } from './comp-plans.js';
import { createDataset, getDataset } from './datasets.js';
import { loadPayeeDirectory, tenantCurrency, upsertRecordBatch, writeRecords } from './records.js';
import { calculateRun, createRun, listLines, raiseDispute, transitionRun } from './payout-runs.js';
import type { Store } from '../store.js';

const plan = (id: string, currency: string, yearStart: string) => ({
  schemaVersion: 1, id, version: 1, name: `Account Executive ${yearStart.slice(0, 4)} (${currency})`, currency, effectiveFrom: yearStart,
  description: 'Marginal commission by monthly booked amount; a launch SPIFF on Forecast+; commission on customers lost within 90 days is clawed back.',
  components: [
    {
      id: 'core', kind: 'commission', label: 'New business commission',
      base: { kind: 'credits', dataset: 'deals', creditKinds: ['owner', 'split'] },
      rates: {
        basis: 'amount', mode: 'marginal',
        tiers: [{ from: '0', rate: '4%', label: 'Base 4 %' }, { from: '30000', rate: '7%', label: 'Accelerator 7 %' }, { from: '80000', rate: '10%', label: 'Super accelerator 10 %' }],
      },
      cap: '25000',
    },
    { id: 'forecast-plus', kind: 'spiff', label: 'Forecast+ launch SPIFF', base: { kind: 'credits', where: [{ field: 'product', op: 'eq', value: 'Forecast+' }] }, amount: '250' },
    // A customer lost within a quarter of closing takes its commission back (in the month it happens).
    { id: 'early-churn', kind: 'clawback', label: 'Early churn clawback', components: ['core'], withinDays: 90, events: ['cancelled', 'churned'] },
  ],
});

const monthKey = (day: string): string => day.slice(0, 7);

/** The credit-splits dataset (docs/compensation.md): a deal, a payee, a percentage, split or overlay. */
const DEAL_SPLITS: DatasetDeclaration = {
  key: CREDIT_SPLITS_DATASET,
  label: { en: 'Deal splits', de: 'Provisionsteilungen' },
  fields: [
    { key: 'deal', label: { en: 'Deal', de: 'Verkaufschance' }, type: 'text', required: true },
    { key: 'payee', label: { en: 'Payee', de: 'Empfänger' }, type: 'payee', required: true },
    { key: 'percent', label: { en: 'Percent', de: 'Prozent' }, type: 'number', scale: 2, required: true },
    { key: 'kind', label: { en: 'Kind', de: 'Art' }, type: 'text', values: ['split', 'overlay'] },
  ],
};

/**
 * A few of last month's and this month's won deals are shared 70/30 between their owner and
 * a teammate (the deal_splits dataset), so statements show split credit.
 */
async function seedDemoSplits(store: Store, tenantId: string, from: string, to: string): Promise<void> {
  const declared = declareDataset(DEAL_SPLITS);
  if (!declared.ok) throw new Error(`demo splits: ${declared.issues.map((i) => i.message).join('; ')}`);
  const dataset = await store.inTenant(tenantId, { actor: { userId: null, tokenId: null }, requestId: 'seed-demo' }, async (scope) => (await getDataset(scope, CREDIT_SPLITS_DATASET)) ?? createDataset(scope, declared.dataset));
  if (!dataset) return;
  await writeRecords(store, tenantId, { actor: { userId: null, tokenId: null }, requestId: 'seed-demo', source: 'seed' }, async (scope) => {
    // Every fifth won deal of the months whose owner has a teammate in the same currency.
    const deals = await scope.tx.query<{ ext_id: string; owner: string; mate: string }>(
      `SELECT d.ext_id, d.owner_payee_id::text AS owner,
              (SELECT m.id::text FROM payees m WHERE m.tenant_id = d.tenant_id AND m.team_id = o.team_id AND m.id <> o.id AND m.currency = o.currency AND m.kind = 'employee' ORDER BY m.display_name LIMIT 1) AS mate
         FROM records d JOIN payees o ON o.tenant_id = d.tenant_id AND o.id = d.owner_payee_id
        WHERE d.tenant_id = $1 AND d.dataset = 'deals' AND d.t4 = 'closed_won' AND d.d2 >= $2::date AND d.d2 < $3::date
        ORDER BY d.id`,
      [tenantId, from, to],
    );
    const context = { tenantCurrency: await tenantCurrency(scope), payees: await loadPayeeDirectory(scope) };
    const rows = [];
    for (const [i, d] of deals.filter((x) => x.mate !== null).entries()) {
      if (i % 5 !== 0) continue;
      for (const [suffix, payee, percent] of [['a', d.owner, '70'], ['b', d.mate, '30']] as const) {
        const mapped = mapJsonRecord(dataset, { extId: `${d.ext_id}-${suffix}`, values: { deal: d.ext_id, payee, percent, kind: 'split' } }, context, 'splits');
        if (!mapped.ok) throw new Error(`demo splits: ${mapped.issues.map((x) => x.message).join('; ')}`);
        rows.push(mapped.row);
      }
    }
    if (rows.length > 0) await upsertRecordBatch(scope, dataset, rows);
  });
}

export async function seedDemoComp(store: Store, tenantId: string, options: { today: string; repUserId: string | null }): Promise<void> {
  const yearStart = `${options.today.slice(0, 4)}-01-01`;
  const lastMonthDay = addDays(`${monthKey(options.today)}-01`, -1);
  await seedDemoSplits(store, tenantId, `${monthKey(lastMonthDay)}-01`, addDays(`${monthKey(options.today)}-01`, 40));
  await store.inTenant(tenantId, { actor: { userId: null, tokenId: null }, requestId: 'seed-demo' }, async (scope) => {
    await createPlanVersion(scope, plan('ae-eur', 'EUR', yearStart));
    await createPlanVersion(scope, plan('ae-usd', 'USD', yearStart));
    const payees = await scope.tx.query<{ id: string; currency: string; start_date: string | null }>(
      `SELECT id, currency, start_date FROM payees WHERE tenant_id = $1 AND kind = 'employee' ORDER BY display_name`, [tenantId],
    );
    for (const payee of payees) {
      const from = payee.start_date && payee.start_date > yearStart ? payee.start_date : yearStart;
      await createAssignment(scope, randomUUID(), { payeeId: payee.id, planId: payee.currency === 'USD' ? 'ae-usd' : 'ae-eur', planVersion: 1, from });
    }
    if (lastMonthDay >= yearStart) {
      const previous = randomUUID();
      await createRun(scope, previous, monthKey(lastMonthDay));
      await calculateRun(scope, previous);
      await transitionRun(scope, previous, 'approve');
      await transitionRun(scope, previous, 'lock');
      await transitionRun(scope, previous, 'pay');
      if (options.repUserId) {
        const [repPayee] = await scope.tx.query<{ id: string }>('SELECT id FROM payees WHERE tenant_id = $1 AND user_id = $2', [tenantId, options.repUserId]);
        const line = repPayee ? (await listLines(scope, previous, [repPayee.id])).find((l) => l.kind === 'commission') : undefined;
        if (line) {
          await raiseDispute({ ...scope, actor: { userId: options.repUserId, tokenId: null } }, randomUUID(), {
            runId: previous, lineNo: line.lineNo, reason: 'The Nordwind renewal closed on the last day of the month but is not on my statement.',
          });
        }
      }
    }
    const current = randomUUID();
    await createRun(scope, current, monthKey(options.today));
    await calculateRun(scope, current);
  });
}

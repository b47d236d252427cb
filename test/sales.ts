import { ACCOUNTS, DEALS } from '../src/core/data/datasets.js';
import { upsertRecordBatch, writeRecords } from '../src/store/repos/records.js';
import type { Store } from '../src/store/store.js';

export interface DealInput {
  id: string;
  amount: number;
  stage: string;
  created?: string;
  close?: string | null;
  owner?: string | null;
  account?: string | null;
  region?: string | null;
  productLine?: string | null;
}

/** Writes accounts and deals into a workspace as an import would (amounts in minor units). */
export async function addSales(store: Store, tenantId: string, input: { accounts?: { id: string; country: string; region: string; segment?: string }[]; deals?: DealInput[] }): Promise<void> {
  await writeRecords(store, tenantId, { actor: { userId: null, tokenId: null }, source: 'seed' }, async (scope) => {
    if (input.accounts) {
      await upsertRecordBatch(scope, ACCOUNTS, input.accounts.map((a) => {
        const v: Record<string, string | number | null> = { name: a.id, segment: a.segment ?? 'mid_market', region: a.region, country: a.country, created: '2020-01-01' };
        return { extId: a.id, values: ACCOUNTS.fields.map((f) => v[f.key] ?? null) };
      }));
    }
    if (input.deals) {
      await upsertRecordBatch(scope, DEALS, input.deals.map((d) => {
        const v: Record<string, string | number | null> = {
          name: d.id, amount: d.amount, currency: 'EUR', stage: d.stage, created: d.created ?? '2024-01-01', close_date: d.close ?? null, owner: d.owner ?? null,
          account: d.account ?? null, region: d.region ?? null, product_line: d.productLine ?? null,
        };
        return { extId: d.id, values: DEALS.fields.map((f) => v[f.key] ?? null) };
      }));
    }
  });
}

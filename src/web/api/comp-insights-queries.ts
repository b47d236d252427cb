// "My earnings" with forecasted payout, and what-if simulation (/api/comp/earnings, /api/comp/what-if).
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api } from './client';

export interface EarningsTier {
  index: number;
  label: string;
  /** Decimal fraction: '0.07' = 7 %. */
  rate: string;
  fromMinor: number;
}

export interface EarningsDeal {
  recordId: string;
  name: string;
  stage: string | null;
  probability: string;
  closeDate: string;
  amountMinor: number;
  payoutIfWonMinor: number;
  weightedPayoutMinor: number;
}

export interface Earnings {
  payee: { id: string; name: string; currency: string };
  period: { key: string; start: string; end: string; previous: string; next: string };
  source: { kind: 'run'; runId: string; status: string } | { kind: 'live' };
  currency: string;
  earnedMinor: number;
  quotaMinor: number | null;
  creditedMinor: number;
  attainment: string | null;
  plan: { planId: string; version: number; name: string } | null;
  progress: {
    componentId: string;
    label: string;
    basis: 'flat' | 'attainment' | 'amount';
    mode: string;
    baseMinor: number;
    tiers: EarningsTier[];
    tierIndex: number;
    next: { index: number; label: string; rate: string; remainingMinor: number } | null;
  } | null;
  forecast: {
    weightedTotalMinor: number;
    bestCaseTotalMinor: number;
    weightedIncrementMinor: number;
    bestCaseIncrementMinor: number;
    pipelineMinor: number;
    deals: EarningsDeal[];
  };
}

export interface EarningsPayee {
  id: string;
  name: string;
  currency: string;
  isSelf: boolean;
}

export interface WhatIfRequest {
  period: string;
  planId: string;
  baselineVersion?: number | null;
  candidate?: { version?: number | null; document?: Record<string, unknown> | null };
  quotaMultiplier?: string | null;
  cadence?: 'month' | 'quarter';
  top?: number;
}

export interface WhatIfSide {
  label: string;
  costMinor: number;
  costShareOfRevenue: string | null;
  distribution: { payees: number; minMinor: number; p25Minor: number; medianMinor: number; p75Minor: number; maxMinor: number };
}

export interface WhatIfPayee {
  payeeId: string;
  name: string;
  baselineMinor: number;
  scenarioMinor: number;
  deltaMinor: number;
  revenueMinor: number;
}

export interface WhatIfResult {
  period: { key: string; start: string; end: string };
  currency: string;
  baseline: WhatIfSide;
  scenario: WhatIfSide;
  revenueMinor: number;
  deltaMinor: number;
  histogram: { fromMinor: number; toMinor: number; baseline: number; scenario: number }[];
  payees: WhatIfPayee[];
  winners: WhatIfPayee[];
  losers: WhatIfPayee[];
  periods: { key: string; assignments: 'actual' | 'projected'; payees: number; revenueMinor: number; baselineCostMinor: number; scenarioCostMinor: number }[];
  warnings: { code: string; path: string; message: string }[];
}

export const compInsightKeys = {
  payees: ['comp', 'earnings', 'payees'] as const,
  earnings: (payeeId: string | null, period: string | null) => ['comp', 'earnings', payeeId, period] as const,
};

export function useEarningsPayees() {
  return useQuery({ queryKey: compInsightKeys.payees, queryFn: () => api.get<{ items: EarningsPayee[] }>('/comp/earnings/payees').then((r) => r.items) });
}

export function useEarnings(payeeId: string | null, period: string | null, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: compInsightKeys.earnings(payeeId, period),
    queryFn: () => api.get<Earnings>('/comp/earnings', { query: { payeeId, period } }),
    enabled: options.enabled ?? true,
    placeholderData: keepPreviousData,
  });
}

/** A simulation reads only; it is a mutation because it is a POST with a document. */
export function useWhatIf() {
  return useMutation({ mutationFn: (body: WhatIfRequest) => api.post<WhatIfResult>('/comp/what-if', body) });
}

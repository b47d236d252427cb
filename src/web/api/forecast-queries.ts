// Forecasts: the time-series forecast of bookings, the pipeline forecast with reps' calls,
// quota recommendations, snapshots and their accuracy (/api/forecasts).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export type ForecastGroupBy = 'owner' | 'team' | 'territory' | 'company';
export type ForecastPeriodKind = 'month' | 'quarter';

export interface StageWinRate {
  stage: string;
  closed: number;
  wins: number;
  observedRate: number | null;
  priorRate: number;
  winRate: number;
  isThin: boolean;
  hasDefault: boolean;
}

export interface PipelineRow {
  groupKey: string;
  period: string;
  openDeals: number;
  pipelineMinor: number;
  weightedMinor: number;
  closedWonMinor: number;
  expectedMinor: number;
  commitMinor: number;
  bestCaseMinor: number;
  blendedMinor: number;
  call: { commitMinor: number; bestCaseMinor: number } | null;
  omittedMinor: number;
  unknownStageDeals: number;
}

export interface GroupLabel {
  groupKey: string;
  name: string;
  teamId: string | null;
}

export interface PipelineForecast {
  from: string;
  to: string;
  undatedDeals: number;
  winRates: StageWinRate[];
  rows: PipelineRow[];
  labels: GroupLabel[];
}

export interface ForecastInterval {
  level: number;
  lowerMinor: number;
  upperMinor: number;
}

export interface BookingsGroup {
  groupKey: string;
  method: string;
  modelName: string;
  isFallback: boolean;
  flags: string[];
  history: { period: string; actualMinor: number; fittedMinor: number | null }[];
  forecast: { period: string; meanMinor: number; intervals: ForecastInterval[] }[];
  quota: { period: string; quotaMinor: number }[];
}

export interface BookingsForecast {
  from: string;
  to: string;
  groups: BookingsGroup[];
}

export interface AccuracyStats {
  points: number;
  zeroActualPoints: number;
  forecastTotalMinor: number;
  actualTotalMinor: number;
  maeMinor: number | null;
  mape: number | null;
  wape: number | null;
  bias: number | null;
  accuracy: number | null;
}

export interface ForecastAccuracy {
  snapshots: number;
  pending: number;
  overall: AccuracyStats;
  byGroup: { groupKey: string; stats: AccuracyStats }[];
  byPeriod: { period: string; stats: AccuracyStats }[];
}

export interface QuotaRecommendation {
  fiscalYear: number;
  stretchRate: string;
  items: {
    id: string;
    forecastMinor: number;
    stretchRate: string;
    recommendedMinor: number;
    quotaMinor: number | null;
    gapMinor: number | null;
    gapRate: string | null;
    method: string;
    isFallback: boolean;
  }[];
}

export interface ForecastCall {
  id: string;
  payeeId: string;
  payeeName: string;
  teamId: string | null;
  period: string;
  commitMinor: number;
  bestCaseMinor: number;
  note: string;
  submittedBy: string | null;
  submittedByName: string | null;
  submittedAt: string;
  isLatest: boolean;
}

export interface ForecastCalls {
  items: ForecastCall[];
  mayCallFor: { payeeId: string; name: string; teamId: string | null }[];
}

export const forecastKeys = {
  all: ['forecasts'] as const,
  pipeline: (groupBy: ForecastGroupBy, periods: number) => ['forecasts', 'pipeline', groupBy, periods] as const,
  bookings: (groupBy: Exclude<ForecastGroupBy, 'owner'>) => ['forecasts', 'bookings', groupBy] as const,
  accuracy: (groupBy: ForecastGroupBy) => ['forecasts', 'accuracy', groupBy] as const,
  recommendation: (fiscalYear: number, groupBy: 'team' | 'owner', stretch: string) => ['forecasts', 'recommendation', fiscalYear, groupBy, stretch] as const,
  calls: ['forecasts', 'calls'] as const,
};

export function usePipelineForecast(groupBy: ForecastGroupBy, periods = 4) {
  return useQuery({
    queryKey: forecastKeys.pipeline(groupBy, periods),
    queryFn: () => api.get<PipelineForecast>('/forecasts/pipeline', { query: { groupBy, periodKind: 'quarter', periods } }),
  });
}

export function useBookingsForecast(groupBy: Exclude<ForecastGroupBy, 'owner'>) {
  return useQuery({
    queryKey: forecastKeys.bookings(groupBy),
    queryFn: () => api.get<BookingsForecast>('/forecasts/bookings', { query: { groupBy, periodKind: 'quarter', horizon: 4, historyYears: 3 } }),
  });
}

export function useForecastAccuracy(groupBy: ForecastGroupBy) {
  return useQuery({
    queryKey: forecastKeys.accuracy(groupBy),
    queryFn: () => api.get<ForecastAccuracy>('/forecasts/accuracy', { query: { groupBy, periodKind: 'quarter' } }),
  });
}

export function useQuotaRecommendation(input: { fiscalYear: number; groupBy: 'team' | 'owner'; stretch: string; enabled: boolean }) {
  return useQuery({
    queryKey: forecastKeys.recommendation(input.fiscalYear, input.groupBy, input.stretch),
    queryFn: () => api.get<QuotaRecommendation>('/forecasts/quota-recommendation', { query: { fiscalYear: input.fiscalYear, groupBy: input.groupBy, stretch: input.stretch } }),
    enabled: input.enabled,
    retry: false,
  });
}

export function useForecastCalls() {
  return useQuery({ queryKey: forecastKeys.calls, queryFn: () => api.get<ForecastCalls>('/forecasts/calls') });
}

export function useSubmitForecastCall() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { payeeId: string; period: string; commitMinor: number; bestCaseMinor: number; note: string }) => api.post<ForecastCall>('/forecasts/calls', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: forecastKeys.all }),
  });
}

export function useTakeSnapshot() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (groupBy: ForecastGroupBy) => api.post<{ id: string; rows: number }>('/forecasts/snapshots', { groupBy, periodKind: 'quarter', periods: 4 }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: forecastKeys.all }),
  });
}

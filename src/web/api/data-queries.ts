// Server state of the Data and Metrics areas: datasets, records, imports, mappings, metrics.
// Shapes follow the zod schemas of src/server/routes/{datasets,records,imports,metrics}.ts.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FieldType, Label } from '../../core/data/datasets';
import type { Filter, MetricDefinition, MetricUnit } from '../../core/metrics/definition';
import { useLiveClientId } from './live-client';
import { api, request } from './client';
import type { ItemList, Page } from './types';

export interface DatasetField {
  key: string;
  label: Label;
  type: FieldType;
  slot: string;
  scale: number | null;
  required: boolean;
  values: string[] | null;
}

export interface Dataset {
  key: string;
  label: Label;
  kind: 'builtin' | 'custom';
  fields: DatasetField[];
  currencyField: string | null;
  version: number;
  createdAt: string | null;
  /** Records of the dataset in the workspace, and when one was last written. */
  recordCount: number;
  lastChangeAt: string | null;
}

export type JsonValue = string | number | boolean | null;

export interface DataRecord {
  id: string;
  extId: string;
  values: Record<string, JsonValue>;
  ownerName: string | null;
  importId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ImportMapping {
  columns: Record<string, string>;
  extIdColumn: string;
  delimiter?: 'auto' | ',' | ';' | '\t';
  dateFormat?: string;
  decimalSeparator?: string;
  thousandsSeparator?: string;
  currency?: string;
  timezone?: string;
  rounding?: 'reject' | 'half_up';
  unknownOwner?: 'error' | 'import_without_owner';
  values?: Record<string, Record<string, string>>;
  transforms?: Record<string, string>;
}

export interface SavedMapping {
  id: string;
  dataset: string;
  name: string;
  mapping: ImportMapping;
  createdAt: string;
  updatedAt: string;
}

export interface MappingList {
  items: SavedMapping[];
  builtin: { name: string; label: string; mapping: ImportMapping }[];
}

export interface MappingSuggestion {
  mapping: ImportMapping | null;
  builtin: string | null;
  matched: { header: string; field: string }[];
  unmatchedHeaders: string[];
  missingRequired: string[];
  extIdColumn: string | null;
}

export type ImportStatus = 'queued' | 'validating' | 'writing' | 'completed' | 'rejected' | 'failed';
export type ImportMode = 'atomic' | 'valid_only';

export interface ImportRowError {
  row: number;
  column: string;
  value: string;
  code: string;
  message: string;
}

export interface ImportJob {
  id: string;
  dataset: string;
  source: 'upload' | 'cli';
  fileName: string | null;
  mapping: ImportMapping;
  mappingName: string | null;
  status: ImportStatus;
  mode: ImportMode;
  dryRun: boolean;
  totalRows: number;
  validatedRows: number;
  validRows: number;
  writtenRows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  errorCount: number;
  errors: ImportRowError[];
  preview: { row: number; extId: string; values: Record<string, JsonValue> }[] | null;
  ignoredColumns: string[];
  failure: string | null;
  createdBy: { id: string | null; name: string | null; tokenId: string | null };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const isImportRunning = (job: Pick<ImportJob, 'status'>): boolean =>
  job.status === 'queued' || job.status === 'validating' || job.status === 'writing';

export interface MetricSummary {
  key: string;
  version: number;
  source: 'catalogue' | 'custom';
  definition: MetricDefinition;
  missingDatasets: string[];
}

export interface MetricVersion {
  version: number;
  definition: MetricDefinition;
  createdAt: string | null;
  createdBy: { id: string | null; name: string | null } | null;
}

export interface MetricDetail {
  key: string;
  source: 'catalogue' | 'custom';
  versions: MetricVersion[];
}

export interface MetricPeriod {
  key: string;
  start: string;
  /** Exclusive. */
  end: string;
}

export interface MetricGroup {
  key: string | null;
  label: string;
  /** A decimal string; money in minor units; null when undefined (÷ 0). */
  value: string | null;
  recordCount: number;
}

export interface MetricEvaluation {
  metric: { key: string; version: number | null; source: 'catalogue' | 'custom' | 'inline' };
  name: Label;
  unit: MetricUnit;
  period: MetricPeriod;
  baselinePeriod: MetricPeriod | null;
  groupBy: string | null;
  groups: MetricGroup[];
  total: { value: string | null; recordCount: number };
  /** Present when the evaluation was asked to stay live (`watch`): the view `metric.updated` events name. */
  live?: { view: string } | null;
}

export interface MetricExplanation {
  metric: { key: string; version: number | null; source: 'catalogue' | 'custom' | 'inline' };
  period: MetricPeriod;
  groupBy: string | null;
  group: string | null;
  count: number;
  recordIds: string[];
  components: { role: string; dataset: string; period: MetricPeriod; count: number; recordIds: string[] }[];
}

/** Which metric to evaluate: a saved one by key, or an unsaved definition (the editor's preview). */
export type MetricSelector = { key: string; version?: number } | { definition: MetricDefinition };

export interface EvaluateInput {
  metric: MetricSelector;
  period: string;
  groupBy: string | null;
  filters?: Filter[];
}

export const dataKeys = {
  datasets: ['datasets'] as const,
  dataset: (key: string) => ['datasets', 'one', key] as const,
  records: (dataset: string, params: RecordListParams) => ['records', dataset, params] as const,
  recordCount: (dataset: string) => ['records', dataset, 'count'] as const,
  imports: ['imports'] as const,
  importList: (params: { dataset: string | null; limit: number; offset: number }) => ['imports', 'list', params] as const,
  importJob: (id: string) => ['imports', 'one', id] as const,
  mappings: (dataset: string) => ['mappings', dataset] as const,
  metrics: ['metrics'] as const,
  metric: (key: string) => ['metrics', 'one', key] as const,
  evaluation: (input: EvaluateInput) => ['metric-evaluation', input] as const,
  explanation: (input: EvaluateInput & { group: string | null }) => ['metric-explanation', input] as const,
};

const enc = encodeURIComponent;

// --- datasets ------------------------------------------------------------

export function useDatasets(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: dataKeys.datasets,
    queryFn: () => api.get<ItemList<Dataset>>('/datasets').then((r) => r.items),
    enabled: options.enabled ?? true,
    staleTime: 60_000,
  });
}

/** How many records a dataset holds: the total of a one-row page. */
export function useRecordCount(dataset: string) {
  return useQuery({
    queryKey: dataKeys.recordCount(dataset),
    queryFn: () => api.get<Page<DataRecord>>(`/datasets/${enc(dataset)}/records`, { query: { limit: 1 } }).then((r) => r.total),
    staleTime: 30_000,
  });
}

export interface DatasetDeclarationInput {
  key: string;
  label: Label;
  fields: { key: string; label: Label; type: FieldType; scale?: number; required?: boolean; values?: string[] }[];
  currencyField?: string;
}

export function useDeclareDataset() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: DatasetDeclarationInput) => api.post<Dataset>('/datasets', input),
    onSuccess: (dataset) => {
      // In the list at once, so the new dataset's page does not wait for a refetch.
      queryClient.setQueryData<Dataset[]>(dataKeys.datasets, (list) => (list ? [...list, dataset] : list));
      return queryClient.invalidateQueries({ queryKey: dataKeys.datasets });
    },
  });
}

// --- records -------------------------------------------------------------

export interface RecordListParams {
  q: string;
  /** `field:op:value` strings, as the records route takes them. */
  filters: string[];
  sort: string | null;
  limit: number;
  offset: number;
  /** Only these records (e.g. the ids a metric explanation names; at most 1000). */
  ids?: readonly string[];
}

export function useRecords(dataset: string, params: RecordListParams, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: dataKeys.records(dataset, params),
    queryFn: ({ signal }) => {
      const search = new URLSearchParams();
      if (params.q) search.set('q', params.q);
      for (const filter of params.filters) search.append('filter', filter);
      if (params.sort) search.set('sort', params.sort);
      if (params.ids) search.set('ids', params.ids.join(','));
      search.set('limit', String(params.limit));
      search.set('offset', String(params.offset));
      // Repeated `filter` parameters: built here rather than through the client's flat query map.
      return api.get<Page<DataRecord>>(`/datasets/${enc(dataset)}/records?${search.toString()}`, { signal });
    },
    enabled: options.enabled ?? true,
    placeholderData: keepPreviousData,
  });
}

// --- imports -------------------------------------------------------------

export function useImports(params: { dataset: string | null; limit: number; offset: number }, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: dataKeys.importList(params),
    queryFn: ({ signal }) => api.get<Page<ImportJob>>('/imports', { query: { ...params }, signal }),
    enabled: options.enabled ?? true,
    placeholderData: keepPreviousData,
    // Keep a running import's row moving.
    refetchInterval: (query) => (query.state.data?.items.some(isImportRunning) ? 1500 : false),
  });
}

/** One import, polled while it runs. */
export function useImportJob(id: string | null) {
  return useQuery({
    queryKey: dataKeys.importJob(id ?? ''),
    queryFn: () => api.get<ImportJob>(`/imports/${enc(id ?? '')}`),
    enabled: id !== null,
    refetchInterval: (query) => (!query.state.data || isImportRunning(query.state.data) ? 500 : false),
  });
}

export interface StartImportInput {
  dataset: string;
  file: File;
  mapping: ImportMapping;
  dryRun: boolean;
  mode: ImportMode;
}

export function useStartImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: StartImportInput) => {
      const form = new FormData();
      // Fields before the file: the server reads the parts in order.
      form.append('mapping', JSON.stringify(input.mapping));
      form.append('dryRun', input.dryRun ? 'true' : 'false');
      form.append('mode', input.mode);
      form.append('file', input.file, input.file.name);
      return api.upload<ImportJob>(`/datasets/${enc(input.dataset)}/imports`, form);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: dataKeys.imports }),
  });
}

export const importErrorsUrl = (id: string): string => `/api/imports/${enc(id)}/errors.csv`;

export function useMappings(dataset: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: dataKeys.mappings(dataset),
    queryFn: () => api.get<MappingList>(`/datasets/${enc(dataset)}/mappings`),
    enabled: options.enabled ?? true,
  });
}

export function useSuggestMapping() {
  return useMutation({
    mutationFn: (input: { dataset: string; headers: string[]; sample: string[][] }) =>
      api.post<MappingSuggestion>(`/datasets/${enc(input.dataset)}/mappings/suggest`, { headers: input.headers, sample: input.sample }),
  });
}

export function useSaveMapping() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { dataset: string; name: string; mapping: ImportMapping }) =>
      api.post<SavedMapping>(`/datasets/${enc(input.dataset)}/mappings`, { name: input.name, mapping: input.mapping }),
    onSuccess: (_saved, input) => queryClient.invalidateQueries({ queryKey: dataKeys.mappings(input.dataset) }),
  });
}

// --- metrics -------------------------------------------------------------

export function useMetrics() {
  return useQuery({
    queryKey: dataKeys.metrics,
    queryFn: () => api.get<ItemList<MetricSummary>>('/metrics').then((r) => r.items),
    staleTime: 60_000,
  });
}

export function useMetric(key: string | null) {
  return useQuery({
    queryKey: dataKeys.metric(key ?? ''),
    queryFn: () => api.get<MetricDetail>(`/metrics/${enc(key ?? '')}`),
    enabled: key !== null,
  });
}

function selectorBody(selector: MetricSelector) {
  return 'definition' in selector ? { definition: selector.definition } : { key: selector.key, ...(selector.version ? { version: selector.version } : {}) };
}

const NO_INPUT: EvaluateInput = { metric: { key: '' }, period: '', groupBy: null };

function evaluateBody(input: EvaluateInput) {
  return { ...selectorBody(input.metric), period: input.period, groupBy: input.groupBy, ...(input.filters ? { filters: input.filters } : {}) };
}

export function useEvaluation(input: EvaluateInput | null, options: { keepPrevious?: boolean } = {}) {
  const body = input ?? NO_INPUT;
  // With a live stream open, the evaluation stays live: its changes arrive as metric.updated.
  const watch = useLiveClientId();
  return useQuery({
    queryKey: [...dataKeys.evaluation(body), watch] as const,
    // A POST that only reads: the body may carry an unsaved definition (the editor's preview).
    queryFn: ({ signal }) => request<MetricEvaluation>('POST', '/metrics/evaluate', { body: { ...evaluateBody(body), ...(watch ? { watch } : {}) }, signal }),
    enabled: input !== null,
    retry: false,
    ...(options.keepPrevious ? { placeholderData: keepPreviousData } : {}),
  });
}

export function useExplanation(input: (EvaluateInput & { group: string | null }) | null) {
  const body = input ?? { ...NO_INPUT, group: null };
  return useQuery({
    queryKey: dataKeys.explanation(body),
    queryFn: ({ signal }) =>
      request<MetricExplanation>('POST', '/metrics/explain', { body: { ...evaluateBody(body), group: body.group, limit: 1000 }, signal }),
    enabled: input !== null,
  });
}

export function useSaveMetric() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { definition: MetricDefinition; isNew: boolean }) =>
      input.isNew ? api.post<MetricVersion>('/metrics', input.definition) : api.put<MetricVersion>(`/metrics/${enc(input.definition.key)}`, input.definition),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: dataKeys.metrics }),
  });
}

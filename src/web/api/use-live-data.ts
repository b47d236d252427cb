import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { dataKeys, type MetricEvaluation } from './data-queries';
import { applyMetricUpdate, setLiveClientId, type MetricUpdate } from './live-client';

/** Events of GET /api/live that change sales data or what is computed from it. */
const DATA_EVENTS = ['records.changed', 'metrics.changed'] as const;
const FINISHED = new Set(['completed', 'rejected', 'failed']);
/** OKR queries that no event changes: the template library and the guidance settings. */
const OKR_STATIC = new Set(['templates', 'settings']);

/**
 * Keeps the Data, Metrics and OKR pages current while they are open: the server's event stream
 * says when records changed or an import moved on, and the affected queries refetch.
 * Without EventSource (or a stream) the pages still work; they refresh on focus.
 */
export function useLiveData(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/live');
    const refreshData = () => {
      void queryClient.invalidateQueries({ queryKey: ['records'] });
      // Live evaluations are patched by metric.updated instead of evaluated again.
      void queryClient.invalidateQueries({ queryKey: ['metric-evaluation'], predicate: (query) => !(query.state.data as MetricEvaluation | undefined)?.live });
      void queryClient.invalidateQueries({ queryKey: ['metric-explanation'] });
    };
    const onReady = (event: MessageEvent<string>) => {
      try {
        setLiveClientId((JSON.parse(event.data) as { clientId?: string }).clientId ?? null);
      } catch {
        setLiveClientId(null);
      }
    };
    const onMetricUpdated = (event: MessageEvent<string>) => {
      let update: MetricUpdate;
      try {
        update = JSON.parse(event.data) as MetricUpdate;
      } catch {
        return;
      }
      for (const query of queryClient.getQueryCache().findAll({ queryKey: ['metric-evaluation'] })) {
        const data = query.state.data as MetricEvaluation | undefined;
        if (data?.live?.view === update.view) queryClient.setQueryData(query.queryKey, applyMetricUpdate(data, update));
      }
      void queryClient.invalidateQueries({ queryKey: ['metric-explanation'] });
    };
    source.addEventListener('ready', onReady);
    source.addEventListener('metric.updated', onMetricUpdated);
    const onImport = (event: MessageEvent<string>) => {
      void queryClient.invalidateQueries({ queryKey: dataKeys.imports });
      try {
        const progress = JSON.parse(event.data) as { status?: string };
        if (progress.status && FINISHED.has(progress.status)) refreshData();
      } catch {
        // not JSON: the list refetch above is enough
      }
    };
    // Scores read metric values: new records move metric-bound key results too.
    const refreshOkrs = () => void queryClient.invalidateQueries({ queryKey: ['okrs'], predicate: (query) => !OKR_STATIC.has(String(query.queryKey[1])) });
    source.addEventListener('okr.changed', refreshOkrs);
    for (const type of DATA_EVENTS) source.addEventListener(type, refreshOkrs);
    source.addEventListener('import.progress', onImport);
    for (const type of DATA_EVENTS) source.addEventListener(type, refreshData);
    return () => {
      source.close();
      setLiveClientId(null);
    };
  }, [queryClient]);
}

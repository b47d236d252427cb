import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { dataKeys } from './data-queries';

/** Events of GET /api/live that change sales data or what is computed from it. */
const DATA_EVENTS = ['records.changed', 'metric.updated', 'metrics.changed'] as const;
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
      void queryClient.invalidateQueries({ queryKey: ['metric-evaluation'] });
      void queryClient.invalidateQueries({ queryKey: ['metric-explanation'] });
    };
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
    return () => source.close();
  }, [queryClient]);
}

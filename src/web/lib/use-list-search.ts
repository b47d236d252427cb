import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useState } from 'react';

/** Rows per page of the server-paged settings tables. */
export const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;

/**
 * State of a searchable, server-paged list: the search box as typed, the debounced term to
 * send, and the page, which starts again at 1 whenever the term or a filter changes.
 */
export function useListSearch(filters: unknown = null) {
  const [search, setSearch] = useState('');
  const [term] = useDebouncedValue(search.trim(), SEARCH_DELAY_MS);
  // Derived rather than reset in an effect: a new term never fetches a stale page first.
  const key = JSON.stringify([term, filters]);
  const [paging, setPaging] = useState({ key, page: 1 });
  const page = paging.key === key ? paging.page : 1;
  const setPage = useCallback((next: number) => setPaging({ key, page: next }), [key]);
  return { search, setSearch, term, page, setPage, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
}

/** After a delete the current page may be past the end: move to the new last page. */
export function useKeepPageInRange(
  list: { page: number; setPage: (page: number) => void },
  result: { items: unknown[]; total: number } | undefined,
): void {
  const { page, setPage } = list;
  useEffect(() => {
    if (result && result.items.length === 0 && result.total > 0 && page > 1) setPage(Math.ceil(result.total / PAGE_SIZE));
  }, [result, page, setPage]);
}

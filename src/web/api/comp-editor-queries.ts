// The plan editor's writes beyond comp-queries.ts: correcting a version that has not paid out.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { compKeys, type PlanVersion } from './comp-queries';

/** PUT a corrected document over a version no locked run has paid from (409 `paid_out` otherwise). */
export function useReplacePlanVersion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ planId, version, document }: { planId: string; version: number; document: unknown }) =>
      api.put<PlanVersion>(`/comp/plans/${encodeURIComponent(planId)}/versions/${version}`, document),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: compKeys.all }),
  });
}

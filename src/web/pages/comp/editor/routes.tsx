import { lazy, Suspense } from 'react';
import { Route } from 'react-router';
import { TableSkeleton } from '../../../components/query-state';

// Loaded on first use: the editor brings the plan parser and payout engine (zod, exact arithmetic) into the browser.
const PlanEditorPage = lazy(() => import('./plan-editor-page').then((m) => ({ default: m.PlanEditorPage })));

const editor = (
  <Suspense fallback={<TableSkeleton rows={6} />}>
    <PlanEditorPage />
  </Suspense>
);

/** Plan editor routes under /compensation (inside the comp:manage guard). Called as a function, not rendered. */
export function planEditorRoutes() {
  return [<Route key="plan-new" path="plans/new" element={editor} />, <Route key="plan-edit" path="plans/:planId/edit" element={editor} />];
}

import { Route } from 'react-router';

/** Plan editor routes under /compensation (scaffold; the editor fills them). Called as a function, not rendered. */
export function planEditorRoutes() {
  return <Route path="plans/new" element={null} />;
}

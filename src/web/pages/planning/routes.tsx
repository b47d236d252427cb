import { Route } from 'react-router';
import { AreaPage } from '../areas/area-page';

/** Territory and quota planning routes under /quotas (scaffold). Called as a function, not rendered. */
export function planningRoutes() {
  return <Route index element={<AreaPage area="quotas" />} />;
}

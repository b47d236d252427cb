import { Navigate, Outlet, Route } from 'react-router';
import { useSessionQuery } from '../../api/queries';
import type { Permission } from '../../auth/roles';
import { hasPermission } from '../../auth/session';
import { ForbiddenPage } from '../not-found-page';
import { QuotaPlansPage } from './quota-plans-page';
import { QuotaVersionPage } from './quota-version-page';
import { TerritoriesPage } from './territories-page';

/** Renders the nested routes only with the permission (the server checks again). */
export function RequirePlanningPermission({ permission }: { permission: Permission }) {
  const { data } = useSessionQuery();
  return hasPermission(data, permission) ? <Outlet /> : <ForbiddenPage />;
}

/** Quota plans for those who may read quotas; viewers and partners land on the territories. */
function PlanningHome() {
  const { data } = useSessionQuery();
  if (hasPermission(data, 'quotas:read')) return <QuotaPlansPage />;
  if (hasPermission(data, 'territories:read')) return <Navigate to="/quotas/territories" replace />;
  return <ForbiddenPage />;
}

/** Territory and quota planning routes under /quotas. Called as a function, not rendered. */
export function planningRoutes() {
  return (
    <>
      <Route index element={<PlanningHome />} />
      <Route element={<RequirePlanningPermission permission="quotas:read" />}>
        <Route path="versions/:versionId" element={<QuotaVersionPage />} />
      </Route>
      <Route element={<RequirePlanningPermission permission="territories:read" />}>
        <Route path="territories" element={<TerritoriesPage />} />
      </Route>
    </>
  );
}

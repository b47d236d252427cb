import { useEffect } from 'react';
import { Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { useSessionQuery } from './api/queries';
import { hasPermission } from './auth/session';
import type { Permission } from './auth/roles';
import { AppLayout } from './components/app-layout';
import { FullPageLoader } from './components/full-page-loader';
import { ErrorState } from './components/query-state';
import { applyLocale } from './i18n/setup';
import { AREA_IDS } from './navigation';
import { AcceptInvitationPage } from './pages/accept-invitation-page';
import { AreaPage } from './pages/areas/area-page';
import { DataPage } from './pages/data/data-page';
import { DatasetPage } from './pages/data/dataset-page';
import { ImportPage } from './pages/data/import-page';
import { MetricEditorPage } from './pages/metrics/metric-editor-page';
import { MetricPage } from './pages/metrics/metric-page';
import { MetricsPage } from './pages/metrics/metrics-page';
import { ForbiddenPage, NotFoundPage } from './pages/not-found-page';
import { AlignmentPage } from './pages/okrs/alignment-page';
import { CheckInPage } from './pages/okrs/check-in-page';
import { CyclesPage } from './pages/okrs/cycles-page';
import { MeetingPage } from './pages/okrs/meeting-page';
import { ObjectivePage } from './pages/okrs/objective-page';
import { ObjectivesPage } from './pages/okrs/objectives-page';
import { RetrospectivePage } from './pages/okrs/retrospective-page';
import { TemplatesPage } from './pages/okrs/templates-page';
import { OverviewPage } from './pages/overview-page';
import { CompensationPage } from './pages/comp/compensation-page';
import { RunPage } from './pages/comp/run-page';
import { planEditorRoutes } from './pages/comp/editor/routes';
import { forecastRoutes } from './pages/forecast/routes';
import { planningRoutes } from './pages/planning/routes';
import { StatementPage } from './pages/comp/statement-page';
import { ApiTokensPage } from './pages/settings/api-tokens-page';
import { AuditPage } from './pages/settings/audit-page';
import { InvitationsPage } from './pages/settings/invitations-page';
import { PayeesPage } from './pages/settings/payees-page';
import { ProfilePage } from './pages/settings/profile-page';
import { RolesPage } from './pages/settings/roles-page';
import { TeamsPage } from './pages/settings/teams-page';
import { UsersPage } from './pages/settings/users-page';
import { WorkspacePage } from './pages/settings/workspace-page';
import { SignInPage } from './pages/sign-in-page';
import { Center, Container } from '@mantine/core';

/** Keeps the interface language in step with the signed-in user's saved choice. */
function useSessionLocale() {
  const { data } = useSessionQuery();
  const locale = data?.user.locale;
  useEffect(() => {
    if (locale) void applyLocale(locale);
  }, [locale]);
}

function RequireSession() {
  const session = useSessionQuery();
  const location = useLocation();
  if (session.isPending) return <FullPageLoader />;
  if (session.isError) {
    return (
      <Center mih="100vh">
        <Container size="xs">
          <ErrorState error={session.error} onRetry={() => void session.refetch()} />
        </Container>
      </Center>
    );
  }
  if (!session.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}

function RequirePermission({ permission }: { permission: Permission }) {
  const { data } = useSessionQuery();
  return hasPermission(data, permission) ? <Outlet /> : <ForbiddenPage />;
}

export function AppRoutes() {
  useSessionLocale();
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route path="/accept-invitation" element={<AcceptInvitationPage />} />
      <Route element={<RequireSession />}>
        <Route element={<AppLayout />}>
          <Route index element={<OverviewPage />} />
          {AREA_IDS.filter((area) => area !== 'data' && area !== 'metrics' && area !== 'okrs' && area !== 'compensation' && area !== 'quotas').map((area) => (
            <Route key={area} path={area} element={<AreaPage area={area} />} />
          ))}
          <Route path="okrs" element={<RequirePermission permission="okrs:read" />}>
            <Route index element={<AlignmentPage />} />
            <Route path="objectives" element={<ObjectivesPage />} />
            <Route path="objectives/:id" element={<ObjectivePage />} />
            <Route path="check-in" element={<CheckInPage />} />
            <Route path="meeting" element={<MeetingPage />} />
            <Route path="templates" element={<TemplatesPage />} />
            <Route path="retrospective" element={<RetrospectivePage />} />
            <Route element={<RequirePermission permission="okrs:admin" />}>
              <Route path="cycles" element={<CyclesPage />} />
            </Route>
          </Route>
          <Route path="compensation" element={<RequirePermission permission="comp:statements" />}>
            <Route index element={<CompensationPage />} />
            <Route path="statements/:runId/:payeeId" element={<StatementPage />} />
            <Route element={<RequirePermission permission="comp:manage" />}>
              <Route path="runs/:id" element={<RunPage />} />
              {planEditorRoutes()}
            </Route>
          </Route>
          <Route path="quotas">
            {planningRoutes()}
            {forecastRoutes()}
          </Route>
          <Route path="data" element={<RequirePermission permission="data:read" />}>
            <Route index element={<DataPage />} />
            <Route path=":dataset" element={<DatasetPage />} />
            <Route element={<RequirePermission permission="data:import" />}>
              <Route path=":dataset/import" element={<ImportPage />} />
            </Route>
          </Route>
          <Route path="metrics" element={<RequirePermission permission="metrics:read" />}>
            <Route index element={<MetricsPage />} />
            <Route path=":key" element={<MetricPage />} />
            <Route element={<RequirePermission permission="metrics:manage" />}>
              <Route path="new" element={<MetricEditorPage />} />
              <Route path=":key/edit" element={<MetricEditorPage />} />
            </Route>
          </Route>
          <Route path="settings">
            <Route index element={<Navigate to="/settings/profile" replace />} />
            <Route path="profile" element={<ProfilePage />} />
            <Route element={<RequirePermission permission="tenant:read" />}>
              <Route path="workspace" element={<WorkspacePage />} />
            </Route>
            <Route element={<RequirePermission permission="users:manage" />}>
              <Route path="users" element={<UsersPage />} />
            </Route>
            <Route element={<RequirePermission permission="users:read" />}>
              <Route path="roles" element={<RolesPage />} />
            </Route>
            <Route element={<RequirePermission permission="invitations:manage" />}>
              <Route path="invitations" element={<InvitationsPage />} />
            </Route>
            <Route element={<RequirePermission permission="teams:read" />}>
              <Route path="teams" element={<TeamsPage />} />
            </Route>
            <Route element={<RequirePermission permission="payees:read" />}>
              <Route path="payees" element={<PayeesPage />} />
            </Route>
            <Route element={<RequirePermission permission="tokens:manage" />}>
              <Route path="api-tokens" element={<ApiTokensPage />} />
            </Route>
            <Route element={<RequirePermission permission="audit:read" />}>
              <Route path="audit" element={<AuditPage />} />
            </Route>
          </Route>
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}

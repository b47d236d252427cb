import { Outlet, Route } from 'react-router';
import { useCan } from '../../auth/session';
import { ForbiddenPage } from '../not-found-page';
import { AccuracyPage } from './accuracy-page';
import { ForecastPage } from './forecast-page';

/** Forecasts are org data: every member with forecasts:read (the server checks too). */
function RequireForecasts() {
  const can = useCan();
  return can('forecasts:read') ? <Outlet /> : <ForbiddenPage />;
}

/** Forecast and accuracy routes under /quotas. Called as a function, not rendered. */
export function forecastRoutes() {
  return (
    <Route element={<RequireForecasts />}>
      <Route path="forecast" element={<ForecastPage />} />
      <Route path="accuracy" element={<AccuracyPage />} />
    </Route>
  );
}

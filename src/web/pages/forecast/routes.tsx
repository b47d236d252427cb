import { Route } from 'react-router';

/** Forecast and accuracy routes under /quotas (scaffold). Called as a function, not rendered. */
export function forecastRoutes() {
  return <Route path="forecast" element={null} />;
}

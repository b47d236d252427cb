import type { App, RouteDeps } from '../context.js';

/** "My earnings" (with forecasted payout) and what-if simulation on stored data (scaffold). */
export function registerCompInsightRoutes(_app: App, _deps: RouteDeps): void {}

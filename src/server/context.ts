import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Permission, Role } from '../core/roles.js';
import type { Store, TenantScope } from '../store/store.js';
import type { CompRecalculator } from './live/comp-recalc.js';
import type { LiveMetrics } from './live/live-metrics.js';
import type { LiveHub } from './live/hub.js';

/** Who may call a route: anyone, any signed-in member, or holders of one permission. */
export type Access = 'public' | 'signed-in' | Permission;

export interface AuthContext {
  kind: 'session' | 'token';
  userId: string | null;
  tenantId: string;
  role: Role;
  sessionId: string | null;
  tokenId: string | null;
  csrfToken: string | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface ServerConfig {
  version: string;
  /** Directory with the built web app, or null to serve the API only. */
  webDir: string | null;
  /** true, false, or 'auto' (Secure when the request came over HTTPS). */
  secureCookies: boolean | 'auto';
  trustProxy: boolean;
  sessionTtlSeconds: number;
  signInLimit: { max: number; windowMs: number };
  logLevel: string;
}

export const DEFAULT_SERVER_CONFIG: ServerConfig = {
  version: '0.1.0',
  webDir: null,
  secureCookies: 'auto',
  trustProxy: false,
  sessionTtlSeconds: 60 * 60 * 24 * 14,
  signInLimit: { max: 10, windowMs: 60_000 },
  logLevel: 'warn',
};

export interface RouteDeps {
  store: Store;
  config: ServerConfig;
  /** Live updates: publish events to a tenant's connected clients (Server-Sent Events). */
  hub: LiveHub;
  /** Live metric views: evaluations kept current for the connections that watch them. */
  liveMetrics: LiveMetrics;
  /** Recalculates open payout runs when their inputs change. */
  compRecalc: CompRecalculator;
}

/** Runs fn in the caller's workspace, as the caller, in one transaction. */
export function inCallerTenant<T>(store: Store, request: FastifyRequest, fn: (scope: TenantScope) => Promise<T>): Promise<T> {
  const auth = request.auth;
  if (!auth) throw new Error('inCallerTenant on an unauthenticated request');
  return store.inTenant(auth.tenantId, { actor: { userId: auth.userId, tokenId: auth.tokenId }, requestId: request.id }, fn);
}

import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { permissionsOf, type Role } from '../../core/roles.js';
import { getApiTokenForAuth, touchApiToken } from '../../store/repos/api-tokens.js';
import { createSession, deleteSession, findLiveSession } from '../../store/repos/sessions.js';
import { getTenant } from '../../store/repos/tenants.js';
import { findAccountById, listMembershipsOfUser } from '../../store/repos/users.js';
import type { Store } from '../../store/store.js';
import type { AuthContext, ServerConfig } from '../context.js';
import { AppError } from '../errors.js';
import { parseKeyedToken, randomSecret, safeEqual, sha256 } from './crypto.js';

export const SESSION_COOKIE = 'attain_session';
export const API_TOKEN_PREFIX = 'attain';

function cookieOptions(config: ServerConfig) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.secureCookies,
  };
}

/** Creates a server-side session and sets its cookie (`<id>.<secret>`, only the secret's hash is stored). */
export async function startSession(
  store: Store,
  config: ServerConfig,
  request: FastifyRequest,
  reply: FastifyReply,
  who: { userId: string; tenantId: string; role: Role },
): Promise<AuthContext> {
  const id = randomUUID();
  const secret = randomSecret();
  const csrfToken = randomSecret();
  await store.asSystem((tx) =>
    createSession(tx, {
      id,
      userId: who.userId,
      tenantId: who.tenantId,
      secretHash: sha256(secret),
      csrfToken,
      ttlSeconds: config.sessionTtlSeconds,
      userAgent: request.headers['user-agent']?.slice(0, 300) ?? null,
      ip: request.ip,
    }),
  );
  reply.setCookie(SESSION_COOKIE, `${id}.${secret}`, { ...cookieOptions(config), maxAge: config.sessionTtlSeconds });
  return { kind: 'session', userId: who.userId, tenantId: who.tenantId, role: who.role, sessionId: id, tokenId: null, csrfToken };
}

export async function endSession(store: Store, config: ServerConfig, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.auth?.sessionId) {
    const sessionId = request.auth.sessionId;
    await store.asSystem((tx) => deleteSession(tx, sessionId));
  }
  reply.clearCookie(SESSION_COOKIE, cookieOptions(config));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Reads the session cookie or bearer token; null when neither identifies a live member. */
export async function authenticate(store: Store, config: ServerConfig, request: FastifyRequest): Promise<AuthContext | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new AppError('unauthenticated', 'Authorization header must be "Bearer <token>"');
    return authenticateToken(store, match[1]);
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return null;
  const [id, secret] = cookie.split('.');
  if (!id || !secret || !UUID.test(id)) return null;
  const session = await store.asSystem((tx) => findLiveSession(tx, id, config.sessionTtlSeconds));
  if (!session || !safeEqual(session.secretHash, sha256(secret)) || !session.role) return null;
  return {
    kind: 'session',
    userId: session.userId,
    tenantId: session.tenantId,
    role: session.role,
    sessionId: session.id,
    tokenId: null,
    csrfToken: session.csrfToken,
  };
}

async function authenticateToken(store: Store, token: string): Promise<AuthContext> {
  const parsed = parseKeyedToken(API_TOKEN_PREFIX, token);
  const invalid = new AppError('unauthenticated', 'The API token is invalid or revoked');
  if (!parsed) throw invalid;
  const row = await store.inTenant(parsed.tenantId, { actor: { userId: null, tokenId: parsed.id } }, async (scope) => {
    const found = await getApiTokenForAuth(scope, parsed.id);
    if (found && !found.revokedAt && safeEqual(found.tokenHash, sha256(parsed.secret))) {
      await touchApiToken(scope, parsed.id);
      return found;
    }
    return null;
  });
  if (!row) throw invalid;
  return { kind: 'token', userId: null, tenantId: parsed.tenantId, role: row.role, sessionId: null, tokenId: row.id, csrfToken: null };
}

/** What the web app needs to know about the signed-in user (GET /api/auth/session). */
export async function describeSession(store: Store, auth: AuthContext) {
  if (!auth.userId || !auth.csrfToken) throw new AppError('forbidden', 'API tokens have no session');
  const userId = auth.userId;
  const csrfToken = auth.csrfToken;
  const [account, memberships] = await store.asSystem(async (tx) => [
    await findAccountById(tx, userId),
    await listMembershipsOfUser(tx, userId),
  ] as const);
  if (!account) throw new AppError('unauthenticated', 'The account no longer exists');
  const tenant = await store.inTenant(auth.tenantId, { actor: { userId, tokenId: null } }, getTenant);
  return {
    user: { id: account.id, email: account.email, name: account.name, locale: account.locale },
    tenant,
    role: auth.role,
    permissions: permissionsOf(auth.role),
    memberships: memberships.map((m) => ({ tenantId: m.tenantId, tenantName: m.tenantName, role: m.role })),
    csrfToken,
  };
}

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { hasPermission, PERMISSIONS, ROLES, type Role } from '../core/roles.js';
import { createApiToken } from '../store/repos/api-tokens.js';
import { describeEachBackend, createTestStore, type TestStore } from '../../test/stores.js';
import { seedTenant, type TenantFixture } from '../../test/fixtures.js';
import { call, signIn, type Caller } from '../../test/http.js';
import { makeKeyedToken } from './auth/crypto.js';
import { buildApp, type RouteEntry } from './app.js';
import type { App } from './context.js';

/**
 * Walks the server's own route table (not a hand-kept list): for every route, every role
 * of tenant A and an API token of tenant A call it with tenant B's ids in the path and in
 * the body. Nothing of B may come back, B's rows must be unchanged afterwards, and each
 * role gets 403 exactly where the permission matrix says so.
 */

/** Tenant B's id for each kind of path parameter; a route with an unknown parameter fails the test. */
function pathIds(b: TenantFixture): Record<string, string> {
  return {
    userId: b.users.rep.id, teamId: b.teamId, payeeId: b.payeeId, invitationId: b.invitationId, tokenId: b.tokenId,
    dataset: b.datasetKey, importId: b.importId, mappingId: b.mappingId, secretId: b.webhookSecretId,
    cycleId: b.okrCycleId, objectiveId: b.objectiveId, keyResultId: b.keyResultId, commentId: b.commentId,
    territoryId: b.territoryId, assignmentId: b.assignmentId, quotaPlanId: b.quotaPlanId, versionId: b.quotaVersionId,
    planId: b.compPlanId, version: '1', compAssignmentId: b.compAssignmentId, runId: b.payoutRunId, disputeId: b.disputeId,
    key: `${b.slug}_custom_metric`, // a custom metric key (routes/metrics.test.ts walks one tenant B really has)
  };
}

/** Body fields that reference other rows get tenant B's ids, so cross-tenant references are tried too. */
function referenceFor(field: string, b: TenantFixture): string | undefined {
  const refs: Record<string, string> = {
    tenantId: b.tenantId, parentId: b.teamId, teamId: b.teamId, userId: b.users.rep.id, managerUserId: b.users.manager.id, payeeId: b.payeeId,
    cycleId: b.okrCycleId, toCycleId: b.okrCycleId, parentCycleId: b.okrCycleId, objectiveId: b.objectiveId, keyResultId: b.keyResultId, ownerUserId: b.users.rep.id,
    territoryId: b.territoryId, assigneeId: b.payeeId, versionId: b.quotaVersionId, runId: b.payoutRunId,
  };
  return refs[field];
}

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; enum?: unknown[]; format?: string; pattern?: string;
  minLength?: number; minimum?: number; anyOf?: JsonSchema[]; required?: string[] };

/** A value that satisfies a (simple) JSON schema, built from the route's own body schema. */
function sampleValue(schema: JsonSchema, field: string, b: TenantFixture, n: number): unknown {
  if (schema.anyOf) return sampleValue(schema.anyOf.find((s) => s.type !== 'null') ?? schema.anyOf[0] ?? {}, field, b, n);
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, sub]) => [key, sampleValue(sub, key, b, n)]));
    case 'boolean':
      return false;
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'string': {
      if (schema.format === 'uuid') return referenceFor(field, b) ?? randomUUID();
      if (schema.format === 'email') return `walker-${n}@walk.test`;
      if (schema.format === 'date') return '2026-01-01';
      if (schema.pattern === '^[A-Z]{3}$') return 'EUR';
      return `walker value ${n} ${'x'.repeat(Math.max(0, (schema.minLength ?? 0) - 15))}`;
    }
    default:
      return null;
  }
}

function bodyFor(route: RouteEntry, b: TenantFixture, n: number): unknown {
  if (route.method === 'GET' || route.method === 'DELETE') return undefined;
  if (!route.bodySchema) return {};
  return sampleValue(z.toJSONSchema(route.bodySchema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema, '', b, n);
}

function urlFor(route: RouteEntry, b: TenantFixture): string {
  const ids = pathIds(b);
  const url = route.url.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const id = ids[name];
    if (!id) throw new Error(`route ${route.method} ${route.url}: teach the route walk which tenant-B id goes into :${name}`);
    return id;
  });
  // Query strings that reference data get B's values too.
  if (route.url === '/api/audit') return `${url}?entityId=${b.teamId}`;
  if (route.url === '/api/invitations/lookup') return `${url}?token=${makeKeyedToken('invite', b.tenantId, b.invitationId).token}`;
  return url;
}

async function snapshotTenant(t: TestStore, tenant: TenantFixture): Promise<string> {
  return t.store.asSystem(async (tx) => {
    const parts: unknown[] = [];
    // Every tenant-owned table, read from the catalogue, so new tables are covered too.
    const tables = await tx.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' AND table_name <> 'sessions' ORDER BY 1`,
    );
    for (const { table_name: table } of tables) parts.push(await tx.query(`SELECT * FROM ${table} WHERE tenant_id = $1 ORDER BY 2`, [tenant.tenantId]));
    parts.push(await tx.query('SELECT * FROM tenants WHERE id = $1', [tenant.tenantId]));
    parts.push(await tx.query('SELECT * FROM users WHERE id = ANY($1::uuid[]) ORDER BY id', [Object.values(tenant.users).map((u) => u.id)]));
    return JSON.stringify(parts);
  });
}

describeEachBackend('route walk: tenant isolation and the role matrix', (backend) => {
  let t: TestStore;
  let app: App & { routeTable: RouteEntry[] };
  let a: TenantFixture;
  let b: TenantFixture;
  const callers = new Map<Role | 'token', Caller>();

  beforeAll(async () => {
    t = await createTestStore(backend);
    a = await seedTenant(t.store, 'alpha');
    b = await seedTenant(t.store, 'beta');
    app = await buildApp(t.store, { signInLimit: { max: 1000, windowMs: 60_000 } });
    for (const role of ROLES) callers.set(role, await signIn(app, a.users[role].email));
    const tokenId = randomUUID();
    const { token, secretHash, display } = makeKeyedToken('attain', a.tenantId, tokenId);
    await t.store.inTenant(a.tenantId, { actor: { userId: null, tokenId: null } }, (scope) =>
      createApiToken(scope, { id: tokenId, name: 'walker', role: 'admin', tokenHash: secretHash, prefix: display }),
    );
    callers.set('token', { bearer: token });
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('covers every API route, and every route declares an access rule', () => {
    expect(app.routeTable.length).toBeGreaterThan(20);
    for (const route of app.routeTable) expect(['public', 'signed-in', ...PERMISSIONS]).toContain(route.access);
  });

  it('gives a caller of tenant A nothing of tenant B on any route, and 403 exactly where the matrix says', async () => {
    const before = await snapshotTenant(t, b);
    // Sign-out ends the caller's session: walk it last.
    const routes = [...app.routeTable].sort((x, y) => Number(x.url.endsWith('/sign-out')) - Number(y.url.endsWith('/sign-out')));
    let n = 0;
    const failures: string[] = [];
    for (const route of routes) {
      for (const [who, caller] of callers) {
        n += 1;
        const url = urlFor(route, b);
        const response = await call(app, caller, route.method as 'GET', url, bodyFor(route, b, n));
        const label = `${route.method} ${route.url} as ${who} → ${response.statusCode}`;
        if (response.statusCode >= 500) failures.push(`${label}: server error ${response.body}`);
        const leaked = b.markers.filter((m) => response.body.includes(m) && !url.includes(m));
        if (leaked.length > 0) failures.push(`${label}: leaked ${leaked.join(', ')}`);
        if (route.url.includes(':') && response.statusCode < 300) failures.push(`${label}: touched tenant B's item`);
        if (who !== 'token' && route.access !== 'public' && route.access !== 'signed-in') {
          const allowed = hasPermission(who, route.access);
          if (!allowed && response.statusCode !== 403) failures.push(`${label}: expected 403 for ${route.access}`);
          if (allowed && (response.statusCode === 403 || response.statusCode === 401)) failures.push(`${label}: ${who} holds ${route.access}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshotTenant(t, b)).toBe(before);
  }, 180_000); // every route × every role × two tenants: ~30 s on a busy 2-core machine

  it('answers 401 on every non-public route without credentials', async () => {
    for (const route of app.routeTable.filter((r) => r.access !== 'public')) {
      const response = await call(app, null, route.method as 'GET', urlFor(route, b), bodyFor(route, b, 0));
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    }
  });
});

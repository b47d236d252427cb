import path from 'node:path';
import { openEmbedded, openPostgres, type Db, type StorageKind, type Tx } from './db.js';
import { lockDataDir, type DataDirLock } from './lock.js';
import { currentSchemaVersion, migrate } from './migrate.js';
import { isUuid } from '../core/uuid.js';

export interface Actor {
  userId: string | null;
  tokenId: string | null;
}

/** The actor of work the system does by itself (live views, recalculation, snapshots): no user, no token. */
export const SYSTEM_ACTOR: Actor = Object.freeze({ userId: null, tokenId: null });

/**
 * A transaction bound to one tenant. Repositories take this and nothing else, and
 * filter by `tenantId` themselves; row-level security (app.tenant_id) is the second lock.
 */
export interface TenantScope {
  readonly tenantId: string;
  readonly tx: Tx;
  readonly actor: Actor;
  readonly requestId: string | null;
}

export interface Store {
  readonly db: Db;
  readonly kind: StorageKind;
  /** Where the embedded store keeps its files (null for PostgreSQL). */
  readonly dataDir: string | null;
  readonly lock: DataDirLock | null;
  /** Whether row-level security binds this store's requests (false only for a superuser connection without the app role). */
  readonly rowLevelSecurity: boolean;
  inTenant<T>(
    tenantId: string,
    context: { actor: Actor; requestId?: string | null },
    fn: (scope: TenantScope) => Promise<T>,
  ): Promise<T>;
  /** For the few paths that must cross tenants: sign-in, sessions, seeding. */
  asSystem<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  schemaVersion(): Promise<number>;
  /**
   * Refreshes planner statistics. PGlite runs no autovacuum, so the embedded store needs
   * this after bulk changes and now and then (`attain serve` does it every 10 minutes).
   */
  analyze(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreConfig {
  /** postgres://… to use a PostgreSQL server; otherwise the embedded store in dataDir. */
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** Who is opening the store, for the lock owner message (e.g. 'attain serve'). */
  command?: string;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
}

export function resolveDataDir(dataDir: string | undefined): string {
  return path.resolve(dataDir ?? 'data');
}

export async function openStore(config: StoreConfig): Promise<Store> {
  let db: Db;
  let lock: DataDirLock | null = null;
  let dataDir: string | null = null;
  if (config.databaseUrl) {
    db = await openPostgres({ url: config.databaseUrl });
  } else {
    dataDir = resolveDataDir(config.dataDir);
    // The lock comes first: never open the files while another process has them.
    lock = await lockDataDir(dataDir, config.command ?? 'attain');
    try {
      db = await openEmbedded({ dataDir: path.join(dataDir, 'pg') });
    } catch (error) {
      await lock.release();
      throw error;
    }
  }
  if (config.migrate !== false) await migrate(db);
  return wrapDb(db, { dataDir, lock, ...(await detectAppRole(db)) });
}

/**
 * Requests run as attain_app (see migration 0002) when the connection may switch to it;
 * otherwise as the connecting role, whose own rights then decide whether RLS binds.
 */
export async function detectAppRole(db: Db): Promise<{ appRole: string | null; rowLevelSecurity: boolean }> {
  const [row] = await db.query<{ has_app_role: boolean; bypasses: boolean }>(
    `SELECT coalesce((SELECT pg_has_role(current_user, r.oid, 'MEMBER') FROM pg_roles r WHERE r.rolname = 'attain_app'), false) AS has_app_role,
            (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user) AS bypasses`,
  );
  if (row?.has_app_role) return { appRole: 'attain_app', rowLevelSecurity: true };
  return { appRole: null, rowLevelSecurity: !row?.bypasses };
}


/** Builds the Store API over an open, migrated database (tests use this with clones). */
export function wrapDb(
  db: Db,
  extra: { dataDir?: string | null; lock?: DataDirLock | null; appRole: string | null; rowLevelSecurity: boolean },
): Store {
  const lock = extra.lock ?? null;
  // One round trip sets the role and the tenant for the transaction (set_config is SET LOCAL).
  const role = extra.appRole;
  // The tenant id is a validated uuid (below), so it can be written into the SQL, which then
  // goes with BEGIN in one round trip.
  const enterTenant = (tenantId: string): string => role
    ? `SELECT set_config('role', '${role}', true), set_config('app.tenant_id', '${tenantId}', true)`
    : `SELECT set_config('app.tenant_id', '${tenantId}', true)`;
  const enterSystem = role
    ? `SELECT set_config('role', '${role}', true), set_config('app.system', 'on', true)`
    : `SELECT set_config('app.system', 'on', true)`;
  return {
    db,
    kind: db.kind,
    dataDir: extra.dataDir ?? null,
    lock,
    rowLevelSecurity: extra.rowLevelSecurity,
    inTenant(tenantId, context, fn) {
      // Row-level security compares app.tenant_id as a uuid (migration 0014): anything else is a bug here, not a tenant.
      if (!isUuid(tenantId)) return Promise.reject(new Error(`inTenant: tenant id ${JSON.stringify(tenantId)} is not a uuid`));
      return db.transaction((tx) => fn({ tenantId, tx, actor: context.actor, requestId: context.requestId ?? null }), { begin: enterTenant(tenantId) });
    },
    asSystem(fn) {
      return db.transaction(fn, { begin: enterSystem });
    },
    schemaVersion: () => currentSchemaVersion(db),
    analyze: () => db.exec('ANALYZE'),
    async close() {
      await db.close();
      await lock?.release();
    },
  };
}

/** A partial update as it arrives from a validated request: an absent field is left as it is. */
export type Patch<T> = { [K in keyof T]?: T[K] | undefined };

import path from 'node:path';
import { openEmbedded, openPostgres, type Db, type StorageKind, type Tx } from './db.js';
import { lockDataDir, type DataDirLock } from './lock.js';
import { currentSchemaVersion, migrate } from './migrate.js';

export interface Actor {
  userId: string | null;
  tokenId: string | null;
}

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
  inTenant<T>(
    tenantId: string,
    context: { actor: Actor; requestId?: string | null },
    fn: (scope: TenantScope) => Promise<T>,
  ): Promise<T>;
  /** For the few paths that must cross tenants: sign-in, sessions, seeding. */
  asSystem<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  schemaVersion(): Promise<number>;
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
  return wrapDb(db, { dataDir, lock });
}

/** Builds the Store API over an open, migrated database (tests use this with clones). */
export function wrapDb(db: Db, extra: { dataDir?: string | null; lock?: DataDirLock | null } = {}): Store {
  const lock = extra.lock ?? null;
  return {
    db,
    kind: db.kind,
    dataDir: extra.dataDir ?? null,
    lock,
    inTenant(tenantId, context, fn) {
      return db.transaction(async (tx) => {
        await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
        return fn({ tenantId, tx, actor: context.actor, requestId: context.requestId ?? null });
      });
    },
    asSystem(fn) {
      return db.transaction(async (tx) => {
        await tx.query(`SELECT set_config('app.system', 'on', true)`);
        return fn(tx);
      });
    },
    schemaVersion: () => currentSchemaVersion(db),
    async close() {
      await db.close();
      await lock?.release();
    },
  };
}

/** A partial update as it arrives from a validated request: an absent field is left as it is. */
export type Patch<T> = { [K in keyof T]?: T[K] | undefined };

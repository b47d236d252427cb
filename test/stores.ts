import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { openEmbedded, openPostgres, type Db } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { detectAppRole, wrapDb, type Store } from '../src/store/store.js';

export type Backend = 'embedded' | 'postgres';

export interface TestStore {
  store: Store;
  backend: Backend;
  /** For PostgreSQL: the URL of this test's own database. */
  url: string | null;
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated, empty store: a clone of the embedded template, or a new PostgreSQL database.
 * `migrateUpTo`: the schema as it was after that migration (a new embedded database then).
 */
export async function createTestStore(backend: Backend, options: { migrateUpTo?: number } = {}): Promise<TestStore> {
  if (backend === 'embedded' && options.migrateUpTo !== undefined) {
    const db = await openEmbedded({});
    await migrate(db, { upTo: options.migrateUpTo });
    return { store: wrapDb(db, await detectAppRole(db)), backend, url: null, dispose: () => db.close() };
  }
  if (backend === 'embedded') {
    const blob = new Blob([await readFile(inject('pgliteTemplatePath'))]);
    const db = await openEmbedded({ loadDataDir: blob });
    return { store: wrapDb(db, await detectAppRole(db)), backend, url: null, dispose: () => db.close() };
  }
  const adminUrl = inject('postgresUrl');
  if (!adminUrl) throw new Error('no PostgreSQL configured for this run');
  const name = `attain_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const db: Db = await openPostgres({ url, maxConnections: 5 });
  await migrate(db, options.migrateUpTo === undefined ? {} : { upTo: options.migrateUpTo });
  return {
    store: wrapDb(db, await detectAppRole(db)),
    backend,
    url,
    async dispose() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Runs a suite once per backend. Without ATTAIN_TEST_DATABASE_URL the PostgreSQL run is
 * reported as skipped (never silently passed); in CI the global setup refuses to start.
 */
export function describeEachBackend(name: string, suite: (backend: Backend) => void): void {
  for (const backend of ['embedded', 'postgres'] as const) {
    const enabled = backend === 'embedded' || inject('postgresUrl') !== null;
    describe.skipIf(!enabled)(`${name} [${backend}]`, () => suite(backend));
  }
}

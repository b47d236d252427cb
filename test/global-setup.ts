import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openEmbedded } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplatePath: string;
    postgresUrl: string | null;
  }
}

/**
 * Builds the migrated embedded schema once (initdb in WASM takes seconds) and hands
 * each test file a dump to clone. Checks the PostgreSQL server that the store and API
 * suites also run against: ATTAIN_TEST_DATABASE_URL. In CI that variable is required.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const db = await openEmbedded({});
  await migrate(db);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'attain-test-'));
  const templatePath = path.join(dir, 'schema.tar');
  await writeFile(templatePath, Buffer.from(await (await db.dumpDataDir()).arrayBuffer()));
  await db.close();
  project.provide('pgliteTemplatePath', templatePath);

  const url = process.env.ATTAIN_TEST_DATABASE_URL || null;
  if (url) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (error) {
      throw new Error(`ATTAIN_TEST_DATABASE_URL is set but the server does not answer: ${(error as Error).message}`, { cause: error });
    } finally {
      await client.end().catch(() => undefined);
    }
  } else if (process.env.CI) {
    throw new Error('CI must run the PostgreSQL suite: set ATTAIN_TEST_DATABASE_URL (see .ci/run)');
  } else {
    console.warn('\n  ATTAIN_TEST_DATABASE_URL is not set: the PostgreSQL variants of the store and API suites are SKIPPED.\n' +
      '  Set it (e.g. postgres://root@127.0.0.1:5432/postgres) to run them; CI always does.\n');
  }
  project.provide('postgresUrl', url);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}

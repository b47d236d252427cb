import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreLockedError } from './lock.js';
import { openStore } from './store.js';
import { attain } from '../../test/cli.js';



describe('embedded data directory lock', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'attain-lock-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lets one process in and refuses a second with a clear message, leaving the data intact', async () => {
    const first = await openStore({ dataDir: dir, command: 'test holder' });
    await first.lock?.describe({ url: 'http://localhost:39999' });
    const tenantId = '11111111-1111-4111-8111-111111111111';
    await first.db.query(`INSERT INTO tenants (id, slug, name) VALUES ($1, 'locked', 'Locked Co')`, [tenantId]);

    // Another process (the CLI) must not open the files while we hold them.
    const second = await attain(['user', 'add', '--tenant', 'locked', '--email', 'x@y.test', '--name', 'X', '--role', 'rep'], { ATTAIN_DATA_DIR: dir });
    expect(second.code).toBe(3);
    expect(second.stderr).toContain(`in use by process ${process.pid} (test holder, serving http://localhost:39999`);
    expect(second.stderr).toContain('Only one process may open it at a time');

    // In-process too.
    await expect(openStore({ dataDir: dir })).rejects.toBeInstanceOf(StoreLockedError);

    const rows = await first.db.query<{ n: string }>('SELECT count(*) AS n FROM users');
    expect(rows[0]?.n).toBe('0');
    await first.close();

    // Released: the next process gets in and sees the data.
    const third = await attain(['user', 'add', '--tenant', 'locked', '--email', 'x@y.test', '--name', 'X', '--role', 'rep', '--password', 'long enough pw'], { ATTAIN_DATA_DIR: dir });
    expect(third.stderr).toBe('');
    expect(third.stdout).toContain('Added x@y.test to "Locked Co" as rep.');
    expect(third.code).toBe(0);
  }, 60_000);
});

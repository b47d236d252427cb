import { mkdir, readFile, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/** Thrown when another process holds the embedded data directory. */
export class StoreLockedError extends Error {
  readonly owner: LockOwner | null;
  constructor(dataDir: string, owner: LockOwner | null) {
    const who = owner
      ? `process ${owner.pid} (${owner.command}${owner.url ? `, serving ${owner.url}` : ''}, since ${owner.startedAt})`
      : 'another process';
    super(
      `The embedded database in ${dataDir} is in use by ${who}. ` +
        'Only one process may open it at a time (two would corrupt it). ' +
        'Stop that process first, use its web app or API instead, or set DATABASE_URL to use a PostgreSQL server.',
    );
    this.name = 'StoreLockedError';
    this.owner = owner;
  }
}

export interface LockOwner {
  pid: number;
  command: string;
  url?: string;
  startedAt: string;
}

export interface DataDirLock {
  /** Adds what others should know about us (e.g. the URL we serve) to the owner file. */
  describe(extra: Partial<LockOwner>): Promise<void>;
  release(): Promise<void>;
}

const OWNER_FILE = 'attain-owner.json';

/**
 * Takes an exclusive lock on the data directory (a lock directory refreshed every few
 * seconds, so a crashed owner's lock goes stale after `staleMs`). Throws StoreLockedError
 * when the directory is held.
 */
export async function lockDataDir(dataDir: string, command: string, staleMs = 10_000): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'attain.lock');
  const ownerPath = path.join(dataDir, OWNER_FILE);
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dataDir, {
      lockfilePath: lockPath,
      stale: staleMs,
      update: Math.max(1000, Math.floor(staleMs / 4)),
      realpath: false,
      onCompromised: (error) => {
        // Someone took our lock (we were stalled longer than staleMs): stop before we
        // write into files another process now owns.
        console.error(`attain: lost the lock on ${dataDir}: ${error.message}; exiting to protect the data.`);
        process.exit(70);
      },
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED') throw new StoreLockedError(dataDir, await readOwner(ownerPath));
    throw error;
  }
  let owner: LockOwner = { pid: process.pid, command, startedAt: new Date().toISOString() };
  await writeFile(ownerPath, JSON.stringify(owner));
  return {
    async describe(extra) {
      owner = { ...owner, ...extra };
      await writeFile(ownerPath, JSON.stringify(owner));
    },
    async release() {
      await rm(ownerPath, { force: true });
      await release();
    },
  };
}

async function readOwner(ownerPath: string): Promise<LockOwner | null> {
  try {
    return JSON.parse(await readFile(ownerPath, 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

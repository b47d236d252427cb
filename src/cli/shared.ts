import type { Command } from 'commander';
import { DEMO_PASSWORD, DEMO_USERS } from '../store/seed-demo.js';
import { openStore, type Store } from '../store/store.js';
import { readEnv } from './config.js';

/** Settings from the environment, read once. */
export const env = readEnv();

/** A wrong argument or a refused request: printed without a stack, exit code 2. */
export class UsageError extends Error {}

/** A CLI command module adds its commands to the program. */
export type RegisterCommand = (program: Command) => void;

/** Opens the store in use (embedded, locked; or DATABASE_URL), runs fn, closes it. */
export async function withStore<T>(command: string, fn: (store: Store) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const store = await openStore({ databaseUrl: env.databaseUrl, dataDir: env.dataDir, command, migrate: options.migrate ?? true });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function describeStorage(store: Store): string {
  return store.kind === 'embedded' ? `embedded PostgreSQL in ${store.dataDir}` : 'PostgreSQL (DATABASE_URL)';
}

export function printDemoSignIn(url: string): void {
  console.log(`\n  Demo workspace "Demo Sales GmbH" — sign in at ${url} with any of:`);
  for (const user of DEMO_USERS) console.log(`    ${user.role.padEnd(8)} ${user.email}`);
  console.log(`  password: ${DEMO_PASSWORD}\n`);
}

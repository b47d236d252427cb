import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const PACKAGE_VERSION: string = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
// ATTAIN_WEB_DIR serves a web build from elsewhere (vite.config.ts builds there too), e.g. for parallel e2e runs.
export const WEB_DIR = process.env.ATTAIN_WEB_DIR ? path.resolve(process.env.ATTAIN_WEB_DIR) : path.join(ROOT, 'dist', 'web');

/** Settings read from the environment (see README → Configuration). */
export function readEnv(env: NodeJS.ProcessEnv = process.env) {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  const secure = env.ATTAIN_SECURE_COOKIES;
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.ATTAIN_DATA_DIR || undefined,
    demo: env.ATTAIN_DEMO !== 'false' && env.ATTAIN_DEMO !== '0',
    trustProxy: env.ATTAIN_TRUST_PROXY === 'true' || env.ATTAIN_TRUST_PROXY === '1',
    secureCookies: secure === 'true' ? true : secure === 'false' ? false : ('auto' as const),
    logLevel: env.LOG_LEVEL ?? 'warn',
  };
}

// Shared by the end-to-end suites: start the real server on a free port with a fresh data
// directory (the demo workspace is seeded on first start), and stop it again.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningServer {
  baseUrl: string;
  /** Everything the server wrote, for failure messages. */
  log: () => string;
  stop: () => Promise<void>;
}

/** Starts `attain serve` against a fresh data directory and waits until it answers /api/health. */
export async function startServer(timeoutMs = 120_000): Promise<RunningServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'attain-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let log = '';
  const server: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'bin', 'attain.js'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), ATTAIN_DATA_DIR: dataDir, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));

  const stop = async () => {
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited early:\n${log}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return { baseUrl, log: () => log, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`server did not become healthy within ${timeoutMs} ms:\n${log}`);
}

export const DEMO_PASSWORD = 'attain-demo-2026';

/**
 * A screenshot of the whole page (at most 4,000 px tall) into test-results/screenshots, once
 * the network is idle; the pointer moves aside unless `keepPointer` (a tooltip being shown).
 * Sized twice: a taller viewport may let viewport-relative parts (a grid) grow.
 */
export async function pageShot(page: Page, name: string, options: { keepPointer?: boolean } = {}): Promise<void> {
  await page.waitForLoadState('networkidle');
  if (!options.keepPointer) await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  const viewport = page.viewportSize() ?? { width: 1440, height: 900 };
  for (let i = 0; i < 2; i += 1) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const current = page.viewportSize()?.height ?? viewport.height;
    if (height > current) await page.setViewportSize({ width: viewport.width, height: Math.min(height, 4000) });
  }
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  await page.setViewportSize(viewport);
}

export interface BrowserSession {
  browser: Browser;
  baseUrl: string;
  /** Contexts opened, for the suite to close. */
  contexts: BrowserContext[];
  /** Uncaught page errors, for the suite to assert there were none. */
  pageErrors: string[];
}

/** A new browser context (1440×900, English and light unless asked) signed in as a demo user. */
export async function signedInPage(session: BrowserSession, email: string, options: { locale?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  const context = await session.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: options.locale ?? 'en-US', colorScheme: options.colorScheme ?? 'light' });
  session.contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => session.pageErrors.push(error.message));
  await page.goto(`${session.baseUrl}/sign-in`);
  await page.getByLabel(/^(Email|E-Mail)/).fill(email);
  await page.getByLabel(/^(Password|Passwort)/).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /^(Sign in|Anmelden)$/ }).click();
  await page.waitForURL(`${session.baseUrl}/`);
  return page;
}

/** A suite's running server and browser: pages signed in as demo users, and one close for all of it. */
export interface E2eSession extends BrowserSession {
  server: RunningServer;
  signedIn(email: string, options?: { locale?: string; colorScheme?: 'light' | 'dark' }): Promise<Page>;
  /** Closes the contexts, the browser and the server. */
  close(): Promise<void>;
}

/** Starts the server (fresh data directory, demo workspace) and the system's Chromium. */
export async function openSession(): Promise<E2eSession> {
  const server = await startServer();
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  } catch (error) {
    await server.stop();
    throw error;
  }
  const session: E2eSession = {
    server, browser, baseUrl: server.baseUrl, contexts: [], pageErrors: [],
    signedIn: (email, options = {}) => signedInPage(session, email, options),
    async close() {
      for (const context of session.contexts) await context.close().catch(() => undefined);
      await browser.close();
      await server.stop();
    },
  };
  return session;
}

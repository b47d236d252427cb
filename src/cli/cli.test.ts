import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../../test/stores.js';
import { loadMigrations } from '../store/migrate.js';
import { DEMO_PASSWORD } from '../store/seed-demo.js';
import { attain } from '../../test/cli.js';




const BIN = path.resolve('bin/attain.js');

describe('attain CLI', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'attain-cli-'));
    env = { ATTAIN_DATA_DIR: dir };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('explains every command with --help', async () => {
    for (const command of [[], ['serve'], ['migrate'], ['seed'], ['user', 'add'], ['tenant', 'add']]) {
      const result = await attain([...command, '--help'], env);
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: attain/);
    }
  }, 60_000);

  it('migrates, seeds the demo once, and adds users', async () => {
    const versions = (await loadMigrations()).map((m) => m.version);
    const latest = versions.at(-1);
    expect((await attain(['migrate'], env)).stdout).toContain(`Applied migrations ${versions.join(', ')}; schema is now v${latest}.`);
    expect((await attain(['migrate'], env)).stdout).toContain(`Schema is up to date (v${latest}).`);
    const seeded = await attain(['seed', '--demo'], env);
    expect(seeded.stdout).toContain('Created the demo workspace.');
    expect(seeded.stdout).toContain(DEMO_PASSWORD);
    expect((await attain(['seed', '--demo'], env)).stdout).toContain('exists already; nothing changed');

    const added = await attain(['user', 'add', '--email', 'Ops@Example.com', '--name', 'Ops', '--role', 'finance'], env);
    expect(added.stdout).toContain('Added ops@example.com to "Demo Sales GmbH" as finance.');
    expect(added.stdout).toMatch(/Password: \S{16}/);
    const again = await attain(['user', 'add', '--email', 'ops@example.com', '--name', 'Ops', '--role', 'finance'], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already a member of demo');
    const badRole = await attain(['user', 'add', '--email', 'x@example.com', '--name', 'X', '--role', 'boss'], env);
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toContain("Allowed choices are admin, finance, manager, rep, partner, viewer");
    const created = await attain(['tenant', 'add', '--slug', 'acme', '--name', 'Acme AG'], env);
    expect(created.stdout).toContain('Created workspace "Acme AG" (acme)');
    expect((await attain(['tenant', 'add', '--slug', 'Acme!', '--name', 'Bad'], env)).code).toBe(2);
  }, 90_000);

  it('scores an OKR document without a database, and names what is wrong with a bad one', async () => {
    const scored = await attain(['okr', 'score', 'examples/okrs/grow-quarterly-revenue.yaml', '--json'], env);
    expect(scored.code).toBe(0);
    const result = JSON.parse(scored.stdout) as { asOf: string; objectives: { score: number; keyResults: { score: number; band: string }[] }[] };
    expect(result.asOf).toBe('2026-02-15');
    expect(result.objectives[0]?.keyResults.map((kr) => kr.score)).toEqual([0.35, 0.56, 0.72]);
    const bad = path.join(dir, 'bad.yaml');
    await writeFile(bad, 'version: 1\ncycle: { start: 2026-01-01, end: 2026-04-01 }\nobjectives:\n  - id: o\n    title: T\n    keyResults:\n      - { id: k, title: K, kind: number }\n');
    const refused = await attain(['okr', 'score', bad], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('objectives.0.keyResults.0.target');
  }, 30_000);

  it('serves the API, creates the demo on first start, and releases the data directory on SIGTERM', async () => {
    const fresh = await mkdtemp(path.join(os.tmpdir(), 'attain-serve-'));
    const child = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, DATABASE_URL: '', ATTAIN_DATA_DIR: fresh, PORT: '0' } });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${stdout}`)), 45_000);
      child.stdout.on('data', () => {
        const match = /running at (http:\/\/localhost:\d+)/.exec(stdout);
        if (match?.[1] && stdout.includes('password:')) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    expect(stdout).toContain('admin@demo.attain.dev');
    const health = (await (await fetch(`${url}/api/health`)).json()) as { storage: string };
    expect(health.storage).toBe('embedded');
    const signIn = await fetch(`${url}/api/auth/sign-in`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@demo.attain.dev', password: DEMO_PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    // While it runs, the CLI is turned away.
    const blocked = await attain(['migrate'], { ATTAIN_DATA_DIR: fresh });
    expect(blocked.code).toBe(3);
    expect(blocked.stderr).toContain(`serving ${url}`);
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect((await attain(['migrate'], { ATTAIN_DATA_DIR: fresh })).code).toBe(0);
    await rm(fresh, { recursive: true, force: true });
  }, 90_000);

  describe.skipIf(inject('postgresUrl') === null)('with DATABASE_URL', () => {
    it('uses the PostgreSQL server instead of the embedded store', async () => {
      const adminUrl = inject('postgresUrl') ?? '';
      const name = `attain_cli_${process.pid}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
      try {
        const pgEnv = { DATABASE_URL: withDatabase(adminUrl, name), ATTAIN_DATA_DIR: path.join(dir, 'unused') };
        expect((await attain(['migrate'], pgEnv)).stdout).toContain(`Applied migrations ${(await loadMigrations()).map((m) => m.version).join(', ')};`);
        expect((await attain(['seed', '--demo'], pgEnv)).stdout).toContain('Created the demo workspace.');
        const check = new pg.Client({ connectionString: pgEnv.DATABASE_URL });
        await check.connect();
        const { rows } = await check.query<{ n: string }>('SELECT count(*) AS n FROM memberships');
        await check.end();
        expect(rows[0]?.n).toBe('6');
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    }, 60_000);
  });
});

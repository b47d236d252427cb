import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attain } from '../../../test/cli.js';

const SAMPLES = path.resolve('src/integrations/csv/samples');


describe('attain import and attain dataset', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'attain-import-'));
    env = { ATTAIN_DATA_DIR: dir };
    const seeded = await attain(['seed', '--demo', '--no-data'], env);
    expect(seeded.code, seeded.stderr).toBe(0);
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('imports a Salesforce export, then changes nothing on the second run', async () => {
    const file = path.join(SAMPLES, 'salesforce-opportunities.csv');
    const first = await attain(['import', 'deals', file, '--mapping', 'salesforce'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Imported salesforce-opportunities\.csv into deals \(mapping salesforce\): 5 rows/);
    expect(first.stdout).toContain('inserted 5 · updated 0 · unchanged 0 · errors 0');
    expect(first.stdout).toContain('ignored columns: Fiscal Period, Age, Next Step');
    const again = await attain(['import', 'deals', file], env);
    expect(again.stdout).toContain('inserted 0 · updated 0 · unchanged 5 · errors 0');
    const list = await attain(['dataset', 'list'], env);
    expect(list.stdout).toMatch(/^deals\s+builtin\s+5 records/m);
    expect(list.stdout).toMatch(/^accounts\s+builtin\s+0 records/m);
  }, 60_000);

  it('exits with 1 and names row, column and reason when the file has errors; --valid-only writes the rest', async () => {
    const file = path.join(dir, 'bad.csv');
    await writeFile(file, 'ID;Name;Betrag;Phase;Erstellt am;Verantwortlich\nB-1;Gut;1.000,00;offen;02.01.2026;EMP-1001\nB-2;Schlecht;viel;offen;02.01.2026;EMP-1001\n');
    const checked = await attain(['import', 'deals', file, '--mapping', 'auto', '--dry-run'], env);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain('would be inserted 1');
    const rejected = await attain(['import', 'deals', file, '--mapping', 'auto'], env);
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toContain('1 error: nothing was written');
    expect(rejected.stdout).toContain('row 3, Betrag: "viel" is not an amount [invalid_number]');
    const partial = await attain(['import', 'deals', file, '--mapping', 'auto', '--valid-only'], env);
    expect(partial.code).toBe(0);
    expect(partial.stdout).toContain('inserted 1 · updated 0 · unchanged 0 · errors 1 (those rows were skipped)');
    const usage = await attain(['import', 'deals', file, '--mapping', 'nonsense'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('no saved mapping "nonsense"');
  }, 60_000);
});

import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OkrSetDocument, scoreDocument } from '../../core/okr/document.js';
import { createTeam } from '../../store/repos/teams.js';
import { createTenant } from '../../store/repos/tenants.js';
import { openStore } from '../../store/store.js';
import { attain as runAttain } from '../../../test/cli.js';



const attain = (args: string[], dataDir: string) => runAttain(args, { ATTAIN_DATA_DIR: dataDir });

describe('attain okr export / import', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'attain-okr-cli-'));
    const store = await openStore({ dataDir: dir, command: 'okr cli test' });
    const tenantId = randomUUID();
    await store.asSystem((tx) => createTenant(tx, { id: tenantId, slug: 'acme', name: 'Acme AG' }));
    await store.inTenant(tenantId, { actor: { userId: null, tokenId: null } }, (scope) => createTeam(scope, randomUUID(), { name: 'DACH', kind: 'team' }));
    await store.close();
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('imports a document atomically and idempotently, and round-trips it through export', async () => {
    const example = 'examples/okrs/grow-quarterly-revenue.yaml';
    // (Dry runs and atomicity are covered through the API in src/server/okrs.test.ts.)
    const first = await attain(['okr', 'import', example, '--tenant', 'acme'], dir);
    expect(first.stdout, first.stderr).toContain('objectives:  1 new, 0 changed, 0 unchanged');
    expect(first.stdout).toContain('check-ins:   9 new');
    const out = path.join(dir, 'q1.json');
    const exported = await attain(['okr', 'export', '--cycle', '2026-Q1', '--tenant', 'acme', '--out', out], dir);
    expect(exported.stdout, exported.stderr).toContain(`Wrote 1 objectives of 2026-Q1 to ${out}`);
    const again = await attain(['okr', 'import', out, '--tenant', 'acme'], dir);
    expect(again.stdout, again.stderr).toContain('objectives:  0 new, 0 changed, 1 unchanged');
    expect(again.stdout).toContain('check-ins:   0 new');
    // The export is a valid document that scores like the example it came from.
    const doc = JSON.parse(await readFile(out, 'utf8')) as { objectives: { owner: string }[] };
    expect(scoreDocument(OkrSetDocument.parse(doc)).objectives[0]?.keyResults.map((k) => k.score)).toEqual([0.35, 0.56, 0.72]);
    doc.objectives[0] = { ...doc.objectives[0], owner: 'team:Nowhere' };
    await writeFile(out, JSON.stringify(doc));
    const refused = await attain(['okr', 'import', out, '--tenant', 'acme'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('objectives.0.owner: No team "Nowhere"');
  }, 120_000);
});

import { readFile, writeFile } from 'node:fs/promises';
import { exportQuotaCsv, importQuotaCsv } from '../../store/repos/quotas.js';
import { findTenantBySlug } from '../../store/repos/tenants.js';
import type { Store } from '../../store/store.js';
import { UsageError, withStore, type RegisterCommand } from '../shared.js';

async function workspaceId(store: Store, slug: string): Promise<string> {
  const workspace = await store.asSystem((tx) => findTenantBySlug(tx, slug));
  if (!workspace) throw new UsageError(`no workspace with slug "${slug}"`);
  return workspace.id;
}

const CLI_ACTOR = { actor: { userId: null, tokenId: null }, requestId: 'cli' };

export const registerQuota: RegisterCommand = (program) => {
  const quota = program.command('quota').description('Quota lines as CSV (assignee_kind, assignee_id, assignee_name, period, quota_minor; see docs/territories-quotas-forecasts.md)');
  quota
    .command('export')
    .description('Write a quota version\'s lines as CSV')
    .argument('<versionId>', 'the quota version')
    .option('--tenant <slug>', 'workspace slug', 'demo')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (versionId: string, options: { tenant: string; out?: string }) => {
      const csv = await withStore('attain quota export', async (store) => {
        const tenantId = await workspaceId(store, options.tenant);
        return store.inTenant(tenantId, CLI_ACTOR, (scope) => exportQuotaCsv(scope, versionId, { all: true }));
      });
      if (csv === null) throw new UsageError(`no quota version ${versionId}`);
      if (options.out) await writeFile(options.out, csv);
      else process.stdout.write(csv);
    });
  quota
    .command('import')
    .description('Import quota lines from CSV into a draft version: all or nothing, every bad row named')
    .argument('<versionId>', 'the quota version (not locked)')
    .argument('<file>', 'a CSV file')
    .requiredOption('--reason <text>', 'why the quotas change (kept in the audit log)')
    .option('--tenant <slug>', 'workspace slug', 'demo')
    .action(async (versionId: string, file: string, options: { tenant: string; reason: string }) => {
      let csv: string;
      try {
        csv = await readFile(file, 'utf8');
      } catch {
        throw new UsageError(`cannot read ${file}`);
      }
      const result = await withStore('attain quota import', async (store) => {
        const tenantId = await workspaceId(store, options.tenant);
        return store.inTenant(tenantId, CLI_ACTOR, (scope) => importQuotaCsv(scope, versionId, { csv, reason: options.reason }));
      });
      if (result === 'not_found') throw new UsageError(`no quota version ${versionId}`);
      if (result === 'locked') throw new UsageError(`quota version ${versionId} is locked: revise it into a new version`);
      if (!result.ok) throw new UsageError(`nothing imported:\n${result.issues.map((i) => `  row ${i.row}, ${i.column || '(file)'}: ${i.message}`).join('\n')}`);
      console.log(`Imported: ${result.added} added, ${result.changed} changed, ${result.unchanged} unchanged.`);
    });
};

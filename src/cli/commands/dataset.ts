import { listDatasets } from '../../store/repos/datasets.js';
import { findTenantBySlug } from '../../store/repos/tenants.js';
import { UsageError, withStore, type RegisterCommand } from '../shared.js';

export const registerDataset: RegisterCommand = (program) => {
  const dataset = program.command('dataset').description('Datasets (sales data)');
  dataset
    .command('list')
    .description('List the datasets of a workspace, with their fields and record counts')
    .option('--tenant <slug>', 'workspace slug', 'demo')
    .option('--json', 'print JSON')
    .action(async (options: { tenant: string; json?: boolean }) => {
      await withStore('attain dataset list', async (store) => {
        const workspace = await store.asSystem((tx) => findTenantBySlug(tx, options.tenant));
        if (!workspace) throw new UsageError(`no workspace with slug "${options.tenant}"`);
        const { datasets, counts } = await store.inTenant(workspace.id, { actor: { userId: null, tokenId: null }, requestId: 'cli' }, async (scope) => ({
          datasets: await listDatasets(scope),
          counts: new Map(
            (await scope.tx.query<{ dataset: string; n: string }>('SELECT dataset, count(*) AS n FROM records WHERE tenant_id = $1 GROUP BY dataset', [scope.tenantId]))
              .map((r) => [r.dataset, Number(r.n)]),
          ),
        }));
        if (options.json) {
          console.log(JSON.stringify(datasets.map((d) => ({ ...d, records: counts.get(d.key) ?? 0 })), null, 2));
          return;
        }
        for (const d of datasets) {
          console.log(`${d.key.padEnd(24)} ${d.kind.padEnd(8)} ${String(counts.get(d.key) ?? 0).padStart(10)} records  ${d.label.en}`);
          console.log(`  ${d.fields.map((f) => `${f.key}${f.required ? '*' : ''}:${f.type}${f.type === 'number' ? `(${f.scale ?? 0})` : ''}`).join('  ')}`);
        }
      });
    });
};

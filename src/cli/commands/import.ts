import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { chooseMapping } from '../../core/data/mapping-choice.js';
import type { ImportMapping } from '../../core/data/mapping.js';
import { openCsv, readCsvSample } from '../../integrations/csv/reader.js';
import { getDataset } from '../../store/repos/datasets.js';
import { createImport, findMappingByName, runImport, type ImportJob, type ImportProgress } from '../../store/repos/imports.js';
import { findTenantBySlug } from '../../store/repos/tenants.js';
import { UsageError, withStore, type RegisterCommand } from '../shared.js';

const count = (n: number): string => n.toLocaleString('en-US');

/** What the CLI prints after an import; exit code 1 when the file had errors and nothing was written. */
export function summarise(job: ImportJob, elapsedMs: number): { lines: string[]; exitCode: number } {
  const lines: string[] = [];
  const seconds = Math.max(elapsedMs / 1000, 0.001);
  const verb = job.dryRun ? 'Checked' : job.status === 'completed' ? 'Imported' : 'Did not import';
  lines.push(`${verb} ${job.fileName ?? 'the file'} into ${job.dataset} (mapping ${job.mappingName ?? 'custom'}): ${count(job.totalRows)} rows in ${seconds.toFixed(1)} s (${count(Math.round(job.totalRows / seconds))} rows/s)`);
  const would = job.dryRun ? 'would be ' : '';
  if (job.status === 'completed') {
    lines.push(`  ${would}inserted ${count(job.inserted)} · ${would}updated ${count(job.updated)} · unchanged ${count(job.unchanged)} · errors ${count(job.errorCount)}${job.errorCount > 0 && !job.dryRun ? ' (those rows were skipped)' : ''}`);
  }
  if (job.status === 'rejected') lines.push(`  ${count(job.errorCount)} error${job.errorCount === 1 ? '' : 's'}: nothing was written (fix the file, or import only the valid rows with --valid-only)`);
  if (job.status === 'failed') lines.push(`  failed: ${job.failure ?? 'unknown error'}`);
  if (job.ignoredColumns.length > 0) lines.push(`  ignored columns: ${job.ignoredColumns.join(', ')}`);
  if (job.errors.length > 0) {
    lines.push('  first errors:');
    for (const e of job.errors.slice(0, 10)) lines.push(`    row ${e.row}, ${e.column || '(record)'}: ${e.message} [${e.code}]`);
    if (job.errorCount > 10) lines.push(`    … and ${count(job.errorCount - 10)} more`);
  }
  const wroteNothing = job.dryRun || job.status !== 'completed';
  return { lines, exitCode: job.status === 'failed' || (job.errorCount > 0 && wroteNothing) ? 1 : 0 };
}

export const registerImport: RegisterCommand = (program) => {
  program
    .command('import')
    .description('Import a CSV file into a dataset (deals, accounts, leads, activities, tickets or a custom one)')
    .argument('<dataset>', 'dataset key')
    .argument('<file>', 'CSV file (UTF-8; comma, semicolon or tab)')
    .option('--mapping <mapping>', 'salesforce, hubspot, auto, a saved mapping name, or a JSON mapping file (default: detected from the headers)')
    .option('--dry-run', 'validate and report what would change, write nothing')
    .option('--valid-only', 'write the valid rows even when some rows have errors')
    .option('--tenant <slug>', 'workspace slug', 'demo')
    .action(async (datasetKey: string, file: string, options: { mapping?: string; dryRun?: boolean; validOnly?: boolean; tenant: string }) => {
      if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`no file ${file}`);
      let mappingJson: unknown;
      if (options.mapping?.endsWith('.json')) {
        try {
          mappingJson = JSON.parse(await readFile(options.mapping, 'utf8'));
        } catch (error) {
          throw new UsageError(`--mapping: cannot read ${options.mapping}: ${(error as Error).message}`);
        }
      }
      const head = await readCsvSample(file, 50);
      const exitCode = await withStore('attain import', async (store) => {
        const workspace = await store.asSystem((tx) => findTenantBySlug(tx, options.tenant));
        if (!workspace) throw new UsageError(`no workspace with slug "${options.tenant}"`);
        const actor = { actor: { userId: null, tokenId: null }, requestId: 'cli' };
        const importId = randomUUID();
        const { dataset, mapping, mappingName } = await store.inTenant(workspace.id, actor, async (scope) => {
          const found = await getDataset(scope, datasetKey);
          if (!found) throw new UsageError(`no dataset "${datasetKey}" in ${workspace.slug} (see: attain dataset list)`);
          const choice = chooseMapping(found, mappingJson === undefined ? { name: options.mapping } : { mapping: mappingJson }, head);
          let chosen: { mapping: ImportMapping; name: string | null };
          if (choice.ok === 'saved') {
            const saved = await findMappingByName(scope, found.key, choice.name);
            if (!saved) throw new UsageError(`--mapping: no saved mapping "${choice.name}" for ${found.key} (or use salesforce, hubspot, auto, a .json file)`);
            chosen = { mapping: saved.mapping, name: saved.name };
          } else if (!choice.ok) throw new UsageError(`--mapping: ${choice.message}`);
          else chosen = { mapping: choice.mapping, name: choice.name };
          await createImport(scope, {
            id: importId, dataset: found.key, source: 'cli', fileName: path.basename(file), mapping: chosen.mapping, mappingName: chosen.name,
            mode: options.validOnly ? 'valid_only' : 'atomic', dryRun: options.dryRun ?? false,
          });
          return { dataset: found, mapping: chosen.mapping, mappingName: chosen.name };
        });

        // Rows in the file, estimated from its size until the validation pass has counted them.
        const sampleBytes = head.sample.reduce((n, cells) => n + cells.join(',').length + 1, 0);
        const estimate = head.sample.length > 0 ? Math.max(head.sample.length, Math.round(statSync(file).size / (sampleBytes / head.sample.length))) : 0;
        const bar = new cliProgress.SingleBar(
          { format: ' {phase} [{bar}] {percentage}% | {value}/{total} rows | {speed} rows/s | {eta_formatted} left', hideCursor: true, etaBuffer: 50 },
          cliProgress.Presets.shades_classic,
        );
        console.log(`Importing ${path.basename(file)} into ${dataset.key} of "${workspace.name}" (mapping ${mappingName ?? 'from file'}${options.dryRun ? ', dry run' : ''})`);
        const started = performance.now();
        let phaseStarted = started;
        let phase = '';
        bar.start(estimate, 0, { phase: 'validating', speed: '0' });
        const onProgress = (p: ImportProgress) => {
          if (p.status !== phase && (p.status === 'validating' || p.status === 'writing')) {
            if (phase !== '') bar.setTotal(p.validRows);
            phase = p.status;
            phaseStarted = performance.now();
          }
          const done = phase === 'writing' ? p.writtenRows : p.validatedRows;
          if (phase === 'validating' && done > bar.getTotal()) bar.setTotal(Math.round(done * 1.1));
          const speed = Math.round(done / Math.max((performance.now() - phaseStarted) / 1000, 0.001));
          bar.update(done, { phase: phase.padEnd(10), speed: count(speed) });
        };
        let job: ImportJob;
        try {
          job = await runImport({
            store, tenantId: workspace.id, ...actor, importId, dataset, mapping, mode: options.validOnly ? 'valid_only' : 'atomic', dryRun: options.dryRun ?? false,
            open: () => openCsv(file, { delimiter: mapping.delimiter }), onProgress,
          });
        } finally {
          bar.stop();
        }
        const summary = summarise(job, performance.now() - started);
        for (const line of summary.lines) console.log(line);
        return summary.exitCode;
      });
      if (exitCode !== 0) process.exitCode = exitCode;
    });
};

import { readFile, writeFile } from 'node:fs/promises';
import { Option } from 'commander';
import { parse, stringify } from 'yaml';
import { OkrSetDocument, scoreDocument } from '../../core/okr/document.js';
import { formatEpochDay, MS_PER_DAY } from '../../core/period.js';
import { OkrError } from '../../store/repos/okr-common.js';
import { exportOkrDocument, importOkrDocument } from '../../store/repos/okr-document.js';
import { findTenantBySlug } from '../../store/repos/tenants.js';
import type { Store } from '../../store/store.js';
import { UsageError, withStore, type RegisterCommand } from '../shared.js';

/** Reads a JSON or YAML OKR set document and validates it; issues name their path. */
export async function readOkrDocument(file: string): Promise<OkrSetDocument> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
  const parsed = OkrSetDocument.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(document)'}: ${issue.message}`);
    throw new UsageError(`${file} is not a valid OKR set:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

const pct = (score: number) => score.toFixed(2);

/** The CLI's clock (the store and core take the day as input). */
const today = (): string => formatEpochDay(Math.floor(Date.now() / MS_PER_DAY));

async function workspaceId(store: Store, slug: string): Promise<string> {
  const workspace = await store.asSystem((tx) => findTenantBySlug(tx, slug));
  if (!workspace) throw new UsageError(`no workspace with slug "${slug}"`);
  return workspace.id;
}

/** The store's expected failures as CLI usage errors, one line per issue. */
function usageOf(error: unknown): unknown {
  if (!(error instanceof OkrError)) return error;
  const f = error.failure;
  return new UsageError(f.kind === 'invalid' ? `the document does not fit this workspace:\n${f.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}` : error.message);
}

export const registerOkr: RegisterCommand = (program) => {
  const okr = program.command('okr').description('OKR set documents (JSON or YAML; schema: docs/schemas/okr-set.schema.json)');
  okr
    .command('score')
    .description('Score a document’s key results and objectives from the values in it (no database needed)')
    .argument('<file>', 'an OKR set document, .yaml/.yml or .json')
    .option('--as-of <date>', 'read scores and pace at this date (YYYY-MM-DD); default: the document’s asOf, else the cycle’s last day')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { asOf?: string; json?: boolean }) => {
      const doc = await readOkrDocument(file);
      if (options.asOf !== undefined) {
        const checked = OkrSetDocument.safeParse({ ...doc, asOf: options.asOf });
        if (!checked.success) throw new UsageError('--as-of: a real date as YYYY-MM-DD');
        doc.asOf = options.asOf;
      }
      const result = scoreDocument(doc);
      if (options.json) {
        console.log(JSON.stringify(result, null, 2));
        return;
      }
      console.log(`Cycle ${result.cycle.key ?? `${result.cycle.start}…${result.cycle.end}`}, as of ${result.asOf}\n`);
      for (const objective of result.objectives) {
        const verdict = objective.expectation ? `${objective.commitment}: ${objective.expectation.verdict}` : `${objective.commitment}, in progress`;
        const note = objective.expectation?.needsExplanation ? '  (committed and missed: explain why)' : '';
        console.log(`${pct(objective.score)}  ${objective.band.padEnd(6)}  ${objective.title}  [${verdict}]${note}`);
        for (const kr of objective.keyResults) {
          const projected = kr.projected === null ? '' : `, projected ${kr.projected}`;
          console.log(`      ${pct(kr.score)}  ${kr.band.padEnd(6)}  ${kr.title}  (${kr.hasValue ? kr.status.replace('_', ' ') : 'no value yet'}; expected ${pct(kr.expectedProgress)}${projected})`);
        }
        console.log('');
      }
    });

  okr
    .command('export')
    .description('Write a cycle’s objectives, key results and check-in history as an OKR set document')
    .requiredOption('--cycle <key>', 'the cycle, e.g. 2026-Q1 or FY2026')
    .option('--tenant <slug>', 'workspace slug', 'demo')
    .addOption(new Option('--format <format>', 'yaml or json (default: from --out, else yaml)').choices(['yaml', 'json']))
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (options: { cycle: string; tenant: string; format?: 'yaml' | 'json'; out?: string }) => {
      const format = options.format ?? (options.out?.endsWith('.json') ? 'json' : 'yaml');
      const doc = await withStore('attain okr export', async (store) => {
        const tenantId = await workspaceId(store, options.tenant);
        return store.inTenant(tenantId, { actor: { userId: null, tokenId: null }, requestId: 'cli' }, (scope) => exportOkrDocument(scope, options.cycle, today()))
          .catch((error: unknown) => {
            throw usageOf(error);
          });
      });
      const text = format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc);
      if (options.out) {
        await writeFile(options.out, text);
        console.log(`Wrote ${doc.objectives.length} objectives of ${options.cycle} to ${options.out}.`);
      } else process.stdout.write(text);
    });

  okr
    .command('import')
    .description('Apply an OKR set document to a workspace: all or nothing, and idempotent (document ids are stable keys)')
    .argument('<file>', 'an OKR set document, .yaml/.yml or .json')
    .option('--tenant <slug>', 'workspace slug', 'demo')
    .option('--dry-run', 'report what would change, change nothing')
    .action(async (file: string, options: { tenant: string; dryRun?: boolean }) => {
      const doc = await readOkrDocument(file);
      const summary = await withStore('attain okr import', async (store) => {
        const tenantId = await workspaceId(store, options.tenant);
        return importOkrDocument(store, tenantId, doc, { actor: { userId: null, tokenId: null }, requestId: 'cli', dryRun: options.dryRun === true, today: today(), source: file })
          .catch((error: unknown) => {
            throw usageOf(error);
          });
      });
      const o = summary.objectives;
      const k = summary.keyResults;
      console.log(`${summary.dryRun ? 'Would import' : 'Imported'} ${file} into ${summary.cycle.key}${summary.cycle.created ? ' (new cycle)' : ''}:`);
      console.log(`  objectives:  ${o.created} new, ${o.updated} changed, ${o.unchanged} unchanged`);
      console.log(`  key results: ${k.created} new, ${k.updated} changed, ${k.revised} revised, ${k.deleted} deleted, ${k.unchanged} unchanged`);
      console.log(`  check-ins:   ${summary.checkins} new`);
      if (summary.dryRun) console.log('Dry run: nothing was written.');
    });
};

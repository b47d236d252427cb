import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { OkrSetDocument, scoreDocument } from '../../core/okr/document.js';
import { UsageError, type RegisterCommand } from '../shared.js';

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
};

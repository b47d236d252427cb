/**
 * Which mapping an import uses: one given in full, a built-in by name ('salesforce',
 * 'hubspot'), a saved one by name, 'auto' (suggested from the file's headers and first
 * rows), or — when none is named — the built-in the headers look like, else 'auto'.
 */
import { detectBuiltinMapping, findBuiltinMapping } from './builtin-mappings.js';
import type { DatasetDef } from './datasets.js';
import { ImportMappingSchema, type ImportMapping } from './mapping.js';
import { suggestMapping } from './suggest.js';

export interface MappingRequest {
  /** A mapping given in full (JSON). */
  mapping?: unknown;
  /** 'salesforce', 'hubspot', 'auto' or a saved mapping's name. */
  name?: string | undefined;
}

export interface FileHead {
  headers: readonly string[];
  sample: readonly (readonly string[])[];
  delimiter: string;
}

export type MappingChoice =
  | { ok: true; mapping: ImportMapping; name: string | null }
  /** The caller should look up a saved mapping by this name. */
  | { ok: 'saved'; name: string }
  | { ok: false; message: string; issues: { path: string; message: string }[] };

const fail = (message: string, path = 'mapping'): MappingChoice => ({ ok: false, message, issues: [{ path, message }] });

export function chooseMapping(dataset: DatasetDef, request: MappingRequest, head: FileHead): MappingChoice {
  if (request.mapping !== undefined) {
    const parsed = ImportMappingSchema.safeParse(request.mapping);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: ['mapping', ...i.path.map(String)].join('.'), message: i.message }));
      return { ok: false, message: `${issues[0]?.path ?? 'mapping'}: ${issues[0]?.message ?? 'invalid'}`, issues };
    }
    return { ok: true, mapping: parsed.data, name: null };
  }
  const name = request.name?.trim() || undefined;
  if (name === undefined) {
    const detected = detectBuiltinMapping(dataset.key, head.headers);
    if (detected) return { ok: true, mapping: detected.mapping, name: detected.name };
    return auto(dataset, head);
  }
  if (name === 'auto') return auto(dataset, head);
  const builtin = findBuiltinMapping(name);
  if (builtin) {
    if (builtin.dataset !== dataset.key) return fail(`The ${builtin.name} mapping is for ${builtin.dataset}, not ${dataset.key}`, 'mappingName');
    return { ok: true, mapping: builtin.mapping, name: builtin.name };
  }
  return { ok: 'saved', name };
}

function auto(dataset: DatasetDef, head: FileHead): MappingChoice {
  const suggestion = suggestMapping({ dataset, headers: head.headers, sample: head.sample, delimiter: head.delimiter });
  if (!suggestion.mapping) return fail('No column looks like an external id (e.g. "ID", "Opportunity ID", "Record ID"): give a mapping');
  if (suggestion.missingRequired.length > 0) return fail(`No column matches the required field${suggestion.missingRequired.length > 1 ? 's' : ''} ${suggestion.missingRequired.join(', ')}: give a mapping`);
  return { ok: true, mapping: suggestion.mapping, name: 'auto' };
}

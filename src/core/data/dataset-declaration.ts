/**
 * A tenant's declaration of a custom dataset (JSON; schema in docs/schemas/dataset.schema.json):
 * a key, labels, typed fields. Slots are allocated here, in field order.
 */
import { z } from 'zod';
import { allocateSlots, BUILTIN_DATASETS, DATASET_KEY, FIELD_KEY, FIELD_TYPES, type DatasetDef, type SlotIssue } from './datasets.js';

const LabelSchema = z.object({ en: z.string().trim().min(1).max(100), de: z.string().trim().min(1).max(100) }).strict();

export const DatasetDeclarationSchema = z
  .object({
    key: z.string().regex(DATASET_KEY, '2–40 characters a-z, 0-9 and _, starting with a letter'),
    label: LabelSchema,
    fields: z
      .array(
        z
          .object({
            key: z.string().regex(FIELD_KEY, 'a-z, 0-9 and _, starting with a letter'),
            label: LabelSchema,
            type: z.enum(FIELD_TYPES),
            scale: z.number().int().min(0).max(6).optional().describe('number: digits after the decimal point kept (0–6)'),
            required: z.boolean().optional(),
            values: z.array(z.string().regex(/^[a-z0-9_]{1,60}$/)).min(1).max(100).optional().describe('text: the allowed values (snake_case)'),
          })
          .strict(),
      )
      .min(1)
      .max(31),
    currencyField: z.string().regex(FIELD_KEY).optional().describe("A text field holding each record's ISO currency; without it money is in the workspace's currency"),
  })
  .strict()
  .meta({ id: 'DatasetDeclaration', title: 'Attain custom dataset' });

export type DatasetDeclaration = z.infer<typeof DatasetDeclarationSchema>;

/** The JSON Schema of a custom dataset declaration (docs/schemas/dataset.schema.json). */
export function datasetJsonSchema(): Record<string, unknown> {
  return { $id: 'https://attain.dev/schemas/dataset.schema.json', ...z.toJSONSchema(DatasetDeclarationSchema, { io: 'input', target: 'draft-2020-12' }) };
}

export type DeclarationIssue = { code: SlotIssue['code'] | 'builtin_key' | 'bad_currency_field' | 'values_on_non_text'; path: string; message: string };

/**
 * A custom dataset from a validated declaration, or the issues that stop it.
 * @example declareDataset({ key: 'consumption', label, fields: [{ key: 'partner', label, type: 'payee' }, { key: 'volume', label, type: 'number', scale: 3 }] })
 */
export function declareDataset(input: DatasetDeclaration): { ok: true; dataset: DatasetDef } | { ok: false; issues: DeclarationIssue[] } {
  const issues: DeclarationIssue[] = [];
  if (BUILTIN_DATASETS.some((d) => d.key === input.key)) issues.push({ code: 'builtin_key', path: 'key', message: `"${input.key}" is a built-in dataset` });
  input.fields.forEach((field, index) => {
    if (field.values && field.type !== 'text') issues.push({ code: 'values_on_non_text', path: `fields.${index}.values`, message: 'only text fields have a list of values' });
  });
  if (input.currencyField !== undefined && input.fields.find((f) => f.key === input.currencyField)?.type !== 'text') {
    issues.push({ code: 'bad_currency_field', path: 'currencyField', message: 'must name a text field of this dataset' });
  }
  const slots = allocateSlots(input.fields.map((f) => ({
    key: f.key, label: f.label, type: f.type,
    ...(f.scale === undefined ? {} : { scale: f.scale }),
    ...(f.required === undefined ? {} : { required: f.required }),
    ...(f.values === undefined ? {} : { values: f.values }),
  })));
  if (!slots.ok) issues.push(...slots.issues);
  if (issues.length > 0 || !slots.ok) return { ok: false, issues };
  return {
    ok: true,
    dataset: { key: input.key, label: input.label, kind: 'custom', fields: slots.fields, ...(input.currencyField === undefined ? {} : { currencyField: input.currencyField }) },
  };
}

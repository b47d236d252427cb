import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datasetJsonSchema } from './dataset-declaration.js';
import { mappingJsonSchema } from './mapping.js';

describe('published JSON Schemas of the data formats', () => {
  for (const [name, schema] of [['dataset', datasetJsonSchema], ['mapping', mappingJsonSchema]] as const) {
    it(`docs/schemas/${name}.schema.json is the schema the API validates with`, () => {
      const file = new URL(`../../../docs/schemas/${name}.schema.json`, import.meta.url);
      const generated = `${JSON.stringify(schema(), null, 2)}\n`;
      // ATTAIN_WRITE_SCHEMAS=1 npx vitest run src/core/data regenerates them.
      if (process.env.ATTAIN_WRITE_SCHEMAS === '1') writeFileSync(file, generated);
      expect(readFileSync(file, 'utf8')).toBe(generated);
    });
  }
});

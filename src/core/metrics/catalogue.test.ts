import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DATASETS } from '../data/datasets.js';
import { templateMetricKeys } from '../okr/templates.js';
import { CATALOGUE_COMPANION_DATASETS, METRIC_CATALOGUE } from './catalogue.js';
import { metricJsonSchema } from './definition.js';
import { validateMetricDefinition } from './validate.js';

const SCHEMA_FILE = new URL('../../../docs/schemas/metric.schema.json', import.meta.url);

describe('metric catalogue', () => {
  it('validates every entry against the built-in datasets (and the documented companion datasets it requires)', () => {
    for (const entry of METRIC_CATALOGUE) {
      const datasets = entry.requires ? [...BUILTIN_DATASETS, ...CATALOGUE_COMPANION_DATASETS] : BUILTIN_DATASETS;
      const result = validateMetricDefinition(entry.definition, datasets);
      expect(result.ok ? [] : result.issues, entry.definition.key).toEqual([]);
      expect(entry.definition.name.de, entry.definition.key).not.toBe(entry.definition.name.en);
    }
  });

  it('defines every metric the OKR templates bind to', () => {
    const keys = new Set(METRIC_CATALOGUE.map((e) => e.definition.key));
    expect(templateMetricKeys().filter((key) => !keys.has(key))).toEqual([]);
    expect(keys.size).toBe(METRIC_CATALOGUE.length);
  });

  it('lets each template parameter (product, region, channel) group its metric', () => {
    for (const key of ['revenue', 'product_revenue', 'upsell_rate', 'new_customers']) {
      const entry = METRIC_CATALOGUE.find((e) => e.definition.key === key);
      expect(entry?.definition.groupBy, key).toEqual(expect.arrayContaining(['owner', 'team', 'region']));
    }
  });

  it('documents every catalogue metric in docs/metrics.md', () => {
    const doc = readFileSync(new URL('../../../docs/metrics.md', import.meta.url), 'utf8');
    expect(METRIC_CATALOGUE.map((e) => e.definition.key).filter((key) => !doc.includes(`| \`${key}\` |`))).toEqual([]);
  });

  it('publishes the JSON Schema of the definition format (docs/schemas/metric.schema.json)', () => {
    const generated = `${JSON.stringify(metricJsonSchema(), null, 2)}\n`;
    // ATTAIN_WRITE_SCHEMAS=1 npx vitest run src/core/metrics regenerates it.
    if (process.env.ATTAIN_WRITE_SCHEMAS === '1') writeFileSync(SCHEMA_FILE, generated);
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generated);
  });
});

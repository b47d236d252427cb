import { describe, expect, it } from 'vitest';
import { detectBuiltinMapping, HUBSPOT_DEALS, SALESFORCE_OPPORTUNITIES } from './builtin-mappings.js';
import { declareDataset } from './dataset-declaration.js';
import { ACCOUNTS, DEALS, type DatasetDef } from './datasets.js';
import { DISTRIBUTOR_PROGRAMME } from './generator.js';
import { chooseMapping } from './mapping-choice.js';
import { compileMapping, completeMapping, toSnakeCase, type ImportMappingInput, type MappedRow } from './mapping.js';
import { buildPayeeDirectory } from './payee-directory.js';
import { mapJsonRecords } from './record-input.js';
import { normaliseHeader, suggestMapping } from './suggest.js';

const payees = buildPayeeDirectory([
  { id: '11111111-1111-4111-8111-111111111111', externalRef: 'EMP-1001', email: 'rita@demo.test', displayName: 'Rita Schmidt' },
  { id: '22222222-2222-4222-8222-222222222222', externalRef: 'EMP-1002', email: 'jonas@demo.test', displayName: 'Jonas Vogel' },
  { id: '33333333-3333-4333-8333-333333333333', externalRef: null, email: null, displayName: 'Jonas Vogel' },
]);
const RITA = '11111111-1111-4111-8111-111111111111';

function compile(dataset: DatasetDef, mapping: ImportMappingInput, headers: string[]) {
  const result = compileMapping({ dataset, mapping: completeMapping(mapping), headers, tenantCurrency: 'EUR', payees });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.compiled;
}
const valuesOf = (dataset: DatasetDef, row: MappedRow) => Object.fromEntries(dataset.fields.map((f, i) => [f.key, row.values[i]]));

describe('payee directory', () => {
  it('resolves by id, external reference, e-mail, then name; a shared name is ambiguous', () => {
    expect(payees.resolve(RITA)).toEqual({ ok: true, value: RITA });
    expect(payees.resolve('emp-1001')).toEqual({ ok: true, value: RITA });
    expect(payees.resolve('RITA@demo.test')).toEqual({ ok: true, value: RITA });
    expect(payees.resolve('rita  schmidt')).toEqual({ ok: true, value: RITA });
    expect(payees.resolve('Jonas Vogel')).toMatchObject({ ok: false, code: 'ambiguous_owner' });
    expect(payees.resolve('Nobody')).toMatchObject({ ok: false, code: 'unknown_owner' });
  });
});

describe('compileMapping', () => {
  const mapping: ImportMappingInput = {
    extIdColumn: 'ID',
    columns: { Name: 'name', Betrag: 'amount', Währung: 'currency', Phase: 'stage', Angelegt: 'created', Verantwortlich: 'owner', Art: 'type' },
    dateFormat: 'DD.MM.YYYY',
    decimalSeparator: ',',
    thousandsSeparator: '.',
    currency: 'CHF',
  };
  const headers = ['ID', 'Name', 'Betrag', 'Währung', 'Phase', 'Angelegt', 'Verantwortlich', 'Art', 'Notiz'];

  it('maps a row to slot values in the dataset’s field order', () => {
    const compiled = compile(DEALS, mapping, headers);
    expect(compiled.ignoredColumns).toEqual(['Notiz']);
    const result = compiled.mapRow(['D-1', 'Großauftrag', '1.234,50', 'eur', 'Closed Won', '31.03.2026', 'EMP-1001', 'Cross-Sell', 'x'], 2);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.row.extId).toBe('D-1');
    expect(valuesOf(DEALS, result.row)).toMatchObject({ name: 'Großauftrag', amount: 123450, currency: 'EUR', stage: 'Closed Won', created: '2026-03-31', owner: RITA, type: 'cross_sell', close_date: null });
  });

  it('uses the mapping’s currency for rows without one, in that currency’s minor units', () => {
    const compiled = compile(DEALS, mapping, headers);
    const result = compiled.mapRow(['D-2', 'X', '10', '', 'open', '01.01.2026', '', '', ''], 3);
    expect(result.ok && valuesOf(DEALS, result.row)).toMatchObject({ currency: 'CHF', amount: 1000, owner: null });
  });

  it('reports every bad cell with row, column, value, code and message', () => {
    const compiled = compile(DEALS, mapping, headers);
    const result = compiled.mapRow(['', 'X', '12,345', 'EUX', '', '31.02.2026', 'Nobody', 'churn', ''], 7);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.row, e.column, e.value, e.code])).toEqual([
      [7, 'ID', '', 'required'],
      [7, 'Währung', 'EUX', 'invalid_currency'],
      [7, 'Verantwortlich', 'Nobody', 'unknown_owner'],
      [7, 'Betrag', '12,345', 'too_many_decimals'],
      [7, 'Phase', '', 'required'],
      [7, 'Angelegt', '31.02.2026', 'invalid_date'],
      [7, 'Art', 'churn', 'not_allowed'],
    ]);
    expect(result.errors.every((e) => e.message.length > 0)).toBe(true);
  });

  it('imports rows of unknown owners without an owner when the mapping says so', () => {
    const compiled = compile(DEALS, { ...mapping, unknownOwner: 'import_without_owner' }, headers);
    const result = compiled.mapRow(['D-3', 'X', '1', 'EUR', 'open', '01.01.2026', 'Nobody', '', ''], 2);
    expect(result.ok && valuesOf(DEALS, result.row).owner).toBe(null);
    // An ambiguous reference stays an error: the row names someone, just not uniquely.
    expect(compiled.mapRow(['D-3', 'X', '1', 'EUR', 'open', '01.01.2026', 'Jonas Vogel', '', ''], 2).ok).toBe(false);
  });

  it('refuses a file without the external-id column or a required field’s column', () => {
    const result = compileMapping({ dataset: DEALS, mapping: completeMapping(mapping), headers: ['Name', 'Betrag'], tenantCurrency: 'EUR', payees });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.code, e.column])).toEqual([['missing_ext_id_column', 'ID'], ['missing_required_column', 'Stage'], ['missing_required_column', 'Created']]);
    expect(result.errors.every((e) => e.row === 1)).toBe(true);
    const unknown = compileMapping({ dataset: DEALS, mapping: completeMapping({ ...mapping, columns: { Name: 'nope' } }), headers, tenantCurrency: 'EUR', payees });
    expect(unknown.ok || unknown.errors.map((e) => e.code)).toContain('unknown_field');
  });

  it('translates values, then applies the transform', () => {
    expect(toSnakeCase('Proposal/Price Quote')).toBe('proposal_price_quote');
    const compiled = compile(DEALS, { ...mapping, values: { stage: { gewonnen: 'closed_won' } }, transforms: { stage: 'snake_case' } }, headers);
    const stageOf = (raw: string) => {
      const result = compiled.mapRow(['D-4', 'X', '1', 'EUR', raw, '01.01.2026', '', '', ''], 2);
      return result.ok ? valuesOf(DEALS, result.row).stage : 'error';
    };
    expect(stageOf('GEWONNEN')).toBe('closed_won');
    expect(stageOf('Id. Decision Makers')).toBe('id_decision_makers');
  });
});

describe('built-in mappings', () => {
  it('reads a Salesforce opportunity report export', () => {
    const headers = ['Opportunity Owner', 'Account Name', 'Opportunity Name', 'Stage', 'Amount Currency', 'Amount', 'Probability (%)', 'Created Date', 'Close Date', 'Type', 'Lead Source', 'Opportunity ID', 'Fiscal Period'];
    expect(detectBuiltinMapping('deals', headers)?.name).toBe('salesforce');
    const compiled = compile(DEALS, SALESFORCE_OPPORTUNITIES, headers);
    expect(compiled.ignoredColumns).toEqual(['Fiscal Period']);
    const result = compiled.mapRow(['Rita Schmidt', 'Acme AG', 'Acme renewal', 'Closed Won', 'USD', '12,500.00', '100', '1/15/2026', '3/31/2026', 'Existing Customer - Upgrade', 'Web', '0061x00000AbCdE', 'Q1-2026'], 2);
    expect(result.ok && valuesOf(DEALS, result.row)).toMatchObject({
      owner: RITA, account: 'Acme AG', currency: 'USD', amount: 1250000, stage: 'closed_won', probability: 10000, created: '2026-01-15', close_date: '2026-03-31', type: 'upsell', lead_source: 'Web',
    });
  });

  it('reads a HubSpot deals export', () => {
    const headers = ['Record ID', 'Deal Name', 'Deal Stage', 'Amount', 'Close Date', 'Create Date', 'Deal owner', 'Pipeline', 'Deal Type', 'Currency'];
    expect(detectBuiltinMapping('deals', headers)?.name).toBe('hubspot');
    const compiled = compile(DEALS, HUBSPOT_DEALS, headers);
    const result = compiled.mapRow(['12345678901', 'Acme – New retainer', 'closedwon', '75000', '2026-06-30 00:00', '2026-02-01 09:30', 'rita@demo.test', 'Sales Pipeline', 'New Business', 'EUR'], 2);
    expect(result.ok && valuesOf(DEALS, result.row)).toMatchObject({ owner: RITA, stage: 'closed_won', amount: 7500000, close_date: '2026-06-30', created: '2026-02-01', pipeline: 'Sales Pipeline', type: 'new' });
    const custom = compiled.mapRow(['2', 'X', 'Verbal Commit', '1', '', '2026-02-01 09:30', '', '', 'Existing Business', ''], 3);
    expect(custom.ok && valuesOf(DEALS, custom.row)).toMatchObject({ stage: 'verbal_commit', type: 'upsell', currency: 'EUR' });
  });
});

describe('suggestMapping', () => {
  it('matches English and German headers through synonyms, and guesses the formats', () => {
    const suggestion = suggestMapping({
      dataset: DEALS,
      headers: ['Opportunity ID', 'Opportunity Owner', 'Betrag', 'Close Date', 'Abschlussdatum?', 'Erstellt am', 'Verkaufsphase', 'Bezeichnung', 'Währung', 'Irrelevant'],
      sample: [['1', 'Rita', '1.234,50', '31.03.2026', '', '02.01.2026', 'Won', 'X', 'EUR', '']],
      delimiter: ';',
    });
    expect(Object.fromEntries(suggestion.matched.map((m) => [m.header, m.field]))).toEqual({
      'Opportunity Owner': 'owner', Betrag: 'amount', 'Close Date': 'close_date', 'Erstellt am': 'created', Verkaufsphase: 'stage', Bezeichnung: 'name', Währung: 'currency',
    });
    expect(suggestion.extIdColumn).toBe('Opportunity ID');
    expect(suggestion.unmatchedHeaders).toEqual(['Abschlussdatum?', 'Irrelevant']);
    expect(suggestion.missingRequired).toEqual([]);
    expect(suggestion.mapping).toMatchObject({ dateFormat: 'DD.MM.YYYY', decimalSeparator: ',', thousandsSeparator: '.' });
    expect(normaliseHeader('Probability (%)')).toBe('probability');
  });

  it('chooses the built-in mapping a file looks like, else a suggestion, and asks for a mapping when none fits', () => {
    const head = (headers: string[]) => ({ headers, sample: [], delimiter: ',' });
    expect(chooseMapping(DEALS, {}, head(['Record ID', 'Deal Stage', 'Deal Name', 'Amount', 'Create Date']))).toMatchObject({ ok: true, name: 'hubspot' });
    expect(chooseMapping(DEALS, { name: 'auto' }, head(['ID', 'Name', 'Amount', 'Stage', 'Created']))).toMatchObject({ ok: true, name: 'auto' });
    expect(chooseMapping(DEALS, {}, head(['Name', 'Amount']))).toMatchObject({ ok: false });
    expect(chooseMapping(ACCOUNTS, { name: 'salesforce' }, head([]))).toMatchObject({ ok: false });
    expect(chooseMapping(DEALS, { name: 'My CRM' }, head([]))).toEqual({ ok: 'saved', name: 'My CRM' });
    expect(chooseMapping(DEALS, { mapping: { columns: {} } }, head([]))).toMatchObject({ ok: false, issues: [{ path: 'mapping.extIdColumn' }] });
  });
});

describe('JSON records and custom datasets', () => {
  const programme = declareDataset(DISTRIBUTOR_PROGRAMME);

  it('declares a custom dataset with allocated slots, and refuses bad declarations', () => {
    expect(programme.ok && programme.dataset.fields.map((f) => f.slot)).toEqual(['owner', 'd1', 't1', 'n1', 'n2', 'n3', 'n4', 'n5']);
    expect(declareDataset({ ...DISTRIBUTOR_PROGRAMME, key: 'deals' })).toMatchObject({ ok: false, issues: [{ code: 'builtin_key' }] });
    expect(declareDataset({ ...DISTRIBUTOR_PROGRAMME, currencyField: 'month' })).toMatchObject({ ok: false, issues: [{ code: 'bad_currency_field' }] });
  });

  it('validates a batch with paths into the body, and no external id twice', () => {
    if (!programme.ok) throw new Error('declaration');
    const result = mapJsonRecords(programme.dataset, [
      { extId: 'P-1', values: { partner: 'EMP-1001', month: '2026-01-01', consumption_volume: 12.5, deposits: '500.00' } },
      { extId: 'P-2', values: { partner: 'EMP-1001', month: '2026-01-01', deposits: 'lots', colour: 'red' } },
      { extId: 'P-1', values: { partner: 'EMP-1001', month: '2026-02-01' } },
    ], { tenantCurrency: 'EUR', payees });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.path, i.code])).toEqual([
      ['upsert.1.values.colour', 'unknown_field'],
      ['upsert.1.values.deposits', 'invalid_number'],
      ['upsert.2.extId', 'duplicate_ext_id'],
    ]);
    const ok = mapJsonRecords(programme.dataset, [{ extId: 'P-1', values: { partner: 'EMP-1001', month: '2026-01-01', consumption_volume: 12.5, deposits: '500.00', machines_deployed: 3 } }], { tenantCurrency: 'EUR', payees });
    expect(ok.ok && ok.rows[0]?.values).toEqual([RITA, '2026-01-01', null, 12500, 3, null, 50000, null]);
  });
});

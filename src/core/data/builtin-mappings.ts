/**
 * Mappings for CRM exports, by their real column headers (sources in docs/data.md):
 * a Salesforce opportunity report exported as CSV ("Details only"), and a HubSpot deals
 * export. Headers a file lacks are skipped; several headers may feed one field (the first
 * non-empty wins, so the more reliable one is listed first).
 */
import { completeMapping, type ImportMapping } from './mapping.js';

/** Stage names of the default sales processes, as Attain stores them (`closed_won`, `closed_lost` are what metrics count). */
const SALESFORCE_TYPES: Record<string, string> = {
  'New Customer': 'new',
  'New Business': 'new',
  'Existing Customer - Upgrade': 'upsell',
  'Existing Customer - Replacement': 'renewal',
  'Existing Customer - Downgrade': 'renewal',
  Renewal: 'renewal',
  Upsell: 'upsell',
  'Cross-Sell': 'cross_sell',
};

export const SALESFORCE_OPPORTUNITIES: ImportMapping = completeMapping({
  extIdColumn: 'Opportunity ID',
  columns: {
    'Opportunity Name': 'name',
    'Account Name': 'account',
    // Owner: the e-mail resolves unambiguously; the full name is what the default report shows.
    'Owner Email': 'owner',
    'Opportunity Owner: Email': 'owner',
    'Opportunity Owner': 'owner',
    'Amount Currency': 'currency',
    'Opportunity Currency': 'currency',
    Amount: 'amount',
    Stage: 'stage',
    'Probability (%)': 'probability',
    'Created Date': 'created',
    'Close Date': 'close_date',
    Type: 'type',
    'Lead Source': 'lead_source',
    'Product Name': 'product',
    'Primary Product': 'product',
    'Product Family': 'product_line',
    Region: 'region',
    'Territory Name': 'territory',
    Territory: 'territory',
    Channel: 'channel',
    'Contract Start Date': 'contract_start',
    'Contract End Date': 'contract_end',
    'Contract Term (months)': 'term_months',
  },
  // The export writes dates in the exporting user's locale; US English is M/D/YYYY.
  dateFormat: 'MM/DD/YYYY',
  decimalSeparator: '.',
  thousandsSeparator: ',',
  values: { type: SALESFORCE_TYPES },
  transforms: { stage: 'snake_case' },
});

export const HUBSPOT_DEALS: ImportMapping = completeMapping({
  extIdColumn: 'Record ID',
  columns: {
    'Deal Name': 'name',
    'Associated Company (Primary)': 'account',
    'Associated Company': 'account',
    'Company name': 'account',
    'Deal owner': 'owner',
    Amount: 'amount',
    Currency: 'currency',
    'Deal Stage': 'stage',
    'Create Date': 'created',
    'Close Date': 'close_date',
    'Deal Type': 'type',
    Pipeline: 'pipeline',
    'Original Source Type': 'lead_source',
    'Original Source': 'lead_source',
    'Product Name': 'product',
    'Product Line': 'product_line',
    Region: 'region',
  },
  // Exports write '2026-03-31 00:00' (date and time, ISO order).
  dateFormat: 'YYYY-MM-DD',
  decimalSeparator: '.',
  thousandsSeparator: '',
  values: {
    stage: {
      appointmentscheduled: 'appointment_scheduled',
      qualifiedtobuy: 'qualified_to_buy',
      presentationscheduled: 'presentation_scheduled',
      decisionmakerboughtin: 'decision_maker_bought_in',
      contractsent: 'contract_sent',
      closedwon: 'closed_won',
      closedlost: 'closed_lost',
    },
    type: { 'New Business': 'new', newbusiness: 'new', 'Existing Business': 'upsell', existingbusiness: 'upsell', Renewal: 'renewal' },
  },
  transforms: { stage: 'snake_case' },
});

export interface BuiltinMapping {
  name: 'salesforce' | 'hubspot';
  label: string;
  dataset: string;
  mapping: ImportMapping;
  /** Headers that identify a file as this source's export. */
  signature: readonly string[];
}

export const BUILTIN_MAPPINGS: readonly BuiltinMapping[] = [
  { name: 'salesforce', label: 'Salesforce opportunity report (CSV)', dataset: 'deals', mapping: SALESFORCE_OPPORTUNITIES, signature: ['Opportunity Name', 'Opportunity Owner'] },
  { name: 'hubspot', label: 'HubSpot deals export (CSV)', dataset: 'deals', mapping: HUBSPOT_DEALS, signature: ['Record ID', 'Deal Stage'] },
];

export function findBuiltinMapping(name: string): BuiltinMapping | undefined {
  return BUILTIN_MAPPINGS.find((m) => m.name === name);
}

/** The built-in mapping whose signature headers a file has, if any. */
export function detectBuiltinMapping(dataset: string, headers: readonly string[]): BuiltinMapping | undefined {
  const present = new Set(headers.map((h) => h.replace(/^\uFEFF/, '').trim().toLowerCase()));
  return BUILTIN_MAPPINGS.find((m) => m.dataset === dataset && m.signature.every((h) => present.has(h.toLowerCase())));
}

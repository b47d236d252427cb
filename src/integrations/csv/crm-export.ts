/**
 * Generated deals written as a CRM would export them: a Salesforce opportunity report
 * (US date format, "Amount Currency" before "Amount", owner name and e-mail) or a HubSpot
 * deals export (record id first, 'YYYY-MM-DD HH:mm' dates, internal stage ids). Used by the
 * import benchmark and to make sample files; the built-in mappings read them back.
 */
import { generateDeals, generateOrg, type GeneratorConfig } from '../../core/data/generator.js';

export const SALESFORCE_HEADERS = [
  'Opportunity ID', 'Opportunity Name', 'Account Name', 'Opportunity Owner', 'Owner Email', 'Amount Currency', 'Amount', 'Stage',
  'Probability (%)', 'Created Date', 'Close Date', 'Type', 'Lead Source', 'Product Name', 'Product Family', 'Region', 'Territory',
] as const;

export const HUBSPOT_HEADERS = [
  'Record ID', 'Deal Name', 'Deal Stage', 'Amount', 'Currency', 'Close Date', 'Create Date', 'Deal owner', 'Pipeline', 'Deal Type',
  'Associated Company', 'Original Source Type', 'Product Name', 'Product Line', 'Region',
] as const;

const usDate = (iso: unknown): string => {
  if (typeof iso !== 'string' || iso === '') return '';
  return `${Number(iso.slice(5, 7))}/${Number(iso.slice(8, 10))}/${iso.slice(0, 4)}`;
};
const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));
const SF_TYPE: Record<string, string> = { new: 'New Customer', renewal: 'Renewal', upsell: 'Existing Customer - Upgrade', cross_sell: 'Cross-Sell' };
const SF_STAGE: Record<string, string> = {
  prospecting: 'Prospecting', qualification: 'Qualification', proposal: 'Proposal/Price Quote', negotiation: 'Negotiation/Review', closed_won: 'Closed Won', closed_lost: 'Closed Lost',
};
const HS_STAGE: Record<string, string> = {
  prospecting: 'appointmentscheduled', qualification: 'qualifiedtobuy', proposal: 'presentationscheduled', negotiation: 'contractsent', closed_won: 'closedwon', closed_lost: 'closedlost',
};

/** Rows of a Salesforce opportunity report for the generated deals (header not included). */
export function* salesforceDealRows(config: GeneratorConfig): Generator<string[]> {
  const reps = new Map(generateOrg(config).reps.map((r) => [r.extRef, r]));
  for (const deal of generateDeals(config)) {
    const v = deal.values;
    const owner = reps.get(text(v.owner));
    const stage = text(v.stage);
    yield [
      deal.extId, text(v.name), text(v.account), owner?.name ?? '', owner?.email ?? '', text(v.currency), text(v.amount), SF_STAGE[stage] ?? stage,
      text(v.probability), usDate(v.created), usDate(v.close_date), SF_TYPE[text(v.type)] ?? '', text(v.lead_source), text(v.product),
      text(v.product_line), text(v.region), text(v.territory),
    ];
  }
}

/** Rows of a HubSpot deals export for the generated deals (header not included). */
export function* hubspotDealRows(config: GeneratorConfig): Generator<string[]> {
  const reps = new Map(generateOrg(config).reps.map((r) => [r.extRef, r]));
  let index = 0;
  for (const deal of generateDeals(config)) {
    const v = deal.values;
    index += 1;
    const stage = text(v.stage);
    yield [
      String(9_000_000_000 + index), text(v.name), HS_STAGE[stage] ?? stage, text(v.amount), text(v.currency), `${text(v.close_date)} 00:00`,
      `${text(v.created)} 09:30`, reps.get(text(v.owner))?.email ?? '', text(v.pipeline), v.type === 'new' ? 'New Business' : 'Existing Business',
      text(v.account), text(v.lead_source), text(v.product), text(v.product_line), text(v.region),
    ];
  }
}

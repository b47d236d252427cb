/**
 * Ready metrics over the built-in datasets: every key result of the template library
 * (src/core/okr/templates.ts) that sales data can measure reads one of these. Deals count
 * as won with stage `closed_won` and as lost with `closed_lost` (the importers' canonical
 * stage names). A catalogue entry's version changes whenever its definition does.
 */
import type { DatasetDef, Label } from '../data/datasets.js';
import type { Filter, LeafMeasure, MetricDefinition, MetricUnit } from './definition.js';

export interface CatalogueEntry {
  version: number;
  definition: MetricDefinition;
  /** Custom datasets the tenant must declare first (in the shape of CATALOGUE_COMPANION_DATASETS). */
  requires?: readonly string[];
}

/**
 * The custom dataset customer acquisition cost reads: sales and marketing spend, one row
 * per cost item (declare it under Data → Datasets with these fields, then import the costs).
 */
export const MARKETING_SPEND: DatasetDef = {
  key: 'marketing_spend',
  label: { en: 'Sales and marketing spend', de: 'Vertriebs- und Marketingausgaben' },
  kind: 'custom',
  currencyField: 'currency',
  fields: [
    { key: 'spent_on', label: { en: 'Spent on', de: 'Ausgegeben am' }, type: 'date', slot: 'd1', required: true },
    { key: 'amount', label: { en: 'Amount', de: 'Betrag' }, type: 'money', slot: 'n1', required: true },
    { key: 'currency', label: { en: 'Currency', de: 'Währung' }, type: 'text', slot: 't1' },
    { key: 'channel', label: { en: 'Channel', de: 'Kanal' }, type: 'text', slot: 't2' },
    { key: 'region', label: { en: 'Region', de: 'Region' }, type: 'text', slot: 't3' },
    { key: 'campaign', label: { en: 'Campaign', de: 'Kampagne' }, type: 'text', slot: 't4' },
  ],
};

export const CATALOGUE_COMPANION_DATASETS: readonly DatasetDef[] = [MARKETING_SPEND];

const l = (en: string, de: string): Label => ({ en, de });
const WON: Filter = { field: 'stage', op: 'eq', value: 'closed_won' };
const CLOSED: Filter = { field: 'stage', op: 'in', values: ['closed_won', 'closed_lost'] };
const eq = (field: string, value: string | boolean): Filter => ({ field, op: 'eq', value });

const DEAL_DIMENSIONS = ['owner', 'team', 'territory', 'region', 'product', 'product_line', 'channel', 'type', 'lead_source', 'pipeline', 'currency'];
const ACCOUNT_DIMENSIONS = ['owner', 'team', 'region', 'country', 'segment', 'industry', 'acquisition_channel'];
const LEAD_DIMENSIONS = ['owner', 'team', 'source', 'region', 'campaign'];
const ACTIVITY_DIMENSIONS = ['owner', 'team', 'type'];
const TICKET_DIMENSIONS = ['owner', 'team', 'type', 'priority'];

interface Base {
  name: Label;
  description: Label;
  unit: MetricUnit;
}

const deals = (base: Base, measure: MetricDefinition['measure'], filters: Filter[], dateField = 'close_date'): Omit<MetricDefinition, 'key'> => ({
  ...base, dataset: 'deals', dateField, measure, filters, groupBy: DEAL_DIMENSIONS,
});
const won = (base: Base, measure: MetricDefinition['measure'], more: Filter[] = []) => deals(base, measure, [WON, ...more]);
const count: LeafMeasure = { kind: 'count' };
const sumAmount: LeafMeasure = { kind: 'sum', field: 'amount' };

const DEFINITIONS: Record<string, Omit<MetricDefinition, 'key'>> = {
  // --- revenue --------------------------------------------------------------------------
  revenue: won(
    { name: l('Revenue', 'Umsatz'), description: l('Amount of the deals won, by close date (minor units).', 'Summe der gewonnenen Abschlüsse nach Abschlussdatum (in Cent).'), unit: 'money' },
    sumAmount,
  ),
  revenue_change: won(
    { name: l('Revenue change', 'Umsatzveränderung'), description: l('Revenue against the previous period, in percent.', 'Umsatz im Vergleich zur Vorperiode, in Prozent.'), unit: 'percent' },
    { kind: 'change', of: { measure: sumAmount }, baseline: 'previous_period' },
  ),
  online_revenue: won(
    { name: l('Online revenue', 'Online-Umsatz'), description: l('Revenue from deals won through the online channel.', 'Umsatz aus gewonnenen Abschlüssen im Online-Kanal.'), unit: 'money' },
    sumAmount,
    [eq('channel', 'online')],
  ),
  product_revenue: won(
    {
      name: l('Product revenue', 'Produktumsatz'),
      description: l('Revenue of the deals won, to be grouped or filtered by product or product line.', 'Umsatz der gewonnenen Abschlüsse, nach Produkt oder Produktlinie gruppiert oder gefiltert.'),
      unit: 'money',
    },
    sumAmount,
  ),
  upsell_revenue: won(
    { name: l('Upsell revenue', 'Upsell-Umsatz'), description: l('Revenue from won deals of type upsell.', 'Umsatz aus gewonnenen Abschlüssen der Art Upsell.'), unit: 'money' },
    sumAmount,
    [eq('type', 'upsell')],
  ),
  revenue_per_rep: won(
    {
      name: l('Revenue per rep', 'Umsatz je Vertriebsmitarbeiter'),
      description: l('Revenue divided by the number of owners who won at least one deal.', 'Umsatz geteilt durch die Zahl der Verantwortlichen mit mindestens einem gewonnenen Abschluss.'),
      unit: 'money',
    },
    { kind: 'ratio', numerator: { measure: sumAmount }, denominator: { measure: { kind: 'distinct_count', field: 'owner' } } },
  ),
  // --- deals ----------------------------------------------------------------------------
  deals_won: won(
    { name: l('Deals won', 'Gewonnene Abschlüsse'), description: l('How many deals were won, by close date.', 'Anzahl gewonnener Abschlüsse nach Abschlussdatum.'), unit: 'count' },
    count,
  ),
  new_deals_won: won(
    { name: l('New-business deals won', 'Gewonnene Neugeschäfte'), description: l('Won deals of type new (first sale to a customer).', 'Gewonnene Abschlüsse der Art Neugeschäft (Erstverkauf an einen Kunden).'), unit: 'count' },
    count,
    [eq('type', 'new')],
  ),
  avg_deal_size: won(
    { name: l('Average deal size', 'Durchschnittliche Abschlussgröße'), description: l('Average amount of the deals won.', 'Durchschnittlicher Betrag der gewonnenen Abschlüsse.'), unit: 'money' },
    { kind: 'avg', field: 'amount' },
  ),
  avg_deal_size_change: won(
    {
      name: l('Average deal size change', 'Veränderung der Abschlussgröße'),
      description: l('Average deal size against the previous period, in percent.', 'Durchschnittliche Abschlussgröße im Vergleich zur Vorperiode, in Prozent.'),
      unit: 'percent',
    },
    { kind: 'change', of: { measure: { kind: 'avg', field: 'amount' } }, baseline: 'previous_period' },
  ),
  win_rate: deals(
    {
      name: l('Win rate (deal conversion)', 'Gewinnquote (Abschlusskonversion)'),
      description: l('Share of the deals closed in the period that were won.', 'Anteil der in der Periode abgeschlossenen Verkaufschancen, die gewonnen wurden.'),
      unit: 'percent',
    },
    { kind: 'rate', where: [WON] },
    [CLOSED],
  ),
  sales_cycle_days: won(
    {
      name: l('Sales cycle length', 'Dauer des Verkaufszyklus'),
      description: l('Average days from a won deal’s creation to its close.', 'Durchschnittliche Tage von der Anlage eines gewonnenen Abschlusses bis zum Abschluss.'),
      unit: 'days',
    },
    { kind: 'avg_duration', from: 'created', to: 'close_date', in: 'days' },
  ),
  regions_entered: won(
    {
      name: l('Regions with won business', 'Regionen mit Abschlüssen'),
      description: l('How many different regions had a won deal; filter to the regions you are entering.', 'Anzahl verschiedener Regionen mit gewonnenem Abschluss; auf die neu erschlossenen Regionen filtern.'),
      unit: 'count',
    },
    { kind: 'distinct_count', field: 'region' },
  ),
  renewal_rate: deals(
    {
      name: l('Renewal rate', 'Verlängerungsquote'),
      description: l('Renewal deals won ÷ renewal deals decided (won or lost) in the period.', 'Gewonnene ÷ entschiedene (gewonnene oder verlorene) Verlängerungen der Periode.'),
      unit: 'percent',
    },
    { kind: 'rate', where: [WON] },
    [eq('type', 'renewal'), CLOSED],
  ),
  upsell_rate: won(
    {
      name: l('Upsell rate', 'Upsell-Quote'),
      description: l('Share of the customers buying in the period who bought an upsell.', 'Anteil der kaufenden Kunden der Periode, die ein Upsell gekauft haben.'),
      unit: 'percent',
    },
    {
      kind: 'ratio',
      numerator: { filters: [eq('type', 'upsell')], measure: { kind: 'distinct_count', field: 'account' } },
      denominator: { measure: { kind: 'distinct_count', field: 'account' } },
    },
  ),
  cross_sell_opportunities: deals(
    {
      name: l('Cross-sell opportunities', 'Cross-Selling-Chancen'),
      description: l('Deals of type cross-sell opened in the period (by created date).', 'In der Periode angelegte Verkaufschancen der Art Cross-Selling.'),
      unit: 'count',
    },
    count,
    [eq('type', 'cross_sell')],
    'created',
  ),
  // --- customers ------------------------------------------------------------------------
  new_customers: {
    name: l('New customers', 'Neukunden'),
    description: l('Accounts that became customers in the period; group or filter by region.', 'Kunden, die in der Periode gewonnen wurden; nach Region gruppieren oder filtern.'),
    unit: 'count', dataset: 'accounts', dateField: 'created', measure: count, groupBy: ACCOUNT_DIMENSIONS,
  },
  churn_rate: {
    name: l('Churn rate', 'Abwanderungsrate'),
    description: l('Customers lost in the period ÷ customers active during it.', 'In der Periode verlorene Kunden ÷ in der Periode aktive Kunden.'),
    unit: 'percent', dataset: 'accounts', dateField: 'churned_at',
    measure: { kind: 'ratio', numerator: { measure: count }, denominator: { dateField: 'created', activeUntil: 'churned_at', measure: count } },
    groupBy: ACCOUNT_DIMENSIONS,
  },
  referral_participants: {
    name: l('Referral programme participants', 'Teilnehmende am Empfehlungsprogramm'),
    description: l('Customers in the referral programme who were active during the period.', 'Kunden im Empfehlungsprogramm, die in der Periode aktiv waren.'),
    unit: 'count', dataset: 'accounts', dateField: 'created', activeUntil: 'churned_at', measure: count,
    filters: [eq('in_referral_program', true)], groupBy: ACCOUNT_DIMENSIONS,
  },
  referral_customers: {
    name: l('Customers won by referral', 'Neukunden durch Empfehlung'),
    description: l('New customers whose acquisition channel is referral.', 'Neukunden mit dem Akquisekanal Empfehlung (referral).'),
    unit: 'count', dataset: 'accounts', dateField: 'created', measure: count, filters: [eq('acquisition_channel', 'referral')], groupBy: ACCOUNT_DIMENSIONS,
  },
  customer_acquisition_cost: {
    name: l('Customer acquisition cost', 'Kundenakquisitionskosten'),
    description: l('Sales and marketing spend (dataset marketing_spend) ÷ new customers.', 'Vertriebs- und Marketingausgaben (Datensatz marketing_spend) ÷ Neukunden.'),
    unit: 'money', dataset: 'accounts', dateField: 'created',
    measure: {
      kind: 'ratio',
      numerator: { dataset: 'marketing_spend', dateField: 'spent_on', measure: { kind: 'sum', field: 'amount' } },
      denominator: { measure: count },
    },
    groupBy: ['region'],
  },
  // --- leads ----------------------------------------------------------------------------
  leads_created: {
    name: l('New leads', 'Neue Leads'),
    description: l('Leads created in the period.', 'In der Periode angelegte Leads.'),
    unit: 'count', dataset: 'leads', dateField: 'created', measure: count, groupBy: LEAD_DIMENSIONS,
  },
  lead_conversion_rate: {
    name: l('Lead conversion rate', 'Lead-Konversionsrate'),
    description: l('Share of the leads created in the period that have been converted.', 'Anteil der in der Periode angelegten Leads, die konvertiert wurden.'),
    unit: 'percent', dataset: 'leads', dateField: 'created', measure: { kind: 'rate', where: [{ field: 'converted_at', op: 'not_null' }] }, groupBy: LEAD_DIMENSIONS,
  },
  // --- activities -----------------------------------------------------------------------
  call_volume: {
    name: l('Call volume', 'Anrufvolumen'),
    description: l('Calls logged in the period.', 'In der Periode erfasste Anrufe.'),
    unit: 'count', dataset: 'activities', dateField: 'date', measure: count, filters: [eq('type', 'call')], groupBy: ACTIVITY_DIMENSIONS,
  },
  call_volume_change: {
    name: l('Call volume change', 'Veränderung des Anrufvolumens'),
    description: l('Calls against the previous period, in percent.', 'Anrufe im Vergleich zur Vorperiode, in Prozent.'),
    unit: 'percent', dataset: 'activities', dateField: 'date', measure: { kind: 'change', of: { measure: count }, baseline: 'previous_period' },
    filters: [eq('type', 'call')], groupBy: ACTIVITY_DIMENSIONS,
  },
  webinars_held: {
    name: l('Webinars held', 'Durchgeführte Webinare'),
    description: l('Webinars logged in the period.', 'In der Periode erfasste Webinare.'),
    unit: 'count', dataset: 'activities', dateField: 'date', measure: count, filters: [eq('type', 'webinar')], groupBy: ACTIVITY_DIMENSIONS,
  },
  webinar_attendees: {
    name: l('Webinar attendees', 'Webinar-Teilnehmende'),
    description: l('Attendees of the webinars held in the period, added up.', 'Summe der Teilnehmenden der Webinare in der Periode.'),
    unit: 'count', dataset: 'activities', dateField: 'date', measure: { kind: 'sum', field: 'attendees' }, filters: [eq('type', 'webinar')], groupBy: ACTIVITY_DIMENSIONS,
  },
  campaigns_run: {
    name: l('Campaigns run', 'Durchgeführte Kampagnen'),
    description: l('Marketing and market-entry campaigns logged in the period.', 'In der Periode erfasste Marketing- und Markterschließungskampagnen.'),
    unit: 'count', dataset: 'activities', dateField: 'date', measure: count, filters: [eq('type', 'campaign')], groupBy: ACTIVITY_DIMENSIONS,
  },
  training_sessions: {
    name: l('Sales training sessions', 'Vertriebsschulungen'),
    description: l('Training sessions logged in the period.', 'In der Periode erfasste Schulungen.'),
    unit: 'count', dataset: 'activities', dateField: 'date', measure: count, filters: [eq('type', 'training')], groupBy: ACTIVITY_DIMENSIONS,
  },
  feedback_interviews: {
    name: l('Customer feedback interviews', 'Feedback-Interviews mit Kunden'),
    description: l('Meetings logged with the subject “Feedback interview”.', 'Termine mit dem Betreff „Feedback interview“.'),
    unit: 'count', dataset: 'activities', dateField: 'date', measure: count,
    filters: [eq('type', 'meeting'), eq('subject', 'Feedback interview')], groupBy: ACTIVITY_DIMENSIONS,
  },
  // --- service --------------------------------------------------------------------------
  customer_satisfaction: {
    name: l('Satisfied customers', 'Zufriedene Kunden'),
    description: l('Share of rated tickets resolved in the period with a score of at least 4 of 5.', 'Anteil der bewerteten, in der Periode gelösten Tickets mit mindestens 4 von 5 Punkten.'),
    unit: 'percent', dataset: 'tickets', dateField: 'resolved_at',
    measure: { kind: 'rate', where: [{ field: 'satisfaction', op: 'gte', value: 4 }] },
    filters: [{ field: 'satisfaction', op: 'not_null' }], groupBy: TICKET_DIMENSIONS,
  },
  satisfaction_score: {
    name: l('Customer satisfaction score', 'Kundenzufriedenheit (Punkte)'),
    description: l('Average satisfaction score (1–5) of the tickets resolved in the period.', 'Durchschnittliche Zufriedenheit (1–5) der in der Periode gelösten Tickets.'),
    unit: 'number', dataset: 'tickets', dateField: 'resolved_at', measure: { kind: 'avg', field: 'satisfaction' }, groupBy: TICKET_DIMENSIONS,
  },
  complaints_resolved_24h: {
    name: l('Complaints resolved within 24 h', 'Reklamationen in 24 h gelöst'),
    description: l(
      'Share of the complaints opened in the period that were resolved within 24 hours (open ones count as not).',
      'Anteil der in der Periode eröffneten Reklamationen, die binnen 24 Stunden gelöst wurden (offene zählen als nicht gelöst).',
    ),
    unit: 'percent', dataset: 'tickets', dateField: 'opened_at',
    measure: { kind: 'share_within', from: 'opened_at', to: 'resolved_at', limit: { value: 24, unit: 'hours' } },
    filters: [eq('type', 'complaint')], groupBy: TICKET_DIMENSIONS,
  },
};

/** Every catalogue metric, at its current version. */
export const METRIC_CATALOGUE: readonly CatalogueEntry[] = Object.entries(DEFINITIONS).map(([key, definition]) => ({
  version: 1,
  definition: { key, ...definition },
  ...(key === 'customer_acquisition_cost' ? { requires: ['marketing_spend'] } : {}),
}));

export function findCatalogueMetric(key: string): CatalogueEntry | undefined {
  return METRIC_CATALOGUE.find((entry) => entry.definition.key === key);
}

/**
 * Datasets and their typed fields. Records of every dataset live in one table with typed
 * slot columns (t1…t12 text, n1…n8 bigint, d1…d6 date, ts1…ts4 timestamptz, and `owner`
 * for the payee a record belongs to); a dataset's definition says which field sits in
 * which slot. Built-in datasets are defined here; a tenant declares custom datasets the
 * same way (slots allocated by `allocateSlots`).
 *
 * Values by type (what an import writes and an evaluator reads):
 * - text, account, territory: a string (account: the account's external id);
 * - number: a scaled integer: `12.5` with scale 2 is stored as 1250;
 * - money: integer minor units in the record's currency (the dataset's currency field, or the tenant's);
 * - boolean: 1 or 0 in a number slot;
 * - date: 'YYYY-MM-DD'; datetime: an ISO instant;
 * - payee: the payee's id in the owner slot (resolved from an external reference or e-mail at import).
 */

export const FIELD_TYPES = ['text', 'number', 'money', 'boolean', 'date', 'datetime', 'payee', 'account', 'territory'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const SLOT_COUNTS = { t: 12, n: 8, d: 6, ts: 4 } as const;
export type SlotFamily = keyof typeof SLOT_COUNTS;
export type Slot = `t${number}` | `n${number}` | `d${number}` | `ts${number}` | 'owner';

export interface Label {
  en: string;
  de: string;
}

export interface FieldDef {
  key: string;
  label: Label;
  type: FieldType;
  slot: Slot;
  /** number: digits after the decimal point kept (0–6). */
  scale?: number;
  required?: boolean;
  /** text: the allowed values, when closed (e.g. deal type). */
  values?: readonly string[];
}

export interface DatasetDef {
  key: string;
  label: Label;
  kind: 'builtin' | 'custom';
  fields: readonly FieldDef[];
  /** The text field holding a record's ISO currency for its money fields; absent: the tenant's currency. */
  currencyField?: string;
}

/** Which slot family holds a field type. */
export function slotFamilyOf(type: FieldType): SlotFamily | 'owner' {
  switch (type) {
    case 'text':
    case 'account':
    case 'territory':
      return 't';
    case 'number':
    case 'money':
    case 'boolean':
      return 'n';
    case 'date':
      return 'd';
    case 'datetime':
      return 'ts';
    case 'payee':
      return 'owner';
    default: {
      const unreachable: never = type;
      throw new Error(`unknown field type ${String(unreachable)}`);
    }
  }
}

export const DATASET_KEY = /^[a-z][a-z0-9_]{1,39}$/;
export const FIELD_KEY = /^[a-z][a-z0-9_]{0,39}$/;

export type SlotIssue = { code: 'too_many_fields' | 'two_payee_fields' | 'bad_key' | 'duplicate_key' | 'bad_scale'; path: string; message: string };

/**
 * Gives each field of a custom dataset a slot, in order. Expected failures come back as
 * issues (a dataset with more fields of one family than there are slots, two payee fields).
 * @example allocateSlots([{ key: 'volume', type: 'number', scale: 3 }]) // → { ok: true, fields: [{ …, slot: 'n1' }] }
 */
export function allocateSlots(
  fields: readonly (Omit<FieldDef, 'slot'> & { slot?: Slot })[],
): { ok: true; fields: FieldDef[] } | { ok: false; issues: SlotIssue[] } {
  const used: Record<SlotFamily, number> = { t: 0, n: 0, d: 0, ts: 0 };
  const issues: SlotIssue[] = [];
  const seen = new Set<string>();
  let payees = 0;
  const out: FieldDef[] = [];
  fields.forEach((field, index) => {
    const path = `fields.${index}`;
    if (!FIELD_KEY.test(field.key)) issues.push({ code: 'bad_key', path: `${path}.key`, message: 'a-z, 0-9 and _, starting with a letter' });
    if (seen.has(field.key)) issues.push({ code: 'duplicate_key', path: `${path}.key`, message: `"${field.key}" appears twice` });
    seen.add(field.key);
    if (field.type === 'number' && (field.scale ?? 0) > 6) issues.push({ code: 'bad_scale', path: `${path}.scale`, message: 'at most 6 decimals' });
    const family = slotFamilyOf(field.type);
    if (family === 'owner') {
      payees += 1;
      if (payees > 1) issues.push({ code: 'two_payee_fields', path, message: 'a dataset links each record to at most one payee' });
      out.push({ ...field, slot: 'owner' });
      return;
    }
    used[family] += 1;
    if (used[family] > SLOT_COUNTS[family]) {
      issues.push({ code: 'too_many_fields', path, message: `at most ${SLOT_COUNTS[family]} fields stored as ${family === 't' ? 'text' : family === 'n' ? 'numbers' : family === 'd' ? 'dates' : 'date-times'}` });
      return;
    }
    out.push({ ...field, slot: `${family}${used[family]}` as Slot });
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, fields: out };
}

const l = (en: string, de: string): Label => ({ en, de });

export const ACCOUNTS: DatasetDef = {
  key: 'accounts',
  label: l('Accounts', 'Kunden'),
  kind: 'builtin',
  fields: [
    { key: 'name', label: l('Name', 'Name'), type: 'text', slot: 't1', required: true },
    { key: 'segment', label: l('Segment', 'Segment'), type: 'text', slot: 't2' },
    { key: 'region', label: l('Region', 'Region'), type: 'text', slot: 't3' },
    { key: 'country', label: l('Country', 'Land'), type: 'text', slot: 't4' },
    { key: 'industry', label: l('Industry', 'Branche'), type: 'text', slot: 't5' },
    { key: 'acquisition_channel', label: l('Acquisition channel', 'Akquisekanal'), type: 'text', slot: 't6' },
    { key: 'owner', label: l('Owner', 'Verantwortlich'), type: 'payee', slot: 'owner' },
    { key: 'created', label: l('Customer since', 'Kunde seit'), type: 'date', slot: 'd1', required: true },
    { key: 'churned_at', label: l('Churned on', 'Abgewandert am'), type: 'date', slot: 'd2' },
    { key: 'in_referral_program', label: l('In referral programme', 'Im Empfehlungsprogramm'), type: 'boolean', slot: 'n1' },
  ],
};

export const DEAL_TYPES = ['new', 'renewal', 'upsell', 'cross_sell'] as const;
export const DEAL_CHANNELS = ['online', 'field', 'partner'] as const;

export const DEALS: DatasetDef = {
  key: 'deals',
  label: l('Deals', 'Verkaufschancen'),
  kind: 'builtin',
  currencyField: 'currency',
  fields: [
    { key: 'name', label: l('Name', 'Name'), type: 'text', slot: 't1', required: true },
    { key: 'account', label: l('Account', 'Kunde'), type: 'account', slot: 't2' },
    { key: 'owner', label: l('Owner', 'Verantwortlich'), type: 'payee', slot: 'owner' },
    { key: 'amount', label: l('Amount', 'Betrag'), type: 'money', slot: 'n1', required: true },
    { key: 'currency', label: l('Currency', 'Währung'), type: 'text', slot: 't3' },
    { key: 'stage', label: l('Stage', 'Phase'), type: 'text', slot: 't4', required: true },
    { key: 'probability', label: l('Probability (%)', 'Wahrscheinlichkeit (%)'), type: 'number', slot: 'n2', scale: 2 },
    { key: 'created', label: l('Created', 'Angelegt'), type: 'date', slot: 'd1', required: true },
    { key: 'close_date', label: l('Close date', 'Abschlussdatum'), type: 'date', slot: 'd2' },
    { key: 'product', label: l('Product', 'Produkt'), type: 'text', slot: 't5' },
    { key: 'product_line', label: l('Product line', 'Produktlinie'), type: 'text', slot: 't6' },
    { key: 'region', label: l('Region', 'Region'), type: 'text', slot: 't7' },
    { key: 'territory', label: l('Territory', 'Gebiet'), type: 'territory', slot: 't8' },
    { key: 'type', label: l('Type', 'Art'), type: 'text', slot: 't9', values: DEAL_TYPES },
    { key: 'channel', label: l('Channel', 'Kanal'), type: 'text', slot: 't10', values: DEAL_CHANNELS },
    { key: 'lead_source', label: l('Lead source', 'Lead-Quelle'), type: 'text', slot: 't11' },
    { key: 'pipeline', label: l('Pipeline', 'Pipeline'), type: 'text', slot: 't12' },
    { key: 'contract_start', label: l('Contract start', 'Vertragsbeginn'), type: 'date', slot: 'd3' },
    { key: 'contract_end', label: l('Contract end', 'Vertragsende'), type: 'date', slot: 'd4' },
    { key: 'term_months', label: l('Term (months)', 'Laufzeit (Monate)'), type: 'number', slot: 'n3', scale: 0 },
  ],
};

export const LEADS: DatasetDef = {
  key: 'leads',
  label: l('Leads', 'Leads'),
  kind: 'builtin',
  fields: [
    { key: 'name', label: l('Name', 'Name'), type: 'text', slot: 't1' },
    { key: 'source', label: l('Source', 'Quelle'), type: 'text', slot: 't2' },
    { key: 'owner', label: l('Owner', 'Verantwortlich'), type: 'payee', slot: 'owner' },
    { key: 'created', label: l('Created', 'Angelegt'), type: 'date', slot: 'd1', required: true },
    { key: 'converted_at', label: l('Converted on', 'Konvertiert am'), type: 'date', slot: 'd2' },
    { key: 'converted_deal', label: l('Converted deal', 'Daraus entstandene Verkaufschance'), type: 'text', slot: 't3' },
    { key: 'region', label: l('Region', 'Region'), type: 'text', slot: 't4' },
    { key: 'campaign', label: l('Campaign', 'Kampagne'), type: 'text', slot: 't5' },
  ],
};

export const ACTIVITY_TYPES = ['call', 'meeting', 'webinar', 'training', 'campaign'] as const;

export const ACTIVITIES: DatasetDef = {
  key: 'activities',
  label: l('Activities', 'Aktivitäten'),
  kind: 'builtin',
  fields: [
    { key: 'type', label: l('Type', 'Art'), type: 'text', slot: 't1', required: true, values: ACTIVITY_TYPES },
    { key: 'subject', label: l('Subject', 'Betreff'), type: 'text', slot: 't2' },
    { key: 'account', label: l('Account', 'Kunde'), type: 'account', slot: 't3' },
    { key: 'owner', label: l('Owner', 'Verantwortlich'), type: 'payee', slot: 'owner' },
    { key: 'date', label: l('Date', 'Datum'), type: 'date', slot: 'd1', required: true },
    { key: 'attendees', label: l('Attendees', 'Teilnehmende'), type: 'number', slot: 'n1', scale: 0 },
    { key: 'duration_minutes', label: l('Duration (minutes)', 'Dauer (Minuten)'), type: 'number', slot: 'n2', scale: 0 },
  ],
};

export const TICKETS: DatasetDef = {
  key: 'tickets',
  label: l('Tickets and complaints', 'Tickets und Reklamationen'),
  kind: 'builtin',
  fields: [
    { key: 'subject', label: l('Subject', 'Betreff'), type: 'text', slot: 't1' },
    { key: 'customer', label: l('Customer', 'Kunde'), type: 'account', slot: 't2' },
    { key: 'type', label: l('Type', 'Art'), type: 'text', slot: 't3' },
    { key: 'priority', label: l('Priority', 'Priorität'), type: 'text', slot: 't4' },
    { key: 'owner', label: l('Owner', 'Verantwortlich'), type: 'payee', slot: 'owner' },
    { key: 'opened_at', label: l('Opened', 'Eröffnet'), type: 'datetime', slot: 'ts1', required: true },
    { key: 'resolved_at', label: l('Resolved', 'Gelöst'), type: 'datetime', slot: 'ts2' },
    { key: 'satisfaction', label: l('Satisfaction (1–5)', 'Zufriedenheit (1–5)'), type: 'number', slot: 'n1', scale: 1 },
  ],
};

export const BUILTIN_DATASETS: readonly DatasetDef[] = [ACCOUNTS, DEALS, LEADS, ACTIVITIES, TICKETS];

export function findField(dataset: DatasetDef, key: string): FieldDef | undefined {
  return dataset.fields.find((f) => f.key === key);
}

/** The record column a slot lives in. */
export function slotColumn(slot: Slot): string {
  return slot === 'owner' ? 'owner_payee_id' : slot;
}

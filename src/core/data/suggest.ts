/**
 * Suggesting a mapping from a file's headers (and a few sample rows): headers are compared
 * after normalising (case, accents, punctuation) with each field's key, its English and
 * German labels and a list of synonyms in both languages ("Opportunity Owner", "Betrag",
 * "Close Date", "Abschlussdatum" …). Options (date format, decimal separator) are guessed
 * from the sample values.
 */
import { detectBuiltinMapping } from './builtin-mappings.js';
import type { DatasetDef, FieldDef } from './datasets.js';
import { completeMapping, type ImportMapping } from './mapping.js';
import { DATE_FORMATS, parseDate, type DateFormat } from './values.js';

/** Extra names per field key, English and German, normalised as `normaliseHeader` does. */
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  name: ['opportunity name', 'deal name', 'deal', 'opportunity', 'title', 'account name', 'company', 'company name', 'lead name', 'bezeichnung', 'titel', 'firmenname', 'firma', 'verkaufschance', 'name der verkaufschance'],
  owner: ['opportunity owner', 'deal owner', 'owner', 'owner email', 'account owner', 'lead owner', 'sales rep', 'rep', 'salesperson', 'account executive', 'assigned to', 'partner', 'distributor', 'verantwortlich', 'verantwortlicher', 'besitzer', 'inhaber', 'vertriebsmitarbeiter', 'verkaufer', 'zustandig', 'betreuer', 'handler'],
  amount: ['amount', 'deal amount', 'value', 'deal value', 'opportunity amount', 'revenue', 'total', 'betrag', 'wert', 'umsatz', 'summe', 'auftragswert', 'volumen'],
  currency: ['amount currency', 'opportunity currency', 'currency', 'currency code', 'wahrung', 'wahrungscode'],
  stage: ['stage', 'deal stage', 'sales stage', 'status', 'phase', 'verkaufsphase', 'stufe'],
  probability: ['probability', 'probability %', 'probability percent', 'win probability', 'wahrscheinlichkeit', 'abschlusswahrscheinlichkeit'],
  created: ['created date', 'create date', 'created', 'created on', 'creation date', 'date created', 'customer since', 'erstellt', 'erstellt am', 'erstellungsdatum', 'angelegt', 'angelegt am', 'anlagedatum', 'kunde seit'],
  close_date: ['close date', 'closed date', 'closing date', 'expected close date', 'won date', 'abschlussdatum', 'abschluss', 'abschlusstermin', 'geschlossen am'],
  account: ['account', 'account name', 'account id', 'company', 'customer', 'associated company', 'kunde', 'kundenname', 'firma', 'unternehmen'],
  customer: ['customer', 'account', 'account name', 'company', 'kunde', 'kundenname'],
  product: ['product', 'product name', 'primary product', 'produkt', 'produktname', 'artikel'],
  product_line: ['product line', 'product family', 'product category', 'produktlinie', 'produktfamilie', 'produktgruppe', 'sparte'],
  region: ['region', 'sales region', 'area', 'vertriebsregion', 'gebiet region'],
  territory: ['territory', 'territory name', 'sales territory', 'gebiet', 'vertriebsgebiet'],
  type: ['type', 'deal type', 'opportunity type', 'activity type', 'ticket type', 'art', 'typ'],
  channel: ['channel', 'sales channel', 'kanal', 'vertriebskanal'],
  lead_source: ['lead source', 'source', 'original source', 'original source type', 'lead quelle', 'quelle', 'herkunft'],
  source: ['source', 'lead source', 'original source', 'quelle', 'herkunft', 'lead quelle'],
  pipeline: ['pipeline', 'sales pipeline'],
  contract_start: ['contract start', 'contract start date', 'start date', 'vertragsbeginn', 'vertragsstart'],
  contract_end: ['contract end', 'contract end date', 'end date', 'vertragsende'],
  term_months: ['term', 'term months', 'contract term', 'contract term months', 'laufzeit', 'laufzeit monate', 'vertragslaufzeit'],
  segment: ['segment', 'customer segment', 'kundensegment'],
  country: ['country', 'billing country', 'land'],
  industry: ['industry', 'branche', 'industrie'],
  churned_at: ['churned', 'churned at', 'churn date', 'churned on', 'lost date', 'abgewandert', 'abgewandert am', 'kundigungsdatum'],
  converted_at: ['converted', 'converted date', 'converted on', 'conversion date', 'konvertiert', 'konvertiert am'],
  converted_deal: ['converted opportunity', 'converted deal', 'opportunity id', 'konvertierte verkaufschance'],
  campaign: ['campaign', 'campaign name', 'kampagne'],
  subject: ['subject', 'title', 'betreff'],
  date: ['date', 'activity date', 'datum', 'aktivitatsdatum'],
  attendees: ['attendees', 'participants', 'teilnehmer', 'teilnehmende', 'teilnehmerzahl'],
  duration_minutes: ['duration', 'duration minutes', 'minutes', 'dauer', 'dauer minuten'],
  opened_at: ['opened', 'opened at', 'created date', 'create date', 'date opened', 'eroffnet', 'eroffnet am', 'erstellt am'],
  resolved_at: ['resolved', 'resolved at', 'closed date', 'date closed', 'gelost', 'gelost am', 'geschlossen am'],
  satisfaction: ['satisfaction', 'csat', 'satisfaction score', 'rating', 'zufriedenheit', 'bewertung'],
  priority: ['priority', 'prioritat'],
  in_referral_program: ['referral program', 'in referral program', 'referral', 'empfehlungsprogramm'],
  acquisition_channel: ['acquisition channel', 'akquisekanal'],
};

const EXT_ID_NAMES = [
  'opportunity id', 'record id', 'deal id', 'external id', 'ext id', 'extid', 'id', 'account id', 'lead id', 'ticket id', 'case id',
  'activity id', 'case number', 'ticket number', 'key', 'externe id', 'datensatz id', 'nummer', 'kennung', 'schlussel',
];

/** Lower case, accents off (ä → a, ß → ss), punctuation as spaces: 'Probability (%)' → 'probability', 'Währung' → 'wahrung'. */
export function normaliseHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function namesOf(field: FieldDef): string[] {
  return [field.key.replace(/_/g, ' '), normaliseHeader(field.label.en), normaliseHeader(field.label.de), ...(SYNONYMS[field.key] ?? [])];
}

export interface MappingSuggestion {
  mapping: ImportMapping | null;
  /** A built-in mapping the headers look like (e.g. 'salesforce'). */
  builtin: string | null;
  matched: { header: string; field: string }[];
  unmatchedHeaders: string[];
  /** Required fields no header matched. */
  missingRequired: string[];
  extIdColumn: string | null;
}

/**
 * Suggests a mapping for a file: by field names and synonyms; options guessed from the sample.
 * @example suggestMapping(DEALS, ['Opportunity ID', 'Betrag', 'Abschlussdatum'], []).matched // [{ header: 'Betrag', field: 'amount' }, …]
 */
export function suggestMapping(input: { dataset: DatasetDef; headers: readonly string[]; sample?: readonly (readonly string[])[]; delimiter?: string }): MappingSuggestion {
  const { dataset, headers } = input;
  const normalised = headers.map(normaliseHeader);
  const extIdIndex = EXT_ID_NAMES.map((name) => normalised.indexOf(name)).find((i) => i >= 0) ?? -1;
  const taken = new Set<number>(extIdIndex >= 0 ? [extIdIndex] : []);
  const columns: Record<string, string> = {};
  const matched: { header: string; field: string }[] = [];
  // Two rounds: the field's own key and labels first, then synonyms, so 'Account Name' goes to `account` when a 'Name' column exists.
  for (const round of [0, 1] as const) {
    for (const field of dataset.fields) {
      if (matched.some((m) => m.field === field.key)) continue;
      const names = round === 0 ? namesOf(field).slice(0, 3) : namesOf(field).slice(3);
      const index = normalised.findIndex((h, i) => !taken.has(i) && names.includes(h));
      if (index < 0) continue;
      const header = headers[index] ?? '';
      taken.add(index);
      columns[header] = field.key;
      matched.push({ header, field: field.key });
    }
  }
  const extIdColumn = extIdIndex >= 0 ? (headers[extIdIndex] ?? null) : null;
  const options = guessOptions(dataset, columns, headers, input.sample ?? [], input.delimiter);
  const missingRequired = dataset.fields.filter((f) => f.required && !matched.some((m) => m.field === f.key)).map((f) => f.key);
  return {
    mapping: extIdColumn === null ? null : completeMapping({ columns, extIdColumn, ...options }),
    builtin: detectBuiltinMapping(dataset.key, headers)?.name ?? null,
    matched,
    unmatchedHeaders: headers.filter((_h, i) => !taken.has(i)),
    missingRequired,
    extIdColumn,
  };
}

function guessOptions(dataset: DatasetDef, columns: Record<string, string>, headers: readonly string[], sample: readonly (readonly string[])[], delimiter?: string) {
  const valuesOf = (types: readonly string[]): string[] => {
    const indexes = Object.entries(columns)
      .filter(([, key]) => types.includes(dataset.fields.find((f) => f.key === key)?.type ?? ''))
      .map(([header]) => headers.indexOf(header));
    return sample.flatMap((cells) => indexes.map((i) => (cells[i] ?? '').trim())).filter((v) => v !== '');
  };
  const dates = valuesOf(['date', 'datetime']);
  const dateFormat: DateFormat = guessDateFormat(dates);
  const numbers = valuesOf(['money', 'number']);
  const commaDecimal = numbers.some((v) => /^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(v) || /^-?\d+,\d{1,3}$/.test(v));
  const dotThousands = numbers.some((v) => /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(v));
  if (commaDecimal || (delimiter === ';' && !dotThousands && numbers.some((v) => v.includes(',')))) {
    return { dateFormat, decimalSeparator: ',' as const, thousandsSeparator: '.' as const };
  }
  return { dateFormat, decimalSeparator: '.' as const, thousandsSeparator: dotThousands ? (',' as const) : ('' as const) };
}

/** The first format (ISO first; DD/MM before MM/DD only when a day above 12 shows it) that reads every sample date. */
export function guessDateFormat(values: readonly string[]): DateFormat {
  if (values.length === 0) return 'YYYY-MM-DD';
  const fits = DATE_FORMATS.filter((format) => values.every((v) => parseDate(v, format).ok));
  if (fits.includes('YYYY-MM-DD') && values.every((v) => parseDate(v, 'YYYY-MM-DD').ok)) return 'YYYY-MM-DD';
  if (fits.includes('DD.MM.YYYY')) return 'DD.MM.YYYY';
  if (fits.includes('MM/DD/YYYY') && fits.includes('DD/MM/YYYY')) return 'MM/DD/YYYY';
  return fits[0] ?? 'YYYY-MM-DD';
}

/**
 * A deterministic generator of realistic sales data, for the demo workspace and benchmarks.
 * Pure: a seed in, records out; the same seed gives the same data. Streaming: each dataset
 * is a generator that yields one record at a time (1,000,000 deals never sit in memory);
 * every entity is computed from (seed, index) alone, so deals can name their account
 * without the accounts being kept.
 *
 * What it models: an org (regions → teams → reps with start dates); accounts (segments,
 * regions, countries, industries, churn); deals (log-normal sizes by segment, quarter-end
 * and Q4 seasonality, win rates by type and segment, log-normal sales cycles, types
 * new/renewal/upsell/cross-sell, channels, products and product lines, contract terms);
 * leads (sources, conversion); activities (calls, meetings, webinars with attendees,
 * trainings, campaigns); tickets (open/resolve times, satisfaction); and a distributor
 * programme (consumption, machine deployments, deposits and maintenance fees per partner
 * per month).
 */
import type { DatasetDeclaration } from './dataset-declaration.js';
import type { RecordInput } from './record-input.js';
import { addDays, civilFromDays, daysFromCivil, daysInMonth, formatDate, formatInstant, formatScaled } from './values.js';

// ---------------------------------------------------------------------------------------
// Random numbers: a small, fast, seedable PRNG (mulberry32) and per-entity streams.

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight: [[value, weight], …]. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T;
  /** A standard normal deviate (Box–Muller). */
  normal(): number;
  /** exp(normal) scaled so the median is `median`. */
  logNormal(median: number, sigma: number): number;
  chance(p: number): boolean;
}

/** Mixes numbers into one 32-bit seed (a few rounds of an integer hash). */
export function hashSeed(...parts: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part | 0), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h ^ Math.floor(part / 4294967296), 0x85ebca6b);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32: a 32-bit state, good enough statistics for test data, and fast. A class, so no closures per entity. */
class Mulberry32 implements Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const choice of choices) total += choice[1];
    let r = this.next() * total;
    for (const choice of choices) {
      r -= choice[1];
      if (r < 0) return choice[0];
    }
    const last = choices[choices.length - 1];
    if (!last) throw new Error('weighted pick from an empty list');
    return last[0];
  }
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/**
 * @example createRng(42).int(10) // the same integer in 0…9 every time
 */
export function createRng(seed: number): Rng {
  return new Mulberry32(seed);
}

// Independent streams per kind of entity.
const STREAM = { org: 1, account: 2, deal: 3, lead: 4, activity: 5, ticket: 6, programme: 7, rep: 8 } as const;
const rngFor = (seed: number, stream: number, index: number): Rng => createRng(hashSeed(seed, stream, index));

// ---------------------------------------------------------------------------------------
// Configuration

export interface GeneratorConfig {
  seed: number;
  /** The first day of the generated history ('YYYY-MM-DD'). */
  start: string;
  /** The generation's today: deals that close after it are still open. */
  today: string;
  reps: number;
  deals: number;
  /** Default: deals ÷ 5, at least 30. */
  accounts?: number;
  /** Default: 1.5 × deals. */
  leads?: number;
  /** Default: 3 × deals. */
  activities?: number;
  /** Default: 0.6 × accounts. */
  tickets?: number;
  /** Distributor programme partners (default 8). */
  partners?: number;
  /** E-mail domain of generated people. */
  emailDomain?: string;
  /** Teams to put reps in, by region; default: a layout that grows with the number of reps. */
  teams?: readonly { region: string; name: string }[];
  /** People who exist already and count as reps (the demo's payees); generated reps fill up to `reps`. */
  existingReps?: readonly GeneratedRep[];
  /** Partners who exist already (the demo's distributor payees). */
  existingPartners?: readonly GeneratedPartner[];
}

export interface GeneratedRep {
  extRef: string;
  name: string;
  email: string;
  region: string;
  team: string;
  /** The first day they sell. */
  startDate: string;
  currency: string;
}

export interface GeneratedPartner {
  extRef: string;
  name: string;
  region: string;
}

export interface GeneratedOrg {
  regions: { name: string; currency: string; teams: string[] }[];
  reps: GeneratedRep[];
  partners: GeneratedPartner[];
}

interface Resolved {
  config: GeneratorConfig;
  startDay: number;
  todayDay: number;
  days: number;
  months: { year: number; month: number; firstDay: number; length: number }[];
  /** Seasonality: cumulative weight per month, for picking a month. */
  monthCdf: number[];
  accounts: number;
  org: GeneratedOrg;
  repsByRegion: Map<string, GeneratedRep[]>;
  repStartDays: Map<string, number>;
  regionChoices: (readonly [(typeof REGION_LAYOUT)[number], number])[];
}

const REGION_LAYOUT: readonly { name: string; currency: string; countries: readonly string[]; teams: readonly string[]; weight: number }[] = [
  { name: 'EMEA', currency: 'EUR', countries: ['DE', 'AT', 'CH', 'GB', 'FR', 'NL', 'SE', 'DK', 'ES', 'IT'], teams: ['DACH', 'Nordics', 'UK & Ireland', 'France', 'Benelux', 'Southern Europe'], weight: 5 },
  { name: 'Americas', currency: 'USD', countries: ['US', 'US', 'US', 'CA', 'BR', 'MX'], teams: ['East Coast', 'West Coast', 'Central', 'LATAM'], weight: 4 },
  { name: 'APAC', currency: 'USD', countries: ['AU', 'JP', 'SG', 'IN', 'NZ'], teams: ['ANZ', 'Japan', 'Southeast Asia', 'India'], weight: 2 },
];
const COUNTRIES_BY_TEAM: Record<string, readonly string[]> = {
  DACH: ['DE', 'DE', 'AT', 'CH'], Nordics: ['SE', 'DK', 'NO', 'FI'], 'UK & Ireland': ['GB', 'GB', 'IE'], France: ['FR'], Benelux: ['NL', 'BE', 'LU'],
  'Southern Europe': ['ES', 'IT', 'PT'], 'East Coast': ['US'], 'West Coast': ['US'], Central: ['US', 'CA'], LATAM: ['BR', 'MX', 'AR'],
  ANZ: ['AU', 'NZ'], Japan: ['JP'], 'Southeast Asia': ['SG', 'MY', 'TH'], India: ['IN'],
};
const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Elena', 'Felix', 'Greta', 'Hannah', 'Ivan', 'Julia', 'Karim', 'Lena', 'Mateo', 'Nina', 'Oscar', 'Paula',
  'Quentin', 'Rosa', 'Samuel', 'Tara', 'Umar', 'Valentina', 'William', 'Xenia', 'Yusuf', 'Zoe', 'Aiko', 'Bruno', 'Chloe', 'Diego', 'Emil', 'Freya', 'Gabriel',
  'Hugo', 'Ingrid', 'Jonas', 'Kaito', 'Lucia', 'Marta', 'Noah'];
const LAST = ['Schneider', 'Fischer', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Koch', 'Richter', 'Klein', 'Wolf', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun',
  'Hartmann', 'Lange', 'Walter', 'Krause', 'Lehmann', 'Köhler', 'Andersson', 'Nielsen', 'Dubois', 'Rossi', 'Garcia', 'Smith', 'Johnson', 'Brown', 'Taylor',
  'Martin', 'Tanaka', 'Sato', 'Silva', 'Novak', 'Kowalski', 'Jansen', 'Berg', 'Moreau', 'Costa', "O'Brien", 'Murphy', 'Kim', 'Patel', 'Singh', 'Cohen', 'Larsen',
  'Meier', 'Huber', 'Keller', 'Vogt'];
const COMPANY_A = ['Nordwind', 'Alpen', 'Blue River', 'Cedar', 'Delta', 'Evergreen', 'Falcon', 'Granite', 'Harbor', 'Iris', 'Juniper', 'Kestrel', 'Lumen',
  'Meridian', 'Nimbus', 'Orion', 'Pioneer', 'Quartz', 'Redwood', 'Summit', 'Tandem', 'Union', 'Vertex', 'Westwind', 'Zenith', 'Atlas', 'Beacon', 'Crescent'];
const COMPANY_B = ['Logistics', 'Foods', 'Health', 'Energy', 'Systems', 'Retail', 'Bank', 'Insurance', 'Manufacturing', 'Software', 'Pharma', 'Media',
  'Telecom', 'Automotive', 'Hotels', 'Engineering'];
const LEGAL: Record<string, readonly string[]> = { EMEA: ['GmbH', 'AG', 'Ltd', 'SA', 'BV', 'AB'], Americas: ['Inc.', 'LLC', 'Corp.'], APAC: ['Pty Ltd', 'K.K.', 'Pte Ltd'] };
const INDUSTRY_OF: Record<string, string> = {
  Logistics: 'logistics', Foods: 'consumer_goods', Health: 'healthcare', Energy: 'energy', Systems: 'technology', Retail: 'retail', Bank: 'financial_services',
  Insurance: 'financial_services', Manufacturing: 'manufacturing', Software: 'technology', Pharma: 'healthcare', Media: 'media', Telecom: 'telecom',
  Automotive: 'manufacturing', Hotels: 'hospitality', Engineering: 'manufacturing',
};
const PRODUCTS: readonly { line: string; name: string; weight: number; recurring: boolean }[] = [
  { line: 'Platform', name: 'Attain Core', weight: 30, recurring: true },
  { line: 'Platform', name: 'Attain Pro', weight: 18, recurring: true },
  { line: 'Platform', name: 'Attain Enterprise', weight: 7, recurring: true },
  { line: 'Analytics', name: 'Insights', weight: 18, recurring: true },
  { line: 'Analytics', name: 'Forecast+', weight: 12, recurring: true },
  { line: 'Services', name: 'Onboarding', weight: 8, recurring: false },
  { line: 'Services', name: 'Training', weight: 5, recurring: false },
  { line: 'Services', name: 'Premium Support', weight: 2, recurring: true },
];

export type Segment = 'smb' | 'mid_market' | 'enterprise';
const SEGMENT: Record<Segment, { dealMedian: number; cycleMedianDays: number; winNew: number; channels: readonly (readonly [string, number])[]; weight: number }> = {
  smb: { dealMedian: 6_000, cycleMedianDays: 21, winNew: 0.3, channels: [['online', 45], ['field', 35], ['partner', 20]], weight: 55 },
  mid_market: { dealMedian: 24_000, cycleMedianDays: 45, winNew: 0.24, channels: [['online', 12], ['field', 68], ['partner', 20]], weight: 30 },
  enterprise: { dealMedian: 110_000, cycleMedianDays: 95, winNew: 0.18, channels: [['online', 3], ['field', 82], ['partner', 15]], weight: 15 },
};
const SEGMENT_CHOICES = (Object.keys(SEGMENT) as Segment[]).map((segment) => [segment, SEGMENT[segment].weight] as const);
const PRODUCT_CHOICES = PRODUCTS.map((p) => [p, p.weight] as const);
const TYPE_LABEL = { new: 'New', renewal: 'Renewal', upsell: 'Upsell', cross_sell: 'Cross-sell' } as const;
const COMPANY_QUALIFIER = ['', 'Nord', 'Süd', 'West', 'Ost', 'Rhein', 'Pacific', 'Atlantic', 'Central', 'Global', 'United', 'First', 'Royal', 'Metro', 'Prime', 'Star'];
const TYPE_WEIGHTS: readonly (readonly ['new' | 'renewal' | 'upsell' | 'cross_sell', number])[] = [['new', 45], ['renewal', 20], ['upsell', 25], ['cross_sell', 10]];
const TYPE_FACTOR = { new: 1, renewal: 0.9, upsell: 0.4, cross_sell: 0.5 } as const;
const WIN_FACTOR = { new: 1, renewal: 3.6, upsell: 2.1, cross_sell: 1.5 } as const;
const OPEN_STAGES: readonly { stage: string; probability: number; until: number }[] = [
  { stage: 'prospecting', probability: 10, until: 0.25 },
  { stage: 'qualification', probability: 25, until: 0.5 },
  { stage: 'proposal', probability: 50, until: 0.75 },
  { stage: 'negotiation', probability: 75, until: Infinity },
];

const dayOf = (date: string): number => daysFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
const dateOf = (day: number): string => {
  const { year, month, day: d } = civilFromDays(day);
  return formatDate(year, month, d);
};
const money = (amountMinor: number): string => formatScaled(amountMinor, 2);

function slug(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/ß/g, 'ss').toLowerCase().replace(/[^a-z0-9]+/g, '');
}

// ---------------------------------------------------------------------------------------
// The org

/**
 * Regions, teams and reps. Reps are spread over teams of about eight; a quarter of the
 * generated reps join during the period (their deals start after their start date).
 */
export function generateOrg(config: GeneratorConfig): GeneratedOrg {
  const rng = rngFor(config.seed, STREAM.org, 0);
  const teamCount = Math.max(1, Math.ceil(config.reps / 8));
  let teams: { region: string; name: string }[];
  if (config.teams && config.teams.length > 0) teams = [...config.teams];
  else {
    teams = [];
    // Teams spread over regions by weight (EMEA, Americas, EMEA, APAC, …), each region's teams in order.
    const templates: { region: string; name: string }[] = [];
    const used = REGION_LAYOUT.map(() => 0);
    const total = REGION_LAYOUT.reduce((n, r) => n + r.teams.length, 0);
    while (templates.length < total) {
      let best = -1;
      REGION_LAYOUT.forEach((r, i) => {
        if ((used[i] ?? 0) >= r.teams.length) return;
        if (best < 0 || (used[i] ?? 0) / r.weight < (used[best] ?? 0) / (REGION_LAYOUT[best]?.weight ?? 1)) best = i;
      });
      const region = REGION_LAYOUT[best];
      if (!region) break;
      templates.push({ region: region.name, name: region.teams[used[best] ?? 0] ?? 'Sales' });
      used[best] = (used[best] ?? 0) + 1;
    }
    for (let i = 0; i < teamCount; i += 1) {
      const template = templates[i % templates.length];
      if (!template) break;
      const round = Math.floor(i / templates.length);
      teams.push({ region: template.region, name: round === 0 ? template.name : `${template.name} ${round + 1}` });
    }
  }
  const regions = REGION_LAYOUT.filter((r) => teams.some((t) => t.region === r.name)).map((r) => ({
    name: r.name, currency: r.currency, teams: teams.filter((t) => t.region === r.name).map((t) => t.name),
  }));
  const domain = config.emailDomain ?? 'example.com';
  const startDay = dayOf(config.start);
  const todayDay = dayOf(config.today);
  const reps: GeneratedRep[] = [...(config.existingReps ?? [])];
  const usedEmails = new Set(reps.map((r) => r.email));
  for (let i = 0; reps.length < config.reps; i += 1) {
    const team = teams[reps.length % teams.length] ?? { region: 'EMEA', name: 'Sales' };
    const first = FIRST[i % FIRST.length] ?? 'Alex';
    const last = LAST[(i * 7 + Math.floor(i / FIRST.length)) % LAST.length] ?? 'Doe';
    let email = `${slug(first)}.${slug(last)}@${domain}`;
    if (usedEmails.has(email)) email = `${slug(first)}.${slug(last)}.${i + 1}@${domain}`;
    usedEmails.add(email);
    const joinsLater = rng.chance(0.25);
    const startDate = joinsLater ? dateOf(startDay + rng.int(Math.max(1, todayDay - startDay - 60))) : dateOf(startDay - 30 - rng.int(1500));
    const region = REGION_LAYOUT.find((r) => r.name === team.region);
    reps.push({
      extRef: `REP-${String(i + 1).padStart(5, '0')}`,
      name: `${first} ${last}`,
      email,
      region: team.region,
      team: team.name,
      startDate,
      currency: region?.currency ?? 'EUR',
    });
  }
  const partners: GeneratedPartner[] = [...(config.existingPartners ?? [])];
  const partnerCount = config.partners ?? 8;
  for (let i = 0; partners.length < partnerCount; i += 1) {
    const region = regions[i % Math.max(1, regions.length)]?.name ?? 'EMEA';
    partners.push({ extRef: `PRT-${String(i + 601)}`, name: `${COMPANY_A[(i * 5 + 3) % COMPANY_A.length] ?? 'Partner'} Distribution ${LEGAL[region]?.[0] ?? 'GmbH'}`, region });
  }
  return { regions, reps, partners };
}

function resolve(config: GeneratorConfig): Resolved {
  const startDay = dayOf(config.start);
  const todayDay = dayOf(config.today);
  if (todayDay <= startDay) throw new Error('generator: today must be after start');
  const org = generateOrg(config);
  const months: Resolved['months'] = [];
  let { year, month } = civilFromDays(startDay);
  for (;;) {
    const firstDay = daysFromCivil(year, month, 1);
    if (firstDay > todayDay + 180) break;
    months.push({ year, month, firstDay, length: daysInMonth(year, month) });
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  // Seasonality: more deals toward each quarter's end, a strong Q4, and 15 % growth a year.
  const weights = months.map((m, i) => [0.85, 1, 1.2][(m.month - 1) % 3]! * (m.month >= 10 ? 1.25 : 1) * (1 + (0.15 * i) / 12));
  const monthCdf: number[] = [];
  let sum = 0;
  for (const w of weights) monthCdf.push((sum += w));
  const repsByRegion = new Map<string, GeneratedRep[]>();
  for (const rep of org.reps) repsByRegion.set(rep.region, [...(repsByRegion.get(rep.region) ?? []), rep]);
  return {
    config, startDay, todayDay, days: todayDay - startDay, months, monthCdf, org, repsByRegion,
    repStartDays: new Map(org.reps.map((r) => [r.extRef, dayOf(r.startDate)])),
    regionChoices: REGION_LAYOUT.filter((r) => repsByRegion.has(r.name)).map((r) => [r, r.weight] as const),
    accounts: config.accounts ?? Math.max(30, Math.round(config.deals / 5)),
  };
}

/** A day in the history, seasonal (months by weight), up to `today` when `pastOnly`. */
function seasonalDay(ctx: Resolved, rng: Rng, pastOnly = true): number {
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const total = ctx.monthCdf[ctx.monthCdf.length - 1] ?? 1;
    const r = rng.next() * total;
    let lo = 0;
    let hi = ctx.monthCdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ctx.monthCdf[mid] ?? 0) > r) hi = mid;
      else lo = mid + 1;
    }
    const m = ctx.months[lo];
    if (!m) break;
    const day = m.firstDay + rng.int(m.length);
    if (day >= ctx.startDay && (!pastOnly || day <= ctx.todayDay)) return day;
  }
  return ctx.startDay + rng.int(ctx.days + 1);
}

/** A rep of the region selling on `day` (started by then); any rep of the region when none has. */
function repFor(ctx: Resolved, region: string, day: number, rng: Rng, preferred?: GeneratedRep): GeneratedRep {
  if (preferred && (ctx.repStartDays.get(preferred.extRef) ?? 0) <= day) return preferred;
  const candidates = ctx.repsByRegion.get(region) ?? ctx.org.reps;
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const rep = rng.pick(candidates);
    if ((ctx.repStartDays.get(rep.extRef) ?? 0) <= day) return rep;
  }
  return rng.pick(candidates);
}

// ---------------------------------------------------------------------------------------
// Accounts

interface Account {
  index: number;
  extId: string;
  name: string;
  segment: Segment;
  region: string;
  country: string;
  industry: string;
  owner: GeneratedRep;
  createdDay: number;
  churnedDay: number | null;
}

function accountAt(ctx: Resolved, index: number): Account {
  const rng = rngFor(ctx.config.seed, STREAM.account, index);
  const regionDef = rng.weighted(ctx.regionChoices);
  const region = regionDef.name;
  const owner = rng.pick(ctx.repsByRegion.get(region) ?? ctx.org.reps);
  const country = rng.pick(COUNTRIES_BY_TEAM[owner.team.replace(/ \d+$/, '')] ?? regionDef.countries);
  const segment = rng.weighted(SEGMENT_CHOICES);
  // Names unique by index: (i mod A, (7i + i div A) mod B) repeats only after A × B accounts.
  const combos = COMPANY_A.length * COMPANY_B.length;
  const a = COMPANY_A[index % COMPANY_A.length] ?? 'Acme';
  const b = COMPANY_B[(index * 7 + Math.floor(index / COMPANY_A.length)) % COMPANY_B.length] ?? 'Systems';
  const round = Math.floor(index / combos);
  const qualifier = round === 0 ? '' : `${COMPANY_QUALIFIER[round % COMPANY_QUALIFIER.length] ?? ''} `;
  const suffix = round >= COMPANY_QUALIFIER.length ? ` ${Math.floor(round / COMPANY_QUALIFIER.length) + 1}` : '';
  const legal = rng.pick(LEGAL[region] ?? ['Ltd']);
  // 40 % were customers before the period starts.
  const createdDay = rng.chance(0.4) ? ctx.startDay - 1 - rng.int(1200) : seasonalDay(ctx, rng);
  const churnedDay = rng.chance(0.12) ? createdDay + 90 + rng.int(700) : null;
  return {
    index, extId: `A-${String(index + 1).padStart(6, '0')}`, name: `${qualifier}${a} ${b}${suffix} ${legal}`,
    segment, region, country, industry: INDUSTRY_OF[b] ?? 'other', owner, createdDay,
    churnedDay: churnedDay !== null && churnedDay <= ctx.todayDay ? churnedDay : null,
  };
}

/** Accounts: name, segment, region, country, industry, acquisition channel, owner, customer since, churn, referral programme. */
export function* generateAccounts(config: GeneratorConfig): Generator<RecordInput> {
  const ctx = resolve(config);
  for (let i = 0; i < ctx.accounts; i += 1) {
    const account = accountAt(ctx, i);
    const rng = rngFor(config.seed, STREAM.account, i + 0x100000);
    yield {
      extId: account.extId,
      values: {
        name: account.name,
        segment: account.segment,
        region: account.region,
        country: account.country,
        industry: account.industry,
        acquisition_channel: rng.weighted([['outbound', 35], ['inbound', 30], ['partner', 15], ['event', 10], ['referral', 10]]),
        owner: account.owner.extRef,
        created: dateOf(account.createdDay),
        churned_at: account.churnedDay === null ? null : dateOf(account.churnedDay),
        in_referral_program: rng.chance(0.15),
      },
    };
  }
}

/** Bigger accounts buy more: a skewed pick of an account index. */
function accountIndexFor(ctx: Resolved, rng: Rng): number {
  const u = rng.next();
  return Math.min(ctx.accounts - 1, Math.floor(ctx.accounts * u * u));
}

// ---------------------------------------------------------------------------------------
// Deals

export function dealExtId(index: number): string {
  return `D-${String(index + 1).padStart(7, '0')}`;
}

/** Deals: see the module comment for what drives sizes, dates, stages and types. */
export function* generateDeals(config: GeneratorConfig): Generator<RecordInput> {
  const ctx = resolve(config);
  for (let i = 0; i < config.deals; i += 1) yield dealAt(ctx, i);
}

function dealAt(ctx: Resolved, index: number): RecordInput {
  const rng = rngFor(ctx.config.seed, STREAM.deal, index);
  const account = accountAt(ctx, accountIndexFor(ctx, rng));
  const createdDay = Math.max(seasonalDay(ctx, rng), account.createdDay < ctx.startDay ? ctx.startDay : account.createdDay);
  const existingCustomer = account.createdDay < createdDay - 30;
  const type = existingCustomer ? rng.weighted(TYPE_WEIGHTS) : 'new';
  const seg = SEGMENT[account.segment];
  const owner = repFor(ctx, account.region, createdDay, rng, account.owner);
  const product = rng.weighted(PRODUCT_CHOICES);
  const cycleDays = Math.max(1, Math.round(rng.logNormal(seg.cycleMedianDays * (type === 'renewal' ? 0.6 : 1), 0.55)));
  const closeDay = createdDay + cycleDays;
  const amountMajor = rng.logNormal(seg.dealMedian * TYPE_FACTOR[type] * (product.line === 'Services' ? 0.35 : 1), 0.7);
  const amountMinor = Math.max(100_00, Math.round(amountMajor / 10) * 10 * 100);
  const region = REGION_LAYOUT.find((r) => r.name === account.region);
  let stage: string;
  let probability: number;
  if (closeDay <= ctx.todayDay) {
    const won = rng.chance(Math.min(0.95, seg.winNew * WIN_FACTOR[type]));
    stage = won ? 'closed_won' : 'closed_lost';
    probability = won ? 100 : 0;
  } else {
    const elapsed = (ctx.todayDay - createdDay) / cycleDays;
    const open = OPEN_STAGES.find((s) => elapsed < s.until) ?? OPEN_STAGES[OPEN_STAGES.length - 1];
    stage = open?.stage ?? 'prospecting';
    probability = open?.probability ?? 10;
  }
  const won = stage === 'closed_won';
  const termMonths = product.recurring ? rng.weighted([[12, 60], [24, 25], [36, 15]] as const) : null;
  const contractStartDay = won && termMonths !== null ? closeDay + rng.int(15) : null;
  let contractEnd: string | null = null;
  if (contractStartDay !== null && termMonths !== null) {
    const start = civilFromDays(contractStartDay);
    const monthIndex = start.month - 1 + termMonths;
    const endYear = start.year + Math.floor(monthIndex / 12);
    const endMonth = (monthIndex % 12) + 1;
    contractEnd = addDays(formatDate(endYear, endMonth, Math.min(start.day, daysInMonth(endYear, endMonth))), -1);
  }
  const typeLabel = TYPE_LABEL[type];
  return {
    extId: dealExtId(index),
    values: {
      name: `${account.name} – ${product.name} (${typeLabel})`,
      account: account.extId,
      owner: owner.extRef,
      amount: money(amountMinor),
      currency: region?.currency ?? 'EUR',
      stage,
      probability: String(probability),
      created: dateOf(createdDay),
      close_date: dateOf(closeDay),
      product: product.name,
      product_line: product.line,
      region: account.region,
      territory: account.country,
      type,
      channel: rng.weighted(seg.channels),
      lead_source: type === 'new' ? rng.weighted([['web', 35], ['outbound', 25], ['event', 15], ['referral', 15], ['partner', 10]]) : 'existing_customer',
      pipeline: type === 'renewal' ? 'renewals' : 'sales',
      contract_start: contractStartDay === null ? null : dateOf(contractStartDay),
      contract_end: contractEnd,
      term_months: contractStartDay === null ? null : String(termMonths),
    },
  };
}

// ---------------------------------------------------------------------------------------
// Leads, activities, tickets

/** Leads: source, owner, created; about 18 % convert into a deal within weeks. */
export function* generateLeads(config: GeneratorConfig): Generator<RecordInput> {
  const ctx = resolve(config);
  const count = config.leads ?? Math.round(config.deals * 1.5);
  const campaigns = ['Spring Webinar Series', 'Trade Fair', 'Summer Promotion', 'Year-End Push', 'Partner Days'];
  for (let i = 0; i < count; i += 1) {
    const rng = rngFor(config.seed, STREAM.lead, i);
    const day = seasonalDay(ctx, rng);
    const region = rng.weighted(ctx.org.regions.map((r) => [r.name, REGION_LAYOUT.find((l) => l.name === r.name)?.weight ?? 1] as const));
    const source = rng.weighted([['web', 40], ['event', 20], ['webinar', 15], ['referral', 10], ['outbound', 15]]);
    const convertedDay = rng.chance(source === 'referral' ? 0.32 : 0.18) ? day + Math.max(1, Math.round(rng.logNormal(14, 0.6))) : null;
    const converted = convertedDay !== null && convertedDay <= ctx.todayDay;
    const year = civilFromDays(day).year;
    yield {
      extId: `L-${String(i + 1).padStart(7, '0')}`,
      values: {
        name: `${rng.pick(FIRST)} ${rng.pick(LAST)}, ${rng.pick(COMPANY_A)} ${rng.pick(COMPANY_B)}`,
        source,
        owner: repFor(ctx, region, day, rng).extRef,
        created: dateOf(day),
        converted_at: converted ? dateOf(convertedDay) : null,
        converted_deal: converted ? dealExtId(rng.int(Math.max(1, config.deals))) : null,
        region,
        campaign: source === 'event' || source === 'webinar' ? `${rng.pick(campaigns)} ${year}` : null,
      },
    };
  }
}

/** Activities: calls, meetings, webinars (with attendees), trainings, campaigns; on weekdays. */
export function* generateActivities(config: GeneratorConfig): Generator<RecordInput> {
  const ctx = resolve(config);
  const count = config.activities ?? config.deals * 3;
  for (let i = 0; i < count; i += 1) {
    const rng = rngFor(config.seed, STREAM.activity, i);
    let day = seasonalDay(ctx, rng);
    const weekday = (((day + 3) % 7) + 7) % 7; // 0 = Monday (1970-01-01 was a Thursday)
    if (weekday >= 5) day -= weekday - 4;
    const account = accountAt(ctx, accountIndexFor(ctx, rng));
    const type = rng.weighted([['call', 55], ['meeting', 25], ['webinar', 6], ['training', 6], ['campaign', 8]] as const);
    const shape = {
      call: { attendees: 1 + rng.int(2), minutes: 5 + rng.int(26), subject: 'Call' },
      meeting: { attendees: 2 + rng.int(5), minutes: 30 + 15 * rng.int(5), subject: 'Meeting' },
      webinar: { attendees: Math.round(rng.logNormal(60, 0.8)) + 5, minutes: 45 + 15 * rng.int(2), subject: 'Webinar' },
      training: { attendees: 5 + rng.int(26), minutes: 60 + 30 * rng.int(7), subject: 'Training' },
      campaign: { attendees: Math.round(rng.logNormal(800, 1)) + 50, minutes: null, subject: 'Campaign' },
    }[type];
    yield {
      extId: `ACT-${String(i + 1).padStart(8, '0')}`,
      values: {
        type,
        subject: `${shape.subject}: ${account.name}`,
        account: account.extId,
        owner: repFor(ctx, account.region, day, rng, account.owner).extRef,
        date: dateOf(day),
        attendees: String(shape.attendees),
        duration_minutes: shape.minutes === null ? null : String(shape.minutes),
      },
    };
  }
}

/** Tickets and complaints: opened in working hours; resolution times log-normal (about two thirds within 24 h); satisfaction falls with waiting. */
export function* generateTickets(config: GeneratorConfig): Generator<RecordInput> {
  const ctx = resolve(config);
  const count = config.tickets ?? Math.round(ctx.accounts * 0.6);
  const nowMs = ctx.todayDay * 86_400_000 + 17 * 3_600_000;
  for (let i = 0; i < count; i += 1) {
    const rng = rngFor(config.seed, STREAM.ticket, i);
    const day = seasonalDay(ctx, rng);
    const account = accountAt(ctx, accountIndexFor(ctx, rng));
    const openedMs = day * 86_400_000 + (7 + rng.int(11)) * 3_600_000 + rng.int(60) * 60_000;
    const type = rng.weighted([['question', 50], ['incident', 30], ['complaint', 20]] as const);
    const hours = rng.logNormal(type === 'complaint' ? 14 : 9, 1.1);
    const resolvedMs = openedMs + Math.round(hours * 3_600_000 / 60_000) * 60_000;
    const resolved = resolvedMs <= nowMs;
    const satisfaction = resolved ? Math.min(5, Math.max(1, Math.round((5 - Math.log2(1 + hours / 12) + rng.normal() * 0.7) * 2) / 2)) : null;
    yield {
      extId: `T-${String(i + 1).padStart(7, '0')}`,
      values: {
        subject: `${type === 'complaint' ? 'Complaint' : type === 'incident' ? 'Incident' : 'Question'} from ${account.name}`,
        customer: account.extId,
        type,
        priority: rng.weighted([['low', 25], ['normal', 50], ['high', 20], ['urgent', 5]]),
        owner: account.owner.extRef,
        opened_at: formatInstant(openedMs),
        resolved_at: resolved ? formatInstant(resolvedMs) : null,
        satisfaction: satisfaction === null ? null : satisfaction.toFixed(1),
      },
    };
  }
}

// ---------------------------------------------------------------------------------------
// The distributor programme (a custom dataset)

export const DISTRIBUTOR_PROGRAMME: DatasetDeclaration = {
  key: 'distributor_programme',
  label: { en: 'Distributor programme', de: 'Distributorenprogramm' },
  fields: [
    { key: 'partner', label: { en: 'Partner', de: 'Partner' }, type: 'payee', required: true },
    { key: 'month', label: { en: 'Month', de: 'Monat' }, type: 'date', required: true },
    { key: 'product_line', label: { en: 'Product line', de: 'Produktlinie' }, type: 'text' },
    { key: 'consumption_volume', label: { en: 'Consumption (t)', de: 'Verbrauch (t)' }, type: 'number', scale: 3 },
    { key: 'machines_deployed', label: { en: 'Machines deployed', de: 'Aufgestellte Maschinen' }, type: 'number', scale: 0 },
    { key: 'machines_in_field', label: { en: 'Machines in the field', de: 'Maschinen im Feld' }, type: 'number', scale: 0 },
    { key: 'deposits', label: { en: 'Deposits', de: 'Kautionen' }, type: 'money' },
    { key: 'maintenance_fees', label: { en: 'Maintenance fees', de: 'Wartungsgebühren' }, type: 'money' },
  ],
};

/** One row per partner per month: consumption grows with the machines in the field; new machines bring deposits; every machine a monthly maintenance fee. */
export function* generateDistributorProgramme(config: GeneratorConfig): Generator<RecordInput> {
  const ctx = resolve(config);
  const lastMonth = civilFromDays(ctx.todayDay);
  for (const [p, partner] of ctx.org.partners.entries()) {
    const rng = rngFor(config.seed, STREAM.programme, p);
    const line = rng.pick(['Coffee systems', 'Water dispensers', 'Vending']);
    let machines = 5 + rng.int(30);
    for (const m of ctx.months) {
      if (m.year > lastMonth.year || (m.year === lastMonth.year && m.month > lastMonth.month)) break;
      const deployed = Math.max(0, Math.round(rng.logNormal(2, 0.8)) - (rng.chance(0.2) ? 2 : 0));
      machines += deployed - (rng.chance(0.1) ? 1 : 0);
      const season = [1.15, 1.1, 1, 0.95, 0.9, 0.85, 0.8, 0.85, 0.95, 1, 1.1, 1.2][m.month - 1] ?? 1;
      const volumeKg = Math.round(machines * 450 * season * (0.85 + rng.next() * 0.3));
      yield {
        extId: `DP-${partner.extRef}-${formatDate(m.year, m.month, 1).slice(0, 7)}`,
        values: {
          partner: partner.extRef,
          month: formatDate(m.year, m.month, 1),
          product_line: line,
          consumption_volume: formatScaled(volumeKg, 3),
          machines_deployed: String(deployed),
          machines_in_field: String(machines),
          deposits: money(deployed * 500_00),
          maintenance_fees: money(machines * 35_00),
        },
      };
    }
  }
}

/** How many rows each generator yields for a configuration (for progress bars). */
export function generatedCounts(config: GeneratorConfig): Record<'accounts' | 'deals' | 'leads' | 'activities' | 'tickets', number> {
  const accounts = config.accounts ?? Math.max(30, Math.round(config.deals / 5));
  return {
    accounts,
    deals: config.deals,
    leads: config.leads ?? Math.round(config.deals * 1.5),
    activities: config.activities ?? config.deals * 3,
    tickets: config.tickets ?? Math.round(accounts * 0.6),
  };
}

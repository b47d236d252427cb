/**
 * Territories: who sells where, defined by criteria, in a hierarchy.
 *
 * Matching: a record matches a territory's own criteria when it matches every dimension the
 * criteria name (AND across dimensions) with any of the listed values (OR within one); a
 * dimension left out matches everything. Text compares trimmed and case-insensitively.
 * A child matches only records its parent matches (criteria narrow down the tree).
 *
 * Postcodes compare as strings after removing spaces and hyphens and upper-casing, so give
 * bounds of the same length as the postcodes ('10000'–'19999'); a `to` bound also covers
 * the postcodes it is a prefix of ('SW1'–'SW9' covers 'SW9 1AA'). A range with a country
 * applies only to records in that country.
 */

export interface PostcodeRange {
  country?: string;
  /** Inclusive. */
  from: string;
  /** Inclusive (and a prefix: see the module comment). */
  to: string;
}

export interface TerritoryCriteria {
  regions?: readonly string[];
  /** ISO 3166 alpha-2 codes. */
  countries?: readonly string[];
  postcodeRanges?: readonly PostcodeRange[];
  productLines?: readonly string[];
  segments?: readonly string[];
  /** Account ids (external refs). */
  namedAccounts?: readonly string[];
}

export interface Territory {
  id: string;
  name: string;
  parentId: string | null;
  criteria: TerritoryCriteria;
}

/** The attributes of a record (deal, account, lead) that territories match on. */
export interface TerritoryRecord {
  id: string;
  region?: string | null;
  country?: string | null;
  postcode?: string | null;
  productLine?: string | null;
  segment?: string | null;
  accountId?: string | null;
}

export type TerritoryDimension = 'regions' | 'countries' | 'postcodeRanges' | 'productLines' | 'segments' | 'namedAccounts';
export const TERRITORY_DIMENSIONS = ['regions', 'countries', 'postcodeRanges', 'productLines', 'segments', 'namedAccounts'] as const satisfies readonly TerritoryDimension[];

export interface TerritoryIssue {
  code: 'duplicate_territory' | 'unknown_parent' | 'cycle' | 'bad_postcode_range' | 'empty_value' | 'matches_everything';
  severity: 'error' | 'warning';
  path: string;
  message: string;
}

const norm = (value: string): string => value.trim().toLowerCase();
export const normalisePostcode = (value: string): string => value.replace(/[\s-]+/g, '').toUpperCase();

interface CompiledCriteria {
  sets: Partial<Record<Exclude<TerritoryDimension, 'postcodeRanges'>, Set<string>>>;
  ranges: { country: string | null; from: string; to: string }[] | null;
}

export interface TerritoryIndex {
  territories: readonly Territory[];
  byId: Map<string, Territory>;
  children: Map<string | null, Territory[]>;
  compiled: Map<string, CompiledCriteria>;
}

function compile(criteria: TerritoryCriteria): CompiledCriteria {
  const sets: CompiledCriteria['sets'] = {};
  const put = (key: Exclude<TerritoryDimension, 'postcodeRanges'>, values: readonly string[] | undefined): void => {
    if (values && values.length > 0) sets[key] = new Set(values.map(norm));
  };
  put('regions', criteria.regions);
  put('countries', criteria.countries);
  put('productLines', criteria.productLines);
  put('segments', criteria.segments);
  put('namedAccounts', criteria.namedAccounts);
  const ranges = criteria.postcodeRanges && criteria.postcodeRanges.length > 0
    ? criteria.postcodeRanges.map((r) => ({ country: r.country ? norm(r.country) : null, from: normalisePostcode(r.from), to: normalisePostcode(r.to) }))
    : null;
  return { sets, ranges };
}

const inRange = (code: string, from: string, to: string): boolean => code >= from && (code <= to || code.startsWith(to));

function matchesOwn(c: CompiledCriteria, record: TerritoryRecord): boolean {
  const field = { regions: record.region, countries: record.country, productLines: record.productLine, segments: record.segment, namedAccounts: record.accountId } as const;
  for (const key of Object.keys(c.sets) as (keyof typeof field)[]) {
    const set = c.sets[key];
    const value = field[key];
    if (!set) continue;
    if (value === null || value === undefined || !set.has(norm(value))) return false;
  }
  if (c.ranges) {
    if (!record.postcode) return false;
    const code = normalisePostcode(record.postcode);
    const country = record.country ? norm(record.country) : null;
    if (!c.ranges.some((r) => (r.country === null || r.country === country) && inRange(code, r.from, r.to))) return false;
  }
  return true;
}

/** Indexes territories for matching (build once, attribute many records). */
export function indexTerritories(territories: readonly Territory[]): TerritoryIndex {
  const byId = new Map(territories.map((t) => [t.id, t] as const));
  const children = new Map<string | null, Territory[]>();
  for (const t of territories) {
    const parent = t.parentId !== null && byId.has(t.parentId) ? t.parentId : null;
    const list = children.get(parent);
    if (list) list.push(t);
    else children.set(parent, [t]);
  }
  return { territories, byId, children, compiled: new Map(territories.map((t) => [t.id, compile(t.criteria)] as const)) };
}

/**
 * Checks ids, parents (no cycles) and criteria.
 * @example validateTerritories([{ id: 'dach', name: 'DACH', parentId: 'emea', criteria: {} }]).issues[0].code // 'unknown_parent'
 */
export function validateTerritories(territories: readonly Territory[]): { ok: boolean; issues: TerritoryIssue[] } {
  const issues: TerritoryIssue[] = [];
  const ids = new Set<string>();
  territories.forEach((t, i) => {
    if (ids.has(t.id)) issues.push({ code: 'duplicate_territory', severity: 'error', path: `territories.${i}.id`, message: `territory "${t.id}" appears twice` });
    ids.add(t.id);
  });
  const byId = new Map(territories.map((t) => [t.id, t] as const));
  territories.forEach((t, i) => {
    if (t.parentId !== null && !byId.has(t.parentId)) issues.push({ code: 'unknown_parent', severity: 'error', path: `territories.${i}.parentId`, message: `no territory "${t.parentId}"` });
    const seen = new Set<string>([t.id]);
    for (let p = t.parentId; p !== null; p = byId.get(p)?.parentId ?? null) {
      if (seen.has(p)) {
        issues.push({ code: 'cycle', severity: 'error', path: `territories.${i}.parentId`, message: `"${t.id}" is its own ancestor` });
        break;
      }
      seen.add(p);
    }
    const c = t.criteria;
    for (const key of TERRITORY_DIMENSIONS) {
      if (key === 'postcodeRanges') continue;
      (c[key] ?? []).forEach((v, j) => {
        if (v.trim() === '') issues.push({ code: 'empty_value', severity: 'error', path: `territories.${i}.criteria.${key}.${j}`, message: 'an empty value matches nothing' });
      });
    }
    (c.postcodeRanges ?? []).forEach((r, j) => {
      const from = normalisePostcode(r.from);
      const to = normalisePostcode(r.to);
      if (from === '' || to === '' || from > to) issues.push({ code: 'bad_postcode_range', severity: 'error', path: `territories.${i}.criteria.postcodeRanges.${j}`, message: `"${r.from}" – "${r.to}" is not a range` });
    });
    if (TERRITORY_DIMENSIONS.every((key) => (c[key] ?? []).length === 0)) {
      issues.push({ code: 'matches_everything', severity: 'warning', path: `territories.${i}.criteria`, message: `"${t.id}" has no criteria: it matches every record its parent matches` });
    }
  });
  return { ok: !issues.some((i) => i.severity === 'error'), issues };
}

/**
 * Every territory a record falls in, parents before children (a child only when its parent
 * matches). Overlaps are kept: two sibling matches both come back.
 * @example attributeRecord({ id: 'D-1', country: 'DE', postcode: '10115' }, territories) // ['emea', 'dach', 'berlin']
 */
export function attributeRecord(record: TerritoryRecord, territories: TerritoryIndex | readonly Territory[]): string[] {
  const index = 'compiled' in territories ? territories : indexTerritories(territories);
  const out: string[] = [];
  const visit = (parentId: string | null): void => {
    for (const t of index.children.get(parentId) ?? []) {
      const c = index.compiled.get(t.id);
      if (c && matchesOwn(c, record)) {
        out.push(t.id);
        visit(t.id);
      }
    }
  };
  visit(null);
  return out;
}

/** The most specific of a record's territories (matched, with no matched child). */
export function deepestTerritories(matched: readonly string[], territories: TerritoryIndex | readonly Territory[]): string[] {
  const index = 'compiled' in territories ? territories : indexTerritories(territories);
  const set = new Set(matched);
  return matched.filter((id) => !(index.children.get(id) ?? []).some((child) => set.has(child.id)));
}

/** Whether two criteria can match a common record (a left-out dimension matches everything; country and postcode ranges are checked per dimension). */
export function criteriaIntersect(a: TerritoryCriteria, b: TerritoryCriteria): boolean {
  const lists = ['regions', 'countries', 'productLines', 'segments', 'namedAccounts'] as const;
  for (const key of lists) {
    const x = a[key];
    const y = b[key];
    if (!x || x.length === 0 || !y || y.length === 0) continue;
    const set = new Set(x.map(norm));
    if (!y.some((v) => set.has(norm(v)))) return false;
  }
  const ra = a.postcodeRanges;
  const rb = b.postcodeRanges;
  if (ra && ra.length > 0 && rb && rb.length > 0) {
    const hit = ra.some((r) => rb.some((s) => {
      if (r.country && s.country && norm(r.country) !== norm(s.country)) return false;
      const lo = [normalisePostcode(r.from), normalisePostcode(s.from)].sort()[1] as string;
      const top = (x: string, y: string): boolean => inRange(lo, '', x) && inRange(lo, '', y);
      return top(normalisePostcode(r.to), normalisePostcode(s.to));
    }));
    if (!hit) return false;
  }
  return true;
}

/**
 * Coverage of a territory design over records: which records fall into more than one
 * sibling territory (overlaps) and which fall into none (gaps), and which sibling criteria
 * could overlap at all. Reported, never resolved: the design is the user's to fix (or an
 * overlap is deliberate, e.g. an overlay territory).
 */
import { attributeRecord, criteriaIntersect, indexTerritories, type Territory, type TerritoryRecord } from './territory.js';

export interface CoverageOverlap {
  recordId: string;
  /** The common parent of the overlapping territories; null = top level. */
  parentId: string | null;
  territoryIds: string[];
}

export interface CoverageGap {
  recordId: string;
  /** null: no top-level territory matches; otherwise the territory none of whose children match. */
  parentId: string | null;
}

export interface CriteriaOverlap {
  parentId: string | null;
  territoryIds: [string, string];
}

export interface CoverageReport {
  records: number;
  /** Records in at least one top-level territory. */
  covered: number;
  overlaps: CoverageOverlap[];
  gaps: CoverageGap[];
  /** Records per territory (a record counts in every territory it matches). */
  recordsByTerritory: { territoryId: string; records: number }[];
  /** Sibling pairs whose criteria intersect (found without any record). */
  criteriaOverlaps: CriteriaOverlap[];
}

/**
 * @example coverageReport({ records, territories }).gaps // [{ recordId: 'D-9', parentId: null }]
 */
export function coverageReport(input: { records: readonly TerritoryRecord[]; territories: readonly Territory[] }): CoverageReport {
  const index = indexTerritories(input.territories);
  const counts = new Map<string, number>(input.territories.map((t) => [t.id, 0] as const));
  const overlaps: CoverageOverlap[] = [];
  const gaps: CoverageGap[] = [];
  let covered = 0;
  for (const record of input.records) {
    const matched = attributeRecord(record, index);
    const set = new Set(matched);
    for (const id of matched) counts.set(id, (counts.get(id) ?? 0) + 1);
    const check = (parentId: string | null): void => {
      const kids = index.children.get(parentId) ?? [];
      if (kids.length === 0) return;
      const hits = kids.filter((k) => set.has(k.id)).map((k) => k.id);
      if (hits.length === 0) gaps.push({ recordId: record.id, parentId });
      else if (hits.length > 1) overlaps.push({ recordId: record.id, parentId, territoryIds: hits });
    };
    check(null);
    if (matched.length > 0) covered += 1;
    for (const id of matched) check(id);
  }
  const criteriaOverlaps: CriteriaOverlap[] = [];
  for (const [parentId, kids] of index.children) {
    for (let i = 0; i < kids.length; i += 1) {
      for (let j = i + 1; j < kids.length; j += 1) {
        const a = kids[i] as Territory;
        const b = kids[j] as Territory;
        if (criteriaIntersect(a.criteria, b.criteria)) criteriaOverlaps.push({ parentId, territoryIds: [a.id, b.id] });
      }
    }
  }
  return {
    records: input.records.length,
    covered,
    overlaps,
    gaps,
    recordsByTerritory: input.territories.map((t) => ({ territoryId: t.id, records: counts.get(t.id) ?? 0 })),
    criteriaOverlaps,
  };
}

/**
 * Crediting: records (deals, custom-dataset rows) → credits, the amounts each payee is
 * credited with. Kinds (a component chooses which it counts):
 * - owner:     the record's owner, 100 %, when the record has no splits;
 * - split:     the split's payees; percentages must sum to exactly 100 % and the amount is
 *              allocated by largest remainder, so the parts add up to the record;
 * - overlay:   specialists credited on top (a percentage of the amount, default 100 %),
 *              without reducing anyone's credit;
 * - team:      every member of a team named in `teamCredit` gets the whole amount of a
 *              record owned (or split) by a member;
 * - manager:   roll-up through the team tree: the manager of each team above a directly
 *              credited payee gets the amount that payee was credited (one credit per
 *              record and manager, summed over the payees below);
 * - territory: payees assigned to the record's territories (given on the record or by
 *              `territoryOf`), a percentage each (default 100 %).
 * Deterministic: credits come out in record order (the calculation sorts each payee's
 * credits with `compareCredits`: by date, record id and kind).
 */
import { epochDay } from '../period.js';
import { allocate, compare, minor, mul, parseDecimal, rational, roundMinor, fromMinor, type Rational } from './money.js';
import type { CompIssue, CreditKind, FieldValue } from './plan.js';

export interface CompRecord {
  id: string;
  /** Dataset key (default 'deals'). */
  dataset?: string;
  /** Signed minor units (negative for credit notes and returns). */
  amountMinor: number;
  currency: string;
  ownerId: string;
  /** The crediting date, 'YYYY-MM-DD' (a deal's close date). */
  date: string;
  fields?: Readonly<Record<string, FieldValue>>;
  /** Percentages as exact decimals ('60', '33.34'); must sum to 100. */
  splits?: readonly { payeeId: string; percent: string }[];
  overlays?: readonly { payeeId: string; percent?: string }[];
  territoryIds?: readonly string[];
}

export interface TeamNode {
  id: string;
  parentId: string | null;
  managerId: string | null;
  memberIds: readonly string[];
}

export interface CreditingRules {
  teams?: readonly TeamNode[];
  /** Manager roll-up through the team tree (default on when teams are given). */
  managerRollup?: boolean;
  /** Teams whose members all get team credit for their teammates' records. */
  teamCredit?: readonly string[];
  territories?: readonly { territoryId: string; payeeId: string; percent?: string }[];
  /** Territories of a record when it carries none. */
  territoryOf?: (record: CompRecord) => readonly string[];
}

export interface Credit {
  recordId: string;
  payeeId: string;
  kind: CreditKind;
  amountMinor: number;
  /** The payee's share of the record, as written ('100', '60'). */
  percent: string;
  /** Epoch day of the record's date (for fast period checks). */
  day: number;
  record: CompRecord;
}

export interface CreditingResult {
  credits: Credit[];
  issues: CompIssue[];
}

const HUNDRED = rational(100n);
/** Percent as an integer weight with 9 decimals (for largest-remainder allocation). */
const SCALE = 10n ** 9n;
const weightOf = (percent: Rational): bigint => (percent.num * SCALE) / percent.den;

/**
 * Splits an amount by percentages (exact decimals summing to 100) by largest remainder.
 * @example allocateSplits(10_001, ['50', '50']) // [5001, 5000]
 */
export function allocateSplits(amountMinor: number, percents: readonly string[], cache?: Map<string, Rational | null>): number[] | null {
  const parsed = percents.map((p) => {
    if (!cache) return parseDecimal(p);
    let r = cache.get(p);
    if (r === undefined) {
      r = parseDecimal(p);
      cache.set(p, r);
    }
    return r;
  });
  if (parsed.some((p) => p === null || p.num < 0n)) return null;
  const rs = parsed as Rational[];
  const sum = rs.reduce((a, b) => rational(a.num * b.den + b.num * a.den, a.den * b.den), rational(0n));
  if (compare(sum, HUNDRED) !== 0) return null;
  return allocate(amountMinor, rs.map(weightOf));
}

function percentOf(amountMinor: number, percent: string | undefined): number | null {
  if (percent === undefined) return amountMinor;
  const p = parseDecimal(percent);
  if (p === null || p.num < 0n) return null;
  return roundMinor(mul(fromMinor(amountMinor), rational(p.num, p.den * 100n)));
}

const KIND_ORDER: Record<CreditKind, number> = { owner: 0, split: 1, overlay: 2, team: 3, manager: 4, territory: 5 };

export function compareCredits(a: Credit, b: Credit): number {
  if (a.day !== b.day && a.payeeId === b.payeeId) return a.day - b.day;
  if (a.payeeId !== b.payeeId) return a.payeeId < b.payeeId ? -1 : 1;
  if (a.recordId !== b.recordId) return a.recordId < b.recordId ? -1 : 1;
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
}

/** compareCredits for credits of one payee (the engine sorts each payee's list): no payee ids to compare. */
export function compareCreditsOfPayee(a: Credit, b: Credit): number {
  if (a.day !== b.day) return a.day - b.day;
  if (a.recordId !== b.recordId) return a.recordId < b.recordId ? -1 : 1;
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
}

/** A credit (the one shape every credit has, whatever its kind). */
function creditOf(record: CompRecord, day: number, payeeId: string, kind: CreditKind, amountMinor: number, percent: string): Credit {
  return { recordId: record.id, payeeId, kind, amountMinor, percent, day, record };
}

/**
 * Credits records to payees.
 * @example creditRecords([makeDeal({ id: 'd1', amountMinor: 10_000, ownerId: 'ann', splits: [{ payeeId: 'ann', percent: '60' }, { payeeId: 'bob', percent: '40' }] })]).credits
 *   // [{ recordId: 'd1', payeeId: 'ann', kind: 'split', amountMinor: 6000, … }, { … payeeId: 'bob', amountMinor: 4000 }]
 */
export function creditRecords(records: readonly CompRecord[], rules: CreditingRules = {}): CreditingResult {
  return creditRecordsTallying(records, rules, null);
}

/**
 * The revenue of a period, added up while crediting reads each record anyway (calculate.ts):
 * Σ amount of the records dated in [startDay, endDay), per currency, in record order — a
 * running sum per run of records in one currency, each partial sum guarded by `minor`.
 */
export interface RevenueTally {
  readonly startDay: number;
  readonly endDay: number;
  readonly byCurrency: Map<string, number>;
  currency: string | undefined;
  sum: number;
}

export const revenueTally = (startDay: number, endDay: number): RevenueTally => ({ startDay, endDay, byCurrency: new Map(), currency: undefined, sum: 0 });

function tallyRecord(t: RevenueTally, record: CompRecord, day: number): void {
  if (day < t.startDay || day >= t.endDay) return;
  if (record.currency !== t.currency) {
    if (t.currency !== undefined) t.byCurrency.set(t.currency, t.sum);
    t.currency = record.currency;
    t.sum = t.byCurrency.get(record.currency) ?? 0;
  }
  t.sum = minor(t.sum + record.amountMinor);
}

/** creditRecords, adding up the revenue of every record (credited or not) into `tally`. */
export function creditRecordsTallying(records: readonly CompRecord[], rules: CreditingRules, tally: RevenueTally | null): CreditingResult {
  const credits: Credit[] = [];
  const issues: CompIssue[] = [];
  const teams = rules.teams ?? [];
  const teamById = new Map(teams.map((t) => [t.id, t]));
  const teamsOf = new Map<string, TeamNode[]>();
  for (const team of teams) for (const member of team.memberIds) teamsOf.set(member, [...(teamsOf.get(member) ?? []), team]);
  const teamCredit = new Set(rules.teamCredit ?? []);
  const territoryPayees = new Map<string, { payeeId: string; percent?: string }[]>();
  for (const t of rules.territories ?? []) territoryPayees.set(t.territoryId, [...(territoryPayees.get(t.territoryId) ?? []), t.percent === undefined ? { payeeId: t.payeeId } : { payeeId: t.payeeId, percent: t.percent }]);
  // Without a manager in any team the roll-up credits no one: records take the short way.
  const rollup = (rules.managerRollup ?? teams.length > 0) && teams.some((t) => t.managerId);

  /** Managers above a payee, nearest first (each once; the payee never manages itself). */
  const managersCache = new Map<string, string[]>();
  const managersOf = (payeeId: string): string[] => {
    const cached = managersCache.get(payeeId);
    if (cached) return cached;
    const out: string[] = [];
    for (const start of teamsOf.get(payeeId) ?? []) {
      const visited = new Set<string>();
      let team: TeamNode | undefined = start;
      while (team && !visited.has(team.id)) {
        visited.add(team.id);
        if (team.managerId && team.managerId !== payeeId && !out.includes(team.managerId)) out.push(team.managerId);
        team = team.parentId === null ? undefined : teamById.get(team.parentId);
      }
    }
    managersCache.set(payeeId, out);
    return out;
  };

  // Dates repeat: parse each once.
  const days = new Map<string, number>();
  const percents = new Map<string, Rational | null>();
  const NONE: readonly never[] = [];
  records.forEach((record, index) => {
    minor(record.amountMinor);
    let day = days.get(record.date);
    if (day === undefined) {
      day = epochDay(record.date);
      days.set(record.date, day);
    }
    if (tally !== null) tallyRecord(tally, record, day);
    if (!record.splits?.length && !record.overlays?.length && !record.territoryIds && !rules.territoryOf && !rollup && teamCredit.size === 0) {
      credits.push({ recordId: record.id, payeeId: record.ownerId, kind: 'owner', amountMinor: record.amountMinor, percent: '100', day, record });
      return;
    }
    const recordDay = day;
    const direct: Credit[] = [];
    if (record.splits && record.splits.length > 0) {
      const parts = allocateSplits(record.amountMinor, record.splits.map((s) => s.percent), percents);
      if (parts === null) {
        issues.push({ code: 'bad_split', path: `records.${index}.splits`, message: `record ${record.id}: split percentages must be exact decimals that sum to exactly 100` });
        return;
      }
      record.splits.forEach((s, i) => direct.push(creditOf(record, recordDay, s.payeeId, 'split', parts[i] ?? 0, s.percent)));
    } else {
      direct.push(creditOf(record, recordDay, record.ownerId, 'owner', record.amountMinor, '100'));
    }
    for (const c of direct) credits.push(c);
    for (const o of record.overlays ?? NONE) {
      const amount = percentOf(record.amountMinor, o.percent);
      if (amount === null) issues.push({ code: 'bad_percent', path: `records.${index}.overlays`, message: `record ${record.id}: overlay percent "${o.percent}" is not a decimal ≥ 0` });
      else credits.push(creditOf(record, recordDay, o.payeeId, 'overlay', amount, o.percent ?? '100'));
    }
    if (teamCredit.size > 0) {
      const members = new Set<string>();
      for (const c of direct) for (const team of teamsOf.get(c.payeeId) ?? []) if (teamCredit.has(team.id)) for (const m of team.memberIds) members.add(m);
      for (const m of [...members].sort()) credits.push(creditOf(record, recordDay, m, 'team', record.amountMinor, '100'));
    }
    if (rollup) {
      // Made only when someone above has a manager (teams often have none).
      let byManager: Map<string, number> | null = null;
      for (const c of direct) {
        for (const m of managersOf(c.payeeId)) {
          byManager ??= new Map();
          byManager.set(m, (byManager.get(m) ?? 0) + c.amountMinor);
        }
      }
      if (byManager !== null) for (const [m, amount] of [...byManager.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) credits.push(creditOf(record, recordDay, m, 'manager', minor(amount), '100'));
    }
    const territories = record.territoryIds ?? rules.territoryOf?.(record) ?? NONE;
    for (const territoryId of territories) {
      for (const t of territoryPayees.get(territoryId) ?? []) {
        const amount = percentOf(record.amountMinor, t.percent);
        if (amount === null) issues.push({ code: 'bad_percent', path: 'territories', message: `territory ${territoryId}: percent "${t.percent}" is not a decimal ≥ 0` });
        else credits.push(creditOf(record, recordDay, t.payeeId, 'territory', amount, t.percent ?? '100'));
      }
    }
  });
  if (tally?.currency !== undefined) tally.byCurrency.set(tally.currency, tally.sum);
  return { credits, issues };
}

/**
 * Pipeline forecast: open deals weighted by the probability of winning from their stage,
 * learned from the tenant's own closed deals, next to the reps' commit / best-case call.
 *
 * Win rate of a stage s (the share of closed deals that had reached s and were won), with
 * Bayesian shrinkage toward a default: a Beta prior with mean p₀(s) and strength k
 * pseudo-deals gives the posterior mean
 *
 *   p(s) = (wins(s) + k · p₀(s)) / (closed(s) + k)
 *
 * so with no history p = p₀, with closed(s) = k history and default weigh the same, and
 * with many deals p approaches the observed rate. Default k = 10. Defaults p₀ (the demo
 * generator's and a common CRM picklist's): prospecting 10 %, qualification 25 %,
 * proposal 50 %, negotiation 75 %; a stage without a default uses 10 % and is flagged.
 *
 * Right-censoring: deals closed so far over-represent quick losses of recent cohorts; pass
 * `createdBefore` (e.g. today minus one to two median sales cycles) to learn from cohorts
 * that have matured (bench/forecast.bench.ts shows the effect).
 */
import { epochDay, periodContaining, type FiscalCalendar } from '../period.js';

export interface StageDefault {
  stage: string;
  /** 0–1. */
  defaultWinRate: number;
}

/** Open stages in funnel order with default win rates. */
export const DEFAULT_STAGES: readonly StageDefault[] = [
  { stage: 'prospecting', defaultWinRate: 0.1 },
  { stage: 'qualification', defaultWinRate: 0.25 },
  { stage: 'proposal', defaultWinRate: 0.5 },
  { stage: 'negotiation', defaultWinRate: 0.75 },
];
export const UNKNOWN_STAGE_WIN_RATE = 0.1;
export const DEFAULT_PRIOR_STRENGTH = 10;

export interface ClosedDealOutcome {
  outcome: 'won' | 'lost';
  /** Every open stage the deal passed through (from stage history). */
  stagesReached: readonly string[];
  /** 'YYYY-MM-DD' the deal was created (for `createdBefore`). */
  createdOn?: string;
}

/**
 * The stages a deal passed through when only its last open stage is known (a lost deal's
 * stage when it was lost; a won deal reached every stage): the funnel up to that stage.
 * @example stagesUpTo(DEFAULT_STAGES, 'proposal') // ['prospecting', 'qualification', 'proposal']
 */
export function stagesUpTo(stages: readonly StageDefault[], lastStage: string | null): string[] {
  if (lastStage === null) return stages.map((s) => s.stage);
  const i = stages.findIndex((s) => s.stage === lastStage);
  return i < 0 ? [lastStage] : stages.slice(0, i + 1).map((s) => s.stage);
}

export interface StageWinRate {
  stage: string;
  closed: number;
  wins: number;
  /** wins ÷ closed, null without closed deals. */
  observedRate: number | null;
  priorRate: number;
  /** The rate used: the posterior mean. */
  winRate: number;
  /** Fewer closed deals than the prior's strength: the default still weighs more than the history. */
  isThin: boolean;
  hasDefault: boolean;
}

/**
 * Learns win rates per stage.
 * @example learnStageWinRates({ history: [{ outcome: 'won', stagesReached: ['prospecting'] }] }).find((r) => r.stage === 'prospecting')?.winRate // (1 + 10·0.1)/(1 + 10) ≈ 0.18
 */
export function learnStageWinRates(input: {
  history: readonly ClosedDealOutcome[];
  stages?: readonly StageDefault[];
  priorStrength?: number;
  /**
   * Learn only from deals created before this day ('YYYY-MM-DD'). Recent cohorts are
   * censored: their lost deals have closed, their slower wins have not, so counting them
   * biases the rates down. A cutoff of one to two typical sales cycles before today avoids it.
   */
  createdBefore?: string;
}): StageWinRate[] {
  const stages = input.stages ?? DEFAULT_STAGES;
  const k = input.priorStrength ?? DEFAULT_PRIOR_STRENGTH;
  if (!(k >= 0) || !Number.isFinite(k)) throw new Error('priorStrength must be a finite number ≥ 0');
  const counts = new Map<string, { closed: number; wins: number }>();
  for (const s of stages) counts.set(s.stage, { closed: 0, wins: 0 });
  const cutoff = input.createdBefore === undefined ? null : epochDay(input.createdBefore);
  for (const deal of input.history) {
    if (cutoff !== null && (deal.createdOn === undefined || epochDay(deal.createdOn) >= cutoff)) continue;
    for (const stage of new Set(deal.stagesReached)) {
      let c = counts.get(stage);
      if (!c) counts.set(stage, (c = { closed: 0, wins: 0 }));
      c.closed += 1;
      if (deal.outcome === 'won') c.wins += 1;
    }
  }
  const defaults = new Map(stages.map((s) => [s.stage, s.defaultWinRate] as const));
  return [...counts.entries()].map(([stage, c]) => {
    const prior = defaults.get(stage) ?? UNKNOWN_STAGE_WIN_RATE;
    const denominator = c.closed + k;
    return {
      stage,
      closed: c.closed,
      wins: c.wins,
      observedRate: c.closed === 0 ? null : c.wins / c.closed,
      priorRate: prior,
      winRate: denominator === 0 ? prior : (c.wins + k * prior) / denominator,
      isThin: c.closed < k,
      hasDefault: defaults.has(stage),
    };
  });
}

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const clampRate = (p: number): number => Math.min(1 - 1e-4, Math.max(1e-4, p));

/**
 * Win rates when the history does not say where lost deals were lost (the records keep only
 * the final stage): then every closed deal "reached" every stage, and the history tells one
 * thing only — the funnel's overall win rate, which is the first stage's rate. The stage
 * shape comes from the defaults: each stage's default is shifted on the log-odds scale by
 * the same amount that takes the first stage's default to its learned rate,
 *   logit(rate_s) = logit(default_s) + logit(learned_first) − logit(default_first),
 * so a later stage always wins more often than an earlier one, and a workspace that wins
 * more (or less) than the defaults assume shifts every stage alike. Stages without a default
 * keep their learned rate.
 * @example calibrateToFunnelShape(rates).find((r) => r.stage === 'negotiation')?.winRate // 0.75 shifted like prospecting's 0.1 → learned
 */
export function calibrateToFunnelShape(rates: readonly StageWinRate[], stages: readonly StageDefault[] = DEFAULT_STAGES): StageWinRate[] {
  const first = stages[0];
  const learnedFirst = first ? rates.find((r) => r.stage === first.stage) : undefined;
  if (!first || !learnedFirst || learnedFirst.closed === 0) return [...rates];
  const shift = logit(clampRate(learnedFirst.winRate)) - logit(clampRate(first.defaultWinRate));
  const defaults = new Map(stages.map((s) => [s.stage, s.defaultWinRate] as const));
  return rates.map((r) => {
    const prior = defaults.get(r.stage);
    return prior === undefined ? { ...r } : { ...r, winRate: sigmoid(logit(clampRate(prior)) + shift) };
  });
}

/**
 * Win rates per group (team, territory, segment) shrunk toward the company's: each group's
 * rate of a stage uses the company's learned rate as its prior (a two-level hierarchy), so a
 * team with little history gets the company's rates and a team with much its own.
 * @example learnGroupWinRates({ history: closedWithTeam, base: learnStageWinRates({ history }) }).get('dach')
 */
export function learnGroupWinRates(input: { history: readonly (ClosedDealOutcome & { groupKey: string })[]; base: readonly StageWinRate[]; priorStrength?: number; createdBefore?: string }): Map<string, StageWinRate[]> {
  const stages = input.base.map((r) => ({ stage: r.stage, defaultWinRate: r.winRate }));
  const byGroup = new Map<string, ClosedDealOutcome[]>();
  for (const deal of input.history) {
    const list = byGroup.get(deal.groupKey);
    if (list) list.push(deal);
    else byGroup.set(deal.groupKey, [deal]);
  }
  const out = new Map<string, StageWinRate[]>();
  for (const [group, history] of byGroup) {
    out.set(group, learnStageWinRates({ history, stages, ...(input.priorStrength === undefined ? {} : { priorStrength: input.priorStrength }), ...(input.createdBefore === undefined ? {} : { createdBefore: input.createdBefore }) }));
  }
  return out;
}

export type ForecastCategory = 'commit' | 'best_case' | 'pipeline' | 'omitted';

export interface OpenDeal {
  id: string;
  stage: string;
  amountMinor: number;
  /** Expected close date 'YYYY-MM-DD'. */
  closeDate: string;
  ownerId: string;
  teamId?: string | null;
  territoryId?: string | null;
  /** The rep's category for the deal (default 'pipeline'). */
  forecastCategory?: ForecastCategory;
}

export interface WonDeal {
  amountMinor: number;
  closeDate: string;
  ownerId: string;
  teamId?: string | null;
  territoryId?: string | null;
}

/** A rep's submitted call for a period: totals for the whole period, closed won included (not per deal). */
export interface RepCall {
  ownerId: string;
  teamId?: string | null;
  territoryId?: string | null;
  /** Period key ('2026-Q1', '2026-03', 'FY2026'). */
  period: string;
  commitMinor: number;
  bestCaseMinor: number;
}

export type PipelineGroupBy = 'owner' | 'team' | 'territory' | 'company';

export interface PipelineForecastRow {
  groupKey: string;
  period: string;
  openDeals: number;
  /** Unweighted open pipeline (without omitted deals). */
  pipelineMinor: number;
  /** Σ amount × win rate of the stage. */
  weightedMinor: number;
  closedWonMinor: number;
  /** closedWon + weighted: the pipeline forecast. */
  expectedMinor: number;
  /** closedWon + deals the reps categorised as commit. */
  commitMinor: number;
  /** commit + deals categorised as best case. */
  bestCaseMinor: number;
  /** closedWon + commit deals in full + the other deals weighted: trusts the reps' commits, weights the rest. */
  blendedMinor: number;
  /** Sum of the reps' submitted calls, null when none was submitted. */
  call: { commitMinor: number; bestCaseMinor: number } | null;
  omittedMinor: number;
  /** Open deals in stages without a learned or default rate. */
  unknownStageDeals: number;
}

export interface PipelineForecastInput {
  openDeals: readonly OpenDeal[];
  wonDeals?: readonly WonDeal[];
  calls?: readonly RepCall[];
  winRates: readonly StageWinRate[];
  /** Rates per team/territory/owner (learnGroupWinRates); deals of other groups use `winRates`. */
  groupWinRates?: { by: Exclude<PipelineGroupBy, 'company'>; rates: ReadonlyMap<string, readonly StageWinRate[]> };
  groupBy: PipelineGroupBy;
  periodKind: 'month' | 'quarter' | 'year';
  calendar: FiscalCalendar;
}

const groupOf = (row: { ownerId: string; teamId?: string | null; territoryId?: string | null }, by: PipelineGroupBy): string => {
  switch (by) {
    case 'owner':
      return row.ownerId;
    case 'team':
      return row.teamId ?? '(no team)';
    case 'territory':
      return row.territoryId ?? '(no territory)';
    case 'company':
      return 'company';
    default: {
      const unreachable: never = by;
      throw new Error(`unknown grouping ${String(unreachable)}`);
    }
  }
};

/**
 * Weighted pipeline, closed won and calls per group and period (by expected close date).
 * @example pipelineForecast({ openDeals, wonDeals, winRates, groupBy: 'team', periodKind: 'quarter', calendar })[0].expectedMinor
 */
export function pipelineForecast(input: PipelineForecastInput): PipelineForecastRow[] {
  const toMap = (list: readonly StageWinRate[]): Map<string, number> => new Map(list.map((r) => [r.stage, r.winRate] as const));
  const rates = toMap(input.winRates);
  const groupRates = new Map([...(input.groupWinRates?.rates ?? new Map<string, readonly StageWinRate[]>())].map(([k, v]) => [k, toMap(v)] as const));
  const ratesFor = (deal: OpenDeal): Map<string, number> => (input.groupWinRates ? (groupRates.get(groupOf(deal, input.groupWinRates.by)) ?? rates) : rates);
  const periodKey = new Map<string, string>();
  const periodOf = (date: string): string => {
    let key = periodKey.get(date);
    if (key === undefined) periodKey.set(date, (key = periodContaining(input.periodKind, date, input.calendar).key));
    return key;
  };
  interface Acc { open: number; pipeline: number; weighted: number; won: number; commit: number; bestCase: number; blendedOpen: number; omitted: number; unknown: number; call: { commit: number; bestCase: number } | null }
  const rows = new Map<string, Acc & { groupKey: string; period: string }>();
  const acc = (groupKey: string, period: string): Acc => {
    const key = `${groupKey}\u0000${period}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { groupKey, period, open: 0, pipeline: 0, weighted: 0, won: 0, commit: 0, bestCase: 0, blendedOpen: 0, omitted: 0, unknown: 0, call: null }));
    return row;
  };
  for (const deal of input.openDeals) {
    const row = acc(groupOf(deal, input.groupBy), periodOf(deal.closeDate));
    const category = deal.forecastCategory ?? 'pipeline';
    if (category === 'omitted') {
      row.omitted += deal.amountMinor;
      continue;
    }
    const known = ratesFor(deal).get(deal.stage);
    if (known === undefined) row.unknown += 1;
    const p = known ?? UNKNOWN_STAGE_WIN_RATE;
    row.open += 1;
    row.pipeline += deal.amountMinor;
    row.weighted += deal.amountMinor * p;
    if (category === 'commit') {
      row.commit += deal.amountMinor;
      row.bestCase += deal.amountMinor;
      row.blendedOpen += deal.amountMinor;
    } else {
      if (category === 'best_case') row.bestCase += deal.amountMinor;
      row.blendedOpen += deal.amountMinor * p;
    }
  }
  for (const deal of input.wonDeals ?? []) acc(groupOf(deal, input.groupBy), periodOf(deal.closeDate)).won += deal.amountMinor;
  for (const call of input.calls ?? []) {
    const row = acc(groupOf(call, input.groupBy), call.period);
    row.call = { commit: (row.call?.commit ?? 0) + call.commitMinor, bestCase: (row.call?.bestCase ?? 0) + call.bestCaseMinor };
  }
  return [...rows.values()]
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : a.groupKey < b.groupKey ? -1 : a.groupKey > b.groupKey ? 1 : 0))
    .map((r) => {
      const weightedMinor = Math.round(r.weighted);
      return {
        groupKey: r.groupKey,
        period: r.period,
        openDeals: r.open,
        pipelineMinor: r.pipeline,
        weightedMinor,
        closedWonMinor: r.won,
        expectedMinor: r.won + weightedMinor,
        commitMinor: r.won + r.commit,
        bestCaseMinor: r.won + r.bestCase,
        blendedMinor: r.won + Math.round(r.blendedOpen),
        call: r.call === null ? null : { commitMinor: r.call.commit, bestCaseMinor: r.call.bestCase },
        omittedMinor: r.omitted,
        unknownStageDeals: r.unknown,
      };
    });
}

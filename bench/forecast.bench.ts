/**
 * Forecast accuracy on generated data, holding out the last four quarters.
 *
 * 1. Synthetic series with a known trend and seasonality (multiplicative quarterly and
 *    monthly patterns, linear growth, log-normal noise) from the generator's seeded PRNG.
 * 2. Bookings from the demo data generator (src/core/data/generator.ts: 15 % growth a year,
 *    quarter-end and Q4 seasonality, log-normal sales cycles): closed-won amounts by close
 *    date, per team, quarterly and monthly.
 * For each series: MAPE of the exponential smoothing forecast (forecastSeries) against the
 * seasonal-naive and naive baselines over the hold-out (target: better than both).
 *
 * 3. Pipeline forecast: a simulated funnel (prospecting → qualification → proposal →
 *    negotiation → won) with known stage conversion per team; at the start of each of the
 *    last four quarters, win rates are learned from the deals closed so far and the open
 *    pipeline expected to close in the quarter is weighted; error against what those deals
 *    actually booked, next to the default-rate and unweighted pipeline.
 *
 *   npm run bench forecast
 *
 * BENCH_DEALS changes the size of the generated deal history (default 120,000).
 */
import { createRng, generateDeals, generateOrg, type GeneratorConfig } from '../src/core/data/generator.js';
import { accuracyStats } from '../src/core/forecast/accuracy.js';
import { naiveForecast, seasonalNaiveForecast } from '../src/core/forecast/baselines.js';
import { bookingSeries } from '../src/core/forecast/bookings.js';
import { DEFAULT_STAGES, learnGroupWinRates, learnStageWinRates, pipelineForecast, type ClosedDealOutcome, type OpenDeal } from '../src/core/forecast/pipeline.js';
import { forecastSeries } from '../src/core/forecast/time-series.js';
import { CALENDAR_YEAR, epochDay, formatEpochDay, periodContaining } from '../src/core/period.js';

const DEALS = Number(process.env.BENCH_DEALS ?? 120_000);
const pct = (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(1)} %`);
const mape = (forecast: readonly number[], actual: readonly number[]): number => accuracyStats(forecast.map((f, i) => ({ forecastMinor: f, actualMinor: actual[i] ?? 0 }))).mape ?? Number.NaN;

interface Row { name: string; ets: number; snaive: number; naive: number; model: string; ms: number }
function evaluate(name: string, y: readonly number[], period: number, holdout: number): Row {
  const train = y.slice(0, y.length - holdout);
  const test = y.slice(y.length - holdout);
  const started = performance.now();
  const result = forecastSeries(train, { period, horizon: holdout });
  const ms = performance.now() - started;
  return {
    name,
    ets: mape(result.points.map((p) => p.mean), test),
    snaive: mape(seasonalNaiveForecast(train, period, holdout).mean, test),
    naive: mape(naiveForecast(train, holdout).mean, test),
    model: result.modelName,
    ms,
  };
}
function printRows(title: string, rows: readonly Row[]): void {
  console.log(`\n${title}`);
  console.log('| series | model chosen | MAPE ETS | MAPE seasonal naive | MAPE naive |');
  console.log('|---|---|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.model} | ${pct(r.ets)} | ${pct(r.snaive)} | ${pct(r.naive)} |`);
  const mean = (k: 'ets' | 'snaive' | 'naive'): number => rows.reduce((a, r) => a + r[k], 0) / rows.length;
  const wins = rows.filter((r) => r.ets < r.snaive && r.ets < r.naive).length;
  console.log(`| **mean** | | **${pct(mean('ets'))}** | ${pct(mean('snaive'))} | ${pct(mean('naive'))} |`);
  console.log(`ETS better than both baselines on ${wins} of ${rows.length} series; on the mean: ${mean('ets') < mean('snaive') && mean('ets') < mean('naive') ? 'yes' : 'NO'}; fit + forecast ${(rows.reduce((a, r) => a + r.ms, 0) / rows.length).toFixed(0)} ms per series`);
}

// 1. Synthetic series with known trend and seasonality.
{
  const rng = createRng(4242);
  const quarterly: Row[] = [];
  const monthly: Row[] = [];
  const QUARTER_SEASON = [0.85, 0.95, 1.0, 1.2];
  const MONTH_SEASON = [0.8, 0.85, 1.05, 0.9, 0.95, 1.1, 0.85, 0.8, 1.1, 1.0, 1.1, 1.5];
  for (let s = 0; s < 10; s += 1) {
    const level = 1_000_000 * (1 + rng.next() * 4);
    const growth = 0.02 + rng.next() * 0.03; // per quarter
    const noise = 0.03 + rng.next() * 0.05;
    const q = Array.from({ length: 24 }, (_, t) => Math.round(level * (1 + growth * t) * (QUARTER_SEASON[t % 4] ?? 1) * Math.exp(noise * rng.normal())));
    quarterly.push(evaluate(`synthetic Q #${s + 1} (growth ${(growth * 100).toFixed(1)} %/q, noise ${(noise * 100).toFixed(0)} %)`, q, 4, 4));
    const m = Array.from({ length: 72 }, (_, t) => Math.round((level / 3) * (1 + (growth / 3) * t) * (MONTH_SEASON[t % 12] ?? 1) * Math.exp(noise * rng.normal())));
    monthly.push(evaluate(`synthetic M #${s + 1}`, m, 12, 12));
  }
  printRows('Synthetic quarterly series: 20 quarters of training, last 4 quarters held out', quarterly);
  printRows('Synthetic monthly series: 60 months of training, last 12 months (4 quarters) held out', monthly);
}

// 2. Bookings from the demo data generator.
{
  const config: GeneratorConfig = { seed: 7, start: '2019-01-01', today: '2025-12-31', reps: 64, deals: DEALS };
  const started = performance.now();
  const org = generateOrg(config);
  const teamOf = new Map(org.reps.map((r) => [r.extRef, `${r.region}/${r.team}`] as const));
  const bookings: { date: string; amountMinor: number; groupKey: string }[] = [];
  for (const deal of generateDeals(config)) {
    const v = deal.values;
    if (v.stage !== 'closed_won') continue;
    bookings.push({ date: String(v.close_date), amountMinor: Math.round(Number(v.amount) * 100), groupKey: teamOf.get(String(v.owner)) ?? 'unknown' });
  }
  const generatedMs = performance.now() - started;
  // 2019-H1 is burn-in (deals created before the start are missing), so series start in July 2019.
  const quarters = bookingSeries({ bookings, periodKind: 'quarter', from: '2019-07-01', to: '2026-01-01', calendar: CALENDAR_YEAR });
  const months = bookingSeries({ bookings, periodKind: 'month', from: '2019-07-01', to: '2026-01-01', calendar: CALENDAR_YEAR });
  printRows(`Generated bookings per team (${DEALS.toLocaleString('en')} deals, ${bookings.length.toLocaleString('en')} won, generated in ${(generatedMs / 1000).toFixed(1)} s), quarterly 2019-Q3…2024-Q4, held out 2025-Q1…Q4`, quarters.map((s) => evaluate(s.groupKey, s.valuesMinor, 4, 4)));
  printRows('Generated bookings per team, monthly 2019-07…2024-12, held out 2025-01…12', months.map((s) => evaluate(s.groupKey, s.valuesMinor, 12, 12)));
}

// 3. Pipeline forecast on a simulated funnel with known conversion.
{
  const rng = createRng(99);
  const TEAMS = 10;
  const start = epochDay('2023-01-01');
  const end = epochDay('2026-03-31');
  const stageNames = DEFAULT_STAGES.map((s) => s.stage);
  interface SimDeal { id: string; team: string; owner: string; amountMinor: number; created: number; stageStarts: number[]; closeDay: number; won: boolean; expectedClose: number }
  const deals: SimDeal[] = [];
  for (let i = 0; i < 40_000; i += 1) {
    const teamIndex = i % TEAMS;
    // Teams convert differently: the true advance probability per stage varies ±0.1 by team.
    const advance = [0.45, 0.55, 0.6, 0.7].map((p) => p + (teamIndex / (TEAMS - 1) - 0.5) * 0.2);
    const created = start + rng.int(end - start - 200);
    const stageStarts = [created];
    let day = created;
    let won = false;
    for (let s = 0; s < stageNames.length; s += 1) {
      day += Math.max(1, Math.round(rng.logNormal(14, 0.5)));
      if (!rng.chance(advance[s] ?? 0.5)) break;
      if (s === stageNames.length - 1) won = true;
      else stageStarts.push(day);
    }
    const closeDay = day;
    // The rep's expected close date is off by a few weeks either way.
    const expectedClose = closeDay + Math.round(rng.normal() * 12);
    deals.push({ id: `S${i}`, team: `team-${teamIndex}`, owner: `rep-${i % 80}`, amountMinor: Math.round(rng.logNormal(20_000, 0.8)) * 100, created, stageStarts, closeDay, won, expectedClose });
  }
  const quarters = ['2025-01-01', '2025-04-01', '2025-07-01', '2025-10-01'];
  type Points = { forecastMinor: number; actualMinor: number }[];
  const trueRate = (team: string, stage: number): number => {
    const teamIndex = Number(team.slice(5));
    return [0.45, 0.55, 0.6, 0.7].map((p) => p + (teamIndex / (TEAMS - 1) - 0.5) * 0.2).slice(stage).reduce((a, p) => a * p, 1);
  };
  const oracle: Points = [];
  const censored: Points = [];
  const companyRows = new Map<string, Points>();
  const learned: Points = [];
  const byTeam: Points = [];
  const defaults: Points = [];
  const unweighted: Points = [];
  for (const q of quarters) {
    const t = epochDay(q);
    const qEnd = epochDay(periodContaining('quarter', q, CALENDAR_YEAR).end);
    const history: (ClosedDealOutcome & { groupKey: string })[] = deals
      .filter((d) => d.closeDay <= t)
      .map((d) => ({ outcome: d.won ? 'won' : 'lost', stagesReached: stageNames.slice(0, d.stageStarts.length), createdOn: formatEpochDay(d.created), groupKey: d.team }));
    const open = deals.filter((d) => d.created <= t && d.closeDay > t);
    // Overdue deals (expected before the quarter, still open) roll into it, as CRMs show them.
    const inQuarter = open.filter((d) => d.expectedClose < qEnd);
    const openDeals: OpenDeal[] = inQuarter.map((d) => {
      const stage = d.stageStarts.filter((s) => s <= t).length - 1;
      return { id: d.id, stage: stageNames[stage] ?? 'prospecting', amountMinor: d.amountMinor, closeDate: formatEpochDay(Math.max(t, d.expectedClose)), ownerId: d.owner, teamId: d.team };
    });
    // Actual: what this pipeline booked in the quarter (deals created later are not pipeline yet).
    const actual = new Map<string, number>();
    for (const d of open) if (d.won && d.closeDay >= t && d.closeDay < qEnd) actual.set(d.team, (actual.get(d.team) ?? 0) + d.amountMinor);
    const run = (rates: ReturnType<typeof learnStageWinRates>, sink: Points, weighted: boolean, teamRates?: Map<string, ReturnType<typeof learnStageWinRates>>): void => {
      for (const row of pipelineForecast({ openDeals, winRates: rates, ...(teamRates ? { groupWinRates: { by: 'team' as const, rates: teamRates } } : {}), groupBy: 'team', periodKind: 'quarter', calendar: CALENDAR_YEAR })) {
        sink.push({ forecastMinor: weighted ? row.expectedMinor : row.pipelineMinor, actualMinor: actual.get(row.groupKey) ?? 0 });
      }
    };
    const matured = formatEpochDay(t - 180);
    const company = learnStageWinRates({ history, createdBefore: matured });
    run(company, byTeam, true, learnGroupWinRates({ history, base: company, createdBefore: matured }));
    run(company, learned, true);
    run(learnStageWinRates({ history }), censored, true);
    // Oracle: each deal weighted by its team's true conversion from its stage (the noise floor).
    const oracleByTeam = new Map<string, number>();
    for (const d of openDeals) oracleByTeam.set(d.teamId ?? '', (oracleByTeam.get(d.teamId ?? '') ?? 0) + d.amountMinor * trueRate(d.teamId ?? '', stageNames.indexOf(d.stage)));
    for (const [team, f] of [...oracleByTeam].sort((a, b) => (a[0] < b[0] ? -1 : 1))) oracle.push({ forecastMinor: f, actualMinor: actual.get(team) ?? 0 });
    run(learnStageWinRates({ history: [] }), defaults, true);
    run(learnStageWinRates({ history: [] }), unweighted, false);
  }
  console.log('\nPipeline forecast: 10 teams × 4 quarters of 2025 (simulated funnel, 40,000 deals; forecast at each quarter start vs what that pipeline booked)');
  console.log('| forecast | WAPE per team·quarter | MAPE | bias | WAPE company·quarter |');
  console.log('|---|---:|---:|---:|---:|');
  const rows = [
    ['weighted by learned win rates per team → company → default (matured cohorts, k = 10)', byTeam],
    ['weighted by learned company win rates (matured cohorts: created ≥ 180 days before; k = 10)', learned],
    ['weighted by learned win rates, all closed deals (censored)', censored],
    ['weighted by default win rates', defaults],
    ['oracle: true conversion per team and stage (noise floor)', oracle],
    ['unweighted pipeline', unweighted],
  ] as const;
  for (const [name, points] of rows) {
    const s = accuracyStats(points);
    // Company level: the four quarters, teams summed.
    const company: Points = [];
    for (let q = 0; q < 4; q += 1) {
      const slice = points.slice(q * TEAMS, (q + 1) * TEAMS);
      company.push({ forecastMinor: slice.reduce((a, p) => a + p.forecastMinor, 0), actualMinor: slice.reduce((a, p) => a + p.actualMinor, 0) });
    }
    const c = accuracyStats(company);
    companyRows.set(name, company);
    console.log(`| ${name} | ${pct(s.wape)} | ${pct(s.mape)} | ${s.bias === null ? '–' : `${s.bias >= 0 ? '+' : ''}${(s.bias * 100).toFixed(1)} %`} | ${pct(c.wape)} |`);
  }
}

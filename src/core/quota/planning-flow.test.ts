/**
 * The whole planning flow on generated data, as the store/server will drive it: history →
 * seasonality and potential → top-down allocation → manager override → monthly split → a
 * version diff; bookings forecast → quota recommendation → accuracy of kept snapshots.
 */
import { describe, expect, it } from 'vitest';
import { generateDeals, generateOrg, type GeneratorConfig } from '../data/generator.js';
import { forecastAccuracy } from '../forecast/accuracy.js';
import { bookingSeries, forecastBookings } from '../forecast/bookings.js';
import { DEFAULT_STAGES, learnStageWinRates, pipelineForecast, stagesUpTo, type OpenDeal } from '../forecast/pipeline.js';
import { CALENDAR_YEAR } from '../period.js';
import { allocateQuota, type OrgNode } from './allocate.js';
import { applyQuotaOverrides } from './overrides.js';
import { recommendQuotas } from './recommend.js';
import { learnSeasonality, splitQuotaBySeason } from './seasonality.js';
import { diffQuotaVersions, type QuotaLine } from './version.js';

const config: GeneratorConfig = { seed: 11, start: '2022-01-01', today: '2025-12-31', reps: 24, deals: 6_000 };
const org = generateOrg(config);
const deals = [...generateDeals(config)].map((d) => d.values);
const minor = (v: unknown): number => Math.round(Number(v) * 100);
const teamOf = new Map(org.reps.map((r) => [r.extRef, r.team] as const));
const won = deals.filter((d) => d.stage === 'closed_won' && d.currency === 'EUR');

describe('planning flow (generated data)', () => {
  it('allocates FY2026 from history, overrides one rep, splits by seasonality and diffs the versions', () => {
    const historyByRep = new Map<string, number>();
    for (const d of won) if (String(d.close_date) >= '2025-01-01') historyByRep.set(String(d.owner), (historyByRep.get(String(d.owner)) ?? 0) + minor(d.amount));
    const eurReps = org.reps.filter((r) => r.currency === 'EUR');
    const nodes: OrgNode[] = [
      ...[...new Set(eurReps.map((r) => r.team))].map((team) => ({ id: team, parentId: null, kind: 'team' as const })),
      ...eurReps.map((r) => ({ id: r.extRef, parentId: r.team, kind: 'rep' as const, historicalMinor: historyByRep.get(r.extRef) ?? 0, startDate: r.startDate })),
    ];
    const target = 12_000_000_00;
    const allocation = allocateQuota({ targetMinor: target, method: 'historical', nodes });
    if (!allocation.ok) throw new Error('allocation failed');
    const reps = allocation.quotas.filter((q) => q.kind === 'rep');
    expect(reps.reduce((a, q) => a + q.quotaMinor, 0)).toBe(target);

    const first = reps[0]!;
    const adjusted = applyQuotaOverrides({ targetMinor: target, quotas: allocation.quotas, overrides: [{ nodeId: first.nodeId, quotaMinor: first.quotaMinor + 50_000_00, reason: 'new key account' }] });
    expect(adjusted.gaps).toEqual([{ parentId: first.parentId, parentQuotaMinor: allocation.quotas.find((q) => q.nodeId === first.parentId)!.quotaMinor, childrenSumMinor: expect.any(Number), gapMinor: 50_000_00 }]);

    const season = learnSeasonality(won.map((d) => ({ date: String(d.close_date), amountMinor: minor(d.amount) })), { calendar: CALENDAR_YEAR, historyStart: '2022-01-01', historyEnd: '2026-01-01' });
    expect(season.yearsUsed).toEqual([2022, 2023, 2024, 2025]);
    // The generator books more in Q4 than in Q1.
    expect(season.monthShares.slice(9).reduce((a, b) => a + b, 0)).toBeGreaterThan(season.monthShares.slice(0, 3).reduce((a, b) => a + b, 0));
    const split = splitQuotaBySeason({ quotaMinor: first.quotaMinor, fiscalYear: 2026, calendar: CALENDAR_YEAR, monthShares: season.monthShares });
    expect(split.quarters.reduce((a, q) => a + q.quotaMinor, 0)).toBe(first.quotaMinor);

    const toLines = (quotas: readonly { nodeId: string; kind: string; quotaMinor: number }[]): QuotaLine[] => quotas.filter((q) => q.kind === 'rep').map((q) => ({ assigneeKind: 'rep', assigneeId: q.nodeId, period: 'FY2026', quotaMinor: q.quotaMinor }));
    const diff = diffQuotaVersions({ lines: toLines(allocation.quotas) }, { lines: toLines(adjusted.quotas) });
    expect(diff).toMatchObject({ changed: 1, totalDeltaMinor: 50_000_00 });
  });

  it('forecasts team bookings, recommends quotas with a stretch, and measures the kept snapshots', () => {
    const bookings = won.map((d) => ({ date: String(d.close_date), amountMinor: minor(d.amount), groupKey: teamOf.get(String(d.owner)) ?? '?' }));
    const training = bookingSeries({ bookings, periodKind: 'quarter', from: '2022-04-01', to: '2025-01-01', calendar: CALENDAR_YEAR });
    const forecasts = forecastBookings({ series: training, periodKind: 'quarter', horizon: 4, calendar: CALENDAR_YEAR });
    expect(forecasts.every((f) => f.forecast.map((p) => p.period).join() === '2025-Q1,2025-Q2,2025-Q3,2025-Q4')).toBe(true);

    const yearly = forecasts.map((f) => ({ id: f.groupKey, forecastMinor: f.forecast.reduce((a, p) => a + p.meanMinor, 0) }));
    const recommended = recommendQuotas({ stretchRate: '0.1', items: yearly });
    expect(recommended.ok).toBe(true);

    const snapshots = forecasts.flatMap((f) => f.forecast.map((p) => ({ groupKey: f.groupKey, period: p.period, forecastMinor: p.meanMinor, takenOn: '2024-12-31' })));
    const actualSeries = bookingSeries({ bookings, periodKind: 'quarter', from: '2025-01-01', to: '2026-01-01', calendar: CALENDAR_YEAR, groupKeys: training.map((s) => s.groupKey) });
    const actuals = actualSeries.flatMap((s) => s.periods.map((period, i) => ({ groupKey: s.groupKey, period, actualMinor: s.valuesMinor[i] ?? 0 })));
    const report = forecastAccuracy({ snapshots, actuals });
    expect(report.pending).toBe(0);
    expect(report.overall.points).toBe(snapshots.length);
    expect(report.overall.wape).not.toBeNull();
  });

  it('weights the open pipeline with rates learned from the closed deals', () => {
    // The generator keeps no stage history: a lost deal counts as lost at the first stage.
    const history = deals.filter((d) => d.stage === 'closed_won' || d.stage === 'closed_lost').map((d) => ({ outcome: d.stage === 'closed_won' ? ('won' as const) : ('lost' as const), stagesReached: stagesUpTo(DEFAULT_STAGES, d.stage === 'closed_won' ? null : 'prospecting') }));
    const rates = learnStageWinRates({ history });
    const open: OpenDeal[] = deals.filter((d) => !String(d.stage).startsWith('closed')).map((d, i) => ({ id: String(i), stage: String(d.stage), amountMinor: minor(d.amount), closeDate: String(d.close_date), ownerId: String(d.owner), teamId: teamOf.get(String(d.owner)) ?? null }));
    const rows = pipelineForecast({ openDeals: open, winRates: rates, groupBy: 'team', periodKind: 'quarter', calendar: CALENDAR_YEAR });
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.weightedMinor).toBeLessThanOrEqual(r.pipelineMinor);
      expect(r.unknownStageDeals).toBe(0);
    }
  });
});

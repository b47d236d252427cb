import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CALENDAR_YEAR } from '../period.js';
import { calibrateToFunnelShape, DEFAULT_STAGES, learnGroupWinRates, learnStageWinRates, pipelineForecast, stagesUpTo, type ClosedDealOutcome, type OpenDeal } from './pipeline.js';

const makeDeal = (over: Partial<OpenDeal> & Pick<OpenDeal, 'id'>): OpenDeal => ({ stage: 'proposal', amountMinor: 10_000_00, closeDate: '2026-02-15', ownerId: 'anna', teamId: 'dach', ...over });
const outcomes = (won: number, lost: number, lastStage: string | null): ClosedDealOutcome[] => [
  ...Array.from({ length: won }, () => ({ outcome: 'won' as const, stagesReached: stagesUpTo(DEFAULT_STAGES, null) })),
  ...Array.from({ length: lost }, () => ({ outcome: 'lost' as const, stagesReached: stagesUpTo(DEFAULT_STAGES, lastStage) })),
];

describe('learnStageWinRates', () => {
  it('uses the defaults without history and flags them thin', () => {
    const rates = learnStageWinRates({ history: [] });
    expect(rates.map((r) => [r.stage, r.winRate, r.isThin])).toEqual([['prospecting', 0.1, true], ['qualification', 0.25, true], ['proposal', 0.5, true], ['negotiation', 0.75, true]]);
  });

  it('shrinks the observed rate toward the default by the prior strength', () => {
    // 30 won; 70 lost at proposal: proposal reached by all 100 → observed 0.3.
    const rates = learnStageWinRates({ history: outcomes(30, 70, 'proposal') });
    const proposal = rates.find((r) => r.stage === 'proposal');
    expect(proposal).toMatchObject({ closed: 100, wins: 30, observedRate: 0.3, isThin: false });
    expect(proposal?.winRate).toBeCloseTo((30 + 10 * 0.5) / 110, 12);
    // Negotiation was reached only by the winners: 30/30 shrunk toward 0.75.
    expect(rates.find((r) => r.stage === 'negotiation')?.winRate).toBeCloseTo((30 + 7.5) / 40, 12);
  });

  it('learns only from matured cohorts when given a cutoff', () => {
    const history: ClosedDealOutcome[] = [
      { outcome: 'won', stagesReached: ['prospecting'], createdOn: '2025-01-10' },
      { outcome: 'lost', stagesReached: ['prospecting'], createdOn: '2025-06-10' },
      { outcome: 'lost', stagesReached: ['prospecting'] },
    ];
    expect(learnStageWinRates({ history, createdBefore: '2025-06-01', priorStrength: 0 }).find((r) => r.stage === 'prospecting')).toMatchObject({ closed: 1, wins: 1, winRate: 1 });
  });

  it('learns team rates shrunk toward the company rates, and the forecast uses them', () => {
    const base = learnStageWinRates({ history: [], priorStrength: 10 });
    const team = learnGroupWinRates({ history: Array.from({ length: 10 }, () => ({ outcome: 'won' as const, stagesReached: ['prospecting'], groupKey: 'dach' })), base, priorStrength: 10 });
    const rate = team.get('dach')?.find((r) => r.stage === 'prospecting')?.winRate;
    expect(rate).toBeCloseTo((10 + 10 * 0.1) / 20, 12);
    const rows = pipelineForecast({ openDeals: [makeDeal({ id: '1', stage: 'prospecting', amountMinor: 1000 }), makeDeal({ id: '2', stage: 'prospecting', amountMinor: 1000, teamId: 'uk' })], winRates: base, groupWinRates: { by: 'team', rates: team }, groupBy: 'team', periodKind: 'quarter', calendar: CALENDAR_YEAR });
    expect(rows.map((r) => r.weightedMinor)).toEqual([550, 100]);
  });

  it('learns stages without a default and marks them', () => {
    const rates = learnStageWinRates({ history: [{ outcome: 'won', stagesReached: ['demo'] }] });
    expect(rates.find((r) => r.stage === 'demo')).toMatchObject({ hasDefault: false, priorRate: 0.1 });
  });

  it('keeps every rate within [0, 1] (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ won: fc.boolean(), last: fc.constantFrom(...DEFAULT_STAGES.map((s) => s.stage)) })), fc.double({ min: 0, max: 100, noNaN: true }), (deals, k) => {
        const rates = learnStageWinRates({ history: deals.map((d) => ({ outcome: d.won ? 'won' : 'lost', stagesReached: stagesUpTo(DEFAULT_STAGES, d.last) })), priorStrength: k });
        for (const r of rates) {
          expect(r.winRate).toBeGreaterThanOrEqual(0);
          expect(r.winRate).toBeLessThanOrEqual(1);
        }
      }),
    );
  });
});

describe('pipelineForecast', () => {
  const winRates = learnStageWinRates({ history: [], priorStrength: 10 });

  it('weights open deals by stage, adds closed won, and sets the reps’ categories and calls beside it', () => {
    const rows = pipelineForecast({
      openDeals: [
        makeDeal({ id: '1', stage: 'proposal', amountMinor: 100_00, forecastCategory: 'commit' }),
        makeDeal({ id: '2', stage: 'prospecting', amountMinor: 1000_00, forecastCategory: 'best_case' }),
        makeDeal({ id: '3', stage: 'negotiation', amountMinor: 200_00, ownerId: 'ben' }),
        makeDeal({ id: '4', stage: 'mystery', amountMinor: 50_00 }),
        makeDeal({ id: '5', stage: 'proposal', amountMinor: 999_00, forecastCategory: 'omitted' }),
        makeDeal({ id: '6', stage: 'proposal', amountMinor: 10_00, closeDate: '2026-04-02' }),
      ],
      wonDeals: [{ amountMinor: 500_00, closeDate: '2026-01-20', ownerId: 'anna', teamId: 'dach' }],
      calls: [{ ownerId: 'anna', teamId: 'dach', period: '2026-Q1', commitMinor: 700_00, bestCaseMinor: 900_00 }],
      winRates,
      groupBy: 'team',
      periodKind: 'quarter',
      calendar: CALENDAR_YEAR,
    });
    expect(rows.map((r) => r.period)).toEqual(['2026-Q1', '2026-Q2']);
    expect(rows[0]).toEqual({
      groupKey: 'dach', period: '2026-Q1', openDeals: 4,
      pipelineMinor: 1350_00,
      weightedMinor: 50_00 + 100_00 + 150_00 + 5_00,
      closedWonMinor: 500_00,
      expectedMinor: 500_00 + 305_00,
      commitMinor: 600_00,
      bestCaseMinor: 1600_00,
      blendedMinor: 500_00 + 100_00 + 100_00 + 150_00 + 5_00,
      call: { commitMinor: 700_00, bestCaseMinor: 900_00 },
      omittedMinor: 999_00,
      unknownStageDeals: 1,
    });
  });

  it('groups by owner, territory and company', () => {
    const deals = [makeDeal({ id: '1', territoryId: 't1' }), makeDeal({ id: '2', ownerId: 'ben', territoryId: null })];
    const by = (groupBy: 'owner' | 'territory' | 'company'): string[] => pipelineForecast({ openDeals: deals, winRates, groupBy, periodKind: 'month', calendar: CALENDAR_YEAR }).map((r) => r.groupKey);
    expect(by('owner')).toEqual(['anna', 'ben']);
    expect(by('territory')).toEqual(['(no territory)', 't1']);
    expect(by('company')).toEqual(['company']);
  });
});

describe('calibrateToFunnelShape', () => {
  const outcome = (won: boolean) => ({ outcome: won ? ('won' as const) : ('lost' as const), stagesReached: DEFAULT_STAGES.map((s) => s.stage) });

  it('keeps the default stage shape and shifts it to the learned overall win rate (log-odds), by hand', () => {
    // 400 of 1,000 closed deals won, lost stage unknown: every stage observes 40 %.
    const history = [...Array.from({ length: 400 }, () => outcome(true)), ...Array.from({ length: 600 }, () => outcome(false))];
    const learned = learnStageWinRates({ history });
    expect(new Set(learned.map((r) => r.observedRate))).toEqual(new Set([0.4]));
    const rates = calibrateToFunnelShape(learned);
    const first = learned.find((r) => r.stage === 'prospecting')?.winRate ?? 0; // (400 + 10 × 0.1) / 1010
    expect(first).toBeCloseTo(401 / 1010, 12);
    const shift = Math.log(first / (1 - first)) - Math.log(0.1 / 0.9);
    const expected = (p: number) => 1 / (1 + Math.exp(-(Math.log(p / (1 - p)) + shift)));
    expect(rates.map((r) => [r.stage, r.winRate])).toEqual([
      ['prospecting', expect.closeTo(first, 12)],
      ['qualification', expect.closeTo(expected(0.25), 12)],
      ['proposal', expect.closeTo(expected(0.5), 12)],
      ['negotiation', expect.closeTo(expected(0.75), 12)],
    ]);
    // Later stages win more often, as the defaults say.
    for (let i = 1; i < rates.length; i += 1) expect(rates[i]?.winRate ?? 0).toBeGreaterThan(rates[i - 1]?.winRate ?? 1);
  });

  it('leaves the rates alone without history', () => {
    const learned = learnStageWinRates({ history: [] });
    expect(calibrateToFunnelShape(learned)).toEqual(learned);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { calculatePayouts } from './calculate.js';
import { compilePlan, parseCompPlan } from './plan.js';
import { makeDeal, periodOf } from './test-fixtures.js';

const DIR = 'examples/plans';
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

describe('examples/plans', () => {
  it.each(files)('%s is a valid plan', (file) => {
    const result = parseCompPlan(parse(readFileSync(`${DIR}/${file}`, 'utf8')));
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('show every component kind and tier mode', () => {
    const docs = files.map((f) => parse(readFileSync(`${DIR}/${f}`, 'utf8')) as { components: { kind: string; rates?: { mode?: string } }[] });
    const kinds = new Set(docs.flatMap((d) => d.components.map((c) => c.kind)));
    const modes = new Set(docs.flatMap((d) => d.components.map((c) => c.rates?.mode).filter(Boolean)));
    expect([...kinds].sort()).toEqual(['bonus', 'clawback', 'commission', 'draw', 'partner', 'spiff']);
    expect([...modes].sort()).toEqual(['highest_rate', 'marginal', 'retroactive']);
  });

  it.each(files)('%s calculates a quarter for a sample payee', (file) => {
    const plan = compilePlan(parse(readFileSync(`${DIR}/${file}`, 'utf8')));
    const period = periodOf(plan.effectiveFrom.startsWith('2026-04') ? '2026-Q2' : '2026-Q1');
    const day = (d: number) => `${period.start.slice(0, 8)}${String(d).padStart(2, '0')}`;
    const result = calculatePayouts({
      period,
      plans: [plan],
      assignments: [{ payeeId: 'pat', planId: plan.id, planVersion: plan.version, from: period.start }],
      quotas: [{ payeeId: 'pat', periodKey: period.key, quotaMinor: 10_000_000 }],
      records: [12_000_000, 3_000_000].map((amountMinor, i) => makeDeal({ ownerId: 'pat', currency: plan.currency, amountMinor, date: day(10 + i), fields: { product: 'X' } })),
      crediting: { teams: [{ id: 't', parentId: null, managerId: 'pat', memberIds: ['rep'] }] },
      metricValues: [{ payeeId: 'pat', metric: 'consumption_gb', value: '120000' }, { payeeId: 'pat', metric: 'maintenance_fees', value: '800000' }],
      scores: [{ payeeId: 'pat', key: 'forecast-accuracy', score: 0.9, commitment: 'committed' }],
    });
    expect(result.issues).toEqual([]);
    const payee = result.payees[0];
    expect(payee?.lines.length).toBeGreaterThan(0);
    expect(payee?.lines.reduce((a, l) => a + l.amountMinor, 0)).toBe(payee?.totalMinor);
    expect(payee?.lines.every((l) => l.explanation.text.length > 0)).toBe(true);
  });
});

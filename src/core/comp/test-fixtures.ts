/** Small builders for comp tests and benchmarks (pure; no I/O). */
import { CALENDAR_YEAR, parsePeriod, type Period } from '../period.js';
import type { CompRecord } from './crediting.js';
import type { CompPlanDocumentInput } from './plan-document.js';
import { compilePlan, type CompPlan } from './plan.js';

export function periodOf(key: string): Period {
  const parsed = parsePeriod(key, CALENDAR_YEAR);
  if (!parsed.ok) throw new Error(parsed.issues[0]?.message ?? key);
  return parsed.period;
}

let sequence = 0;
/** A won deal in EUR: 1,000.00 owned by ann on 2026-02-01 unless overridden. */
export function makeDeal(overrides: Partial<CompRecord> = {}): CompRecord {
  sequence += 1;
  return { id: `d${String(sequence).padStart(6, '0')}`, amountMinor: 100_000, currency: 'EUR', ownerId: 'ann', date: '2026-02-01', ...overrides };
}

/** A plan document with one flat 10 % commission unless components are given. */
export function makePlan(overrides: Partial<CompPlanDocumentInput> = {}): CompPlan {
  return compilePlan({
    schemaVersion: 1,
    id: 'ae',
    version: 1,
    name: 'Account Executive',
    currency: 'EUR',
    effectiveFrom: '2026-01-01',
    components: [{ id: 'core', kind: 'commission', rates: { basis: 'flat', rate: '10%' } }],
    ...overrides,
  });
}

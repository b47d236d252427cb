/**
 * Quota allocation at scale: a yearly company target allocated down 200 territories →
 * 1,000 teams → 10,000 reps by each method (equal, historical, potential, capacity with
 * ramp), then each rep's quota split into months and quarters by seasonality, and a
 * bottom-up override pass. Checks that every level reconciles to the cent. Target: ≤ 1 s
 * per method.
 *
 *   npm run bench allocation
 *
 * BENCH_REPS, BENCH_TERRITORIES and BENCH_RUNS change the size.
 */
import { createRng } from '../src/core/data/generator.js';
import { CALENDAR_YEAR } from '../src/core/period.js';
import { ALLOCATION_METHODS, allocateQuota, type OrgNode } from '../src/core/quota/allocate.js';
import { applyQuotaOverrides } from '../src/core/quota/overrides.js';
import { rampedMonths } from '../src/core/quota/ramp.js';
import { splitQuotaBySeason } from '../src/core/quota/seasonality.js';
import { median } from './measure.js';

const REPS = Number(process.env.BENCH_REPS ?? 10_000);
const TERRITORIES = Number(process.env.BENCH_TERRITORIES ?? 200);
const TEAMS_PER_TERRITORY = 5;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_MINOR = 2_000_000_000_00; // 2 bn in minor units
const FISCAL_YEAR = 2026;

const rng = createRng(20260101);
const nodes: OrgNode[] = [];
for (let t = 0; t < TERRITORIES; t += 1) nodes.push({ id: `T${t}`, parentId: null, kind: 'territory' });
const teams = TERRITORIES * TEAMS_PER_TERRITORY;
for (let k = 0; k < teams; k += 1) nodes.push({ id: `T${k % TERRITORIES}-team${k}`, parentId: `T${k % TERRITORIES}`, kind: 'team' });
for (let r = 0; r < REPS; r += 1) {
  const team = r % teams;
  const isNewHire = rng.chance(0.2);
  const month = 1 + rng.int(12);
  nodes.push({
    id: `rep${r}`,
    parentId: `T${team % TERRITORIES}-team${team}`,
    kind: 'rep',
    historicalMinor: isNewHire ? 0 : Math.round(rng.logNormal(400_000_00, 0.6)),
    potentialMinor: Math.round(rng.logNormal(250_000_00, 0.8)),
    startDate: isNewHire ? `${FISCAL_YEAR}-${String(month).padStart(2, '0')}-${String(1 + rng.int(28)).padStart(2, '0')}` : '2022-01-01',
  });
}

function check(quotas: readonly { nodeId: string; parentId: string | null; quotaMinor: number }[]): boolean {
  const byId = new Map(quotas.map((q) => [q.nodeId, q.quotaMinor] as const));
  const sums = new Map<string | null, number>();
  for (const q of quotas) sums.set(q.parentId, (sums.get(q.parentId) ?? 0) + q.quotaMinor);
  if (sums.get(null) !== TARGET_MINOR) return false;
  for (const [parent, sum] of sums) if (parent !== null && byId.get(parent) !== sum) return false;
  return true;
}

console.log(`${REPS.toLocaleString('en')} reps, ${teams.toLocaleString('en')} teams, ${TERRITORIES} territories; target ${(TARGET_MINOR / 100).toLocaleString('en')}; median of ${RUNS} runs`);
console.log('| step | median ms | reconciles |');
console.log('|---|---:|---|');
let lastQuotas: ReturnType<typeof allocateQuota> | null = null;
for (const method of ALLOCATION_METHODS) {
  const times: number[] = [];
  let ok = true;
  for (let run = 0; run < RUNS; run += 1) {
    const start = performance.now();
    const result = allocateQuota({ targetMinor: TARGET_MINOR, method, nodes, fiscalYear: FISCAL_YEAR, calendar: CALENDAR_YEAR });
    times.push(performance.now() - start);
    ok = ok && result.ok && check(result.quotas);
    if (method === 'capacity') lastQuotas = result;
  }
  console.log(`| allocate: ${method} | ${median(times).toFixed(1)} | ${ok ? 'yes' : 'NO'} |`);
}
if (lastQuotas?.ok) {
  const result = lastQuotas;
  const reps = result.quotas.filter((q) => q.kind === 'rep');
  const byRep = new Map(nodes.map((n) => [n.id, n] as const));
  const shares = [0.07, 0.075, 0.095, 0.075, 0.08, 0.095, 0.07, 0.075, 0.095, 0.08, 0.085, 0.125];
  const times: number[] = [];
  let ok = true;
  for (let run = 0; run < RUNS; run += 1) {
    const start = performance.now();
    for (const q of reps) {
      const node = byRep.get(q.nodeId);
      const capacity = node?.startDate && node.startDate >= `${FISCAL_YEAR}-01-01` ? rampedMonths({ rep: { startDate: node.startDate }, fiscalYear: FISCAL_YEAR, calendar: CALENDAR_YEAR }) : undefined;
      const split = splitQuotaBySeason({ quotaMinor: q.quotaMinor, fiscalYear: FISCAL_YEAR, calendar: CALENDAR_YEAR, monthShares: shares, ...(capacity ? { capacity } : {}) });
      ok = ok && split.quarters.reduce((a, x) => a + x.quotaMinor, 0) === q.quotaMinor;
    }
    times.push(performance.now() - start);
  }
  console.log(`| seasonality + ramp split of every rep into 12 months and 4 quarters | ${median(times).toFixed(1)} | ${ok ? 'yes' : 'NO'} |`);
  const overrides = reps.filter((_, i) => i % 50 === 0).map((q) => ({ nodeId: q.nodeId, quotaMinor: Math.round(q.quotaMinor * 1.1) }));
  for (const rebalance of [false, true]) {
    const t: number[] = [];
    let gaps = 0;
    for (let run = 0; run < RUNS; run += 1) {
      const start = performance.now();
      const applied = applyQuotaOverrides({ targetMinor: TARGET_MINOR, quotas: result.quotas, overrides, rebalance });
      t.push(performance.now() - start);
      gaps = applied.gaps.length;
    }
    console.log(`| ${overrides.length} bottom-up overrides (+10 %), rebalance ${rebalance ? 'on' : 'off'} | ${median(t).toFixed(1)} | ${gaps === 0 ? 'yes' : `${gaps} parents show a gap (by design)`} |`);
  }
}

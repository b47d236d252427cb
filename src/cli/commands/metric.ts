import { addDays } from '../../core/period.js';
import { evaluateMetric, listMetrics, type MetricResult } from '../../store/metrics/service.js';
import { findTenantBySlug, type Tenant } from '../../store/repos/tenants.js';
import type { Store } from '../../store/store.js';
import { UsageError, withStore, type RegisterCommand } from '../shared.js';

const CLI_ACTOR = { actor: { userId: null, tokenId: null }, requestId: 'cli' };

/** Digits after the decimal point of a currency's major unit (ISO 4217; 2 unless listed). */
const MINOR_DIGITS: Record<string, number> = { JPY: 0, KRW: 0, CLP: 0, ISK: 0, VND: 0, HUF: 2, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3, LYD: 3, IQD: 3 };

/** Minor units as a major-unit decimal string, exactly: '150000' EUR → '1500.00', '47500.25' → '475.0025'. */
export function formatMoney(minor: string, currency: string): string {
  const digits = MINOR_DIGITS[currency] ?? 2;
  const negative = minor.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? minor.slice(1) : minor).split('.');
  const all = (whole + fraction).padStart(digits + 1 + fraction.length, '0');
  const point = all.length - digits - fraction.length;
  const major = `${all.slice(0, point).replace(/^0+(?=\d)/, '')}${digits + fraction.length > 0 ? `.${all.slice(point)}` : ''}`;
  return negative ? `-${major}` : major;
}

async function tenantOf(store: Store, slug: string): Promise<Tenant> {
  const tenant = await store.asSystem((tx) => findTenantBySlug(tx, slug));
  if (!tenant) throw new UsageError(`no workspace with slug "${slug}"`);
  return tenant;
}

/** Prints rows as an aligned table: text left, numbers right. */
function printTable(header: string[], rows: string[][], numeric: boolean[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

function printResult(result: MetricResult, currency: string): void {
  const value = (v: string | null) => (v === null ? '—' : result.unit === 'money' ? formatMoney(v, currency) : v);
  const unit = result.unit === 'money' ? currency : result.unit === 'percent' ? '%' : result.unit;
  const span = (p: { start: string; end: string }) => `${p.start} … ${addDays(p.end, -1)}`;
  console.log(`${result.name.en} (${result.metric.key} v${result.metric.version ?? '—'}, ${result.metric.source}) — ${result.period.key}: ${span(result.period)}`);
  if (result.baselinePeriod) console.log(`compared with ${result.baselinePeriod.key}: ${span(result.baselinePeriod)}`);
  console.log('');
  const rows = result.groups.map((g) => [g.label, value(g.value), String(g.recordCount)]);
  rows.push(['total', value(result.total.value), String(result.total.recordCount)]);
  printTable([result.groupBy ?? '', `value (${unit})`, 'records'], result.groupBy ? rows : rows.slice(-1), [false, true, true]);
}

export const registerMetric: RegisterCommand = (program) => {
  const metric = program.command('metric').description('Metrics: the catalogue and custom metrics, evaluated against the store in use');

  metric
    .command('list')
    .description('List the catalogue and the workspace’s custom metrics (latest versions)')
    .option('--tenant <slug>', 'workspace slug', 'demo')
    .option('--json', 'print the API’s JSON (GET /api/metrics)')
    .action(async (options: { tenant: string; json?: boolean }) => {
      await withStore('attain metric list', async (store) => {
        const tenant = await tenantOf(store, options.tenant);
        const items = await store.inTenant(tenant.id, CLI_ACTOR, listMetrics);
        if (options.json) {
          console.log(JSON.stringify({ items }, null, 2));
          return;
        }
        printTable(
          ['key', 'version', 'source', 'unit', 'dataset', 'name'],
          items.map((m) => [m.key, String(m.version), m.source, m.definition.unit, m.definition.dataset, m.definition.name.en + (m.missingDatasets.length ? ` (needs dataset ${m.missingDatasets.join(', ')})` : '')]),
          [false, true, false, false, false, false],
        );
      });
    });

  metric
    .command('eval')
    .description('Evaluate a metric for a period, optionally grouped')
    .argument('<name>', 'metric key, e.g. revenue')
    .requiredOption('--period <period>', '2026-W05, 2026-03, 2026-Q1, FY2026 or 2026-01-15..2026-02-14')
    .option('--by <dimension>', 'owner, team (rolled up), territory or a field the metric allows')
    .option('--version <n>', 'a custom metric’s version (default: the latest)')
    .option('--tenant <slug>', 'workspace slug', 'demo')
    .option('--json', 'print the API’s JSON (POST /api/metrics/evaluate)')
    .action(async (name: string, options: { period: string; by?: string; version?: string; tenant: string; json?: boolean }) => {
      const version = options.version === undefined ? undefined : Number(options.version);
      if (version !== undefined && (!Number.isInteger(version) || version < 1)) throw new UsageError('--version: a whole number from 1');
      await withStore('attain metric eval', async (store) => {
        const tenant = await tenantOf(store, options.tenant);
        const result = await store.inTenant(tenant.id, CLI_ACTOR, (scope) =>
          evaluateMetric(scope, { metric: { key: name, version }, period: options.period, groupBy: options.by ?? null }));
        if (!result.ok) {
          if (result.reason === 'not_found') throw new UsageError(`${result.message} (see: attain metric list --tenant ${tenant.slug})`);
          throw new UsageError(result.issues.map((i) => `${i.path === 'groupBy' ? '--by' : i.path === 'period' ? '--period' : i.path}: ${i.message}`).join('\n'));
        }
        if (options.json) console.log(JSON.stringify(result.value, null, 2));
        else printResult(result.value, tenant.currency);
      });
    });
};

/**
 * `attain comp calc` and `attain comp simulate`: the payout engine on files, no database.
 * Plans are YAML/JSON documents (docs/schemas/comp-plan.schema.json), data are CSV files;
 * every row is checked before anything is computed (a bad row: exit 2, nothing printed to
 * stdout). Money in the files is major units with a decimal point, read exactly into minor
 * units (parseMajor). File formats: README.md, "Compensation from files".
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import {
  allocateSplits, calculatePayouts, comparePlans, formatMoney, parseCompPlan, parseDecimal, parseMajor,
  type Assignment, type CalculationInput, type ClawbackEvent, type CompIssue, type CompPlan, type CompRecord, type MetricValueInput,
  type PaidCommission, type PayoutLine, type PayoutResult, type QuotaInput, type ScoreInput, type TeamNode, type WhatIfResult,
} from '../../core/comp/index.js';
import { add, rational, ZERO, type Rational } from '../../core/comp/money.js';
import { currencyExponent } from '../../core/data/currency.js';
import { formatRational } from '../../core/metrics/rational.js';
import { addDays, CALENDAR_YEAR, parsePeriod, periodContaining, toEpochDay, type Period } from '../../core/period.js';
import { UsageError, type RegisterCommand } from '../shared.js';

interface DataOptions {
  plan: string[];
  deals?: string;
  quotas?: string;
  payees?: string;
  assignments?: string;
  metrics?: string;
  scores?: string;
  period: string;
  json?: boolean;
}

/** Errors of every file, reported together (one line each). */
class Problems {
  readonly lines: string[] = [];
  row(file: string, row: CsvRow, column: string, reason: string): void {
    const value = row.values[column] ?? '';
    this.lines.push(`${file} row ${row.index} (line ${row.line}), column ${column}: ${JSON.stringify(value)} ${reason}`);
  }
  file(file: string, message: string): void {
    this.lines.push(`${file}: ${message}`);
  }
  throwIfAny(what: string): void {
    if (this.lines.length === 0) return;
    const shown = this.lines.slice(0, 50);
    const more = this.lines.length > shown.length ? `\n  … and ${this.lines.length - shown.length} more` : '';
    throw new UsageError(`${what}; nothing was calculated:\n${shown.map((l) => `  ${l}`).join('\n')}${more}`);
  }
}

interface CsvRow {
  /** 1 = the first data row. */
  index: number;
  /** The line of the file the row ends on (the header is line 1). */
  line: number;
  values: Record<string, string>;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
}

/** A CSV file with a header row; column names are matched case-insensitively, values trimmed. */
async function readCsv(file: string, required: readonly string[], problems: Problems): Promise<{ rows: CsvRow[]; columns: string[] }> {
  const text = await readText(file);
  let records: { record: Record<string, string>; info: { lines: number } }[];
  let columns: string[] = [];
  try {
    records = parseCsv(text, {
      bom: true, trim: true, skip_empty_lines: true, info: true,
      columns: (header: string[]) => (columns = header.map((h) => h.trim().toLowerCase())),
    }) as unknown as typeof records;
  } catch (error) {
    problems.file(file, `not readable as CSV: ${(error as Error).message}`);
    return { rows: [], columns: [] };
  }
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    problems.file(file, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (has: ${columns.join(', ') || 'none'})`);
    return { rows: [], columns };
  }
  return { rows: records.map((r, i) => ({ index: i + 1, line: r.info.lines, values: r.record })), columns };
}

const DECIMAL = /^-?\d+(\.\d+)?$/;
const isDate = (text: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(text) && toEpochDay(text) !== null;

/** An exact decimal moved `places` digits to the left of the point: major → minor units. */
function shiftDecimal(text: string, places: number): string {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const digits = whole + fraction.padEnd(places, '0');
  const point = whole.length + places;
  const int = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(point).replace(/0+$/, '');
  const out = `${int}${rest ? `.${rest}` : ''}`;
  return negative && /[1-9]/.test(out) ? `-${out}` : out;
}

// ── plans ────────────────────────────────────────────────────────────────────

async function readPlans(files: readonly string[], flag: string): Promise<CompPlan[]> {
  if (files.length === 0) throw new UsageError(`give at least one ${flag} <file>`);
  const problems: string[] = [];
  const plans: CompPlan[] = [];
  for (const file of files) {
    const text = await readText(file);
    let data: unknown;
    try {
      data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    } catch (error) {
      problems.push(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0] ?? ''}`);
      continue;
    }
    const parsed = parseCompPlan(data);
    if (!parsed.ok) {
      for (const issue of parsed.issues) problems.push(`${file}: ${issue.path || '(document)'}: ${issue.message} [${issue.code}]`);
      continue;
    }
    for (const warning of parsed.warnings) console.error(`attain: warning: ${file}: ${warning.path}: ${warning.message}`);
    const clash = plans.find((p) => p.id === parsed.plan.id && p.version === parsed.plan.version);
    if (clash) problems.push(`${file}: plan ${parsed.plan.id} version ${parsed.plan.version} is given twice`);
    else plans.push(parsed.plan);
  }
  if (problems.length > 0) throw new UsageError(`invalid plan${problems.length > 1 ? 's' : ''}; nothing was calculated:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return plans;
}

// ── data files ───────────────────────────────────────────────────────────────

const DEAL_COLUMNS = new Set(['id', 'owner', 'amount', 'currency', 'date', 'splits', 'overlays', 'cancelled_on', 'churned_on']);

/** `payee:percent;payee:percent` (percent as 60, 33.34 or 60%). */
function parseShares(text: string): { payeeId: string; percent: string }[] | null {
  const out: { payeeId: string; percent: string }[] = [];
  for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([^:]+):\s*(\d+(?:\.\d+)?)\s*%?$/.exec(part);
    if (!match) return null;
    out.push({ payeeId: (match[1] ?? '').trim(), percent: match[2] ?? '' });
  }
  return out.length > 0 ? out : null;
}

interface Deals {
  records: CompRecord[];
  events: ClawbackEvent[];
}

async function readDeals(file: string, problems: Problems): Promise<Deals> {
  const { rows, columns } = await readCsv(file, ['id', 'owner', 'amount', 'currency', 'date'], problems);
  const records: CompRecord[] = [];
  const events: ClawbackEvent[] = [];
  const seen = new Set<string>();
  const fieldColumns = columns.filter((c) => !DEAL_COLUMNS.has(c));
  for (const row of rows) {
    const v = row.values;
    let ok = true;
    const bad = (column: string, reason: string): void => {
      problems.row(file, row, column, reason);
      ok = false;
    };
    const id = v.id ?? '';
    const ownerId = v.owner ?? '';
    const currency = (v.currency ?? '').toUpperCase();
    const date = v.date ?? '';
    if (!id) bad('id', 'is empty: every deal needs an id');
    else if (seen.has(id)) bad('id', 'is used by an earlier row');
    seen.add(id);
    if (!ownerId) bad('owner', 'is empty: every deal needs an owner');
    if (currencyExponent(currency) === null) bad('currency', 'is not an ISO 4217 currency code such as EUR');
    if (!isDate(date)) bad('date', 'is not a date as YYYY-MM-DD');
    let amountMinor: number | null = null;
    if (currencyExponent(currency) !== null) {
      amountMinor = parseMajor(v.amount ?? '', currency);
      if (amountMinor === null) bad('amount', `is not an amount of ${currency} in major units with at most ${currencyExponent(currency)} decimals after a decimal point (e.g. 1250.50)`);
    }
    let splits: { payeeId: string; percent: string }[] | undefined;
    if (v.splits) {
      const parsed = parseShares(v.splits);
      if (parsed === null) bad('splits', 'is not a list of payee:percent separated by ; (e.g. ann:60;bob:40)');
      else if (allocateSplits(100, parsed.map((s) => s.percent)) === null) bad('splits', 'has percentages that do not sum to exactly 100');
      else splits = parsed;
    }
    let overlays: { payeeId: string; percent: string }[] | undefined;
    if (v.overlays) {
      const parsed = parseShares(v.overlays);
      if (parsed === null) bad('overlays', 'is not a list of payee:percent separated by ; (e.g. se:100)');
      else overlays = parsed;
    }
    for (const [column, kind] of [['cancelled_on', 'cancelled'], ['churned_on', 'churned']] as const) {
      const on = v[column];
      if (!on) continue;
      if (!isDate(on)) bad(column, 'is not a date as YYYY-MM-DD');
      else if (isDate(date) && on < date) bad(column, `is before the close date ${date}`);
      else events.push({ recordId: id, kind, date: on });
    }
    if (!ok || amountMinor === null) continue;
    const fields: Record<string, string> = {};
    for (const c of fieldColumns) if (v[c]) fields[c] = v[c];
    records.push({
      id, amountMinor, currency, ownerId, date, fields,
      ...(splits ? { splits } : {}),
      ...(overlays ? { overlays } : {}),
    });
  }
  return { records, events };
}

interface Payees {
  names: Map<string, string>;
  assignments: Assignment[];
  teams: TeamNode[];
  /** Assignments to plans not among --plan (skipped, reported on stderr). */
  skipped: Set<string>;
}

/** plan + plan_version → the plan given (blank version = the highest given). */
function resolvePlan(plans: readonly CompPlan[], planId: string, version: string): CompPlan | 'unknown' | 'bad_version' {
  const same = plans.filter((p) => p.id === planId);
  if (same.length === 0) return 'unknown';
  if (!version) return same.reduce((a, b) => (b.version > a.version ? b : a));
  if (!/^\d+$/.test(version)) return 'bad_version';
  return same.find((p) => p.version === Number(version)) ?? 'unknown';
}

function readAssignmentRow(args: { file: string; row: CsvRow; payeeColumn: string; plans: readonly CompPlan[]; problems: Problems; out: Payees }): void {
  const { file, row, plans, problems, out } = args;
  const v = row.values;
  const payeeId = v[args.payeeColumn] ?? '';
  const planId = v.plan ?? '';
  if (!planId) return;
  const from = v.from ?? '';
  const to = v.to ?? '';
  if (from && !isDate(from)) return problems.row(file, row, 'from', 'is not a date as YYYY-MM-DD');
  if (to && !isDate(to)) return problems.row(file, row, 'to', 'is not a date as YYYY-MM-DD');
  if (from && to && to <= from) return problems.row(file, row, 'to', `must be after from (${from}); to is the first day no longer on the plan`);
  const plan = resolvePlan(plans, planId, v.plan_version ?? '');
  if (plan === 'bad_version') return problems.row(file, row, 'plan_version', 'is not a whole number');
  if (plan === 'unknown') {
    out.skipped.add(`${planId}${v.plan_version ? `@${v.plan_version}` : ''}`);
    return;
  }
  out.assignments.push({ payeeId, planId: plan.id, planVersion: plan.version, from: from || plan.effectiveFrom, to: to || null });
}

async function readPayees(options: DataOptions, plans: readonly CompPlan[], problems: Problems): Promise<Payees | null> {
  if (!options.payees && !options.assignments) return null;
  const out: Payees = { names: new Map(), assignments: [], teams: [], skipped: new Set() };
  const managerOf = new Map<string, string>();
  if (options.payees) {
    const file = options.payees;
    const { rows, columns } = await readCsv(file, ['id'], problems);
    if (!options.assignments && rows.length > 0 && !columns.includes('plan')) problems.file(file, 'has no plan column: give plan (and plan_version, from, to) per payee, or --assignments');
    const seen = new Set<string>();
    for (const row of rows) {
      const id = row.values.id ?? '';
      if (!id) {
        problems.row(file, row, 'id', 'is empty: every payee needs an id');
        continue;
      }
      // A payee may have several rows in the payees file: one per assignment.
      if (!seen.has(id)) {
        seen.add(id);
        if (row.values.name) out.names.set(id, row.values.name);
      }
      const kind = row.values.kind ?? '';
      if (kind && kind !== 'employee' && kind !== 'partner') problems.row(file, row, 'kind', 'must be employee or partner');
      const manager = row.values.manager ?? '';
      if (manager && manager !== id) managerOf.set(id, manager);
      if (!options.assignments) readAssignmentRow({ file, row, payeeColumn: 'id', plans, problems, out });
    }
  }
  if (options.assignments) {
    const file = options.assignments;
    const { rows } = await readCsv(file, ['payee', 'plan'], problems);
    for (const row of rows) {
      if (!row.values.payee) problems.row(file, row, 'payee', 'is empty');
      else if (!row.values.plan) problems.row(file, row, 'plan', 'is empty');
      else readAssignmentRow({ file, row, payeeColumn: 'payee', plans, problems, out });
    }
  }
  // The manager column builds the team tree for manager roll-up credit: one team per manager.
  const reports = new Map<string, string[]>();
  for (const [payee, manager] of managerOf) reports.set(manager, [...(reports.get(manager) ?? []), payee]);
  for (const [manager, members] of [...reports].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const above = managerOf.get(manager);
    out.teams.push({ id: `team:${manager}`, parentId: above ? `team:${above}` : null, managerId: manager, memberIds: members.sort() });
  }
  return out;
}

/** The currency a payee is paid in (their first assignment's plan), else the plans' one currency. */
function currencyOf(payeeId: string, assignments: readonly Assignment[], plans: readonly CompPlan[]): string | null {
  const a = assignments.find((x) => x.payeeId === payeeId);
  const plan = a ? plans.find((p) => p.id === a.planId && p.version === a.planVersion) : undefined;
  if (plan) return plan.currency;
  const currencies = new Set(plans.map((p) => p.currency));
  return currencies.size === 1 ? (plans[0]?.currency ?? null) : null;
}

async function readQuotas(file: string, ctx: { assignments: readonly Assignment[]; plans: readonly CompPlan[] }, problems: Problems): Promise<QuotaInput[]> {
  const { rows } = await readCsv(file, ['payee', 'period', 'quota'], problems);
  const out: QuotaInput[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const v = row.values;
    const payeeId = v.payee ?? '';
    if (!payeeId) {
      problems.row(file, row, 'payee', 'is empty');
      continue;
    }
    const period = parsePeriod(v.period ?? '', CALENDAR_YEAR);
    if (!period.ok) {
      problems.row(file, row, 'period', 'is not a period such as 2026-Q1, 2026-03 or FY2026');
      continue;
    }
    const key = `${payeeId} ${period.period.key}`;
    if (seen.has(key)) problems.row(file, row, 'period', `repeats the quota of ${payeeId} for this period`);
    seen.add(key);
    const currency = v.currency ? v.currency.toUpperCase() : currencyOf(payeeId, ctx.assignments, ctx.plans);
    if (currency === null) continue; // a payee on none of the plans given
    if (currencyExponent(currency) === null) {
      problems.row(file, row, 'currency', 'is not an ISO 4217 currency code');
      continue;
    }
    const quotaMinor = parseMajor(v.quota ?? '', currency);
    if (quotaMinor === null || quotaMinor < 0) problems.row(file, row, 'quota', `is not an amount ≥ 0 of ${currency} in major units with at most ${currencyExponent(currency)} decimals`);
    else out.push({ payeeId, periodKey: period.period.key, quotaMinor });
  }
  return out;
}

/** A row's optional period column: true when it is blank or names --period. */
function inPeriod(file: string, row: CsvRow, period: Period, problems: Problems): boolean {
  const text = row.values.period;
  if (!text) return true;
  const parsed = parsePeriod(text, CALENDAR_YEAR);
  if (!parsed.ok) {
    problems.row(file, row, 'period', 'is not a period such as 2026-Q1');
    return false;
  }
  return parsed.period.key === period.key;
}

/**
 * Metric values (payee, metric, value[, period]). Money metrics (a plan reads them with
 * unit: money) are written in major units like every amount in the files; quantities as is.
 */
async function readMetrics(file: string, ctx: { period: Period; plans: readonly CompPlan[] }, problems: Problems): Promise<MetricValueInput[]> {
  const { rows } = await readCsv(file, ['payee', 'metric', 'value'], problems);
  const moneyExponent = new Map<string, number>();
  for (const plan of ctx.plans) {
    for (const c of plan.components) if ((c.kind === 'commission' || c.kind === 'partner') && c.base.kind === 'metric' && c.base.unit === 'money') moneyExponent.set(c.base.metric, plan.exponent);
  }
  const out: MetricValueInput[] = [];
  for (const row of rows) {
    const { payee = '', metric = '', value = '' } = row.values;
    if (!payee) problems.row(file, row, 'payee', 'is empty');
    else if (!metric) problems.row(file, row, 'metric', 'is empty');
    else if (!DECIMAL.test(value)) problems.row(file, row, 'value', 'is not a decimal number with a decimal point (e.g. 120000 or 8000.50)');
    else if (inPeriod(file, row, ctx.period, problems)) {
      const exponent = moneyExponent.get(metric);
      out.push({ payeeId: payee, metric, value: exponent === undefined ? value : shiftDecimal(value, exponent) });
    }
  }
  return out;
}

async function readScores(file: string, period: Period, problems: Problems): Promise<ScoreInput[]> {
  const { rows } = await readCsv(file, ['payee', 'key', 'score'], problems);
  const out: ScoreInput[] = [];
  for (const row of rows) {
    const { payee = '', key = '', score = '', commitment = 'committed' } = row.values;
    const value = parseDecimal(score);
    if (!payee) problems.row(file, row, 'payee', 'is empty');
    else if (!key) problems.row(file, row, 'key', 'is empty');
    else if (value === null || value.num < 0n || value.num > value.den) problems.row(file, row, 'score', 'is not a score between 0 and 1 (or 0 % to 100 %)');
    else if (commitment !== 'committed' && commitment !== 'aspirational') problems.row(file, row, 'commitment', 'must be committed or aspirational');
    else if (inPeriod(file, row, period, problems)) out.push({ payeeId: payee, key, score, commitment });
  }
  return out;
}

// ── the calculation input ────────────────────────────────────────────────────

interface Loaded {
  period: Period;
  plans: CompPlan[];
  input: CalculationInput;
  names: Map<string, string>;
  dealCount: number;
}

function periodOf(key: string): Period {
  const parsed = parsePeriod(key, CALENDAR_YEAR, '--period');
  if (!parsed.ok) throw new UsageError(`--period: ${parsed.issues[0]?.message ?? 'not a period'}`);
  return parsed.period;
}

/**
 * Commission paid on the records cancelled or churned in the period, for clawbacks: the
 * same files calculated for the period each record closed in (what that run paid on it).
 */
function paidOnReversedRecords(input: CalculationInput, deals: Deals, period: Period): PaidCommission[] {
  const start = period.start;
  const reversed = new Set(deals.events.filter((e) => e.date >= start && e.date < period.end).map((e) => e.recordId));
  if (reversed.size === 0) return [];
  const kind = period.kind === 'range' ? 'month' : period.kind;
  const byId = new Map(deals.records.map((r) => [r.id, r]));
  const periods = new Map<string, Period>();
  for (const id of reversed) {
    const record = byId.get(id);
    if (record) {
      const p = periodContaining(kind, record.date, CALENDAR_YEAR);
      periods.set(p.key, p);
    }
  }
  const paid: PaidCommission[] = [];
  for (const p of [...periods.values()].sort((a, b) => (a.start < b.start ? -1 : 1))) {
    const run = calculatePayouts({ ...input, period: p, metricValues: [], scores: [], clawbackEvents: [], paidCommissions: [], explain: true });
    for (const payee of run.payees) {
      for (const line of payee.lines) {
        if ((line.kind !== 'commission' && line.kind !== 'partner') || line.componentId === null) continue;
        for (const credit of line.explanation.credits) {
          const record = byId.get(credit.recordId);
          if (!record || !reversed.has(credit.recordId) || credit.attributedMinor === 0) continue;
          paid.push({ recordId: credit.recordId, payeeId: payee.payeeId, componentId: line.componentId, amountMinor: credit.attributedMinor, recordDate: record.date, periodKey: p.key });
        }
      }
    }
  }
  return paid;
}

async function loadInputs(options: DataOptions, plans: CompPlan[]): Promise<Loaded> {
  const period = periodOf(options.period);
  if (!options.deals) throw new UsageError('give --deals <file> (a CSV file of closed deals; it may have a header row only)');
  const problems = new Problems();
  const deals = await readDeals(options.deals, problems);
  const payees = await readPayees(options, plans, problems);
  let assignments: Assignment[];
  if (payees) assignments = payees.assignments;
  else {
    const plan = plans[0];
    if (plans.length !== 1 || !plan) throw new UsageError('with several plans, say who is on which: --payees <file> (with plan columns) or --assignments <file>');
    assignments = [];
    const ids = new Set<string>();
    // A plan paid on metrics only (a partner programme) is not for the deals' owners.
    const usesDeals = plan.components.some((c) => c.kind === 'spiff' || ((c.kind === 'commission' || c.kind === 'partner') && c.base.kind === 'credits'));
    for (const r of usesDeals ? deals.records : []) {
      ids.add(r.ownerId);
      for (const s of r.splits ?? []) ids.add(s.payeeId);
    }
    for (const id of [...ids].sort()) assignments.push({ payeeId: id, planId: plan.id, planVersion: plan.version, from: plan.effectiveFrom });
  }
  const quotas = options.quotas ? await readQuotas(options.quotas, { assignments, plans }, problems) : [];
  const metricValues = options.metrics ? await readMetrics(options.metrics, { period, plans }, problems) : [];
  const scores = options.scores ? await readScores(options.scores, period, problems) : [];
  problems.throwIfAny('bad rows in the data files');
  if (payees && payees.skipped.size > 0) console.error(`attain: note: assignments to plans not given were skipped: ${[...payees.skipped].sort().join(', ')}`);
  if (!payees && metricValues.length > 0 && plans[0]) {
    // Metric-only payees (partners) are assigned to the single plan, like deal owners.
    const plan = plans[0];
    for (const id of new Set(metricValues.map((m) => m.payeeId))) {
      if (!assignments.some((a) => a.payeeId === id)) assignments.push({ payeeId: id, planId: plan.id, planVersion: plan.version, from: plan.effectiveFrom });
    }
  }
  const teams = payees?.teams ?? [];
  const input: CalculationInput = {
    period, plans, assignments, quotas, records: deals.records, metricValues, scores, clawbackEvents: deals.events,
    ...(teams.length > 0 ? { crediting: { teams } } : {}),
  };
  const paidCommissions = paidOnReversedRecords(input, deals, period);
  return { period, plans, input: { ...input, paidCommissions }, names: payees?.names ?? new Map(), dealCount: deals.records.length };
}

// ── text output ──────────────────────────────────────────────────────────────

/** Minor units (or an exact amount of them) as grouped major units: 123456750 EUR → '1,234,567.50'. */
function money(amount: number | Rational, currency: string): string {
  const text = formatMoney(amount, currency);
  const negative = text.startsWith('-');
  const [whole = '', fraction] = (negative ? text.slice(1) : text).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** A ratio '1.0400' as '104 %'. */
const percent = (ratio: string | null): string => (ratio === null ? '—' : `${shiftDecimal(ratio, 2).replace(/(\.\d{2})\d+$/, '$1')} %`);

/** A cost share of revenue, exactly to 0.01 %: earnings ÷ revenue. */
function share(costMinor: number, revenueMinor: number): string {
  if (revenueMinor === 0) return '—';
  return percent(formatRational(rational(BigInt(costMinor), BigInt(revenueMinor)), 4));
}

const pad = (text: string, width: number): string => (text.length >= width ? text : text + ' '.repeat(width - text.length));
const padStart = (text: string, width: number): string => (text.length >= width ? text : ' '.repeat(width - text.length) + text);

function table(rows: readonly string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (rightAligned.has(i) ? padStart(cell, widths[i] ?? 0) : pad(cell, widths[i] ?? 0))).join('  ').trimEnd());
}

function isQuantityComponent(plans: readonly CompPlan[], planId: string | null, version: number | null, componentId: string | null): boolean {
  const plan = plans.find((p) => p.id === planId && p.version === version);
  const c = plan?.components.find((x) => x.id === componentId);
  return !!c && (c.kind === 'commission' || c.kind === 'partner') && c.base.kind === 'metric' && c.base.unit === 'quantity';
}

function printIssues(issues: readonly CompIssue[]): void {
  if (issues.length === 0) return;
  console.log('Issues:');
  for (const issue of issues) console.log(`  ! ${issue.path}: ${issue.message} [${issue.code}]`);
  console.log('');
}

function printPayouts(loaded: Loaded, result: PayoutResult): void {
  const { period, plans } = loaded;
  const last = addDays(period.end, -1);
  console.log(`Payouts ${period.key} (${period.start} – ${last}): ${result.payees.length} payees, ${loaded.dealCount} deals, plans ${plans.map((p) => `${p.id}@${p.version}`).join(', ')}\n`);
  const isQuantity = (line: PayoutLine) => isQuantityComponent(plans, line.planId, line.planVersion, line.componentId);
  const rateOf = (line: PayoutLine, rate: string) => (isQuantity(line) ? `${rate} ${line.currency}/unit` : percent(rate));
  for (const payee of result.payees) {
    const c = payee.currency;
    const name = loaded.names.get(payee.payeeId);
    const segs = payee.segments.map((s) => `${s.planId}@${s.planVersion}${s.factor === '1' ? '' : ` ${s.from}…${s.to} (×${s.factor})`}`).join(', ');
    console.log(`${payee.payeeId}${name ? ` — ${name}` : ''}  [${segs}]`);
    const prorated = payee.segments.reduce((a: Rational, seg) => add(a, parseDecimal(seg.quota ?? '0') ?? ZERO), ZERO);
    const isProrated = payee.quotaMinor !== null && formatMoney(prorated, c) !== formatMoney(payee.quotaMinor, c);
    const quota = payee.quotaMinor === null ? 'no quota' : `quota ${money(payee.quotaMinor, c)} ${c}${isProrated ? ` (prorated ${money(prorated, c)})` : ''}`;
    console.log(`  ${quota} · credited ${money(payee.creditedMinor, c)} · attainment ${percent(payee.attainment)}`);
    const rows: string[][] = [['Line', 'Tier', 'Rate', `Amount ${c}`]];
    for (const line of payee.lines) {
      const tier = line.explanation.tier;
      const tierText = tier === null ? '—' : tier.basis === 'flat' ? 'flat' : `${tier.label || `tier ${tier.index + 1}`} (${tier.mode}, by ${tier.basis})`;
      const rate = line.explanation.rate;
      const rateText = rate === null ? '—' : rateOf(line, rate);
      rows.push([line.label, tierText, rateText, money(line.amountMinor, c)]);
    }
    rows.push(['Total', '', '', money(payee.totalMinor, c)]);
    for (const text of table(rows, new Set([2, 3]))) console.log(`  ${text}`);
    if (payee.drawBalanceOutMinor !== 0 || payee.drawBalanceInMinor !== 0) console.log(`  draw balance ${money(payee.drawBalanceInMinor, c)} → ${money(payee.drawBalanceOutMinor, c)}`);
    for (const line of payee.lines) {
      if (line.explanation.text) console.log(`  · ${line.explanation.text}`);
      const next = line.explanation.next;
      if (next) {
        const remaining = isQuantity(line) ? `${next.remaining} units` : `${money(parseDecimal(next.remaining) ?? ZERO, c)} ${c}`;
        console.log(`    next: ${next.label || `tier ${next.tierIndex + 1}`} at ${rateOf(line, next.rate)}, ${remaining} more to reach it`);
      }
      for (const w of line.warnings) console.log(`    ! ${w.message}`);
    }
    console.log('');
  }
  const rows: string[][] = [['Currency', 'Payees', 'Earnings', 'Paid', 'Revenue', 'Cost / revenue']];
  for (const t of result.totals) rows.push([t.currency, String(t.payees), money(t.earningsMinor, t.currency), money(t.totalMinor, t.currency), money(t.revenueMinor, t.currency), share(t.earningsMinor, t.revenueMinor)]);
  for (const text of table(rows, new Set([1, 2, 3, 4, 5]))) console.log(text);
  console.log('');
  printIssues(result.issues);
}

function printWhatIf(loaded: Loaded, against: readonly CompPlan[], result: WhatIfResult): void {
  const name = (plans: readonly CompPlan[]) => plans.map((p) => `${p.id}@${p.version}`).join(', ');
  console.log(`What-if ${loaded.period.key}: ${name(loaded.plans)} (baseline) against ${name(against)} (scenario), ${loaded.dealCount} deals\n`);
  const currencies = [...new Set([...result.baseline, ...result.scenario].map((s) => s.currency))].sort();
  for (const currency of currencies) {
    const b = result.baseline.find((s) => s.currency === currency);
    const s = result.scenario.find((x) => x.currency === currency);
    const m = (n: number | undefined) => (n === undefined ? '—' : money(n, currency));
    const delta = (x: number | undefined, y: number | undefined) => (x === undefined || y === undefined ? '—' : `${y - x > 0 ? '+' : ''}${money(y - x, currency)}`);
    const dist = (x: typeof b) => x?.distribution;
    const rows: string[][] = [
      [currency, 'Baseline', 'Scenario', 'Change'],
      ['Total cost (earnings)', m(b?.costMinor), m(s?.costMinor), delta(b?.costMinor, s?.costMinor)],
      ['Paid (after draws)', m(b?.payoutMinor), m(s?.payoutMinor), delta(b?.payoutMinor, s?.payoutMinor)],
      ['Revenue', m(b?.revenueMinor), m(s?.revenueMinor), ''],
      ['Cost share of revenue', percent(b?.costShareOfRevenue ?? null), percent(s?.costShareOfRevenue ?? null), ''],
      ['Payees', String(dist(b)?.payees ?? 0), String(dist(s)?.payees ?? 0), ''],
      ['Min', m(dist(b)?.minMinor), m(dist(s)?.minMinor), ''],
      ['25th percentile', m(dist(b)?.p25Minor), m(dist(s)?.p25Minor), ''],
      ['Median', m(dist(b)?.medianMinor), m(dist(s)?.medianMinor), ''],
      ['75th percentile', m(dist(b)?.p75Minor), m(dist(s)?.p75Minor), ''],
      ['Max', m(dist(b)?.maxMinor), m(dist(s)?.maxMinor), ''],
    ];
    for (const text of table(rows, new Set([1, 2, 3]))) console.log(text);
    console.log('');
    const payeeRows: string[][] = [['Payee', 'Baseline', 'Scenario', 'Change']];
    for (const p of result.payees.filter((x) => x.currency === currency)) {
      payeeRows.push([`${p.payeeId}${loaded.names.get(p.payeeId) ? ` (${loaded.names.get(p.payeeId) ?? ''})` : ''}`, m(p.baselineMinor), m(p.scenarioMinor), delta(p.baselineMinor, p.scenarioMinor)]);
    }
    for (const text of table(payeeRows, new Set([1, 2, 3]))) console.log(text);
    console.log('');
    const list = (title: string, items: typeof result.winners) => {
      const mine = items.filter((x) => x.currency === currency);
      console.log(`${title}: ${mine.length === 0 ? 'none' : mine.map((x) => `${x.payeeId} ${delta(x.baselineMinor, x.scenarioMinor)}`).join(', ')}`);
    };
    list('Biggest winners', result.winners);
    list('Biggest losers', result.losers);
    console.log('');
  }
  printIssues([...result.baselineRun.issues, ...result.scenarioRun.issues]);
}

// ── commands ─────────────────────────────────────────────────────────────────

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function dataOptions(command: Command): Command {
  return command
    .option('--deals <file>', 'closed deals CSV: id, owner, amount, currency, date, optional splits (ann:60;bob:40), overlays, cancelled_on, churned_on, and any field columns (product, region …)')
    .option('--quotas <file>', 'quotas CSV: payee, period, quota (major units), optional currency')
    .option('--payees <file>', 'payees CSV: id, name, kind, plan, plan_version, from, to (exclusive), optional manager; a payee may have several rows')
    .option('--assignments <file>', 'assignments CSV instead of the plan columns of --payees: payee, plan, plan_version, from, to')
    .option('--metrics <file>', 'metric values CSV: payee, metric, value (money metrics in major units), optional period')
    .option('--scores <file>', 'key result / MBO scores CSV: payee, key, score (0–1), commitment (committed | aspirational), optional period')
    .requiredOption('--period <key>', 'the period to pay: 2026-Q1, 2026-03, FY2026 …')
    .option('--json', 'print JSON instead of tables');
}

export const registerComp: RegisterCommand = (program) => {
  const comp = program.command('comp').description('Incentive compensation from files, no database (plans: docs/schemas/comp-plan.schema.json)');
  dataOptions(
    comp
      .command('calc')
      .description('Calculate a period’s payouts; --json prints the result as in docs/schemas/comp-payouts.schema.json')
      .option('--plan <file>', 'a plan document, .yaml/.yml or .json (repeat for several plans)', collect, []),
  ).action(async (options: DataOptions) => {
    const plans = await readPlans(options.plan, '--plan');
    const loaded = await loadInputs(options, plans);
    const result = calculatePayouts(loaded.input);
    if (options.json) console.log(JSON.stringify(result, null, 2));
    else printPayouts(loaded, result);
  });

  dataOptions(
    comp
      .command('simulate')
      .description('What-if: the same data under other plans, side by side (cost, cost share of revenue, distribution, winners and losers)')
      .option('--plan <file>', 'the baseline plan (repeat for several)', collect, [])
      .option('--against <file>', 'the scenario plan replacing the --plan at the same position (repeat as often as --plan)', collect, [])
      .option('--against-quotas <file>', 'scenario quotas CSV (default: the same quotas)'),
  ).action(async (options: DataOptions & { against: string[]; againstQuotas?: string }) => {
    const plans = await readPlans(options.plan, '--plan');
    const against = await readPlans(options.against, '--against');
    if (against.length !== plans.length) throw new UsageError(`give one --against per --plan (${plans.length} --plan, ${against.length} --against): each scenario plan replaces the baseline plan at its position`);
    const loaded = await loadInputs(options, plans);
    let quotas: QuotaInput[] | undefined;
    if (options.againstQuotas) {
      const problems = new Problems();
      quotas = await readQuotas(options.againstQuotas, { assignments: loaded.input.assignments, plans }, problems);
      problems.throwIfAny('bad rows in the data files');
    }
    const remap = plans.map((p, i) => ({ from: { planId: p.id, planVersion: p.version }, to: { planId: against[i]?.id ?? p.id, planVersion: against[i]?.version ?? p.version } }));
    const result = comparePlans({ input: loaded.input, scenario: { plans: against, remap, ...(quotas ? { quotas } : {}) } });
    if (options.json) console.log(JSON.stringify(result, null, 2));
    else printWhatIf(loaded, against, result);
  });
};

/**
 * A payout run's lines in payout_lines: how a run writes them (the engine's lines with the
 * credits behind each as four parallel arrays, migration 0014) and how statements read them
 * back (lines written before 0014 keep their credits in the explanation; both are read).
 * Used by payout-runs.ts, which owns the runs and their transactions.
 */
import type { CreditRef, PayoutLine } from '../../core/comp/payout-types.js';
import type { TenantScope } from '../store.js';

/** A PostgreSQL array literal of text values (quoted where the array syntax needs it). */
const PLAIN_ELEMENT = /^[A-Za-z0-9_.:@+-]+$/;
function textArray(values: readonly string[]): string {
  return `{${values.map((v) => (PLAIN_ELEMENT.test(v) && v.toUpperCase() !== 'NULL' ? v : `"${v.replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;
}

/** The columns of payout_lines a run writes, after tenant, run and line number. */
export const LINE_COLUMNS = 'line_id, payee_id, kind, component_id, label, plan_id, plan_version, amount_minor, currency, explanation, warnings, reason, credit_record_ids, credit_kinds, credit_credited_minor, credit_attributed_minor';
/** How many parameter arrays encodeLines gives (the parameters linesUnnest reads). */
export const LINE_ARRAYS = 16;
/** unnest() of encodeLines' sixteen arrays from parameter $first on, as u(…, k) with k the line's position. */
export const linesUnnest = (first: number): string => {
  const types = ['text', 'uuid', 'text', 'text', 'text', 'text', 'int', 'bigint', 'text', 'jsonb', 'jsonb', 'text', 'text', 'text', 'text', 'text'];
  return `unnest(${types.map((t, i) => `$${first + i}::${t}[]`).join(', ')}) WITH ORDINALITY
           AS u(line_id, payee_id, kind, component_id, label, plan_id, plan_version, amount, currency, explanation, warnings, reason, ids, kinds, credited, attributed, k)`;
};
export const LINE_VALUES = 'u.line_id, u.payee_id, u.kind, u.component_id, u.label, u.plan_id, u.plan_version, u.amount, u.currency, u.explanation, u.warnings, u.reason, u.ids::text[], u.kinds::text[], u.credited::bigint[], u.attributed::bigint[]';

/**
 * Lines as the sixteen parameter arrays of linesUnnest: the credits behind each line go into
 * four parallel arrays (record ids, kinds, credited and attributed minor units) rather than an
 * object per credit in the explanation.
 */
export function encodeLines(lines: readonly PayoutLine[]): unknown[][] {
  const explanations: string[] = [];
  const ids: (string | null)[] = [];
  const kinds: (string | null)[] = [];
  const credited: (string | null)[] = [];
  const attributed: (string | null)[] = [];
  for (const l of lines) {
    const { credits, ...rest } = l.explanation;
    explanations.push(JSON.stringify(rest));
    const some = credits.length > 0;
    ids.push(some ? textArray(credits.map((c) => c.recordId)) : null);
    kinds.push(some ? textArray(credits.map((c) => c.kind)) : null);
    credited.push(some ? `{${credits.map((c) => c.creditedMinor).join(',')}}` : null);
    attributed.push(some ? `{${credits.map((c) => c.attributedMinor).join(',')}}` : null);
  }
  return [
    lines.map((l) => l.lineId), lines.map((l) => l.payeeId), lines.map((l) => l.kind), lines.map((l) => l.componentId), lines.map((l) => l.label),
    lines.map((l) => l.planId), lines.map((l) => l.planVersion), lines.map((l) => String(l.amountMinor)), lines.map((l) => l.currency),
    explanations, lines.map((l) => JSON.stringify(l.warnings)), lines.map((l) => l.reason ?? null), ids, kinds, credited, attributed,
  ];
}

/** Writes a run's lines, numbered 1, 2, … in order. */
export async function insertLines(scope: TenantScope, runId: string, lines: readonly PayoutLine[]): Promise<void> {
  const chunk = 2000;
  for (let i = 0; i < lines.length; i += chunk) {
    await scope.tx.query(
      `INSERT INTO payout_lines (tenant_id, run_id, line_no, ${LINE_COLUMNS})
       SELECT $1, $2, $3::int + u.k, ${LINE_VALUES} FROM ${linesUnnest(4)}`,
      [scope.tenantId, runId, i, ...encodeLines(lines.slice(i, i + chunk))],
    );
  }
}


export interface StoredLine extends PayoutLine {
  lineNo: number;
  runId: string;
}

interface LineRow {
  run_id: string; line_no: number; line_id: string; payee_id: string; kind: PayoutLine['kind']; component_id: string | null; label: string;
  plan_id: string | null; plan_version: number | null; amount_minor: string; currency: string; warnings: PayoutLine['warnings']; reason: string | null;
  /** Lines written before migration 0014 carry their credits in here. */
  explanation: Omit<PayoutLine['explanation'], 'credits'> & { credits?: CreditRef[] };
  credit_record_ids: string[] | null; credit_kinds: CreditRef['kind'][] | null; credit_credited_minor: string[] | null; credit_attributed_minor: string[] | null;
}
function creditsOf(r: LineRow): CreditRef[] {
  const ids = r.credit_record_ids;
  if (ids === null) return r.explanation.credits ?? [];
  const kinds = r.credit_kinds ?? [];
  const credited = r.credit_credited_minor ?? [];
  const attributed = r.credit_attributed_minor ?? [];
  return ids.map((recordId, i) => ({ recordId, kind: kinds[i] as CreditRef['kind'], creditedMinor: Number(credited[i]), attributedMinor: Number(attributed[i]) }));
}
const toLine = (r: LineRow): StoredLine => ({
  runId: r.run_id, lineNo: r.line_no, lineId: r.line_id, payeeId: r.payee_id, kind: r.kind, componentId: r.component_id, label: r.label,
  planId: r.plan_id, planVersion: r.plan_version, amountMinor: Number(r.amount_minor), currency: r.currency, explanation: { ...r.explanation, credits: creditsOf(r) }, warnings: r.warnings,
  ...(r.reason === null ? {} : { reason: r.reason }),
});

export async function listLines(scope: TenantScope, runId: string, payeeIds?: readonly string[]): Promise<StoredLine[]> {
  const rows = await scope.tx.query<LineRow>(
    `SELECT run_id, line_no, line_id, payee_id, kind, component_id, label, plan_id, plan_version, amount_minor, currency, explanation, warnings, reason,
            credit_record_ids, credit_kinds, credit_credited_minor, credit_attributed_minor
       FROM payout_lines WHERE tenant_id = $1 AND run_id = $2${payeeIds ? ' AND payee_id = ANY($3::uuid[])' : ''} ORDER BY line_no`,
    payeeIds ? [scope.tenantId, runId, payeeIds] : [scope.tenantId, runId],
  );
  return rows.map(toLine);
}

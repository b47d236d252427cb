/**
 * A payout run's lines in payout_lines: how a run writes them (the engine's lines with the
 * credits behind each packed in one bytea, migration 0015) and how statements read them back
 * (lines written before keep their credits in four arrays, migration 0014, or before that in
 * the explanation; all three are read). Used by payout-runs.ts, which owns the runs and their
 * transactions.
 */
import type { CreditRef, PayoutLine } from '../../core/comp/payout-types.js';
import type { CreditKind } from '../../core/comp/plan.js';
import type { TenantScope } from '../store.js';

// --- the credits' bytes (format: migration 0015) ------------------------------------------------

const FORMAT_VERSION = 1;
/** Version byte, then the widths in bytes of the record id, credited and attributed fields. */
const HEADER_BYTES = 4;
const TWO_32 = 2 ** 32;
const KIND_CODES: Readonly<Record<CreditKind, number>> = { owner: 0, split: 1, overlay: 2, team: 3, manager: 4, territory: 5 };
const KINDS_BY_CODE: readonly CreditKind[] = (Object.keys(KIND_CODES) as CreditKind[]).sort((a, b) => KIND_CODES[a] - KIND_CODES[b]);

/** A record id as the integer it names when written canonically (what records.id::text gives), else -1. */
function recordNumber(id: string): number {
  const n = id.length;
  // 15 digits stay below 2^53: exact as a double.
  if (n === 0 || n > 15 || (n > 1 && id.charCodeAt(0) === 48)) return -1;
  let value = 0;
  for (let i = 0; i < n; i += 1) {
    const digit = id.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Bytes of a signed big-endian integer holding every value from -(m + 1) to m (m < 2^53: at most 7). */
function widthOf(m: number): number {
  let width = 1;
  for (let limit = 128; m >= limit; limit *= 256) width += 1;
  return width;
}
/** The largest m with -(m + 1) ≤ value ≤ m, for widthOf. */
const magnitude = (value: number): number => {
  if (!Number.isSafeInteger(value)) throw new Error(`payout line credit: ${value} is not a safe integer`);
  return value < 0 ? -value - 1 : value;
};

function putInt(bytes: Uint8Array, at: number, width: number, value: number): void {
  if (width <= 4) {
    // Fits an int32: shifts take its bytes.
    for (let k = width - 1, shift = 0; k >= 0; k -= 1, shift += 8) bytes[at + k] = (value >> shift) & 255;
    return;
  }
  const high = Math.floor(value / TWO_32);
  const low = value - high * TWO_32;
  for (let k = 0; k < width; k += 1) bytes[at + width - 1 - k] = k < 4 ? (low / 2 ** (8 * k)) & 255 : (high >> (8 * (k - 4))) & 255;
}
function getInt(bytes: Uint8Array, at: number, width: number): number {
  const first = bytes[at] as number;
  let value = first >= 128 ? first - 256 : first;
  for (let k = 1; k < width; k += 1) value = value * 256 + (bytes[at + k] as number);
  return value;
}

/** Where a line's credits go in the blob, and the widths of their fields. */
interface Packing { at: number; bytes: number; wId: number; wCredited: number; wAttributed: number }

/** The credits of a chunk of lines, field by field (one pass over the credit objects; packing reads these). */
interface CreditColumns { ids: Float64Array; kinds: Uint8Array; credited: Float64Array; attributed: Float64Array }

/**
 * Reads a line's credits into `columns` from `first` on and measures them for the bytes
 * (migration 0015): the widths of the three integer fields, as narrow as this line's values
 * allow, and the size. Null when a record id is not an integer written canonically: such a
 * line keeps its credits in its explanation.
 */
function measureCredits(credits: readonly CreditRef[], columns: CreditColumns, first: number): Omit<Packing, 'at'> | null {
  const { ids, kinds, credited, attributed } = columns;
  let idMax = 0;
  let creditedMax = 0;
  let attributedMax = 0;
  for (let i = 0; i < credits.length; i += 1) {
    const c = credits[i] as CreditRef;
    const id = recordNumber(c.recordId);
    if (id < 0) return null;
    const k = first + i;
    ids[k] = id;
    kinds[k] = KIND_CODES[c.kind];
    credited[k] = c.creditedMinor;
    attributed[k] = c.attributedMinor;
    if (id > idMax) idMax = id;
    const m1 = magnitude(c.creditedMinor);
    if (m1 > creditedMax) creditedMax = m1;
    const m2 = magnitude(c.attributedMinor);
    if (m2 > attributedMax) attributedMax = m2;
  }
  const wId = widthOf(idMax);
  const wCredited = widthOf(creditedMax);
  const wAttributed = widthOf(attributedMax);
  return { bytes: HEADER_BYTES + credits.length * (wId + 1 + wCredited + wAttributed), wId, wCredited, wAttributed };
}

/** Writes a measured line's `count` credits: the version byte, the widths, then per credit its fields. */
function packCredits(blob: Uint8Array, p: Packing, columns: CreditColumns, first: number, count: number): void {
  const { at, wId, wCredited, wAttributed } = p;
  blob[at] = FORMAT_VERSION;
  blob[at + 1] = wId;
  blob[at + 2] = wCredited;
  blob[at + 3] = wAttributed;
  const stride = wId + 1 + wCredited + wAttributed;
  for (let k = first, o = at + HEADER_BYTES; k < first + count; k += 1, o += stride) {
    putInt(blob, o, wId, columns.ids[k] as number);
    blob[o + wId] = columns.kinds[k] as number;
    putInt(blob, o + wId + 1, wCredited, columns.credited[k] as number);
    putInt(blob, o + wId + 1 + wCredited, wAttributed, columns.attributed[k] as number);
  }
}

function unpackCredits(bytes: Uint8Array): CreditRef[] {
  const [version, wId = 0, wCredited = 0, wAttributed = 0] = bytes;
  const stride = wId + 1 + wCredited + wAttributed;
  if (version !== FORMAT_VERSION || wId < 1 || wCredited < 1 || wAttributed < 1 || (bytes.length - HEADER_BYTES) % stride !== 0) {
    throw new Error(`payout line credits: unknown format (${bytes.length} bytes, version ${version})`);
  }
  const out = new Array<CreditRef>((bytes.length - HEADER_BYTES) / stride);
  for (let i = 0, o = HEADER_BYTES; o < bytes.length; i += 1, o += stride) {
    const kind = KINDS_BY_CODE[bytes[o + wId] as number];
    if (kind === undefined) throw new Error(`payout line credits: unknown kind ${bytes[o + wId]}`);
    out[i] = { recordId: String(getInt(bytes, o, wId)), kind, creditedMinor: getInt(bytes, o + wId + 1, wCredited), attributedMinor: getInt(bytes, o + wId + 1 + wCredited, wAttributed) };
  }
  return out;
}

// --- writing ------------------------------------------------------------------------------------

/**
 * The columns of payout_lines a run writes, after tenant, run and line number. The 0014 arrays
 * are written NULL, so that an upsert over a line written before 0015 leaves one format.
 */
export const LINE_COLUMNS = 'line_id, payee_id, kind, component_id, label, plan_id, plan_version, amount_minor, currency, explanation, warnings, reason, credit_record_ids, credit_kinds, credit_credited_minor, credit_attributed_minor, credits';
/** How many parameters encodeLines gives (the parameters linesUnnest reads). */
export const LINE_ARRAYS = 15;
/**
 * encodeLines' parameters from $first on as rows u(…, k), k the line's position: arrays
 * unnested side by side, explanations and warnings from one JSON array each (no per-element
 * quoting on either side), each line's credits cut from one base64 blob, decoded once (an
 * uncorrelated sub-select: an InitPlan, evaluated once per statement).
 */
export const linesUnnest = (first: number): string => {
  const p = (i: number, type: string): string => `$${first + i}::${type}`;
  const arrays = [
    `unnest(${p(0, 'text[]')})`, `unnest(${p(1, 'uuid[]')})`, `unnest(${p(2, 'text[]')})`, `unnest(${p(3, 'text[]')})`, `unnest(${p(4, 'text[]')})`,
    `unnest(${p(5, 'text[]')})`, `unnest(${p(6, 'int[]')})`, `unnest(${p(7, 'bigint[]')})`, `unnest(${p(8, 'text[]')})`,
    `jsonb_array_elements(${p(9, 'jsonb')})`, `jsonb_array_elements(${p(10, 'jsonb')})`, `unnest(${p(11, 'text[]')})`,
    `unnest(${p(13, 'int[]')})`, `unnest(${p(14, 'int[]')})`,
  ];
  return `(SELECT r.*, substring((SELECT decode(${p(12, 'text')}, 'base64')) FROM r.credits_at + 1 FOR r.credits_bytes) AS credits
             FROM ROWS FROM (${arrays.join(', ')}) WITH ORDINALITY
               AS r(line_id, payee_id, kind, component_id, label, plan_id, plan_version, amount, currency, explanation, warnings, reason, credits_at, credits_bytes, k)) AS u`;
};
export const LINE_VALUES = 'u.line_id, u.payee_id, u.kind, u.component_id, u.label, u.plan_id, u.plan_version, u.amount, u.currency, u.explanation, u.warnings, u.reason, NULL::text[], NULL::text[], NULL::bigint[], NULL::bigint[], u.credits';

/**
 * Lines as the LINE_ARRAYS parameters of linesUnnest: columns as arrays, explanations (without
 * their credits) and warnings as one JSON array each, and the credits of every line packed one
 * after another in one base64 blob with each line's offset and length in bytes (NULL: none).
 */
export function encodeLines(lines: readonly PayoutLine[]): unknown[] {
  const n = lines.length;
  let creditCount = 0;
  for (const l of lines) creditCount += l.explanation.credits.length;
  const columns: CreditColumns = { ids: new Float64Array(creditCount), kinds: new Uint8Array(creditCount), credited: new Float64Array(creditCount), attributed: new Float64Array(creditCount) };
  const packings = new Array<Packing | null>(n);
  let size = 0;
  for (let i = 0, first = 0; i < n; i += 1) {
    const credits = (lines[i] as PayoutLine).explanation.credits;
    const measured = credits.length === 0 ? null : measureCredits(credits, columns, first);
    packings[i] = measured && { ...measured, at: size };
    if (measured) size += measured.bytes;
    first += credits.length;
  }
  const blob = Buffer.allocUnsafe(size);
  const explanations = new Array<unknown>(n);
  for (let i = 0, first = 0; i < n; i += 1) {
    const { credits, ...rest } = (lines[i] as PayoutLine).explanation;
    const p = packings[i];
    if (p) packCredits(blob, p, columns, first, credits.length);
    first += credits.length;
    // Credits the bytes cannot hold stay in the explanation, as before migration 0014.
    explanations[i] = p || credits.length === 0 ? rest : { ...rest, credits };
  }
  return [
    lines.map((l) => l.lineId), lines.map((l) => l.payeeId), lines.map((l) => l.kind), lines.map((l) => l.componentId), lines.map((l) => l.label),
    lines.map((l) => l.planId), lines.map((l) => l.planVersion), lines.map((l) => String(l.amountMinor)), lines.map((l) => l.currency),
    JSON.stringify(explanations), JSON.stringify(lines.map((l) => l.warnings)), lines.map((l) => l.reason ?? null),
    blob.toString('base64'), packings.map((p) => p?.at ?? null), packings.map((p) => p?.bytes ?? null),
  ];
}

/** Writes a run's lines, numbered 1, 2, … in order. */
export async function insertLines(scope: TenantScope, runId: string, lines: readonly PayoutLine[]): Promise<void> {
  const chunk = 5000;
  const sql = `INSERT INTO payout_lines (tenant_id, run_id, line_no, ${LINE_COLUMNS})
               SELECT $1, $2, $3::int + u.k, ${LINE_VALUES} FROM ${linesUnnest(4)}`;
  // Each chunk is encoded while the server writes the one before (PostgreSQL works in another
  // process); one statement is in flight at a time.
  let previous: Promise<unknown> = Promise.resolve();
  for (let i = 0; i < lines.length; i += chunk) {
    let params: unknown[];
    try {
      params = [scope.tenantId, runId, i, ...encodeLines(lines.slice(i, i + chunk))];
    } catch (error) {
      await previous.catch(() => undefined);
      throw error;
    }
    await previous;
    previous = scope.tx.query(sql, params);
  }
  await previous;
}

// --- reading ------------------------------------------------------------------------------------

export interface StoredLine extends PayoutLine {
  lineNo: number;
  runId: string;
}

interface LineRow {
  run_id: string; line_no: number; line_id: string; payee_id: string; kind: PayoutLine['kind']; component_id: string | null; label: string;
  plan_id: string | null; plan_version: number | null; amount_minor: string; currency: string; warnings: PayoutLine['warnings']; reason: string | null;
  /** Lines written before migration 0014 (and lines whose record ids the bytes cannot hold) carry their credits in here. */
  explanation: Omit<PayoutLine['explanation'], 'credits'> & { credits?: CreditRef[] };
  /** Lines written before migration 0015. */
  credit_record_ids: string[] | null; credit_kinds: CreditRef['kind'][] | null; credit_credited_minor: string[] | null; credit_attributed_minor: string[] | null;
  /** Since migration 0015, base64 (one text parser on both drivers). */
  credits: string | null;
}
function creditsOf(r: LineRow): CreditRef[] {
  if (r.credits !== null) return unpackCredits(Buffer.from(r.credits, 'base64'));
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
            credit_record_ids, credit_kinds, credit_credited_minor, credit_attributed_minor, encode(credits, 'base64') AS credits
       FROM payout_lines WHERE tenant_id = $1 AND run_id = $2${payeeIds ? ' AND payee_id = ANY($3::uuid[])' : ''} ORDER BY line_no`,
    payeeIds ? [scope.tenantId, runId, payeeIds] : [scope.tenantId, runId],
  );
  return rows.map(toLine);
}

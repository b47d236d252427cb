import type { KeyResultDefinition, KeyResultUnit } from '../../core/okr/key-result.js';
import type { Revision } from '../../core/okr/revision.js';
import type { Direction } from '../../core/okr/scoring.js';
import type { KeyResultKind } from '../../core/okr/templates.js';
import type { PeriodBaseline } from '../../core/period.js';
import type { TenantScope } from '../store.js';
import { num } from './okr-common.js';

/** A key result as stored: its definition, its current state and links. */
export interface KeyResultRecord {
  id: string;
  objectiveId: string;
  externalKey: string | null;
  position: number;
  owner: { id: string; name: string } | null;
  definition: KeyResultDefinition;
  trackingNote: string | null;
  carriedFromKeyResultId: string | null;
  /** The latest check-in's value (null before the first). */
  currentValue: number | null;
  currentAt: string | null;
  /** Checklists: which items are done now. */
  checklistDone: boolean[];
  finalScore: number | null;
  createdAt: string;
  updatedAt: string;
}

interface KeyResultRow {
  id: string; objective_id: string; external_key: string | null; position: number; owner_user_id: string | null; owner_name: string | null;
  title: string; kind: KeyResultKind; unit: KeyResultUnit; direction: Direction; start_value: string | null; target_value: string | null;
  baseline_period: PeriodBaseline | null; baseline_change_percent: string | null; metric_key: string | null; metric_version: number | null;
  metric_parameters: Record<string, string>; checklist: { title: string; done: boolean }[]; guardrail_mode: 'stay_above' | 'stay_below' | null;
  guardrail_limit: string | null; weight: string; tracking_note: string | null; carried_from_key_result_id: string | null;
  current_value: string | null; current_at: string | null; final_score: string | null; created_at: string; updated_at: string;
}

const toKeyResult = (r: KeyResultRow): KeyResultRecord => ({
  id: r.id, objectiveId: r.objective_id, externalKey: r.external_key, position: r.position,
  owner: r.owner_user_id ? { id: r.owner_user_id, name: r.owner_name ?? '' } : null,
  definition: {
    title: r.title, kind: r.kind, unit: r.unit, direction: r.direction, start: num(r.start_value), target: num(r.target_value),
    baseline: r.baseline_period ? { period: r.baseline_period, changePercent: Number(r.baseline_change_percent) } : null,
    metric: r.metric_key ? { key: r.metric_key, version: r.metric_version, parameters: r.metric_parameters } : null,
    checklist: r.checklist.map((i) => i.title),
    guardrail: r.guardrail_mode && r.guardrail_limit !== null ? { mode: r.guardrail_mode, limit: Number(r.guardrail_limit) } : null,
    weight: Number(r.weight),
  },
  trackingNote: r.tracking_note, carriedFromKeyResultId: r.carried_from_key_result_id,
  currentValue: num(r.current_value), currentAt: r.current_at, checklistDone: r.checklist.map((i) => i.done),
  finalScore: num(r.final_score), createdAt: r.created_at, updatedAt: r.updated_at,
});

const SELECT = `SELECT k.id, k.objective_id, k.external_key, k.position, k.owner_user_id, u.name AS owner_name, k.title, k.kind, k.unit, k.direction,
    k.start_value, k.target_value, k.baseline_period, k.baseline_change_percent, k.metric_key, k.metric_version, k.metric_parameters, k.checklist,
    k.guardrail_mode, k.guardrail_limit, k.weight, k.tracking_note, k.carried_from_key_result_id, k.current_value, k.current_at, k.final_score,
    k.created_at, k.updated_at
  FROM okr_key_results k LEFT JOIN users u ON u.id = k.owner_user_id
  WHERE k.tenant_id = $1`;

export async function listKeyResults(scope: TenantScope, objectiveIds: readonly string[]): Promise<KeyResultRecord[]> {
  if (objectiveIds.length === 0) return [];
  const rows = await scope.tx.query<KeyResultRow>(`${SELECT} AND k.objective_id = ANY($2::uuid[]) ORDER BY k.position, k.created_at, k.id`, [scope.tenantId, objectiveIds]);
  return rows.map(toKeyResult);
}

/** A key result by id (visibility is its objective's: check that separately). */
export async function getKeyResultRecord(scope: TenantScope, id: string): Promise<KeyResultRecord | null> {
  const [row] = await scope.tx.query<KeyResultRow>(`${SELECT} AND k.id = $2`, [scope.tenantId, id]);
  return row ? toKeyResult(row) : null;
}

function definitionColumns(d: KeyResultDefinition, checklistDone: readonly boolean[]): unknown[] {
  return [
    d.title, d.kind, d.unit, d.direction, d.start, d.target, d.baseline?.period ?? null, d.baseline?.changePercent ?? null,
    d.metric?.key ?? null, d.metric?.version ?? null, JSON.stringify(d.metric?.parameters ?? {}),
    JSON.stringify(d.checklist.map((title, i) => ({ title, done: checklistDone[i] === true }))),
    d.guardrail?.mode ?? null, d.guardrail?.limit ?? null, d.weight,
  ];
}

export interface KeyResultRowInput {
  objectiveId: string;
  externalKey: string | null;
  position: number;
  ownerUserId: string | null;
  definition: KeyResultDefinition;
  trackingNote: string | null;
  carriedFromKeyResultId: string | null;
  checklistDone?: readonly boolean[];
}

export async function insertKeyResultRow(scope: TenantScope, id: string, input: KeyResultRowInput): Promise<void> {
  await scope.tx.query(
    `INSERT INTO okr_key_results (tenant_id, id, objective_id, external_key, position, owner_user_id, tracking_note, carried_from_key_result_id,
       title, kind, unit, direction, start_value, target_value, baseline_period, baseline_change_percent, metric_key, metric_version, metric_parameters,
       checklist, guardrail_mode, guardrail_limit, weight)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
    [
      scope.tenantId, id, input.objectiveId, input.externalKey, input.position, input.ownerUserId, input.trackingNote, input.carriedFromKeyResultId,
      ...definitionColumns(input.definition, input.checklistDone ?? []),
    ],
  );
}

export async function updateKeyResultRow(
  scope: TenantScope,
  id: string,
  input: { definition: KeyResultDefinition; checklistDone: readonly boolean[]; ownerUserId: string | null; trackingNote: string | null; position: number; externalKey: string | null },
): Promise<void> {
  await scope.tx.query(
    `UPDATE okr_key_results SET title = $3, kind = $4, unit = $5, direction = $6, start_value = $7, target_value = $8, baseline_period = $9,
       baseline_change_percent = $10, metric_key = $11, metric_version = $12, metric_parameters = $13, checklist = $14, guardrail_mode = $15,
       guardrail_limit = $16, weight = $17, owner_user_id = $18, tracking_note = $19, position = $20, external_key = $21, updated_at = now()
     WHERE tenant_id = $1 AND id = $2`,
    [scope.tenantId, id, ...definitionColumns(input.definition, input.checklistDone), input.ownerUserId, input.trackingNote, input.position, input.externalKey],
  );
}

export async function setKeyResultFinalScore(scope: TenantScope, id: string, score: number | null): Promise<void> {
  await scope.tx.query('UPDATE okr_key_results SET final_score = $3 WHERE tenant_id = $1 AND id = $2', [scope.tenantId, id, score]);
}

export async function deleteKeyResultRow(scope: TenantScope, id: string): Promise<void> {
  await scope.tx.query('DELETE FROM okr_key_results WHERE tenant_id = $1 AND id = $2', [scope.tenantId, id]);
}

export async function nextPosition(scope: TenantScope, objectiveId: string): Promise<number> {
  const [row] = await scope.tx.query<{ n: number | null }>('SELECT max(position) + 1 AS n FROM okr_key_results WHERE tenant_id = $1 AND objective_id = $2', [scope.tenantId, objectiveId]);
  return row?.n ?? 0;
}

// --- revisions ------------------------------------------------------------------------

export interface RevisionEntry extends Revision {
  id: string;
  keyResultId: string;
  author: { id: string | null; name: string | null };
  reason: string;
}

export async function recordRevision(scope: TenantScope, entry: { id: string; keyResultId: string; reason: string; before: KeyResultDefinition; after: KeyResultDefinition }): Promise<void> {
  await scope.tx.query(
    `INSERT INTO okr_kr_revisions (tenant_id, id, key_result_id, author_user_id, reason, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [scope.tenantId, entry.id, entry.keyResultId, scope.actor.userId, entry.reason, JSON.stringify(entry.before), JSON.stringify(entry.after)],
  );
}

export async function listRevisions(scope: TenantScope, keyResultIds: readonly string[]): Promise<RevisionEntry[]> {
  if (keyResultIds.length === 0) return [];
  const rows = await scope.tx.query<{
    id: string; key_result_id: string; at: string; author_user_id: string | null; name: string | null; reason: string; before: KeyResultDefinition; after: KeyResultDefinition;
  }>(
    `SELECT r.id, r.key_result_id, r.at, r.author_user_id, u.name, r.reason, r.before, r.after
       FROM okr_kr_revisions r LEFT JOIN users u ON u.id = r.author_user_id
      WHERE r.tenant_id = $1 AND r.key_result_id = ANY($2::uuid[]) ORDER BY r.at, r.id`,
    [scope.tenantId, keyResultIds],
  );
  return rows.map((r) => ({ id: r.id, keyResultId: r.key_result_id, at: r.at, author: { id: r.author_user_id, name: r.name }, reason: r.reason, before: r.before, after: r.after }));
}

// --- check-ins and daily values -----------------------------------------------------------

export interface CheckinRecord {
  id: string;
  keyResultId: string;
  date: string;
  value: number | null;
  checklistDone: boolean[] | null;
  confidence: number | null;
  note: string | null;
  blockers: string | null;
  source: 'manual' | 'metric' | 'import' | 'close';
  author: { id: string | null; name: string | null };
  at: string;
}

interface CheckinRow {
  id: string; key_result_id: string; value_date: string; value: string | null; checklist_done: boolean[] | null; confidence: number | null;
  note: string | null; blockers: string | null; source: CheckinRecord['source']; author_user_id: string | null; name: string | null; at: string;
}
const toCheckin = (r: CheckinRow): CheckinRecord => ({
  id: r.id, keyResultId: r.key_result_id, date: r.value_date, value: num(r.value), checklistDone: r.checklist_done, confidence: r.confidence,
  note: r.note, blockers: r.blockers, source: r.source, author: { id: r.author_user_id, name: r.name }, at: r.at,
});

export async function listCheckins(scope: TenantScope, keyResultIds: readonly string[], options: { limit?: number } = {}): Promise<CheckinRecord[]> {
  if (keyResultIds.length === 0) return [];
  const rows = await scope.tx.query<CheckinRow>(
    `SELECT c.id, c.key_result_id, c.value_date, c.value, c.checklist_done, c.confidence, c.note, c.blockers, c.source, c.author_user_id, u.name, c.at
       FROM okr_checkins c LEFT JOIN users u ON u.id = c.author_user_id
      WHERE c.tenant_id = $1 AND c.key_result_id = ANY($2::uuid[]) ORDER BY c.at DESC, c.value_date DESC, c.id LIMIT $3`,
    [scope.tenantId, keyResultIds, options.limit ?? null],
  );
  return rows.map(toCheckin);
}

/**
 * Appends a check-in, records the day's value and moves the key result's current state
 * when the check-in is for its latest day.
 */
export async function insertCheckin(
  scope: TenantScope,
  input: { id: string; keyResultId: string; date: string; value: number | null; checklistDone: readonly boolean[] | null; confidence: number | null;
    note: string | null; blockers: string | null; source: CheckinRecord['source'];
    /** When it was recorded (default now; the demo seed backdates its history). */
    at?: string | undefined },
): Promise<void> {
  await scope.tx.query(
    `INSERT INTO okr_checkins (tenant_id, id, key_result_id, value_date, value, checklist_done, confidence, note, blockers, source, author_user_id, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, coalesce($12::timestamptz, now()))`,
    [scope.tenantId, input.id, input.keyResultId, input.date, input.value, input.checklistDone ? JSON.stringify(input.checklistDone) : null,
      input.confidence, input.note, input.blockers, input.source, scope.actor.userId, input.at ?? null],
  );
  if (input.value === null) return;
  await upsertDailyValue(scope, input.keyResultId, input.date, input.value);
  // The current value is the latest day's value; a check-in that catches up on an earlier day leaves it.
  const [latest] = await scope.tx.query<{ day: string }>(
    'SELECT day FROM okr_kr_daily_values WHERE tenant_id = $1 AND key_result_id = $2 ORDER BY day DESC LIMIT 1',
    [scope.tenantId, input.keyResultId],
  );
  if (latest?.day !== input.date) return;
  const [row] = await scope.tx.query<{ checklist: { title: string; done: boolean }[] }>(
    'SELECT checklist FROM okr_key_results WHERE tenant_id = $1 AND id = $2',
    [scope.tenantId, input.keyResultId],
  );
  const done = input.checklistDone;
  const checklist = done ? (row?.checklist ?? []).map((item, i) => ({ title: item.title, done: done[i] === true })) : (row?.checklist ?? []);
  await scope.tx.query(
    'UPDATE okr_key_results SET current_value = $3, current_at = coalesce($5::timestamptz, now()), checklist = $4 WHERE tenant_id = $1 AND id = $2',
    [scope.tenantId, input.keyResultId, input.value, JSON.stringify(checklist), input.at ?? null],
  );
}

export async function upsertDailyValue(scope: TenantScope, keyResultId: string, day: string, value: number): Promise<void> {
  await scope.tx.query(
    `INSERT INTO okr_kr_daily_values (tenant_id, key_result_id, day, value) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, key_result_id, day) DO UPDATE SET value = EXCLUDED.value`,
    [scope.tenantId, keyResultId, day, value],
  );
}

export async function listDailyValues(scope: TenantScope, keyResultIds: readonly string[]): Promise<Map<string, { date: string; value: number }[]>> {
  const out = new Map<string, { date: string; value: number }[]>();
  if (keyResultIds.length === 0) return out;
  const rows = await scope.tx.query<{ key_result_id: string; day: string; value: string }>(
    'SELECT key_result_id, day, value FROM okr_kr_daily_values WHERE tenant_id = $1 AND key_result_id = ANY($2::uuid[]) ORDER BY day',
    [scope.tenantId, keyResultIds],
  );
  for (const r of rows) out.set(r.key_result_id, [...(out.get(r.key_result_id) ?? []), { date: r.day, value: Number(r.value) }]);
  return out;
}

/** Checklist state at a day: the latest checklist check-in on or before it. */
export async function listChecklistStates(scope: TenantScope, keyResultIds: readonly string[]): Promise<Map<string, { date: string; at: string; done: boolean[] }[]>> {
  const out = new Map<string, { date: string; at: string; done: boolean[] }[]>();
  if (keyResultIds.length === 0) return out;
  const rows = await scope.tx.query<{ key_result_id: string; value_date: string; at: string; checklist_done: boolean[] }>(
    `SELECT key_result_id, value_date, at, checklist_done FROM okr_checkins
      WHERE tenant_id = $1 AND key_result_id = ANY($2::uuid[]) AND checklist_done IS NOT NULL ORDER BY value_date, at`,
    [scope.tenantId, keyResultIds],
  );
  for (const r of rows) out.set(r.key_result_id, [...(out.get(r.key_result_id) ?? []), { date: r.value_date, at: r.at, done: r.checklist_done }]);
  return out;
}

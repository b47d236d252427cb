import { randomUUID } from 'node:crypto';
import type { KeyResultDocument, ObjectiveDocument, OkrSetDocument } from '../../core/okr/document.js';
import { isLinearKind, lastDay, type KeyResultDefinition } from '../../core/okr/key-result.js';
import { changedFields, needsRevision } from '../../core/okr/revision.js';
import { parsePeriod } from '../../core/period.js';
import type { Actor, Store, TenantScope } from '../store.js';
import { recordAudit } from './audit.js';
import { invalid, notFound, OkrError, SYSTEM_VIEWER } from './okr-common.js';
import { createCycle, getCycleByKey, type OkrCycle } from './okr-cycles.js';
import { fiscalCalendarOf } from './tenants.js';
import {
  deleteKeyResultRow, insertCheckin, insertKeyResultRow, listDailyValues, listKeyResults, recordRevision, updateKeyResultRow, type KeyResultRecord,
} from './okr-key-results.js';
import { insertObjectiveRow, listObjectiveRecords, setContributors, updateObjectiveRow, type ObjectiveOwnerRef, type ObjectiveRecord } from './okr-objectives.js';
import { getTenant } from './tenants.js';

/**
 * OKR set documents (src/core/okr/document.ts) to and from the store. Export writes a
 * cycle's objectives with their key results, definitions and daily history; import applies a
 * document atomically and idempotently: a document's ids are the objectives' and key
 * results' external keys, so importing the same document twice changes nothing the second
 * time. Owners are written `team:<team name>` or `user:<e-mail>`.
 */

const SCHEMA_REF = 'https://attain.dev/schemas/okr-set.schema.json';

async function emailsOf(scope: TenantScope, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await scope.tx.query<{ id: string; email: string }>('SELECT id, email FROM users WHERE id = ANY($1::uuid[])', [ids]);
  return new Map(rows.map((r) => [r.id, r.email]));
}

const docId = (record: { id: string; externalKey: string | null }): string => record.externalKey ?? record.id;

/** A cycle's objectives as an OKR set document (every objective: export is an admin's tool). */
export async function exportOkrDocument(scope: TenantScope, cycleKey: string, today: string): Promise<OkrSetDocument> {
  const cycle = await getCycleByKey(scope, cycleKey);
  if (!cycle) throw notFound(`Cycle ${cycleKey}`);
  const currency = (await getTenant(scope)).currency;
  const objectives = (await listObjectiveRecords(scope, SYSTEM_VIEWER, { cycleId: cycle.id, limit: 100_000, orderBy: 'created' })).items;
  const krs = await listKeyResults(scope, objectives.map((o) => o.id));
  const daily = await listDailyValues(scope, krs.map((k) => k.id));
  const userIds = [...objectives.flatMap((o) => [...(o.owner.kind === 'user' ? [o.owner.id] : []), ...o.contributors.map((c) => c.id)]), ...krs.flatMap((k) => (k.owner ? [k.owner.id] : []))];
  const emails = await emailsOf(scope, userIds);
  // Alignment targets outside the document are referred to by their own ids.
  const parentObjectiveOfKr = new Map<string, string>();
  const parentKrIds = objectives.flatMap((o) => (o.parent?.keyResultId ? [o.parent.keyResultId] : []));
  if (parentKrIds.length > 0) {
    const rows = await scope.tx.query<{ id: string; objective_id: string; external_key: string | null; o_external: string | null }>(
      `SELECT k.id, k.objective_id, k.external_key, o.external_key AS o_external FROM okr_key_results k
         JOIN okr_objectives o ON o.tenant_id = k.tenant_id AND o.id = k.objective_id WHERE k.tenant_id = $1 AND k.id = ANY($2::uuid[])`,
      [scope.tenantId, parentKrIds],
    );
    for (const r of rows) parentObjectiveOfKr.set(r.id, JSON.stringify({ objective: r.o_external ?? r.objective_id, keyResult: r.external_key ?? r.id }));
  }
  const parentIds = objectives.flatMap((o) => (o.parent?.objectiveId ? [o.parent.objectiveId] : []));
  const parentKeys = new Map<string, string>();
  if (parentIds.length > 0) {
    const rows = await scope.tx.query<{ id: string; external_key: string | null }>('SELECT id, external_key FROM okr_objectives WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [scope.tenantId, parentIds]);
    for (const r of rows) parentKeys.set(r.id, r.external_key ?? r.id);
  }
  const issues: { path: string; message: string }[] = [];
  const docObjectives = objectives.map((o, i): ObjectiveDocument => {
    const keyResults = krs.filter((k) => k.objectiveId === o.id).map((k, j) => {
      const doc = keyResultDocument(k, daily.get(k.id) ?? [], emails, currency);
      if (doc === null) issues.push({ path: `objectives.${i}.keyResults.${j}`, message: `"${k.definition.title}" has no target yet: set one before exporting` });
      return doc;
    }).filter((k): k is KeyResultDocument => k !== null);
    let parent: ObjectiveDocument['parent'];
    if (o.parent?.objectiveId) parent = { objective: parentKeys.get(o.parent.objectiveId) ?? o.parent.objectiveId };
    else if (o.parent?.keyResultId) parent = JSON.parse(parentObjectiveOfKr.get(o.parent.keyResultId) ?? 'null') ?? undefined;
    if (keyResults.length === 0) issues.push({ path: `objectives.${i}`, message: `"${o.title}" has no key results: a document's objectives have at least one` });
    return {
      id: docId(o),
      title: o.title,
      ...(o.description ? { description: o.description } : {}),
      owner: o.owner.kind === 'team' ? `team:${o.owner.name}` : `user:${emails.get(o.owner.id) ?? o.owner.id}`,
      category: o.category,
      commitment: o.commitment,
      weighting: o.weighting,
      ...(o.templateId ? { template: o.templateId } : {}),
      status: o.status,
      visibility: o.visibility,
      ...(parent ? { parent } : {}),
      ...(o.contributors.length > 0 ? { contributors: o.contributors.map((c) => emails.get(c.id) ?? c.id).sort() } : {}),
      ...(o.finalScore === null ? {} : { finalScore: o.finalScore }),
      ...(o.selfAssessment ? { selfAssessment: o.selfAssessment } : {}),
      keyResults,
    };
  });
  if (issues.length > 0) throw new OkrError({ kind: 'invalid', issues });
  const last = lastDay(cycle);
  return {
    $schema: SCHEMA_REF,
    version: 1,
    cycle: { key: cycle.key, start: cycle.start, end: cycle.end },
    ...(today >= cycle.start && today < last ? { asOf: today } : {}),
    objectives: docObjectives,
  };
}

function keyResultDocument(k: KeyResultRecord, history: { date: string; value: number }[], emails: Map<string, string>, currency: string): KeyResultDocument | null {
  const d = k.definition;
  const base = {
    id: docId(k),
    title: d.title,
    ...(k.owner ? { owner: emails.get(k.owner.id) ?? k.owner.id } : {}),
    weight: d.weight,
    unit: d.unit,
    direction: d.direction,
    ...(d.baseline ? { baseline: { period: d.baseline.period, changePercent: d.baseline.changePercent } } : {}),
    ...(k.trackingNote ? { trackingNote: k.trackingNote } : {}),
  };
  switch (d.kind) {
    case 'metric':
    case 'number':
    case 'percent':
    case 'currency': {
      if (d.target === null) return null;
      const linear = { start: d.start ?? 0, target: d.target, history };
      if (d.kind === 'metric') {
        return {
          ...base, kind: 'metric', ...linear, metric: d.metric?.key ?? '',
          ...(d.metric?.version ? { metricVersion: d.metric.version } : {}),
          ...(d.metric && Object.keys(d.metric.parameters).length > 0 ? { metricParameters: { ...d.metric.parameters } } : {}),
        };
      }
      if (d.kind === 'currency') return { ...base, kind: 'currency', ...linear, currency };
      return { ...base, kind: d.kind, ...linear };
    }
    case 'milestone':
      return { ...base, kind: 'milestone', done: (k.currentValue ?? 0) >= 1 };
    case 'checklist':
      return { ...base, kind: 'checklist', items: d.checklist.map((title, i) => ({ title, done: k.checklistDone[i] === true })) };
    case 'guardrail':
      return { ...base, kind: 'guardrail', mode: d.guardrail?.mode ?? 'stay_above', limit: d.guardrail?.limit ?? 0, history };
    default: {
      const unreachable: never = d.kind;
      throw new Error(`unknown key result kind ${String(unreachable)}`);
    }
  }
}

// --- import -----------------------------------------------------------------------------------

export interface ImportSummary {
  dryRun: boolean;
  cycle: { key: string; created: boolean };
  objectives: { created: number; updated: number; unchanged: number };
  keyResults: { created: number; updated: number; revised: number; deleted: number; unchanged: number };
  checkins: number;
}

function definitionOf(kr: KeyResultDocument, existing: KeyResultDefinition | null): KeyResultDefinition {
  const linear = 'target' in kr && 'start' in kr;
  const start = linear ? kr.start : null;
  const target = linear ? kr.target : null;
  return {
    title: kr.title,
    kind: kr.kind,
    unit: kr.unit ?? existing?.unit ?? (kr.kind === 'currency' ? 'money' : kr.kind === 'percent' ? 'percent' : 'number'),
    direction: kr.direction ?? (start !== null && target !== null && target < start ? 'decrease' : 'increase'),
    start,
    target,
    baseline: kr.baseline ? { period: kr.baseline.period, changePercent: kr.baseline.changePercent } : null,
    metric: kr.kind === 'metric' ? { key: kr.metric ?? '', version: kr.metricVersion ?? null, parameters: kr.metricParameters ?? {} } : null,
    checklist: kr.kind === 'checklist' ? kr.items.map((i) => i.title) : [],
    guardrail: kr.kind === 'guardrail' ? { mode: kr.mode, limit: kr.limit } : null,
    weight: kr.weight ?? 1,
  };
}

interface Resolved {
  cycle: OkrCycle | null;
  owners: ObjectiveOwnerRef[];
  contributors: string[][];
  krOwners: (string | null)[][];
}

async function resolveReferences(scope: TenantScope, doc: OkrSetDocument): Promise<Resolved> {
  const issues: { path: string; message: string }[] = [];
  const teams = await scope.tx.query<{ id: string; name: string }>('SELECT id, name FROM teams WHERE tenant_id = $1', [scope.tenantId]);
  const members = await scope.tx.query<{ id: string; email: string }>('SELECT u.id, u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1', [scope.tenantId]);
  const user = (ref: string): string | null => members.find((m) => m.email === ref.toLowerCase() || m.id === ref)?.id ?? null;
  const team = (ref: string): string | null => teams.find((t) => t.id === ref || t.name.toLowerCase() === ref.toLowerCase())?.id ?? null;
  const key = doc.cycle.key;
  let cycle: OkrCycle | null = null;
  if (!key) issues.push({ path: 'cycle.key', message: 'Name the cycle (2026-Q1, FY2026) to import into' });
  else {
    const period = parsePeriod(key, await fiscalCalendarOf(scope), 'cycle.key');
    if (!period.ok || (period.period.kind !== 'quarter' && period.period.kind !== 'year')) issues.push({ path: 'cycle.key', message: 'A fiscal quarter (2026-Q1) or fiscal year (FY2026)' });
    else if (period.period.start !== doc.cycle.start || period.period.end !== doc.cycle.end) {
      issues.push({ path: 'cycle', message: `On this workspace's fiscal calendar ${key} runs ${period.period.start} to ${period.period.end} (end exclusive)` });
    }
    cycle = await getCycleByKey(scope, key);
  }
  const owners: ObjectiveOwnerRef[] = [];
  const contributors: string[][] = [];
  const krOwners: (string | null)[][] = [];
  doc.objectives.forEach((o, i) => {
    const ref = o.owner ?? '';
    const [prefix, rest] = ref.includes(':') ? [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)] : [ref.includes('@') ? 'user' : 'team', ref];
    const id = prefix === 'user' ? user(rest) : prefix === 'team' ? team(rest) : null;
    if (!o.owner) issues.push({ path: `objectives.${i}.owner`, message: 'An imported objective names its owner: team:<name> or user:<e-mail>' });
    else if (!id) issues.push({ path: `objectives.${i}.owner`, message: `No ${prefix === 'user' ? 'member' : 'team'} "${rest}" in this workspace` });
    owners.push(prefix === 'user' ? { kind: 'user', id: id ?? '' } : { kind: 'team', id: id ?? '' });
    contributors.push((o.contributors ?? []).map((c, j) => {
      const cid = user(c);
      if (!cid) issues.push({ path: `objectives.${i}.contributors.${j}`, message: `No member "${c}" in this workspace` });
      return cid ?? '';
    }));
    krOwners.push(o.keyResults.map((kr, j) => {
      if (!kr.owner) return null;
      const kid = user(kr.owner.replace(/^user:/, ''));
      if (!kid) issues.push({ path: `objectives.${i}.keyResults.${j}.owner`, message: `No member "${kr.owner}" in this workspace` });
      return kid;
    }));
    const ids = o.keyResults.map((k) => k.id);
    ids.forEach((id_, j) => {
      if (ids.indexOf(id_) !== j) issues.push({ path: `objectives.${i}.keyResults.${j}.id`, message: `The id "${id_}" appears twice in this objective` });
    });
  });
  const objectiveIds = doc.objectives.map((o) => o.id);
  objectiveIds.forEach((id, i) => {
    if (objectiveIds.indexOf(id) !== i) issues.push({ path: `objectives.${i}.id`, message: `The id "${id}" appears twice` });
  });
  if (issues.length > 0) throw new OkrError({ kind: 'invalid', issues });
  return { cycle, owners, contributors, krOwners };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Applies a document in the scope's transaction. Objectives and key results are matched by
 * their document ids (external keys, or the stored ids of an earlier export); what the
 * document does not mention stays. An active objective's changed key-result definitions are
 * recorded as revisions ("imported"). Values: each history reading is the value of its day;
 * `current`, `done` and checklist items are the value of the document's asOf day (or today).
 */
export async function applyOkrDocument(scope: TenantScope, doc: OkrSetDocument, context: { today: string; source?: string }): Promise<Omit<ImportSummary, 'dryRun'>> {
  const resolved = await resolveReferences(scope, doc);
  const summary: Omit<ImportSummary, 'dryRun'> = {
    cycle: { key: doc.cycle.key ?? '', created: false },
    objectives: { created: 0, updated: 0, unchanged: 0 },
    keyResults: { created: 0, updated: 0, revised: 0, deleted: 0, unchanged: 0 },
    checkins: 0,
  };
  let cycle = resolved.cycle;
  if (!cycle) {
    cycle = await createCycle(scope, randomUUID(), { key: doc.cycle.key ?? '' });
    summary.cycle.created = true;
  }
  const last = lastDay(cycle);
  const valueDay = doc.asOf ?? (context.today > last ? last : context.today < cycle.start ? cycle.start : context.today);
  const reason = `Imported${context.source ? ` from ${context.source}` : ''}`;
  const stored = (await listObjectiveRecords(scope, SYSTEM_VIEWER, { cycleId: cycle.id, limit: 100_000 })).items;
  const idsByDoc = new Map<string, string>();
  const krIdsByDoc = new Map<string, Map<string, string>>();
  for (const [i, o] of doc.objectives.entries()) {
    const owner = resolved.owners[i] ?? { kind: 'team', id: '' };
    let record: ObjectiveRecord | undefined = stored.find((s) => s.externalKey === o.id) ?? stored.find((s) => s.id === o.id);
    const wanted = {
      title: o.title, description: o.description ?? '', category: o.category ?? 'revenue', commitment: o.commitment, weighting: o.weighting,
      visibility: o.visibility ?? 'tenant', status: o.status ?? record?.status ?? 'active',
    };
    if (!record) {
      const id = randomUUID();
      await insertObjectiveRow(scope, id, {
        cycleId: cycle.id, externalKey: o.id, ...wanted, owner, parentObjectiveId: null, parentKeyResultId: null, templateId: o.template ?? null,
        carriedFromObjectiveId: null, createdBy: scope.actor.userId,
      });
      if (o.finalScore !== undefined || o.selfAssessment !== undefined) {
        await updateObjectiveRow(scope, id, { finalScore: o.finalScore ?? null, selfAssessment: o.selfAssessment ?? null });
      }
      await setContributors(scope, id, resolved.contributors[i] ?? []);
      summary.objectives.created += 1;
      idsByDoc.set(o.id, id);
      await recordAudit(scope, { action: 'okr_objective.imported', entityType: 'okr_objective', entityId: id, after: { ...o, keyResults: undefined } });
    } else {
      idsByDoc.set(o.id, record.id);
      const current = {
        title: record.title, description: record.description, category: record.category, commitment: record.commitment, weighting: record.weighting,
        visibility: record.visibility, status: record.status,
      };
      const ownerSame = record.owner.kind === owner.kind && record.owner.id === owner.id;
      const contributorsSame = same(record.contributors.map((c) => c.id).sort(), [...(resolved.contributors[i] ?? [])].sort());
      const closingSame = (o.finalScore === undefined || o.finalScore === record.finalScore) && (o.selfAssessment === undefined || o.selfAssessment === record.selfAssessment);
      if (!same(current, wanted) || !ownerSame || !contributorsSame || !closingSame || record.externalKey !== o.id) {
        await updateObjectiveRow(scope, record.id, {
          ...wanted, owner, externalKey: o.id,
          ...(o.finalScore === undefined ? {} : { finalScore: o.finalScore }), ...(o.selfAssessment === undefined ? {} : { selfAssessment: o.selfAssessment }),
        });
        if (!contributorsSame) await setContributors(scope, record.id, resolved.contributors[i] ?? []);
        summary.objectives.updated += 1;
        await recordAudit(scope, { action: 'okr_objective.imported', entityType: 'okr_objective', entityId: record.id, before: record, after: { ...o, keyResults: undefined } });
        record = { ...record, status: wanted.status };
      } else summary.objectives.unchanged += 1;
    }
    const objectiveId = idsByDoc.get(o.id) ?? '';
    const status = record?.status ?? wanted.status;
    const existingKrs = await listKeyResults(scope, [objectiveId]);
    const krIds = new Map<string, string>();
    krIdsByDoc.set(o.id, krIds);
    for (const [j, kr] of o.keyResults.entries()) {
      const match = existingKrs.find((k) => k.externalKey === kr.id) ?? existingKrs.find((k) => k.id === kr.id);
      const definition = definitionOf(kr, match?.definition ?? null);
      const ownerUserId = resolved.krOwners[i]?.[j] ?? null;
      let krId: string;
      if (!match) {
        krId = randomUUID();
        await insertKeyResultRow(scope, krId, {
          objectiveId, externalKey: kr.id, position: j, ownerUserId, definition, trackingNote: kr.trackingNote ?? null, carriedFromKeyResultId: null,
        });
        summary.keyResults.created += 1;
        await recordAudit(scope, { action: 'okr_key_result.imported', entityType: 'okr_key_result', entityId: krId, after: { objectiveId, definition } });
      } else {
        krId = match.id;
        const doneByTitle = new Map(match.definition.checklist.map((t, x) => [t, match.checklistDone[x] === true]));
        const changed = changedFields(match.definition, definition).length > 0;
        const metaChanged = match.position !== j || (match.owner?.id ?? null) !== ownerUserId || match.trackingNote !== (kr.trackingNote ?? null) || match.externalKey !== kr.id;
        if (changed || metaChanged) {
          await updateKeyResultRow(scope, krId, {
            definition, checklistDone: definition.checklist.map((t) => doneByTitle.get(t) ?? false), ownerUserId, trackingNote: kr.trackingNote ?? null,
            position: j, externalKey: kr.id,
          });
          const revised = needsRevision(status, match.definition, definition);
          if (revised) await recordRevision(scope, { id: randomUUID(), keyResultId: krId, reason, before: match.definition, after: definition });
          summary.keyResults[revised ? 'revised' : 'updated'] += 1;
          await recordAudit(scope, { action: revised ? 'okr_key_result.revised' : 'okr_key_result.imported', entityType: 'okr_key_result', entityId: krId, before: match, after: { definition, ...(revised ? { reason } : {}) } });
        } else summary.keyResults.unchanged += 1;
      }
      krIds.set(kr.id, krId);
      summary.checkins += await importValues(scope, krId, kr, definition, valueDay);
    }
    for (const k of existingKrs.filter((e) => ![...krIds.values()].includes(e.id))) {
      if (status !== 'draft' && status !== 'proposed') {
        throw invalid(`objectives.${i}.keyResults`, `"${k.definition.title}" is missing from the document: a ${status} objective keeps its key results`);
      }
      await deleteKeyResultRow(scope, k.id);
      summary.keyResults.deleted += 1;
      await recordAudit(scope, { action: 'okr_key_result.deleted', entityType: 'okr_key_result', entityId: k.id, before: k });
    }
  }
  // Alignment, once every objective of the document exists.
  for (const [i, o] of doc.objectives.entries()) {
    const id = idsByDoc.get(o.id) ?? '';
    let parentObjectiveId: string | null = null;
    let parentKeyResultId: string | null = null;
    if (o.parent) {
      const inDoc = idsByDoc.get(o.parent.objective);
      const targetId = inDoc ?? (await findStoredObjective(scope, o.parent.objective, cycle));
      if (!targetId) throw invalid(`objectives.${i}.parent.objective`, `No objective "${o.parent.objective}" in this document, this cycle or the year above it`);
      if (o.parent.keyResult) {
        const krId = krIdsByDoc.get(o.parent.objective)?.get(o.parent.keyResult)
          ?? (await scope.tx.query<{ id: string }>('SELECT id FROM okr_key_results WHERE tenant_id = $1 AND objective_id = $2 AND (external_key = $3 OR id::text = $3)', [scope.tenantId, targetId, o.parent.keyResult]))[0]?.id;
        if (!krId) throw invalid(`objectives.${i}.parent.keyResult`, `No key result "${o.parent.keyResult}" in that objective`);
        parentKeyResultId = krId;
      } else parentObjectiveId = targetId;
      if (targetId === id) throw invalid(`objectives.${i}.parent`, 'An objective cannot align to itself');
    }
    const [row] = await scope.tx.query<{ parent_objective_id: string | null; parent_key_result_id: string | null }>(
      'SELECT parent_objective_id, parent_key_result_id FROM okr_objectives WHERE tenant_id = $1 AND id = $2', [scope.tenantId, id],
    );
    if (row && (row.parent_objective_id !== parentObjectiveId || row.parent_key_result_id !== parentKeyResultId)) {
      await updateObjectiveRow(scope, id, { parentObjectiveId, parentKeyResultId });
      await recordAudit(scope, { action: 'okr_objective.imported', entityType: 'okr_objective', entityId: id, before: row, after: { parent: o.parent ?? null } });
    }
  }
  return summary;
}

async function findStoredObjective(scope: TenantScope, ref: string, cycle: OkrCycle): Promise<string | null> {
  const rows = await scope.tx.query<{ id: string; cycle_id: string }>(
    `SELECT id, cycle_id FROM okr_objectives WHERE tenant_id = $1 AND cycle_id = ANY($2::uuid[]) AND (external_key = $3 OR id::text = $3)`,
    [scope.tenantId, [cycle.id, ...(cycle.parentCycleId ? [cycle.parentCycleId] : [])], ref],
  );
  return (rows.find((r) => r.cycle_id === cycle.id) ?? rows[0])?.id ?? null;
}

/** Writes the document's values as check-ins where they differ from what is stored; returns how many. */
async function importValues(scope: TenantScope, keyResultId: string, kr: KeyResultDocument, definition: KeyResultDefinition, valueDay: string): Promise<number> {
  const stored = (await listDailyValues(scope, [keyResultId])).get(keyResultId) ?? [];
  const byDay = new Map(stored.map((d) => [d.date, d.value]));
  const latest = stored.at(-1) ?? null;
  let count = 0;
  const add = async (date: string, value: number | null, checklistDone: boolean[] | null) => {
    await insertCheckin(scope, { id: randomUUID(), keyResultId, date, value, checklistDone, confidence: null, note: null, blockers: null, source: 'import' });
    count += 1;
  };
  if ('history' in kr && kr.history) {
    for (const h of [...kr.history].sort((a, b) => (a.date < b.date ? -1 : 1))) {
      if (byDay.get(h.date) !== h.value) {
        await add(h.date, h.value, null);
        byDay.set(h.date, h.value);
      }
    }
  }
  if (isLinearKind(definition.kind) && 'current' in kr && kr.current !== undefined && kr.current !== null) {
    const last = [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).at(-1);
    if (!last || last[1] !== kr.current) await add(valueDay, kr.current, null);
  }
  if (kr.kind === 'milestone') {
    const done = (latest?.value ?? 0) >= 1;
    if (done !== kr.done) await add(valueDay, kr.done ? 1 : 0, null);
  }
  if (kr.kind === 'checklist') {
    const [row] = await scope.tx.query<{ checklist: { title: string; done: boolean }[] }>('SELECT checklist FROM okr_key_results WHERE tenant_id = $1 AND id = $2', [scope.tenantId, keyResultId]);
    const now = (row?.checklist ?? []).map((i) => i.done);
    const wanted = kr.items.map((i) => i.done);
    if (!same(now, wanted)) await add(valueDay, wanted.filter(Boolean).length, wanted);
  }
  return count;
}

/** Thrown to roll a dry run back. */
class DryRun extends Error {
  constructor(readonly summary: Omit<ImportSummary, 'dryRun'>) {
    super('dry run');
  }
}

/**
 * Imports a document into a workspace in one transaction (all or nothing). A dry run applies
 * it and rolls back, reporting what would change.
 */
export async function importOkrDocument(
  store: Store,
  tenantId: string,
  doc: OkrSetDocument,
  options: { actor: Actor; requestId?: string | null; dryRun: boolean; today: string; source?: string },
): Promise<ImportSummary> {
  try {
    const summary = await store.inTenant(tenantId, { actor: options.actor, requestId: options.requestId ?? null }, async (scope) => {
      const result = await applyOkrDocument(scope, doc, { today: options.today, ...(options.source ? { source: options.source } : {}) });
      if (options.dryRun) throw new DryRun(result);
      return result;
    });
    return { dryRun: false, ...summary };
  } catch (error) {
    if (error instanceof DryRun) return { dryRun: true, ...error.summary };
    throw error;
  }
}

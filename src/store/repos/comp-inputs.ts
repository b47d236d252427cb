/**
 * Inputs of a payout run that come from history rather than from the period's deals:
 *
 * - **Clawbacks.** Commission already paid for a deal (the attribution on the commission and
 *   partner lines of locked and paid runs) and the events that reverse it: the deal was
 *   cancelled (its stage is now `cancelled` or `closed_lost`; the day Attain saw that change
 *   is the event's date) or its account churned (the account's `churned_at`). The engine
 *   reverses the paid amount in the period the event falls in, when it is within the
 *   plan's `withinDays` of the deal's close date (docs/compensation.md → Clawbacks).
 * - **OKR scores for MBO bonuses.** A bonus `on: { kind: score, key }` reads the score of the
 *   payee's key result (or objective) whose external key is `key`, in the OKR cycle that
 *   holds the period, approved objectives only, scored at the period's last day (or today,
 *   if that is earlier); a closed cycle's frozen score counts. The objective's commitment
 *   travels with the score, so the engine refuses aspirational scores unless the plan allows them.
 *
 * Both load nothing when no plan of the run has a clawback or a score bonus.
 *
 * - **Credit splits and overlays** from the workspace's `deal_splits` dataset (see
 *   `loadCreditSplits`), so splits are imported, edited and audited like any other data.
 */
import type { ClawbackEvent, CompPlan, CreditKind, PaidCommission, ScoreInput } from '../../core/comp/index.js';
import { epochDay, formatEpochDay, type Period } from '../../core/period.js';
import type { TenantScope } from '../store.js';
import { attributeRecord, deepestTerritories, indexTerritories } from '../../core/territory/index.js';
import { getDataset } from './datasets.js';
import { listAssignments as listTerritoryAssignments, listTerritories } from './territories.js';
import { SYSTEM_VIEWER } from './okr-common.js';
import { toMajorUnits } from './okr-metric-source.js';
import { listObjectiveRecords } from './okr-objectives.js';
import { evaluateObjectives } from './okr-read.js';

/** Deal stages that mean a won deal was undone. */
export const CANCELLED_STAGES = ['cancelled', 'closed_lost'] as const;

interface ClawbackRule {
  components: readonly string[];
  withinDays: number;
}

function clawbackRules(plans: readonly CompPlan[]): ClawbackRule[] {
  const rules: ClawbackRule[] = [];
  for (const plan of plans) for (const c of plan.components) if (c.kind === 'clawback') rules.push({ components: c.components, withinDays: c.withinDays });
  return rules;
}

export interface ClawbackInputs {
  paidCommissions: PaidCommission[];
  clawbackEvents: ClawbackEvent[];
}

/**
 * Paid commissions that a clawback of one of the run's plans could still reverse in this
 * period, and the events on their deals. A reversal already paid in a locked or paid run is
 * not offered again (the line id names the record, component, period and event kind).
 */
export async function loadClawbackInputs(scope: TenantScope, period: Period, plans: readonly CompPlan[], payeeIds: readonly string[]): Promise<ClawbackInputs> {
  const rules = clawbackRules(plans);
  if (rules.length === 0 || payeeIds.length === 0) return { paidCommissions: [], clawbackEvents: [] };
  const components = [...new Set(rules.flatMap((r) => r.components))].sort();
  const maxDays = Math.max(...rules.map((r) => r.withinDays));
  // A deal closed more than maxDays before the period starts can no longer be clawed back in it.
  const earliestClose = formatEpochDay(epochDay(period.start) - maxDays);

  const paid = await scope.tx.query<{ record_id: string; payee_id: string; component_id: string; amount: string; close_date: string; period_key: string }>(
    `SELECT c.record_id, l.payee_id::text AS payee_id, l.component_id, sum(c.attributed)::text AS amount, to_char(r.d2, 'YYYY-MM-DD') AS close_date, pr.period_key
       FROM payout_runs pr
       JOIN payout_lines l ON l.tenant_id = pr.tenant_id AND l.run_id = pr.id
       CROSS JOIN LATERAL (
         -- The line's credits: in one bytea since migration 0015, in arrays since 0014, in its explanation before.
         SELECT b.record_id::text AS record_id, b.attributed_minor AS attributed FROM attain_payout_credits(l.credits) AS b
         UNION ALL
         SELECT u.record_id, u.attributed FROM unnest(l.credit_record_ids, l.credit_attributed_minor) AS u(record_id, attributed)
         UNION ALL
         SELECT e->>'recordId', (e->>'attributedMinor')::bigint
           FROM jsonb_array_elements(CASE WHEN l.credits IS NULL AND l.credit_record_ids IS NULL THEN coalesce(l.explanation->'credits', '[]'::jsonb) ELSE '[]'::jsonb END) e
       ) c
       JOIN records r ON r.tenant_id = pr.tenant_id AND r.dataset = 'deals' AND r.id = c.record_id::bigint
      WHERE pr.tenant_id = $1 AND pr.status IN ('locked', 'paid') AND pr.period_start < $2::date
        AND l.kind IN ('commission', 'partner') AND l.component_id = ANY($3::text[]) AND l.payee_id = ANY($4::uuid[])
        AND c.record_id ~ '^[0-9]{1,18}$' AND r.d2 >= $5::date
      GROUP BY c.record_id, l.payee_id, l.component_id, r.d2, pr.period_key
     HAVING sum(c.attributed) <> 0
      ORDER BY c.record_id, l.payee_id, l.component_id, pr.period_key`,
    [scope.tenantId, period.start, components, payeeIds, earliestClose],
  );
  if (paid.length === 0) return { paidCommissions: [], clawbackEvents: [] };
  const recordIds = [...new Set(paid.map((p) => p.record_id))];

  // Reversals already paid: line ids end in …/record/component/period/event.
  const settledRows = await scope.tx.query<{ line_id: string }>(
    `SELECT l.line_id FROM payout_lines l JOIN payout_runs pr ON pr.tenant_id = l.tenant_id AND pr.id = l.run_id
      WHERE l.tenant_id = $1 AND l.kind = 'clawback' AND pr.status IN ('locked', 'paid') AND l.payee_id = ANY($2::uuid[])`,
    [scope.tenantId, payeeIds],
  );
  const settled = new Set(settledRows.map((r) => r.line_id.split('/').slice(-4).join('/')));

  const events = await scope.tx.query<{ record_id: string; kind: 'cancelled' | 'churned'; date: string }>(
    `SELECT r.id::text AS record_id, 'cancelled' AS kind, to_char(r.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date
       FROM records r
      WHERE r.tenant_id = $1 AND r.dataset = 'deals' AND r.id = ANY($2::bigint[]) AND r.t4 = ANY($3::text[])
     UNION ALL
     SELECT r.id::text, 'churned', to_char(a.d2, 'YYYY-MM-DD')
       FROM records r JOIN records a ON a.tenant_id = r.tenant_id AND a.dataset = 'accounts' AND a.ext_id = r.t2
      WHERE r.tenant_id = $1 AND r.dataset = 'deals' AND r.id = ANY($2::bigint[]) AND a.d2 IS NOT NULL
      ORDER BY 1, 2`,
    [scope.tenantId, recordIds, [...CANCELLED_STAGES]],
  );
  const paidCommissions: PaidCommission[] = paid.map((p) => ({
    recordId: p.record_id, payeeId: p.payee_id, componentId: p.component_id ?? '', amountMinor: Number(p.amount), recordDate: p.close_date, periodKey: p.period_key,
  }));
  const clawbackEvents: ClawbackEvent[] = events.map((e) => ({ recordId: e.record_id, kind: e.kind, date: e.date }));
  // Leave out what a locked run reversed already (an event counts once per paid commission).
  const open = paidCommissions.filter((p) => clawbackEvents.some((e) => e.recordId === p.recordId && !settled.has(`${p.recordId}/${p.componentId}/${p.periodKey}/${e.kind}`)));
  return { paidCommissions: open, clawbackEvents };
}

function scoreKeys(plans: readonly CompPlan[]): string[] {
  const keys = new Set<string>();
  for (const plan of plans) for (const c of plan.components) if (c.kind === 'bonus' && c.on.kind === 'score') keys.add(c.on.key);
  return [...keys].sort();
}

/** The OKR scores the run's MBO bonuses read, per payee (see the module comment). */
export async function loadScores(scope: TenantScope, period: Period, plans: readonly CompPlan[], payeeIds: readonly string[], clock: { today: string; now: string }): Promise<ScoreInput[]> {
  const keys = scoreKeys(plans);
  if (keys.length === 0 || payeeIds.length === 0) return [];
  const people = await scope.tx.query<{ id: string; user_id: string }>(
    'SELECT id::text, user_id::text FROM payees WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND user_id IS NOT NULL',
    [scope.tenantId, payeeIds],
  );
  if (people.length === 0) return [];
  const payeeOfUser = new Map(people.map((p) => [p.user_id, p.id]));
  // The shortest cycle that holds the whole period (a quarter before its year), else the latest that overlaps it.
  const [cycle] = await scope.tx.query<{ id: string }>(
    `SELECT id FROM okr_cycles WHERE tenant_id = $1 AND start_date < $3::date AND end_date > $2::date
      ORDER BY (start_date <= $2::date AND end_date >= $3::date) DESC, end_date - start_date, start_date DESC LIMIT 1`,
    [scope.tenantId, period.start, period.end],
  );
  if (!cycle) return [];
  const users = [...payeeOfUser.keys()];
  const candidates = await scope.tx.query<{ id: string }>(
    `SELECT DISTINCT o.id FROM okr_objectives o LEFT JOIN okr_key_results k ON k.tenant_id = o.tenant_id AND k.objective_id = o.id
      WHERE o.tenant_id = $1 AND o.cycle_id = $2 AND o.status IN ('active', 'closed')
        AND ((o.external_key = ANY($3::text[]) AND o.owner_user_id = ANY($4::uuid[]))
          OR (k.external_key = ANY($3::text[]) AND coalesce(k.owner_user_id, o.owner_user_id) = ANY($4::uuid[])))`,
    [scope.tenantId, cycle.id, keys, users],
  );
  if (candidates.length === 0) return [];
  const records = (await listObjectiveRecords(scope, SYSTEM_VIEWER, { ids: candidates.map((c) => c.id), orderBy: 'created' })).items;
  const lastDay = formatEpochDay(epochDay(period.end) - 1);
  const asOf = clock.today < lastDay ? clock.today : lastDay;
  const views = await evaluateObjectives(scope, records, { today: clock.today, now: clock.now }, { asOf });
  const wanted = new Set(keys);
  const out = new Map<string, ScoreInput>();
  const add = (userId: string | null, key: string, score: number, commitment: ScoreInput['commitment']) => {
    const payeeId = userId ? payeeOfUser.get(userId) : undefined;
    // One score per payee and key: the first objective made wins (deterministic).
    if (payeeId && !out.has(`${payeeId}/${key}`)) out.set(`${payeeId}/${key}`, { payeeId, key, score, commitment });
  };
  for (const view of views) {
    const ownerUser = view.owner.kind === 'user' ? view.owner.id : null;
    if (view.externalKey && wanted.has(view.externalKey)) add(ownerUser, view.externalKey, view.finalScore ?? view.score, view.commitment);
    for (const kr of view.keyResults) {
      if (kr.externalKey && wanted.has(kr.externalKey)) add(kr.owner?.id ?? ownerUser, kr.externalKey, kr.finalScore ?? kr.score, view.commitment);
    }
  }
  return [...out.values()].sort((a, b) => (a.payeeId === b.payeeId ? (a.key < b.key ? -1 : 1) : a.payeeId < b.payeeId ? -1 : 1));
}

/** The dataset credit splits and overlays are read from (a custom dataset a workspace declares). */
export const CREDIT_SPLITS_DATASET = 'deal_splits';

export interface CreditSplitsOfDeal {
  splits: { payeeId: string; percent: string }[];
  overlays: { payeeId: string; percent: string }[];
}

/**
 * Credit splits and overlays of deals, from the workspace's `deal_splits` dataset when it has
 * one: a row per deal and payee with the fields `deal` (the deal's id, text), a payee field,
 * `percent` (a number) and optionally `kind` (`split`, the default, or `overlay`). A deal with
 * split rows is credited to those payees instead of its owner (the percentages must add up
 * to 100, else the run reports the deal); overlay rows credit specialists on top. Without
 * the dataset (or its fields), nothing: owners are credited. Keyed by the deal's record id.
 */
export async function loadCreditSplits(scope: TenantScope, dealRecordIds: readonly string[]): Promise<Map<string, CreditSplitsOfDeal>> {
  const out = new Map<string, CreditSplitsOfDeal>();
  if (dealRecordIds.length === 0) return out;
  const dataset = await getDataset(scope, CREDIT_SPLITS_DATASET);
  if (!dataset) return out;
  const field = (key: string) => dataset.fields.find((f) => f.key === key);
  const deal = field('deal');
  const percent = field('percent');
  const kind = field('kind');
  const payee = dataset.fields.find((f) => f.type === 'payee');
  // Slots are column names chosen by the store (t1…, n1…), never user text.
  if (!deal || deal.slot.startsWith('n') || !percent || !percent.slot.startsWith('n') || !payee) return out;
  const rows = await scope.tx.query<{ deal_id: string; payee_id: string; percent: string; kind: string | null }>(
    `SELECT d.id::text AS deal_id, s.owner_payee_id::text AS payee_id, s.${percent.slot}::text AS percent, ${kind && kind.slot.startsWith('t') ? `s.${kind.slot}` : 'NULL'} AS kind
       FROM records s JOIN records d ON d.tenant_id = s.tenant_id AND d.dataset = 'deals' AND d.ext_id = s.${deal.slot}
      WHERE s.tenant_id = $1 AND s.dataset = $2 AND d.id = ANY($3::bigint[]) AND s.owner_payee_id IS NOT NULL AND s.${percent.slot} IS NOT NULL
      ORDER BY d.id, s.owner_payee_id, s.id`,
    [scope.tenantId, CREDIT_SPLITS_DATASET, dealRecordIds],
  );
  for (const row of rows) {
    const entry = out.get(row.deal_id) ?? { splits: [], overlays: [] };
    const share = { payeeId: row.payee_id, percent: toMajorUnits(row.percent, percent.scale ?? 0) };
    if ((row.kind ?? '').trim().toLowerCase() === 'overlay') entry.overlays.push(share);
    else entry.splits.push(share);
    out.set(row.deal_id, entry);
  }
  return out;
}

/** Whether a plan counts credits of this kind (a component whose `creditKinds` contain it). */
export function countsCreditKind(plan: CompPlan, kind: CreditKind): boolean {
  return plan.components.some((c) => 'base' in c && c.base !== undefined && c.base.kind === 'credits' && c.base.selector.kinds.includes(kind));
}

export interface TerritoryCrediting {
  /** Deal record id → the deepest territories its attributes match (territory criteria). */
  territoriesOfDeal: Map<string, string[]>;
  /** Territory → payees assigned to it during the period (reps, and the members of assigned teams). */
  territories: { territoryId: string; payeeId: string }[];
}

/**
 * Territory-based credit: each deal is attributed to territories by their criteria (region,
 * country, postcode, product line, segment, named account — a deal takes country and segment
 * from its account, as the coverage report does), the deepest matching territory counting;
 * every rep assigned to such a territory for any day of the period — owner or overlay, or a
 * member of an assigned team — gets a `territory` credit of the whole amount. Only loaded when
 * a plan of the run counts territory credits.
 */
export async function loadTerritoryCrediting(scope: TenantScope, period: Period, plans: readonly CompPlan[], dealRecordIds: readonly string[]): Promise<TerritoryCrediting | null> {
  if (!plans.some((plan) => countsCreditKind(plan, 'territory'))) return null;
  const territories = await listTerritories(scope);
  const index = indexTerritories(territories);
  const rows = dealRecordIds.length === 0 ? [] : await scope.tx.query<{ id: string; region: string | null; country: string | null; product_line: string | null; segment: string | null; account: string | null }>(
    `SELECT r.id::text AS id, coalesce(r.t7, a.t3) AS region, a.t4 AS country, r.t6 AS product_line, a.t2 AS segment, r.t2 AS account
       FROM records r LEFT JOIN records a ON a.tenant_id = r.tenant_id AND a.dataset = 'accounts' AND a.ext_id = r.t2
      WHERE r.tenant_id = $1 AND r.dataset = 'deals' AND r.id = ANY($2::bigint[])`,
    [scope.tenantId, dealRecordIds],
  );
  const territoriesOfDeal = new Map<string, string[]>();
  for (const r of rows) {
    const matched = deepestTerritories(attributeRecord({ id: r.id, region: r.region, country: r.country, productLine: r.product_line, segment: r.segment, accountId: r.account }, index), index);
    if (matched.length > 0) territoriesOfDeal.set(r.id, matched);
  }
  const members = await scope.tx.query<{ team_id: string; payee_id: string }>('SELECT team_id::text, id::text AS payee_id FROM payees WHERE tenant_id = $1 AND team_id IS NOT NULL', [scope.tenantId]);
  const start = period.start;
  const end = period.end;
  const out = new Map<string, { territoryId: string; payeeId: string }>();
  for (const a of await listTerritoryAssignments(scope)) {
    if (a.from >= end || (a.until !== null && a.until <= start)) continue;
    const payees = a.assigneeKind === 'rep' ? [a.assigneeId] : members.filter((m) => m.team_id === a.assigneeId).map((m) => m.payee_id);
    for (const payeeId of payees) out.set(`${a.territoryId}/${payeeId}`, { territoryId: a.territoryId, payeeId });
  }
  return { territoriesOfDeal, territories: [...out.values()].sort((x, y) => (x.territoryId === y.territoryId ? (x.payeeId < y.payeeId ? -1 : 1) : x.territoryId < y.territoryId ? -1 : 1)) };
}

/**
 * Team credit: the teams of the payees whose plan counts `team` credits. Every member of such
 * a team is credited the whole amount of a teammate's deal (the engine's `teamCredit`); the
 * members whose plans do not count team credit ignore it.
 */
export async function loadTeamCredit(scope: TenantScope, plans: readonly CompPlan[], assignments: readonly { payeeId: string; planId: string; planVersion: number }[]): Promise<string[]> {
  const counting = new Set(plans.filter((plan) => countsCreditKind(plan, 'team')).map((p) => `${p.id}@${p.version}`));
  if (counting.size === 0) return [];
  const payeeIds = [...new Set(assignments.filter((a) => counting.has(`${a.planId}@${a.planVersion}`)).map((a) => a.payeeId))];
  const rows = await scope.tx.query<{ team_id: string }>(
    'SELECT DISTINCT team_id::text FROM payees WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND team_id IS NOT NULL ORDER BY 1',
    [scope.tenantId, payeeIds],
  );
  return rows.map((r) => r.team_id);
}

/**
 * The SQL evaluator's compiler: a metric plan + period + grouping → ONE parameterised
 * query over `records` that returns the same integer primitives per leaf and group as the
 * in-memory evaluator (src/core/metrics/evaluate.ts). Values are always bound parameters;
 * identifiers come only from the closed set of slot columns. Runs on PostgreSQL 15 and
 * PGlite (no PostgreSQL 16+ features).
 */
import { slotFamilyOf, type FieldDef } from '../../core/data/datasets.js';
import { epochDay, formatEpochDay, formatInstant, MS_PER_DAY, toEpochDay, type FiscalCalendar, type Period } from '../../core/period.js';
import { leafPeriod, type CompiledFilter, type GroupingPlan, type LeafGrouping, type LeafPlan, type MetricPlan, type StoredValue } from '../../core/metrics/plan.js';
import { isUuid } from '../../core/uuid.js';

export interface CompiledQuery {
  sql: string;
  params: unknown[];
}

/** The row the metric query returns per leaf and group (bigint and numeric come back as strings). */
export interface PrimitiveRow {
  leaf: number;
  is_total: boolean;
  g: string | null;
  label: string | null;
  c: string;
  n: string | null;
  s: string | null;
  mn: string | null;
  mx: string | null;
  dc: string | null;
  h: string | null;
}

const SLOT = /^(t([1-9]|1[0-2])|n[1-8]|d[1-6]|ts[1-4]|owner)$/;

/** The record column of a field: only from the closed slot set, never from input. */
function column(field: FieldDef): string {
  if (!SLOT.test(field.slot)) throw new Error(`not a slot: ${field.slot}`);
  return field.slot === 'owner' ? 'r.owner_payee_id' : `r.${field.slot}`;
}

const CASTS = { t: 'text', owner: 'uuid', n: 'bigint', d: 'date', ts: 'timestamptz' } as const;
type Family = keyof typeof CASTS;
const familyOf = (field: FieldDef): Family => slotFamilyOf(field.type);

/** Collects bound parameters; `$1` is always the tenant. */
class Params {
  readonly values: unknown[];
  constructor(tenantId: string) {
    this.values = [tenantId];
  }
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

/** A stored value in the form PostgreSQL parses for the slot's type. */
function sqlValue(family: Family, value: StoredValue): string {
  switch (family) {
    case 't':
    case 'owner':
      return String(value);
    case 'n':
      return String(value);
    case 'd':
      return formatEpochDay(Number(value));
    case 'ts':
      return formatInstant(Number(value));
    default: {
      const unreachable: never = family;
      throw new Error(`unknown family ${String(unreachable)}`);
    }
  }
}

function filterSql(filter: CompiledFilter, p: Params): string {
  const col = column(filter.field);
  const family = familyOf(filter.field);
  const cast = CASTS[family];
  switch (filter.op) {
    case 'eq':
      return `${col} = ${p.add(sqlValue(family, filter.value), cast)}`;
    case 'neq':
      return `${col} <> ${p.add(sqlValue(family, filter.value), cast)}`;
    case 'gt':
      return `${col} > ${p.add(sqlValue(family, filter.value), cast)}`;
    case 'gte':
      return `${col} >= ${p.add(sqlValue(family, filter.value), cast)}`;
    case 'lt':
      return `${col} < ${p.add(sqlValue(family, filter.value), cast)}`;
    case 'lte':
      return `${col} <= ${p.add(sqlValue(family, filter.value), cast)}`;
    case 'in':
      return `${col} = ANY(${p.add(filter.values.map((v) => sqlValue(family, v)), `${cast}[]`)})`;
    case 'not_in':
      // A missing value matches neither in nor not_in (NOT NULL is NULL).
      return `NOT (${col} = ANY(${p.add(filter.values.map((v) => sqlValue(family, v)), `${cast}[]`)}))`;
    case 'eq_or_null':
      return `(${col} = ${p.add(sqlValue(family, filter.value), cast)} OR ${col} IS NULL)`;
    case 'is_null':
      return `${col} IS NULL`;
    case 'not_null':
      return `${col} IS NOT NULL`;
    default: {
      const unreachable: never = filter;
      throw new Error(`unknown filter ${JSON.stringify(unreachable)}`);
    }
  }
}

/** A date or datetime column as exact epoch milliseconds (what the snapshot holds). */
function millis(field: FieldDef): string {
  return field.type === 'date' ? `((${column(field)} - DATE '1970-01-01')::bigint * ${MS_PER_DAY})` : `floor(extract(epoch FROM ${column(field)}) * 1000)::bigint`;
}

function bound(field: FieldDef, date: string, p: Params): string {
  return field.type === 'date' ? p.add(date, 'date') : p.add(formatInstant(epochDay(date) * MS_PER_DAY), 'timestamptz');
}

/** Period attribution, filters: the WHERE clause of one leaf. */
function leafWhere(leaf: LeafPlan, period: Period, p: Params): string[] {
  const datasetParam = p.add(leaf.dataset.key, 'text');
  const conditions = ['r.tenant_id = $1', `r.dataset = ${datasetParam}`];
  const date = column(leaf.dateField);
  if (!leaf.activeUntil) {
    conditions.push(`${date} >= ${bound(leaf.dateField, period.start, p)}`, `${date} < ${bound(leaf.dateField, period.end, p)}`);
  } else {
    const until = column(leaf.activeUntil);
    conditions.push(`${date} < ${bound(leaf.dateField, period.end, p)}`, `(${until} IS NULL OR ${until} >= ${bound(leaf.activeUntil, period.start, p)})`);
  }
  for (const filter of leaf.filters) conditions.push(filterSql(filter, p));
  return conditions;
}

/** The primitive columns of one leaf (the same set for every leaf, so leaves can be UNIONed). */
function primitives(leaf: LeafPlan, p: Params): string {
  const m = leaf.measure;
  const none = { n: 'count(*)', s: 'NULL::numeric', mn: 'NULL::bigint', mx: 'NULL::bigint', dc: 'NULL::bigint', h: 'NULL::bigint' };
  let cols = none;
  switch (m.kind) {
    case 'count':
      break;
    case 'sum':
    case 'avg':
      cols = { ...none, n: `count(${column(m.field)})`, s: `sum(${column(m.field)})::numeric` };
      break;
    case 'min':
      cols = { ...none, n: `count(${column(m.field)})`, mn: `min(${column(m.field)})` };
      break;
    case 'max':
      cols = { ...none, n: `count(${column(m.field)})`, mx: `max(${column(m.field)})` };
      break;
    case 'distinct_count':
      cols = { ...none, n: `count(${column(m.field)})`, dc: `count(DISTINCT ${column(m.field)})` };
      break;
    case 'rate': {
      const where = m.where.map((f) => filterSql(f, p)).join(' AND ');
      cols = { ...none, h: `count(*) FILTER (WHERE ${where})` };
      break;
    }
    case 'avg_duration':
      cols = {
        ...none,
        n: `count(*) FILTER (WHERE ${column(m.from)} IS NOT NULL AND ${column(m.to)} IS NOT NULL)`,
        s: `sum(${millis(m.to)} - ${millis(m.from)})::numeric`,
      };
      break;
    case 'share_within':
      cols = {
        ...none,
        n: `count(${column(m.from)})`,
        h: `count(*) FILTER (WHERE ${millis(m.to)} - ${millis(m.from)} <= ${p.add(String(m.limitMs), 'bigint')})`,
      };
      break;
    default: {
      const unreachable: never = m;
      throw new Error(`unknown measure ${JSON.stringify(unreachable)}`);
    }
  }
  return `count(*) AS c, ${cols.n} AS n, ${cols.s} AS s, ${cols.mn} AS mn, ${cols.mx} AS mx, ${cols.dc} AS dc, ${cols.h} AS h`;
}

/**
 * A field grouping: the column to group by, and the group key as text — the same string
 * the in-memory evaluator makes.
 */
function groupExpressions(field: FieldDef): { by: string; key: string } {
  const col = column(field);
  const family = familyOf(field);
  switch (family) {
    case 't':
      return { by: col, key: col };
    case 'owner':
    case 'n':
      return { by: col, key: `${col}::text` };
    case 'd':
      return { by: col, key: `to_char(${col}, 'YYYY-MM-DD')` };
    case 'ts':
      throw new Error('grouping by a datetime');
    default: {
      const unreachable: never = family;
      throw new Error(`unknown family ${String(unreachable)}`);
    }
  }
}

const TEAM_CTE = `RECURSIVE closure(ancestor, team_id) AS (
    SELECT id, id FROM teams WHERE tenant_id = $1
    UNION
    SELECT c.ancestor, t.id FROM closure c JOIN teams t ON t.tenant_id = $1 AND t.parent_id = c.team_id
  ), owner_team AS (
    SELECT p.id AS payee_id, c.ancestor FROM payees p JOIN closure c ON c.team_id = p.team_id WHERE p.tenant_id = $1
  )`;

function leafSelects(leaf: LeafPlan, grouping: LeafGrouping, period: Period, p: Params): string[] {
  const where = leafWhere(leaf, period, p).join(' AND ');
  const cols = primitives(leaf, p);
  // gid: the owner's or team's id as uuid, for the label lookup by primary key.
  const head = (isTotal: string, g: string, gid: string) => `SELECT ${leaf.index} AS leaf, ${isTotal} AS is_total, ${g} AS g, ${gid} AS gid, ${cols}`;
  switch (grouping.kind) {
    case 'none':
      return [`${head('true', 'NULL::text', 'NULL::uuid')} FROM records r WHERE ${where}`];
    case 'field': {
      // One scan: the groups and the total through grouping sets.
      const { by, key } = groupExpressions(grouping.field);
      const gid = grouping.field.type === 'payee' ? by : 'NULL::uuid';
      return [`${head(`GROUPING(${by}) = 1`, key, gid)} FROM records r WHERE ${where} GROUP BY GROUPING SETS ((${by}), ())`];
    }
    case 'team':
      // Each record counts once for its owner's team and once for every team above it;
      // the total counts it once.
      return [
        `${head('false', 'ot.ancestor::text', 'ot.ancestor')} FROM records r LEFT JOIN owner_team ot ON ot.payee_id = ${column(grouping.owner)} WHERE ${where} GROUP BY ot.ancestor`,
        `${head('true', 'NULL::text', 'NULL::uuid')} FROM records r WHERE ${where}`,
      ];
    default: {
      const unreachable: never = grouping;
      throw new Error(`unknown grouping ${JSON.stringify(unreachable)}`);
    }
  }
}

export interface MetricQueryInput {
  tenantId: string;
  plan: MetricPlan;
  grouping: GroupingPlan;
  period: Period;
  calendar: FiscalCalendar;
}

/**
 * One query for all leaves of a metric: rows `(leaf, is_total, g, label, c, n, s, mn, mx, dc, h)`.
 * Owner and team groups carry the payee's or team's name as label.
 */
export function compileMetricQuery(input: MetricQueryInput): CompiledQuery {
  const p = new Params(input.tenantId);
  const selects = input.plan.leaves.flatMap((leaf) =>
    leafSelects(leaf, input.grouping.perLeaf[leaf.index] ?? { kind: 'none' }, leafPeriod(input.period, leaf.shift, input.calendar), p),
  );
  const groupings = input.grouping.perLeaf;
  const usesTeams = groupings.some((g) => g.kind === 'team');
  const primary = groupings[input.plan.primaryLeaf] ?? { kind: 'none' };
  // Names of owner and team groups: one primary-key lookup per group row (uuid = uuid, so
  // row-level security lets it use the index; a text cast would not be leakproof).
  let label = 'NULL::text';
  if (primary.kind === 'team') label = '(SELECT lt.name FROM teams lt WHERE lt.tenant_id = $1 AND lt.id = prim.gid)';
  else if (primary.kind === 'field' && primary.field.type === 'payee') label = '(SELECT lp.display_name FROM payees lp WHERE lp.tenant_id = $1 AND lp.id = prim.gid)';
  const sql = `WITH ${usesTeams ? `${TEAM_CTE},` : ''} prim AS (
  ${selects.map((s) => `(${s})`).join('\n  UNION ALL\n  ')}
)
SELECT prim.*, ${label} AS label FROM prim`;
  return { sql, params: p.values };
}

/** The contributing condition of a leaf: records counted in its n. */
function contributing(leaf: LeafPlan): string {
  const m = leaf.measure;
  switch (m.kind) {
    case 'count':
    case 'rate':
      return 'true';
    case 'sum':
    case 'avg':
    case 'min':
    case 'max':
    case 'distinct_count':
      return `${column(m.field)} IS NOT NULL`;
    case 'avg_duration':
      return `${column(m.from)} IS NOT NULL AND ${column(m.to)} IS NOT NULL`;
    case 'share_within':
      return `${column(m.from)} IS NOT NULL`;
    default: {
      const unreachable: never = m;
      throw new Error(`unknown measure ${JSON.stringify(unreachable)}`);
    }
  }
}


/** Whether a group key can name a group of this grouping (so a bad key is a 400, not a SQL error). */
export function isValidGroupKey(grouping: LeafGrouping, key: string): boolean {
  if (grouping.kind === 'team') return isUuid(key);
  if (grouping.kind === 'none') return false;
  switch (familyOf(grouping.field)) {
    case 'owner':
      return isUuid(key);
    case 'n':
      return /^-?\d{1,16}$/.test(key);
    case 'd':
      return toEpochDay(key) !== null;
    default:
      return true;
  }
}

function groupCondition(grouping: LeafGrouping, group: string | null, p: Params): string {
  switch (grouping.kind) {
    case 'none':
      return 'true';
    case 'team':
      return group === null
        ? `(${column(grouping.owner)} IS NULL OR ${column(grouping.owner)} NOT IN (SELECT payee_id FROM owner_team))`
        : `${column(grouping.owner)} IN (SELECT payee_id FROM owner_team WHERE ancestor = ${p.add(group, 'uuid')})`;
    case 'field': {
      if (group === null) return `${column(grouping.field)} IS NULL`;
      const family = familyOf(grouping.field);
      return `${column(grouping.field)} = ${p.add(group, CASTS[family])}`;
    }
    default: {
      const unreachable: never = grouping;
      throw new Error(`unknown grouping ${JSON.stringify(unreachable)}`);
    }
  }
}

export interface ExplainRow {
  leaf: number;
  id: string | null;
  total: string;
}

/**
 * For one group (or all records when ungrouped): the ids of each leaf's contributing records,
 * lowest first, up to `limit` per leaf, with each leaf's full count. One query; a leaf with
 * no records returns one row with id null and total 0.
 */
export function compileExplainQuery(input: MetricQueryInput & { group: string | null; limit: number }): CompiledQuery {
  const p = new Params(input.tenantId);
  const limit = p.add(String(input.limit), 'bigint');
  const usesTeams = input.grouping.perLeaf.some((g) => g.kind === 'team');
  const selects = input.plan.leaves.map((leaf) => {
    const where = [
      ...leafWhere(leaf, leafPeriod(input.period, leaf.shift, input.calendar), p),
      contributing(leaf),
      groupCondition(input.grouping.perLeaf[leaf.index] ?? { kind: 'none' }, input.grouping.dimension ? input.group : null, p),
    ].join(' AND ');
    return `SELECT ${leaf.index} AS leaf, ids.id, coalesce(ids.total, 0) AS total FROM (SELECT 1) one LEFT JOIN LATERAL (
      SELECT r.id::text AS id, count(*) OVER () AS total FROM records r WHERE ${where} ORDER BY r.id LIMIT ${limit}
    ) ids ON true`;
  });
  const sql = `${usesTeams ? `WITH ${TEAM_CTE} ` : ''}${selects.map((s) => `(${s})`).join('\nUNION ALL\n')}`;
  return { sql, params: p.values };
}

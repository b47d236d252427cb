/**
 * OKR set documents: a cycle's objectives and key results as one JSON/YAML file (schema in
 * docs/schemas/okr-set.schema.json). `scoreDocument` scores a document from the values in
 * it alone — no database — which is what `attain okr score FILE` prints.
 */
import { z } from 'zod';
import { epochDay, formatEpochDay, toEpochDay } from '../period.js';
import { DEFAULT_PACE_THRESHOLDS, expectedProgress, paceStatus, projectFromTrend, type PaceStatus } from './pace.js';
import { assessExpectation, bandOf, scoreKeyResult, scoreObjective, type Band, type Expectation, type KeyResultMeasure } from './scoring.js';

const CalendarDate = z.string().refine((d) => toEpochDay(d) !== null, 'a real date as YYYY-MM-DD');
const Reading = z.object({ date: CalendarDate, value: z.number() });

const KeyResultBase = {
  id: z.string().min(1).max(100),
  title: z.string().min(1).max(300),
  owner: z.string().max(200).optional(),
  weight: z.number().min(0).optional(),
  /** The catalogue metric a metric-bound key result reads (for the record; values are in the document). */
  metric: z.string().max(100).optional(),
  unit: z.enum(['count', 'money', 'percent', 'days', 'hours', 'number']).optional(),
  // Added for import/export of stored OKRs; all optional, so older documents stay valid.
  direction: z.enum(['increase', 'decrease']).optional(),
  /** "+10 % against last quarter": start is the baseline period's value, target = start × (1 + changePercent ÷ 100). */
  baseline: z.object({ period: z.enum(['previous_period', 'same_period_last_year']), changePercent: z.number() }).optional(),
  metricVersion: z.number().int().min(1).optional(),
  /** Picks for the metric: product, region, channel; `scope: tenant` reads the whole workspace instead of the owner. */
  metricParameters: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), z.string().max(200)).optional(),
  trackingNote: z.string().max(2000).optional(),
};
const Linear = {
  start: z.number().default(0),
  target: z.number(),
  current: z.number().nullable().optional(),
  history: z.array(Reading).optional(),
};

export const KeyResultDocument = z.discriminatedUnion('kind', [
  z.object({ ...KeyResultBase, kind: z.literal('metric'), ...Linear }),
  z.object({ ...KeyResultBase, kind: z.literal('number'), ...Linear }),
  z.object({ ...KeyResultBase, kind: z.literal('percent'), ...Linear }),
  z.object({ ...KeyResultBase, kind: z.literal('currency'), ...Linear, currency: z.string().regex(/^[A-Z]{3}$/).optional() }),
  z.object({ ...KeyResultBase, kind: z.literal('milestone'), done: z.boolean().default(false) }),
  z.object({ ...KeyResultBase, kind: z.literal('checklist'), items: z.array(z.object({ title: z.string().min(1), done: z.boolean().default(false) })).min(1) }),
  z.object({ ...KeyResultBase, kind: z.literal('guardrail'), mode: z.enum(['stay_above', 'stay_below']), limit: z.number(), history: z.array(Reading).default([]) }),
]);
export type KeyResultDocument = z.infer<typeof KeyResultDocument>;

export const ObjectiveDocument = z.object({
  id: z.string().min(1).max(100),
  title: z.string().min(1).max(300),
  description: z.string().max(5000).optional(),
  owner: z.string().max(200).optional(),
  category: z.enum(['revenue', 'customer', 'product', 'process', 'team']).optional(),
  commitment: z.enum(['committed', 'aspirational']).default('aspirational'),
  weighting: z.enum(['equal', 'explicit', 'target_value']).default('equal'),
  template: z.string().max(100).optional(),
  status: z.enum(['draft', 'proposed', 'active', 'closed']).optional(),
  visibility: z.enum(['tenant', 'private']).optional(),
  /** Alignment: an objective (its id in this document, or of a stored objective) or one of its key results. */
  parent: z.object({ objective: z.string().min(1).max(100), keyResult: z.string().min(1).max(100).optional() }).optional(),
  /** Contributors' e-mail addresses. */
  contributors: z.array(z.string().max(254)).optional(),
  /** Frozen at the cycle's close, with the owner's self-assessment. */
  finalScore: z.number().min(0).max(1).optional(),
  selfAssessment: z.string().max(5000).optional(),
  keyResults: z.array(KeyResultDocument).min(1),
});

export type ObjectiveDocument = z.infer<typeof ObjectiveDocument>;

export const OkrSetDocument = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1),
    cycle: z.object({ key: z.string().max(40).optional(), start: CalendarDate, end: CalendarDate.describe('exclusive: the first day after the cycle') }),
    /** The day the scores and pace are read at (default: the cycle's last day). */
    asOf: CalendarDate.optional(),
    objectives: z.array(ObjectiveDocument).min(1),
  })
  .refine((d) => d.cycle.end > d.cycle.start, { message: 'cycle.end must be after cycle.start', path: ['cycle', 'end'] });
export type OkrSetDocument = z.infer<typeof OkrSetDocument>;

export interface KeyResultResult {
  id: string;
  title: string;
  score: number;
  raw: number;
  band: Band;
  hasValue: boolean;
  expectedProgress: number;
  status: PaceStatus;
  projected: number | null;
}

export interface ObjectiveResult {
  id: string;
  title: string;
  score: number;
  band: Band;
  commitment: 'committed' | 'aspirational';
  /** Read against the commitment once the cycle is over (null while it runs). */
  expectation: Expectation | null;
  keyResults: KeyResultResult[];
}

export interface DocumentScore {
  cycle: { key: string | null; start: string; end: string };
  asOf: string;
  /** True when asOf is the cycle's last day or later: the scores are final. */
  final: boolean;
  objectives: ObjectiveResult[];
}

/** The cycle's last day (its end is exclusive). */
function lastDayOf(cycle: { end: string }): string {
  return formatEpochDay(epochDay(cycle.end) - 1);
}

function measureOf(kr: KeyResultDocument, cycleStart: string, asOf: string): KeyResultMeasure {
  switch (kr.kind) {
    case 'metric':
    case 'number':
    case 'percent':
    case 'currency': {
      const latest = kr.history?.filter((h) => h.date <= asOf).sort((a, b) => (a.date < b.date ? -1 : 1)).at(-1)?.value;
      return { kind: 'linear', start: kr.start, target: kr.target, current: kr.current ?? latest ?? null };
    }
    case 'milestone':
      return { kind: 'milestone', done: kr.done };
    case 'checklist':
      return { kind: 'checklist', items: kr.items };
    case 'guardrail':
      return { kind: 'guardrail', mode: kr.mode, limit: kr.limit, history: kr.history, cycleStart, asOf };
    default: {
      const unreachable: never = kr;
      throw new Error(`unknown key result ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Scores every key result and objective of a (validated) document at `asOf`.
 * @example scoreDocument(OkrSetDocument.parse(yaml)) // → { objectives: [{ score: 0.7, band: 'green', … }] }
 */
export function scoreDocument(doc: OkrSetDocument): DocumentScore {
  const lastDay = lastDayOf(doc.cycle);
  const asOf = doc.asOf ?? lastDay;
  const final = asOf >= lastDay;
  const expected = expectedProgress(doc.cycle, asOf);
  const objectives = doc.objectives.map((objective): ObjectiveResult => {
    const keyResults = objective.keyResults.map((kr): KeyResultResult => {
      const result = scoreKeyResult(measureOf(kr, doc.cycle.start, asOf));
      const linear = kr.kind === 'metric' || kr.kind === 'number' || kr.kind === 'percent' || kr.kind === 'currency';
      return {
        id: kr.id,
        title: kr.title,
        score: result.score,
        raw: result.raw,
        band: bandOf(result.score),
        hasValue: result.hasValue,
        expectedProgress: expected,
        status: paceStatus(result.hasValue ? result.raw : null, expected, DEFAULT_PACE_THRESHOLDS),
        projected: linear && kr.history ? projectFromTrend(kr.history, doc.cycle) : null,
      };
    });
    const score = scoreObjective(
      objective.keyResults.map((kr, i) => ({
        score: keyResults[i]?.score ?? 0,
        weight: kr.weight,
        targetValue: 'target' in kr && (kr.kind === 'currency' || kr.unit === 'money') ? kr.target : undefined,
      })),
      objective.weighting,
    );
    return {
      id: objective.id, title: objective.title, score, band: bandOf(score), commitment: objective.commitment,
      expectation: final ? assessExpectation(score, objective.commitment) : null, keyResults,
    };
  });
  return { cycle: { key: doc.cycle.key ?? null, start: doc.cycle.start, end: doc.cycle.end }, asOf, final, objectives };
}

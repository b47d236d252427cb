import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { hasPermission } from '../../core/roles.js';
import { KEY_RESULT_KINDS, KEY_RESULT_UNITS } from '../../core/okr/key-result.js';
import { formatInstant, formatEpochDay, MS_PER_DAY } from '../../core/period.js';
import { loadViewer, OkrError, type Viewer } from '../../store/repos/okr-common.js';
import type { ReadContext } from '../../store/repos/okr-read.js';
import type { Store, TenantScope } from '../../store/store.js';
import { inCallerTenant, type RouteDeps } from '../context.js';
import { AppError } from '../errors.js';
import { CalendarDate, Id, Instant } from '../schemas.js';

/** The server's clock: the one place OKR code reads the time (the store and core take it as input). */
export function clock(): { today: string; now: string } {
  const ms = Date.now();
  return { today: formatEpochDay(Math.floor(ms / MS_PER_DAY)), now: formatInstant(ms) };
}

/** Maps the store's expected OKR failures to the server's error codes (409s carry a stable `details.reason`). */
export function okrAppError(error: OkrError): AppError {
  const f = error.failure;
  switch (f.kind) {
    case 'not_found':
      return new AppError('not_found', `${f.what} not found`);
    case 'forbidden':
      return new AppError('forbidden', f.message);
    case 'invalid':
      return new AppError('validation_failed', error.message, f.issues);
    case 'conflict':
      return new AppError('conflict', f.message, { reason: f.reason });
    case 'unavailable':
      return new AppError('unavailable', f.message, { reason: f.reason });
    default: {
      const unreachable: never = f;
      throw new Error(`unknown failure ${JSON.stringify(unreachable)}`);
    }
  }
}

export interface OkrCall {
  scope: TenantScope;
  viewer: Viewer;
  context: ReadContext & { viewer: Viewer; permissions: { write: boolean; approve: boolean } };
}

/** Runs an OKR operation in the caller's workspace, as the caller, in one transaction; expected failures roll it back and become API errors. */
export async function okrCall<T>(store: Store, request: FastifyRequest, fn: (call: OkrCall) => Promise<T>): Promise<T> {
  const auth = request.auth;
  if (!auth) throw new AppError('unauthenticated', 'Sign in first');
  try {
    return await inCallerTenant(store, request, async (scope) => {
      const viewer = await loadViewer(scope, { userId: auth.userId, isAdmin: auth.role === 'admin' });
      const permissions = { write: hasPermission(auth.role, 'okrs:write'), approve: hasPermission(auth.role, 'okrs:approve') };
      return fn({ scope, viewer, context: { ...clock(), viewer, permissions } });
    });
  } catch (error) {
    if (error instanceof OkrError) throw okrAppError(error);
    throw error;
  }
}

/**
 * Tells the workspace's OKR readers that something changed: ids only (the UI refetches what it
 * may see), and none of a private objective's.
 */
export function publishOkrChange(
  deps: RouteDeps,
  request: FastifyRequest,
  data: { objectiveId?: string; keyResultId?: string; cycleId?: string; change: string },
  visibility: 'tenant' | 'private' = 'tenant',
): void {
  const tenantId = request.auth?.tenantId;
  const safe = visibility === 'private' ? { change: data.change, ...(data.cycleId ? { cycleId: data.cycleId } : {}) } : data;
  if (tenantId) deps.hub.publish(tenantId, { type: 'okr.changed', data: safe }, (client) => hasPermission(client.role, 'okrs:read'));
}

// --- request schemas --------------------------------------------------------------------------

export const Title = z.string().trim().min(1).max(300);
export const Text = (max: number) => z.string().max(max);
export const CategorySchema = z.enum(['revenue', 'customer', 'product', 'process', 'team']);
export const CommitmentSchema = z.enum(['committed', 'aspirational']);
export const VisibilitySchema = z.enum(['tenant', 'private']).describe('private: only the owner, contributors, the owning team, the managers above and admins see it');
export const WeightingSchema = z.enum(['equal', 'explicit', 'target_value']);
export const ObjectiveStatusSchema = z.enum(['draft', 'proposed', 'active', 'closed']);
export const OwnerRefSchema = z.object({ kind: z.enum(['team', 'user']), id: Id });
export const ParentRefSchema = z
  .object({ objectiveId: Id.optional(), keyResultId: Id.optional() })
  .describe('Align to an objective, or to one key result, of the same cycle or of the year above it');
const ParamKey = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/);
export const MetricBindingBody = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{1,59}$/).describe('A catalogue or custom metric'),
  version: z.number().int().min(1).nullable().optional().describe('Pin a definition version; default: the latest'),
  parameters: z.record(ParamKey, z.string().max(200)).optional().describe('Equality filters on the metric’s dataset (product, region, channel …); scope: "tenant" reads the whole workspace instead of the owner'),
});
const Finite = z.number().min(-1e15).max(1e15);
export const BaselineSchema = z.object({
  period: z.enum(['previous_period', 'same_period_last_year']),
  changePercent: z.number().min(-100).max(100_000),
});

export const KeyResultBody = z.object({
  externalKey: z.string().min(1).max(100).nullable().optional(),
  title: Title,
  ownerUserId: Id.nullable().optional(),
  weight: z.number().min(0).max(1_000_000).optional(),
  unit: z.enum(KEY_RESULT_UNITS).optional(),
  kind: z.enum(KEY_RESULT_KINDS),
  direction: z.enum(['increase', 'decrease']).optional(),
  start: Finite.nullable().optional(),
  target: Finite.nullable().optional(),
  baseline: BaselineSchema.nullable().optional().describe('A target relative to a baseline period: start = its value, target = start × (1 + changePercent ÷ 100)'),
  targetFromQuota: z.boolean().optional().describe('Money key results: the target is the owner’s quota for the cycle from quota planning (start 0); on a patch, re-reads it'),
  metric: MetricBindingBody.nullable().optional(),
  checklist: z.array(Title).max(50).optional(),
  guardrail: z.object({ mode: z.enum(['stay_above', 'stay_below']), limit: Finite }).nullable().optional(),
  trackingNote: Text(2000).nullable().optional(),
});

export const CheckinFields = {
  value: Finite.nullable().optional().describe('Number, percent, currency and guardrail key results (metric-bound ones read the metric)'),
  done: z.boolean().optional().describe('Milestones'),
  checklistDone: z.array(z.boolean()).max(50).optional().describe('Checklists: one flag per item'),
  date: CalendarDate.optional().describe('The day the value is for (default today)'),
  confidence: z.number().int().min(1).max(10).nullable().optional(),
  note: Text(5000).nullable().optional(),
  blockers: Text(5000).nullable().optional(),
};

// --- response schemas ---------------------------------------------------------------------------

const BandSchema = z.enum(['red', 'yellow', 'green']);
const PaceSchema = z.enum(['on_track', 'behind', 'at_risk', 'not_started']);
const ExpectationSchema = z.object({ verdict: z.enum(['met', 'missed', 'healthy', 'low', 'too_easy']), needsExplanation: z.boolean() });
const OwnerSchema = z.object({ kind: z.enum(['team', 'user']), id: Id, name: z.string() });
const PersonRef = z.object({ id: Id, name: z.string() });
const NullablePerson = z.object({ id: Id.nullable(), name: z.string().nullable() });

export const CycleSchema = z
  .object({
    id: Id, key: z.string(), kind: z.enum(['quarter', 'year']), start: CalendarDate, end: CalendarDate.describe('exclusive'),
    parentCycleId: Id.nullable(), status: z.enum(['open', 'closed']), closedAt: Instant.nullable(), closedBy: Id.nullable(), objectiveCount: z.number().int(),
  })
  .meta({ id: 'OkrCycle' });

export const KeyResultSchema = z
  .object({
    id: Id, objectiveId: Id, externalKey: z.string().nullable(), position: z.number().int(), owner: PersonRef.nullable(),
    title: z.string(), kind: z.enum(KEY_RESULT_KINDS), unit: z.enum(KEY_RESULT_UNITS), direction: z.enum(['increase', 'decrease']),
    start: z.number().nullable(), target: z.number().nullable(), baseline: BaselineSchema.nullable(),
    metric: z.object({ key: z.string(), version: z.number().int().nullable(), parameters: z.record(z.string(), z.string()) }).nullable(),
    checklist: z.array(z.object({ title: z.string(), done: z.boolean() })),
    guardrail: z.object({ mode: z.enum(['stay_above', 'stay_below']), limit: z.number() }).nullable(),
    weight: z.number(), trackingNote: z.string().nullable(), carriedFromKeyResultId: Id.nullable(),
    current: z.number().nullable().describe('The value scored'), valueSource: z.enum(['metric', 'checkins']),
    metricError: z.object({ reason: z.string(), message: z.string() }).nullable().describe('Why the metric could not be read (then current is the latest check-in)'),
    score: z.number().describe('0–1, 4 decimals'), raw: z.number().describe('progress before clamping'), overAchievement: z.number(), hasValue: z.boolean(), band: BandSchema,
    expectedProgress: z.number(), expectedValue: z.number().nullable(), paceStatus: PaceSchema, projected: z.number().nullable(),
    projectedFromPipeline: z.number().nullable(), targetReached: z.boolean(), finalScore: z.number().nullable(),
    lastCheckin: z.object({ at: Instant, date: CalendarDate, confidence: z.number().int().nullable(), note: z.string().nullable(), blockers: z.string().nullable(), author: z.string().nullable() }).nullable(),
    revisionCount: z.number().int(),
  })
  .meta({ id: 'OkrKeyResult' });

const objectiveShape = {
  id: Id, cycleId: Id, cycleKey: z.string(), externalKey: z.string().nullable(), title: z.string(), description: z.string(), category: CategorySchema,
  owner: OwnerSchema, commitment: CommitmentSchema, status: ObjectiveStatusSchema, visibility: z.enum(['tenant', 'private']),
  parent: z.object({ objectiveId: Id.nullable(), keyResultId: Id.nullable() }).nullable(), weighting: WeightingSchema, templateId: z.string().nullable(),
  carriedFromObjectiveId: Id.nullable(), finalScore: z.number().nullable(), selfAssessment: z.string().nullable(), contributors: z.array(PersonRef),
  createdBy: Id.nullable(), createdAt: Instant, updatedAt: Instant,
  score: z.number(), band: BandSchema, expectedProgress: z.number(), paceStatus: PaceSchema, expectation: ExpectationSchema.nullable(),
  final: z.boolean().describe('The score is final: the cycle is over or closed (closed: frozen)'), asOf: CalendarDate,
  keyResults: z.array(KeyResultSchema),
};
export const ObjectiveSchema = z.object(objectiveShape).meta({ id: 'OkrObjective' });

const Summary = { id: Id, title: z.string(), status: ObjectiveStatusSchema, owner: OwnerSchema, score: z.number(), band: BandSchema };
export const WarningSchema = z.object({ code: z.string(), path: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) }).meta({ id: 'OkrWarning' });
export const ObjectiveDetailSchema = z
  .object({
    ...objectiveShape,
    warnings: z.array(WarningSchema).describe('Guidance: warnings, never blocks'),
    approvals: z.array(z.object({ id: Id, action: z.enum(['proposed', 'approved', 'rejected']), actor: NullablePerson, note: z.string().nullable(), at: Instant })),
    approvers: z.array(PersonRef).describe('Managers above the owner who may approve (admins always may), nearest first'),
    alignment: z.object({
      parent: z.object({ ...Summary, keyResult: z.object({ id: Id, title: z.string() }).nullable() }).nullable(),
      children: z.array(z.object({ ...Summary, viaKeyResultId: Id.nullable() })),
    }),
    ownerProbablySandbagging: z.boolean(),
    can: z.object({ edit: z.boolean(), propose: z.boolean(), approve: z.boolean(), delete: z.boolean(), checkIn: z.boolean() }),
  })
  .meta({ id: 'OkrObjectiveDetail' });

export const CheckinSchema = z
  .object({
    id: Id, keyResultId: Id, date: CalendarDate, value: z.number().nullable(), checklistDone: z.array(z.boolean()).nullable(),
    confidence: z.number().int().nullable(), note: z.string().nullable(), blockers: z.string().nullable(),
    source: z.enum(['manual', 'metric', 'import', 'close']), author: NullablePerson, at: Instant,
  })
  .meta({ id: 'OkrCheckin' });

export const CheckinResultSchema = z
  .object({
    checkin: CheckinSchema,
    keyResult: KeyResultSchema,
    objective: z.object({ id: Id, score: z.number(), band: BandSchema }),
    celebrate: z.boolean().describe('The key result reached its target with this check-in'),
  })
  .meta({ id: 'OkrCheckinResult' });

export const CommentSchema = z
  .object({ id: Id, objectiveId: Id, keyResultId: Id.nullable(), kind: z.enum(['comment', 'kudos']), body: z.string(), author: NullablePerson, createdAt: Instant })
  .meta({ id: 'OkrComment' });

export { BandSchema, ExpectationSchema, OwnerSchema, PaceSchema, PersonRef, NullablePerson };

/** Today's date for the caller (the server's clock), or a given day. */
export const AsOfQuery = z.object({ asOf: CalendarDate.optional().describe('Read scores as of this day (revisions in effect by its end)') });

export const actorOf = (request: FastifyRequest) => ({ userId: request.auth?.userId ?? null, tokenId: request.auth?.tokenId ?? null });

import { z } from 'zod';
import { PERMISSIONS, ROLES } from '../core/roles.js';

/** Schemas shared by routes; they validate requests and responses and make the OpenAPI document. */
export const Id = z.uuid();
export const RoleSchema = z.enum(ROLES);
export const PermissionSchema = z.enum(PERMISSIONS);
export const LocaleSchema = z.enum(['en', 'de']);
export const Instant = z.string().describe('UTC ISO-8601 instant');
export const CalendarDate = z.iso.date().describe('YYYY-MM-DD');
export const Email = z.email().max(254).transform((e) => e.trim().toLowerCase());
export const Name = z.string().trim().min(1).max(200);
export const Password = z.string().min(10, 'at least 10 characters').max(200);
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR');

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

export const TenantSchema = z
  .object({
    id: Id,
    slug: z.string(),
    name: z.string(),
    currency: z.string(),
    locale: LocaleSchema,
    fiscalYearStartMonth: z.number().int(),
    createdAt: Instant,
  })
  .meta({ id: 'Tenant' });

export const UserSelfSchema = z
  .object({ id: Id, email: z.string(), name: z.string(), locale: LocaleSchema })
  .meta({ id: 'UserSelf' });

export const SessionSchema = z
  .object({
    user: UserSelfSchema,
    tenant: TenantSchema,
    role: RoleSchema,
    permissions: z.array(PermissionSchema),
    memberships: z.array(z.object({ tenantId: Id, tenantName: z.string(), role: RoleSchema })),
    csrfToken: z.string().describe('Send as the x-csrf-token header with every state-changing request that uses the session cookie'),
  })
  .meta({ id: 'Session' });

export const MemberSchema = z
  .object({
    id: Id,
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    disabled: z.boolean(),
    createdAt: Instant,
    lastSignInAt: Instant.nullable(),
  })
  .meta({ id: 'Member' });

export const TeamKindSchema = z.enum(['company', 'region', 'team']);
export const TeamSchema = z
  .object({
    id: Id,
    name: z.string(),
    kind: TeamKindSchema,
    parentId: Id.nullable(),
    managerUserId: Id.nullable(),
    managerName: z.string().nullable(),
    payeeCount: z.number().int(),
    checkinCadenceDays: z.number().int().nullable().describe('The team’s own check-in cadence in days; null: the nearest team above with one, else the workspace’s'),
  })
  .meta({ id: 'Team' });

export const PayeeSchema = z
  .object({
    id: Id,
    kind: z.enum(['employee', 'partner']),
    displayName: z.string(),
    email: z.string().nullable(),
    userId: Id.nullable(),
    userName: z.string().nullable().describe("The linked member's name"),
    teamId: Id.nullable(),
    teamName: z.string().nullable(),
    currency: z.string(),
    externalRef: z.string().nullable(),
    startDate: CalendarDate.nullable(),
    endDate: CalendarDate.nullable(),
  })
  .meta({ id: 'Payee' });

export const InvitationSchema = z
  .object({
    id: Id,
    email: z.string(),
    role: RoleSchema,
    invitedBy: z.object({ id: Id.nullable(), name: z.string().nullable() }),
    createdAt: Instant,
    expiresAt: Instant,
    acceptedAt: Instant.nullable(),
    revokedAt: Instant.nullable(),
    status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
  })
  .meta({ id: 'Invitation' });

export const ApiTokenSchema = z
  .object({
    id: Id,
    name: z.string(),
    role: RoleSchema,
    prefix: z.string(),
    createdAt: Instant,
    createdBy: z.object({ id: Id.nullable(), name: z.string().nullable() }),
    lastUsedAt: Instant.nullable(),
    revokedAt: Instant.nullable(),
  })
  .meta({ id: 'ApiToken' });

export const AuditEntrySchema = z
  .object({
    id: z.string(),
    at: Instant,
    actor: z.object({ userId: Id.nullable(), name: z.string().nullable(), tokenId: Id.nullable() }),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    before: z.unknown(),
    after: z.unknown(),
  })
  .meta({ id: 'AuditEntry' });

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int().describe('How many items match, across all pages') });

/** Search and paging for long lists (a large organisation has thousands of members and payees). */
export const PageQuery = z.object({
  q: z.string().trim().max(200).optional().describe('Case-insensitive search'),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Error responses every authenticated route can give. */
export const COMMON_ERRORS = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
  429: ErrorSchema,
} as const;
export const NoContent = z.null().describe('No content');

import type { Queryable } from '../db.js';
import type { Patch, TenantScope } from '../store.js';
import type { FiscalCalendar } from '../../core/period.js';
import { recordAudit } from './audit.js';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  currency: string;
  locale: 'en' | 'de';
  fiscalYearStartMonth: number;
  createdAt: string;
}

interface TenantRow {
  id: string; slug: string; name: string; currency: string; locale: 'en' | 'de'; fiscal_year_start_month: number; created_at: string;
}
const COLUMNS = 'id, slug, name, currency, locale, fiscal_year_start_month, created_at';
const toTenant = (r: TenantRow): Tenant => ({
  id: r.id, slug: r.slug, name: r.name, currency: r.currency, locale: r.locale,
  fiscalYearStartMonth: r.fiscal_year_start_month, createdAt: r.created_at,
});

/** Creating a workspace is a system operation (CLI, seed, sign-up). */
export async function createTenant(
  tx: Queryable,
  input: { id: string; slug: string; name: string; currency?: string; locale?: 'en' | 'de'; fiscalYearStartMonth?: number },
): Promise<Tenant> {
  const [row] = await tx.query<TenantRow>(
    `INSERT INTO tenants (id, slug, name, currency, locale, fiscal_year_start_month)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [input.id, input.slug, input.name, input.currency ?? 'EUR', input.locale ?? 'en', input.fiscalYearStartMonth ?? 1],
  );
  if (!row) throw new Error('tenant insert returned nothing');
  return toTenant(row);
}

export async function findTenantBySlug(tx: Queryable, slug: string): Promise<Tenant | null> {
  const [row] = await tx.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants WHERE slug = $1`, [slug]);
  return row ? toTenant(row) : null;
}

export async function countTenants(tx: Queryable): Promise<number> {
  const [row] = await tx.query<{ n: string }>('SELECT count(*) AS n FROM tenants');
  return Number(row?.n ?? 0);
}

export async function getTenant(scope: TenantScope): Promise<Tenant> {
  const [row] = await scope.tx.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants WHERE id = $1`, [scope.tenantId]);
  if (!row) throw new Error(`tenant ${scope.tenantId} vanished`);
  return toTenant(row);
}

export type TenantPatch = Patch<Pick<Tenant, 'name' | 'currency' | 'locale' | 'fiscalYearStartMonth'>>;

export async function updateTenant(scope: TenantScope, patch: TenantPatch): Promise<Tenant> {
  const before = await getTenant(scope);
  const [row] = await scope.tx.query<TenantRow>(
    `UPDATE tenants SET name = coalesce($2, name), currency = coalesce($3, currency), locale = coalesce($4, locale),
            fiscal_year_start_month = coalesce($5, fiscal_year_start_month)
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [scope.tenantId, patch.name ?? null, patch.currency ?? null, patch.locale ?? null, patch.fiscalYearStartMonth ?? null],
  );
  if (!row) throw new Error(`tenant ${scope.tenantId} vanished`);
  const after = toTenant(row);
  await recordAudit(scope, { action: 'tenant.updated', entityType: 'tenant', entityId: scope.tenantId, before, after });
  return after;
}

/** The workspace's fiscal calendar (the month its fiscal year starts in): one reader for OKR cycles, quotas, forecasts and payout runs. */
export async function fiscalCalendarOf(scope: TenantScope): Promise<FiscalCalendar> {
  const [row] = await scope.tx.query<{ m: number }>('SELECT fiscal_year_start_month AS m FROM tenants WHERE id = $1', [scope.tenantId]);
  return { fiscalYearStartMonth: row?.m ?? 1 };
}

import { z } from 'zod';
import { getTenant, updateTenant } from '../../store/repos/tenants.js';
import { inCallerTenant, type App, type RouteDeps } from '../context.js';
import { COMMON_ERRORS, Currency, LocaleSchema, Name, TenantSchema } from '../schemas.js';

export function registerTenantRoutes(app: App, { store }: RouteDeps): void {
  const tags = ['workspace'];
  app.get(
    '/api/tenant',
    { config: { access: 'tenant:read' }, schema: { tags, summary: 'The current workspace', response: { 200: TenantSchema, ...COMMON_ERRORS } } },
    (request) => inCallerTenant(store, request, getTenant),
  );
  app.patch(
    '/api/tenant',
    {
      config: { access: 'tenant:manage' },
      schema: {
        tags,
        summary: 'Change workspace settings',
        body: z.object({
          name: Name.optional(),
          currency: Currency.optional(),
          locale: LocaleSchema.optional(),
          fiscalYearStartMonth: z.number().int().min(1).max(12).optional(),
        }),
        response: { 200: TenantSchema, ...COMMON_ERRORS },
      },
    },
    (request) => inCallerTenant(store, request, (scope) => updateTenant(scope, request.body)),
  );
}

import { z } from 'zod';
import { listAudit } from '../../store/repos/audit.js';
import { inCallerTenant, type App, type RouteDeps } from '../context.js';
import { AuditEntrySchema, COMMON_ERRORS } from '../schemas.js';

export function registerAuditRoutes(app: App, { store }: RouteDeps): void {
  app.get(
    '/api/audit',
    {
      config: { access: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'The append-only audit log, newest first',
        querystring: z.object({
          entityType: z.string().max(100).optional(),
          entityId: z.string().max(100).optional(),
          action: z.string().max(100).optional(),
          before: z.string().regex(/^\d{1,18}$/).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: { 200: z.object({ items: z.array(AuditEntrySchema), nextBefore: z.string().nullable() }), ...COMMON_ERRORS },
      },
    },
    (request) => inCallerTenant(store, request, (scope) => listAudit(scope, request.query)),
  );
}

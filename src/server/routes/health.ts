import { z } from 'zod';
import type { App, RouteDeps } from '../context.js';

export function registerHealthRoutes(app: App, { store, config }: RouteDeps): void {
  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness and storage',
        response: {
          200: z.object({
            status: z.literal('ok'),
            storage: z.enum(['embedded', 'postgres']),
            schemaVersion: z.number().int(),
            rowLevelSecurity: z.boolean().describe('Whether PostgreSQL row-level security binds requests (the second tenant lock)'),
            version: z.string(),
          }),
        },
      },
    },
    async () => ({ status: 'ok' as const, storage: store.kind, schemaVersion: await store.schemaVersion(), rowLevelSecurity: store.rowLevelSecurity, version: config.version }),
  );
}

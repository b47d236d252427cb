import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { App, RouteDeps } from '../context.js';
import { formatSse } from '../live/hub.js';
import { AppError } from '../errors.js';
import { COMMON_ERRORS, ErrorSchema } from '../schemas.js';

const HEARTBEAT_MS = 20_000;

/** GET /api/live: a Server-Sent Events stream of the caller's workspace's changes. */
export function registerLiveRoutes(app: App, { hub }: RouteDeps): void {
  app.addHook('preClose', async () => hub.closeAll());
  app.get(
    '/api/live',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['live'],
        summary: 'Server-Sent Events: record changes and updated metric values, as they happen',
        description:
          'A text/event-stream. The first event, `ready`, carries the connection id (`clientId`) used to watch metrics. ' +
          'Events carry JSON in `data`. A comment line is sent every 20 s to keep proxies from closing the stream.',
        response: { 200: z.string().describe('text/event-stream'), 406: ErrorSchema, ...COMMON_ERRORS },
      },
    },
    (request, reply) => {
      const auth = request.auth;
      if (!auth) throw new AppError('unauthenticated', 'Sign in first');
      // Only stream to clients that asked for a stream (EventSource always does).
      if (!(request.headers.accept ?? '').includes('text/event-stream')) {
        throw new AppError('not_acceptable', 'This endpoint streams text/event-stream; send Accept: text/event-stream');
      }
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      });
      let sequence = 0;
      const id = randomUUID();
      const remove = hub.add({
        id,
        tenantId: auth.tenantId,
        role: auth.role,
        userId: auth.userId,
        tokenId: auth.tokenId,
        send: (event) => {
          sequence += 1;
          raw.write(formatSse(event, sequence));
        },
        close: () => raw.end(),
      });
      raw.write(`retry: 3000\n${formatSse({ type: 'ready', data: { clientId: id } }, 0)}`);
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      request.raw.on('close', () => {
        clearInterval(heartbeat);
        remove();
      });
    },
  );
}

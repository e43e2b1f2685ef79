import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { errorBodySchema, withExample } from '../schemas.js';

/**
 * Server-Sent Events: the caller's integration and sync events, live, from whichever process
 * produced them. Each user's stream carries that user's events only (the bus is keyed by user).
 */
const KEEPALIVE_MS = 15_000;
/** setTimeout's ceiling (about 24.8 days); a longer delay would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function eventRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/events', {
      config: { tokenInQuery: true },
      schema: {
        operationId: 'streamEvents',
        summary: 'Receive your integration and sync events live (Server-Sent Events)',
        description: 'A `text/event-stream` that stays open: each message\'s `event:` is the event type (integration.connected, '
          + 'integration.updated, integration.needs_reauth, integration.deleted, sync.started, sync.progress, sync.finished, '
          + 'sync.error) and its `data:` the event as JSON with `at`. A comment line keeps it alive every 15 s; it ends when the token expires.',
        tags: ['sync'],
        response: {
          200: {
            description: 'The event stream.',
            content: {
              'text/event-stream': {
                schema: withExample(z.string(), 'event: sync.finished\ndata: {"type":"sync.finished","integrationId":"3f2b8c1a-6d4e-4b7a-9c2e-1a5f0d8e7b64",'
                  + '"logId":"8d0e5a3c-1b7f-4e2a-b6c9-5f4d3e2a1c0b","status":"success","counts":{"contacts":30,"companies":7,"deals":5},'
                  + '"durationMs":3120,"at":"2026-03-02T10:05:12.000Z"}\n\n'),
              },
            },
          },
          503: errorBodySchema,
        },
      },
    }, async (request, reply) => {
      if (!ctx.events) return reply.status(503).send({ error: { code: 'not_ready', message: 'Live events are not available on this process.' } });
      // Headers the hooks set (security headers, CORS for a host app's origin) go out with the stream.
      const hookHeaders = Object.fromEntries(Object.entries(reply.getHeaders()).filter((entry): entry is [string, string | number | string[]] => entry[1] !== undefined));
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        ...hookHeaders,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 3000\n: connected\n\n');
      const unsubscribe = ctx.events.subscribe(request.caller.userId, (event, at) => {
        raw.write(`event: ${event.type}\ndata: ${JSON.stringify({ ...event, at })}\n\n`);
      });
      const keepalive = setInterval(() => raw.write(': keep-alive\n\n'), KEEPALIVE_MS);
      // A stream must not outlive the token that opened it: end it when the JWT expires, and the
      // client reconnects with a fresh one (or is refused, if the user signed out).
      const expiry = request.caller.expiresAt === undefined ? undefined
        : setTimeout(() => raw.end(), Math.min(Math.max(0, request.caller.expiresAt - Date.now()), MAX_TIMER_MS));
      request.raw.on('close', () => {
        clearInterval(keepalive);
        clearTimeout(expiry);
        unsubscribe();
      });
    });
  };
}

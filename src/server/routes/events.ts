import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';

/**
 * Server-Sent Events: the caller's integration and sync events, live, from whichever process
 * produced them. Each user's stream carries that user's events only (the bus is keyed by user).
 */
const KEEPALIVE_MS = 15_000;

export function eventRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/events', { schema: { tags: ['sync'], hide: false } }, async (request, reply) => {
      if (!ctx.events) return reply.status(503).send({ error: { code: 'not_ready', message: 'Live events are not available on this process.' } });
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
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
      request.raw.on('close', () => {
        clearInterval(keepalive);
        unsubscribe();
      });
    });
  };
}

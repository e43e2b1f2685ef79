import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pendingMigrations } from '../../db/migrate.js';
import type { AppContext } from '../../app-context.js';
import { withExample } from '../schemas.js';

/** Liveness and readiness in one: the database answers and the schema is current. */
export function healthRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/health', {
      config: { public: true },
      schema: {
        operationId: 'getHealth', summary: 'Check that the server and its database are ready', tags: ['health'],
        response: {
          200: withExample(z.object({ status: z.literal('ok'), database: z.enum(['postgres', 'pglite']), migrations: z.literal('current') }),
            { status: 'ok', database: 'postgres', migrations: 'current' }, 'Ready: the database answers and its schema is current.'),
          503: withExample(z.object({ status: z.literal('unavailable'), database: z.string(), problem: z.string() }),
            { status: 'unavailable', database: 'postgres', problem: 'The database does not answer: connect ECONNREFUSED 127.0.0.1:5432' }, 'Not ready, and why.'),
        },
      },
    }, async (_request, reply) => {
      try {
        await ctx.db.pool.query('SELECT 1');
        const pending = await pendingMigrations(ctx.db.pool);
        if (pending.length > 0) {
          return reply.status(503).send({ status: 'unavailable', database: ctx.db.kind, problem: `Migrations not applied: ${pending.join(', ')}. Run "pulse-crm migrate".` });
        }
        return { status: 'ok' as const, database: ctx.db.kind, migrations: 'current' as const };
      } catch (error) {
        return reply.status(503).send({ status: 'unavailable', database: ctx.db.kind, problem: `The database does not answer: ${(error as Error).message}` });
      }
    });
  };
}

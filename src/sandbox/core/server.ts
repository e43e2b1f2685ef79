/**
 * One emulator on its own Fastify instance (its own origin, as each CRM has): the OAuth form parser,
 * errors in the CRM's shape (admin routes answer ours), the request pipeline, the generic admin API
 * and then the emulator's own routes.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAccountAdmin } from './admin-accounts-routes.js';
import { registerCoreAdmin } from './admin-routes.js';
import type { EmulatorContext } from './context.js';
import type { Emulator } from './emulator.js';
import { registerPipeline } from './pipeline.js';
import { sendRefusal } from './refuse.js';
import type { RequestJournal } from './request-journal.js';

/** With a `journal`, every accepted write is recorded before it is answered (see request-journal.ts). */
export function createEmulatorServer<Ctx extends EmulatorContext>(provider: string, emulator: Emulator<Ctx>, ctx: Ctx, journal?: RequestJournal): FastifyInstance {
  // Some CRMs put tokens in paths (token-info endpoints), and tokens can be ~165 characters long.
  const app = Fastify({ logger: false, forceCloseConnections: true, genReqId: () => randomUUID(), routerOptions: { maxParamLength: 1000 }, bodyLimit: 20 * 1024 * 1024 });
  // OAuth token endpoints and consent forms post form-encoded bodies.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (req.url.startsWith('/_sandbox')) return reply.code(status).send({ error: { code: 'error', message: err.message } });
    const refusal = status < 500 ? emulator.refusals.invalidRequest(req, err.message) : emulator.refusals.serverError(req, 500);
    return sendRefusal(reply, { ...refusal, status }, status);
  });
  app.setNotFoundHandler((req, reply) => sendRefusal(reply, emulator.refusals.notFound(req), 404));

  registerPipeline(app, ctx, emulator);
  journal?.attach(app);
  registerCoreAdmin(app, provider, emulator, ctx);
  registerAccountAdmin(app, emulator, ctx);
  emulator.registerRoutes(app, ctx);
  app.addHook('onClose', async () => {
    ctx.dispatcher.close();
    journal?.close();
  });
  return app;
}

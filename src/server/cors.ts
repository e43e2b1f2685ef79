import fastifyCors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

/**
 * Cross-origin access for host apps listed in PULSE_CORS_ORIGINS, and only to the API (`/api/…`,
 * the event stream included). Everything else answers exactly as without CORS: no headers, and a
 * preflight from an origin not listed, or for a page, falls through to the usual 404.
 *
 * The API authenticates with a bearer token the host app sends, never with cookies, so credentials
 * stay off: a listed origin can read only what its own user's token can.
 */
export async function registerCors(app: FastifyInstance, config: Pick<Config, 'corsOrigins'>): Promise<void> {
  if (config.corsOrigins.length === 0) return;
  const allowed = new Set(config.corsOrigins);
  await app.register(fastifyCors, {
    delegator: (req, callback) => {
      const origin = req.headers.origin;
      const permitted = origin !== undefined && allowed.has(origin) && req.url.startsWith('/api/');
      callback(null, {
        origin: permitted ? origin : false,
        methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowedHeaders: ['authorization', 'content-type', 'accept', 'last-event-id'],
        // Retry-After says when a 503/429 may be retried; the client reads it.
        exposedHeaders: ['retry-after'],
        maxAge: 600,
      });
    },
  });
}

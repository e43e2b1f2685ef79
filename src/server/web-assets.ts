import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The built web UI. Vite names every asset after its content hash, so those files never change
 * under their name and are cached for a year; the HTML that names them is revalidated each time,
 * so a deploy shows at once. Compression comes from the app-wide plugin.
 */
export const webDistDir = fileURLToPath(new URL('../../dist/web/', import.meta.url));

const YEAR_SECONDS = 365 * 24 * 60 * 60;

function cacheHeaders(reply: FastifyReply, path: string): void {
  const hashed = /[/\\]assets[/\\][^/\\]+-[A-Za-z0-9_-]{8,}\.\w+$/.test(path);
  reply.header('cache-control', hashed ? `public, max-age=${YEAR_SECONDS}, immutable` : 'no-cache');
}

export async function registerWebAssets(app: FastifyInstance): Promise<void> {
  if (!existsSync(webDistDir)) return;
  await app.register(fastifyStatic, { root: webDistDir, wildcard: false, cacheControl: false, setHeaders: cacheHeaders });
  // Client-side routes of the demo host app all load the same page; a missing asset is a 404, not a page.
  app.get('/*', { config: { public: true }, schema: { hide: true } }, (request, reply) => {
    if (request.url.startsWith('/api/') || request.url.startsWith('/assets/')) return reply.callNotFound();
    return reply.sendFile('index.html');
  });
}

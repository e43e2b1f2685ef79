/**
 * An example host app on its own origin that embeds Pulse's components, the way a real one would:
 * its own sign-in (a session cookie on this origin), and a short-lived JWT for the signed-in user,
 * signed with the secret Pulse verifies (PULSE_AUTH_JWT_SECRET). The page calls Pulse across origins,
 * so Pulse must list this origin in PULSE_CORS_ORIGINS.
 *
 *   PULSE_URL        where Pulse runs (default http://127.0.0.1:3000)
 *   HOST_APP_PORT    where this app listens (default 4000)
 *   PULSE_AUTH_JWT_SECRET  the same secret Pulse has
 */
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { SignJWT } from 'jose';

const SESSION_COOKIE = 'host_session';
const TOKEN_TTL_SECONDS = 10 * 60;
const webDir = fileURLToPath(new URL('./dist/', import.meta.url));

export interface HostAppOptions {
  pulseUrl: string;
  port: number;
  host?: string;
  jwtSecret: string;
  /** Build the page first (default); false serves the last build. */
  build?: boolean;
}

export async function startHostApp({ pulseUrl, port, host = '127.0.0.1', jwtSecret, build = true }: HostAppOptions) {
  if (build) await buildPage();
  const secret = new TextEncoder().encode(jwtSecret);
  const app = Fastify({ logger: false });
  // The session cookie is signed with the app's own key; the JWT for Pulse is signed with Pulse's.
  await app.register(fastifyCookie, { secret: `${jwtSecret}:host-app-session` });
  await app.register(fastifyStatic, { root: webDir });

  const signedInUser = (cookie: string | undefined) => {
    if (!cookie) return null;
    const unsigned = app.unsignCookie(cookie);
    return unsigned.valid ? unsigned.value : null;
  };

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.post<{ Body: string }>('/sign-in', async (request, reply) => {
    const name = new URLSearchParams(String(request.body ?? '')).get('name')?.trim().toLowerCase() ?? '';
    if (!/^[a-z][a-z0-9._-]{0,39}$/.test(name)) return reply.status(400).type('text/plain').send('Choose a user name of letters and digits.');
    reply.setCookie(SESSION_COOKIE, name, { path: '/', httpOnly: true, sameSite: 'lax', signed: true });
    return reply.redirect('/', 303);
  });

  app.post('/sign-out', async (_request, reply) => reply.clearCookie(SESSION_COOKIE, { path: '/' }).redirect('/', 303));

  // What the page asks for before it mounts Pulse: who is signed in, a token for Pulse, and where Pulse is.
  app.get('/session', async (request, reply) => {
    const user = signedInUser(request.cookies[SESSION_COOKIE]);
    if (!user) return reply.status(401).send({ signedIn: false });
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(`host-app:${user}`)
      .setIssuedAt().setExpirationTime(`${TOKEN_TTL_SECONDS}s`).sign(secret);
    return reply.header('cache-control', 'no-store').send({ signedIn: true, user, token, pulseUrl });
  });

  // Client-side routes all load the one page.
  app.setNotFoundHandler((request, reply) => (request.method === 'GET' ? reply.sendFile('index.html') : reply.status(404).send()));

  const address = await app.listen({ port, host });
  return { url: address.replace('0.0.0.0', '127.0.0.1'), close: () => app.close() };
}

/** Builds the page (Vite, a few seconds), importing Pulse as a host app does: `pulse-crm-integrations/react`. */
async function buildPage(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)), logLevel: 'warn' });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const jwtSecret = process.env.PULSE_AUTH_JWT_SECRET;
  if (!jwtSecret) {
    console.error('Set PULSE_AUTH_JWT_SECRET to the secret Pulse verifies (see examples/host-app/README.md).');
    process.exit(1);
  }
  const running = await startHostApp({
    pulseUrl: (process.env.PULSE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, ''),
    port: Number(process.env.HOST_APP_PORT ?? 4000),
    jwtSecret,
  });
  console.log(`Example host app on ${running.url} (Pulse at ${process.env.PULSE_URL ?? 'http://127.0.0.1:3000'})`);
}

import fastifyCookie, { type CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { beginOAuth } from '../../crm/oauth-begin.js';
import { browserCookieName } from '../../crm/oauth-binding.js';
import { completeOAuth, startOAuth } from '../../crm/oauth-flow.js';
import { allowedAppOrigins, safeReturnPath } from '../../crm/oauth-origins.js';
import { platformIds } from '../../crm/platforms.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../app-context.js';
import { sendBeginPage, sendBeginRedirectPage, sendBeginRefused } from '../oauth-begin-page.js';
import { sendOAuthResult } from '../oauth-result-page.js';
import { errorBodySchema, oauthStartedSchema } from '../schemas.js';

/**
 * Connect: start (authenticated API, returns a ticket), begin (Pulse's own origin binds the browser
 * to the flow, then goes to the CRM), and the CRM's redirect back (a public page). README § "Connecting
 * from a host app" describes the browser's part.
 */
export function oauthRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const publicUrl = ctx.config.publicUrl;
  const publicOrigin = new URL(publicUrl).origin;
  const origins = allowedAppOrigins(ctx.config);
  // The flow's cookie: scoped to the callback path, gone when the state expires, Secure whenever
  // PUBLIC_URL is https.
  const cookieOptions = (maxAgeSeconds: number): CookieSerializeOptions => ({
    path: '/crm/oauth/callback', maxAge: Math.max(0, Math.floor(maxAgeSeconds)), httpOnly: true, sameSite: 'lax', secure: publicUrl.startsWith('https://'),
  });

  return async (app) => {
    await app.register(fastifyCookie);
    // The full-page fallback posts an HTML form here (encapsulated: only these routes read forms).
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    app.post('/api/integrations/oauth/start', {
      schema: {
        operationId: 'startOAuth', summary: 'Start connecting a CRM: get a ticket for the sign-in window', tags: ['connect'],
        body: z.strictObject({
          platform: z.enum(platformIds, { error: `platform must be one of ${platformIds.join(', ')}` }),
          scopes: z.array(z.string().max(200)).max(50).optional(),
          integrationId: z.uuid().optional(),
          returnTo: z.string().max(500)
            .refine((value) => safeReturnPath(value, publicUrl) !== null, 'returnTo must be a path on this site, like /settings')
            .optional(),
          appOrigin: z.string().max(300)
            .refine((value) => origins.has(value), `appOrigin must be one of ${[...origins].join(', ')} (more with PULSE_APP_ORIGINS)`)
            .optional()
            .describe('Origin of the page that runs the flow; default: the request\'s Origin header, else PUBLIC_URL'),
          loginHost: z.strictObject({
            option: z.string().max(50).describe('One of the platform\'s loginHosts option ids, or its custom id'),
            url: z.string().max(300).optional().describe('With the custom option: the sign-in address (the platform\'s loginHosts.custom.placeholder shows its form)'),
          }).optional()
            .describe('Where the person signs in, for platforms that list loginHosts; default: a reconnected integration\'s host, else the first option'),
        }),
        response: {
          200: oauthStartedSchema,
          400: errorBodySchema, 404: errorBodySchema, 422: errorBodySchema, 503: errorBodySchema,
        },
      },
    }, async (request) => {
      const headerOrigin = request.headers.origin && request.headers.origin !== 'null' ? request.headers.origin : undefined;
      const appOrigin = request.body.appOrigin ?? headerOrigin ?? publicOrigin;
      if (!origins.has(appOrigin)) {
        throw new AppError('validation_failed', `This page's origin (${appOrigin}) may not run the connect flow. Add it to PULSE_APP_ORIGINS.`, [{ where: 'headers.origin', problem: 'not an allowed app origin' }]);
      }
      const returnTo = request.body.returnTo === undefined ? undefined : safeReturnPath(request.body.returnTo, publicUrl)!;
      return startOAuth(ctx, request.caller.userId, { ...request.body, returnTo, appOrigin });
    });

    app.get('/crm/oauth/begin', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => sendBeginPage(reply));

    app.post('/crm/oauth/begin', {
      config: { public: true },
      schema: { hide: true, body: z.object({ ticket: z.string().min(1).max(200), origin: z.string().max(300).optional() }) },
    }, async (request, reply) => {
      // JSON comes from the begin page's own script (same origin: a cross-site page cannot send JSON
      // here without a CORS preflight we never answer); it reports the opener's origin. A form comes
      // from the app page itself (full-page fallback); the browser's Origin header says which page.
      const fromBeginPage = request.headers['content-type']?.startsWith('application/json') ?? false;
      if (fromBeginPage && request.headers.origin !== publicOrigin) {
        return reply.status(403).send({ error: { code: 'forbidden', message: 'Begin the connection from Pulse\'s sign-in window.' } });
      }
      const origin = fromBeginPage ? request.body.origin : request.headers.origin;
      const outcome = await beginOAuth(ctx, request.body.ticket, origin, fromBeginPage ? 'popup' : 'page');
      if (!outcome.ok) {
        request.log.info({ origin }, 'oauth begin refused');
        return fromBeginPage
          ? reply.status(403).send({ error: { code: 'forbidden', message: outcome.message } })
          : sendBeginRefused(reply, outcome.message);
      }
      reply.setCookie(outcome.cookie.name, outcome.cookie.value, cookieOptions(outcome.cookie.maxAgeSeconds));
      return fromBeginPage
        ? reply.header('cache-control', 'no-store').send({ authorizeUrl: outcome.authorizeUrl })
        : sendBeginRedirectPage(reply, outcome.authorizeUrl);
    });

    app.get('/crm/oauth/callback', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
      const url = new URL(request.url, publicUrl);
      const state = url.searchParams.get('state');
      const cookieName = state ? browserCookieName(state) : undefined;
      const outcome = await completeOAuth(ctx, url, cookieName ? request.cookies[cookieName] : undefined);
      if (!outcome.ok) request.log.info({ reason: outcome.reason }, 'oauth callback refused');
      // The cookie has done its job, whatever the outcome.
      if (cookieName) reply.clearCookie(cookieName, cookieOptions(0));
      // The first sync starts right away, so the wizard's last step can show it running.
      if (outcome.ok && ctx.sync) {
        await ctx.sync.request({ userId: outcome.integration.userId, integrationId: outcome.integration.id })
          .catch((error) => request.log.warn({ err: error }, 'first sync not started'));
      }
      return sendOAuthResult(reply, outcome);
    });
  };
}

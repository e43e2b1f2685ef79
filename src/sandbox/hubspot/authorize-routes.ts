/**
 * The authorization step of HubSpot OAuth: GET renders the consent page after checking client_id,
 * the exact redirect_uri and the scopes against the app's configuration (HubSpot shows an error page,
 * not a redirect, when these are wrong); POST records the decision and redirects with `code` and
 * `state`, or `error=access_denied`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxApp } from '../core/store.js';
import { consentPage, errorPage, type ConsentParams } from './consent-page.js';
import type { HubspotContext } from './context.js';

const CODE_TTL_MS = 10 * 60_000;
const words = (s: string | undefined) => (s ?? '').split(/[\s+]+/).filter(Boolean);

/** The app, or the reason the request is refused. */
function check(ctx: HubspotContext, p: Partial<ConsentParams>): SandboxApp | string {
  const app = p.client_id ? ctx.store.apps.get(p.client_id) : undefined;
  if (!app) return `Invalid client_id: ${p.client_id ?? '(missing)'}`;
  if (!p.redirect_uri || !app.redirectUris.includes(p.redirect_uri)) return `The redirect_uri ${p.redirect_uri ?? '(missing)'} does not match any redirect URL registered for this app.`;
  const scope = words(p.scope);
  const optional = words(p.optional_scope);
  if (scope.length === 0) return 'The scope parameter is required.';
  const required = app.scopes ?? [];
  const allowedOptional = app.optionalScopes ?? [];
  const missing = required.filter((s) => !scope.includes(s));
  const extra = scope.filter((s) => !required.includes(s) && !allowedOptional.includes(s));
  const badOptional = optional.filter((s) => !allowedOptional.includes(s) && !required.includes(s));
  if (missing.length || extra.length || badOptional.length) {
    return `Authorization failed because there is a mismatch between the scopes in the install URL and the app's configured scopes (missing: ${missing.join(' ') || '-'}; not configured: ${[...extra, ...badOptional].join(' ') || '-'}).`;
  }
  return app;
}

function params(source: Record<string, unknown>): ConsentParams {
  const get = (k: string) => (typeof source[k] === 'string' ? (source[k] as string) : undefined);
  return {
    client_id: get('client_id') ?? '',
    redirect_uri: get('redirect_uri') ?? '',
    scope: get('scope') ?? '',
    optional_scope: get('optional_scope'),
    state: get('state'),
    code_challenge: get('code_challenge'),
    code_challenge_method: get('code_challenge_method'),
  };
}

export function registerAuthorizeRoutes(app: FastifyInstance, ctx: HubspotContext): void {
  const show = async (req: FastifyRequest<{ Querystring: Record<string, unknown>; Params: { portalId?: string } }>, reply: FastifyReply) => {
    const p = params(req.query);
    const appOrError = check(ctx, p);
    if (typeof appOrError === 'string') return reply.code(400).type('text/html').send(errorPage('Something went wrong', appOrError));
    const pinned = req.params.portalId ? Number(req.params.portalId) : undefined;
    if (pinned !== undefined && !ctx.store.accounts.has(pinned)) return reply.code(400).type('text/html').send(errorPage('Something went wrong', `Unknown account ${pinned}`));
    return reply.type('text/html').send(consentPage(appOrError, [...ctx.store.accounts.values()], p, pinned));
  };
  app.get('/oauth/authorize', { config: { sandbox: { kind: 'authorize' } } }, show);
  app.get('/oauth/:portalId/authorize', { config: { sandbox: { kind: 'authorize' } } }, show);

  app.post('/oauth/authorize', { config: { sandbox: { kind: 'authorize' } } }, async (req: FastifyRequest<{ Body: Record<string, unknown> }>, reply) => {
    const body = req.body ?? {};
    const p = params(body);
    const appOrError = check(ctx, p);
    if (typeof appOrError === 'string') return reply.code(400).type('text/html').send(errorPage('Something went wrong', appOrError));
    const target = new URL(p.redirect_uri);
    if (body.decision !== 'allow') {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The user denied access to the app.');
    } else {
      const account = ctx.store.account(Number(body.account_id) || undefined);
      if (!account) return reply.code(400).type('text/html').send(errorPage('Something went wrong', `Unknown account ${String(body.account_id)}`));
      const scopes = [...new Set([...words(p.scope), ...words(p.optional_scope)])];
      const challenge = p.code_challenge ? { value: p.code_challenge, method: p.code_challenge_method ?? 'plain' } : undefined;
      const grant = { clientId: appOrError.clientId, accountId: account.id, userId: account.users[0]!.id, scopes };
      target.searchParams.set('code', ctx.store.tokens.issueCode(grant, p.redirect_uri, CODE_TTL_MS, challenge).code);
    }
    if (p.state !== undefined) target.searchParams.set('state', p.state);
    return reply.redirect(target.toString(), 302);
  });
}

/**
 * Pipedrive's OAuth server on the emulator's origin (the SDK's `host` replaces both
 * oauth.pipedrive.com and api.pipedrive.com): the consent page, the token endpoint (HTTP Basic
 * client authentication, form bodies; codes live 5 minutes; every refresh returns a new refresh
 * token and the old one stops working), revoke, and `GET /api/v1/users/me`.
 * https://pipedrive.readme.io/docs/marketplace-oauth-authorization
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessToken } from '../core/tokens.js';
import type { SandboxApp } from '../core/store.js';
import { consentPage, errorPage } from './consent-page.js';
import type { PipedriveContext } from './context.js';
import { oauthError } from './errors.js';

const CODE_TTL_MS = 5 * 60_000;
type Form = Record<string, string | undefined>;

/** The origin clients reach this emulator on: the token response's `api_domain` (one origin serves all). */
export function rememberOrigin(ctx: PipedriveContext, req: FastifyRequest): void {
  if (req.headers.host) ctx.origin = `${req.protocol}://${req.headers.host}`;
}

export function tokenResponse(ctx: PipedriveContext, access: AccessToken, refreshToken: string) {
  return {
    access_token: access.token,
    token_type: 'Bearer',
    refresh_token: refreshToken,
    scope: access.scopes.join(','),
    // Pipedrive reports one second under the lifetime (3599 for its hour).
    expires_in: Math.max(0, Math.round(((access.expiresAt ?? 0) - ctx.clock.now()) / 1000) - 1),
    api_domain: ctx.origin,
  };
}

function basicClient(ctx: PipedriveContext, req: FastifyRequest): SandboxApp | 'missing' | 'invalid' {
  const header = req.headers.authorization;
  const match = header ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (!match) return 'missing';
  const decoded = Buffer.from(match[1]!, 'base64').toString();
  const colon = decoded.indexOf(':');
  const app = ctx.store.apps.get(decodeURIComponent(decoded.slice(0, colon)));
  return app && colon > 0 && app.clientSecret === decodeURIComponent(decoded.slice(colon + 1)) ? app : 'invalid';
}

function checkApp(ctx: PipedriveContext, form: Form): SandboxApp | string {
  const app = form.client_id ? ctx.store.apps.get(form.client_id) : undefined;
  if (!app) return `Invalid client_id: ${form.client_id ?? '(missing)'}`;
  if (!form.redirect_uri || !app.redirectUris.includes(form.redirect_uri)) return `The redirect_uri ${form.redirect_uri ?? '(missing)'} does not match the callback URL of this app.`;
  return app;
}

export function registerOAuthRoutes(app: FastifyInstance, ctx: PipedriveContext): void {
  const tokens = ctx.store.tokens;
  const params = (source: Form) => ({ client_id: source.client_id, redirect_uri: source.redirect_uri, state: source.state, scope: source.scope });

  app.get('/oauth/authorize', { config: { sandbox: { kind: 'authorize' } } }, async (req: FastifyRequest<{ Querystring: Form }>, reply) => {
    const appOrError = checkApp(ctx, req.query);
    if (typeof appOrError === 'string') return reply.code(400).type('text/html').send(errorPage('Something went wrong', appOrError));
    return reply.type('text/html').send(consentPage(appOrError, [...ctx.store.accounts.values()], params(req.query)));
  });

  app.post('/oauth/authorize', { config: { sandbox: { kind: 'authorize' } } }, async (req: FastifyRequest<{ Body: Form }>, reply) => {
    const form = (req.body ?? {}) as Form;
    const appOrError = checkApp(ctx, form);
    if (typeof appOrError === 'string') return reply.code(400).type('text/html').send(errorPage('Something went wrong', appOrError));
    const target = new URL(form.redirect_uri!);
    if (form.decision !== 'allow') target.searchParams.set('error', 'user_denied');
    else {
      const account = ctx.store.account(Number(form.account_id) || undefined);
      if (!account) return reply.code(400).type('text/html').send(errorPage('Something went wrong', `Unknown company ${String(form.account_id)}`));
      // The grant is the app's scopes, as set in the Developer Hub; the URL's `scope` is not consulted.
      const grant = { clientId: appOrError.clientId, accountId: account.id, userId: account.users[0]!.id, scopes: [...(appOrError.scopes ?? [])] };
      target.searchParams.set('code', tokens.issueCode(grant, form.redirect_uri!, CODE_TTL_MS).code);
    }
    if (form.state !== undefined) target.searchParams.set('state', form.state);
    return reply.redirect(target.toString(), 302);
  });

  app.post('/oauth/token', { config: { sandbox: { kind: 'token' } } }, async (req: FastifyRequest<{ Body: Form }>, reply: FastifyReply) => {
    const form = (req.body ?? {}) as Form;
    const client = basicClient(ctx, req);
    if (client === 'missing') return oauthError(reply, 401, 'invalid_client', 'Invalid client: cannot retrieve client credentials');
    if (client === 'invalid') return oauthError(reply, 401, 'invalid_client', 'Invalid client: client is invalid');
    if (!form.grant_type) return oauthError(reply, 400, 'invalid_request', 'Missing parameter: grant_type');
    const ttl = ctx.options.accessTokenTtlSeconds;
    if (form.grant_type === 'refresh_token') {
      if (!form.refresh_token) return oauthError(reply, 400, 'invalid_request', 'Missing parameter: refresh_token');
      const old = tokens.refresh.get(form.refresh_token);
      if (!old || old.revoked || old.clientId !== client.clientId) return oauthError(reply, 400, 'invalid_grant', 'Invalid grant: refresh_token is invalid');
      // A new refresh token on every refresh; the one exchanged stops working now.
      old.revoked = true;
      const { access, refresh } = tokens.issue({ clientId: old.clientId, accountId: old.accountId, userId: old.userId, scopes: old.scopes }, ttl);
      return tokenResponse(ctx, access, refresh.token);
    }
    if (form.grant_type !== 'authorization_code') return oauthError(reply, 400, 'unsupported_grant_type', 'Unsupported grant type: grant_type is invalid');
    if (!form.code) return oauthError(reply, 400, 'invalid_request', 'Missing parameter: code');
    const code = tokens.codes.get(form.code);
    if (!code || code.used || code.clientId !== client.clientId) return oauthError(reply, 400, 'invalid_grant', 'Invalid grant: authorization_code is invalid');
    if (code.expiresAt <= ctx.clock.now()) return oauthError(reply, 400, 'invalid_grant', 'Invalid grant: authorization_code has expired');
    if (form.redirect_uri !== code.redirectUri) return oauthError(reply, 400, 'invalid_request', 'Invalid request: redirect_uri does not match');
    code.used = true;
    const { access, refresh } = tokens.issue(code, ttl);
    return tokenResponse(ctx, access, refresh.token);
  });

  app.post('/oauth/revoke', { config: { sandbox: { kind: 'token' } } }, async (req: FastifyRequest<{ Body: Form }>, reply) => {
    const form = (req.body ?? {}) as Form;
    const client = basicClient(ctx, req);
    if (typeof client === 'string') return oauthError(reply, 401, 'invalid_client', 'Invalid client: client is invalid');
    if (!form.token) return oauthError(reply, 400, 'invalid_request', 'Missing parameter: token');
    if (form.token_type_hint !== 'access_token' && tokens.revokeRefresh(form.token)) return reply.code(200).send({ success: true });
    const access = tokens.access.get(form.token);
    if (access) access.revoked = true;
    return reply.code(200).send({ success: true });
  });

  const me = async (req: FastifyRequest) => {
    const token = req.sandbox.token!;
    const account = req.sandbox.account;
    const user = account.users.find((u) => u.id === token.userId) ?? account.users[0]!;
    return {
      success: true,
      data: {
        id: user.id, name: `${user.firstName} ${user.lastName}`, email: user.email, lang: 1, locale: 'en_US', timezone_name: account.timeZone, timezone_offset: '+00:00',
        default_currency: account.currency, icon_url: null, active_flag: true, is_admin: 1, role_id: 1, created: '2021-10-01 00:00:00', has_created_company: true, is_you: true,
        company_id: account.id, company_name: account.name, company_domain: account.domain.split('.')[0], company_country: 'US', company_industry: 'Software',
        language: { language_code: 'en', country_code: 'US' },
      },
    };
  };
  for (const path of ['/api/v1/users/me', '/v1/users/me']) app.get(path, { config: { sandbox: { kind: 'account', scopes: () => ['base'], limit: 'api' } } }, me);
}

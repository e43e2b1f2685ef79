/**
 * Zoho's accounts server, per data centre: the consent page (`/oauth/v2/auth`), the token endpoint
 * (errors with HTTP 200), revocation, and Zoho's caps: a code lives 2 minutes; a user keeps at most
 * 20 refresh tokens per app (the 21st deletes the oldest), a refresh token 30 live access tokens (the
 * 31st deletes the oldest) and mints at most 10 per 10 minutes ("Access Denied" after that).
 * https://www.zoho.com/accounts/protocol/oauth/web-apps/authorization.html
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessToken } from '../core/tokens.js';
import { consentPage, errorPage } from './consent-page.js';
import type { ZohoContext } from './context.js';
import { DATA_CENTRES, dataCentre, dcPaths, locationOf, prefixOf } from './datacentres.js';
import { oauthError } from './errors.js';

const CODE_TTL_MS = 2 * 60_000;
const MAX_REFRESH_PER_USER = 20;
const MAX_ACCESS_PER_REFRESH = 30;
const MINTS_PER_WINDOW = 10;
const MINT_WINDOW_MS = 10 * 60_000;
const SCOPE = /^(ZohoCRM|ZohoSearch|Aaaserver)\.[A-Za-z_.]+$/;

type Params = Record<string, string | undefined>;
const scopesOf = (s: string | undefined) => (s ?? '').split(/[,\s]+/).filter(Boolean);

export function tokenResponse(ctx: ZohoContext, access: AccessToken, refreshToken?: string) {
  const org = ctx.orgs.get(access.accountId);
  return {
    access_token: access.token,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    scope: access.scopes.join(' '),
    api_domain: `${ctx.origin}${prefixOf(org?.location ?? 'us')}`,
    token_type: 'Bearer',
    expires_in: Math.round(((access.expiresAt ?? 0) - ctx.store.clock.now()) / 1000),
  };
}

export function registerOAuthRoutes(app: FastifyInstance, ctx: ZohoContext): void {
  const tokens = ctx.store.tokens;
  const page = (reply: FastifyReply, detail: string) => reply.code(400).type('text/html').send(errorPage('Invalid request', detail));

  const check = (p: Params) => {
    const client = p.client_id ? ctx.store.apps.get(p.client_id) : undefined;
    if (!client) return 'Invalid Client: the client_id is not registered.';
    if (!p.redirect_uri || !client.redirectUris.includes(p.redirect_uri)) return 'Invalid Redirect Uri: the redirect_uri does not match the one registered for this client.';
    if (p.response_type !== 'code') return 'Invalid response_type: only "code" is supported.';
    const scopes = scopesOf(p.scope);
    if (scopes.length === 0 || scopes.some((s) => !SCOPE.test(s))) return `Invalid OAuth Scope: ${p.scope ?? '(missing)'}`;
    return client;
  };

  const authorizeKind = { config: { sandbox: { kind: 'authorize' } } };
  for (const path of dcPaths('/oauth/v2/auth')) app.get(path, authorizeKind, async (req: FastifyRequest<{ Querystring: Params }>, reply) => {
    if (!locationOf(req)) return page(reply, 'Unknown data centre');
    const p = req.query;
    const client = check(p);
    if (typeof client === 'string') return page(reply, client);
    const keep = Object.fromEntries(['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'access_type', 'prompt'].flatMap((k) => (p[k] !== undefined ? [[k, p[k]!]] : [])));
    // The DC signed in to first: the default org's (the user's own), as Zoho's sign-in picks it.
    const home = ctx.orgs.get(ctx.store.defaultAccountId)?.location ?? 'us';
    const dcs = [...DATA_CENTRES].sort((a, b) => Number(b.location === home) - Number(a.location === home));
    const orgs = [ctx.store.account()!, ...[...ctx.store.accounts.values()].filter((a) => a.id !== ctx.store.defaultAccountId)];
    const located = orgs.map((org) => ({ org, dc: dataCentre(ctx.orgs.get(org.id)?.location)! }));
    return reply.type('text/html').send(consentPage(client, req.url.split('?')[0]!, keep, dcs, located, scopesOf(p.scope)));
  });

  for (const path of dcPaths('/oauth/v2/auth')) app.post(path, authorizeKind, async (req: FastifyRequest<{ Body: Params }>, reply) => {
    const p = req.body ?? {};
    const client = check(p);
    if (typeof client === 'string') return page(reply, client);
    const target = new URL(p.redirect_uri!);
    const dc = dataCentre(p.location);
    if (p.decision !== 'allow') {
      target.searchParams.set('error', 'access_denied');
    } else {
      const org = ctx.store.account(Number(p.org_id) || undefined);
      if (!org || !dc) return page(reply, 'Unknown organization or data centre');
      const home = ctx.orgs.get(org.id)!.location;
      if (home !== dc.location) return page(reply, `${org.name} is not in the ${dc.name} data centre; sign in to ${dataCentre(home)!.name} instead.`);
      const code = tokens.issueCode({ clientId: client.clientId, accountId: org.id, userId: org.users[0]!.id, scopes: scopesOf(p.scope) }, p.redirect_uri!, CODE_TTL_MS);
      ctx.codes.set(code.code, { offline: p.access_type === 'offline', location: dc.location });
      target.searchParams.set('code', code.code);
      target.searchParams.set('location', dc.location);
      target.searchParams.set('accounts-server', `${ctx.origin}${prefixOf(dc.location)}`);
    }
    if (p.state !== undefined) target.searchParams.set('state', p.state);
    return reply.redirect(target.toString(), 302);
  });

  /** A new access token for a refresh token, under Zoho's per-refresh-token caps; null when throttled. */
  const mint = (refresh: string): AccessToken | null => {
    const grant = tokens.refresh.get(refresh)!;
    const now = ctx.store.clock.now();
    const recent = (ctx.mints.get(refresh) ?? []).filter((t) => t > now - MINT_WINDOW_MS);
    if (recent.length >= MINTS_PER_WINDOW) return null;
    ctx.mints.set(refresh, [...recent, now]);
    const live = [...tokens.access.values()].filter((t) => t.refreshToken === refresh && !t.revoked).sort((a, b) => a.issuedAt - b.issuedAt);
    for (const old of live.slice(0, Math.max(0, live.length - MAX_ACCESS_PER_REFRESH + 1))) tokens.access.delete(old.token);
    return tokens.issue(grant, ctx.options.accessTokenTtlSeconds, refresh).access;
  };

  for (const path of dcPaths('/oauth/v2/token')) app.post(path, { config: { sandbox: { kind: 'token' } } }, async (req: FastifyRequest<{ Body: Params; Querystring: Params }>, reply) => {
    // Zoho takes the parameters in the query string or the form.
    const p: Params = { ...req.query, ...(req.body ?? {}) };
    const client = p.client_id ? ctx.store.apps.get(p.client_id) : undefined;
    if (!client || p.client_secret !== client.clientSecret) return oauthError(reply, 'invalid_client');
    const here = locationOf(req);
    if (p.grant_type === 'refresh_token') {
      const refresh = p.refresh_token ? tokens.refresh.get(p.refresh_token) : undefined;
      if (!refresh || refresh.revoked || refresh.clientId !== client.clientId || ctx.orgs.get(refresh.accountId)?.location !== here) return oauthError(reply, 'invalid_code');
      const access = mint(refresh.token);
      if (!access) return oauthError(reply, 'Access Denied', 'You have made too many requests continuously. Please try again after some time.');
      return tokenResponse(ctx, access);
    }
    if (p.grant_type !== 'authorization_code') return oauthError(reply, 'unsupported_grant_type');
    const code = p.code ? tokens.codes.get(p.code) : undefined;
    const extra = p.code ? ctx.codes.get(p.code) : undefined;
    if (!code || !extra || code.used || code.expiresAt <= ctx.store.clock.now() || code.clientId !== client.clientId || extra.location !== here) return oauthError(reply, 'invalid_code');
    if (p.redirect_uri !== code.redirectUri) return oauthError(reply, 'invalid_redirect_uri');
    code.used = true;
    const { access, refresh } = tokens.issue(code, ctx.options.accessTokenTtlSeconds);
    ctx.mints.set(refresh.token, [ctx.store.clock.now()]);
    // The 21st refresh token of a user for an app deletes the oldest.
    const mine = [...tokens.refresh.values()].filter((r) => !r.revoked && r.userId === code.userId && r.accountId === code.accountId && r.clientId === client.clientId);
    for (const old of mine.slice(0, Math.max(0, mine.length - MAX_REFRESH_PER_USER))) tokens.revokeRefresh(old.token);
    if (!extra.offline) {
      tokens.revokeRefresh(refresh.token);
      access.revoked = false;
      return tokenResponse(ctx, access);
    }
    return tokenResponse(ctx, access, refresh.token);
  });

  for (const path of dcPaths('/oauth/v2/token/revoke')) app.post(path, { config: { sandbox: { kind: 'token' } } }, async (req: FastifyRequest<{ Querystring: Params; Body: Params }>) => {
    const token = req.query.token ?? req.body?.token;
    if (token) tokens.revokeRefresh(token);
    return { status: 'success' };
  });
}

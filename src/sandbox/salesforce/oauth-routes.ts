/**
 * Salesforce's OAuth 2.0 web server flow on the login host (served on the same origin as the
 * instance): the consent page, the token endpoint (authorization_code and refresh_token grants, client
 * credentials in the body or Basic), revoke, userinfo, introspect and the identity URL.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 *
 * - A `code_challenge` without `code_challenge_method` is S256 (what jsforce sends).
 * - The token response carries `issued_at` as a string and no `expires_in`: a session lasts the
 *   org's session timeout and its end shows only as 401 INVALID_SESSION_ID.
 * - 5 approvals per user and connected app: the 6th revokes the oldest refresh token.
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from '../core/emulator.js';
import type { SandboxApp } from '../core/store.js';
import { pkceMatches, type AccessToken } from '../core/tokens.js';
import { orgIdOf, SALESFORCE_SCOPES, userIdOf } from './app.js';
import { consentPage, errorPage, type ConsentParams } from './consent-page.js';
import type { SalesforceContext } from './context.js';
import { oauthError, sendSfError } from './errors.js';
import { API_VERSION } from './records.js';

const CODE_TTL_MS = 15 * 60_000;
const APPROVALS_PER_USER = 5;
type Form = Record<string, string | undefined>;
const words = (s: string | undefined) => (s ?? '').split(/[\s+]+/).filter(Boolean);

/** The origin the client called (login host and instance are one here). */
export const originOf = (req: FastifyRequest) => `${req.protocol}://${req.headers.host}`;

export function identityUrl(origin: string, token: { accountId: number; userId: number }) {
  return `${origin}/id/${orgIdOf(token.accountId)}/${userIdOf(token.userId)}`;
}

export function tokenResponse(ctx: SalesforceContext, access: AccessToken, refreshToken: string | null) {
  const origin = ctx.origin;
  const id = identityUrl(origin, access);
  const issuedAt = String(access.issuedAt);
  const app = ctx.store.apps.get(access.clientId);
  return {
    access_token: access.token,
    ...(refreshToken && (access.scopes.includes('refresh_token') || access.scopes.includes('offline_access')) ? { refresh_token: refreshToken } : {}),
    signature: createHmac('sha256', app?.clientSecret ?? '').update(id + issuedAt).digest('base64'),
    scope: access.scopes.join(' '),
    instance_url: origin,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}

function check(ctx: SalesforceContext, p: ConsentParams): SandboxApp | string {
  const app = ctx.store.apps.get(p.client_id);
  if (!app) return 'error=invalid_client_id&error_description=client identifier invalid';
  if (!app.redirectUris.includes(p.redirect_uri)) return 'error=redirect_uri_mismatch&error_description=redirect_uri must match configuration';
  if (p.response_type !== 'code') return 'error=unsupported_response_type&error_description=response type not supported';
  const allowed = [...(app.scopes ?? []), ...(app.optionalScopes ?? SALESFORCE_SCOPES)];
  const bad = words(p.scope).filter((s) => !allowed.includes(s));
  if (bad.length) return `error=invalid_scope&error_description=the requested scope is not allowed: ${bad.join(' ')}`;
  return app;
}

function params(source: Record<string, unknown>): ConsentParams {
  const get = (k: string) => (typeof source[k] === 'string' ? (source[k] as string) : undefined);
  return {
    response_type: get('response_type') ?? '', client_id: get('client_id') ?? '', redirect_uri: get('redirect_uri') ?? '', scope: get('scope'), state: get('state'),
    code_challenge: get('code_challenge'), code_challenge_method: get('code_challenge_method'), prompt: get('prompt'), login_hint: get('login_hint'), display: get('display'),
    sandbox_login_host: get('sandbox_login_host'),
  };
}

export function registerOAuthRoutes(app: FastifyInstance, ctx: SalesforceContext): void {
  const tokens = ctx.store.tokens;
  const ttl = () => ctx.options.accessTokenTtlSeconds;
  const authorize = { config: { sandbox: { kind: 'authorize' } } };

  app.get('/services/oauth2/authorize', authorize, async (req, reply) => {
    const p = params(req.query as Record<string, unknown>);
    const found = check(ctx, p);
    if (typeof found === 'string') return reply.code(400).type('text/html').send(errorPage(found));
    return reply.type('text/html').send(consentPage(found, [...ctx.store.accounts.values()], p));
  });

  app.post('/services/oauth2/authorize', authorize, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const p = params(body);
    const found = check(ctx, p);
    if (typeof found === 'string') return reply.code(400).type('text/html').send(errorPage(found));
    const target = new URL(p.redirect_uri);
    if (body.decision !== 'allow') {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'end-user denied authorization');
    } else {
      const account = ctx.store.account(Number(body.org) || undefined);
      if (!account) return reply.code(400).type('text/html').send(errorPage(`Unknown org ${String(body.org)}`));
      if (p.code_challenge_method && p.code_challenge_method !== 'S256') {
        target.searchParams.set('error', 'invalid_request');
        target.searchParams.set('error_description', 'invalid code_challenge_method');
      } else {
        const scopes = words(p.scope).length ? words(p.scope) : ['api', 'refresh_token'];
        // A challenge without a method is S256: jsforce sends none.
        const challenge = p.code_challenge ? { value: p.code_challenge, method: 'S256' } : undefined;
        const grant = { clientId: found.clientId, accountId: account.id, userId: account.users[0]!.id, scopes };
        target.searchParams.set('code', tokens.issueCode(grant, p.redirect_uri, CODE_TTL_MS, challenge).code);
      }
    }
    if (p.state !== undefined) target.searchParams.set('state', p.state);
    return reply.redirect(target.toString(), 302);
  });

  app.post('/services/oauth2/token', { config: { sandbox: { kind: 'token' } } }, async (req: FastifyRequest<{ Body: Form }>, reply) => {
    const form = (req.body ?? {}) as Form;
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent) : [];
    const clientId = form.client_id ?? basicId;
    const secret = form.client_secret ?? basicSecret;
    if (!form.grant_type) return oauthError(reply, 400, 'invalid_request', 'grant type is missing');
    if (form.grant_type !== 'authorization_code' && form.grant_type !== 'refresh_token') return oauthError(reply, 400, 'unsupported_grant_type', 'grant type not supported');
    const client = clientId ? ctx.store.apps.get(clientId) : undefined;
    if (!client) return oauthError(reply, 400, 'invalid_client_id', 'client identifier invalid');

    if (form.grant_type === 'refresh_token') {
      // The client secret is optional on refresh (a public client may refresh with its id alone).
      if (secret !== undefined && secret !== client.clientSecret) return oauthError(reply, 400, 'invalid_client', 'invalid client credentials');
      const refresh = form.refresh_token ? tokens.refresh.get(form.refresh_token) : undefined;
      if (!refresh || refresh.revoked || refresh.clientId !== client.clientId) return oauthError(reply, 400, 'invalid_grant', 'expired access/refresh token');
      if (ctx.options.rotateRefreshTokens) {
        tokens.revokeRefresh(refresh.token);
        const { access, refresh: next } = tokens.issue({ clientId: refresh.clientId, accountId: refresh.accountId, userId: refresh.userId, scopes: refresh.scopes }, ttl());
        return tokenResponse(ctx, access, next.token);
      }
      const { access } = tokens.issue(refresh, ttl(), refresh.token);
      return tokenResponse(ctx, access, null);
    }
    if (secret !== client.clientSecret) return oauthError(reply, 400, 'invalid_client', 'invalid client credentials');
    const code = form.code ? tokens.codes.get(form.code) : undefined;
    if (!code || code.used || code.clientId !== client.clientId) return oauthError(reply, 400, 'invalid_grant', 'invalid authorization code');
    if (code.expiresAt <= ctx.store.clock.now()) return oauthError(reply, 400, 'invalid_grant', 'expired authorization code');
    if (form.redirect_uri !== code.redirectUri) return oauthError(reply, 400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
    if (code.codeChallenge && !form.code_verifier) return oauthError(reply, 400, 'invalid_grant', 'invalid code verifier');
    if (code.codeChallenge && !pkceMatches(form.code_verifier!, code.codeChallenge, 'S256')) return oauthError(reply, 400, 'invalid_grant', 'invalid code verifier');
    code.used = true;
    const { access, refresh } = tokens.issue(code, ttl());
    revokeBeyondApprovalLimit(ctx, code.clientId, code.userId, code.accountId);
    return tokenResponse(ctx, access, refresh.token);
  });

  const revoke = async (req: FastifyRequest, reply: FastifyReply) => {
    const token = ((req.body ?? {}) as Form).token ?? (req.query as Form).token;
    if (!token) return oauthError(reply, 400, 'unsupported_token_type', 'this token type is not supported');
    if (tokens.refresh.has(token)) tokens.revokeRefresh(token);
    else if (tokens.access.has(token)) tokens.access.get(token)!.revoked = true;
    else return oauthError(reply, 400, 'invalid_token', 'invalid token');
    return reply.code(200).send('');
  };
  app.post('/services/oauth2/revoke', { config: { sandbox: { kind: 'token' } } }, revoke);
  app.get('/services/oauth2/revoke', { config: { sandbox: { kind: 'token' } } }, revoke);

  app.post('/services/oauth2/introspect', { config: { sandbox: { kind: 'token-info' } } }, async (req, reply) => {
    const form = (req.body ?? {}) as Form;
    const client = form.client_id ? ctx.store.apps.get(form.client_id) : undefined;
    if (!client || client.clientSecret !== form.client_secret) return oauthError(reply, 401, 'invalid_client', 'invalid client credentials');
    const access = form.token ? tokens.access.get(form.token) : undefined;
    const refresh = form.token ? tokens.refresh.get(form.token) : undefined;
    const live = access ? !access.revoked && (access.expiresAt === null || access.expiresAt > ctx.store.clock.now()) : !!refresh && !refresh.revoked;
    const grant = access ?? refresh;
    if (!live || !grant) return { active: false };
    const account = ctx.store.account(grant.accountId)!;
    const user = account.users.find((u) => u.id === grant.userId);
    return {
      active: true, scope: grant.scopes.join(' '), client_id: grant.clientId, username: user?.email, sub: identityUrl(ctx.origin, grant), token_type: access ? 'access_token' : 'refresh_token',
      ...(access ? { exp: Math.floor((access.expiresAt ?? 0) / 1000), iat: Math.floor(access.issuedAt / 1000) } : {}),
    };
  });

  const who = (req: FastifyRequest) => {
    const raw = bearerToken(req) ?? ((req.query as Form).oauth_token);
    const token = raw ? tokens.access.get(raw) : undefined;
    const live = token && !token.revoked && (token.expiresAt === null || token.expiresAt > ctx.store.clock.now());
    return live ? token : undefined;
  };
  const identity = (token: AccessToken, origin: string) => {
    const account = ctx.store.account(token.accountId)!;
    const user = account.users.find((u) => u.id === token.userId) ?? account.users[0]!;
    const url = (path: string) => `${origin}${path}`;
    return {
      id: identityUrl(origin, token), asserted_user: true, user_id: userIdOf(user.id), organization_id: orgIdOf(account.id), username: user.email,
      nick_name: user.email.split('@')[0], display_name: `${user.firstName} ${user.lastName}`, email: user.email, email_verified: true,
      first_name: user.firstName, last_name: user.lastName, timezone: account.timeZone, photos: { picture: url('/img/userprofile/default_profile_200_v2.png'), thumbnail: url('/img/userprofile/default_profile_45_v2.png') },
      active: true, user_type: 'STANDARD', language: 'en_US', locale: 'en_US', utcOffset: 0, last_modified_date: new Date(account.createdAt).toISOString().replace('Z', '+0000'),
      urls: Object.fromEntries(['enterprise', 'metadata', 'partner'].map((k) => [k, url(`/services/Soap/${k[0]}/{version}/${orgIdOf(account.id).slice(0, 15)}`)]).concat(
        [['rest', '/services/data/v{version}/'], ['sobjects', '/services/data/v{version}/sobjects/'], ['search', '/services/data/v{version}/search/'], ['query', '/services/data/v{version}/query/'],
          ['recent', '/services/data/v{version}/recent/'], ['profile', `/${userIdOf(user.id)}`]].map(([k, v]) => [k!, url(v!)]))),
    };
  };
  // The identity URL accepts the token as Bearer or as `oauth_token`; a dead one is 403 Bad_OAuth_Token.
  app.get('/id/:org/:user', { config: { sandbox: { kind: 'account' } } }, async (req, reply) => {
    const token = who(req);
    if (!token) return reply.code(403).type('text/plain').send('Bad_OAuth_Token');
    const { org, user } = req.params as { org: string; user: string };
    if (org !== orgIdOf(token.accountId) || user !== userIdOf(token.userId)) return reply.code(403).type('text/plain').send('Bad_Id');
    return identity(token, originOf(req));
  });
  app.get('/services/oauth2/userinfo', { config: { sandbox: { kind: 'account' } } }, async (req, reply) => {
    const token = who(req);
    if (!token) return reply.code(403).type('text/plain').send('Bad_OAuth_Token');
    const id = identity(token, originOf(req));
    return { sub: id.id, user_id: id.user_id, organization_id: id.organization_id, preferred_username: id.username, nickname: id.nick_name, name: id.display_name,
      email: id.email, email_verified: true, given_name: id.first_name, family_name: id.last_name, zoneinfo: id.timezone, photos: id.photos, profile: `${originOf(req)}/${id.user_id}`,
      picture: id.photos.picture, address: {}, urls: id.urls, active: true, user_type: id.user_type, language: id.language, locale: id.locale, utcOffset: 0,
      updated_at: id.last_modified_date };
  });
}

/** The 6th approval of one connected app by one user revokes the oldest refresh token. */
function revokeBeyondApprovalLimit(ctx: SalesforceContext, clientId: string, userId: number, accountId: number): void {
  const live = [...ctx.store.tokens.refresh.values()].filter((r) => !r.revoked && r.clientId === clientId && r.userId === userId && r.accountId === accountId);
  for (const oldest of live.slice(0, Math.max(0, live.length - APPROVALS_PER_USER))) ctx.store.tokens.revokeRefresh(oldest.token);
}

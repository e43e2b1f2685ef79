/**
 * HubSpot's OAuth v1 token endpoint (authorization_code and refresh_token grants, form-encoded) and
 * the token metadata endpoints. Refresh tokens are not rotated and keep working until revoked.
 * https://developers.hubspot.com/docs/api/oauth-quickstart-guide
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pkceMatches, type AccessToken } from '../core/tokens.js';
import type { HubspotContext } from './context.js';
import { notFound, oauthError, sendError } from './errors.js';
import { signedAccessToken } from './signed-access-token.js';

type Form = Record<string, string | undefined>;

export function tokenResponse(ctx: HubspotContext, access: AccessToken, refreshToken: string) {
  return {
    token_type: 'bearer',
    refresh_token: refreshToken,
    access_token: access.token,
    expires_in: Math.round(((access.expiresAt ?? 0) - ctx.store.clock.now()) / 1000),
    token_use: 'access_token',
    hub_id: access.accountId,
    user_id: access.userId,
    scopes: access.scopes,
  };
}

export function registerTokenRoutes(app: FastifyInstance, ctx: HubspotContext): void {
  const tokens = ctx.store.tokens;
  const ttl = () => ctx.options.accessTokenTtlSeconds;

  app.post('/oauth/v1/token', { config: { sandbox: { kind: 'token' } } }, async (req: FastifyRequest<{ Body: Form }>, reply) => {
    const form = (req.body ?? {}) as Form;
    const grant = form.grant_type;
    if (grant !== 'authorization_code' && grant !== 'refresh_token') {
      return oauthError(req, reply, 'BAD_GRANT_TYPE', `grant_type must be authorization_code or refresh_token, got ${grant ?? '(missing)'}`, 'unsupported_grant_type');
    }
    const client = form.client_id ? ctx.store.apps.get(form.client_id) : undefined;
    if (!client) return oauthError(req, reply, 'BAD_CLIENT_ID', 'missing or unknown client id', 'invalid_client');
    if (form.client_secret !== client.clientSecret) return oauthError(req, reply, 'BAD_CLIENT_SECRET', 'missing or invalid client secret', 'invalid_client');

    if (grant === 'refresh_token') {
      const refresh = form.refresh_token ? tokens.refresh.get(form.refresh_token) : undefined;
      if (!refresh || refresh.revoked || refresh.clientId !== client.clientId) return oauthError(req, reply, 'BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
      const { access } = tokens.issue(refresh, ttl(), refresh.token);
      return tokenResponse(ctx, access, refresh.token);
    }
    const code = form.code ? tokens.codes.get(form.code) : undefined;
    if (!code || code.used || code.expiresAt <= ctx.store.clock.now() || code.clientId !== client.clientId) {
      return oauthError(req, reply, 'BAD_AUTH_CODE', 'missing or unknown auth code');
    }
    if (form.redirect_uri !== code.redirectUri) return oauthError(req, reply, 'BAD_REDIRECT_URI', `redirect_uri does not match the one used for the auth code: ${form.redirect_uri ?? '(missing)'}`);
    if (code.codeChallenge && !(form.code_verifier && pkceMatches(form.code_verifier, code.codeChallenge, code.codeChallengeMethod ?? 'plain'))) {
      return oauthError(req, reply, 'BAD_AUTH_CODE', 'code_verifier does not match the code_challenge');
    }
    code.used = true;
    const { access, refresh } = tokens.issue(code, ttl());
    return tokenResponse(ctx, access, refresh.token);
  });

  app.get('/oauth/v1/access-tokens/:token', { config: { sandbox: { kind: 'token-info' } } }, async (req: FastifyRequest<{ Params: { token: string } }>, reply) => {
    const t = tokens.access.get(req.params.token);
    if (!t || t.revoked) return notFound(req, reply, 'Token not found');
    const now = ctx.store.clock.now();
    if (t.expiresAt !== null && t.expiresAt <= now) {
      return sendError(req, reply, 401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${Math.max(1, Math.round((now - t.expiresAt) / 1000))} second(s) ago.`);
    }
    const account = ctx.store.account(t.accountId)!;
    const app = ctx.store.apps.get(t.clientId);
    return {
      token: t.token,
      user: account.users.find((u) => u.id === t.userId)?.email ?? '',
      hub_domain: account.domain,
      scopes: t.scopes,
      signed_access_token: signedAccessToken(t, app?.appId ?? 0, app?.clientSecret ?? ''),
      hub_id: t.accountId,
      app_id: app?.appId ?? 0,
      expires_in: t.expiresAt === null ? 0 : Math.round((t.expiresAt - now) / 1000),
      user_id: t.userId,
      token_type: 'access',
      is_private_distribution: false,
    };
  });

  app.get('/oauth/v1/refresh-tokens/:token', { config: { sandbox: { kind: 'token-info' } } }, async (req: FastifyRequest<{ Params: { token: string } }>, reply) => {
    const r = tokens.refresh.get(req.params.token);
    if (!r || r.revoked) return notFound(req, reply, 'Token not found');
    const account = ctx.store.account(r.accountId)!;
    return {
      token: r.token,
      user: account.users.find((u) => u.id === r.userId)?.email ?? '',
      hub_domain: account.domain,
      scopes: r.scopes,
      hub_id: r.accountId,
      client_id: r.clientId,
      user_id: r.userId,
      token_type: 'refresh',
    };
  });

  app.delete('/oauth/v1/refresh-tokens/:token', { config: { sandbox: { kind: 'token-info' } } }, async (req: FastifyRequest<{ Params: { token: string } }>, reply) => {
    if (!tokens.revokeRefresh(req.params.token)) return notFound(req, reply, 'Token not found');
    return reply.code(204).send();
  });
}

import * as oauth from 'oauth4webapi';
import type { ProviderEndpoints } from './endpoints.js';
import { connectorModules } from './modules.js';
import { platforms, type OAuthSpec, type PlatformId } from './platforms.js';

/**
 * Authorization code + PKCE + refresh on oauth4webapi. CRMs' token responses differ in small ways
 * (a lowercase "bearer", no expires_in, errors with HTTP 200, errors in their own words);
 * oauth4webapi validates the standard parts and we read the extras from the same body.
 */
export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  scopes: string[] | null;
  /** The whole response body, for provider-specific fields (hub_id, instance_url, api_domain). */
  raw: Record<string, unknown>;
}

/** A token endpoint's refusal, reduced to what we act on. */
export class OAuthGrantError extends Error {
  override name = 'OAuthGrantError';
  constructor(
    /** invalid_grant: the code or refresh token is no good (revoked, expired, used). */
    readonly kind: 'invalid_grant' | 'invalid_client' | 'provider_error' | 'unreachable',
    message: string,
  ) {
    super(message);
  }
}

// A timeout: a token refresh runs under the integration's row lock, which must not be held for long.
const insecure = (url: string) => ({ [oauth.allowInsecureRequests]: url.startsWith('http://'), signal: AbortSignal.timeout(15_000) });

function server(endpoints: ProviderEndpoints): oauth.AuthorizationServer {
  return { issuer: new URL(endpoints.tokenUrl).origin, authorization_endpoint: endpoints.authorizeUrl, token_endpoint: endpoints.tokenUrl };
}

function clientOf(platform: PlatformId, endpoints: ProviderEndpoints): [oauth.Client, oauth.ClientAuth] {
  const auth = platforms[platform].oauth.clientAuth === 'basic' ? oauth.ClientSecretBasic(endpoints.clientSecret) : oauth.ClientSecretPost(endpoints.clientSecret);
  return [{ client_id: endpoints.clientId }, auth];
}

export async function newPkce(): Promise<{ verifier: string; challenge: string }> {
  const verifier = oauth.generateRandomCodeVerifier();
  return { verifier, challenge: await oauth.calculatePKCECodeChallenge(verifier) };
}

/** The challenge again, when the browser begins the flow (only the encrypted verifier is stored). */
export function pkceChallenge(verifier: string): Promise<string> {
  return oauth.calculatePKCECodeChallenge(verifier);
}

export function newState(): string {
  return oauth.generateRandomState();
}

export function authorizeUrl(platform: PlatformId, endpoints: ProviderEndpoints, input: {
  redirectUri: string; state: string; requiredScopes: string[]; optionalScopes: string[]; codeChallenge?: string;
}): string {
  const spec: OAuthSpec = platforms[platform].oauth;
  const url = new URL(endpoints.authorizeUrl);
  // Some CRMs take the user's optional choices in a parameter of their own; others get one scope list.
  const separate = spec.optionalScopeParam;
  const params: Record<string, string | undefined> = {
    client_id: endpoints.clientId,
    redirect_uri: input.redirectUri,
    response_type: 'code',
    state: input.state,
    scope: (separate ? input.requiredScopes : [...input.requiredScopes, ...input.optionalScopes]).join(spec.scopeSeparator),
    ...(separate ? { [separate]: input.optionalScopes.join(spec.scopeSeparator) || undefined } : {}),
    code_challenge: input.codeChallenge,
    code_challenge_method: input.codeChallenge ? 'S256' : undefined,
    ...spec.authorizeParams,
  };
  for (const [key, value] of Object.entries(params)) if (value) url.searchParams.set(key, value);
  return url.toString();
}

export async function exchangeCode(platform: PlatformId, endpoints: ProviderEndpoints, callbackUrl: URL, expectedState: string, redirectUri: string, codeVerifier: string | null): Promise<TokenSet> {
  const as = server(endpoints);
  const [client, clientAuth] = clientOf(platform, endpoints);
  const params = oauth.validateAuthResponse(as, client, callbackUrl, expectedState);
  return grant(platform, endpoints.tokenUrl, async () => {
    const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, redirectUri, codeVerifier ?? oauth.nopkce, insecure(endpoints.tokenUrl));
    return oauth.processAuthorizationCodeResponse(as, client, await normalise(platform, response));
  });
}

export async function refreshTokens(platform: PlatformId, endpoints: ProviderEndpoints, refreshToken: string): Promise<TokenSet> {
  const as = server(endpoints);
  const [client, clientAuth] = clientOf(platform, endpoints);
  return grant(platform, endpoints.tokenUrl, async () => {
    const response = await oauth.refreshTokenGrantRequest(as, client, clientAuth, refreshToken, insecure(endpoints.tokenUrl));
    return oauth.processRefreshTokenResponse(as, client, await normalise(platform, response));
  });
}

/**
 * Maps a token endpoint's answer onto RFC 6749 before oauth4webapi reads the body: errors in the
 * CRM's own dialect (its module's `tokenError`), errors sent with HTTP 200, `token_type` in any case.
 */
async function normalise(platform: PlatformId, response: Response): Promise<Response> {
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, response);
  }
  const dialect = body.error ? null : connectorModules[platform]?.tokenError?.(body);
  if (dialect) {
    body.error = dialect.error;
    if (!body.error_description && dialect.description) body.error_description = dialect.description;
  }
  // Not in RFC 6749, but what a refused code means: the grant is no good.
  if (body.error === 'invalid_code') body.error = 'invalid_grant';
  const status = response.status === 200 && body.error && !body.access_token ? 400 : response.status;
  if (typeof body.token_type === 'string') body.token_type = body.token_type.toLowerCase();
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(body), { status, statusText: response.statusText, headers });
}

async function grant(platform: PlatformId, tokenUrl: string, request: () => Promise<oauth.TokenEndpointResponse>): Promise<TokenSet> {
  let result: oauth.TokenEndpointResponse;
  try {
    result = await request();
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError) {
      const kind = error.error === 'invalid_grant' ? 'invalid_grant' : error.error === 'invalid_client' ? 'invalid_client' : 'provider_error';
      throw new OAuthGrantError(kind, error.error_description ?? error.error);
    }
    if (error instanceof TypeError || (error as Error).name === 'TimeoutError') {
      throw new OAuthGrantError('unreachable', `Could not reach ${new URL(tokenUrl).host}: ${(error as Error).message}`);
    }
    throw new OAuthGrantError('provider_error', (error as Error).message);
  }
  const raw = result as unknown as Record<string, unknown>;
  const scopes = Array.isArray(raw.scopes) ? (raw.scopes as string[]) : typeof result.scope === 'string' ? result.scope.split(/[ ,]+/).filter(Boolean) : null;
  return {
    accessToken: result.access_token,
    refreshToken: result.refresh_token ?? null,
    // Without expires_in, the CRM's module may still say when a refresh is due (else: on the first 401).
    expiresAt: typeof result.expires_in === 'number' ? new Date(Date.now() + result.expires_in * 1000) : connectorModules[platform]?.tokenExpiry?.(raw) ?? null,
    scopes,
    raw,
  };
}

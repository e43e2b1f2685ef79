import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderEndpoints } from '../../src/crm/endpoints.js';
import { authorizeUrl, exchangeCode, refreshTokens } from '../../src/crm/oauth.js';
import { platforms, type PlatformId } from '../../src/crm/platforms.js';

/**
 * What differs per CRM at the OAuth endpoints (src/crm/platforms.ts): the scope separator (Pipedrive
 * and Zoho use ','), and how the client authenticates at the token endpoint (Pipedrive: HTTP Basic,
 * the others: client_secret in the body). Checked against a real token endpoint on an ephemeral port.
 */
describe('OAuth client authentication and scope lists per platform', () => {
  let server: Server;
  let origin: string;
  let received: { authorization: string | undefined; form: URLSearchParams }[];
  let tokenScope: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ authorization: request.headers.authorization, form: new URLSearchParams(body) });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ access_token: 'access-1', refresh_token: 'refresh-1', token_type: 'Bearer', expires_in: 3600, scope: tokenScope }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received = [];
    tokenScope = 'deals:read contacts:read';
  });

  // Letters and digits only: oauth4webapi form-encodes both before base64 (RFC 6749 §2.3.1), which
  // changes '-', '.' and the like; real Pipedrive ids and secrets are alphanumeric.
  const clientId = 'clientid7';
  const clientSecret = 'clientsecret7';
  const redirectUri = 'http://127.0.0.1:3999/crm/oauth/callback';
  const endpoints = (): ProviderEndpoints => ({
    mode: 'configured', clientId, clientSecret, authorizeUrl: `${origin}/oauth/authorize`, tokenUrl: `${origin}/oauth/token`, apiBaseUrl: origin,
  });
  const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
  const exchange = (platform: PlatformId) =>
    exchangeCode(platform, endpoints(), new URL(`${redirectUri}?code=the-code&state=the-state`), 'the-state', redirectUri, null);

  it('the registry says what the tests below rely on', () => {
    expect(platforms.pipedrive.oauth).toMatchObject({ clientAuth: 'basic', scopeSeparator: ',' });
    expect(platforms.zoho.oauth).toMatchObject({ clientAuth: 'body', scopeSeparator: ',' });
    expect(platforms.hubspot.oauth).toMatchObject({ clientAuth: 'body', scopeSeparator: ' ' });
  });

  describe('authorize URL', () => {
    const scopeOf = (platform: PlatformId, requiredScopes: string[], optionalScopes: string[]) =>
      new URL(authorizeUrl(platform, endpoints(), { redirectUri, state: 's', requiredScopes, optionalScopes })).searchParams;

    it.each(['pipedrive', 'zoho'] as const)('joins %s scopes with commas', (platform) => {
      expect(scopeOf(platform, ['a.read', 'b.read'], ['c.write']).get('scope')).toBe('a.read,b.read,c.write');
    });

    it('joins HubSpot scopes with spaces, optional ones in their own parameter', () => {
      const params = scopeOf('hubspot', ['a.read', 'b.read'], ['c.write', 'd.write']);
      expect(params.get('scope')).toBe('a.read b.read');
      expect(params.get('optional_scope')).toBe('c.write d.write');
    });
  });

  describe('token endpoint', () => {
    it('authenticates Pipedrive with HTTP Basic and no secret in the body, for the code and for a refresh', async () => {
      await exchange('pipedrive');
      await refreshTokens('pipedrive', endpoints(), 'refresh-0');
      expect(received).toHaveLength(2);
      for (const { authorization, form } of received) {
        expect(authorization).toBe(basic);
        expect(form.has('client_secret')).toBe(false);
      }
      expect(Object.fromEntries(received[0]!.form)).toMatchObject({ grant_type: 'authorization_code', code: 'the-code', redirect_uri: redirectUri });
      expect(Object.fromEntries(received[1]!.form)).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'refresh-0' });
    });

    it.each(['hubspot', 'zoho'] as const)('sends %s\'s client id and secret in the body, without an Authorization header', async (platform) => {
      await exchange(platform);
      await refreshTokens(platform, endpoints(), 'refresh-0');
      expect(received).toHaveLength(2);
      for (const { authorization, form } of received) {
        expect(authorization).toBeUndefined();
        expect(form.get('client_id')).toBe(clientId);
        expect(form.get('client_secret')).toBe(clientSecret);
      }
    });

    it('splits a comma-separated scope in the token response', async () => {
      tokenScope = 'deals:read,contacts:read';
      expect((await exchange('pipedrive')).scopes).toEqual(['deals:read', 'contacts:read']);
      expect((await refreshTokens('zoho', endpoints(), 'refresh-0')).scopes).toEqual(['deals:read', 'contacts:read']);
    });

    it('splits a space-separated scope in the token response', async () => {
      expect((await exchange('hubspot')).scopes).toEqual(['deals:read', 'contacts:read']);
    });
  });
});

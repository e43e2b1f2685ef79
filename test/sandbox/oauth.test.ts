/** HubSpot OAuth: consent validation, token grant errors, token metadata, revocation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUBSPOT_REQUIRED_SCOPES } from '../../src/sandbox/hubspot/app.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { admin, api, APP, approveConsent, REDIRECT_URI } from './helpers.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, records: 50, accessTokenTtlSeconds: 60 });
});
afterAll(() => sb.close());

const token = (fields: Record<string, string>) =>
  fetch(`${sb.urls.hubspot}/oauth/v1/token`, { method: 'POST', body: new URLSearchParams({ client_id: APP.clientId, client_secret: APP.clientSecret, ...fields }) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

describe('GET /oauth/authorize', () => {
  const authorize = (q: Record<string, string>) => fetch(`${sb.urls.hubspot}/oauth/authorize?${new URLSearchParams({ client_id: APP.clientId, redirect_uri: REDIRECT_URI, scope: HUBSPOT_REQUIRED_SCOPES.join(' '), ...q })}`);

  it('renders the consent form with the account and scopes', async () => {
    const res = await authorize({ state: 'xyz' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('name="account_id"');
    expect(html).toContain('crm.objects.contacts.read');
    expect(html).toContain('value="xyz"');
  });

  it('refuses an unregistered redirect_uri, an unknown client and mismatched scopes', async () => {
    expect((await authorize({ redirect_uri: 'http://localhost:3000/other' })).status).toBe(400);
    expect((await authorize({ client_id: 'nope' })).status).toBe(400);
    expect((await authorize({ scope: 'crm.objects.contacts.read' })).status).toBe(400);
    expect((await authorize({ scope: `${HUBSPOT_REQUIRED_SCOPES.join(' ')} tickets` })).status).toBe(400);
  });

  it('accepts a redirect URI registered through admin', async () => {
    await admin(sb, 'PUT', `/apps/${APP.clientId}`, { redirectUris: [REDIRECT_URI, 'http://127.0.0.1:9999/cb'] });
    expect((await authorize({ redirect_uri: 'http://127.0.0.1:9999/cb' })).status).toBe(200);
  });
});

describe('POST /oauth/authorize and /oauth/v1/token', () => {
  it('redirects with error=access_denied when denied', async () => {
    const q = await approveConsent(sb, {}, 'deny');
    expect(q.get('error')).toBe('access_denied');
    expect(q.get('state')).toBe('st-1');
    expect(q.get('code')).toBeNull();
  });

  it('answers HubSpot error bodies for a bad code, redirect and refresh token', async () => {
    const code = (await approveConsent(sb)).get('code')!;
    expect((await token({ grant_type: 'authorization_code', code: 'bad', redirect_uri: REDIRECT_URI })).body).toMatchObject({ status: 'BAD_AUTH_CODE', error: 'invalid_grant' });
    expect((await token({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:9999/cb' })).body.status).toBe('BAD_REDIRECT_URI');
    const bad = await token({ grant_type: 'refresh_token', refresh_token: 'unknown' });
    expect(bad).toMatchObject({ status: 400, body: { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token', correlationId: expect.any(String) } });
    expect((await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_secret: 'x' })).body.status).toBe('BAD_CLIENT_SECRET');
  });

  it('issues tokens with the configured lifetime that expire on the sandbox clock', async () => {
    const code = (await approveConsent(sb)).get('code')!;
    const issued = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
    expect(issued.body).toMatchObject({ token_type: 'bearer', expires_in: 60, hub_id: sb.hubspot.store.defaultAccountId });
    expect((await api(sb, issued.body.access_token, 'GET', '/crm/v3/objects/contacts?limit=1')).status).toBe(200);
    await admin(sb, 'POST', '/clock', { advanceMs: 61_000 });
    const expired = await api(sb, issued.body.access_token, 'GET', '/crm/v3/objects/contacts?limit=1');
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ category: 'EXPIRED_AUTHENTICATION' });
    expect(expired.body.message).toMatch(/^The OAuth token used to make this call expired \d+ second\(s\) ago\.$/);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: issued.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect((await api(sb, refreshed.body.access_token, 'GET', '/crm/v3/objects/contacts?limit=1')).status).toBe(200);
  });

  it('reports refresh-token metadata and stops refreshing once the token is deleted', async () => {
    const code = (await approveConsent(sb)).get('code')!;
    const issued = (await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI })).body;
    const info = await fetch(`${sb.urls.hubspot}/oauth/v1/refresh-tokens/${issued.refresh_token}`).then((r) => r.json());
    expect(info).toMatchObject({ client_id: APP.clientId, hub_id: sb.hubspot.store.defaultAccountId, token_type: 'refresh' });
    expect((await fetch(`${sb.urls.hubspot}/oauth/v1/refresh-tokens/${issued.refresh_token}`, { method: 'DELETE' })).status).toBe(204);
    expect((await token({ grant_type: 'refresh_token', refresh_token: issued.refresh_token })).body.status).toBe('BAD_REFRESH_TOKEN');
    expect((await api(sb, issued.access_token, 'GET', '/crm/v3/objects/contacts?limit=1')).status).toBe(401);
  });
});

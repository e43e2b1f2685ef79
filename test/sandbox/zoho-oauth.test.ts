/**
 * Zoho's accounts server per data centre in the emulator: the redirect names the DC, the token's
 * api_domain is the org's, and a grant or token used in another DC is refused as Zoho does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { answerZohoConsent, ZOHO_REDIRECT_URI } from './zoho-helpers.js';

let sb: Sandbox<'zoho'>;
beforeAll(async () => {
  sb = await startSandbox({ providers: ['zoho'], seed: 5, records: 50, redirectUris: [ZOHO_REDIRECT_URI] });
});
afterAll(() => sb?.close());

const form = (fields: Record<string, string>) => new URLSearchParams({ client_id: sb.apps.zoho.clientId, client_secret: sb.apps.zoho.clientSecret, redirect_uri: ZOHO_REDIRECT_URI, ...fields });
const token = async (prefix: string, fields: Record<string, string>) => (await fetch(`${sb.urls.zoho}${prefix}/oauth/v2/token`, { method: 'POST', body: form(fields) })).json();

describe('Zoho OAuth across data centres', () => {
  it('an EU org: the redirect names the EU accounts server, the token the EU API domain; the US refuses both', async () => {
    const org = (await (await fetch(`${sb.urls.zoho}/_sandbox/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records: 20 }) })).json());
    await fetch(`${sb.urls.zoho}/_sandbox/orgs/${org.id ?? org.account?.id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ location: 'eu' }) });
    // Only the default org is offered first; pick the EU one by answering the page's form ourselves.
    const query = new URLSearchParams({ client_id: sb.apps.zoho.clientId, redirect_uri: ZOHO_REDIRECT_URI, response_type: 'code', scope: 'ZohoCRM.modules.ALL,ZohoCRM.org.READ', access_type: 'offline', state: 's' });
    const answer = await fetch(`${sb.urls.zoho}/eu/oauth/v2/auth`, { method: 'POST', body: new URLSearchParams({ ...Object.fromEntries(query), location: 'eu', org_id: String(org.id ?? org.account?.id), decision: 'allow' }), redirect: 'manual' });
    const redirect = new URL(answer.headers.get('location')!).searchParams;
    expect(redirect.get('location')).toBe('eu');
    expect(redirect.get('accounts-server')).toBe(`${sb.urls.zoho}/eu`);

    expect(await token('', { grant_type: 'authorization_code', code: redirect.get('code')! })).toEqual({ error: 'invalid_code' });
    const tokens = await token('/eu', { grant_type: 'authorization_code', code: redirect.get('code')! });
    expect(tokens).toMatchObject({ api_domain: `${sb.urls.zoho}/eu`, token_type: 'Bearer', refresh_token: expect.stringMatching(/^1000\./) });

    const auth = { authorization: `Zoho-oauthtoken ${tokens.access_token}` };
    expect((await fetch(`${sb.urls.zoho}/eu/crm/v8/org`, { headers: auth })).status).toBe(200);
    const wrongDc = await fetch(`${sb.urls.zoho}/crm/v8/org`, { headers: auth });
    expect(wrongDc.status).toBe(401);
    expect(await wrongDc.json()).toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('errors come with HTTP 200; a code is single-use; the 11th refresh in 10 minutes is denied', async () => {
    const redirect = await answerZohoConsent(sb);
    expect(redirect.get('location')).toBe('us');
    const first = await fetch(`${sb.urls.zoho}/oauth/v2/token`, { method: 'POST', body: form({ grant_type: 'authorization_code', code: redirect.get('code')! }) });
    const tokens = await first.json();
    const again = await fetch(`${sb.urls.zoho}/oauth/v2/token`, { method: 'POST', body: form({ grant_type: 'authorization_code', code: redirect.get('code')! }) });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ error: 'invalid_code' });
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await token('', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }));
    // The code exchange minted one; nine refreshes fit in the ten, the tenth is refused.
    expect(answers.slice(0, 9).every((a) => typeof a.access_token === 'string')).toBe(true);
    expect(answers[9]).toMatchObject({ error: 'Access Denied' });
    await fetch(`${sb.urls.zoho}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 10 * 60_000 + 1 }) });
    expect(await token('', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).toMatchObject({ access_token: expect.any(String) });
  });

  it('a code expires after 2 minutes', async () => {
    const redirect = await answerZohoConsent(sb);
    await fetch(`${sb.urls.zoho}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 2 * 60_000 + 1 }) });
    expect(await token('', { grant_type: 'authorization_code', code: redirect.get('code')! })).toEqual({ error: 'invalid_code' });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { integrationsRepository } from '../../src/db/integrations-repository.js';
import { asSystem } from '../../src/db/tenant.js';
import { platformIds, platforms } from '../../src/crm/platforms.js';
import type { PulseEvent } from '../../src/events/types.js';
import { createLocalBus } from '../../src/events/bus.js';
import { buildApp } from '../../src/server/app.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { engine } from '../helpers/database.js';
import { admin, answerConsent, startTestSandbox } from '../helpers/sandbox.js';
import { asUser, TEST_JWT_SECRET, tokenFor } from '../helpers/users.js';
import { userIdFor } from '../../src/server/auth.js';
import { beginInPopup, callbackIn, testBrowser } from '../helpers/oauth-browser.js';

const PUBLIC_URL = 'http://127.0.0.1:3999';
const REDIRECT_URI = `${PUBLIC_URL}/crm/oauth/callback`;
const browser = testBrowser();

describe(`connecting HubSpot on ${engine}`, () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let ctx: TestContext;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let auth: { authorization: string };
  const userId = userIdFor('dana');
  const events: PulseEvent[] = [];

  beforeAll(async () => {
    sandbox = await startTestSandbox(REDIRECT_URI);
    ctx = await createTestContext({ PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET, PUBLIC_URL }, sandbox.wiring);
    ctx.events = createLocalBus();
    ctx.events.subscribe(userId, (event) => events.push(event));
    app = await buildApp(ctx, { serveWeb: false });
    auth = { authorization: `Bearer ${await tokenFor('dana')}` };
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
    await sandbox?.close();
  });
  beforeEach(async () => {
    await admin(sandbox, 'DELETE', '/_sandbox/faults');
  });

  const start = (body: object) => app.inject({ method: 'POST', url: '/api/integrations/oauth/start', headers: auth, payload: body });
  const callback = (url: URL) => callbackIn(app, browser, url);
  const listIntegrations = async () => (await app.inject({ url: '/api/integrations', headers: auth })).json().integrations as { id: string; status: string; externalAccountId: string }[];

  /** Start, then begin in this browser (as the wizard's popup does): the CRM's consent URL. */
  async function authorize(scopes?: string[]): Promise<URL> {
    const response = await start({ platform: 'hubspot', scopes });
    expect(response.statusCode).toBe(200);
    const begun = await beginInPopup(app, browser, PUBLIC_URL, response.json().ticket);
    expect(begun.statusCode, begun.body).toBe(200);
    return new URL(begun.json().authorizeUrl);
  }

  async function connect(): Promise<{ id: string }> {
    const outcome = await callback(await answerConsent((await authorize()).toString(), 'allow'));
    expect(outcome.statusCode, outcome.body).toBe(200);
    const id = /"integrationId":"([0-9a-f-]{36})"/.exec(outcome.body)![1]!;
    return { id };
  }

  describe('POST /api/integrations/oauth/start', () => {
    it('is protected', async () => {
      expect((await app.inject({ method: 'POST', url: '/api/integrations/oauth/start', payload: { platform: 'hubspot' } })).statusCode).toBe(401);
    });

    it('names what is wrong with the request', async () => {
      const platform = await start({ platform: 'dynamics' });
      expect(platform.statusCode).toBe(400);
      expect(platform.json().error.message).toMatch(/platform must be one of hubspot, salesforce, pipedrive, zoho/);
      const writeScope = await start({ platform: 'hubspot', scopes: ['crm.objects.deals.write'] });
      expect(writeScope.statusCode).toBe(400);
      const scope = await start({ platform: 'hubspot', scopes: ['crm.everything'] });
      expect(scope.statusCode).toBe(400);
      expect(scope.json().error.message).toMatch(/Unknown HubSpot scope\(s\): crm.everything/);
      // A CRM the registry describes but cannot sync yet (none once every CRM is built).
      const notYet = platformIds.find((id) => !platforms[id].available);
      if (notYet) expect((await start({ platform: notYet })).statusCode).toBe(422);
      const returnTo = await start({ platform: 'hubspot', returnTo: 'https://evil.example/' });
      expect(returnTo.statusCode).toBe(400);
    });

    it('builds the authorize URL with the exact redirect URI, a random state and PKCE', async () => {
      const url = await authorize();
      const other = await authorize();
      expect(url.origin).toBe(sandbox.urls.hubspot);
      expect(url.pathname).toBe('/oauth/authorize');
      expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
      expect(url.searchParams.get('scope')).toBe('oauth crm.objects.contacts.read crm.objects.companies.read crm.objects.deals.read');
      // Write scopes are not asked for until two-way sync exists (issue 11 #6).
      expect(url.searchParams.get('optional_scope')).toBeNull();
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      expect(url.searchParams.get('state')).toMatch(/^[\w-]{40,}$/);
      expect(url.searchParams.get('state')).not.toBe(other.searchParams.get('state'));
    });
  });

  describe('GET /crm/oauth/callback', () => {
    it('creates the integration with encrypted tokens, account id, scopes and expiry on Allow', async () => {
      const before = Date.now();
      const { id } = await connect();
      const integration = (await app.inject({ url: `/api/integrations/${id}`, headers: auth })).json();
      expect(integration).toMatchObject({ platform: 'hubspot', status: 'connected', externalAccountId: expect.stringMatching(/^\d+$/) });
      expect(integration.grantedScopes).toEqual(expect.arrayContaining(['oauth', 'crm.objects.contacts.read', 'crm.objects.deals.read']));
      const expiresIn = Date.parse(integration.tokenExpiresAt) - before;
      expect(expiresIn).toBeGreaterThan(29 * 60_000);
      expect(expiresIn).toBeLessThan(31 * 60_000);
      const raw = await asSystem(ctx.db.pool, (tx) => tx.query('SELECT access_token, refresh_token FROM crm_integrations WHERE id = $1', [id]));
      expect(raw.rows[0].access_token).toMatch(/^enc:v2:/);
      const credentials = await asUser(ctx, userId, (tx) => integrationsRepository(tx, ctx.keys).readCredentials(id));
      expect(raw.rows[0].access_token).not.toContain(credentials!.accessToken!);
      expect(events).toContainEqual({ type: 'integration.connected', integrationId: id });
    });

    it('connecting the same account again updates the integration instead of adding one', async () => {
      const count = (await listIntegrations()).length;
      await connect();
      expect(await listIntegrations()).toHaveLength(count);
    });

    it('says the user declined and creates nothing on Deny', async () => {
      const count = (await listIntegrations()).length;
      const redirect = await answerConsent((await authorize()).toString(), 'deny');
      expect(redirect.searchParams.get('error')).toBe('access_denied');
      const page = await callback(redirect);
      expect(page.statusCode).toBe(400);
      expect(page.body).toContain('You declined access in HubSpot, so nothing was connected.');
      expect(page.body).toContain('"reason":"denied"');
      expect(await listIntegrations()).toHaveLength(count);
    });

    it('refuses a replayed state', async () => {
      const redirect = await answerConsent((await authorize()).toString(), 'allow');
      expect((await callback(redirect)).statusCode).toBe(200);
      const again = await callback(redirect);
      expect(again.statusCode).toBe(400);
      expect(again.body).toContain('This sign-in link was already used.');
    });

    it('refuses a forged state and a missing one', async () => {
      const forged = await callback(new URL(`${REDIRECT_URI}?code=abc&state=forged-state-value`));
      expect(forged.body).toContain('was not issued by Pulse');
      const missing = await callback(new URL(`${REDIRECT_URI}?code=abc`));
      expect(missing.body).toContain('opened without the information it needs');
    });

    it('refuses a state older than 10 minutes', async () => {
      const redirect = await answerConsent((await authorize()).toString(), 'allow');
      await asSystem(ctx.db.pool, (tx) => tx.query(`UPDATE oauth_states SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`));
      const page = await callback(redirect);
      expect(page.statusCode).toBe(400);
      expect(page.body).toContain('This sign-in link expired (they last 10 minutes).');
    });

    it('reports a wrong code and creates nothing', async () => {
      const count = (await listIntegrations()).length;
      const redirect = await answerConsent((await authorize()).toString(), 'allow');
      redirect.searchParams.set('code', 'not-a-real-code');
      const page = await callback(redirect);
      expect(page.statusCode).toBe(400);
      expect(page.body).toMatch(/HubSpot rejected the authorization code/);
      expect(await listIntegrations()).toHaveLength(count);
    });

    it('refuses to reconnect an integration with another HubSpot account, changing nothing', async () => {
      const { id } = await connect();
      const other = await admin(sandbox, 'POST', '/_sandbox/accounts', { name: 'Another Portal', records: 0 });
      const snapshot = async () => ({
        integration: (await app.inject({ url: `/api/integrations/${id}`, headers: auth })).json(),
        credentials: await asUser(ctx, userId, (tx) => integrationsRepository(tx, ctx.keys).readCredentials(id)),
        integrations: (await listIntegrations()).map((i) => [i.id, i.externalAccountId]).sort(),
      });
      const before = await snapshot();
      expect(before.integration.externalAccountId).not.toBe(String(other.id));
      const connectedEvents = events.filter((e) => e.type === 'integration.connected').length;

      const started = await start({ platform: 'hubspot', integrationId: id });
      expect(started.statusCode, started.body).toBe(200);
      const begun = await beginInPopup(app, browser, PUBLIC_URL, started.json().ticket);
      expect(begun.statusCode, begun.body).toBe(200);
      const page = await callback(await answerConsent(begun.json().authorizeUrl, 'allow', other.id));
      expect(page.statusCode).toBe(400);
      expect(page.body).toContain('"reason":"wrong_account"');
      expect(page.body).toContain('You signed in to a different HubSpot account than the one this integration syncs.');

      expect(await snapshot()).toEqual(before);
      expect(events.filter((e) => e.type === 'integration.connected')).toHaveLength(connectedEvents);
    });

    it('reports a provider error at the token endpoint and creates nothing', async () => {
      const count = (await listIntegrations()).length;
      const redirect = await answerConsent((await authorize()).toString(), 'allow');
      await admin(sandbox, 'POST', '/_sandbox/faults', { kind: 503, next: 1, pathPrefix: '/oauth/v1/token' });
      const page = await callback(redirect);
      expect(page.statusCode).toBe(400);
      expect(page.body).toMatch(/HubSpot reported an error/);
      expect(await listIntegrations()).toHaveLength(count);
    });
  });
});

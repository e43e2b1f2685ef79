import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationsRepository } from '../../src/db/integrations-repository.js';
import { buildApp } from '../../src/server/app.js';
import { userIdFor } from '../../src/server/auth.js';
import { answerConsentForm } from '../conformance/harness.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { engine } from '../helpers/database.js';
import { beginInPopup, callbackIn, testBrowser } from '../helpers/oauth-browser.js';
import { startTestSandbox } from '../helpers/sandbox.js';
import { asUser, TEST_JWT_SECRET, tokenFor } from '../helpers/users.js';

/**
 * The start request's login host for a CRM with several (Salesforce): refused with a 400 naming the
 * field when it is not one of the CRM's own hosts; otherwise carried through begin and callback
 * onto the connection, and used again when the integration is reconnected.
 */
const PUBLIC_URL = 'http://127.0.0.1:3997';
const browser = testBrowser();

describe(`choosing where to sign in to Salesforce, on ${engine}`, () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let ctx: TestContext;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let auth: { authorization: string };
  const userId = userIdFor('lena');

  beforeAll(async () => {
    sandbox = await startTestSandbox(`${PUBLIC_URL}/crm/oauth/callback`, { providers: ['salesforce', 'hubspot'] });
    ctx = await createTestContext({ PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET, PUBLIC_URL }, sandbox.wiring);
    app = await buildApp(ctx, { serveWeb: false });
    auth = { authorization: `Bearer ${await tokenFor('lena')}` };
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
    await sandbox?.close();
  });

  const start = (body: object) => app.inject({ method: 'POST', url: '/api/integrations/oauth/start', headers: auth, payload: body });

  async function authorizeUrl(body: object): Promise<URL> {
    const started = await start(body);
    expect(started.statusCode, started.body).toBe(200);
    const begun = await beginInPopup(app, browser, PUBLIC_URL, started.json().ticket);
    expect(begun.statusCode, begun.body).toBe(200);
    return new URL(begun.json().authorizeUrl);
  }

  it.each([
    ['https://evil.com', /points at https:\/\/evil\.com, which is not one of this CRM's hosts/],
    ['http://x.my.salesforce.com', /points at http:\/\/x\.my\.salesforce\.com/],
    ['https://x.my.salesforce.com/services/oauth2/authorize', /must be the address alone/],
  ])('answers 400 naming loginHost.url for My Domain %s, and starts nothing', async (url, problem) => {
    const response = await start({ platform: 'salesforce', loginHost: { option: 'my_domain', url } });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error).toMatchObject({ code: 'validation_failed', details: [{ where: 'body.loginHost.url', problem: expect.stringMatching(problem) }] });
    expect(error.message).toMatch(/^loginHost\.url /);
    expect(error.message).toMatch(/https:\/\/yourcompany\.my\.salesforce\.com/);
  });

  it('answers 400 for an unknown option, a login host for a CRM with one, and a malformed choice', async () => {
    const unknown = await start({ platform: 'salesforce', loginHost: { option: 'staging' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ code: 'validation_failed', message: 'loginHost.option must be one of production, sandbox, my_domain.', details: [{ where: 'body.loginHost.option' }] });
    const hubspot = await start({ platform: 'hubspot', loginHost: { option: 'production' } });
    expect(hubspot.statusCode).toBe(400);
    expect(hubspot.json().error.details).toEqual([{ where: 'body.loginHost', problem: 'HubSpot has one sign-in address; leave loginHost out' }]);
    const malformed = await start({ platform: 'salesforce', loginHost: { option: 'sandbox', host: 'x' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('validation_failed');
  });

  it('lists the choices on the platform (only for the CRM that has them)', async () => {
    const { platforms } = (await app.inject({ url: '/api/platforms', headers: auth })).json();
    const byId = Object.fromEntries(platforms.map((p: { id: string; loginHosts: unknown }) => [p.id, p.loginHosts]));
    expect(byId.salesforce).toEqual({
      options: [{ id: 'production', label: 'Production', host: 'login.salesforce.com' }, { id: 'sandbox', label: 'Sandbox', host: 'test.salesforce.com' }],
      custom: { id: 'my_domain', label: 'My Domain', placeholder: 'https://yourcompany.my.salesforce.com' },
    });
    expect(byId.hubspot).toBeNull();
  });

  it('carries "Sandbox" to the consent page and onto the connection; a reconnect signs in there again', async () => {
    const url = await authorizeUrl({ platform: 'salesforce', loginHost: { option: 'sandbox' } });
    // The emulator stands for every login host: its origin, told which one it plays.
    expect(url.origin).toBe(sandbox.urls.salesforce);
    expect(url.pathname).toBe('/services/oauth2/authorize');
    expect(url.searchParams.get('sandbox_login_host')).toBe('https://test.salesforce.com');
    expect(await (await fetch(url)).text()).toContain('Signing in at <strong>test.salesforce.com</strong>');

    const outcome = await callbackIn(app, browser, await answerConsentForm(url.toString()));
    expect(outcome.statusCode, outcome.body).toBe(200);
    const id = /"integrationId":"([0-9a-f-]{36})"/.exec(outcome.body)![1]!;
    const integration = await asUser(ctx, userId, async (tx) => (await integrationsRepository(tx, ctx.keys).find(id))!);
    expect(integration.connectionConfig).toMatchObject({ instance_url: sandbox.urls.salesforce, login_host: 'https://test.salesforce.com' });

    const again = await authorizeUrl({ platform: 'salesforce', integrationId: id });
    expect(again.searchParams.get('sandbox_login_host')).toBe('https://test.salesforce.com');
    const chosenAgain = await authorizeUrl({ platform: 'salesforce', integrationId: id, loginHost: { option: 'my_domain', url: 'acme.my.salesforce.com' } });
    expect(chosenAgain.searchParams.get('sandbox_login_host')).toBe('https://acme.my.salesforce.com');
  });

  it('sends no login host when none is chosen (the CRM\'s default)', async () => {
    const url = await authorizeUrl({ platform: 'salesforce' });
    expect(url.searchParams.has('sandbox_login_host')).toBe(false);
  });
});

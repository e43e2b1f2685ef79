/**
 * The connect flow is bound to the browser that started it (issue 10 #1), goes back only to paths on
 * an app origin it was started from (#6, issue 11 #1–2), and shows fixed words, never the provider's
 * (#14). Two users, two cookie jars, the sandbox HubSpot over real HTTP, the app through `inject`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSystem } from '../../src/db/tenant.js';
import { userIdFor } from '../../src/server/auth.js';
import { buildApp } from '../../src/server/app.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { engine } from '../helpers/database.js';
import { beginInPopup, callbackIn, testBrowser, type TestBrowser } from '../helpers/oauth-browser.js';
import { answerConsent, startTestSandbox } from '../helpers/sandbox.js';
import { TEST_JWT_SECRET, tokenFor } from '../helpers/users.js';

const PUBLIC_URL = 'http://127.0.0.1:3998';
const HOST_APP = 'https://host-app.example';

describe(`the connect flow's browser binding on ${engine}`, () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let ctx: TestContext;
  let app: Awaited<ReturnType<typeof buildApp>>;
  const bearer: Record<string, string> = {};

  beforeAll(async () => {
    sandbox = await startTestSandbox(`${PUBLIC_URL}/crm/oauth/callback`);
    ctx = await createTestContext({ PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET, PUBLIC_URL, PULSE_APP_ORIGINS: HOST_APP }, sandbox.wiring);
    app = await buildApp(ctx, { serveWeb: false });
    for (const who of ['ann', 'bob']) bearer[who] = `Bearer ${await tokenFor(who)}`;
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
    await sandbox?.close();
  });

  const start = (who: string, body: object = {}, headers: Record<string, string> = {}) => app.inject({
    method: 'POST', url: '/api/integrations/oauth/start', headers: { authorization: bearer[who]!, ...headers }, payload: { platform: 'hubspot', ...body },
  });
  const integrationsOf = async (who: string) =>
    (await app.inject({ url: '/api/integrations', headers: { authorization: bearer[who]! } })).json().integrations as { id: string }[];
  const ticketOf = async (who: string, body: object = {}) => {
    const response = await start(who, body);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { beginUrl: string; ticket: string };
  };
  async function consentUrl(browser: TestBrowser, ticket: string, opener = PUBLIC_URL): Promise<URL> {
    const begun = await beginInPopup(app, browser, PUBLIC_URL, ticket, opener);
    expect(begun.statusCode, begun.body).toBe(200);
    return new URL(begun.json().authorizeUrl);
  }

  describe('binding the callback to the browser that began the flow', () => {
    it('hands out a ticket for Pulse\'s own begin page, never a consent link anyone could open', async () => {
      const response = await start('bob');
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toEqual({ beginUrl: `${PUBLIC_URL}/crm/oauth/begin`, ticket: expect.stringMatching(/^[\w-]{40,}$/), expiresAt: expect.any(String) });
      expect(JSON.stringify(body)).not.toContain(sandbox.urls.hubspot);
    });

    it('sets a short-lived HttpOnly SameSite=Lax cookie scoped to the callback when the browser begins', async () => {
      const { ticket } = await ticketOf('bob');
      const begun = await beginInPopup(app, testBrowser(), PUBLIC_URL, ticket);
      const cookie = String(begun.headers['set-cookie']);
      expect(cookie).toMatch(/^pulse_oauth_[0-9a-f]{16}=[\w-]{40,}; Path=\/crm\/oauth\/callback; Max-Age=(\d+); HttpOnly; SameSite=Lax$/);
      expect(Number(/Max-Age=(\d+)/.exec(cookie)![1])).toBeLessThanOrEqual(600);
      // Only the nonce's hash is stored.
      const nonce = /=([\w-]+);/.exec(cookie)![1]!;
      const stored = await asSystem(ctx.db.pool, (tx) => tx.query('SELECT browser_hash FROM oauth_states WHERE browser_hash IS NOT NULL'));
      expect(JSON.stringify(stored.rows)).not.toContain(nonce);
    });

    it('creates nothing when Bob\'s consent link is completed in Ann\'s browser, and the link dies', async () => {
      const bobsBrowser = testBrowser();
      const annsBrowser = testBrowser();
      const before = { ann: (await integrationsOf('ann')).length, bob: (await integrationsOf('bob')).length };
      const link = await consentUrl(bobsBrowser, (await ticketOf('bob')).ticket);
      // Bob sends the consent link to Ann; Ann signs in to her own CRM and presses Allow.
      const redirect = await answerConsent(link.toString(), 'allow');
      const page = await callbackIn(app, annsBrowser, redirect);
      expect(page.statusCode).toBe(400);
      expect(page.body).toContain('This sign-in was started in another browser, so nothing was connected.');
      expect(page.body).not.toContain('<script');
      expect(page.body).not.toContain('Back to Pulse');
      expect(await integrationsOf('bob')).toHaveLength(before.bob);
      expect(await integrationsOf('ann')).toHaveLength(before.ann);
      // Used up by its first callback: not even Bob's own browser can finish it now.
      expect((await callbackIn(app, bobsBrowser, redirect)).body).toContain('This sign-in link was already used.');
      expect(await integrationsOf('bob')).toHaveLength(before.bob);
    });

    it('creates nothing when the callback carries another flow\'s cookie', async () => {
      const browser = testBrowser();
      await consentUrl(browser, (await ticketOf('bob')).ticket);
      const link = await consentUrl(testBrowser(), (await ticketOf('bob')).ticket);
      const count = (await integrationsOf('bob')).length;
      const page = await callbackIn(app, browser, await answerConsent(link.toString(), 'allow'));
      expect(page.body).toContain('started in another browser');
      expect(await integrationsOf('bob')).toHaveLength(count);
    });

    it('begins a ticket once, and only from the origin that started it', async () => {
      const { ticket } = await ticketOf('bob');
      // A page on another site opened the begin window and handed it Bob's ticket (in Ann's browser).
      expect((await beginInPopup(app, testBrowser(), PUBLIC_URL, ticket, 'https://evil.example')).statusCode).toBe(403);
      // The begin page's own POST, forged from elsewhere (no Origin of ours), is refused too.
      const forged = await app.inject({ method: 'POST', url: '/crm/oauth/begin', headers: { origin: 'https://evil.example' }, payload: { ticket, origin: PUBLIC_URL } });
      expect(forged.statusCode).toBe(403);
      expect(forged.json().error.code).toBe('forbidden');
      // A form posted by that other site (full-page fallback's path) says why, on a page.
      const form = await app.inject({
        method: 'POST', url: '/crm/oauth/begin', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ticket }).toString(),
      });
      expect(form.statusCode).toBe(403);
      expect(form.body).toContain('opened from a site that did not start it');
      expect(form.headers['set-cookie']).toBeUndefined();
      // Still unbegun, so its own browser can begin it — once.
      expect((await beginInPopup(app, testBrowser(), PUBLIC_URL, ticket)).statusCode).toBe(200);
      expect((await beginInPopup(app, testBrowser(), PUBLIC_URL, ticket)).statusCode).toBe(403);
    });

    it('connects when the same browser comes back, also after a full-page begin from a host app\'s origin', async () => {
      const browser = testBrowser();
      const { ticket } = await ticketOf('bob', { appOrigin: HOST_APP, returnTo: '/host/settings?tab=crm' });
      const begun = await app.inject({
        method: 'POST', url: '/crm/oauth/begin', headers: { origin: HOST_APP, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ticket }).toString(),
      });
      expect(begun.statusCode).toBe(200);
      browser.keep(begun.headers['set-cookie']);
      const authorizeUrl = JSON.parse(/window\.location\.replace\(("[^"]+")\)/.exec(begun.body)![1]!);
      const back = await callbackIn(app, browser, await answerConsent(authorizeUrl, 'allow'));
      // Full page: straight back to the page that started it, with the result for the wizard.
      expect(back.statusCode).toBe(303);
      const location = new URL(back.headers.location as string);
      expect(`${location.origin}${location.pathname}`).toBe(`${HOST_APP}/host/settings`);
      expect(location.searchParams.get('tab')).toBe('crm');
      const id = location.searchParams.get('connected');
      expect((await integrationsOf('bob')).map((i) => i.id)).toContain(id);
      expect(browser.cookies.size).toBe(0);
    });
  });

  describe('where the result goes', () => {
    it('posts the popup\'s result to the origin that started the flow, even when it is another host name for this server', async () => {
      const alias = 'http://localhost:3998';
      const browser = testBrowser();
      const { ticket } = await ticketOf('ann', { appOrigin: alias });
      const page = await callbackIn(app, browser, await answerConsent((await consentUrl(browser, ticket, alias)).toString(), 'allow'));
      expect(page.statusCode).toBe(200);
      expect(page.body).toMatch(/window\.opener\.postMessage\(\{"source":"pulse-crm","type":"oauth-result","ok":true,"integrationId":"[0-9a-f-]{36}".*\}, "http:\/\/localhost:3998"\)/);
    });

    it('takes the app origin from the Origin header, and refuses origins that are not the app\'s', async () => {
      expect((await start('ann', {}, { origin: 'http://localhost:3998' })).statusCode).toBe(200);
      const header = await start('ann', {}, { origin: 'https://evil.example' });
      expect(header.statusCode).toBe(400);
      expect(header.json().error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('PULSE_APP_ORIGINS') });
      const field = await start('ann', { appOrigin: 'https://evil.example' });
      expect(field.statusCode).toBe(400);
      expect(field.json().error).toMatchObject({ code: 'validation_failed', details: [{ where: 'body.appOrigin', problem: expect.stringContaining('appOrigin must be one of') }] });
    });

    it.each([
      '/\\evil.com', '//evil.com', '/%5Cevil.com', '/%5cevil.com', '/%2F%2Fevil.com', '/%2f/evil.com', '\\\\evil.com', 'https://evil.com/',
      'evil.com', '/\tevil.com', '/ok\u0000', '/%00', '/\u2028', 'javascript:alert(1)', '/x/../\\evil.com',
    ])('refuses returnTo %j with a validation error naming the field', async (returnTo) => {
      const response = await start('ann', { returnTo });
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'validation_failed', details: [{ where: 'body.returnTo', problem: expect.stringContaining('returnTo must be a path on this site') }] });
    });

    it('keeps same-site paths, normalised', async () => {
      for (const returnTo of ['/settings', '/settings?tab=crm#wizard', '/a/../settings', '/caf%C3%A9']) {
        expect((await start('ann', { returnTo })).statusCode, returnTo).toBe(200);
      }
      const stored = await asSystem(ctx.db.pool, (tx) => tx.query<{ return_to: string }>(`SELECT return_to FROM oauth_states WHERE return_to IS NOT NULL ORDER BY created_at DESC LIMIT 2`));
      expect(stored.rows.map((row) => row.return_to).sort()).toEqual(['/caf%C3%A9', '/settings']);
    });
  });

  describe('the callback page', () => {
    it('shows a fixed message per error code, never the provider\'s words', async () => {
      const browser = testBrowser();
      const link = await consentUrl(browser, (await ticketOf('ann')).ticket);
      const back = new URL(`${PUBLIC_URL}/crm/oauth/callback`);
      back.searchParams.set('state', link.searchParams.get('state')!);
      back.searchParams.set('error', 'server_error');
      back.searchParams.set('error_description', 'Call +1-555-0100 now to verify your account');
      const page = await callbackIn(app, browser, back);
      expect(page.statusCode).toBe(400);
      expect(page.body).toContain('HubSpot reported an error. Nothing was connected; try again in a minute.');
      expect(page.body).not.toContain('555');
      expect(page.body).not.toContain('verify your account');
    });

    it('does not repeat the token endpoint\'s message for a rejected code', async () => {
      const browser = testBrowser();
      const redirect = await answerConsent((await consentUrl(browser, (await ticketOf('ann')).ticket)).toString(), 'allow');
      redirect.searchParams.set('code', 'not-a-real-code');
      const page = await callbackIn(app, browser, redirect);
      expect(page.body).toContain('HubSpot rejected the authorization code. Nothing was connected; start again.');
      expect(page.body).not.toMatch(/unknown auth code|BAD_AUTH_CODE/);
    });

    it('carries its own Content-Security-Policy: its one script runs by nonce, nothing may frame it', async () => {
      const browser = testBrowser();
      const page = await callbackIn(app, browser, await answerConsent((await consentUrl(browser, (await ticketOf('ann')).ticket)).toString(), 'deny'));
      const csp = page.headers['content-security-policy'] as string;
      const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(page.body).toContain(`<script nonce="${nonce}">`);
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['cross-origin-opener-policy']).toBe('unsafe-none');
      const again = await callbackIn(app, testBrowser(), new URL(`${PUBLIC_URL}/crm/oauth/callback?state=x`));
      expect(again.headers['content-security-policy']).not.toContain(nonce);
    });
  });
});

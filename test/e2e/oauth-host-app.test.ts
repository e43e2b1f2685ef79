/**
 * Issue 10 #1 in Chromium: a host app on another origin connects through Pulse (popup and full page),
 * and a consent link that Bob started, completed in Ann's browser, connects nothing. Each person has
 * their own browser context (their own cookies); users are the host app's JWTs.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostApp, type HostApp } from '../fixtures/host-app.js';
import { launchBrowser, screenshot, startApp, viewports, type RunningApp } from '../helpers/browser.js';
import { TEST_JWT_SECRET, tokenFor } from '../helpers/users.js';

let browser: Browser;
let app: RunningApp;
let host: HostApp;
let evil: HostApp;

beforeAll(async () => {
  browser = await launchBrowser();
  host = await startHostApp(() => app.baseUrl);
  // Same page, but on an origin Pulse was not told about.
  evil = await startHostApp(() => app.baseUrl, '127.0.0.1');
  app = await startApp({ PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET, PULSE_APP_ORIGINS: host.origin });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await host?.close();
  await evil?.close();
  await browser?.close();
});

const integrationsOf = async (user: string) => {
  const response = await fetch(`${app.baseUrl}/api/integrations`, { headers: { authorization: `Bearer ${await tokenFor(user)}` } });
  return (await response.json()).integrations as { id: string }[];
};

async function personsBrowser(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: viewports.desktop });
  return { context, page: await context.newPage() };
}

/** Presses the host page's popup button and waits for the CRM's consent page in the popup. */
async function openConsentPopup(page: Page): Promise<Page> {
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Connect HubSpot', exact: true }).click();
  const popup = await popupOpened;
  await popup.getByRole('button', { name: 'Allow' }).waitFor();
  return popup;
}

describe('connecting from a host app on another origin', { timeout: 120_000 }, () => {
  it('connects in a popup: the result comes back to the host page', async () => {
    const { context, page } = await personsBrowser();
    try {
      await page.goto(`${host.origin}/?user=carol`);
      const popup = await openConsentPopup(page);
      const closed = popup.waitForEvent('close');
      await popup.getByRole('button', { name: 'Allow' }).click();
      await closed;
      await page.getByRole('status').filter({ hasText: /^Connected [0-9a-f-]{36}$/ }).waitFor();
      const id = (await page.getByRole('status').textContent())!.replace('Connected ', '');
      expect((await integrationsOf('carol')).map((i) => i.id)).toEqual([id]);
    } finally {
      await context.close();
    }
  });

  it('connects in the same tab when popups are blocked, coming straight back to the host page', async () => {
    const { context, page } = await personsBrowser();
    try {
      await page.goto(`${host.origin}/?user=dave`);
      await page.getByRole('button', { name: 'Connect HubSpot in this page' }).click();
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL((url) => url.origin === host.origin && url.searchParams.has('connected'));
      expect(new URL(page.url()).searchParams.get('user')).toBe('dave');
      const id = new URL(page.url()).searchParams.get('connected');
      expect((await integrationsOf('dave')).map((i) => i.id)).toEqual([id]);
    } finally {
      await context.close();
    }
  });
});

describe('a consent link started by Bob and completed in Ann\'s browser', { timeout: 120_000 }, () => {
  it('connects nothing, and says so on a page', async () => {
    const bob = await personsBrowser();
    const ann = await personsBrowser();
    try {
      await bob.page.goto(`${host.origin}/?user=bob`);
      const bobsPopup = await openConsentPopup(bob.page);
      const link = bobsPopup.url();
      expect(new URL(link).origin).toBe(app.sandboxUrl);
      // Bob sends Ann the link; she signs in to her own CRM account and allows.
      await ann.page.goto(link);
      await ann.page.getByRole('button', { name: 'Allow' }).click();
      await ann.page.getByRole('heading', { name: 'Not connected' }).waitFor();
      await ann.page.getByText('This sign-in was started in another browser, so nothing was connected.').waitFor();
      await screenshot(ann.page, 'oauth-binding-1280-other-browser');
      await ann.page.setViewportSize(viewports.mobile);
      await screenshot(ann.page, 'oauth-binding-375-other-browser');
      expect(await integrationsOf('bob')).toEqual([]);
      expect(await integrationsOf('ann')).toEqual([]);
      // Bob's own popup cannot finish it either: the link was used up.
      await bobsPopup.getByRole('button', { name: 'Allow' }).click();
      await bobsPopup.getByText('This sign-in link was already used.').waitFor();
      expect(await integrationsOf('bob')).toEqual([]);
    } finally {
      await bob.context.close();
      await ann.context.close();
    }
  });

  it('cannot be begun by a page on a site that did not start it', async () => {
    const ann = await personsBrowser();
    try {
      // Bob's ticket, handed out to his host-app session; the page Ann visits is on another origin.
      const started = await fetch(`${app.baseUrl}/api/integrations/oauth/start`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await tokenFor('bob')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ platform: 'hubspot', appOrigin: host.origin }),
      });
      const flow = await started.json();
      await ann.page.goto(evil.origin);
      const popupOpened = ann.page.waitForEvent('popup');
      await ann.page.evaluate(({ beginUrl, ticket }) => {
        const popup = window.open(beginUrl, 'begin', 'popup')!;
        window.addEventListener('message', (event) => {
          if (event.data?.type === 'oauth-begin-ready') popup.postMessage({ source: 'pulse-crm', type: 'oauth-begin', ticket }, event.origin);
        });
      }, flow);
      const popup = await popupOpened;
      await popup.getByText('opened from a site that did not start it').waitFor();
      // The same ticket, posted as a form from that site (the full-page path), is refused too.
      await ann.page.evaluate(({ beginUrl, ticket }) => {
        const form = Object.assign(document.createElement('form'), { method: 'post', action: beginUrl });
        form.append(Object.assign(document.createElement('input'), { type: 'hidden', name: 'ticket', value: ticket }));
        document.body.append(form);
        form.submit();
      }, flow);
      await ann.page.getByText('opened from a site that did not start it').waitFor();
      expect(await integrationsOf('bob')).toEqual([]);
    } finally {
      await ann.context.close();
    }
  });
});

/**
 * Issue 11 #1–3 in Chromium: the wizard's result does not depend on the host name typed (the server's
 * PUBLIC_URL is http://127.0.0.1:<port>; people also type localhost), the popup-blocked flow comes
 * straight back to the wizard, and a used result does not come back when the wizard is opened again.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allowInPopup, launchBrowser, sandboxAdmin, screenshot, startApp, viewports, type RunningApp } from '../helpers/browser.js';

let browser: Browser;
let app: RunningApp;
let page: Page | undefined;
beforeAll(async () => {
  browser = await launchBrowser();
  app = await startApp();
}, 120_000);
afterAll(async () => {
  await app?.close();
  await browser?.close();
});
afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && page) await screenshot(page, `FAILED-oauth-return-${context.task.name.slice(0, 30)}`).catch(() => {});
  await page?.close();
  page = undefined;
});

const origins = () => ({ '127.0.0.1': app.baseUrl, localhost: app.baseUrl.replace('127.0.0.1', 'localhost') });

async function openPage(options: { popupsBlocked?: boolean } = {}): Promise<Page> {
  page = await browser.newPage({ viewport: viewports.desktop });
  if (options.popupsBlocked) await page.addInitScript(() => Object.assign(window, { open: () => null }));
  return page;
}

/** Settings → Connect CRM → HubSpot, at `origin`. */
async function wizardAtAuthorize(page: Page, origin: string) {
  await page.goto(`${origin}/settings`);
  await page.getByRole('button', { name: 'Connect CRM' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Connect a CRM' });
  await dialog.getByRole('button', { name: 'Connect HubSpot' }).click();
  await dialog.getByRole('heading', { name: 'Authorize HubSpot' }).waitFor();
  return dialog;
}

async function atBothWidths(page: Page, name: string) {
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize(viewports.mobile);
  await screenshot(page, `${name}-375`);
  await page.setViewportSize(viewports.desktop);
}

it('prints one URL to open at start, the one OAuth redirects are built on', () => {
  expect(app.cli.output().match(/^Pulse CRM is ready\. Open (\S+)$/gm)).toEqual([`Pulse CRM is ready. Open ${app.baseUrl}`]);
});

describe('a full-page result, once used', { timeout: 120_000 }, () => {
  // Lands on the page as the callback sends it back (`?connected=` / `?oauth_error=`), so the check
  // holds whatever way the browser got there.
  it('does not reopen the old integration\'s test step or the old error with the next Connect CRM', async () => {
    const page = await openPage();
    const integrations = await (await fetch(`${app.baseUrl}/api/integrations`)).json();
    let id = integrations.integrations[0]?.id as string | undefined;
    if (!id) {
      const dialog = await wizardAtAuthorize(page, app.baseUrl);
      const popupOpened = page.waitForEvent('popup');
      await dialog.getByRole('button', { name: 'Connect HubSpot' }).click();
      const popup = await popupOpened;
      await popup.getByRole('button', { name: 'Allow' }).click();
      await dialog.getByText('All set: Pulse can sync HubSpot.').waitFor();
      id = (await (await fetch(`${app.baseUrl}/api/integrations`)).json()).integrations[0].id as string;
    }
    const dialog = page.getByRole('dialog', { name: 'Connect a CRM' });
    for (const query of [`connected=${id}`, 'oauth_error=denied']) {
      await page.goto(`${app.baseUrl}/settings?${query}`);
      await dialog.getByText(query.startsWith('connected') ? 'All set: Pulse can sync HubSpot.' : 'You declined access').waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: 'Connect CRM' }).first().click();
      await dialog.getByRole('heading', { name: 'Which CRM do you use?' }).waitFor();
      expect(await dialog.getByRole('alert').count(), query).toBe(0);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
    }
  });
});

for (const hostName of ['localhost', '127.0.0.1'] as const) {
  describe(`the wizard opened at http://${hostName}`, { timeout: 120_000 }, () => {
    it('shows the connection it made in the popup (not "nothing was connected")', async () => {
      const page = await openPage();
      const dialog = await wizardAtAuthorize(page, origins()[hostName]);
      const popupOpened = page.waitForEvent('popup');
      await dialog.getByRole('button', { name: 'Connect HubSpot' }).click();
      const popup = await popupOpened;
      const closed = popup.waitForEvent('close');
      await popup.getByRole('button', { name: 'Allow' }).click();
      await closed;
      await dialog.getByRole('heading', { name: 'Testing the connection to HubSpot' }).waitFor();
      await dialog.getByText('All set: Pulse can sync HubSpot.').waitFor();
      expect(await dialog.getByText('Nothing was connected').count()).toBe(0);
      if (hostName === 'localhost') await atBothWidths(page, 'oauth-return-localhost-popup-connected');
    });

    it('comes straight back to the wizard when popups are blocked, and starts fresh when opened again', async () => {
      const page = await openPage({ popupsBlocked: true });
      const origin = origins()[hostName];
      const dialog = await wizardAtAuthorize(page, origin);
      await dialog.getByRole('button', { name: 'Connect HubSpot' }).click();
      await page.getByRole('button', { name: 'Allow' }).click();
      // No stop on a "you can close this window" page: back where the flow started, wizard resumed.
      await page.waitForURL(`${origin}/settings`);
      await page.getByRole('dialog', { name: 'Connect a CRM' }).getByText('All set: Pulse can sync HubSpot.').waitFor();
      expect(new URL(page.url()).search).toBe('');
      if (hostName === 'localhost') await atBothWidths(page, 'oauth-return-localhost-page-resumed');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: 'Connect CRM' }).first().click();
      await dialog.getByRole('heading', { name: 'HubSpot' }).waitFor();
      expect(await dialog.getByText('All set: Pulse can sync HubSpot.').count()).toBe(0);
      expect(await dialog.getByRole('heading', { name: 'Testing the connection to HubSpot' }).count()).toBe(0);
      if (hostName === 'localhost') await atBothWidths(page, 'oauth-return-localhost-page-reopened');
    });

    it('leaves a connection whose test failed visibly "Needs attention" after the wizard closes (issue 11 #4)', async () => {
      // The callback's own account lookup goes through; the connection test's lookups meet a HubSpot outage.
      await sandboxAdmin(app, '/_sandbox/faults', { kind: 503, skip: 1, next: 50, pathPrefix: '/account-info/v3/details' });
      try {
        const page = await openPage();
        const dialog = await wizardAtAuthorize(page, origins()[hostName]);
        const popupOpened = page.waitForEvent('popup');
        await dialog.getByRole('button', { name: 'Connect HubSpot' }).click();
        await allowInPopup(await popupOpened);
        await dialog.getByText('Try again later.').waitFor({ timeout: 60_000 });
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden' });
        const row = page.getByRole('list', { name: 'Connected CRMs' }).getByRole('listitem').first();
        await row.getByText('Needs attention', { exact: true }).waitFor();
      } finally {
        await sandboxAdmin(app, '/_sandbox/faults', {}, 'DELETE');
      }
    });

    it('shows a declined full-page flow once, then starts fresh', async () => {
      const page = await openPage({ popupsBlocked: true });
      const origin = origins()[hostName];
      const dialog = await wizardAtAuthorize(page, origin);
      await dialog.getByRole('button', { name: 'Connect HubSpot' }).click();
      await page.getByRole('button', { name: 'Deny' }).click();
      await page.waitForURL(`${origin}/settings`);
      await dialog.getByRole('alert').filter({ hasText: 'declined access' }).waitFor();
      if (hostName === 'localhost') await atBothWidths(page, 'oauth-return-localhost-page-declined');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: 'Connect CRM' }).first().click();
      await dialog.getByRole('heading', { name: 'HubSpot' }).waitFor();
      expect(await dialog.getByRole('alert').count()).toBe(0);
    });
  });
}

/**
 * Every CRM the registry marks available connects through the setup wizard in Chromium against its
 * own emulator (the consent page in a popup, the connection test, the first sync watched live) and
 * then reads "Up to date" on the dashboard with the CRM's records on the data page. The test names no
 * CRM: a CRM joins by flipping `available`.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformIds, platforms } from '../../src/crm/platforms.js';
import { launchBrowser, screenshot, startApp, viewports, type RunningApp } from '../helpers/browser.js';

const available = platformIds.filter((id) => platforms[id].available);

let browser: Browser;
let app: RunningApp;
let connected = 0;
beforeAll(async () => {
  browser = await launchBrowser();
  app = await startApp();
}, 120_000);
afterAll(async () => {
  await app?.close();
  await browser?.close();
});

describe.each(available)('%s through the setup wizard', { timeout: 180_000 }, (id) => {
  const name = platforms[id].name;

  it('connects in a popup, passes the connection test and shows the first sync through to "Up to date"', async () => {
    const context = await browser.newContext({ viewport: viewports.desktop });
    const page = await context.newPage();
    try {
      await page.goto(`${app.baseUrl}/settings`);
      await page.getByRole('button', { name: 'Connect CRM' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Connect a CRM' });
      await dialog.getByRole('button', { name: `Connect ${name}` }).click();
      await dialog.getByRole('heading', { name: `Authorize ${name}` }).waitFor();
      const popupOpened = page.waitForEvent('popup');
      await dialog.getByRole('button', { name: `Connect ${name}` }).click();
      const popup = await popupOpened;
      // Each emulator's own consent page; its first account (and, where asked, data centre) is the default.
      // The consent convention every emulator keeps (test/conformance/harness.ts): the button with value "allow".
      const allow = popup.locator('form button[value="allow"]');
      await allow.waitFor();
      await screenshot(popup, `every-crm-${id}-1280-consent`);
      const closed = popup.waitForEvent('close');
      await allow.click();
      await closed;
      await dialog.getByText(`All set: Pulse can sync ${name}.`).waitFor({ timeout: 60_000 });
      await screenshot(page, `every-crm-${id}-1280-test-passed`);
      await dialog.getByRole('button', { name: 'Continue' }).click();
      await dialog.getByRole('heading', { name: 'Your CRM is connected' }).waitFor();
      await dialog.getByRole('button', { name: 'Done' }).click();
      await page.goto(`${app.baseUrl}/`);
      // One card per CRM connected so far (they connect in turn), each through its first sync.
      connected++;
      await expect.poll(() => page.getByText('Up to date').count(), { timeout: 90_000 }).toBe(connected);
      await screenshot(page, `every-crm-${id}-1280-dashboard`);
    } finally {
      await context.close();
    }
  });
});

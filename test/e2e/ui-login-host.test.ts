/**
 * Where to sign in, on the "Authorize Salesforce" step: Production / Sandbox / My Domain as a radio
 * group with labels. Choosing Sandbox reaches the emulator's consent page (which says which login
 * host it plays) and connects; a My Domain address outside Salesforce's domains is refused next to
 * the field, at phone width too. A CRM with one sign-in host shows no such choice.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startApp, viewports, type RunningApp } from '../helpers/browser.js';

let browser: Browser;
let app: RunningApp;
beforeAll(async () => {
  browser = await launchBrowser();
  app = await startApp();
}, 120_000);
afterAll(async () => {
  await app?.close();
  await browser?.close();
});

async function openAuthorizeStep(viewport: { width: number; height: number }, name: string) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${app.baseUrl}/settings`);
  await page.getByRole('button', { name: 'Connect CRM' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Connect a CRM' });
  await dialog.getByRole('button', { name: `Connect ${name}` }).click();
  await dialog.getByRole('heading', { name: `Authorize ${name}` }).waitFor();
  return { context, page, dialog };
}

describe('choosing where to sign in to Salesforce', { timeout: 180_000 }, () => {
  it('offers Production, Sandbox and My Domain; "Sandbox" goes to the sandbox login host and connects', async () => {
    const { context, page, dialog } = await openAuthorizeStep(viewports.desktop, 'Salesforce');
    try {
      const group = dialog.getByRole('group', { name: 'Where do you sign in to Salesforce?' });
      await expect.poll(() => group.getByRole('radio').count()).toBe(3);
      expect(await group.getByRole('radio', { name: /Production/ }).isChecked()).toBe(true);
      await group.getByRole('radio', { name: /Sandbox/ }).check();
      // The address field belongs to My Domain only.
      expect(await dialog.getByLabel('My Domain address').count()).toBe(0);
      await screenshot(page, 'login-host-1280-sandbox-chosen');

      const popupOpened = page.waitForEvent('popup');
      await dialog.getByRole('button', { name: 'Connect Salesforce' }).click();
      const popup = await popupOpened;
      await popup.getByText('Signing in at test.salesforce.com').waitFor();
      await screenshot(popup, 'login-host-1280-consent');
      const closed = popup.waitForEvent('close');
      await popup.locator('form button[value="allow"]').click();
      await closed;
      await dialog.getByText('All set: Pulse can sync Salesforce.').waitFor({ timeout: 60_000 });
    } finally {
      await context.close();
    }
  });

  it('at 375 px: a My Domain address that is not Salesforce\'s is refused next to the field, and nothing opens', async () => {
    const { context, page, dialog } = await openAuthorizeStep(viewports.mobile, 'Salesforce');
    try {
      await dialog.getByRole('radio', { name: 'My Domain' }).check();
      const field = dialog.getByLabel('My Domain address');
      await field.fill('https://evil.com');
      let popups = 0;
      page.on('popup', () => popups++);
      await dialog.getByRole('button', { name: 'Connect Salesforce' }).click();
      await dialog.getByRole('alert').filter({ hasText: 'This address points at https://evil.com' }).waitFor();
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      // The popup opened inside the click closes again once the start is refused.
      await expect.poll(() => context.pages().length).toBe(1);
      expect(popups).toBeLessThanOrEqual(1);
      // Nothing in the dialog wider than the phone (the page behind it is another component's).
      const wider = await page.evaluate(() => [...document.querySelectorAll('dialog *, [role="dialog"] *')]
        .filter((element) => element.getBoundingClientRect().right > 375.5)
        .map((element) => `${element.tagName.toLowerCase()}.${element.className} ${Math.round(element.getBoundingClientRect().right)}`));
      expect(wider).toEqual([]);
      await screenshot(page, 'login-host-375-my-domain-refused');
    } finally {
      await context.close();
    }
  });

  it('shows no sign-in choice for a CRM with one sign-in host', async () => {
    const { context, dialog } = await openAuthorizeStep(viewports.desktop, 'HubSpot');
    try {
      expect(await dialog.getByRole('radio').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});

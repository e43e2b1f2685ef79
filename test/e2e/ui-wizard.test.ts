/**
 * A person who has never seen Pulse connects HubSpot (the sandbox) through the setup wizard in a real
 * browser, at desktop and phone widths; and the ways it can go wrong: Deny on the consent page, and a
 * connection test that fails until the CRM answers again.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, sandboxAdmin, screenshot, startApp, useAppPage, viewports, type RunningApp } from '../helpers/browser.js';
import { platformIds, platforms } from '../../src/crm/platforms.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Opens the wizard from Settings → CRM Integrations and picks HubSpot. */
async function openWizardAtAuthorize(page: Page, app: RunningApp, shot?: string) {
  await page.goto(`${app.baseUrl}/settings`);
  await page.getByRole('tab', { name: 'CRM Integrations', selected: true }).waitFor();
  if (shot) {
    await page.getByText('No CRM connected yet').waitFor();
    await screenshot(page, `${shot}-0-settings-empty`);
  }
  await page.getByRole('button', { name: 'Connect CRM' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Connect a CRM' });
  await dialog.getByRole('heading', { name: 'HubSpot' }).waitFor();
  await dialog.getByRole('heading', { name: 'Salesforce' }).waitFor();
  expect(await dialog.getByRole('button', { name: 'Not available yet' }).count()).toBe(platformIds.filter((id) => !platforms[id].available).length);
  if (shot) await screenshot(page, `${shot}-1-platforms`);
  await dialog.getByRole('button', { name: 'Connect HubSpot' }).click();
  await dialog.getByRole('heading', { name: 'Authorize HubSpot' }).waitFor();
  await dialog.getByText('Sandbox mode.').waitFor();
  return dialog;
}

/** Presses Connect and answers the consent popup. */
async function consent(page: Page, answer: 'Allow' | 'Deny', shot?: string) {
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('dialog').getByRole('button', { name: 'Connect HubSpot' }).click();
  const popup = await popupOpened;
  await popup.getByRole('button', { name: answer }).waitFor();
  if (shot) await screenshot(popup, shot);
  const closed = popup.waitForEvent('close');
  await popup.getByRole('button', { name: answer }).click();
  await closed;
}

describe('setup wizard when popups are blocked', { timeout: 120_000 }, () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('goes to the consent page in the same tab and resumes at the connection test on the way back', async () => {
    const page = await browser.newPage({ viewport: viewports.desktop });
    try {
      await page.addInitScript(() => Object.assign(window, { open: () => null }));
      const dialog = await openWizardAtAuthorize(page, app);
      await dialog.getByRole('button', { name: 'Connect HubSpot' }).click();
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.getByRole('dialog', { name: 'Connect a CRM' }).getByText('All set: Pulse can sync HubSpot.').waitFor();
      expect(new URL(page.url()).search).toBe('');
    } finally {
      await page.close();
    }
  });
});

for (const [size, viewport] of Object.entries(viewports)) {
  describe(`setup wizard at ${viewport.width} px`, { timeout: 120_000 }, () => {
    let app: RunningApp;
    let page: Page;
    useAppPage(() => browser, viewport, `wizard-${size}`, (started, opened) => {
      app = started;
      page = opened;
    });

    it('returns to the authorize step with the reason after Deny', async () => {
      const dialog = await openWizardAtAuthorize(page, app, `wizard-${size}`);
      await screenshot(page, `wizard-${size}-2-authorize`);
      await consent(page, 'Deny', `wizard-${size}-2b-consent`);
      await dialog.getByRole('alert').filter({ hasText: 'You chose Deny' }).waitFor();
      await dialog.getByRole('heading', { name: 'Authorize HubSpot' }).waitFor();
      await screenshot(page, `wizard-${size}-2c-denied`);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Connect CRM');
    });

    it('walks select → Allow → connection test → complete, and lists the integration', async () => {
      // Deals' first page waits 5 s, so the first sync's progress stays on screen long enough to read.
      await sandboxAdmin(app, '/_sandbox/faults', { kind: 'hang', hangMs: 5000, next: 1, method: 'GET', pathPrefix: '/crm/v3/objects/deals' });
      const dialog = await openWizardAtAuthorize(page, app);
      await consent(page, 'Allow');
      await dialog.getByRole('heading', { name: 'Testing the connection to HubSpot' }).waitFor();
      await dialog.getByText('All set: Pulse can sync HubSpot.').waitFor();
      expect(await dialog.getByRole('listitem').filter({ hasText: 'API reachable' }).textContent()).toContain('Passed');
      // The quota's figures once (in its bar), not again in a sentence beside it.
      expect((await dialog.getByRole('listitem').filter({ hasText: 'API quota' }).textContent())!.match(/\d+ (\/|of) \d+/g)).toHaveLength(1);
      await screenshot(page, `wizard-${size}-3-test-passed`);
      await dialog.getByRole('button', { name: 'Continue' }).click();
      await dialog.getByRole('button', { name: 'Use the defaults' }).click();
      await dialog.getByRole('heading', { name: 'Your CRM is connected' }).waitFor();
      await dialog.getByText('Read contacts').waitFor();
      await dialog.getByText(/fetches only what changed, every 15 minutes/).waitFor();
      // Progress figures are totals; the object being read is said apart from them.
      const progress = dialog.getByText(/in progress: [\d,]+ of [\d,]+ records/);
      await progress.waitFor();
      expect(await progress.textContent()).not.toMatch(/(contacts|companies|deals): /);
      await screenshot(page, `wizard-${size}-4-complete`);
      await dialog.getByRole('button', { name: 'Done' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('status').filter({ hasText: 'is connected' }).waitFor();
      await page.getByRole('list', { name: 'Connected CRMs' }).getByRole('listitem').first().waitFor();
      await screenshot(page, `wizard-${size}-5-settings-connected`);
    });

    it('shows a failing connection test with what to do, and passes on retry once the CRM answers', async () => {
      // The callback's own account lookup goes through; the test's lookups get 503s.
      await sandboxAdmin(app, '/_sandbox/faults', { kind: 503, skip: 1, next: 50, pathPrefix: '/account-info/v3/details' });
      const dialog = await openWizardAtAuthorize(page, app);
      await consent(page, 'Allow');
      const failed = dialog.getByRole('listitem').filter({ hasText: 'API reachable' });
      await failed.filter({ hasText: 'Failed' }).waitFor({ timeout: 60_000 });
      expect(await failed.textContent()).toMatch(/retry/i);
      await expect(dialog.getByRole('button', { name: 'Continue' }).count()).resolves.toBe(0);
      await screenshot(page, `wizard-${size}-3b-test-failed`);
      await sandboxAdmin(app, '/_sandbox/faults', {}, 'DELETE');
      await dialog.getByRole('button', { name: 'Retry test' }).click();
      await dialog.getByText('All set: Pulse can sync HubSpot.').waitFor({ timeout: 60_000 });
      await page.keyboard.press('Escape');
    });
  });
}

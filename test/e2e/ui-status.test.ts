/**
 * After connecting, a person watches the first sync finish in the status panel without reloading,
 * presses Sync now and sees a new history row, browses the synced data, and recovers from a revoked
 * token with Reconnect — at desktop and phone widths.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowInPopup, connectThroughWizard, launchBrowser, sandboxAdmin, screenshot, useAppPage, viewports, type RunningApp } from '../helpers/browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

for (const [size, viewport] of Object.entries(viewports)) {
  describe(`sync status at ${viewport.width} px`, { timeout: 120_000 }, () => {
    let app: RunningApp;
    let page: Page;
    const panel = () => page.getByRole('region', { name: 'CRM sync' }).last();
    const historyRows = () => panel().getByRole('list', { name: 'Sync history' }).getByRole('listitem');

    useAppPage(() => browser, viewport, `status-${size}`, (started, opened) => {
      app = started;
      page = opened;
    });

    it('shows the first sync live in the wizard, then finished in the panel without a reload', async () => {
      await connectThroughWizard(page, app);
      const dialog = page.getByRole('dialog');
      await dialog.getByText(/Sync in progress|Sync finished/).first().waitFor();
      await screenshot(page, `status-${size}-0-wizard-first-sync`);
      await dialog.getByText('Sync finished').waitFor({ timeout: 60_000 });
      await dialog.getByRole('button', { name: 'Done' }).click();
      await page.evaluate(() => Object.assign(window, { sameDocument: true }));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
      await panel().getByText('Up to date').waitFor();
      await panel().getByText(/Last synced (just now|.*ago)/).waitFor();
      await panel().getByRole('button', { name: 'History' }).click();
      await historyRows().first().waitFor();
      await expect(historyRows().count()).resolves.toBe(1);
      expect(await historyRows().first().textContent()).toContain('Succeeded');
      await panel().getByRole('img', { name: /Records per sync/ }).waitFor();
      await expect(page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).resolves.toBe(true);
      await screenshot(page, `status-${size}-1-first-sync-done`);
    });

    it('runs Sync now (disabled while it runs) and adds a history row', async () => {
      const syncNow = panel().getByRole('button', { name: /^Sync now/ });
      await syncNow.click();
      await panel().getByRole('button', { name: /^Sync(ing…| now)/ }).and(page.locator(':disabled')).or(historyRows().nth(1)).first().waitFor();
      await historyRows().nth(1).waitFor({ timeout: 60_000 });
      await panel().getByText('Up to date').waitFor();
      await expect(syncNow.isEnabled()).resolves.toBe(true);
      await screenshot(page, `status-${size}-2-after-sync-now`);
    });

    it('pauses and resumes automatic sync', async () => {
      const toggle = panel().getByRole('switch', { name: 'Automatic sync' });
      await toggle.uncheck();
      await panel().getByText('Sync paused').waitFor();
      await toggle.check();
      await panel().getByText('Up to date').waitFor();
    });

    it('lists synced contacts, companies and deals a page at a time', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Synced data' }).click();
      const table = page.getByRole('table');
      await table.getByRole('row').nth(25).waitFor();
      await screenshot(page, `status-${size}-3-data-contacts`);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByText(/^Page 2 of \d+$/).waitFor();
      await page.getByRole('tab', { name: 'Deals' }).click();
      await table.getByRole('columnheader', { name: 'Amount' }).waitFor();
      await table.getByRole('row').nth(5).waitFor();
      await screenshot(page, `status-${size}-4-data-deals`);
    });

    it('asks to reconnect after the token is revoked, and Reconnect brings it back', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
      await sandboxAdmin(app, '/_sandbox/tokens/revoke', {});
      await panel().getByRole('button', { name: /^Sync now/ }).click();
      await panel().getByText('Needs reconnect').waitFor({ timeout: 60_000 });
      const reconnect = panel().getByRole('button', { name: 'Reconnect' });
      await reconnect.waitFor();
      await panel().getByText(/no longer accepts Pulse's access/).waitFor();
      await screenshot(page, `status-${size}-5-needs-reauth`);
      const popupOpened = page.waitForEvent('popup');
      await reconnect.click();
      await allowInPopup(await popupOpened);
      await reconnect.waitFor({ state: 'detached' });
      await panel().getByText(/Up to date|Syncing/).first().waitFor();
      await panel().getByRole('button', { name: /^Sync now/ }).click();
      await panel().getByText('Up to date').waitFor({ timeout: 60_000 });
      await screenshot(page, `status-${size}-6-reconnected`);
    });
  });
}

/**
 * The CRM goes down during a sync and stays down past the outage window: the status panel says it is
 * unreachable and when Pulse tries again (the reader's local time), rather than only an error; once
 * the CRM is back, a sync clears it — at desktop and phone widths.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAndOpenDashboard, launchBrowser, sandboxAdmin, screenshot, useAppPage, viewports, type RunningApp } from '../helpers/browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

// A short window so the run ends within the test; a far retry so the notice stays put while we look.
const env = { PULSE_CRM_OUTAGE_WINDOW_MS: '1000', PULSE_CRM_OUTAGE_RETRY_MS: '600000' };

for (const [size, viewport] of Object.entries(viewports)) {
  describe(`an outage in the status panel at ${viewport.width} px`, { timeout: 120_000 }, () => {
    let app: RunningApp;
    let page: Page;
    const panel = () => page.getByRole('region', { name: 'CRM sync' }).last();

    useAppPage(() => browser, viewport, `outage-${size}`, (started, opened) => {
      app = started;
      page = opened;
    }, env);

    it('says "CRM unreachable, retrying at" with the local time, and clears it once a sync gets through', async () => {
      await connectAndOpenDashboard(page, app);
      await panel().getByText('Up to date').waitFor();

      await sandboxAdmin(app, '/_sandbox/faults', { kind: 503, forMs: 600_000, pathPrefix: '/crm/v3/objects/' });
      await panel().getByRole('button', { name: /^Sync now/ }).click();
      const notice = panel().getByRole('status').filter({ hasText: 'CRM unreachable, retrying at' });
      await notice.waitFor({ timeout: 30_000 });
      await panel().getByText('Retrying soon').waitFor();
      const shown = await notice.locator('time').textContent();
      const expected = await notice.locator('time').evaluate((time) =>
        new Date(time.getAttribute('datetime')!).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' }));
      expect(shown).toContain(expected);
      await screenshot(page, `outage-${size}-retrying`);

      await sandboxAdmin(app, '/_sandbox/faults', {}, 'DELETE');
      await panel().getByRole('button', { name: /^Sync now/ }).click();
      await panel().getByText('Up to date').waitFor({ timeout: 60_000 });
      await expect(notice.count()).resolves.toBe(0);
    });
  });
}

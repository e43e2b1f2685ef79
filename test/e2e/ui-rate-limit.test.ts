/**
 * A sync its CRM account's rate limit holds back: the status panel says it waits for the CRM's rate
 * limit and carries on by itself (not a progress bar that looks stuck), and drops the notice once the
 * run is over — at desktop and phone widths.
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

// Runs beat (and say whether they are throttled) every 500 ms.
const env = { PULSE_HEARTBEAT_TIMEOUT_MS: '2000' };

for (const [size, viewport] of Object.entries(viewports)) {
  describe(`a rate-limited sync in the status panel at ${viewport.width} px`, { timeout: 120_000 }, () => {
    let app: RunningApp;
    let page: Page;
    const panel = () => page.getByRole('region', { name: 'CRM sync' }).last();

    useAppPage(() => browser, viewport, `rate-limit-${size}`, (started, opened) => {
      app = started;
      page = opened;
    }, env);

    it('says "Waiting for HubSpot\'s rate limit" while the limit holds the run back, and clears it when the run ends', async () => {
      await connectAndOpenDashboard(page, app);
      await panel().getByText('Up to date').waitFor();

      // One request every ~3 s: a full sync now spends nearly all its time waiting for slots.
      await sandboxAdmin(app, '/_sandbox/accounts/default/limits', { windowMs: 3000, windowMax: 1 }, 'PUT');
      const started = await page.evaluate(async () => {
        const { integrations } = await (await fetch('/api/integrations')).json();
        const response = await fetch(`/api/integrations/${integrations[0].id}/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"full":true}' });
        return response.status;
      });
      expect(started).toBeLessThan(300);
      const notice = panel().getByRole('status').filter({ hasText: "Waiting for HubSpot's rate limit" });
      await notice.waitFor({ timeout: 30_000 });
      await expect(notice.textContent()).resolves.toContain('The sync continues by itself');
      await panel().getByText('Syncing slowly').waitFor();
      await screenshot(page, `rate-limit-${size}-waiting`);

      await sandboxAdmin(app, '/_sandbox/accounts/default/limits', { tier: 'oauth' }, 'PUT');
      await panel().getByText('Up to date').waitFor({ timeout: 90_000 });
      await expect(notice.count()).resolves.toBe(0);
    });
  });
}

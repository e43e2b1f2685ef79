/**
 * Real-time updates in the status panel: on once the CRM pushes a change (with when the last one
 * came), degraded after a sync found a change the CRM did not push (what it means, and that nothing is
 * lost), on again at the next push — at desktop and phone widths.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { SANDBOX_APPS } from '../../src/sandbox/index.js';
import { connectAndOpenDashboard, launchBrowser, sandboxAdmin, screenshot, useAppPage, viewports, type RunningApp } from '../helpers/browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

for (const [size, viewport] of Object.entries(viewports)) {
  describe(`real-time updates in the status panel at ${viewport.width} px`, { timeout: 120_000 }, () => {
    let app: RunningApp;
    let page: Page;
    const panel = () => page.getByRole('region', { name: 'CRM sync' }).last();
    const edit = async (index: number, firstname: string) => {
      const contacts = await (await fetch(`${app.sandboxUrl}/_sandbox/records/contacts?archived=false`)).text();
      const id = JSON.parse(contacts.split('\n')[index]!).id;
      await sandboxAdmin(app, `/_sandbox/records/contacts/${id}`, { properties: { firstname } }, 'PATCH');
    };
    const subscribe = (events: string[]) => sandboxAdmin(app, `/_sandbox/webhooks/${SANDBOX_APPS.hubspot.appId}`, {
      targetUrl: `${app.baseUrl}/crm/webhooks/hubspot`,
      subscriptions: ['contact', 'company', 'deal'].flatMap((object) => events.map((kind) => ({ eventType: `${object}.${kind}`, active: true }))),
    }, 'PUT');

    useAppPage(() => browser, viewport, `realtime-${size}`, (started, opened) => {
      app = started;
      page = opened;
    });

    it('shows real-time updates on after a pushed change, degraded after a sync found one not pushed, and on again', async () => {
      await connectAndOpenDashboard(page, app);
      await panel().getByText('Real-time updates off').waitFor();

      await edit(0, 'Pushed');
      await panel().getByText('Real-time updates on').waitFor({ timeout: 30_000 });
      await screenshot(page, `realtime-${size}-on`);

      await subscribe([]);
      await edit(1, 'Not pushed');
      await panel().getByRole('button', { name: /^Sync now/ }).click();
      const degraded = panel().getByRole('status').filter({ hasText: 'Real-time updates degraded' });
      await degraded.waitFor({ timeout: 30_000 });
      await degraded.getByText('nothing is lost').waitFor();
      await screenshot(page, `realtime-${size}-degraded`);

      await subscribe(['creation', 'propertyChange', 'deletion', 'associationChange']);
      await edit(2, 'Pushed again');
      await panel().getByText('Real-time updates on').waitFor({ timeout: 30_000 });
    });
  });
}

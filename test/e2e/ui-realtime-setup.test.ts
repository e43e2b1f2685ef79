/**
 * The real-time set-up step for a CRM no app can subscribe to (Salesforce): on the dashboard the
 * integration offers "Set up real-time updates in Salesforce", which opens what to do in Setup, the
 * objects, and the endpoint URL from the authenticated API. The URL pasted into the emulator's
 * stand-in for Setup makes changes arrive by push ("Real-time updates on"); its secret never reaches
 * the server's log. At desktop and phone widths, axe-clean.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAndOpenDashboard, launchBrowser, screenshot, useAppPage, viewports, type RunningApp } from '../helpers/browser.js';
import { waitFor } from '../helpers/process.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

for (const [size, viewport] of Object.entries(viewports)) {
  describe(`the Salesforce real-time set-up step at ${viewport.width} px`, { timeout: 180_000 }, () => {
    let app: RunningApp;
    let page: Page;
    const panel = () => page.getByRole('region', { name: 'CRM sync' }).last();

    useAppPage(() => browser, viewport, `realtime-setup-${size}`, (started, opened) => {
      app = started;
      page = opened;
    });

    it('shows what to set up in Setup and the endpoint URL; once set up, changes arrive by push', async () => {
      const salesforceUrl = await waitFor(async () => app.cli.output().match(/"salesforce":"(http:\/\/[^"]+)"/)?.[1], 'the Salesforce emulator URL in the log');
      await connectAndOpenDashboard(page, app, 'Salesforce');

      await panel().getByText('Real-time updates off').waitFor();
      const open = panel().getByRole('button', { name: 'Set up real-time updates in Salesforce' });
      expect(await open.getAttribute('aria-expanded')).toBe('false');
      await open.click();
      const step = panel().getByRole('region', { name: 'Real-time updates set-up in Salesforce' });
      await step.getByText('Record-Triggered Flow').waitFor();
      await step.getByText('Contact, Account and Opportunity').waitFor();
      const field = step.getByLabel('Endpoint URL');
      const url = await field.inputValue();
      expect(url).toMatch(new RegExp(`^${app.baseUrl}/crm/webhooks/salesforce/[0-9a-f-]{36}/[A-Za-z0-9_-]{32,}$`));
      await screenshot(page, `realtime-setup-${size}-step`);

      // What the admin does in Setup, then an edit in Salesforce.
      const put = await fetch(`${salesforceUrl}/_sandbox/outbound-messages`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ endpointUrl: url }) });
      expect(put.status).toBe(200);
      const contacts = await (await fetch(`${salesforceUrl}/_sandbox/records/contacts?archived=false`)).text();
      const id = JSON.parse(contacts.split('\n')[0]!).id;
      const edit = await fetch(`${salesforceUrl}/_sandbox/records/contacts/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ properties: { FirstName: 'Pushed' } }) });
      expect(edit.status).toBe(200);
      await panel().getByText('Real-time updates on').waitFor({ timeout: 30_000 });
      await panel().getByRole('button', { name: 'Real-time set-up' }).waitFor();
      await screenshot(page, `realtime-setup-${size}-on`);

      // The address is a secret: the server's log shows it redacted, never whole.
      const secret = url.split('/').at(-1)!;
      expect(app.cli.output()).not.toContain(secret);
    });
  });
}

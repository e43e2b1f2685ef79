/**
 * Every CRM the registry marks available connects through the setup wizard in Chromium against its
 * own emulator (the consent page in a popup, the connection test, the first sync watched live) and
 * then reads "Up to date" on the dashboard with the CRM's records on the data page. Then, as a person
 * would after a while: deals created and deleted in the CRM arrive with "Sync now", and a grant the
 * CRM revoked asks to reconnect, which the card's Reconnect does. The test names no CRM: a CRM joins
 * by flipping `available`.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformIds, platforms } from '../../src/crm/platforms.js';
import { launchBrowser, screenshot, startApp, viewports, type RunningApp } from '../helpers/browser.js';

const available = platformIds.filter((id) => platforms[id].available);

let browser: Browser;
let app: RunningApp;
let connected = 0;

/** Each emulator's origin, as `pulse-crm start` logs them when it starts its sandbox CRMs. */
function emulatorUrl(id: string): string {
  const line = app.cli.output().split('\n').find((entry) => entry.includes('CRM sandbox running'));
  const url = line && (JSON.parse(line) as { urls?: Record<string, string> }).urls?.[id];
  if (!url) throw new Error(`no emulator URL for ${id} in the start log`);
  return url;
}

async function emulatorAdmin(id: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${emulatorUrl(id)}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`emulator ${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const liveDeals = async (id: string) => (await (await fetch(`${emulatorUrl(id)}/_sandbox/records/deals?archived=false`)).text()).split('\n').filter(Boolean).map((line) => JSON.parse(line) as { id: string });
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
      await dialog.getByRole('button', { name: 'Use the defaults' }).click();
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

  it('brings deals created and deleted in the CRM with Sync now, and reconnects after the CRM revoked the grant', async () => {
    const context = await browser.newContext({ viewport: viewports.desktop });
    const page = await context.newPage();
    try {
      // Cards and the data page's filter list integrations newest first: this CRM's comes first.
      const card = page.getByRole('article').first();
      const [gone] = await liveDeals(id);
      await emulatorAdmin(id, 'DELETE', `/_sandbox/records/deals/${encodeURIComponent(gone!.id)}`);
      await emulatorAdmin(id, 'POST', '/_sandbox/records/deals', {});
      await emulatorAdmin(id, 'POST', '/_sandbox/records/deals', {});
      // Every CRM connected so far together (the data page shows all of them): their emulators' live deals.
      const expected = (await Promise.all(available.slice(0, connected).map(async (other) => (await liveDeals(other)).length))).reduce((a, b) => a + b, 0);

      await page.goto(`${app.baseUrl}/`);
      await card.getByText('Up to date').waitFor();
      await card.getByRole('button', { name: 'History' }).click();
      const history = card.getByRole('list', { name: 'Sync history' }).getByRole('listitem');
      await history.first().waitFor();
      const runs = await history.count();
      await card.getByRole('button', { name: /^Sync now/ }).click();
      await history.nth(runs).waitFor({ timeout: 60_000 });
      await card.getByText('Up to date').waitFor({ timeout: 60_000 });

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Synced data' }).click();
      await page.getByRole('tab', { name: `Deals ${expected.toLocaleString('en-US')}` }).waitFor();
      await screenshot(page, `every-crm-${id}-1280-deals-after-sync-now`);

      // The CRM withdraws Pulse's access (an uninstall, a password change): the next sync asks to reconnect.
      await emulatorAdmin(id, 'POST', '/_sandbox/tokens/revoke', {});
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
      await card.getByRole('button', { name: /^Sync now/ }).click();
      const reconnect = card.getByRole('button', { name: 'Reconnect' });
      await reconnect.waitFor({ timeout: 60_000 });
      await screenshot(page, `every-crm-${id}-1280-needs-reconnect`);
      const popupOpened = page.waitForEvent('popup');
      await reconnect.click();
      const popup = await popupOpened;
      const closed = popup.waitForEvent('close');
      await popup.locator('form button[value="allow"]').click();
      await closed;
      await reconnect.waitFor({ state: 'detached', timeout: 30_000 });
      await card.getByRole('button', { name: /^Sync now/ }).click();
      await card.getByText('Up to date').waitFor({ timeout: 60_000 });
      await screenshot(page, `every-crm-${id}-1280-reconnected`);
    } finally {
      await context.close();
    }
  });
});

/**
 * A first-time user, as Nango's Connect UI or Merge Link would treat them: only end-user steps,
 * Connect in the first screen, permissions in words, nothing promised that does not exist, a failed
 * connection test that stays visible after the wizard closes, one plain re-auth notice, a Disconnect
 * that says what it deletes — at 1280 and 375 px, keyboard-operable, and with axe-core finding
 * nothing serious or critical in any state visited.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowInPopup, launchBrowser, sandboxAdmin, screenshot, startApp, useAppPage, viewports, type RunningApp } from '../helpers/browser.js';
import { platformIds, platforms } from '../../src/crm/platforms.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Screenshot for a person; the helper also runs axe on the same state. */
const look = screenshot;

async function openChooser(page: Page, app: RunningApp) {
  await page.goto(`${app.baseUrl}/settings`);
  await page.getByRole('button', { name: 'Connect CRM' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Connect a CRM' });
  await dialog.getByRole('heading', { name: 'HubSpot' }).waitFor();
  return dialog;
}

async function consent(page: Page, dialog: Locator, answer: 'Allow' | 'Deny') {
  const popupOpened = page.waitForEvent('popup');
  await dialog.getByRole('button', { name: 'Connect HubSpot' }).click();
  const popup = await popupOpened;
  if (answer === 'Allow') return allowInPopup(popup);
  const closed = popup.waitForEvent('close');
  await popup.getByRole('button', { name: 'Deny' }).click();
  await closed;
}

for (const [size, viewport] of Object.entries(viewports)) {
  describe(`first run at ${viewport.width} px`, { timeout: 180_000 }, () => {
    let app: RunningApp;
    let page: Page;
    const shot = (name: string) => look(page, `first-run-${size}-${name}`);
    const panel = () => page.getByRole('region', { name: 'CRM sync' });
    useAppPage(() => browser, viewport, `first-run-${size}`, (started, opened) => {
      app = started;
      page = opened;
    });

    it('opens the chooser with focus on its heading; CRMs that cannot sync say so, in plain words; a search box narrows the cards', async () => {
      await page.goto(`${app.baseUrl}/settings`);
      await page.getByText('No CRM connected yet').waitFor();
      // Each page names itself in the tab and the history list (issue 11 #16).
      await expect(page.title()).resolves.toBe('Settings — Pulse');
      await shot('0-settings-empty');
      const dialog = await openChooser(page, app);
      await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Which CRM do you use?');
      // The registry says which CRMs can sync; the others' cards say so and list no features.
      const unavailable = platformIds.filter((id) => !platforms[id].available);
      await expect(dialog.getByRole('button', { name: 'Not available yet' }).count()).resolves.toBe(unavailable.length);
      for (const id of unavailable) {
        const card = dialog.getByRole('article', { name: platforms[id].name });
        await expect(card.textContent()).resolves.toContain('Not available yet');
        await expect(card.getByRole('listitem').count()).resolves.toBe(0);
      }
      const copy = await dialog.textContent();
      for (const jargon of ['SystemModstamp', 'queryAll', 'IsDeleted', 'updated_since', 'Modified_Time', 'Two-way', 'sObject']) expect(copy).not.toContain(jargon);
      await expect(dialog.locator('svg.pcrm-mark--drawn').count()).resolves.toBe(4);
      await shot('1-chooser');
      await dialog.getByRole('searchbox', { name: 'Search CRMs' }).fill('zo');
      await expect(dialog.getByRole('article').count()).resolves.toBe(1);
      await dialog.getByRole('heading', { name: 'Zoho CRM' }).waitFor();
      await dialog.getByRole('searchbox', { name: 'Search CRMs' }).fill('');
      await page.keyboard.press('Escape');
    });

    it('shows Connect in the first screen, the permissions in words, and no developer set-up or write access', async () => {
      const dialog = await openChooser(page, app);
      await dialog.getByRole('button', { name: 'Connect HubSpot' }).click();
      await dialog.getByRole('heading', { name: 'Authorize HubSpot' }).waitFor();
      const connect = dialog.getByRole('button', { name: 'Connect HubSpot' });
      const box = (await connect.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
      for (const permission of ['Read contacts', 'Read companies', 'Read deals']) await dialog.getByText(permission, { exact: true }).waitFor();
      const copy = await dialog.textContent();
      expect(copy).not.toMatch(/Redirect URL|crm\.objects|oauth-quickstart|For developers|Update contacts|write/i);
      await shot('2-authorize');
    });

    it('after Deny, says so inside the wizard with the next step right there', async () => {
      const dialog = page.getByRole('dialog', { name: 'Connect a CRM' });
      await consent(page, dialog, 'Deny');
      const alert = dialog.getByRole('alert').filter({ hasText: 'Not connected.' });
      await alert.waitFor();
      await expect(alert.textContent()).resolves.toBe('Not connected. You chose Deny in HubSpot, so nothing was connected. When you are ready, press Connect HubSpot and choose Allow.');
      await shot('3-denied');
    });

    it('a CRM outage fails the test as "retry later", lists the checks that did not run, and stays "Needs attention" after the wizard closes', async () => {
      // The callback's own account lookup goes through; the test's lookups get 503s.
      await sandboxAdmin(app, '/_sandbox/faults', { kind: 503, skip: 1, next: 50, pathPrefix: '/account-info/v3/details' });
      const dialog = page.getByRole('dialog', { name: 'Connect a CRM' });
      await consent(page, dialog, 'Allow');
      await dialog.getByText('Try again later.').waitFor({ timeout: 60_000 });
      await expect(dialog.getByRole('listitem').filter({ hasText: 'Not checked' }).count()).resolves.toBe(4);
      await expect(dialog.getByRole('button', { name: 'Continue' }).count()).resolves.toBe(0);
      await expect(dialog.getByRole('button', { name: 'Reconnect' }).count()).resolves.toBe(0);
      await expect(dialog.getByRole('button', { name: 'Retry test' }).getAttribute('class')).resolves.toContain('pcrm-button--primary');
      await shot('4-test-outage');
      await page.keyboard.press('Escape');

      const row = page.getByRole('list', { name: 'Connected CRMs' }).getByRole('listitem').first();
      await row.getByText('Needs attention', { exact: true }).waitFor();
      await row.getByText(/HubSpot is not answering right now\. This is on HubSpot's side/).waitFor();
      await shot('5-settings-needs-attention');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
      await panel().getByText('Needs attention', { exact: true }).waitFor();
      await expect(page.title()).resolves.toBe('Dashboard — Pulse');
      await shot('6-dashboard-needs-attention');

      await sandboxAdmin(app, '/_sandbox/faults', {}, 'DELETE');
      await panel().getByRole('button', { name: 'Test again' }).click();
      await panel().getByText('Needs attention', { exact: true }).waitFor({ state: 'detached' });
      await panel().getByText('Up to date').waitFor({ timeout: 60_000 });
    });

    it('names Sync now by its visible words, gives the switch track 3:1 contrast when off, and keeps one landmark per name', async () => {
      const syncNow = panel().getByRole('button', { name: /^Sync now/ });
      await syncNow.waitFor();
      const toggle = panel().getByRole('switch', { name: 'Automatic sync' });
      await toggle.uncheck();
      await panel().getByText('Sync paused').waitFor();
      const ratio = await toggle.evaluate((element) => {
        const [r, g, b] = getComputedStyle(element).backgroundColor.match(/\d+/g)!.map(Number).map((c) => c / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
        return 1.05 / (0.2126 * r! + 0.7152 * g! + 0.0722 * b! + 0.05);
      });
      expect(ratio).toBeGreaterThanOrEqual(3);
      await shot('7-dashboard-paused');
      await toggle.check();
      await expect(page.getByRole('region', { name: 'CRM sync' }).count()).resolves.toBe(1);
    });

    it('says how many records of each object a Disconnect deletes, before it does', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('button', { name: 'Disconnect pulse-demo.example.com' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Disconnect pulse-demo.example.com?' });
      await confirm.getByText(/Pulse will delete the 1,400 contacts, 200 companies and 400 deals it synced from this account/).waitFor();
      await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Keep connected');
      await shot('8-disconnect-confirm');
      await confirm.getByRole('button', { name: 'Keep connected' }).click();
    });

    it('asks to reconnect once, in plain words, with Reconnect as the primary button, on the dashboard and in Settings', async () => {
      await sandboxAdmin(app, '/_sandbox/tokens/revoke', {});
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
      await panel().getByRole('button', { name: /^Sync now/ }).click();
      await panel().getByText('Needs reconnect').waitFor({ timeout: 60_000 });
      const plain = /no longer accepts Pulse's access \(it was revoked or expired\), so syncing is paused/;
      await panel().getByText(plain).waitFor();
      await expect(panel().getByText(plain).count()).resolves.toBe(1);
      await expect(panel().getByRole('button', { name: 'Dismiss' }).count()).resolves.toBe(0);
      await expect(panel().getByRole('button', { name: 'Reconnect' }).getAttribute('class')).resolves.toContain('pcrm-button--primary');
      await shot('9-dashboard-reconnect');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      const row = page.getByRole('list', { name: 'Connected CRMs' }).getByRole('listitem').first();
      await row.getByText(plain).waitFor();
      await shot('10-settings-reconnect');
      const popupOpened = page.waitForEvent('popup');
      await row.getByRole('button', { name: 'Reconnect' }).click();
      await allowInPopup(await popupOpened);
      await row.getByText(plain).waitFor({ state: 'detached' });
    });

    it('moves between the data tabs with the arrow keys (one tab stop)', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Synced data' }).click();
      const contacts = page.getByRole('tab', { name: 'Contacts' });
      await expect(page.getByRole('tab').evaluateAll((tabs) => tabs.map((tab) => (tab as HTMLElement).tabIndex))).resolves.toEqual([0, -1, -1]);
      await contacts.focus();
      await page.keyboard.press('ArrowRight');
      await expect(page.getByRole('tab', { name: 'Companies' }).getAttribute('aria-selected')).resolves.toBe('true');
      await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toMatch(/^Companies/);
      await page.keyboard.press('End');
      await expect(page.getByRole('tab', { name: 'Deals' }).getAttribute('aria-selected')).resolves.toBe('true');
      await page.getByRole('tabpanel').getByText(/\$/).first().waitFor();
    });

    it('shows deals with the CRM\'s stage names, a total, search, sorting and full names (cards at 375 px)', async () => {
      const panel = page.getByRole('tabpanel');
      const stages = ['Appointment Scheduled', 'Qualified To Buy', 'Presentation Scheduled', 'Decision Maker Bought-In', 'Contract Sent', 'Closed Won', 'Closed Lost'];
      await panel.getByText(new RegExp(`^(${stages.join('|')})$`)).first().waitFor();
      expect(await panel.textContent()).not.toMatch(/appointmentscheduled|qualifiedtobuy|presentationscheduled|decisionmakerboughtin|contractsent|closedwon|closedlost/);
      await panel.getByRole('status').filter({ hasText: /^400 deals$/ }).waitFor();
      await expect(page.getByRole('tab', { name: /^Deals/ }).textContent()).resolves.toBe('Deals 400');
      // Every name is shown whole: nothing cut off with an ellipsis.
      const cut = await panel.locator('td:first-child').evaluateAll((cells) => cells.filter((cell) => cell.scrollWidth > cell.clientWidth + 1).length);
      expect(cut).toBe(0);
      if (viewport.width < 640) {
        await expect(panel.locator('tbody tr').first().evaluate((row) => getComputedStyle(row).display)).resolves.toBe('block');
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
        await panel.getByLabel('Sort by').selectOption('amount:desc');
      } else {
        await panel.getByRole('columnheader', { name: 'Amount' }).getByRole('button').click();
        await panel.getByRole('columnheader', { name: 'Amount' }).getByRole('button').click();
        await expect(panel.getByRole('columnheader', { name: 'Amount' }).getAttribute('aria-sort')).resolves.toBe('descending');
      }
      await panel.getByText('Page 1 of 16', { exact: true }).waitFor();
      const amounts = async () => (await panel.locator('td[data-label="Amount"]').allTextContents()).map((text) => Number(text.replace(/[^0-9.]/g, '')));
      await expect.poll(async () => { const list = await amounts(); return list.length > 0 && list.every((n, i) => i === 0 || list[i - 1]! >= n); }).toBe(true);
      await shot('11-data-deals');

      const firstName = (await panel.locator('td[data-label="Name"]').first().textContent())!;
      const word = firstName.split(/[\s,-]+/).find((part) => part.length > 3)!;
      await panel.getByRole('searchbox', { name: 'Search deals' }).fill(word);
      await panel.getByRole('status').filter({ hasText: new RegExp(`^\\d+ deals? match(es)? “${word}”$`) }).waitFor();
      await expect(panel.locator('td[data-label="Name"]').allTextContents()).resolves.toContain(firstName);
      await shot('12-data-search');

      await page.getByRole('tab', { name: /^Companies/ }).click();
      await panel.getByRole('status').filter({ hasText: /^200 companies$/ }).waitFor();
      const industries = await panel.locator('td[data-label="Industry"]').allTextContents();
      expect(industries.filter((text) => /^[A-Z_]{4,}$/.test(text))).toEqual([]);
      await shot('13-data-companies');
    });

    it('charts every run on a time axis, incremental ones visible beside the first full sync', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
      await panel().getByText('Up to date').waitFor({ timeout: 60_000 });
      await panel().getByRole('button', { name: 'History' }).click();
      const chart = panel().getByRole('img', { name: /Records per sync/ });
      await chart.waitFor();
      const bars = await chart.locator('rect').evaluateAll((rects) => rects.map((rect) => Number(rect.getAttribute('height'))));
      const rows = await panel().getByRole('list', { name: 'Sync history' }).getByRole('listitem').count();
      expect(bars.length).toBe(rows);
      expect(rows).toBeGreaterThanOrEqual(2);
      expect(Math.min(...bars) / Math.max(...bars)).toBeGreaterThan(0.03);
      await panel().locator('.pcrm-chart__times time').first().waitFor();
      await panel().getByText(/log scale/).waitFor();
      await shot('14-history-chart');
    });
  });
}

describe('a server without CRM credentials', { timeout: 120_000 }, () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp({ PULSE_SANDBOX: 'off' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the app registration (redirect URL, steps) only there, in a "For developers" disclosure', async () => {
    const page = await browser.newPage({ viewport: viewports.mobile });
    try {
      const dialog = await openChooser(page, app);
      await dialog.getByRole('button', { name: 'Connect HubSpot' }).click();
      await dialog.getByText('HubSpot is not set up on this server yet.').waitFor();
      await expect(dialog.getByRole('button', { name: 'Connect HubSpot' }).isDisabled()).resolves.toBe(true);
      await dialog.getByText(/^For developers: register the HubSpot app/).click();
      await expect(dialog.getByLabel('Redirect URL to register').inputValue()).resolves.toBe(`${app.baseUrl}/crm/oauth/callback`);
      await look(page, 'first-run-mobile-12-no-credentials');
    } finally {
      await page.close();
    }
  });
});

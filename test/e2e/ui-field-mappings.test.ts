/**
 * For every available CRM, through the setup wizard's "Fields & filters" step: a custom mapping of the
 * CRM's custom picklist and custom number is added, refused first when its type does not fit (the
 * API's message beside the row), previewed on synced records, saved; after the sync the data API holds
 * exactly the emulator's values in `customFields`. Then the integration's settings page shows the
 * saved mappings, by mouse and keyboard, at 1280 and 375 px. The test names no CRM.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformIds, platforms } from '../../src/crm/platforms.js';
import { launchBrowser, screenshot, startApp, viewports, type RunningApp } from '../helpers/browser.js';

const available = platformIds.filter((id) => platforms[id].available);
type Field = { name: string; label: string; type: string; custom: boolean; options?: { value: string; label: string }[] };

let browser: Browser;
let app: RunningApp;
beforeAll(async () => {
  browser = await launchBrowser();
  // A few records per object keep each first sync and re-listing short.
  app = await startApp({ PULSE_SANDBOX_RECORDS: '30' });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await browser?.close();
});

const api = async (path: string): Promise<any> => {
  const response = await fetch(`${app.baseUrl}${path}`);
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
};

function emulatorUrl(id: string): string {
  const line = app.cli.output().split('\n').find((entry) => entry.includes('CRM sandbox running'));
  const url = line && (JSON.parse(line) as { urls?: Record<string, string> }).urls?.[id];
  if (!url) throw new Error(`no emulator URL for ${id} in the start log`);
  return url;
}
const emulatorContacts = async (id: string) => (await (await fetch(`${emulatorUrl(id)}/_sandbox/records/contacts?archived=false`)).text())
  .split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown> & { id: string | number });

/** A field's raw value wherever the emulator's record keeps it (top level, properties, custom_fields…). */
function valueOf(record: unknown, key: string): unknown {
  if (!record || typeof record !== 'object') return undefined;
  if (key in record) return (record as Record<string, unknown>)[key];
  for (const value of Object.values(record)) {
    const found = valueOf(value, key);
    if (found !== undefined) return found;
  }
  return undefined;
}
const blank = (value: unknown) => value === null || value === undefined || value === '';

/** The page has no horizontal scroll, nor the dialog. */
async function fitsWidth(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => {
    const dialog = document.querySelector('dialog[open]');
    return { page: document.documentElement.scrollWidth - window.innerWidth, dialog: dialog ? dialog.scrollWidth - dialog.clientWidth : 0 };
  });
  expect(overflow).toEqual({ page: 0, dialog: 0 });
}

async function addMapping(section: Locator, crmField: string, pulseField: string, pulseType?: string): Promise<void> {
  await section.getByRole('button', { name: 'Add a mapping' }).click();
  const row = section.getByRole('list', { name: /^Custom mappings/ }).getByRole('listitem').last();
  await row.getByRole('combobox', { name: /field$/ }).first().fill(crmField);
  await row.getByLabel('Pulse field name').fill(pulseField);
  if (pulseType) await row.getByLabel('Pulse type').selectOption(pulseType);
}

describe.each(available)('%s: Fields & filters', { timeout: 180_000 }, (id) => {
  const name = platforms[id].name;

  it('maps a custom picklist and number in the wizard: refused when incompatible, previewed, saved, synced to the data API', async () => {
    const context = await browser.newContext({ viewport: viewports.desktop });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await page.goto(`${app.baseUrl}/settings`);
      await page.getByRole('button', { name: 'Connect CRM' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Connect a CRM' });
      await dialog.getByRole('button', { name: `Connect ${name}` }).click();
      await dialog.getByRole('heading', { name: `Authorize ${name}` }).waitFor();
      const popupOpened = page.waitForEvent('popup');
      await dialog.getByRole('button', { name: `Connect ${name}` }).click();
      // The consent convention every emulator keeps (test/conformance/harness.ts): the button with value "allow".
      const popup = await popupOpened;
      const closed = popup.waitForEvent('close');
      await popup.locator('form button[value="allow"]').click();
      await closed;
      await dialog.getByText(`All set: Pulse can sync ${name}.`).waitFor({ timeout: 60_000 });
      await dialog.getByRole('button', { name: 'Continue' }).click();
      await dialog.getByRole('heading', { name: 'Fields & filters' }).waitFor();
      await dialog.getByRole('tablist', { name: 'Object' }).getByRole('tab', { name: 'Contacts', selected: true }).waitFor();
      const section = dialog.getByRole('region', { name: 'Field mappings', exact: true });
      await dialog.getByRole('region', { name: 'Filters', exact: true }).waitFor();
      await section.getByText('default').first().waitFor();

      const integration = (await api('/api/integrations')).integrations.find((each: { platform: string }) => each.platform === id);
      const { fields } = await api(`/api/integrations/${integration.id}/fields?object=contacts`) as { fields: Field[] };
      const tier = fields.find((field) => field.custom && field.type === 'enumeration' && field.options?.length)!;
      const score = fields.find((field) => field.custom && field.type === 'number')!;
      expect(tier, 'a custom picklist').toBeDefined();
      expect(score, 'a custom number').toBeDefined();

      // Picking a field shows its label, type, "custom" and the picklist's option labels.
      await addMapping(section, tier.name, 'tier');
      const tierRow = section.getByRole('listitem').filter({ hasText: tier.options![0]!.label }).first();
      await tierRow.getByText('custom', { exact: true }).waitFor();
      expect(await tierRow.getByLabel('Pulse type').inputValue()).toBe('enumeration');
      await addMapping(section, score.name, 'score');
      // A number is not a date: the API's message, beside the row it names.
      await addMapping(section, score.name, 'when', 'date');
      await section.getByRole('button', { name: 'Save mappings' }).click();
      const refusedRow = section.getByRole('listitem', { name: 'Mapping 3: when' });
      await refusedRow.getByRole('alert').getByText(`(${score.name}) is a number and cannot be mapped to a Pulse date field "when"`).waitFor();
      expect(await refusedRow.getByLabel('Pulse field name').getAttribute('aria-invalid')).toBe('true');
      await screenshot(page, `fields-${id}-1280-step-refused`);
      await refusedRow.getByRole('button', { name: /^Remove mapping/ }).click();

      // Preview before saving: the first sync did not ask for these fields, so the preview says a fetch is needed.
      await section.getByRole('button', { name: 'Preview' }).click();
      try {
        await section.getByText(/^Preview on \d+ of/).waitFor({ timeout: 10_000 });
        await section.getByText(/ (from stored data|needs a fetch)$/).first().waitFor();
      } catch (error) {
        await screenshot(page, `FAILED-fields-${id}-preview`);
        throw error;
      }
      await screenshot(page, `fields-${id}-1280-step-preview-before-save`);

      // Saved: the answer says what happened (here, most likely, a listing that fetches the new fields).
      await section.getByRole('button', { name: 'Save mappings' }).click();
      await section.getByText(/^Saved\./).waitFor();
      await dialog.getByRole('button', { name: 'Continue' }).waitFor();

      // Preview again once the listing stored them: the mapped labels and numbers, as the emulator holds them.
      const previewed = section.getByRole('region', { name: 'Previewed records' }).getByRole('row');
      await expect.poll(async () => {
        await section.getByRole('button', { name: 'Preview' }).click();
        await section.getByText(/^Preview on \d+ of/).waitFor();
        return (await section.getByText(/ needs a fetch$/).count()) === 0 ? previewed.count() : 0;
      }, { timeout: 90_000, interval: 1000 }).toBeGreaterThan(1);
      const labels = new Map(tier.options!.map((option) => [option.value, option.label]));
      const cells = await previewed.evaluateAll((rows) => rows.slice(1).map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? '')));
      const byId = new Map((await emulatorContacts(id)).map((record) => [String(record.id), record]));
      for (const [remoteId, tierShown, scoreShown] of cells) {
        const record = byId.get(remoteId!);
        const rawTier = valueOf(record, tier.name);
        const rawScore = valueOf(record, score.name);
        expect(tierShown).toBe(blank(rawTier) ? '—' : labels.get(String(rawTier)));
        expect(scoreShown).toBe(blank(rawScore) ? '—' : String(Number(rawScore)));
      }
      expect(cells.some(([, tierShown]) => tierShown !== '—')).toBe(true);
      await section.getByText(/ from stored data$/).first().waitFor();
      await screenshot(page, `fields-${id}-1280-step-preview`);
      if (id === available[0]) {
        await page.setViewportSize(viewports.mobile);
        await fitsWidth(page);
        await screenshot(page, `fields-${id}-375-step`);
        await page.setViewportSize(viewports.desktop);
      }

      await dialog.getByRole('button', { name: 'Continue' }).click();
      await dialog.getByRole('heading', { name: 'Your CRM is connected' }).waitFor();

      // After the sync: every contact carries exactly the emulator's values, mapped.
      const expected = async () => new Map((await emulatorContacts(id)).map((record) => {
        const rawTier = valueOf(record, tier.name);
        const rawScore = valueOf(record, score.name);
        return [String(record.id), { tier: blank(rawTier) ? null : labels.get(String(rawTier)), score: blank(rawScore) ? null : Number(rawScore) }];
      }));
      const want = await expected();
      await expect.poll(async () => {
        const { items } = await api(`/api/contacts?integrationId=${integration.id}&limit=100`);
        return new Map(items.map((item: { remoteId: string; customFields: unknown }) => [item.remoteId, item.customFields]));
      }, { timeout: 90_000, interval: 1000 }).toEqual(want);
      expect([...want.values()].some((values) => values.tier !== null)).toBe(true);
      await dialog.getByText('Sync finished').waitFor({ timeout: 90_000 });
      await dialog.getByRole('button', { name: 'Done' }).click();
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows the saved mappings on the integration\'s settings page, by keyboard and at 375 px', async () => {
    const context = await browser.newContext({ viewport: viewports.desktop });
    const page = await context.newPage();
    try {
      await page.goto(`${app.baseUrl}/`);
      // Cards list integrations newest first: this CRM's comes first.
      const card = page.getByRole('article').first();
      await card.getByRole('button', { name: 'Fields & filters' }).click();
      const settings = page.getByRole('dialog', { name: /^Fields & filters/ });
      const section = settings.getByRole('region', { name: 'Field mappings', exact: true });
      const rows = section.getByRole('list', { name: /^Custom mappings/ }).getByRole('listitem');
      await expect.poll(() => rows.count()).toBe(2);
      expect(await rows.first().getByLabel('Pulse field name').inputValue()).toBe('tier');
      await settings.getByRole('region', { name: 'Filters', exact: true }).waitFor();
      // The direction only CRM → Pulse for now; the others are there, disabled.
      expect(await rows.first().getByLabel('Direction').locator('option[disabled]').count()).toBe(2);
      await screenshot(page, `fields-${id}-1280-settings`);

      // Tabs by arrow keys; Escape closes the page.
      await settings.getByRole('tab', { name: 'Contacts' }).focus();
      await page.keyboard.press('ArrowRight');
      await settings.getByRole('tab', { name: 'Companies', selected: true }).waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Companies');
      await section.getByText('default').first().waitFor();
      await page.keyboard.press('ArrowLeft');
      await settings.getByRole('tab', { name: 'Contacts', selected: true }).waitFor();
      if (id === available[0]) {
        await page.setViewportSize(viewports.mobile);
        await fitsWidth(page);
        await screenshot(page, `fields-${id}-375-settings`);
      }
      await page.keyboard.press('Escape');
      await settings.waitFor({ state: 'hidden' });
    } finally {
      await context.close();
    }
  });
});

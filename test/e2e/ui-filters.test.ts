/**
 * Selective sync in the browser (#16), for every CRM the registry marks available: connect it through
 * the setup wizard, open "Fields & filters", build a filter on the contacts' custom picklist (each
 * emulator serves one per object) with the builder, preview it (count and request cost), save it, and
 * check after the full sync it starts that the data API holds exactly the contacts the emulator has
 * with that option. A condition the API refuses shows its message next to the condition; screenshots
 * at 1280 and 375 px (axe-checked by `screenshot`). The test names no CRM.
 *
 * It reaches the builder through the settings page's fixed entry point: a "Fields & filters" button
 * on the integration's card, a tab per object, a region headed "Filters".
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformIds, platforms } from '../../src/crm/platforms.js';
import { connectThroughWizard, launchBrowser, screenshot, startApp, viewports, type RunningApp } from '../helpers/browser.js';

const available = platformIds.filter((id) => platforms[id].available);

interface Field { name: string; label: string; type: string; custom: boolean; options?: { value: string; label: string }[] }

let browser: Browser;
let app: RunningApp;

/** Each emulator's origin, as `pulse-crm start` logs them when it starts its sandbox CRMs. */
function emulatorUrl(id: string): string {
  const line = app.cli.output().split('\n').find((entry) => entry.includes('CRM sandbox running'));
  const url = line && (JSON.parse(line) as { urls?: Record<string, string> }).urls?.[id];
  if (!url) throw new Error(`no emulator URL for ${id} in the start log`);
  return url;
}

const liveContacts = async (id: string) => (await (await fetch(`${emulatorUrl(id)}/_sandbox/records/contacts?archived=false`)).text())
  .split('\n').filter(Boolean).map((line) => JSON.parse(line) as { id: string; properties: Record<string, unknown> });

/** The API as the page calls it (same origin, the page's own credentials). */
const apiGet = <T,>(page: Page, path: string): Promise<T> => page.evaluate(async (url) => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}, path) as Promise<T>;

async function dataApiContacts(page: Page, integrationId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `/api/contacts?integrationId=${integrationId}&includeDeleted=false&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const found: { items: { remoteId: string }[]; nextCursor: string | null } = await apiGet(page, query);
    ids.push(...found.items.map((item) => item.remoteId));
    cursor = found.nextCursor;
  } while (cursor);
  return ids.sort();
}

/** The fixed entry point: the newest integration's "Fields & filters" (cards list newest first), then the Contacts tab's Filters region. */
async function openContactFilters(page: Page) {
  await page.goto(`${app.baseUrl}/settings`);
  let open = page.getByRole('button', { name: /^Fields & filters/ }).first();
  // The entry point is on the integration's card: the settings page's list, else the dashboard's card.
  if (!(await open.waitFor({ timeout: 10_000 }).then(() => true, () => false))) {
    await page.goto(`${app.baseUrl}/`);
    open = page.getByRole('button', { name: /^Fields & filters/ }).first();
  }
  await open.click();
  await page.getByRole('tab', { name: /^Contacts/ }).click();
  const region = page.locator('section', { has: page.getByRole('heading', { name: 'Filters', exact: true }) }).last();
  await region.getByRole('button', { name: 'Add a condition' }).waitFor();
  return region;
}

beforeAll(async () => {
  browser = await launchBrowser();
  app = await startApp();
}, 120_000);
afterAll(async () => {
  await app?.close();
  await browser?.close();
});

describe.each(available)('%s: a filter on the custom picklist, built in the browser', { timeout: 240_000 }, (id) => {
  const name = platforms[id].name;

  it('previews, saves and syncs exactly the matching contacts; a refused condition shows the API\'s message beside it', async () => {
    const context = await browser.newContext({ viewport: viewports.desktop });
    const page = await context.newPage();
    try {
      await connectThroughWizard(page, app, name);
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Sync finished').waitFor({ timeout: 90_000 });
      await dialog.getByRole('button', { name: 'Done' }).click();

      const { integrations } = await apiGet<{ integrations: { id: string; platform: string }[] }>(page, '/api/integrations');
      const integrationId = integrations.find((integration) => integration.platform === id)!.id;
      const { fields } = await apiGet<{ fields: Field[] }>(page, `/api/integrations/${integrationId}/fields?object=contacts`);
      const picklist = fields.find((field) => field.custom && field.type === 'enumeration' && (field.options?.length ?? 0) > 1);
      expect(picklist, `${name} serves a custom picklist on contacts`).toBeDefined();
      const option = picklist!.options![0]!;
      const expected = (await liveContacts(id))
        .filter((record) => String(rawValue(record.properties, picklist!.name) ?? '').toLowerCase() === option.value.toLowerCase())
        .map((record) => String(record.id)).sort();
      // A filter that keeps some contacts and drops others, or the check below proves nothing.
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan((await liveContacts(id)).length);

      const filters = await openContactFilters(page);
      // First a condition the API refuses (a number field compared with nothing): its message sits beside it.
      const number = fields.find((field) => field.type === 'number' || field.type === 'currency');
      if (number) {
        await filters.getByRole('button', { name: 'Add a condition' }).click();
        const first = filters.getByRole('listitem', { name: 'Condition 1' });
        await first.getByLabel('Field').fill(fieldText(number, fields));
        await first.getByLabel('Condition').selectOption({ label: 'is greater than' });
        await filters.getByRole('button', { name: 'Preview' }).click();
        await expect.poll(() => first.locator('.pcrm-field__error').textContent()).toContain('needs a number');
        await screenshot(page, `filters-${id}-1280-refused`);
        await first.getByRole('button', { name: /^Remove/ }).click();
      }

      // The picklist "is any of" its first option, chosen by its label, by keyboard-reachable controls.
      await filters.getByRole('button', { name: 'Add a condition' }).click();
      const condition = filters.getByRole('listitem', { name: 'Condition 1' });
      // The new condition's field box has the focus: the field is typed there, by its label.
      await page.keyboard.type(fieldText(picklist!, fields));
      expect(await condition.getByLabel('Field').inputValue()).toBe(fieldText(picklist!, fields));
      await condition.getByLabel('Condition').selectOption({ label: 'is any of' });
      await condition.getByRole('group', { name: 'Values' }).getByLabel(option.label, { exact: true }).check();

      await filters.getByRole('button', { name: 'Preview' }).click();
      const preview = filters.getByRole('region', { name: 'Preview' });
      await preview.getByText('Full sync cost').waitFor({ timeout: 30_000 });
      // The CRM's count where it can count with the filter. Where it cannot, the count is Pulse's, among
      // records that may not hold the field yet (CRMs that send only the fields a listing asks for): checked after the sync.
      const matching = new RegExp(`^${expected.length.toLocaleString('en-US')}$`);
      if (await preview.getByText(/in the CRM/).count() > 0) await preview.getByText(matching).first().waitFor();
      await screenshot(page, `filters-${id}-1280-preview`);

      await filters.getByRole('button', { name: 'Save filter' }).click();
      await filters.getByText('Contacts will be listed again: records that no longer match are removed.').waitFor();
      await screenshot(page, `filters-${id}-1280-saved`);

      // The full listing the save started leaves exactly the matching contacts in the data API.
      await expect.poll(() => dataApiContacts(page, integrationId), { timeout: 90_000, interval: 1_000 }).toEqual(expected);
      // And the preview now finds them among Pulse's records too.
      await filters.getByRole('button', { name: 'Preview' }).click();
      await preview.getByText(`In Pulse now: ${expected.length.toLocaleString('en-US')} of`).waitFor();

      await page.setViewportSize(viewports.mobile);
      await page.reload();
      const reopened = await openContactFilters(page);
      expect(await reopened.getByRole('listitem', { name: 'Condition 1' }).getByLabel('Field').inputValue()).toBe(fieldText(picklist!, fields));
      await screenshot(page, `filters-${id}-375-saved-filter`);
      // Clearing the conditions previews the unfiltered sync (left unsaved: each CRM is its own integration).
      await reopened.getByRole('button', { name: 'Clear filter' }).click();
      await reopened.getByRole('button', { name: 'Preview' }).click();
      await reopened.getByRole('region', { name: 'Preview' }).getByText('No filter: every record syncs').waitFor();
      await screenshot(page, `filters-${id}-375-cleared-preview`);
    } catch (failure) {
      await screenshot(page, `FAILED-filters-${id}`).catch(() => {});
      throw failure;
    } finally {
      await context.close();
    }
  });
});

/** A raw field's value as the emulator holds it: top level, or under `custom_fields` (Pipedrive's v2 shape). */
function rawValue(properties: Record<string, unknown>, field: string): unknown {
  return properties[field] ?? (properties.custom_fields as Record<string, unknown> | undefined)?.[field];
}

/** Through the setup wizard from Settings; each emulator's consent page is allowed by its button with value "allow" (test/conformance/harness.ts). */
/** The text the field box takes: the label, with the API name when another field shares it. */
function fieldText(field: Field, fields: Field[]): string {
  return fields.some((other) => other !== field && other.label === field.label) ? `${field.label} (${field.name})` : field.label;
}

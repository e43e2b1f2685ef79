/**
 * A real browser at 375 px picks an org in the EU data centre on the Zoho emulator's consent page
 * (offered on the US accounts server, as Pulse's authorize URL is) and lands on the redirect URI
 * with `location=eu` and the EU accounts server.
 */
import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_APPS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ZOHO_REQUIRED_SCOPES } from '../../src/sandbox/zoho/app.js';
import { launchBrowser, viewports } from '../helpers/browser.js';

let sb: Sandbox<'zoho'>;
let browser: Browser;
let callback: Server;
let redirectUri: string;

beforeAll(async () => {
  callback = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Connected</h1>'));
  await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
  const address = callback.address();
  redirectUri = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/crm/oauth/callback`;
  sb = await startSandbox({ port: 0, providers: ['zoho'], records: 10, apps: [{ clientId: SANDBOX_APPS.zoho.clientId, redirectUris: [redirectUri] }] });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await sb?.close();
  await new Promise((r) => callback.close(r));
});

describe('Zoho consent page, another data centre', () => {
  it('offers the US first, lists each org with its DC, and redirects with the EU location and accounts server', async () => {
    const zoho = sb.urls.zoho;
    const post = (path: string, body: unknown, method = 'POST') => fetch(`${zoho}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
    const org = await post('/_sandbox/accounts', { name: 'Europa GmbH' });
    await post(`/_sandbox/orgs/${org.id}`, { location: 'eu' }, 'PUT');
    const page = await browser.newPage({ viewport: viewports.mobile });
    await page.goto(`${zoho}/oauth/v2/auth?${new URLSearchParams({ client_id: SANDBOX_APPS.zoho.clientId, redirect_uri: redirectUri, response_type: 'code', scope: ZOHO_REQUIRED_SCOPES.join(','), access_type: 'offline', state: 's-eu' })}`);
    expect(await page.getByLabel('Data centre').inputValue()).toBe('us');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.getByLabel('Data centre').selectOption('eu');
    await page.getByLabel('Organization').selectOption(String(org.id));
    await expect(page.locator(`#org_id option[value="${org.id}"]`).textContent()).resolves.toMatch(/Europa GmbH .* - Europe$/);
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.waitForURL((url) => url.pathname === '/crm/oauth/callback');
    const landed = new URL(page.url());
    expect(landed.searchParams.get('location')).toBe('eu');
    expect(landed.searchParams.get('accounts-server')).toBe(`${zoho}/eu`);
    expect(landed.searchParams.get('code')).toBeTruthy();
    await page.close();
  });
});

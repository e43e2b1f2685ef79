/** A real browser walks the sandbox's HubSpot consent page and lands on the app's redirect URI. */
import { createServer, type Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { HUBSPOT_REQUIRED_SCOPES } from '../../src/sandbox/hubspot/app.js';
import { SANDBOX_APPS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { seriousAxeViolations } from '../helpers/axe.js';
import { screenshotDir } from '../helpers/browser.js';

let sb: Sandbox;
let browser: Browser;
let callback: Server;
let redirectUri: string;

beforeAll(async () => {
  callback = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Connected</h1>'));
  await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
  const address = callback.address();
  redirectUri = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/crm/oauth/callback`;
  sb = await startSandbox({ port: 0, records: 10, apps: [{ clientId: SANDBOX_APPS.hubspot.clientId, redirectUris: [redirectUri] }] });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
  await sb?.close();
  await new Promise((r) => callback.close(r));
});

describe('HubSpot consent page', () => {
  const authorizeUrl = (state: string) =>
    `${sb.urls.hubspot}/oauth/authorize?${new URLSearchParams({ client_id: SANDBOX_APPS.hubspot.clientId, redirect_uri: redirectUri, scope: HUBSPOT_REQUIRED_SCOPES.join(' '), state })}`;

  it('redirects with code and state after Allow', async () => {
    const page = await browser.newPage();
    await page.goto(authorizeUrl('state-allow'));
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Connect');
    await page.getByLabel('Choose an account').selectOption(String(sb.hubspot.store.defaultAccountId));
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.pathname === '/crm/oauth/callback');
    const landed = new URL(page.url());
    expect(landed.searchParams.get('state')).toBe('state-allow');
    expect(landed.searchParams.get('code')).toMatch(/^na1-/);
    await page.close();
  });

  it('redirects with error=access_denied after Deny', async () => {
    const page = await browser.newPage();
    await page.goto(authorizeUrl('state-deny'));
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL((url) => url.pathname === '/crm/oauth/callback');
    const landed = new URL(page.url());
    expect(landed.searchParams.get('error')).toBe('access_denied');
    expect(landed.searchParams.get('state')).toBe('state-deny');
    await page.close();
  });

  it('fits a 375 px phone: no sideways scrolling, Allow and Deny big enough to tap, 0 serious axe findings', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 760 } });
    await page.goto(authorizeUrl('state-phone'));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    for (const name of ['Allow', 'Deny']) {
      const box = (await page.getByRole('button', { name }).boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect(box.x + box.width).toBeLessThanOrEqual(375);
    }
    await page.screenshot({ path: join(screenshotDir, 'consent-mobile.png'), fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });
});

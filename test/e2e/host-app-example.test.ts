/**
 * Issue 19 in Chromium: the example host app (`examples/host-app`, its own origin and sign-in) embeds
 * Pulse's packaged components — built as a host app gets them (`npm run build:lib`, imported as
 * `pulse-crm-integrations/react`) — and connects HubSpot through the popup and through the full-page
 * fallback, then watches the first sync live. A page on a third origin, with a valid token, cannot
 * read Pulse's API or start a connect flow.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostApp } from '../../examples/host-app/server.js';
import { launchBrowser, screenshot, startApp, viewports, type RunningApp } from '../helpers/browser.js';
import { freePort, repoRoot } from '../helpers/process.js';
import { TEST_JWT_SECRET } from '../helpers/users.js';

const run = promisify(execFile);

let browser: Browser;
let pulse: RunningApp;
let host: Awaited<ReturnType<typeof startHostApp>>;
let third: Awaited<ReturnType<typeof startHostApp>>;
let hostOrigin: string;

beforeAll(async () => {
  // The package as a host app installs it: components, stylesheet and declarations.
  await run('npm', ['run', '--silent', 'build:lib'], { cwd: repoRoot });
  const hostPort = await freePort();
  // `localhost`, not 127.0.0.1: another site than Pulse's PUBLIC_URL (http://127.0.0.1:<port>).
  hostOrigin = `http://localhost:${hostPort}`;
  pulse = await startApp({ PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET, PULSE_CORS_ORIGINS: hostOrigin });
  host = await startHostApp({ pulseUrl: pulse.baseUrl, port: hostPort, jwtSecret: TEST_JWT_SECRET });
  // The same app on an origin Pulse was not told about.
  third = await startHostApp({ pulseUrl: pulse.baseUrl, port: await freePort(), jwtSecret: TEST_JWT_SECRET, build: false });
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await third?.close();
  await pulse?.close();
});

async function signIn(page: Page, origin: string, user: string): Promise<void> {
  await page.goto(origin);
  await page.getByLabel('User name').fill(user);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${user}`).waitFor();
}

/** From the wizard's test step to its last one, where the first sync's progress shows live. */
async function finishWizard(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Connect a CRM' });
  await dialog.getByText('All set: Pulse can sync HubSpot.').waitFor({ timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await dialog.getByRole('button', { name: 'Use the defaults' }).click();
  await dialog.getByRole('heading', { name: 'Your CRM is connected' }).waitFor();
  await dialog.getByText(/in progress: [\d,]+ of [\d,]+ records|records synced/).first().waitFor({ timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Done' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

describe('the example host app on its own origin', { timeout: 180_000 }, () => {
  it('type-checks against the package\'s published declarations', async () => {
    await expect(run('npx', ['tsc', '--noEmit', '-p', 'examples/host-app'], { cwd: repoRoot })).resolves.toBeDefined();
  });

  it('connects HubSpot through the popup and shows the first sync live in its status panel', async () => {
    const context = await browser.newContext({ viewport: viewports.desktop });
    const page = await context.newPage();
    try {
      await signIn(page, hostOrigin, 'nora');
      // The empty panel points at the host's own button, not at the demo's Settings page.
      await page.getByText('Use Connect CRM above to connect yours and see its sync here.').waitFor();
      await screenshot(page, 'host-app-1280-1-signed-in');
      await page.getByRole('button', { name: 'Connect CRM' }).click();
      const dialog = page.getByRole('dialog', { name: 'Connect a CRM' });
      await dialog.getByRole('button', { name: 'Connect HubSpot' }).click();
      const popupOpened = page.waitForEvent('popup');
      await dialog.getByRole('button', { name: 'Connect HubSpot' }).click();
      const popup = await popupOpened;
      await popup.getByRole('button', { name: 'Allow' }).waitFor();
      // The popup went through Pulse's own begin page to the CRM's consent page.
      expect(new URL(popup.url()).origin).toBe(pulse.sandboxUrl);
      const closed = popup.waitForEvent('close');
      await popup.getByRole('button', { name: 'Allow' }).click();
      await closed;
      await finishWizard(page);
      // The dashboard panel, fed by the cross-origin event stream, reaches the first sync's end.
      await page.getByText('Up to date').waitFor({ timeout: 60_000 });
      await page.getByText(/^Last synced (?!never)/).waitFor();
      await screenshot(page, 'host-app-1280-2-synced');
      await page.setViewportSize(viewports.mobile);
      await screenshot(page, 'host-app-375-2-synced');
    } finally {
      await context.close();
    }
  });

  it('connects in the same tab when popups are blocked, and resumes the wizard on the way back', async () => {
    const context = await browser.newContext({ viewport: viewports.mobile });
    const page = await context.newPage();
    try {
      await page.addInitScript(() => Object.assign(window, { open: () => null }));
      await signIn(page, hostOrigin, 'omar');
      await page.getByRole('button', { name: 'Connect CRM' }).click();
      const dialog = page.getByRole('dialog', { name: 'Connect a CRM' });
      await dialog.getByRole('button', { name: 'Connect HubSpot' }).click();
      await dialog.getByRole('button', { name: 'Connect HubSpot' }).click();
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL((url) => url.origin === hostOrigin);
      await finishWizard(page);
      await screenshot(page, 'host-app-375-3-fallback-done');
    } finally {
      await context.close();
    }
  });

  it('refuses a third origin: its page cannot read the API, nor start a connect flow, even with a valid token', async () => {
    const context = await browser.newContext({ viewport: viewports.desktop });
    const page = await context.newPage();
    try {
      await signIn(page, third.url, 'nora');
      const outcome = await page.evaluate(async (pulseUrl) => {
        const { token } = await (await fetch('/session')).json();
        const attempt = async (path: string, init: RequestInit = {}) => {
          try {
            return `answered ${(await fetch(`${pulseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } })).status}`;
          } catch (error) {
            return `blocked: ${(error as Error).name}`;
          }
        };
        return {
          read: await attempt('/api/integrations'),
          start: await attempt('/api/integrations/oauth/start', { method: 'POST', body: JSON.stringify({ platform: 'hubspot' }) }),
        };
      }, pulse.baseUrl);
      expect(outcome).toEqual({ read: 'blocked: TypeError', start: 'blocked: TypeError' });
      // The same calls from the listed origin go through (so the refusal above is CORS, not the token).
      await signIn(page, hostOrigin, 'nora');
      const allowed = await page.evaluate(async (pulseUrl) => {
        const { token } = await (await fetch('/session')).json();
        return (await fetch(`${pulseUrl}/api/integrations`, { headers: { authorization: `Bearer ${token}` } })).status;
      }, pulse.baseUrl);
      expect(allowed).toBe(200);
    } finally {
      await context.close();
    }
  });
});

/**
 * Browser tests' building blocks: a real `pulse-crm start` (server, worker and sandbox HubSpot on free
 * ports, fresh embedded database), Debian's Chromium through playwright-core, the sandbox admin API,
 * and screenshots under test/e2e/__screenshots__/ for a person to look at.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { seriousAxeViolations } from './axe.js';
import { freePort, repoRoot, runCli, stop, waitFor, waitForHealthy, type RunningCli } from './process.js';

export const screenshotDir = join(repoRoot, 'test', 'e2e', '__screenshots__');
export const viewports = { desktop: { width: 1280, height: 860 }, mobile: { width: 375, height: 760 } } as const;

export interface RunningApp {
  baseUrl: string;
  sandboxUrl: string;
  cli: RunningCli;
  close(): Promise<void>;
}

/** Rebuilds dist/web when a source under src/web is newer than the last build (the server serves dist/web). */
export async function ensureWebBuilt(): Promise<void> {
  const index = join(repoRoot, 'dist', 'web', 'index.html');
  const built = (() => { try { return statSync(index).mtimeMs; } catch { return 0; } })();
  const newest = (dir: string): number => readdirSync(dir, { withFileTypes: true })
    .reduce((max, entry) => Math.max(max, entry.isDirectory() ? newest(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs), 0);
  if (built > newest(join(repoRoot, 'src', 'web'))) return;
  const { build } = await import('vite');
  await build({ configFile: join(repoRoot, 'vite.config.ts'), logLevel: 'warn' });
}

export async function startApp(env: Record<string, string> = {}): Promise<RunningApp> {
  await ensureWebBuilt();
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-ui-'));
  const cli = runCli(['start'], { PORT: String(port), PULSE_SANDBOX_PORT: '0', PULSE_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealthy(baseUrl, cli);
  // PULSE_SANDBOX=off: no emulator, so the CRMs read as "credentials missing" (a server not set up yet).
  const sandboxUrl = env.PULSE_SANDBOX === 'off' ? ''
    : await waitFor(async () => cli.output().match(/"hubspot":"(http:\/\/[^"]+)"/)?.[1], 'the sandbox URL in the log');
  return {
    baseUrl,
    sandboxUrl,
    cli,
    async close() {
      await stop(cli);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Calls the sandbox's admin API (faults, token revocation, limits…). */
export async function sandboxAdmin(app: RunningApp, path: string, body: unknown = {}, method = 'POST'): Promise<unknown> {
  const response = await fetch(`${app.sandboxUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`sandbox ${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.json().catch(() => null);
}

/**
 * Per describe block: a fresh product (`pulse-crm start`, with `env` on top) and a page at `viewport`,
 * handed to `use` before the tests; a failing test leaves `FAILED-<prefix>-<test>.png`; both are closed afterwards.
 */
export function useAppPage(browser: () => Browser, viewport: { width: number; height: number }, failurePrefix: string, use: (app: RunningApp, page: Page) => void, env: Record<string, string> = {}): void {
  let app: RunningApp | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    app = await startApp(env);
    page = await browser().newPage({ viewport });
    use(app, page);
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) await screenshot(page, `FAILED-${failurePrefix}-${context.task.name.slice(0, 30)}`).catch(() => {});
  });
  afterAll(async () => {
    await page?.close();
    await app?.close();
  });
}

/**
 * Saves `<name>.png` (the full page) for a person to review; fonts and animations settle first.
 * Every state worth a screenshot is also checked with axe-core: a serious or critical finding fails
 * the test, so no UI test visits a state without it.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true, animations: 'disabled' });
  if (name.startsWith('FAILED-')) return;
  const violations = await seriousAxeViolations(page);
  if (violations.length > 0) throw new Error(`axe-core on ${name}:\n${violations.join('\n')}`);
}

/** The happy path through the wizard from Settings, up to its last step (left open), for the CRM named. */
export async function connectThroughWizard(page: Page, app: RunningApp, crm = 'HubSpot'): Promise<void> {
  await page.goto(`${app.baseUrl}/settings`);
  await page.getByRole('button', { name: 'Connect CRM' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Connect a CRM' });
  await dialog.getByRole('button', { name: `Connect ${crm}` }).click();
  const popupOpened = page.waitForEvent('popup');
  await dialog.getByRole('button', { name: `Connect ${crm}` }).click();
  await allowInPopup(await popupOpened);
  await dialog.getByText(`All set: Pulse can sync ${crm}.`).waitFor({ timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await dialog.getByRole('button', { name: 'Use the defaults' }).click();
  await dialog.getByRole('heading', { name: 'Your CRM is connected' }).waitFor();
}

/** Connects through the wizard, waits for its first sync, closes it and opens the dashboard. */
export async function connectAndOpenDashboard(page: Page, app: RunningApp, crm = 'HubSpot'): Promise<void> {
  await connectThroughWizard(page, app, crm);
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Sync finished').waitFor({ timeout: 90_000 });
  await dialog.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
}

export async function allowInPopup(popup: Page): Promise<void> {
  const closed = popup.waitForEvent('close');
  // The consent convention every emulator keeps (test/conformance/harness.ts): Zoho's button is not named "Allow".
  await popup.locator('form button[value="allow"]').click();
  await closed;
}

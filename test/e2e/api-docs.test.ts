/**
 * The API reference at /api/docs in a real browser: Swagger UI's own files from this server (no
 * CDN), public, rendering every operation under the app's Content-Security-Policy with nothing
 * refused and no console error — at 1280 and 375 px, with screenshots for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { launchBrowser, screenshotDir, viewports } from '../helpers/browser.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { TEST_JWT_SECRET } from '../helpers/users.js';

let browser: Browser;
let ctx: TestContext;
let app: Awaited<ReturnType<typeof buildApp>>;
let baseUrl: string;

beforeAll(async () => {
  ctx = await createTestContext({ PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET }, undefined, 'pglite');
  app = await buildApp(ctx, { serveWeb: false });
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await ctx?.close();
});

describe('the API reference at /api/docs', { timeout: 90_000 }, () => {
  it('is public and keeps the app\'s own Content-Security-Policy', async () => {
    const response = await fetch(`${baseUrl}/api/docs`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
  });

  for (const [size, viewport] of Object.entries(viewports)) {
    it(`renders every operation at ${viewport.width} px with no CSP violation, console error or outside request`, async () => {
      const page = await browser.newPage({ viewport });
      const problems: string[] = [];
      const outside: string[] = [];
      page.on('console', (message) => { if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`); });
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('request', (request) => { if (!request.url().startsWith(baseUrl) && !request.url().startsWith('data:')) outside.push(request.url()); });
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP refused ${event.violatedDirective} from ${event.sourceFile}`));
      });
      try {
        await page.goto(`${baseUrl}/api/docs`, { waitUntil: 'networkidle' });
        await page.getByRole('heading', { name: /Pulse CRM Integrations API/ }).waitFor();
        // One block per operation the document has, whatever routes come and go.
        const document = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
        const operations = Object.values(document.paths).flatMap((methods) => Object.keys(methods).filter((key) => ['get', 'post', 'put', 'patch', 'delete'].includes(key))).length;
        expect(operations).toBeGreaterThanOrEqual(19);
        await expect.poll(() => page.locator('.opblock').count()).toBe(operations);
        // An operation opens on its summary and shows the example response.
        await page.locator('#operations-integrations-listIntegrations').getByRole('button').first().click();
        await page.locator('#operations-integrations-listIntegrations .example').first().waitFor();
        expect(await page.locator('#operations-integrations-listIntegrations').textContent()).toContain('Sales EU');

        mkdirSync(screenshotDir, { recursive: true });
        await page.screenshot({ path: join(screenshotDir, `api-docs-${size}.png`), animations: 'disabled' });
        expect(problems).toEqual([]);
        expect(outside).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});

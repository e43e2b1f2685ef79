/**
 * axe-core in the page under test: its source is evaluated in the page through the DevTools
 * protocol (no network, no bundler) and run on the whole document. Not addScriptTag: that inserts
 * an inline <script>, which the app's Content-Security-Policy (script-src 'self') rightly blocks,
 * and bypassing the policy in tests would hide a UI that breaks it. Only serious and critical findings fail a test; the rest
 * are printed so a person sees them without the suite turning red over a best practice.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** The serious and critical findings on the page as it is now, as readable lines (empty = pass). */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const findings = await axeFindings(page);
  const minor = findings.filter((f) => f.impact !== 'serious' && f.impact !== 'critical');
  if (minor.length > 0) console.info(`axe (moderate/minor) on ${page.url()}:`, minor.map((f) => `${f.id}: ${f.targets.join(', ')}`));
  return findings.filter((f) => f.impact === 'serious' || f.impact === 'critical').map((f) => `${f.impact} ${f.id} (${f.help}): ${f.targets.join(', ')}`);
}

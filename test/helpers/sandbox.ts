import { startSandbox, type Sandbox, type StartSandboxOptions } from '../../src/sandbox/index.js';
import type { SandboxApp, SandboxUrls } from '../../src/crm/endpoints.js';
import type { PlatformId } from '../../src/crm/platforms.js';

/** The sandbox on ephemeral ports (every registered emulator), each built-in app accepting `redirectUri`. */
export async function startTestSandbox(redirectUri: string, options: StartSandboxOptions = {}): Promise<Sandbox & { wiring: { urls: SandboxUrls; apps: Partial<Record<PlatformId, SandboxApp>> } }> {
  const sandbox = await startSandbox({ seed: 7, records: 30, ...options, redirectUris: [redirectUri] });
  return Object.assign(sandbox, { wiring: { urls: sandbox.urls, apps: sandbox.apps } });
}

/**
 * Plays the person at the consent page without a browser: loads it, then posts its form as the
 * Allow or Deny button would, for the first account of its select or the one given (which the
 * select must offer). Returns where the sandbox redirects the browser (our callback).
 */
export async function answerConsent(authorizeUrl: string, decision: 'allow' | 'deny', accountId?: number): Promise<URL> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  if (!page.ok) throw new Error(`The consent page answered ${page.status}: ${html.slice(0, 300)}`);
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(decode(match[1]!), decode(match[2]!));
  const offered = [...html.matchAll(/<option value="(\d+)"/g)].map((match) => match[1]!);
  if (accountId !== undefined && !offered.includes(String(accountId))) throw new Error(`The consent page does not offer account ${accountId} (it offers ${offered.join(', ')})`);
  form.set('account_id', accountId === undefined ? offered[0]! : String(accountId));
  form.set('decision', decision);
  const response = await fetch(new URL('/oauth/authorize', authorizeUrl), { method: 'POST', body: form, redirect: 'manual' });
  const location = response.headers.get('location');
  if (!location) throw new Error(`The consent form did not redirect (HTTP ${response.status}): ${await response.text()}`);
  return new URL(location);
}

const decode = (value: string) => value.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');

export async function admin(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sandbox.urls.hubspot}${path}`, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`sandbox ${method} ${path} → ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

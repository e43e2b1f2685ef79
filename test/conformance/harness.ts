/**
 * Everything the conformance suite does whose signature may change while src/crm, src/sync and the
 * sandbox are being reshaped: starting one platform's emulator, connecting through its consent page,
 * building a connector for an integration, reading the emulator's records export, and the admin calls
 * not every emulator has yet. The tests never name a CRM; this file is the one place that adapts.
 */
import { integrationsRepository, type Integration } from '../../src/db/integrations-repository.js';
import { createConnector } from '../../src/crm/connectors.js';
import type { Connector, FieldsOf } from '../../src/crm/connector.js';
import type { SandboxApp, SandboxUrls } from '../../src/crm/endpoints.js';
import { beginOAuth } from '../../src/crm/oauth-begin.js';
import { completeOAuth, startOAuth } from '../../src/crm/oauth-flow.js';
import { platformIds, platforms, type ObjectType, type PlatformId } from '../../src/crm/platforms.js';
import { SANDBOX_APPS, startSandbox, type Sandbox, type SandboxProvider } from '../../src/sandbox/index.js';
import type { AppContext } from '../../src/server/context.js';
import { asUser, ensureUser } from '../helpers/users.js';

/** Every CRM the registry marks available: a CRM joins the suite by flipping that flag. */
export const availablePlatforms: PlatformId[] = platformIds.filter((id) => platforms[id].available);

export interface ExportedRecord {
  id: string;
  createdAt?: string;
  updatedAt: string;
  archived: boolean;
  properties: Record<string, unknown>;
  associations?: Partial<Record<ObjectType, string[]>>;
}

export interface Emulator {
  platform: PlatformId;
  /** The emulator's origin (no trailing slash): its API, OAuth server and /_sandbox admin API. */
  url: string;
  /** What createContext needs to reach it. */
  wiring: { urls: SandboxUrls; apps: Partial<Record<PlatformId, SandboxApp>> };
  /** An admin API call; throws on any non-2xx answer, returns the parsed JSON (undefined when empty). */
  admin(method: string, path: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

export interface EmulatorOptions {
  /** Our OAuth callback, registered with the emulator's built-in app. */
  redirectUri: string;
  records: Record<ObjectType, number>;
  seed?: number;
}

export async function startEmulator(platform: PlatformId, options: EmulatorOptions): Promise<Emulator> {
  // Today's startSandbox and SANDBOX_APPS know HubSpot only; they are being widened to every provider.
  const app = (SANDBOX_APPS as unknown as Record<PlatformId, { clientId: string; clientSecret: string }>)[platform];
  const sandbox: Sandbox = await startSandbox({
    providers: [platform as SandboxProvider],
    port: 0,
    seed: options.seed ?? 7,
    records: options.records,
    apps: [{ clientId: app.clientId, redirectUris: [options.redirectUri] }],
    // Change notifications go out at once, so a test waits for them only as long as delivery takes.
    webhooks: { flushDelayMs: 10 },
  });
  const url = (sandbox.urls as Record<string, string>)[platform]!;
  sandboxes.set(url, sandbox);
  return {
    platform,
    url,
    wiring: { urls: { [platform]: url }, apps: { [platform]: { clientId: app.clientId, clientSecret: app.clientSecret } } },
    admin: (method, path, body) => adminCall(url, method, path, body),
    async close() {
      sandboxes.delete(url);
      await sandbox.close();
    },
  };
}
const sandboxes = new Map<string, Sandbox>();

export async function adminCall(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${url}${path}`, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`emulator ${method} ${path} → ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** The emulator's records export (live ones unless asked otherwise). */
export async function exportRecords(url: string, object: ObjectType, archived: 'false' | 'true' | 'all' = 'false'): Promise<ExportedRecord[]> {
  const response = await fetch(`${url}/_sandbox/records/${object}?archived=${archived}`);
  if (!response.ok) throw new Error(`records export of ${object} → ${response.status}`);
  return (await response.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/**
 * The account Pulse connects to (the consent page's first choice).
 * TODO(sandbox): use `/_sandbox/accounts/default/...` once every emulator answers to `default`.
 */
export async function defaultAccountPath(emulator: Emulator): Promise<string> {
  const { defaultAccountId } = await emulator.admin('GET', '/_sandbox');
  return `/_sandbox/accounts/${defaultAccountId}`;
}

/**
 * A new record made in the CRM.
 * TODO(sandbox): `POST /_sandbox/records/:object` without properties (a generated record) once it
 * lands; today an empty property set is the one create every emulator's validation accepts.
 */
export async function createInEmulator(emulator: Emulator, object: ObjectType): Promise<string> {
  const created = await emulator.admin('POST', `/_sandbox/records/${object}`, { properties: {} });
  return String(created.id);
}

/**
 * An edit made in the CRM that moves the record's modification time.
 * TODO(sandbox): `PATCH /_sandbox/records/:object/:id` without properties (a generated touch) once it
 * lands; until then one property of the exported record is changed, the first the CRM accepts.
 */
export async function touchInEmulator(emulator: Emulator, object: ObjectType, id: string): Promise<void> {
  const record = (await exportRecords(emulator.url, object)).find((r) => r.id === id);
  if (!record) throw new Error(`${object} ${id} is not in the emulator`);
  for (const [key, value] of Object.entries(record.properties).sort(([a], [b]) => a.localeCompare(b))) {
    if (typeof value !== 'string' || value === '' || Number.isFinite(Number(value))) continue;
    const response = await fetch(`${emulator.url}/_sandbox/records/${object}/${id}`, {
      method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ properties: { [key]: `${value} Jr` } }),
    });
    if (!response.ok) continue;
    const after = (await exportRecords(emulator.url, object)).find((r) => r.id === id)!;
    if (after.updatedAt !== record.updatedAt) return;
  }
  throw new Error(`no property of ${object} ${id} could be changed`);
}

/**
 * Waits until the emulator has delivered the change notifications (webhooks) it owes for the changes
 * made so far, for CRMs whose modification times do not show every change (association edits).
 * TODO(sandbox): an admin route that says "no deliveries pending"; today HubSpot's dispatcher is asked.
 */
export async function notificationsDelivered(emulator: Emulator): Promise<void> {
  await sandboxes.get(emulator.url)?.hubspot.dispatcher.idle();
}

/**
 * Sends the emulator's change notifications to our server at `publicUrl`, as the CRM's app settings
 * would (what `pulse-crm start` does for its own emulator).
 * TODO(lead): each CRM module should say which change notifications it needs; today HubSpot's
 * association-change subscriptions are spelled out here.
 */
export async function subscribeNotifications(emulator: Emulator, publicUrl: string): Promise<void> {
  if (emulator.platform !== 'hubspot') return;
  await emulator.admin('PUT', `/_sandbox/webhooks/${SANDBOX_APPS.hubspot.appId}`, {
    targetUrl: `${publicUrl}/crm/webhooks/hubspot`,
    subscriptions: ['contact', 'company', 'deal'].map((object) => ({ eventType: `${object}.associationChange`, active: true })),
  });
}

/**
 * Connects `platform` for `sub` through the real OAuth flow: start and begin as the wizard's popup
 * does, the consent page answered as a person would (`answerConsentForm`), then our callback. With
 * `server: true` the browser follows the emulator's redirect to our listening server (the flow's
 * cookie with it); without, the callback's handler is called in this process (no server running).
 */
export async function connectThroughConsent(ctx: AppContext, platform: PlatformId, sub: string, options: { server?: boolean } = {}): Promise<Integration> {
  const userId = await ensureUser(ctx, sub);
  const appOrigin = new URL(ctx.config.publicUrl).origin;
  const { ticket } = await startOAuth(ctx, userId, { platform, appOrigin });
  const begun = await beginOAuth(ctx, ticket, appOrigin, 'popup');
  if (!begun.ok) throw new Error(`begin failed: ${begun.message}`);
  const callback = await answerConsentForm(begun.authorizeUrl);
  if (!options.server) {
    const outcome = await completeOAuth(ctx, callback, begun.cookie.value);
    if (!outcome.ok) throw new Error(`connect failed: ${outcome.message}`);
    return outcome.integration;
  }
  if (callback.origin !== appOrigin) throw new Error(`The emulator redirected to ${callback.origin}, not to Pulse at ${appOrigin}`);
  const page = await fetch(callback, { headers: { cookie: `${begun.cookie.name}=${begun.cookie.value}` }, redirect: 'manual' });
  const body = await page.text();
  const id = /"integrationId":"([0-9a-f-]{36})"/.exec(body)?.[1];
  if (page.status !== 200 || !id) throw new Error(`Our callback answered ${page.status}: ${body.slice(0, 500)}`);
  return asUser(ctx, userId, async (tx) => (await integrationsRepository(tx, ctx.keys).find(id))!);
}

/**
 * Any consent page, answered "allow" without knowing whose it is: the page's <form> (action, method),
 * every hidden input, the first <option> of each <select>, and the button `decision=allow`. Returns
 * where the emulator sends the browser (our callback).
 */
export async function answerConsentForm(authorizeUrl: string): Promise<URL> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`The consent page answered ${page.status}: ${html.slice(0, 300)}`);
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`The consent page has no form: ${html.slice(0, 300)}`);
  const attribute = (tag: string, name: string) => {
    const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
    return match ? decodeEntities(match[1] ?? match[2] ?? match[3] ?? '') : undefined;
  };
  const fields = new URLSearchParams();
  for (const [input] of form[2]!.matchAll(/<input\b[^>]*>/gi)) {
    if ((attribute(input, 'type') ?? '').toLowerCase() !== 'hidden') continue;
    const name = attribute(input, 'name');
    if (name) fields.append(name, attribute(input, 'value') ?? '');
  }
  for (const [, tag, options] of form[2]!.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
    const name = attribute(tag!, 'name');
    const first = /<option\b([^>]*)>([\s\S]*?)<\/option>/i.exec(options!);
    if (name && first) fields.append(name, attribute(first[1]!, 'value') ?? decodeEntities(first[2]!.trim()));
  }
  const allow = [...form[2]!.matchAll(/<button\b[^>]*>/gi)].map(([tag]) => tag).find((tag) => attribute(tag, 'value') === 'allow');
  if (!allow) throw new Error('The consent form has no button with value "allow"');
  fields.append(attribute(allow, 'name') ?? 'decision', 'allow');
  const method = (attribute(form[1]!, 'method') ?? 'get').toUpperCase();
  const action = new URL(attribute(form[1]!, 'action') ?? '', authorizeUrl);
  if (method === 'GET') for (const [key, value] of fields) action.searchParams.append(key, value);
  const response = await fetch(action, method === 'GET' ? { redirect: 'manual' } : { method, body: fields, redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status < 300 || response.status >= 400 || !location) throw new Error(`The consent form did not redirect (HTTP ${response.status}): ${await response.text()}`);
  return new URL(location, action);
}

const decodeEntities = (value: string) => value
  .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
  .replace(/&#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)))
  .replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The connector the engine would build for this integration (same limiter, same token source). */
export async function connectorFor(ctx: AppContext, integration: Integration): Promise<Connector> {
  const current = await asUser(ctx, integration.userId, async (tx) => (await integrationsRepository(tx, ctx.keys).find(integration.id))!);
  return createConnector(ctx, ctx.services, { platform: current.platform, externalAccountId: current.externalAccountId, tokens: ctx.services.tokens.source(current) });
}

export type { FieldsOf };

/**
 * Environment that points a separately started Pulse process (`pulse-crm worker`, the embedded
 * product fixture) at this emulator.
 * TODO(lead): today a process finds the sandbox through PULSE_SANDBOX_HOST/PORT, and only HubSpot's;
 * per-platform sandbox URLs belong here once the configuration says them.
 */
export function processEnvFor(emulator: Emulator): Record<string, string> {
  const url = new URL(emulator.url);
  return { PULSE_SANDBOX: 'auto', PULSE_SANDBOX_HOST: url.hostname, PULSE_SANDBOX_PORT: url.port };
}

/**
 * Gives the integration a grant that may write. Until a platform's two-way sync is available
 * (`platforms[id].twoWay.available`), Pulse asks the consent page for no write scope, so the grant is
 * replaced with one the emulator mints for its app's scopes, optional write scopes included.
 * TODO(lead): once write scopes can be asked for, connect with them instead; `POST /_sandbox/tokens`
 * is HubSpot's admin route and not (yet) in the admin API every emulator implements.
 */
export async function grantWriteAccess(ctx: AppContext, emulator: Emulator, integration: Integration): Promise<void> {
  const minted = await emulator.admin('POST', '/_sandbox/tokens', {});
  await asUser(ctx, integration.userId, (tx) => integrationsRepository(tx, ctx.keys).saveTokens(integration.id, {
    accessToken: minted.access_token, refreshToken: minted.refresh_token, expiresAt: new Date(Date.now() + Number(minted.expires_in) * 1000),
  }));
  ctx.services.tokens.forget(integration.id);
}

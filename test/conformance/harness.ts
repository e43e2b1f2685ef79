/**
 * Everything the conformance suite does whose signature may change while src/crm, src/sync and the
 * sandbox are being reshaped: starting one platform's emulator, connecting through its consent page,
 * building a connector for an integration, reading the emulator's records export, and the admin calls
 * not every emulator has yet. The tests never name a CRM; this file is the one place that adapts.
 */
import { integrationsRepository, type Integration } from '../../src/db/integrations-repository.js';
import { integrationConnector } from '../../src/crm/connectors.js';
import type { Connector, FieldsOf } from '../../src/crm/connector.js';
import type { SandboxApp, SandboxUrls } from '../../src/crm/endpoints.js';
import { beginOAuth } from '../../src/crm/oauth-begin.js';
import { completeOAuth, startOAuth } from '../../src/crm/oauth-flow.js';
import { optionalScopes, platformIds, platforms, type ObjectType, type PlatformId } from '../../src/crm/platforms.js';
import { EMULATORS, SANDBOX_APPS, SANDBOX_BASE_PORT, SANDBOX_PORTS, startSandbox, type Sandbox, type SandboxProvider } from '../../src/sandbox/index.js';
import type { EmulatorContext } from '../../src/sandbox/core/context.js';
import type { AppContext } from '../../src/app-context.js';
import { asUser, ensureUser } from '../helpers/users.js';
import { answerConsentForm } from '../../src/sandbox/core/consent-client.js';
import type { Emulator as EmulatorEntry } from '../../src/sandbox/core/emulator.js';
import { manualWebhookStep } from '../../src/crm/webhook-subscriptions.js';
import { moduleFor } from '../../src/crm/modules.js';

export { answerConsentForm };

/**
 * Every CRM the registry marks available: a CRM joins the suite by flipping that flag.
 * `PULSE_CONFORMANCE_PLATFORMS=salesforce,zoho` narrows a local run to some of them (CI runs all).
 */
const only = process.env.PULSE_CONFORMANCE_PLATFORMS?.split(',').map((id) => id.trim()).filter(Boolean);
export const availablePlatforms: PlatformId[] = platformIds.filter((id) => platforms[id].available && (!only || only.includes(id)));

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
  const provider = platform as SandboxProvider;
  const sandbox: Sandbox = await startSandbox({
    providers: [provider],
    seed: options.seed ?? 7,
    records: options.records,
    redirectUris: [options.redirectUri],
    // Change notifications go out at once, so a test waits for them only as long as delivery takes.
    webhooks: { flushDelayMs: 10 },
    // A real search index trails writes and orders ties as it likes: the suite runs against that, so
    // the engine's overlap window is exercised rather than assumed (emulators without search ignore it).
    search: { lagMs: SEARCH_LAG_MS, shuffleTies: true },
  });
  const url = sandbox.urls[provider];
  const context = sandbox[provider] as EmulatorContext;
  contexts.set(url, { provider, context });
  return {
    platform,
    url,
    // With the developer credentials where webhooks belong to the app, as `npm start` gives them (Pulse keeps those webhooks).
    wiring: { urls: { [platform]: url }, apps: { [platform]: { ...sandbox.apps[provider], ...(SANDBOX_APPS[provider].developer ? { developer: SANDBOX_APPS[provider].developer } : {}) } } },
    admin: (method, path, body) => adminCall(url, method, path, body),
    async close() {
      contexts.delete(url);
      await sandbox.close();
    },
  };
}
const contexts = new Map<string, { provider: SandboxProvider; context: EmulatorContext }>();

export async function adminCall(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${url}${path}`, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`emulator ${method} ${path} → ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** How far the emulators' search indexes trail writes, in emulator time. */
export const SEARCH_LAG_MS = 30_000;

/** Lets the emulator's search index catch up with every write so far (its clock moves past the lag). */
export async function letSearchCatchUp(emulator: Emulator): Promise<void> {
  await emulator.admin('POST', '/_sandbox/clock', { advanceMs: SEARCH_LAG_MS + 1000 });
}

/** The emulator's records export (live ones unless asked otherwise). */
export async function exportRecords(url: string, object: ObjectType, archived: 'false' | 'true' | 'all' = 'false'): Promise<ExportedRecord[]> {
  const response = await fetch(`${url}/_sandbox/records/${object}?archived=${archived}`);
  if (!response.ok) throw new Error(`records export of ${object} → ${response.status}`);
  return (await response.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** The account Pulse connects to (the consent page's first choice). */
export async function defaultAccountPath(_emulator: Emulator): Promise<string> {
  return '/_sandbox/accounts/default';
}

/** A new record made in the CRM (generated by the emulator). */
export async function createInEmulator(emulator: Emulator, object: ObjectType): Promise<string> {
  const created = await emulator.admin('POST', `/_sandbox/records/${object}`, {});
  return String(created.id);
}

/** An edit made in the CRM that moves the record's modification time (generated by the emulator). */
export async function touchInEmulator(emulator: Emulator, object: ObjectType, id: string): Promise<void> {
  await emulator.admin('PATCH', `/_sandbox/records/${object}/${id}`, {});
}

/**
 * Waits until the emulator has delivered the change notifications (webhooks) it owes for the changes
 * made so far, for CRMs whose modification times do not show every change (association edits).
 * TODO(sandbox): an admin route that says "no deliveries pending"; today the dispatcher is asked.
 */
export async function notificationsDelivered(emulator: Emulator): Promise<void> {
  await contexts.get(emulator.url)!.context.dispatcher.idle();
}

/**
 * Sends the emulator's change notifications to our server at `publicUrl`, as `npm start` does for
 * its own emulators (each emulator's `onLocalStart`, where an emulator wires something itself).
 */
export async function subscribeNotifications(emulator: Emulator, publicUrl: string): Promise<void> {
  const { provider, context } = contexts.get(emulator.url)!;
  const entry = EMULATORS[provider] as { onLocalStart?(ctx: EmulatorContext, wiring: { url: string; publicUrl: string }): Promise<void> };
  await entry.onLocalStart?.(context, { url: emulator.url, publicUrl });
}

/** Whether the CRM pushes deletions (its receiver's `pushes`), or they come with the listing only. */
export function pushesDeletions(platform: PlatformId): boolean {
  return moduleFor(platform).webhooks?.pushes?.includes('deletion') ?? true;
}

/** Whether the CRM pushes association changes, or they come with the listing only. */
export function pushesAssociationChanges(platform: PlatformId): boolean {
  return moduleFor(platform).webhooks?.pushes?.includes('association_change') ?? true;
}

/**
 * Does what a person does in the CRM where no app can subscribe to its changes (modules with
 * `subscriptions.manual`): pastes the address Pulse shows them into the CRM's set-up pages, which
 * the emulator's admin call stands for. Nothing for other CRMs.
 */
export async function setUpManualWebhooks(ctx: AppContext, emulator: Emulator, integration: Integration): Promise<void> {
  const setup = (EMULATORS[emulator.platform as SandboxProvider] as EmulatorEntry<EmulatorContext>).manualWebhookSetup;
  const step = await manualWebhookStep(ctx, integration);
  if (!setup || !step) return;
  if (!step.url) throw new Error(`Pulse has no address to paste: ${step.reason}`);
  await emulator.admin(setup.method, setup.path, setup.body(step.url));
}

/**
 * Connects `platform` for `sub` through the real OAuth flow: start and begin as the wizard's popup
 * does, the consent page answered as a person would (`answerConsentForm`), then our callback. With
 * `server: true` the browser follows the emulator's redirect to our listening server (the flow's
 * cookie with it); without, the callback's handler is called in this process (no server running).
 * `everyOptionalScope` grants what the wizard leaves to the person as well (unticked by default).
 */
export async function connectThroughConsent(ctx: AppContext, platform: PlatformId, sub: string, options: { server?: boolean; everyOptionalScope?: boolean } = {}): Promise<Integration> {
  const userId = await ensureUser(ctx, sub);
  const appOrigin = new URL(ctx.config.publicUrl).origin;
  // A person who ticks every optional permission the wizard offers (a CRM's change notifications can be one).
  const scopes = options.everyOptionalScope ? optionalScopes(platform) : undefined;
  const { ticket } = await startOAuth(ctx, userId, { platform, appOrigin, scopes });
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

/** The connector the engine would build for this integration (same limiter, same token source). */
export async function connectorFor(ctx: AppContext, integration: Integration): Promise<Connector> {
  const current = await asUser(ctx, integration.userId, async (tx) => (await integrationsRepository(tx, ctx.keys).find(integration.id))!);
  return integrationConnector(ctx, current);
}

export type { FieldsOf };

/**
 * Environment that points a separately started Pulse process (`pulse-crm worker`, the embedded
 * product fixture) at this emulator: PULSE_SANDBOX_PORT is the base every emulator's port is offset
 * from, so it is chosen to put this platform's emulator on the port it really has.
 */
export function processEnvFor(emulator: Emulator): Record<string, string> {
  const url = new URL(emulator.url);
  const offset = SANDBOX_PORTS[emulator.platform as SandboxProvider] - SANDBOX_BASE_PORT;
  return { PULSE_SANDBOX: 'auto', PULSE_SANDBOX_HOST: url.hostname, PULSE_SANDBOX_PORT: String(Number(url.port) - offset) };
}

/**
 * Gives the integration a grant that may write. Until a platform's two-way sync is available
 * (`platforms[id].twoWay.available`), Pulse asks the consent page for no write scope, so the grant is
 * replaced with one the emulator mints for its app's scopes, optional write scopes included.
 * TODO(lead): once write scopes can be asked for, connect with them instead.
 */
export async function grantWriteAccess(ctx: AppContext, emulator: Emulator, integration: Integration): Promise<void> {
  const minted = await emulator.admin('POST', '/_sandbox/tokens', {});
  await asUser(ctx, integration.userId, (tx) => integrationsRepository(tx, ctx.keys).saveTokens(integration.id, {
    // The token endpoint's body, in the OAuth field names; a CRM that omits expires_in gets Pulse's refresh-on-401.
    accessToken: minted.access_token, refreshToken: minted.refresh_token, expiresAt: minted.expires_in ? new Date(Date.now() + Number(minted.expires_in) * 1000) : null,
  }));
  ctx.services.tokens.forget(integration.id);
}

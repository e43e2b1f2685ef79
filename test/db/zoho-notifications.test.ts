import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beginOAuth } from '../../src/crm/oauth-begin.js';
import { completeOAuth, startOAuth } from '../../src/crm/oauth-flow.js';
import type { Integration } from '../../src/db/integrations-repository.js';
import { asSystem } from '../../src/db/tenant.js';
import { answerConsentForm, connectorFor } from '../conformance/harness.js';
import { credentialsOf } from '../helpers/connect.js';
import { engine } from '../helpers/database.js';
import { waitFor } from '../helpers/process.js';
import { startProduct, type RunningProduct } from '../helpers/running-product.js';
import { syncAndWait } from '../helpers/sync.js';
import { ensureUser } from '../helpers/users.js';

/**
 * Zoho notifications end to end: Pulse subscribes a channel at connect (expiring within a day) and
 * renews it at every run; the emulator posts each change to our public inbound path with the
 * channel's token, which we verify; a notified deletion is applied by a run of its own within seconds;
 * the records a notification names are read by id, as a listing would have read them.
 */
describe(`Zoho notification channels, on ${engine}`, () => {
  let product: RunningProduct;
  let zoho: string;
  let integration: Integration;

  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${zoho}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${await response.text()}`);
    return response.status === 204 ? null : response.json();
  };
  const channels = async () => {
    const { accessToken } = (await credentialsOf(product.ctx, integration))!;
    const response = await fetch(`${zoho}/crm/v8/actions/watch`, { headers: { authorization: `Zoho-oauthtoken ${accessToken}` } });
    return response.status === 204 ? [] : ((await response.json()) as { watch: { channel_id: string; channel_expiry: string; notify_url: string; events: string[] }[] }).watch;
  };
  const events = () => asSystem(product.ctx.db.pool, async (tx) => (await tx.query(
    `SELECT kind, object, remote_id, processed_at FROM crm_webhook_events WHERE integration_id = $1 ORDER BY id`, [integration.id])).rows);

  beforeAll(async () => {
    product = await startProduct({ sandbox: { records: 30, webhooks: { flushDelayMs: 10 } } });
    zoho = product.sandbox.urls.zoho!;
    const ctx = product.ctx;
    const userId = await ensureUser(ctx, 'notified');
    const appOrigin = new URL(ctx.config.publicUrl).origin;
    const { ticket } = await startOAuth(ctx, userId, { platform: 'zoho', appOrigin, scopes: ['ZohoCRM.notifications.ALL'] });
    const begun = await beginOAuth(ctx, ticket, appOrigin, 'popup');
    if (!begun.ok) throw new Error(begun.message);
    const outcome = await completeOAuth(ctx, await answerConsentForm(begun.authorizeUrl), begun.cookie.value);
    if (!outcome.ok) throw new Error(outcome.message);
    integration = outcome.integration;
  });
  afterAll(() => product?.close());

  it('subscribes a channel at connect, to our inbound path, expiring within a day', async () => {
    const [channel, ...more] = await channels();
    expect(more).toEqual([]);
    expect(channel!.notify_url).toBe(`${product.baseUrl}/crm/webhooks/zoho`);
    expect(channel!.events.sort()).toEqual(['Accounts.all', 'Contacts.all', 'Deals.all']);
    const expiresIn = Date.parse(channel!.channel_expiry) - Date.now();
    expect(expiresIn).toBeGreaterThan(23 * 3600_000);
    expect(expiresIn).toBeLessThanOrEqual(24 * 3600_000);
  });

  it('records a notified deletion, applies it in a run of its own within seconds, and renews the channel at the next sync', async () => {
    const first = await syncAndWait(product.ctx, integration.userId, integration.id);
    expect(first.status).toBe('success');
    const before = (await channels())[0]!.channel_expiry;
    const [contact] = (await (await fetch(`${zoho}/_sandbox/records/contacts?archived=false`)).text()).split('\n').filter(Boolean).map((line) => JSON.parse(line));
    await admin('DELETE', `/_sandbox/records/contacts/${contact.id}`);
    const delivered = await waitFor(async () => (await events()).find((e) => e.kind === 'deletion' && e.remote_id === String(contact.id)), 'the deletion notification', 10_000);
    expect(delivered).toMatchObject({ object: 'contacts' });

    // No sync asked for: the pushed change starts a run that applies it, and only it.
    const pushedRun = await waitFor(async () => asSystem(product.ctx.db.pool, async (tx) => (await tx.query(
      `SELECT sync_type, status FROM crm_sync_logs WHERE integration_id = $1 AND sync_type = 'webhook' AND status <> 'running'`, [integration.id])).rows[0]), 'the pushed-changes run', 15_000);
    expect(pushedRun.status).toBe('success');
    const row = await asSystem(product.ctx.db.pool, async (tx) => (await tx.query(
      'SELECT deleted_at FROM crm_contacts WHERE integration_id = $1 AND remote_id = $2', [integration.id, String(contact.id)])).rows[0]);
    expect(row.deleted_at).not.toBeNull();
    expect((await events()).find((e) => e.kind === 'deletion' && e.remote_id === String(contact.id))!.processed_at).not.toBeNull();
    // A pushed-changes run spends no request on the channel; the next sync renews it (a later expiry: whole seconds).
    expect((await channels())[0]!.channel_expiry).toBe(before);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await syncAndWait(product.ctx, integration.userId, integration.id);
    expect(second.status).toBe('success');
    expect(Date.parse((await channels())[0]!.channel_expiry)).toBeGreaterThan(Date.parse(before));
  });

  it('refuses a callback whose token is not ours, and a body that is not a notification', async () => {
    const post = (body: unknown) => fetch(`${product.baseUrl}/crm/webhooks/zoho`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const forged = { channel_id: '1', module: 'Contacts', operation: 'delete', ids: ['1'], token: `${integration.externalAccountId}.AAAAAAAAAAAAAAAAAAAAAAAAAAAA`, server_time: 1 };
    expect((await post(forged)).status).toBe(401);
    expect((await post({ ...forged, token: undefined })).status).toBe(401);
    expect((await post({ nonsense: true })).status).toBe(401);
  });

  it('reads the records a notification named by id, mapped as a listing maps them (lookups too), and names those Zoho no longer holds', async () => {
    const connector = await connectorFor(product.ctx, integration);
    const listed = (await connector.listRecords('deals', { mode: 'full' })).records.slice(0, 3);
    const read = await connector.readRecords!('deals', [...listed.map((deal) => deal.remoteId), '4150868000099999999']);
    expect(read.records).toEqual(listed);
    expect(listed.some((deal) => (deal.associations?.companies ?? []).length > 0)).toBe(true);
    expect(read.missing).toEqual(['4150868000099999999']);

    const [, contact] = (await (await fetch(`${zoho}/_sandbox/records/contacts?archived=false`)).text()).split('\n').filter(Boolean).map((line) => JSON.parse(line));
    await admin('DELETE', `/_sandbox/records/contacts/${contact.id}`);
    // Nothing live among the ids: Zoho answers 204, every id missing.
    expect(await connector.readRecords!('contacts', [String(contact.id)])).toEqual({ records: [], missing: [String(contact.id)] });
  });
});

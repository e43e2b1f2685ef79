import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beginOAuth } from '../../src/crm/oauth-begin.js';
import { completeOAuth, startOAuth } from '../../src/crm/oauth-flow.js';
import type { Integration } from '../../src/db/integrations-repository.js';
import { asSystem } from '../../src/db/tenant.js';
import { expireStoredToken, reload } from '../helpers/connect.js';
import { engine } from '../helpers/database.js';
import { startProduct, type RunningProduct } from '../helpers/running-product.js';
import { syncAndWait } from '../helpers/sync.js';
import { ensureUser } from '../helpers/users.js';

/**
 * A Zoho account outside the US data centre, through Pulse's own OAuth flow and sync, on the
 * emulator: the person picks the EU DC and the EU org on the consent page; the code is exchanged at
 * the accounts server the redirect names; the API is read at the token's api_domain; a refresh goes
 * to the EU accounts server (the emulator refuses a refresh token, code or access token in any other
 * DC, so a request sent to the US would fail the run).
 */
describe(`a Zoho account in the EU data centre, through Pulse, on ${engine}`, () => {
  let product: RunningProduct;
  let zoho: string;
  let orgId: number;
  let integration: Integration;

  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${zoho}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${await response.text()}`);
    return response.json();
  };
  const remoteIds = async (object: string) => (await (await fetch(`${zoho}/_sandbox/records/${object}?archived=false&accountId=${orgId}`)).text())
    .split('\n').filter(Boolean).map((line) => String(JSON.parse(line).id)).sort();
  const storedIds = (table: string) => asSystem(product.ctx.db.pool, async (tx) => (await tx.query(
    `SELECT remote_id FROM ${table} WHERE integration_id = $1 AND deleted_at IS NULL ORDER BY remote_id`, [integration.id])).rows.map((row) => String(row.remote_id)));

  beforeAll(async () => {
    product = await startProduct({ sandbox: { records: 20 } });
    zoho = product.sandbox.urls.zoho!;
    orgId = (await admin('POST', '/_sandbox/accounts', { name: 'Europa GmbH', records: { contacts: 60, companies: 15, deals: 25 } })).id;
    await admin('PUT', `/_sandbox/orgs/${orgId}`, { location: 'eu' });
  });
  afterAll(() => product?.close());

  it('connects through the consent page with the EU org picked, keeping where the org lives', async () => {
    const ctx = product.ctx;
    const userId = await ensureUser(ctx, 'eu-user');
    const appOrigin = new URL(ctx.config.publicUrl).origin;
    const { ticket } = await startOAuth(ctx, userId, { platform: 'zoho', appOrigin });
    const begun = await beginOAuth(ctx, ticket, appOrigin, 'popup');
    if (!begun.ok) throw new Error(begun.message);
    // The person's part: the page (US accounts server, as the registry's authorize URL is) offers the
    // US DC first and lists the EU org with its DC; they pick Europe and that org.
    const page = await (await fetch(begun.authorizeUrl)).text();
    expect(/name="location"><option value="([a-z]+)"/.exec(page)![1]).toBe('us');
    expect(page).toMatch(new RegExp(`<option value="${orgId}">Europa GmbH \\(${orgId}\\) - [^<]+ - Europe</option>`));
    const form = new URLSearchParams([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c)))]));
    form.set('location', 'eu');
    form.set('org_id', String(orgId));
    form.set('decision', 'allow');
    const answer = await fetch(new URL('/oauth/v2/auth', begun.authorizeUrl), { method: 'POST', body: form, redirect: 'manual' });
    const callback = new URL(answer.headers.get('location')!);
    expect(callback.searchParams.get('location')).toBe('eu');
    expect(callback.searchParams.get('accounts-server')).toBe(`${zoho}/eu`);

    const outcome = await completeOAuth(ctx, callback, begun.cookie.value);
    if (!outcome.ok) throw new Error(`${outcome.reason}: ${outcome.message}`);
    integration = outcome.integration;
    expect(integration.externalAccountId).toMatch(new RegExp(`${orgId}$`));
    expect(integration.connectionConfig).toEqual({ api_domain: `${zoho}/eu`, 'accounts-server': `${zoho}/eu` });
  });

  it('syncs the EU org completely, and again after the access token is refreshed at the EU accounts server', async () => {
    const first = await syncAndWait(product.ctx, integration.userId, integration.id);
    expect(first).toMatchObject({ status: 'success', contactsSynced: 60, companiesSynced: 15, dealsSynced: 25 });
    for (const [object, table] of [['contacts', 'crm_contacts'], ['companies', 'crm_companies'], ['deals', 'crm_deals']] as const) {
      expect(await storedIds(table)).toEqual(await remoteIds(object));
    }
    // The default (US) org's records stayed out.
    expect((await storedIds('crm_contacts')).length).toBe(60);

    const created = await admin('POST', '/_sandbox/records/contacts', { accountId: orgId });
    await expireStoredToken(product.ctx, integration);
    product.ctx.services.tokens.forget(integration.id);
    const second = await syncAndWait(product.ctx, integration.userId, integration.id);
    expect(second).toMatchObject({ status: 'success' });
    expect(await storedIds('crm_contacts')).toContain(String(created.id));
    expect((await reload(product.ctx, integration)).status).toBe('connected');
  });
});

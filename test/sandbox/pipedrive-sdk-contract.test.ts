/**
 * Pipedrive's official Node SDK (pipedrive npm, v2 APIs and OAuth2Configuration with `host`) drives
 * the emulator unchanged. Where it fails, the emulator is wrong.
 */
import { createServer, type Server } from 'node:http';
import { v1, v2 } from 'pipedrive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_APPS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { answerConsentForm } from '../conformance/harness.js';

const REDIRECT_URI = 'http://localhost:3000/crm/oauth/callback';
let sb: Sandbox<'pipedrive'>;
let url: string;

beforeAll(async () => {
  // The app is granted write and webhook scopes too (Pipedrive grants what the app declares).
  const scopes = ['base', 'contacts:full', 'deals:full', 'webhooks:full'];
  sb = await startSandbox({ providers: ['pipedrive'], apps: [{ clientId: SANDBOX_APPS.pipedrive.clientId, scopes }], accessTokenTtlSeconds: 3600, seed: 7, records: { contacts: 1200, companies: 150, deals: 300 }, webhooks: { flushDelayMs: 5, retryDelayMs: () => 20 } });
  url = sb.urls.pipedrive;
  // List answers take time per record by default; these tests are about shapes, not timing.
  await fetch(`${url}/_sandbox/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ listLatencyMsPerRecord: 0 }) });
});
afterAll(() => sb?.close());

const oauthConfig = () => new v2.OAuth2Configuration({ clientId: SANDBOX_APPS.pipedrive.clientId, clientSecret: SANDBOX_APPS.pipedrive.clientSecret, redirectUri: REDIRECT_URI, host: url });

/** An authorized configuration: the consent page approved, the code exchanged by the SDK. */
async function authorizedWithToken() {
  const config = oauthConfig();
  const callback = await answerConsentForm(`${config.authorizationUrl}&state=st-1`);
  const token = await config.authorize(callback.searchParams.get('code')!);
  return { config, token };
}
const authorizedOAuth = async () => (await authorizedWithToken()).config;

/** The SDK's documented wiring: an API `Configuration` reading the OAuth configuration's token and basePath. */
const apiConfig = (oauth: { getAccessToken: () => Promise<string>; basePath: string }) => new v2.Configuration({ accessToken: oauth.getAccessToken, basePath: oauth.basePath });
const authorized = async () => apiConfig(await authorizedOAuth());

/** The same grant for the v1 APIs (their configuration's basePath is `${api_domain}/api/v1`). */
async function authorizedV1() {
  const { token } = await authorizedWithToken();
  const config = new v1.OAuth2Configuration({ clientId: SANDBOX_APPS.pipedrive.clientId, clientSecret: SANDBOX_APPS.pipedrive.clientSecret, redirectUri: REDIRECT_URI, host: url });
  config.updateToken(token);
  return new v1.Configuration({ accessToken: config.getAccessToken, basePath: config.basePath });
}

async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error('expected the SDK call to fail');
}

describe('OAuth through the SDK', () => {
  it('authorizes through the consent page: api_domain is the emulator, scopes comma-separated, 3599 s', async () => {
    const config = oauthConfig();
    expect(config.authorizationUrl.startsWith(`${url}/oauth/authorize?client_id=`)).toBe(true);
    const callback = await answerConsentForm(`${config.authorizationUrl}&state=st-1`);
    expect(callback.searchParams.get('state')).toBe('st-1');
    const token = await config.authorize(callback.searchParams.get('code')!);
    expect(token).toMatchObject({ token_type: 'Bearer', api_domain: url });
    expect(token.scope).toBe('base,contacts:full,deals:full,webhooks:full');
    expect(token.expires_in).toBe(3599);
    expect(config.basePath).toBe(`${url}/api/v2`);
    // The same code twice is refused in Pipedrive's words.
    const again = await rejection(oauthConfig().authorize(callback.searchParams.get('code')!));
    expect(again.response?.data ?? again).toEqual({ success: false, message: 'Invalid grant: authorization_code is invalid', error: 'invalid_grant' });
  });

  it('a refused consent comes back as error=user_denied', async () => {
    const page = await (await fetch(`${oauthConfig().authorizationUrl}&state=x`)).text();
    expect(page).toContain('name="viewport"');
    const form = new URLSearchParams({ client_id: SANDBOX_APPS.pipedrive.clientId, redirect_uri: REDIRECT_URI, state: 'x', decision: 'deny' });
    const answer = await fetch(`${url}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    const location = new URL(answer.headers.get('location')!);
    expect(Object.fromEntries(location.searchParams)).toEqual({ error: 'user_denied', state: 'x' });
  });

  it('refreshes with rotation: a new refresh token each time, the exchanged one refused', async () => {
    const { config, token: first } = await authorizedWithToken();
    const refreshed = await config.tokenRefresh();
    expect(refreshed.refresh_token).not.toBe(first.refresh_token);
    expect(refreshed.access_token).not.toBe(first.access_token);
    const basic = Buffer.from(`${SANDBOX_APPS.pipedrive.clientId}:${SANDBOX_APPS.pipedrive.clientSecret}`).toString('base64');
    const reuse = await fetch(`${url}/oauth/token`, {
      method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.refresh_token }),
    });
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toEqual({ success: false, message: 'Invalid grant: refresh_token is invalid', error: 'invalid_grant' });
  });

  it('revokes the refresh token: the API answers 401 from the gateway', async () => {
    const oauth = await authorizedOAuth();
    await oauth.revokeToken('refresh_token');
    const persons = new v2.PersonsApi(apiConfig(oauth));
    const refused = await rejection(persons.getPersons({ limit: 1 }));
    expect(refused).toMatchObject({ success: false, error: 'unauthorized access', errorCode: 401 });
  });
});

describe('v2 records through the SDK', () => {
  it('lists every person by following next_cursor, 500 per page', async () => {
    const persons = new v2.PersonsApi(await authorized());
    const ids: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await persons.getPersons({ limit: 500, cursor });
      ids.push(...(page.data ?? []).map((p) => p.id!));
      cursor = page.additional_data?.next_cursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    const exported = (await (await fetch(`${url}/_sandbox/records/contacts`)).text()).split('\n').filter(Boolean).map((line) => Number(JSON.parse(line).id));
    expect(ids).toEqual(exported);
  });

  it('lists changes by updated_since sorted by update time', async () => {
    const deals = new v2.DealsApi(await authorized());
    const page = await deals.getDeals({ updated_since: '2026-06-01T00:00:00Z', sort_by: 'update_time', sort_direction: 'asc', limit: 100 });
    const times = (page.data ?? []).map((d) => d.update_time!);
    expect(times.length).toBeGreaterThan(0);
    expect([...times].sort()).toEqual(times);
    expect(times.every((t) => t >= '2026-06-01T00:00:00Z')).toBe(true);
  });

  it('reads up to 100 records by ids: only live ones come back; more than 100 ids, or one that is no id, is refused', async () => {
    const deals = new v2.DealsApi(await authorized());
    const listed = (await deals.getDeals({ limit: 3 })).data!.map((d) => d.id!);
    await deals.deleteDeal({ id: listed[1]! });
    const read = await deals.getDeals({ ids: [...listed, 999_999_999].join(','), limit: 100 });
    expect((read.data ?? []).map((d) => d.id).sort()).toEqual([listed[0], listed[2]].sort());
    const tooMany = await rejection(deals.getDeals({ ids: Array.from({ length: 101 }, (_, i) => i + 1).join(','), limit: 100 }));
    expect(tooMany).toMatchObject({ success: false, error: expect.stringContaining('100') });
    expect(await rejection(deals.getDeals({ ids: `${listed[0]},x`, limit: 100 }))).toMatchObject({ success: false, error: expect.stringContaining('ids') });
  });

  it('creates, reads, updates and deletes a deal; the deleted deal is listed with status=deleted', async () => {
    const deals = new v2.DealsApi(await authorized());
    const created = await deals.addDeal({ AddDealRequest: { title: 'SDK deal', value: 1200, currency: 'EUR' } });
    const id = created.data!.id!;
    expect(created.data).toMatchObject({ title: 'SDK deal', value: 1200, currency: 'EUR', status: 'open', is_deleted: false });
    const updated = await deals.updateDeal({ id, UpdateDealRequest: { title: 'SDK deal, renamed' } });
    expect(updated.data!.title).toBe('SDK deal, renamed');
    expect((await deals.getDeal({ id })).data!.title).toBe('SDK deal, renamed');
    const deleted = await deals.deleteDeal({ id });
    expect(deleted.data).toEqual({ id });
    const listed = await deals.getDeals({ status: 'deleted', limit: 500 });
    expect((listed.data ?? []).map((d) => d.id)).toContain(id);
    const missing = await rejection(deals.updateDeal({ id, UpdateDealRequest: { title: 'gone' } }));
    expect(missing).toMatchObject({ success: false, error: 'Deal not found' });
  });

  it('creates a person with an email list and links it to an organization', async () => {
    const config = await authorized();
    const org = await new v2.OrganizationsApi(config).addOrganization({ AddOrganizationRequest: { name: 'SDK Org' } });
    const person = await new v2.PersonsApi(config).addPerson({ AddPersonRequest: { name: 'Ada Lovelace', emails: [{ value: 'ada@example.com', primary: true, label: 'work' }], org_id: org.data!.id } });
    expect(person.data).toMatchObject({ name: 'Ada Lovelace', org_id: org.data!.id });
    expect(person.data!.emails).toEqual([{ label: 'work', value: 'ada@example.com', primary: true }]);
  });

  it('answers bad input in Pipedrive\'s envelope', async () => {
    const persons = new v2.PersonsApi(await authorized());
    const refused = await rejection(persons.getPersons({ limit: 501 }));
    expect(refused).toMatchObject({ success: false, error: expect.stringContaining('limit'), error_info: expect.any(String) });
  });
});

describe('v1 endpoints through the SDK', () => {
  it('users/me names the company', async () => {
    const me = await new v1.UsersApi(await authorizedV1()).getCurrentUser();
    expect(me.data).toMatchObject({ company_id: sb.pipedrive.store.defaultAccountId, company_name: 'Pulse Demo Company' });
  });

  it('deal fields carry option labels; custom fields have 40-character keys', async () => {
    const fields = await new v1.DealFieldsApi(await authorizedV1()).getDealFields();
    const stage = (fields.data ?? []).find((f) => f.key === 'stage_id');
    expect(stage?.options?.map((o) => (o as { label: string }).label)).toContain('Qualified');
    expect((fields.data ?? []).some((f) => /^[0-9a-f]{40}$/.test(f.key ?? ''))).toBe(true);
  });
});

describe('webhooks through the SDK', () => {
  let receiver: Server;
  const received: { auth?: string; body: any }[] = [];
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ auth: req.headers.authorization, body: JSON.parse(body) });
        res.writeHead(received.length === 1 ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('registers a v2 webhook, delivers with Basic auth, retries a failed delivery, deletes it', async () => {
    const config = await authorized();
    const webhooks = new v1.WebhooksApi(await authorizedV1());
    const port = (receiver.address() as { port: number }).port;
    const hook = await webhooks.addWebhook({ AddWebhookRequest: { subscription_url: `http://127.0.0.1:${port}/hook`, event_action: 'delete', event_object: 'person', name: 'deletions', http_auth_user: 'u', http_auth_password: 'p', version: '2.0' } as never });
    expect(hook.data).toMatchObject({ event_action: 'delete', event_object: 'person', version: '2.0' });
    expect((await webhooks.getWebhooks()).data!.map((h) => h.id)).toContain(hook.data!.id);

    const person = (await new v2.PersonsApi(config).getPersons({ limit: 1 })).data![0]!;
    await new v2.PersonsApi(config).deletePerson({ id: person.id! });
    await sb.pipedrive.dispatcher.idle();
    expect(received).toHaveLength(2);
    expect(received[0]!.auth).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(received.map((r) => r.body.meta.attempt)).toEqual([1, 2]);
    expect(received[1]!.body.meta).toMatchObject({ action: 'delete', entity: 'person', entity_id: String(person.id), version: '2.0' });
    expect(received[1]!.body.previous).toMatchObject({ id: person.id });

    await webhooks.deleteWebhook({ id: hook.data!.id! });
    expect((await webhooks.getWebhooks()).data!.map((h) => h.id)).not.toContain(hook.data!.id);
  });

  it('a merge arrives as the merged person\'s delete (merged_to_id) and the survivor\'s change; its deals follow', async () => {
    const config = await authorized();
    const webhooks = new v1.WebhooksApi(await authorizedV1());
    const port = (receiver.address() as { port: number }).port;
    const hook = await webhooks.addWebhook({ AddWebhookRequest: { subscription_url: `http://127.0.0.1:${port}/merge`, event_action: '*', event_object: 'person', name: 'persons', version: '2.0' } as never });
    const deal = (await new v2.DealsApi(config).getDeals({ limit: 50 })).data!.find((d) => d.person_id)!;
    const survivor = (await new v2.PersonsApi(config).getPersons({ limit: 1 })).data![0]!;
    const already = received.length;
    const merged = await new v1.PersonsApi(await authorizedV1()).mergePersons({ id: deal.person_id!, MergePersonsRequest: { merge_with_id: survivor.id! } });
    expect(merged.data).toMatchObject({ id: survivor.id });
    await sb.pipedrive.dispatcher.idle();
    const events = received.slice(already).map((r) => r.body.meta).filter((meta) => meta.webhook_id === String(hook.data!.id));
    // Deliveries go out side by side: their order of arrival is not the order of the events.
    expect(events.map((meta) => [meta.action, meta.entity_id]).sort()).toEqual([['change', String(survivor.id)], ['delete', String(deal.person_id)]]);
    expect(events.find((meta) => meta.action === 'delete').merged_to_id).toBe(String(survivor.id));
    expect((await new v2.DealsApi(config).getDeal({ id: deal.id! })).data!.person_id).toBe(survivor.id);
    await webhooks.deleteWebhook({ id: hook.data!.id! });
  });

  it('delivers a person\'s create and change events to a subscription of every action, each with its own event id', async () => {
    const config = await authorized();
    const webhooks = new v1.WebhooksApi(await authorizedV1());
    const port = (receiver.address() as { port: number }).port;
    const hook = await webhooks.addWebhook({ AddWebhookRequest: { subscription_url: `http://127.0.0.1:${port}/changes`, event_action: '*', event_object: 'person', name: 'persons', version: '2.0' } as never });
    const already = received.length;
    const persons = new v2.PersonsApi(config);
    const created = await persons.addPerson({ AddPersonRequest: { name: 'Grace Hopper' } });
    await persons.updatePerson({ id: created.data!.id!, UpdatePersonRequest: { name: 'Grace B. Hopper' } });
    await sb.pipedrive.dispatcher.idle();
    const events = received.slice(already).map((r) => r.body).filter((body) => body.meta.webhook_id === String(hook.data!.id));
    expect(events.map((e) => e.meta.action).sort()).toEqual(['change', 'create']);
    expect(events.every((e) => e.meta.entity === 'person' && e.meta.entity_id === String(created.data!.id))).toBe(true);
    expect(new Set(events.map((e) => e.meta.id)).size).toBe(2);
    expect(events.find((e) => e.meta.action === 'change').previous).toMatchObject({ name: 'Grace Hopper' });
    await webhooks.deleteWebhook({ id: hook.data!.id! });
  });

  it('refuses a 41st webhook of one user', async () => {
    const webhooks = new v1.WebhooksApi(await authorizedV1());
    const existing = (await webhooks.getWebhooks()).data?.length ?? 0;
    for (let i = existing; i < 40; i++) await webhooks.addWebhook({ AddWebhookRequest: { subscription_url: 'http://127.0.0.1:9/x', event_action: '*', event_object: 'deal', name: `w${i}` } as never });
    const refused = await rejection(webhooks.addWebhook({ AddWebhookRequest: { subscription_url: 'http://127.0.0.1:9/x', event_action: '*', event_object: 'deal', name: 'one too many' } as never }));
    expect(refused).toMatchObject({ success: false });
  });
});

import { describe, expect, it } from 'vitest';
import { parsePipedriveError } from '../../src/crm/pipedrive/errors.js';
import { flatView, mapRecord, writeBody } from '../../src/crm/pipedrive/mapping.js';
import { pipedriveModule } from '../../src/crm/pipedrive/module.js';
import { pipedriveWebhooks, WEBHOOK_USER } from '../../src/crm/pipedrive/webhooks.js';

const person = {
  id: 7, name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace', job_title: 'Analyst', owner_id: 21100001, org_id: 3,
  add_time: '2024-05-01T10:00:00Z', update_time: '2024-05-02T08:30:00Z', is_deleted: false,
  emails: [{ label: 'home', value: 'other@example.com', primary: false }, { label: 'work', value: 'Ada@Example.com', primary: true }],
  phones: [{ label: 'work', value: '+15550100', primary: true }], custom_fields: { ['a'.repeat(40)]: 'x' },
};

describe('Pipedrive mapping', () => {
  it('reads a v2 person: the primary email lowercased, links from org_id, times canonical, properties as sent', () => {
    const record = mapRecord('contacts', person);
    expect(record).toMatchObject({
      remoteId: '7',
      fields: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: '+15550100', jobTitle: 'Analyst', ownerId: '21100001' },
      associations: { companies: ['3'] },
      remoteCreatedAt: '2024-05-01T10:00:00.000Z',
      remoteUpdatedAt: '2024-05-02T08:30:00.000Z',
    });
    expect(record.properties).toBe(person);
  });

  it('reads an organization\'s city and country from its address, a deal\'s links and amount', () => {
    expect(flatView({ id: 1, address: { value: 'Springfield, US', locality: 'Springfield', country: 'US' } })).toMatchObject({ 'address.locality': 'Springfield', 'address.country': 'US' });
    const deal = mapRecord('deals', { id: 42, title: 'Renewal', value: 1500, currency: 'USD', stage_id: 2, pipeline_id: 1, person_id: null, org_id: 3, expected_close_date: '2024-06-30', add_time: '2024-05-01T10:00:00Z', update_time: '2024-05-01T10:00:00Z' });
    expect(deal.fields).toMatchObject({ name: 'Renewal', amount: 1500, stage: '2', pipeline: '1', closeDate: '2024-06-30T00:00:00.000Z' });
    expect(deal.associations).toEqual({ companies: ['3'], contacts: [] });
  });

  it('writes canonical fields as a v2 body: lists, numbers, the address, a person\'s name', () => {
    expect(writeBody('contacts', { firstName: 'Ada', lastName: 'Byron', email: 'ada@example.com' })).toEqual({
      first_name: 'Ada', last_name: 'Byron', name: 'Ada Byron', emails: [{ value: 'ada@example.com', primary: true, label: 'work' }],
    });
    expect(writeBody('contacts', { lastName: 'Lovelace' })).toEqual({ last_name: 'Lovelace' });
    expect(writeBody('deals', { name: 'Engine', amount: 1843, ownerId: null })).toEqual({ title: 'Engine', value: 1843, owner_id: null });
    expect(writeBody('companies', { city: 'London', domain: 'Engines.example.com' })).toEqual({ address: { locality: 'London' }, website: 'Engines.example.com' });
  });
});

describe('Pipedrive errors', () => {
  const headers = (values: Record<string, string> = {}) => new Headers(values);
  it('tells a spent daily budget (quota, with its reset) from the burst window (retry)', () => {
    const daily = parsePipedriveError(429, { success: false, error: 'Daily API token budget exceeded' }, headers({ 'x-daily-ratelimit-token-remaining': '0' }));
    expect(daily.code).toBe('quota_exhausted');
    expect(daily.message).toMatch(/resets at \d{4}-\d\d-\d\dT00:00:00.000Z/);
    const burst = parsePipedriveError(429, { success: false, error: 'Request over limit' }, headers({ 'x-daily-ratelimit-token-remaining': '5' }));
    expect(burst).toMatchObject({ code: 'rate_limited', details: { retryAfterMs: 2000 } });
  });

  it('maps the envelope\'s statuses to our codes, and gateway pages to their status', () => {
    expect(parsePipedriveError(401, { success: false, error: 'unauthorized access', errorCode: 401 }, headers()).code).toBe('auth_revoked');
    expect(parsePipedriveError(403, { success: false, error: 'Scope and URL mismatch' }, headers()).code).toBe('insufficient_scope');
    expect(parsePipedriveError(404, { success: false, error: 'Deal not found' }, headers()).code).toBe('not_found');
    expect(parsePipedriveError(400, { success: false, error: 'Invalid cursor' }, headers())).toMatchObject({ code: 'invalid_request', message: 'Pipedrive: Invalid cursor' });
    expect(parsePipedriveError(503, '<html><title>503</title></html>', headers())).toMatchObject({ code: 'temporary', message: 'Pipedrive answered HTTP 503 Service Unavailable' });
  });

  it('reads the OAuth server\'s errors as RFC 6749 codes', () => {
    expect(pipedriveModule.tokenError!({ success: false, message: 'Invalid grant: refresh_token is invalid', error: 'invalid_grant' })).toEqual({ error: 'invalid_grant', description: 'Invalid grant: refresh_token is invalid' });
    expect(pipedriveModule.tokenError!({ success: true })).toBeNull();
  });

  it('learns the burst window from the headers (2 s, Pipedrive\'s documented window)', () => {
    expect(pipedriveModule.rateLimits.readWindow!(headers({ 'x-ratelimit-limit': '160', 'x-ratelimit-remaining': '150', 'x-ratelimit-reset': '2' }))).toEqual({ max: 160, remaining: 150, intervalMs: 2000 });
    expect(pipedriveModule.rateLimits.readWindow!(headers())).toBeNull();
  });
});

describe('Pipedrive webhooks', () => {
  const subscriptionSecret = 'generated-for-this-subscription';
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const delivery = (authorization?: string, secretOfUrl: string | null = subscriptionSecret) =>
    ({ secret: 'client-secret', subscriptionSecret: secretOfUrl ?? undefined, method: 'POST', url: 'http://x/crm/webhooks/pipedrive/s-1', body: '{}', headers: { authorization } });

  it('accepts only deliveries carrying the Basic credentials registered with their subscription', () => {
    expect(pipedriveWebhooks.verify(delivery(basic(WEBHOOK_USER, subscriptionSecret)))).toBe(true);
    expect(pipedriveWebhooks.verify(delivery(basic(WEBHOOK_USER, 'other')))).toBe(false);
    expect(pipedriveWebhooks.verify(delivery(basic('someone', subscriptionSecret)))).toBe(false);
    expect(pipedriveWebhooks.verify(delivery())).toBe(false);
    // A URL naming no subscription of ours: nothing to check against, so refused.
    expect(pipedriveWebhooks.verify(delivery(basic(WEBHOOK_USER, subscriptionSecret), null))).toBe(false);
  });

  it('turns a v2 delete event into a deletion of that record', () => {
    const meta = { action: 'delete', entity: 'organization', entity_id: '12', company_id: '13000001', id: 'e-1', version: '2.0' };
    expect(pipedriveWebhooks.parse(JSON.stringify({ meta, data: null, previous: { id: 12 } }))).toEqual({
      ok: true, events: [{ accountId: '13000001', kind: 'deletion', object: 'companies', remoteId: '12', key: 'e-1', payload: { meta } }],
    });
    expect(pipedriveWebhooks.parse(JSON.stringify({ meta: { ...meta, entity_id: 'x' } }))).toMatchObject({ ok: false, problem: expect.stringContaining('meta.entity_id') });
  });

  it('turns create and change events into changes to read by id, keyed by the event id (the same on every retry)', () => {
    const meta = { action: 'create', entity: 'person', entity_id: '7', company_id: '13000001', id: 'e-2', attempt: 1, version: '2.0' };
    const parse = (event: Record<string, unknown>) => {
      const parsed = pipedriveWebhooks.parse(JSON.stringify(event));
      if (!parsed.ok) throw new Error(parsed.problem);
      return parsed.events;
    };
    const created = parse({ meta, data: person, previous: null });
    expect(created).toEqual([{ accountId: '13000001', kind: 'change', object: 'contacts', remoteId: '7', key: 'e-2', payload: { meta } }]);
    // The record is read again by id: what the event carries of it is not kept.
    expect(JSON.stringify(created)).not.toContain('Lovelace');
    const changed = parse({ meta: { ...meta, action: 'change', entity: 'deal', entity_id: 42, company_id: 13000001 }, data: { id: 42 }, previous: { title: 'old' } });
    expect(changed).toMatchObject([{ accountId: '13000001', kind: 'change', object: 'deals', remoteId: '42', key: 'e-2' }]);
    const retried = parse({ meta: { ...meta, attempt: 3 }, data: person, previous: null });
    expect(retried[0]!.key).toBe(created[0]!.key);
  });

  it('leaves out objects and actions the engine does not act on', () => {
    const meta = { action: 'change', entity: 'activity', entity_id: '5', company_id: '13000001', id: 'e-3', version: '2.0' };
    expect(pipedriveWebhooks.parse(JSON.stringify({ meta, data: {}, previous: {} }))).toEqual({ ok: true, events: [] });
    expect(pipedriveWebhooks.parse(JSON.stringify({ meta: { ...meta, entity: 'person', action: 'merge' }, data: {} }))).toEqual({ ok: true, events: [] });
  });
});

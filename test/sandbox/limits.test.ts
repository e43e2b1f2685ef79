/** Rate limits: rolling 10-second window, daily quota, search per-second limit, headers and 429 bodies. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { admin, api, mintToken } from './helpers.js';

let sb: Sandbox;
let token: string;
let hubId: number;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, records: 200 });
  hubId = sb.hubspot.store.defaultAccountId;
  token = (await mintToken(sb)).access_token;
});
afterAll(() => sb.close());
beforeEach(async () => {
  await admin(sb, 'PUT', `/accounts/${hubId}/limits`, { tier: 'oauth' });
});

describe('the OAuth app limit (110 per 10 s)', () => {
  it('sends window headers but no daily ones on list responses', async () => {
    const res = await api(sb, token, 'GET', '/crm/v3/objects/contacts');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-hubspot-ratelimit-max')).toBe('110');
    expect(res.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect(res.headers.get('x-hubspot-ratelimit-remaining')).toBe('109');
    expect(res.headers.get('x-hubspot-ratelimit-daily')).toBeNull();
  });

  it('answers 429 with HubSpot body past the window and recovers when the window rolls', async () => {
    await admin(sb, 'PUT', `/accounts/${hubId}/limits`, { tier: 'oauth', windowMax: 3 });
    for (let i = 0; i < 3; i++) expect((await api(sb, token, 'GET', '/crm/v3/objects/deals')).status).toBe(200);
    const refused = await api(sb, token, 'GET', '/crm/v3/objects/deals');
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: expect.any(String),
      policyName: 'TEN_SECONDLY_ROLLING',
      requestId: expect.any(String),
      category: 'RATE_LIMITS',
    });
    expect(refused.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    await admin(sb, 'POST', '/clock', { advanceMs: 10_000 });
    expect((await api(sb, token, 'GET', '/crm/v3/objects/deals')).status).toBe(200);
  });

  it('never refuses a client that keeps to the window', async () => {
    await admin(sb, 'PUT', `/accounts/${hubId}/limits`, { tier: 'oauth', windowMax: 5 });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) expect((await api(sb, token, 'GET', '/crm/v3/objects/companies')).status).toBe(200);
      await admin(sb, 'POST', '/clock', { advanceMs: 10_000 });
    }
  });
});

describe('private-app tiers and the daily quota', () => {
  it('sends daily headers, reports usage and refuses with policy DAILY when spent', async () => {
    await admin(sb, 'PUT', `/accounts/${hubId}/limits`, { tier: 'professional', dailyMax: 3 });
    const first = await api(sb, token, 'GET', '/crm/v3/objects/contacts');
    expect(first.headers.get('x-hubspot-ratelimit-max')).toBe('190');
    expect(first.headers.get('x-hubspot-ratelimit-daily')).toBe('3');
    expect(first.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('2');
    const usage = await api(sb, token, 'GET', '/account-info/v3/api-usage/daily/private-apps');
    expect(usage.body.results[0]).toMatchObject({ name: 'api-calls-daily', usageLimit: 3, currentUsage: 2, fetchStatus: 'SUCCESS' });
    expect((await api(sb, token, 'GET', '/crm/v3/objects/contacts')).status).toBe(200);
    const refused = await api(sb, token, 'GET', '/crm/v3/objects/contacts');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ policyName: 'DAILY', message: 'You have reached your daily limit.' });
  });
});

describe('search', () => {
  it('has its own per-second limit and no rate-limit headers', async () => {
    const search = () => api(sb, token, 'POST', '/crm/v3/objects/contacts/search', { limit: 1 });
    const ok = await search();
    expect(ok.status).toBe(200);
    expect([...ok.headers.keys()].filter((k) => k.startsWith('x-hubspot-ratelimit'))).toEqual([]);
    for (let i = 0; i < 4; i++) expect((await search()).status).toBe(200);
    const refused = await search();
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ message: 'You have reached your secondly limit.', policyName: 'SECONDLY' });
    await admin(sb, 'POST', '/clock', { advanceMs: 1000 });
    expect((await search()).status).toBe(200);
  });

  it('is unlimited with the off tier', async () => {
    await admin(sb, 'PUT', `/accounts/${hubId}/limits`, { tier: 'off' });
    for (let i = 0; i < 8; i++) expect((await api(sb, token, 'POST', '/crm/v3/objects/deals/search', {})).status).toBe(200);
    expect((await api(sb, token, 'GET', '/crm/v3/objects/deals')).headers.get('x-hubspot-ratelimit-max')).toBeNull();
  });
});

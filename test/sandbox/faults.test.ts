/** Fault injection through the admin API: status faults, drops, truncation, hangs, token expiry. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { admin, api, mintToken } from './helpers.js';

let sb: Sandbox;
let token: string;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, seed: 3, records: 100, rateLimits: false });
  token = (await mintToken(sb)).access_token;
});
afterAll(() => sb.close());
beforeEach(async () => {
  await admin(sb, 'DELETE', '/faults');
});
const list = () => api(sb, token, 'GET', '/crm/v3/objects/contacts?limit=5');

describe('faults', () => {
  it('fails the next N matching requests after skipping some', async () => {
    await admin(sb, 'POST', '/faults', { kind: 503, next: 2, skip: 1, pathPrefix: '/crm/v3/objects/contacts' });
    expect((await list()).status).toBe(200);
    expect((await list()).status).toBe(503);
    expect((await list()).status).toBe(503);
    expect((await list()).status).toBe(200);
  });

  it('fails every matching request for forMs from the first one it fires for, then goes away', async () => {
    await admin(sb, 'POST', '/faults', { kind: 503, forMs: 400, skip: 1, pathPrefix: '/crm/v3/objects/contacts' });
    expect((await list()).status).toBe(200);
    const started = Date.now();
    for (let i = 0; i < 5; i++) expect((await list()).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + 450 - Date.now())));
    expect((await list()).status).toBe(200);
    expect((await admin(sb, 'GET', '/faults')).body.faults).toEqual([]);
  });

  it('answers 500 with HubSpot error body', async () => {
    await admin(sb, 'POST', '/faults', { kind: 500 });
    expect((await list()).body).toMatchObject({ status: 'error', category: 'INTERNAL_ERROR' });
  });

  it('fails the same share of requests on every run with the same seed', async () => {
    const run = async () => {
      const twin = await startSandbox({ port: 0, seed: 3, records: 100, rateLimits: false });
      const twinToken = (await mintToken(twin)).access_token;
      await admin(twin, 'POST', '/faults', { kind: 502, share: 0.5 });
      const codes: number[] = [];
      for (let i = 0; i < 20; i++) codes.push((await api(twin, twinToken, 'GET', '/crm/v3/objects/contacts?limit=5')).status);
      await twin.close();
      return codes;
    };
    const first = await run();
    expect(first).toContain(502);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });

  it('drops the connection', async () => {
    await admin(sb, 'POST', '/faults', { kind: 'drop' });
    await expect(list()).rejects.toThrow();
  });

  it('truncates the JSON body', async () => {
    await admin(sb, 'POST', '/faults', { kind: 'truncate' });
    const res = await fetch(`${sb.urls.hubspot}/crm/v3/objects/contacts?limit=5`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow();
  });

  it('hangs past a client timeout', async () => {
    await admin(sb, 'POST', '/faults', { kind: 'hang', hangMs: 2000 });
    const res = fetch(`${sb.urls.hubspot}/crm/v3/objects/contacts?limit=5`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(300) });
    await expect(res).rejects.toThrow(/abort|timeout/i);
  });

  it('expires the account tokens mid-run', async () => {
    const own = (await mintToken(sb)).access_token;
    await admin(sb, 'POST', '/faults', { kind: 'expire', skip: 1 });
    expect((await api(sb, own, 'GET', '/crm/v3/objects/deals')).status).toBe(200);
    const res = await api(sb, own, 'GET', '/crm/v3/objects/deals');
    expect(res.status).toBe(401);
    expect(res.body.category).toBe('EXPIRED_AUTHENTICATION');
    token = (await mintToken(sb)).access_token;
  });

  it('counts requests by kind', async () => {
    await admin(sb, 'DELETE', '/requests');
    await list();
    await api(sb, token, 'POST', '/crm/v3/objects/contacts/search', {});
    const counts = (await admin(sb, 'GET', '/requests')).body;
    expect(counts).toMatchObject({ total: 2, byKind: { list: 1, search: 1 }, byStatus: { 200: 2 } });
  });
});

/**
 * jsforce (the library Salesforce developers use) drives the Salesforce emulator unchanged: OAuth2
 * with PKCE, query with autoFetch and queryMore, Bulk API 2.0 query, sObject CRUD and collections,
 * limits(), identity(), updated() / deleted(). Where jsforce fails, the emulator is wrong.
 */
import { Connection, OAuth2 } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, SANDBOX_APPS, type Sandbox } from '../../src/sandbox/index.js';

const REDIRECT_URI = 'http://127.0.0.1:3000/crm/oauth/callback';
let sb: Sandbox<'salesforce'>;
let url: string;
beforeAll(async () => {
  sb = await startSandbox({ providers: ['salesforce'], seed: 7, records: { contacts: 4500, companies: 300, deals: 600 }, redirectUris: [REDIRECT_URI] });
  url = sb.urls.salesforce;
});
afterAll(() => sb.close());

const oauth2 = () => new OAuth2({ loginUrl: url, clientId: SANDBOX_APPS.salesforce.clientId, clientSecret: SANDBOX_APPS.salesforce.clientSecret, redirectUri: REDIRECT_URI, useVerifier: true });

/** Answers the consent page "Allow" as a person would; returns the redirect's query. */
async function approve(authorizeUrl: string): Promise<URLSearchParams> {
  const html = await (await fetch(authorizeUrl)).text();
  const fields = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.append(name!, value!.replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c))));
  fields.append('org', /<option value="(\d+)"/.exec(html)![1]!);
  fields.append('decision', 'allow');
  const response = await fetch(new URL('/services/oauth2/authorize', url), { method: 'POST', body: fields, redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!).searchParams;
}

async function connect(): Promise<Connection> {
  const oauth = oauth2();
  const redirect = await approve(oauth.getAuthorizationUrl({ scope: 'api refresh_token id', state: 'st-1' }));
  expect(redirect.get('state')).toBe('st-1');
  const conn = new Connection({ oauth2: oauth, version: '60.0' });
  await conn.authorize(redirect.get('code')!);
  return conn;
}

let conn: Connection;

describe('OAuth2 through jsforce', () => {
  it('authorizes with PKCE (a challenge without method), keeps instance_url, and knows who it is', async () => {
    conn = await connect();
    expect(conn.instanceUrl).toBe(url);
    expect(conn.accessToken).toMatch(/^00D\w+!AQ/);
    expect(conn.refreshToken).toBeTruthy();
    expect(conn.userInfo?.organizationId).toMatch(/^00D/);
    const identity = await conn.identity();
    expect(identity).toMatchObject({ organization_id: conn.userInfo!.organizationId, user_id: conn.userInfo!.id });
  });

  it('refuses a code exchanged without the verifier', async () => {
    const oauth = oauth2();
    const redirect = await approve(oauth.getAuthorizationUrl({ scope: 'api refresh_token' }));
    oauth.codeVerifier = undefined;
    await expect(oauth.requestToken(redirect.get('code')!)).rejects.toThrow(/invalid_grant|code verifier/);
  });

  it('refreshes after the session times out (401 INVALID_SESSION_ID) and retries the call', async () => {
    const before = conn.accessToken;
    await fetch(`${url}/_sandbox/tokens/expire`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const result = await conn.query('SELECT Id FROM Account LIMIT 1');
    expect(result.records).toHaveLength(1);
    expect(conn.accessToken).not.toBe(before);
  });
});

describe('queries', () => {
  it('query with autoFetch follows nextRecordsUrl to the end; limitInfo comes from Sforce-Limit-Info', async () => {
    const records: { Id: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      conn.query('SELECT Id, LastName, Account.Name FROM Contact ORDER BY Id').on('record', (r) => records.push(r)).on('end', () => resolve()).on('error', reject)
        .run({ autoFetch: true, maxFetch: 10_000 });
    });
    expect(records).toHaveLength(4500);
    expect(new Set(records.map((r) => r.Id)).size).toBe(4500);
    expect(conn.limitInfo.apiUsage).toMatchObject({ limit: 110_000 });
  });

  it('queryMore pages a queryAll result under /query/', async () => {
    const first = await conn.query('SELECT Id FROM Contact', { scanAll: true, autoFetch: false });
    expect(first).toMatchObject({ totalSize: 4500, done: false });
    expect(first.records).toHaveLength(2000);
    const second = await conn.queryMore(first.nextRecordsUrl!);
    expect(second.records).toHaveLength(2000);
    const third = await conn.queryMore(second.nextRecordsUrl!);
    expect(third).toMatchObject({ done: true });
    expect(third.records).toHaveLength(500);
  });

  it('answers a bad query with the error array jsforce reads', async () => {
    await expect(conn.query('SELECT Id, Nope__c FROM Contact')).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
    await expect(conn.query('SELECT FROM Contact')).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
  });

  it('bulk2.query runs a job to completion and reads every CSV page', async () => {
    conn.bulk2.pollInterval = 20;
    const stream = await conn.bulk2.query('SELECT Id, Name, Industry FROM Account');
    const rows = await new Promise<Record<string, string>[]>((resolve, reject) => {
      const out: Record<string, string>[] = [];
      stream.on('record', (r) => out.push(r)).on('end', () => resolve(out)).on('error', reject);
    });
    expect(rows).toHaveLength(300);
    expect(rows[0]).toMatchObject({ Id: expect.stringMatching(/^001/), Name: expect.any(String) });
  });
});

describe('records', () => {
  it('CRUD one record, then collections of several', async () => {
    const created = await conn.sobject('Contact').create({ FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@example.com' });
    expect(created).toMatchObject({ success: true, id: expect.stringMatching(/^003\w{15}$/) });
    const read = await conn.sobject('Contact').retrieve(created.id!);
    expect(read).toMatchObject({ LastName: 'Lovelace', IsDeleted: false });
    expect(await conn.sobject('Contact').update({ Id: created.id!, Title: 'Countess' })).toMatchObject({ success: true });
    expect(await conn.sobject('Contact').destroy(created.id!)).toMatchObject({ success: true });
    await expect(conn.sobject('Contact').retrieve(created.id!)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });

    const many = await conn.sobject('Account').create([{ Name: 'One' }, { Name: 'Two' }, { Website: 'no-name.example' }]);
    expect(many.map((r) => r.success)).toEqual([true, true, false]);
    expect(many[2]).toMatchObject({ errors: [expect.objectContaining({ statusCode: 'REQUIRED_FIELD_MISSING' })] });
    const ids = many.filter((r) => r.success).map((r) => r.id!);
    const updated = await conn.sobject('Account').update(ids.map((Id) => ({ Id, Industry: 'Banking' })));
    expect(updated.every((r) => r.success)).toBe(true);
    const deleted = await conn.sobject('Account').destroy(ids);
    expect(deleted.every((r) => r.success)).toBe(true);
  });

  it('limits() and the replication API (updated / deleted within 30 days)', async () => {
    const limits = await conn.limits();
    expect(limits.DailyApiRequests).toMatchObject({ Max: 110_000 });
    expect(limits.DailyBulkV2QueryJobs!.Remaining).toBeLessThan(limits.DailyBulkV2QueryJobs!.Max);
    const start = new Date(Date.now() - 86_400_000);
    const end = new Date(Date.now() + 10 * 60_000);
    const created = await conn.sobject('Opportunity').create({ Name: 'Replicated', StageName: 'Prospecting', CloseDate: '2026-12-31' });
    // The replication API covers whole minutes up to now (latestDateCovered): let two pass.
    const advance = () => fetch(`${url}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 120_000 }) });
    await advance();
    const updated = await conn.sobject('Opportunity').updated(start.toISOString(), end.toISOString());
    expect(updated.ids).toContain(created.id);
    await conn.sobject('Opportunity').destroy(created.id!);
    await advance();
    const deleted = await conn.sobject('Opportunity').deleted(start.toISOString(), end.toISOString());
    expect(deleted.deletedRecords.map((r) => r.id)).toContain(created.id);
    expect(deleted.earliestDateAvailable).toMatch(/\+0000$/);
  });
});

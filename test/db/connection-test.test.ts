import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationsRepository } from '../../src/db/integrations-repository.js';
import { asSystem } from '../../src/db/tenant.js';
import { buildApp } from '../../src/server/app.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { connectHubspot, credentialsOf } from '../helpers/connect.js';
import { engine } from '../helpers/database.js';
import { admin, startTestSandbox } from '../helpers/sandbox.js';
import { asUser, TEST_JWT_SECRET, tokenFor } from '../helpers/users.js';

const PUBLIC_URL = 'http://127.0.0.1:3999';

describe(`connection test and disconnect on ${engine}`, () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let ctx: TestContext;
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    sandbox = await startTestSandbox(`${PUBLIC_URL}/crm/oauth/callback`);
    ctx = await createTestContext({ PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET, PUBLIC_URL }, sandbox.wiring);
    app = await buildApp(ctx, { serveWeb: false });
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
    await sandbox?.close();
  });

  async function runTest(sub: string, integrationId: string) {
    const response = await app.inject({ method: 'POST', url: `/api/integrations/${integrationId}/test`, headers: { authorization: `Bearer ${await tokenFor(sub)}` } });
    expect(response.statusCode).toBe(200);
    return response.json() as { ok: boolean; checks: { id: string; status: string; message: string; usage?: { used: number; limit: number } }[] };
  }
  const byId = <C extends { id: string }>(checks: C[], id: string) => checks.find((check) => check.id === id);

  it('passes every check for a fresh connection', async () => {
    const integration = await connectHubspot(ctx, 'tester-pass');
    const result = await runTest('tester-pass', integration.id);
    expect(result.ok).toBe(true);
    expect(result.checks.map((check) => check.id)).toEqual(['connectivity', 'scope:contacts', 'scope:companies', 'scope:deals', 'quota:Requests per 10 s']);
    expect(result.checks.every((check) => check.status === 'pass')).toBe(true);
    expect(byId(result.checks, 'connectivity')!.message).toMatch(new RegExp(`account .* \\(${integration.externalAccountId}\\)`));
  });

  it('fails the permission check for an object whose scope the grant lacks, saying what to do', async () => {
    const integration = await connectHubspot(ctx, 'tester-scope');
    const narrow = await admin(sandbox, 'POST', '/_sandbox/tokens', { scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.companies.read'] });
    await asUser(ctx, integration.userId, (tx) => integrationsRepository(tx, ctx.keys).saveTokens(integration.id, { accessToken: narrow.access_token, refreshToken: narrow.refresh_token, expiresAt: new Date(Date.now() + 3600_000) }));
    const result = await runTest('tester-scope', integration.id);
    expect(result.ok).toBe(false);
    expect(byId(result.checks, 'scope:contacts')!.status).toBe('pass');
    expect(byId(result.checks, 'scope:deals')).toMatchObject({ status: 'fail', message: expect.stringMatching(/"Read deals" was not granted \(crm\.objects\.deals\.read\), so Deals cannot sync\. Reconnect and allow it/) });
  });

  it('warns with a usage bar when the daily quota is nearly spent', async () => {
    const integration = await connectHubspot(ctx, 'tester-quota');
    const accountId = Number(integration.externalAccountId);
    await admin(sandbox, 'PUT', `/_sandbox/accounts/${accountId}/limits`, { tier: 'starter', dailyMax: 40 });
    const { accessToken } = (await credentialsOf(ctx, integration))!;
    for (let i = 0; i < 36; i++) await (await fetch(`${sandbox.urls.hubspot}/crm/v3/objects/contacts?limit=1`, { headers: { authorization: `Bearer ${accessToken}` } })).body?.cancel();
    const result = await runTest('tester-quota', integration.id);
    const daily = result.checks.find((check) => check.id === 'quota:Requests today')!;
    expect(daily.status).toBe('warn');
    expect(daily.message).toMatch(/3[78] of 40 requests today are used \(9\d%\)\. Syncs may stop early until it resets/);
    expect(daily.usage).toMatchObject({ limit: 40 });
    expect(result.ok).toBe(true);
    await admin(sandbox, 'PUT', `/_sandbox/accounts/${accountId}/limits`, { tier: 'oauth' });
  });

  it('fails connectivity when the grant was revoked at the provider', async () => {
    const integration = await connectHubspot(ctx, 'tester-revoked');
    const { refreshToken, accessToken } = (await credentialsOf(ctx, integration))!;
    await admin(sandbox, 'POST', '/_sandbox/tokens/revoke', { token: refreshToken });
    await admin(sandbox, 'POST', '/_sandbox/tokens/revoke', { token: accessToken });
    const result = await runTest('tester-revoked', integration.id);
    expect(result.ok).toBe(false);
    expect(result.checks[0]).toEqual(expect.objectContaining({ id: 'connectivity', status: 'fail', message: expect.stringMatching(/no longer accepts this connection's token\. Reconnect/) }));
    expect(result.checks.slice(1).map((check) => check.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    const after = (await app.inject({ url: `/api/integrations/${integration.id}`, headers: { authorization: `Bearer ${await tokenFor('tester-revoked')}` } })).json();
    expect(after.status).toBe('needs_reauth');
  });

  it('DELETE revokes the token at the provider and removes the integration with its data', async () => {
    const integration = await connectHubspot(ctx, 'tester-delete');
    const { refreshToken } = (await credentialsOf(ctx, integration))!;
    const info = await fetch(`${sandbox.urls.hubspot}/oauth/v1/refresh-tokens/${refreshToken}`);
    expect(info.status).toBe(200);
    const response = await app.inject({ method: 'DELETE', url: `/api/integrations/${integration.id}`, headers: { authorization: `Bearer ${await tokenFor('tester-delete')}` } });
    expect(response.statusCode).toBe(204);
    expect((await fetch(`${sandbox.urls.hubspot}/oauth/v1/refresh-tokens/${refreshToken}`)).status).toBe(404);
    const left = await asSystem(ctx.db.pool, async (tx) => (await tx.query(
      `SELECT (SELECT count(*) FROM crm_integrations WHERE id = $1) + (SELECT count(*) FROM crm_sync_logs WHERE integration_id = $1) AS n`, [integration.id])).rows[0].n);
    expect(left).toBe(0);
  });
});

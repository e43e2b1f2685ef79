/**
 * A failed connection test outlives the wizard: the integration carries the verdict ("reconnect":
 * the user can fix it; "retry": the CRM's side) until a test passes, and checks that could not run
 * are listed as skipped rather than left out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationsRepository } from '../../src/db/integrations-repository.js';
import { buildApp } from '../../src/server/app.js';
import { connectHubspot, credentialsOf } from '../helpers/connect.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { engine } from '../helpers/database.js';
import { admin, startTestSandbox } from '../helpers/sandbox.js';
import { asUser, TEST_JWT_SECRET, tokenFor } from '../helpers/users.js';

const PUBLIC_URL = 'http://127.0.0.1:3998';

describe(`connection test verdict on ${engine}`, () => {
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

  const call = async (sub: string, method: 'GET' | 'POST', url: string) => {
    const response = await app.inject({ method, url, headers: { authorization: `Bearer ${await tokenFor(sub)}` } });
    expect(response.statusCode).toBe(200);
    return response.json();
  };

  it('keeps a missing permission on the integration as a problem the user fixes by reconnecting, until a test passes', async () => {
    const integration = await connectHubspot(ctx, 'verdict-scope');
    const full = await credentialsOf(ctx, integration);
    const narrow = await admin(sandbox, 'POST', '/_sandbox/tokens', { scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.companies.read'] });
    const useTokens = (accessToken: string, refreshToken: string) => asUser(ctx, integration.userId, (tx) =>
      integrationsRepository(tx, ctx.keys).saveTokens(integration.id, { accessToken, refreshToken, expiresAt: new Date(Date.now() + 3600_000) }));
    await useTokens(narrow.access_token, narrow.refresh_token);

    const result = await call('verdict-scope', 'POST', `/api/integrations/${integration.id}/test`);
    expect(result.ok).toBe(false);
    expect(result.problem).toEqual({ kind: 'reconnect', message: 'Pulse may not read Deals. Reconnect HubSpot and allow every permission on its consent page.' });
    const listed = await call('verdict-scope', 'GET', `/api/integrations/${integration.id}`);
    expect(listed.connectionProblem).toMatchObject({ kind: 'reconnect', message: result.problem.message, checkedAt: expect.any(String) });

    await useTokens(full!.accessToken!, full!.refreshToken!);
    expect((await call('verdict-scope', 'POST', `/api/integrations/${integration.id}/test`)).ok).toBe(true);
    expect((await call('verdict-scope', 'GET', `/api/integrations/${integration.id}`)).connectionProblem).toBeNull();
  });

  it('tells a CRM outage (retry later) apart, and lists the checks it could not run', async () => {
    const integration = await connectHubspot(ctx, 'verdict-outage');
    await admin(sandbox, 'POST', '/_sandbox/faults', { kind: 503, next: 50, pathPrefix: '/account-info/v3/details' });
    try {
      const result = await call('verdict-outage', 'POST', `/api/integrations/${integration.id}/test`);
      expect(result.problem).toEqual({ kind: 'retry', message: expect.stringMatching(/^HubSpot is not answering right now\. This is on HubSpot's side: nothing to change here\. Test again in a few minutes\.$/) });
      expect(result.checks.map((check: { id: string; status: string }) => `${check.id}:${check.status}`))
        .toEqual(['connectivity:fail', 'scope:contacts:skipped', 'scope:companies:skipped', 'scope:deals:skipped', 'quota:skipped']);
      expect((await call('verdict-outage', 'GET', `/api/integrations/${integration.id}`)).connectionProblem).toMatchObject({ kind: 'retry' });
    } finally {
      await admin(sandbox, 'DELETE', '/_sandbox/faults');
    }
  });
});

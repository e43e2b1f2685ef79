import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnection } from '../../src/crm/connection-test.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { engine } from '../helpers/database.js';
import { connectThroughConsent, startEmulator, type Emulator } from '../conformance/harness.js';

const PUBLIC_URL = 'http://127.0.0.1:3999';

/** Pipedrive's connection test: the granted scopes, today's token budget and the plan's burst limit. */
describe(`Pipedrive connection test on ${engine}`, () => {
  let emulator: Emulator;
  let ctx: TestContext;

  beforeAll(async () => {
    emulator = await startEmulator('pipedrive', { redirectUri: `${PUBLIC_URL}/crm/oauth/callback`, records: { contacts: 10, companies: 2, deals: 3 } });
    ctx = await createTestContext({ PUBLIC_URL }, emulator.wiring);
  });
  afterAll(async () => {
    await ctx?.close();
    await emulator?.close();
  });

  it('checks the scopes granted at connect, the budget used and left today, and the burst limit', async () => {
    const integration = await connectThroughConsent(ctx, 'pipedrive', 'pd-tester');
    expect(integration.grantedScopes).toEqual(expect.arrayContaining(['contacts:read', 'deals:read']));
    await emulator.admin('PUT', '/_sandbox/accounts/default/limits', { tier: 'growth', dailyMax: 1000 });
    const verdict = await testConnection(ctx, integration);
    expect(verdict.problem).toBeNull();
    const byId = Object.fromEntries(verdict.checks.map((check) => [check.id, check]));
    expect(byId.connectivity).toMatchObject({ status: 'pass', message: expect.stringContaining('Pulse Demo Company (13000001)') });
    for (const object of ['contacts', 'companies', 'deals']) expect(byId[`scope:${object}`]).toMatchObject({ status: 'pass' });
    expect(byId['quota:API tokens today']).toMatchObject({ status: 'pass', usage: { used: 1, limit: 1000, resetsAt: expect.stringMatching(/T00:00:00.000Z$/) } });
    expect(byId['quota:Requests per 2 s']).toMatchObject({ status: 'pass', usage: { limit: 160 } });
  });

  it('fails the scope check of an object whose scope the grant lacks', async () => {
    await emulator.admin('PUT', `/_sandbox/apps/${encodeURIComponent(emulator.wiring.apps.pipedrive!.clientId)}`, { scopes: ['base', 'contacts:read'] });
    const integration = await connectThroughConsent(ctx, 'pipedrive', 'pd-tester-2');
    const verdict = await testConnection(ctx, integration);
    expect(verdict.checks.find((check) => check.id === 'scope:deals')).toMatchObject({ status: 'fail' });
    expect(verdict.problem).toMatchObject({ kind: 'reconnect' });
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beginOAuth } from '../../src/crm/oauth-begin.js';
import { sha256 } from '../../src/crm/oauth-binding.js';
import { completeOAuth, redirectUri } from '../../src/crm/oauth-flow.js';
import { oauthStatesRepository } from '../../src/db/oauth-states-repository.js';
import { asSystem, withUser } from '../../src/db/tenant.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { engine } from '../helpers/database.js';
import { ensureUser } from '../helpers/users.js';

/**
 * The callback refuses an account location outside the CRM's allowlist before anything is stored or
 * sent there. A CRM that reports its instance at token time (Salesforce's `instance_url`) is played
 * by a bare token endpoint on a local port, standing in for its emulator (issue 13 brings that): the
 * flow is Pulse's own from the begin step on, and in sandbox mode only the emulator's origin is allowed.
 */
describe(`the OAuth callback checks where the CRM says the account lives, on ${engine}`, () => {
  let ctx: TestContext;
  let tokenEndpoint: Server;
  let origin: string;
  let instanceUrl: string;
  let userId: string;

  beforeAll(async () => {
    tokenEndpoint = createServer((request, response) => {
      request.resume().on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ access_token: 'issued-token', refresh_token: 'issued-refresh', token_type: 'Bearer', scope: 'api refresh_token', instance_url: instanceUrl, id: `${origin}/id/00D/005` }));
      });
    });
    await new Promise<void>((resolve) => tokenEndpoint.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(tokenEndpoint.address() as AddressInfo).port}`;
    ctx = await createTestContext({ PUBLIC_URL: 'http://127.0.0.1:3998' }, { urls: { salesforce: origin }, apps: { salesforce: { clientId: 'sf-client', clientSecret: 'sf-secret' } } });
    userId = await ensureUser(ctx, 'location-check');
  });
  afterAll(async () => {
    await ctx?.close();
    await new Promise((resolve) => tokenEndpoint?.close(resolve));
  });

  /** Pulse's flow from the browser's begin step to the callback, for a CRM the chooser does not offer yet. */
  async function connectWithInstance(value: string) {
    instanceUrl = value;
    const ticket = `ticket-${Math.random().toString(36).slice(2)}`;
    const appOrigin = new URL(ctx.config.publicUrl).origin;
    await withUser(ctx.db.pool, userId, (tx) => oauthStatesRepository(tx).insert({
      stateHash: sha256(ticket), userId, platform: 'salesforce', sealedVerifier: null, scopes: ['api', 'refresh_token'], redirectUri: redirectUri(ctx),
      integrationId: null, returnTo: null, appOrigin, expiresAt: new Date(Date.now() + 600_000),
    }));
    const begun = await beginOAuth(ctx, ticket, appOrigin, 'popup');
    if (!begun.ok) throw new Error(begun.message);
    const callback = new URL(redirectUri(ctx));
    callback.search = new URLSearchParams({ code: 'the-code', state: ticket }).toString();
    return completeOAuth(ctx, callback, begun.cookie.value);
  }

  const integrations = () => asSystem(ctx.db.pool, async (tx) => (await tx.query('SELECT count(*)::int AS n FROM crm_integrations')).rows[0].n);

  it.each([
    'http://169.254.169.254', 'https://evil.com', 'https://x.salesforce.com.evil.com', 'https://127.0.0.1', 'http://[::1]:80',
    'https://acme.my.salesforce.com',
  ])('refuses an instance at %s with a page that says so, and connects nothing', async (value) => {
    const outcome = await connectWithInstance(value);
    expect(outcome).toMatchObject({ ok: false, reason: 'untrusted_location', platform: 'salesforce' });
    expect(outcome.ok ? '' : outcome.message).toMatch(/^Salesforce said your account lives at an address that is not one of Salesforce's own, so Pulse did not connect to it\. Nothing was connected/);
    expect(await integrations()).toBe(0);
  });

  it('goes on past the check when the instance is the emulator itself (the only origin allowed in sandbox mode)', async () => {
    const outcome = await connectWithInstance(origin);
    // Salesforce's connector is not built yet, so the account lookup after the check fails; a refused
    // location would have stopped the flow before it, as untrusted_location.
    expect(outcome).toMatchObject({ ok: false, reason: 'provider_error' });
  });
});

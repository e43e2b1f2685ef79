import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { integrationsRepository } from '../../src/db/integrations-repository.js';
import { refreshTokens } from '../../src/crm/oauth.js';
import { ProviderError } from '../../src/crm/provider-error.js';
import { withUser } from '../../src/db/tenant.js';
import { createLocalBus } from '../../src/events/bus.js';
import type { PulseEvent } from '../../src/events/types.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { connectHubspot, credentialsOf, expireStoredToken, reload } from '../helpers/connect.js';
import { engine } from '../helpers/database.js';
import { waitFor } from '../helpers/process.js';
import { admin, startTestSandbox } from '../helpers/sandbox.js';

const REDIRECT_URI = 'http://127.0.0.1:3999/crm/oauth/callback';
const tokenRequests = async (sandbox: Awaited<ReturnType<typeof startTestSandbox>>) => (await admin(sandbox, 'GET', '/_sandbox/requests')).byKind.token ?? 0;

describe(`token refresh on ${engine}`, () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let ctx: TestContext;

  beforeAll(async () => {
    sandbox = await startTestSandbox(REDIRECT_URI);
    ctx = await createTestContext({ PUBLIC_URL: 'http://127.0.0.1:3999' }, sandbox.wiring);
    ctx.events = createLocalBus();
  });
  afterAll(async () => {
    await ctx?.close();
    await sandbox?.close();
  });
  beforeEach(() => admin(sandbox, 'DELETE', '/_sandbox/requests'));

  it('refreshes a token that is about to expire before using it', async () => {
    const integration = await connectHubspot(ctx, 'refresh-early');
    const before = await credentialsOf(ctx, integration);
    await expireStoredToken(ctx, integration);
    await admin(sandbox, 'DELETE', '/_sandbox/requests');
    const token = await ctx.services.tokens.source(integration).token();
    expect(token).not.toBe(before!.accessToken);
    expect(await tokenRequests(sandbox)).toBe(1);
    expect((await reload(ctx, integration)).tokenExpiresAt! > new Date(Date.now() + 25 * 60_000).toISOString()).toBe(true);
  });

  it('makes one token request for 50 simultaneous refreshes in this process', async () => {
    const integration = await connectHubspot(ctx, 'refresh-crowd');
    const failed = (await credentialsOf(ctx, integration))!.accessToken!;
    await admin(sandbox, 'DELETE', '/_sandbox/requests');
    const source = ctx.services.tokens.source(integration);
    const tokens = await Promise.all(Array.from({ length: 50 }, () => source.refresh(failed)));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(failed);
    expect(await tokenRequests(sandbox)).toBe(1);
  });

  it('marks the integration needs_reauth with an event when the refresh token is revoked, and stops retrying', async () => {
    const integration = await connectHubspot(ctx, 'refresh-revoked');
    const seen: PulseEvent[] = [];
    ctx.events!.subscribe(integration.userId, (event) => seen.push(event));
    const { refreshToken } = (await credentialsOf(ctx, integration))!;
    await admin(sandbox, 'POST', '/_sandbox/tokens/revoke', { token: refreshToken });
    await expireStoredToken(ctx, integration);
    const source = ctx.services.tokens.source(integration);
    await expect(source.token()).rejects.toMatchObject({ code: 'auth_revoked' });
    const after = await reload(ctx, integration);
    expect(after.status).toBe('needs_reauth');
    expect(after.lastError).toMatch(/refused to renew access .* Reconnect the integration/);
    expect(seen).toContainEqual(expect.objectContaining({ type: 'integration.needs_reauth', integrationId: integration.id }));
    await admin(sandbox, 'DELETE', '/_sandbox/requests');
    await expect(source.token()).rejects.toBeInstanceOf(ProviderError);
    expect(await tokenRequests(sandbox)).toBe(0);
  });

  it('does not mark needs_reauth when a parallel refresh already stored a new token', async () => {
    const integration = await connectHubspot(ctx, 'refresh-race');
    const stale = (await credentialsOf(ctx, integration))!;
    // Another worker holds the lock, refreshes and stores its token while we wait for the lock.
    const winner = withUser(ctx.db.pool, integration.userId, async (tx) => {
      const repo = integrationsRepository(tx, ctx.keys);
      await repo.findForUpdate(integration.id);
      const ours = ctx.services.tokens.source(integration).refresh(stale.accessToken!);
      // Ours is queued behind this transaction: on PostgreSQL waiting for the row lock, on PGlite
      // (one connection, which this transaction holds) waiting for the pool's connection.
      await waitFor(async () => (engine === 'pglite'
        ? ctx.db.pool.waitingCount
        : (await tx.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE NOT l.granted AND a.datname = current_database()',
        )).rows[0]!.n) > 0 ? true : undefined, 'our refresh to wait behind the lock', 10_000);
      const fresh = await refreshTokens('hubspot', ctx.endpoints('hubspot'), stale.refreshToken!);
      await repo.saveTokens(integration.id, { accessToken: fresh.accessToken, refreshToken: fresh.refreshToken, expiresAt: fresh.expiresAt });
      return { ours, theirs: fresh.accessToken };
    });
    const { ours, theirs } = await winner;
    await admin(sandbox, 'DELETE', '/_sandbox/requests');
    expect(await ours).toBe(theirs);
    expect(await tokenRequests(sandbox)).toBe(0);
    expect((await reload(ctx, integration)).status).toBe('connected');
  });

  it('waits for another process\'s live claim instead of spending the same refresh token, and takes the token it stores', async () => {
    const integration = await connectHubspot(ctx, 'refresh-claimed-elsewhere');
    const stale = (await credentialsOf(ctx, integration))!;
    const inRepo = <T>(work: (repo: ReturnType<typeof integrationsRepository>) => Promise<T>) =>
      withUser(ctx.db.pool, integration.userId, (tx) => work(integrationsRepository(tx, ctx.keys)));
    // Another process claimed the refresh (committed) and is waiting for the CRM's answer.
    expect(await inRepo((repo) => repo.claimTokenRefresh(integration.id, randomUUID(), 20_000))).toBe(true);
    await admin(sandbox, 'DELETE', '/_sandbox/requests');
    let settled = false;
    const ours = ctx.services.tokens.source(integration).refresh(stale.accessToken!).finally(() => { settled = true; });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(settled).toBe(false);
    expect(await tokenRequests(sandbox)).toBe(0);
    // The other process gets its answer and stores it: ours picks that token up without a request.
    const fresh = await refreshTokens('hubspot', ctx.endpoints('hubspot'), stale.refreshToken!);
    await inRepo((repo) => repo.saveTokens(integration.id, { accessToken: fresh.accessToken, refreshToken: fresh.refreshToken, expiresAt: fresh.expiresAt }));
    await admin(sandbox, 'DELETE', '/_sandbox/requests');
    expect(await ours).toBe(fresh.accessToken);
    expect(await tokenRequests(sandbox)).toBe(0);
  });

  it('takes over a claim whose process died (the claim expired) and refreshes once', async () => {
    const integration = await connectHubspot(ctx, 'refresh-claim-expired');
    const stale = (await credentialsOf(ctx, integration))!;
    await withUser(ctx.db.pool, integration.userId, (tx) => integrationsRepository(tx, ctx.keys).claimTokenRefresh(integration.id, randomUUID(), 300));
    await admin(sandbox, 'DELETE', '/_sandbox/requests');
    const token = await ctx.services.tokens.source(integration).refresh(stale.accessToken!);
    expect(token).not.toBe(stale.accessToken);
    expect(await tokenRequests(sandbox)).toBe(1);
    expect((await credentialsOf(ctx, integration))!.accessToken).toBe(token);
    expect((await reload(ctx, integration)).status).toBe('connected');
  });
});

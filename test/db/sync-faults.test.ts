import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { processRecordBudget } from '../../src/sync/record-budget.js';
import { startSyncServices } from '../../src/sync/services.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { connectHubspot, reload } from '../helpers/connect.js';
import { engine } from '../helpers/database.js';
import { differences } from '../helpers/equality.js';
import { admin, startTestSandbox } from '../helpers/sandbox.js';
import { syncAndWait } from '../helpers/sync.js';
import type { Integration } from '../../src/db/integrations-repository.js';

/**
 * The sandbox misbehaves the ways real CRMs do; a sync still ends with every record, or ends
 * partial / failed with the reason in its log — never silently short.
 */
describe(`sync under provider faults on ${engine}`, () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let ctx: TestContext;
  let services: Awaited<ReturnType<typeof startSyncServices>>;
  let integration: Integration;

  beforeAll(async () => {
    sandbox = await startTestSandbox('http://127.0.0.1:3999/crm/oauth/callback', { records: { contacts: 350, companies: 50, deals: 100 } });
    ctx = await createTestContext({ PUBLIC_URL: 'http://127.0.0.1:3999', PULSE_HTTP_TIMEOUT_MS: '700' }, sandbox.wiring);
    services = await startSyncServices(ctx, { workers: 1, scheduler: false });
    integration = await connectHubspot(ctx, 'fault-finder');
    expect((await syncAndWait(ctx, integration.userId, integration.id)).status).toBe('success');
  });
  afterAll(async () => {
    await services?.stop();
    await ctx?.close();
    await sandbox?.close();
  });
  beforeEach(() => admin(sandbox, 'DELETE', '/_sandbox/faults'));
  // Whatever way a run ended, the records it fetched were given back to the process's budget.
  afterEach(() => expect(processRecordBudget(ctx.config.PULSE_WORKER_RECORD_BUDGET).held).toBe(0));

  const listPath = '/crm/v3/objects/';
  it.each([
    ['a burst of 429s', { kind: 429, next: 4, pathPrefix: listPath }],
    ['500s', { kind: 500, next: 3, pathPrefix: listPath }],
    ['502s', { kind: 502, next: 2, pathPrefix: listPath }],
    ['503s', { kind: 503, next: 2, pathPrefix: listPath }],
    ['504s', { kind: 504, next: 2, pathPrefix: listPath }],
    ['a share of failures', { kind: 503, share: 0.2, pathPrefix: listPath }],
    ['requests that hang past the timeout', { kind: 'hang', next: 2, pathPrefix: listPath, hangMs: 3000 }],
    ['dropped connections', { kind: 'drop', next: 3, pathPrefix: listPath }],
    ['truncated JSON', { kind: 'truncate', next: 3, pathPrefix: listPath }],
    ['the access token expiring mid-sync', { kind: 'expire', next: 1, pathPrefix: listPath, skip: 2 }],
  ])('completes a full sync with every record despite %s', async (_name, fault) => {
    await admin(sandbox, 'POST', '/_sandbox/faults', fault);
    const log = await syncAndWait(ctx, integration.userId, integration.id, true);
    expect(log.status, log.errorMessage ?? '').toBe('success');
    expect(log.recordsSynced).toBe(500);
    expect(await differences(ctx, sandbox, integration.id)).toEqual([]);
  });

  it('ends partial, naming the object and the reason, when one object keeps failing', async () => {
    await admin(sandbox, 'POST', '/_sandbox/faults', { kind: 500, next: 1000, pathPrefix: `${listPath}deals` });
    const log = await syncAndWait(ctx, integration.userId, integration.id, true);
    expect(log.status).toBe('partial');
    expect(log.contactsSynced).toBe(350);
    expect(log.errors).toEqual([expect.objectContaining({ object: 'deals', code: 'temporary', message: expect.stringMatching(/HubSpot answered 500/) })]);
    expect(log.errorMessage).toMatch(/^deals: /);
    await admin(sandbox, 'DELETE', '/_sandbox/faults');
    // The interrupted full listing of deals resumes where it stopped.
    const next = await syncAndWait(ctx, integration.userId, integration.id);
    expect(next.status).toBe('success');
    expect(await differences(ctx, sandbox, integration.id)).toEqual([]);
  });

  it('ends partial when the daily quota is spent, and the next run resumes where it stopped', async () => {
    const account = Number(integration.externalAccountId);
    const usage = await admin(sandbox, 'GET', `/_sandbox/accounts/${account}/limits`);
    await admin(sandbox, 'PUT', `/_sandbox/accounts/${account}/limits?reset=false`, { tier: 'starter', dailyMax: usage.dailyUsed + 6 });
    const log = await syncAndWait(ctx, integration.userId, integration.id, true);
    expect(log.status).toBe('partial');
    expect(log.errorMessage).toMatch(/daily API limit is spent.*the next sync resumes where this one stopped/s);
    expect(log.recordsSynced).toBeLessThan(500);

    await admin(sandbox, 'PUT', `/_sandbox/accounts/${account}/limits`, { tier: 'oauth' });
    await admin(sandbox, 'DELETE', '/_sandbox/requests');
    const resumed = await syncAndWait(ctx, integration.userId, integration.id);
    expect(resumed.status).toBe('success');
    expect(log.recordsSynced + resumed.recordsSynced).toBeLessThanOrEqual(500 + 300);
    const spent = (await admin(sandbox, 'GET', '/_sandbox/requests')).byKind;
    expect(spent.list).toBeLessThan(5 + 3); // the rest of the listing plus the archived pages, not all 5 pages again
    expect(await differences(ctx, sandbox, integration.id)).toEqual([]);
  });

  it('fails the run and asks to reconnect when the grant is revoked mid-sync', async () => {
    await admin(sandbox, 'POST', '/_sandbox/faults', { kind: 'revoke', next: 1, pathPrefix: listPath, skip: 1 });
    const log = await syncAndWait(ctx, integration.userId, integration.id, true);
    // The grant goes at the second request to /crm/v3/objects/, which is the run's count of records
    // (three searches, before any listing): no object can read a page after it, so nothing is written
    // and the run has failed. (Partial is for runs that wrote some of the CRM's data.)
    expect(log.status).toBe('failed');
    expect(log.recordsSynced).toBe(0);
    expect(log.errors.map((error) => error.code)).toContain('auth_revoked');
    expect((await reload(ctx, integration)).status).toBe('needs_reauth');
    await expect(ctx.sync!.request({ userId: integration.userId, integrationId: integration.id })).rejects.toThrow(/needs to be reconnected/);
  });
});

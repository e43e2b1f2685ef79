import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { api, APP, approveConsent, exportRecords, REDIRECT_URI } from './helpers.js';

/** The emulators' data directory, in process: what a restart finds (the child-process test kills one for real). */
describe('a sandbox with a data directory', () => {
  const dirs: string[] = [];
  const running: Sandbox[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((sb) => sb.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-sandbox-data-'));
    dirs.push(dir);
    return dir;
  };
  const start = async (dataDir: string | undefined, seed = 3) => {
    // Typed as a whole sandbox for the shared helpers, which only use its HubSpot.
    const sb = (await startSandbox({ providers: ['hubspot'], dataDir, seed, records: 50 })) as unknown as Sandbox;
    running.push(sb);
    return sb;
  };
  const tokenCall = async (sb: Sandbox, fields: Record<string, string>) => {
    const res = await fetch(`${sb.urls.hubspot}/oauth/v1/token`, { method: 'POST', body: new URLSearchParams({ client_id: APP.clientId, client_secret: APP.clientSecret, ...fields }) });
    return { status: res.status, body: (await res.json()) as { access_token: string; refresh_token: string } };
  };

  it('comes back with its tokens, records, deletions and clock, whatever seed the next start asks for', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    const code = (await approveConsent(first, { optional_scope: 'crm.objects.contacts.write' })).get('code')!;
    const { body: tokens } = await tokenCall(first, { grant_type: 'authorization_code', redirect_uri: REDIRECT_URI, code });
    const created = await api(first, tokens.access_token, 'POST', '/crm/v3/objects/contacts', { properties: { email: 'kept@example.com', firstname: 'Kept' } });
    expect(created.status).toBe(201);
    const [edited, deleted] = await exportRecords(first, 'contacts');
    expect((await api(first, tokens.access_token, 'PATCH', `/crm/v3/objects/contacts/${edited!.id}`, { properties: { lastname: 'Edited' } })).status).toBe(200);
    expect((await api(first, tokens.access_token, 'DELETE', `/crm/v3/objects/contacts/${deleted!.id}`)).status).toBe(204);
    await fetch(`${first.urls.hubspot}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 3_600_000 }) });
    const before = await exportRecords(first, 'contacts', 'all');
    await first.close();

    const second = await start(dataDir, 99);
    expect(second.restored.hubspot).toMatchObject({ diverged: 0 });
    expect(second.restored.hubspot!.replayed).toBeGreaterThanOrEqual(6);
    expect(await exportRecords(second, 'contacts', 'all')).toEqual(before);
    expect(second.hubspot.clock.offset()).toBeGreaterThanOrEqual(3_600_000);
    // An hour later in the CRM the access token has expired; the refresh token still works.
    expect((await api(second, tokens.access_token, 'GET', `/crm/v3/objects/contacts/${created.body.id}`)).status).toBe(401);
    const renewed = await tokenCall(second, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(renewed.status).toBe(200);
    const read = await api(second, renewed.body.access_token, 'GET', `/crm/v3/objects/contacts/${created.body.id}?properties=email`);
    expect(read.body.properties.email).toBe('kept@example.com');
  });

  it('journals no reads, and drops a last line a kill cut off', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    const code = (await approveConsent(first)).get('code')!;
    const { body: tokens } = await tokenCall(first, { grant_type: 'authorization_code', redirect_uri: REDIRECT_URI, code });
    const journal = join(dataDir, 'hubspot', 'journal.ndjson');
    const lines = () => readFileSync(journal, 'utf8').split('\n').filter(Boolean).length;
    const written = lines();
    await api(first, tokens.access_token, 'GET', '/crm/v3/objects/contacts?limit=10');
    await api(first, tokens.access_token, 'POST', '/crm/v3/objects/contacts/search', { limit: 10 });
    await api(first, tokens.access_token, 'POST', '/crm/v3/objects/contacts/batch/read', { inputs: [{ id: '1' }] });
    expect(lines()).toBe(written);
    await first.close();

    appendFileSync(journal, '{"method":"POST","url":"/_sandbox/records/contacts","hea');
    const second = await start(dataDir);
    expect(second.restored.hubspot).toMatchObject({ replayed: written, diverged: 0 });
    expect(readFileSync(journal, 'utf8').endsWith('\n')).toBe(true);
  });

  it('writes nothing anywhere without one', async () => {
    const cwd = readdirSync(process.cwd());
    const sb = await start(undefined);
    expect(sb.restored).toEqual({});
    await api(sb, 'x', 'GET', '/crm/v3/objects/contacts');
    expect(readdirSync(process.cwd())).toEqual(cwd);
    expect(existsSync(join(process.cwd(), 'hubspot'))).toBe(false);
  });
});

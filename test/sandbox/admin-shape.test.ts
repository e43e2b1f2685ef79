/**
 * The admin API shape every emulator shares (src/sandbox/README.md): generated records, touches,
 * the NDJSON export, deletes and restores, and limits of the `default` account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { admin, exportRecords } from './helpers.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ records: 20 });
});
afterAll(() => sb.close());

const recordShape = {
  id: expect.stringMatching(/^\d+$/),
  createdAt: expect.any(String),
  updatedAt: expect.any(String),
  archived: false,
  properties: expect.any(Object),
  associations: { companies: expect.any(Array), deals: expect.any(Array) },
};

describe('admin records', () => {
  it('generates a realistic record when created without properties, and exports it', async () => {
    const created = await admin(sb, 'POST', '/records/contacts', {});
    expect(created.status).toBe(201);
    expect(created.body).toEqual(recordShape);
    const props = created.body.properties;
    expect(props.firstname).toMatch(/\w/);
    expect(props.lastname).toMatch(/\w/);
    expect(props.email).toMatch(/^[^@\s]+@[^@\s]+\.\w+$/);
    expect(props.hubspot_owner_id).toMatch(/^\d+$/);
    expect(props.hs_object_id).toBe(created.body.id);
    const exported = await exportRecords(sb, 'contacts');
    expect(exported.find((r) => r.id === created.body.id)).toEqual(created.body);
  });

  it('creates with the given properties, answering the record', async () => {
    const created = await admin(sb, 'POST', '/records/companies', { properties: { name: 'Acme Rockets', domain: 'acme-rockets.example' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ ...recordShape, associations: { contacts: [], deals: [] } });
    expect(created.body.properties).toMatchObject({ name: 'Acme Rockets', domain: 'acme-rockets.example' });
  });

  it('touches one generated field when updated without properties, moving updatedAt', async () => {
    const [first] = await exportRecords(sb, 'deals');
    await admin(sb, 'POST', '/clock', { advanceMs: 60_000 });
    const touched = await admin(sb, 'PATCH', `/records/deals/${first!.id}`, {});
    expect(touched.status).toBe(200);
    expect(Date.parse(touched.body.updatedAt)).toBeGreaterThan(Date.parse(first!.updatedAt));
    const changed = Object.keys(touched.body.properties).filter((k) => k !== 'hs_lastmodifieddate' && touched.body.properties[k] !== first!.properties[k]);
    expect(changed).toHaveLength(1);
  });

  it('archives as the CRM UI does and restores, the export following with archived=true|all', async () => {
    const [first] = await exportRecords(sb, 'companies');
    expect((await admin(sb, 'DELETE', `/records/companies/${first!.id}`)).status).toBe(204);
    expect((await exportRecords(sb, 'companies', 'true')).map((r) => [r.id, r.archived])).toEqual([[first!.id, true]]);
    expect((await exportRecords(sb, 'companies', 'all')).some((r) => r.id === first!.id)).toBe(true);
    expect((await exportRecords(sb, 'companies')).some((r) => r.id === first!.id)).toBe(false);
    expect((await admin(sb, 'POST', `/records/companies/${first!.id}/restore`)).status).toBe(204);
    expect((await exportRecords(sb, 'companies', 'true'))).toEqual([]);
  });

  it('answers 400 for an object that is not contacts, companies or deals', async () => {
    const res = await admin(sb, 'POST', '/records/tickets', {});
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
  });
});

describe('admin limits of the default account', () => {
  it('reads and sets limits through accounts/default', async () => {
    const set = await admin(sb, 'PUT', '/accounts/default/limits', { tier: 'professional', dailyMax: 3 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ tier: 'professional', dailyMax: 3 });
    const read = await admin(sb, 'GET', '/accounts/default/limits');
    expect(read.body).toMatchObject({ tier: 'professional', dailyMax: 3, dailyUsed: 0, tiers: expect.arrayContaining(['oauth', 'professional']) });
    const byId = await admin(sb, 'GET', `/accounts/${sb.hubspot.store.defaultAccountId}/limits`);
    expect(byId.body).toEqual(read.body);
  });
});

describe('admin accounts', () => {
  it('adds an account with generated records and a tier, and reseeds it', async () => {
    const created = await admin(sb, 'POST', '/accounts', { records: 10, limits: 'professional' });
    expect(created.status).toBe(201);
    expect(created.body.limits.tier).toBe('professional');
    expect(await exportRecords(sb, 'contacts', 'false', created.body.id)).toHaveLength(7);
    const reseeded = await admin(sb, 'POST', '/seed', { accountId: created.body.id, records: { deals: 3 } });
    expect(reseeded.body).toMatchObject({ accountId: created.body.id, counts: { contacts: 0, companies: 0, deals: 3 } });
    expect((await admin(sb, 'POST', '/accounts', { limits: 'platinum' })).status).toBe(400);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationsRepository } from '../../src/db/integrations-repository.js';
import { asSystem } from '../../src/db/tenant.js';
import { addPrimaryKey } from '../../src/lib/key-file.js';
import { reencryptAll } from '../../src/lib/reencrypt.js';
import { parseKeyRing } from '../../src/lib/secrets.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { engine } from '../helpers/database.js';
import { asUser, ensureUser } from '../helpers/users.js';

const secrets = { accessToken: 'at-PLAINTEXT-1234567890', refreshToken: 'rt-PLAINTEXT-abcdef', apiKey: 'key-PLAINTEXT-zzz' };

describe(`secrets at rest on ${engine}`, () => {
  let ctx: TestContext;
  let userId: string;
  let integrationId: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    userId = await ensureUser(ctx, 'secret-keeper');
    integrationId = (await asUser(ctx, userId, (tx) => integrationsRepository(tx, ctx.keys).create({ platform: 'hubspot', ...secrets }))).id;
  });
  afterAll(() => ctx?.close());

  const rawRow = () => asSystem(ctx.db.pool, async (tx) => (await tx.query('SELECT * FROM crm_integrations WHERE id = $1', [integrationId])).rows[0]);

  it('stores no plaintext token or key in the table', async () => {
    const raw = JSON.stringify(await rawRow());
    for (const value of Object.values(secrets)) expect(raw).not.toContain(value);
    const row = await rawRow();
    for (const column of ['access_token', 'refresh_token', 'api_key']) expect(row[column]).toMatch(/^enc:v2:[\w-]+:/);
  });

  it('does not open a token copied into another user\'s row, or into another column, by someone who can write to the database', async () => {
    const otherUser = await ensureUser(ctx, 'token-thief');
    const create = () => asUser(ctx, otherUser, async (tx) => (await integrationsRepository(tx, ctx.keys).create({ platform: 'hubspot', accessToken: 'own-at', refreshToken: 'own-rt' })).id);
    const read = (id: string) => asUser(ctx, otherUser, (tx) => integrationsRepository(tx, ctx.keys).readCredentials(id));
    const [intoRow, intoColumn] = [await create(), await create()];
    expect(await read(intoRow)).toMatchObject({ accessToken: 'own-at', refreshToken: 'own-rt' });
    await asSystem(ctx.db.pool, async (tx) => {
      await tx.query(`UPDATE crm_integrations SET access_token = (SELECT access_token FROM crm_integrations WHERE id = $1) WHERE id = $2`, [integrationId, intoRow]);
      await tx.query(`UPDATE crm_integrations SET access_token = refresh_token WHERE id = $1`, [intoColumn]);
    });
    await expect(read(intoRow)).rejects.toThrow(/access_token does not open for this row: it was altered or moved from another row/);
    await expect(read(intoColumn)).rejects.toThrow(/access_token does not open for this row/);
    await asSystem(ctx.db.pool, (tx) => tx.query('DELETE FROM crm_integrations WHERE id = ANY($1)', [[intoRow, intoColumn]]));
  });

  it('reads the secrets back through the repository', async () => {
    const credentials = await asUser(ctx, userId, (tx) => integrationsRepository(tx, ctx.keys).readCredentials(integrationId));
    expect(credentials).toMatchObject(secrets);
  });

  it('re-encrypts every secret under a new key, and old keys are no longer needed', async () => {
    const rotated = addPrimaryKey(ctx.keys);
    expect(await reencryptAll(ctx.db.pool, rotated)).toBe(3);
    const row = await rawRow();
    for (const column of ['access_token', 'refresh_token', 'api_key']) expect(row[column]).toContain(`enc:v2:${rotated.primary.id}:`);
    const onlyNewKey = parseKeyRing(`${rotated.primary.id}:${rotated.primary.key.toString('base64')}`);
    const credentials = await asUser(ctx, userId, (tx) => integrationsRepository(tx, onlyNewKey).readCredentials(integrationId));
    expect(credentials).toMatchObject(secrets);
    expect(await reencryptAll(ctx.db.pool, rotated)).toBe(0);
  });
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../src/db/migrate.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { engine } from '../helpers/database.js';

describe(`migrations on ${engine}`, () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx?.close());

  it('records every migration file once', async () => {
    const { rows } = await ctx.db.pool.query('SELECT name FROM pulse_migrations ORDER BY id');
    expect(rows.map((row) => row.name)).toEqual(readMigrations().map((m) => m.name));
  });

  it('applies nothing twice when several processes migrate at the same moment', async () => {
    const pools = [0, 1, 2].map(() => new pg.Pool({ ...ctx.db.connection, max: 1 }));
    try {
      // Start from an empty schema, as on a new deployment where several processes boot together.
      await ctx.db.pool.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
      const results = await Promise.allSettled(pools.map((pool) => migrate(pool)));
      const applied = results.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error).message));
      const all = readMigrations().map((m) => m.name);
      expect(applied.filter((value) => JSON.stringify(value) === JSON.stringify(all))).toHaveLength(1);
      expect(applied.filter((value) => Array.isArray(value) && value.length === 0)).toHaveLength(2);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('refuses to start when a released migration was edited', async () => {
    await ctx.db.pool.query(`UPDATE pulse_migrations SET checksum = 'edited' WHERE id = 1`);
    await expect(migrate(ctx.db.pool)).rejects.toThrow(/was changed after it was applied/);
  });
});

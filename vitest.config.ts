import { defineConfig } from 'vitest/config';

/**
 * Database tests run twice: once on embedded PGlite and once on the PostgreSQL server at
 * PULSE_TEST_PG_URL (default: the local server), each test file on a fresh database. So does the
 * conformance suite, which runs once per CRM marked available in the registry.
 */
const postgresUrl = process.env.PULSE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export default defineConfig({
  test: {
    // Vitest's default (one fewer than the cores) runs one file at a time on a 2-core machine, which then
    // sits ~90 % idle: most tests wait on PostgreSQL, an emulator or a child process. Three files at a
    // time keep both cores busy (measured: 36 → 15 min for the whole suite at four).
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/sandbox/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'db:pglite',
          include: ['test/db/**/*.test.ts'],
          env: { PULSE_TEST_DB: 'pglite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'db:postgres',
          include: ['test/db/**/*.test.ts'],
          env: { PULSE_TEST_DB: 'postgres', PULSE_TEST_PG_URL: postgresUrl },
        },
      },
      // One suite for every CRM marked available (test/conformance/README.md), on both engines.
      {
        extends: true,
        test: {
          name: 'conformance:pglite',
          include: ['test/conformance/**/*.test.ts'],
          env: { PULSE_TEST_DB: 'pglite' },
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'conformance:postgres',
          include: ['test/conformance/**/*.test.ts'],
          env: { PULSE_TEST_DB: 'postgres', PULSE_TEST_PG_URL: postgresUrl },
          testTimeout: 120_000,
        },
      },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], fileParallelism: false } },
    ],
  },
});

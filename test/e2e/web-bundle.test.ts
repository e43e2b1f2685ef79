import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/process.js';

/** The browser bundle is built with every secret variable set, then searched for their values. */
describe('web bundle', () => {
  const outDir = join(repoRoot, 'dist', 'web-secret-check');
  const secrets = {
    HUBSPOT_CLIENT_SECRET: 'hs-secret-value-0d3f8a',
    SALESFORCE_CLIENT_SECRET: 'sf-secret-value-71c2b9',
    PIPEDRIVE_CLIENT_SECRET: 'pd-secret-value-5e6a1c',
    ZOHO_CLIENT_SECRET: 'zo-secret-value-9b4d2e',
    HUBSPOT_DEVELOPER_API_KEY: 'hs-developer-key-value-3a1f70',
    PULSE_ENCRYPTION_KEY: 'k1:c2VjcmV0LWtleS1tYXRlcmlhbC0zMi1ieXRlcy0hIQ==',
    PULSE_AUTH_JWT_SECRET: 'jwt-secret-value-44aa99',
    DATABASE_URL: 'postgres://user:db-password-8c7e@127.0.0.1/x',
  };
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('holds no secret value even when they are all set at build time', async () => {
    Object.assign(process.env, secrets);
    try {
      await build({ configFile: join(repoRoot, 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    } finally {
      for (const name of Object.keys(secrets)) delete process.env[name];
    }
    const files = listFiles(outDir);
    expect(files.length).toBeGreaterThan(0);
    const bundle = files.map((file) => readFileSync(file, 'utf8')).join('\n');
    for (const value of Object.values(secrets)) expect(bundle).not.toContain(value);
    expect(bundle).not.toContain('db-password');
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { assertSafeBinding } from '../../src/server/auth.js';

describe('loadConfig', () => {
  it('applies defaults: port 3000 on loopback, embedded database in .pulse', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', PULSE_DATA_DIR: '.pulse', publicUrl: 'http://127.0.0.1:3000' });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('names each bad variable and says where to look', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url' })).toThrow(/PORT: .*\n.*DATABASE_URL: .*\nFix these variables \(see \.env\.example\)/s);
  });

  it('wants a client id and secret together', () => {
    expect(() => loadConfig({ HUBSPOT_CLIENT_ID: 'abc' })).toThrow(/set both HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET/);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
  });
});

describe('binding without authentication', () => {
  it('refuses a non-loopback host when no auth is configured', () => {
    expect(() => assertSafeBinding(loadConfig({ HOST: '0.0.0.0' }))).toThrow(/Refusing to listen on 0\.0\.0\.0 without authentication/);
  });
  it('allows it once a JWT secret is set, and allows loopback without one', () => {
    expect(() => assertSafeBinding(loadConfig({ HOST: '0.0.0.0', PULSE_AUTH_JWT_SECRET: 's'.repeat(32) }))).not.toThrow();
    expect(() => assertSafeBinding(loadConfig({ HOST: '127.0.0.1' }))).not.toThrow();
  });
});

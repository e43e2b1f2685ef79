import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { allowedAppOrigins, safeReturnPath } from '../../src/crm/oauth-origins.js';

describe('app origins that may run the connect flow', () => {
  it('are PUBLIC_URL, its loopback aliases, and PULSE_APP_ORIGINS', () => {
    const origins = allowedAppOrigins(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:3000', PULSE_APP_ORIGINS: 'https://app.example.com, http://localhost:5173/' }));
    expect([...origins].sort()).toEqual(['http://127.0.0.1:3000', 'http://[::1]:3000', 'http://localhost:3000', 'http://localhost:5173', 'https://app.example.com']);
  });

  it('has no aliases for a public host name', () => {
    expect([...allowedAppOrigins(loadConfig({ PUBLIC_URL: 'https://pulse.example.com' }))]).toEqual(['https://pulse.example.com']);
  });

  it('refuses a PULSE_APP_ORIGINS entry that is not an origin, naming the variable', () => {
    expect(() => loadConfig({ PULSE_APP_ORIGINS: 'https://app.example.com/settings' })).toThrow(/PULSE_APP_ORIGINS must list exact origins/);
    expect(() => loadConfig({ PULSE_APP_ORIGINS: 'app.example.com' })).toThrow(/PULSE_APP_ORIGINS/);
  });
});

describe('returnTo', () => {
  it('is a normalised path on this site', () => {
    expect(safeReturnPath('/settings?tab=crm#x', 'https://pulse.example.com')).toBe('/settings?tab=crm#x');
    expect(safeReturnPath('/a/./b/../settings', 'https://pulse.example.com')).toBe('/a/settings');
  });

  it.each(['//evil.com', '/\\evil.com', '/%5Cevil.com', '/%2F%2Fevil.com', 'http://evil.com', '/%E0%A4%A', ' /settings'])('refuses %j', (value) => {
    expect(safeReturnPath(value, 'https://pulse.example.com')).toBeNull();
  });

  it('takes PULSE_CORS_ORIGINS as exact origins that may also start a connect flow', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://pulse.example.com', PULSE_CORS_ORIGINS: 'https://host.example.com' });
    expect(config.corsOrigins).toEqual(['https://host.example.com']);
    expect([...allowedAppOrigins(config)].sort()).toEqual(['https://host.example.com', 'https://pulse.example.com']);
  });

  it('refuses a wildcard or a path in PULSE_CORS_ORIGINS, naming the variable', () => {
    expect(() => loadConfig({ PULSE_CORS_ORIGINS: 'https://*.example.com' })).toThrow(/PULSE_CORS_ORIGINS must list exact origins/);
    expect(() => loadConfig({ PULSE_CORS_ORIGINS: '*' })).toThrow(/PULSE_CORS_ORIGINS/);
    expect(() => loadConfig({ PULSE_CORS_ORIGINS: 'https://host.example.com/app' })).toThrow(/PULSE_CORS_ORIGINS/);
  });
});

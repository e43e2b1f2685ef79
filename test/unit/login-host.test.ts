import { describe, expect, it } from 'vitest';
import { connectionEndpoints, keepConnectionConfig } from '../../src/crm/connection-config.js';
import type { ProviderEndpoints } from '../../src/crm/endpoints.js';
import { chooseLoginHost, keptLoginHost, loginEndpoints } from '../../src/crm/login-host.js';
import { platforms } from '../../src/crm/platforms.js';
import { ProviderError } from '../../src/crm/provider-error.js';

/**
 * A person picks where they sign in (Salesforce: production, sandbox, My Domain); the chosen host
 * receives the authorization code and, later, the refresh token, so a typed one must be the CRM's own.
 */
const salesforce = platforms.salesforce;
const real: ProviderEndpoints = {
  mode: 'configured', clientId: 'c', clientSecret: 's', authorizeUrl: salesforce.oauth.authorizeUrl, tokenUrl: salesforce.oauth.tokenUrl,
  revokeUrl: salesforce.oauth.revokeUrl, apiBaseUrl: salesforce.apiBaseUrl,
};
const sandbox: ProviderEndpoints = {
  mode: 'sandbox', clientId: 'c', clientSecret: 's', authorizeUrl: 'http://127.0.0.1:4102/services/oauth2/authorize',
  tokenUrl: 'http://127.0.0.1:4102/services/oauth2/token', revokeUrl: 'http://127.0.0.1:4102/services/oauth2/revoke', apiBaseUrl: 'http://127.0.0.1:4102',
};

describe('choosing a login host', () => {
  it('maps each fixed option to its origin, and no choice to the default', () => {
    expect(chooseLoginHost(salesforce, { option: 'production' })).toEqual({ ok: true, origin: 'https://login.salesforce.com' });
    expect(chooseLoginHost(salesforce, { option: 'sandbox' })).toEqual({ ok: true, origin: 'https://test.salesforce.com' });
    expect(chooseLoginHost(salesforce, undefined)).toEqual({ ok: true, origin: null });
  });

  it.each([
    ['https://acme.my.salesforce.com', 'https://acme.my.salesforce.com'],
    ['https://acme.my.salesforce.com/', 'https://acme.my.salesforce.com'],
    ['acme.my.salesforce.com', 'https://acme.my.salesforce.com'],
    ['  https://Acme--UAT.sandbox.my.salesforce.com ', 'https://acme--uat.sandbox.my.salesforce.com'],
  ])('accepts My Domain %s as %s', (url, origin) => {
    expect(chooseLoginHost(salesforce, { option: 'my_domain', url })).toEqual({ ok: true, origin });
  });

  it.each([
    'https://evil.com', 'http://x.my.salesforce.com', 'https://x.my.salesforce.com.evil.com', 'https://my.salesforce.com',
    'https://login.salesforce.com', 'https://x.my.salesforce.com:8443', 'https://u:p@x.my.salesforce.com', 'https://169.254.169.254',
    'javascript:alert(1)', 'https://x.my.salesforce.com/services/oauth2/authorize', 'https://x.my.salesforce.com/?next=evil',
  ])('refuses My Domain %s, naming loginHost.url', (url) => {
    const chosen = chooseLoginHost(salesforce, { option: 'my_domain', url });
    expect(chosen).toMatchObject({ ok: false, field: 'loginHost.url' });
    expect(chosen.ok ? '' : chosen.problem).toMatch(/https:\/\/yourcompany\.my\.salesforce\.com/);
  });

  it('asks for the address when My Domain is chosen without one', () => {
    expect(chooseLoginHost(salesforce, { option: 'my_domain' })).toMatchObject({ ok: false, field: 'loginHost.url', problem: expect.stringMatching(/is required/) });
  });

  it('names the options when the option is unknown, and refuses a choice for a CRM with one host', () => {
    expect(chooseLoginHost(salesforce, { option: 'staging' })).toEqual({ ok: false, field: 'loginHost.option', problem: 'must be one of production, sandbox, my_domain' });
    expect(chooseLoginHost(platforms.hubspot, { option: 'production' })).toMatchObject({ ok: false, field: 'loginHost' });
  });
});

describe('endpoints on the chosen login host', () => {
  it('moves authorize, token and revoke onto the chosen origin, keeping their paths', () => {
    const moved = loginEndpoints(real, 'https://acme.my.salesforce.com');
    expect({ authorize: moved.authorizeUrl, token: moved.tokenUrl, revoke: moved.revokeUrl, api: moved.apiBaseUrl }).toEqual({
      authorize: 'https://acme.my.salesforce.com/services/oauth2/authorize',
      token: 'https://acme.my.salesforce.com/services/oauth2/token',
      revoke: 'https://acme.my.salesforce.com/services/oauth2/revoke',
      api: real.apiBaseUrl,
    });
    expect(loginEndpoints(real, null)).toEqual(real);
  });

  it('leaves the emulator\'s endpoints alone in sandbox mode: it stands for every host', () => {
    expect(loginEndpoints(sandbox, 'https://test.salesforce.com')).toEqual(sandbox);
  });

  it('keeps the choice on the connection, so refresh and revoke go to the same host', () => {
    const config = { instance_url: 'https://acme.my.salesforce.com', login_host: 'https://test.salesforce.com' };
    const endpoints = connectionEndpoints('salesforce', real, config);
    expect({ token: endpoints.tokenUrl, revoke: endpoints.revokeUrl, api: endpoints.apiBaseUrl }).toEqual({
      token: 'https://test.salesforce.com/services/oauth2/token', revoke: 'https://test.salesforce.com/services/oauth2/revoke', api: 'https://acme.my.salesforce.com',
    });
    // A connection made before the choice existed refreshes where it always did.
    expect(connectionEndpoints('salesforce', real, { instance_url: 'https://acme.my.salesforce.com' }).tokenUrl).toBe(salesforce.oauth.tokenUrl);
  });

  it('records the real host chosen in sandbox mode while the emulator serves it', () => {
    const kept = keepConnectionConfig(salesforce, { token: { instance_url: sandbox.apiBaseUrl }, start: { login_host: 'https://test.salesforce.com' } }, sandbox.apiBaseUrl);
    expect(kept).toEqual({ ok: true, config: { instance_url: sandbox.apiBaseUrl, login_host: 'https://test.salesforce.com' } });
    expect(connectionEndpoints('salesforce', sandbox, kept.ok ? kept.config : {}).tokenUrl).toBe(sandbox.tokenUrl);
  });

  it('reuses a connection\'s login host on reconnect only while it is one of the CRM\'s', () => {
    expect(keptLoginHost(salesforce, { login_host: 'https://acme.my.salesforce.com' })).toBe('https://acme.my.salesforce.com');
    expect(keptLoginHost(salesforce, { login_host: 'https://evil.com' })).toBeNull();
    expect(keptLoginHost(salesforce, {})).toBeNull();
    expect(keptLoginHost(platforms.hubspot, { login_host: 'https://login.salesforce.com' })).toBeNull();
  });

  it('checks a stored login host again before sending a refresh token to it', () => {
    expect(() => connectionEndpoints('salesforce', real, { instance_url: 'https://acme.my.salesforce.com', login_host: 'https://evil.com' })).toThrow(ProviderError);
    expect(keepConnectionConfig(salesforce, { token: { instance_url: sandbox.apiBaseUrl }, start: { login_host: 'https://evil.com' } }, sandbox.apiBaseUrl))
      .toMatchObject({ ok: false, field: 'login_host' });
  });
});

import { describe, expect, it } from 'vitest';
import { connectionEndpoints, exchangeEndpoints, keepConnectionConfig, locationProblem } from '../../src/crm/connection-config.js';
import { onBase } from '../../src/crm/http.js';
import type { ProviderEndpoints } from '../../src/crm/endpoints.js';
import { platforms } from '../../src/crm/platforms.js';
import { ProviderError } from '../../src/crm/provider-error.js';

/**
 * Where an account lives comes from the CRM's token response, and we send the user's token there:
 * each value must name one of that CRM's own hosts. These are the registry's real allowlists.
 */
const hostile = [
  'http://169.254.169.254', 'http://169.254.169.254/latest/meta-data/', 'https://169.254.169.254',
  'https://evil.com', 'https://x.salesforce.com.evil.com', 'https://salesforce.com.evil.com/',
  'https://127.0.0.1', 'https://[::1]', 'https://10.0.0.8', 'https://2130706433', 'https://0x7f000001',
  'http://acme.my.salesforce.com', 'https://acme.my.salesforce.com:8443', 'https://user:pass@acme.my.salesforce.com',
  'https://acme.my.salesforce.com.', 'https://-.salesforce.com', 'javascript:alert(1)', 'file:///etc/passwd', 'not a url',
  'https://xsalesforce.com', 'https://salesforce.com',
];

describe('connection config allowlist', () => {
  const salesforce = platforms.salesforce.connection!.fields[0]!.allow;

  it.each(hostile)('refuses %s as a Salesforce instance', (value) => {
    expect(locationProblem(value, salesforce)).not.toBeNull();
  });

  it.each(['https://acme.my.salesforce.com', 'https://acme--dev.sandbox.my.salesforce.com', 'https://na1.salesforce.com', 'https://acme.lightning.force.com'])(
    'accepts %s as a Salesforce instance', (value) => expect(locationProblem(value, salesforce)).toBeNull(),
  );

  it('holds each CRM to its own hosts', () => {
    const pipedrive = platforms.pipedrive.connection!.fields[0]!.allow;
    const zoho = platforms.zoho.connection!.fields[0]!.allow;
    expect(locationProblem('https://acme.pipedrive.com', pipedrive)).toBeNull();
    expect(locationProblem('https://acme.my.salesforce.com', pipedrive)).not.toBeNull();
    expect(['com', 'eu', 'in', 'com.au', 'jp', 'ca', 'sa', 'com.cn'].map((tld) => locationProblem(`https://www.zohoapis.${tld}`, zoho))).toEqual(Array(8).fill(null));
    expect(locationProblem('https://evil.zohoapis.com', zoho)).not.toBeNull();
    expect(locationProblem('https://www.zohoapis.com.evil.com', zoho)).not.toBeNull();
  });

  it('keeps the declared fields from a token response and says which one is wrong', () => {
    expect(keepConnectionConfig(platforms.pipedrive, { token: { access_token: 'a', api_domain: 'https://acme.pipedrive.com', other: 'x' } }, null))
      .toEqual({ ok: true, config: { api_domain: 'https://acme.pipedrive.com' } });
    expect(keepConnectionConfig(platforms.salesforce, { token: { instance_url: 'https://x.salesforce.com.evil.com' } }, null))
      .toEqual({ ok: false, field: 'instance_url', problem: 'points at https://x.salesforce.com.evil.com, which is not one of this CRM\'s hosts' });
    expect(keepConnectionConfig(platforms.pipedrive, { token: {} }, null)).toEqual({ ok: false, field: 'api_domain', problem: 'is missing' });
    expect(keepConnectionConfig(platforms.pipedrive, { token: { api_domain: 42 } }, null)).toEqual({ ok: false, field: 'api_domain', problem: 'is not a URL' });
    // Zoho names the user's accounts server in the callback, not the token response.
    const callback = new URLSearchParams({ 'accounts-server': 'https://accounts.zoho.eu' });
    expect(keepConnectionConfig(platforms.zoho, { token: { api_domain: 'https://www.zohoapis.eu' }, callback }, null))
      .toEqual({ ok: true, config: { api_domain: 'https://www.zohoapis.eu', 'accounts-server': 'https://accounts.zoho.eu' } });
  });

  it('allows only the emulator in sandbox mode, and no real host there', () => {
    const sandbox = 'http://127.0.0.1:4102';
    expect(keepConnectionConfig(platforms.salesforce, { token: { instance_url: sandbox } }, sandbox)).toEqual({ ok: true, config: { instance_url: sandbox } });
    expect(keepConnectionConfig(platforms.salesforce, { token: { instance_url: 'https://acme.my.salesforce.com' } }, sandbox).ok).toBe(false);
    expect(keepConnectionConfig(platforms.salesforce, { token: { instance_url: 'http://127.0.0.1:4103' } }, sandbox).ok).toBe(false);
    expect(keepConnectionConfig(platforms.salesforce, { token: { instance_url: sandbox } }, null).ok).toBe(false);
  });
});

describe('endpoints of one connection', () => {
  const real = (id: 'salesforce' | 'zoho'): ProviderEndpoints => ({
    mode: 'configured', clientId: 'c', clientSecret: 's', authorizeUrl: platforms[id].oauth.authorizeUrl, tokenUrl: platforms[id].oauth.tokenUrl,
    revokeUrl: platforms[id].oauth.revokeUrl, apiBaseUrl: platforms[id].apiBaseUrl,
  });

  it('moves the API (and Zoho\'s token endpoint) to where the account lives', () => {
    expect(connectionEndpoints('salesforce', real('salesforce'), { instance_url: 'https://acme.my.salesforce.com/' }).apiBaseUrl).toBe('https://acme.my.salesforce.com');
    const zoho = connectionEndpoints('zoho', real('zoho'), { api_domain: 'https://www.zohoapis.eu', 'accounts-server': 'https://accounts.zoho.eu' });
    expect({ api: zoho.apiBaseUrl, token: zoho.tokenUrl, revoke: zoho.revokeUrl })
      .toEqual({ api: 'https://www.zohoapis.eu', token: 'https://accounts.zoho.eu/oauth/v2/token', revoke: 'https://accounts.zoho.eu/oauth/v2/token/revoke' });
  });

  it('checks stored values again before building on them', () => {
    expect(() => connectionEndpoints('salesforce', real('salesforce'), { instance_url: 'http://169.254.169.254' }))
      .toThrow(ProviderError);
  });

  it('keeps a real CRM\'s origin only, but the emulator\'s region prefix in sandbox mode', () => {
    const onReal = connectionEndpoints('zoho', real('zoho'), { api_domain: 'https://www.zohoapis.eu/eu', 'accounts-server': 'https://accounts.zoho.eu/x' });
    expect([onReal.apiBaseUrl, onReal.tokenUrl]).toEqual(['https://www.zohoapis.eu', 'https://accounts.zoho.eu/oauth/v2/token']);
    const emulator = 'http://127.0.0.1:4104';
    const sandbox: ProviderEndpoints = { ...real('zoho'), mode: 'sandbox', apiBaseUrl: emulator, tokenUrl: `${emulator}/oauth/v2/token`, revokeUrl: `${emulator}/oauth/v2/token/revoke` };
    const eu = connectionEndpoints('zoho', sandbox, { api_domain: `${emulator}/eu`, 'accounts-server': `${emulator}/eu/` });
    expect([eu.apiBaseUrl, eu.tokenUrl, eu.revokeUrl]).toEqual([`${emulator}/eu`, `${emulator}/eu/oauth/v2/token`, `${emulator}/eu/oauth/v2/token/revoke`]);
    expect(onBase(eu.apiBaseUrl, '/crm/v8/Contacts').toString()).toBe(`${emulator}/eu/crm/v8/Contacts`);
    expect(onBase('https://api.hubapi.com', '/crm/v3/objects/contacts').toString()).toBe('https://api.hubapi.com/crm/v3/objects/contacts');
    // Only plain path segments on the emulator's own origin.
    for (const bad of [`${emulator}/eu?x=1`, `${emulator}/eu#x`, `${emulator}/%2e%2e/admin`, `${emulator}/e u`, 'http://127.0.0.1:4105/eu']) {
      expect(keepConnectionConfig(platforms.zoho, { token: { api_domain: bad }, callback: new URLSearchParams({ 'accounts-server': emulator }) }, emulator).ok, bad).toBe(false);
    }
  });

  it('exchanges the code at the accounts server the callback names, once it is checked', () => {
    const at = exchangeEndpoints('zoho', real('zoho'), new URLSearchParams({ code: 'c', 'accounts-server': 'https://accounts.zoho.eu' }));
    expect(at.ok && at.endpoints.tokenUrl).toBe('https://accounts.zoho.eu/oauth/v2/token');
    expect(exchangeEndpoints('zoho', real('zoho'), new URLSearchParams({ code: 'c', 'accounts-server': 'https://evil.example' }))).toMatchObject({ ok: false, field: 'accounts-server' });
    // A CRM whose callback names nothing keeps the registry's token URL (api_domain comes later, in the token).
    const pipedrive = exchangeEndpoints('salesforce', real('salesforce'), new URLSearchParams({ code: 'c' }));
    expect(pipedrive.ok && pipedrive.endpoints.tokenUrl).toBe(platforms.salesforce.oauth.tokenUrl);
  });
});

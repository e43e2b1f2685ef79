import { describe, expect, it } from 'vitest';
import { writeFields } from '../../src/crm/field-codec.js';
import { parseZohoError } from '../../src/crm/zoho/errors.js';
import { mapRecord } from '../../src/crm/zoho/mapping.js';
import { zohoFields } from '../../src/crm/zoho/spec.js';

const deal = {
  id: '4150868000070000001', Deal_Name: 'Acme renewal', Amount: 1500, Currency: 'USD', Stage: 'Qualification', Pipeline: 'Standard (Standard)',
  Closing_Date: '2024-06-30', Owner: { id: '4150868000090000101', name: 'Patricia Boyle', email: 'p@example.com' },
  Account_Name: { id: '4150868000040000001', name: 'Acme' }, Contact_Name: null,
  Created_Time: '2024-05-01T10:00:00+05:30', Modified_Time: '2024-05-02T08:30:00+00:00',
};

describe('Zoho records → our model', () => {
  it('reads typed fields, owner and lookups; times become canonical ISO', () => {
    const record = mapRecord('deals', deal);
    expect(record).toMatchObject({
      remoteId: deal.id,
      fields: { name: 'Acme renewal', amount: 1500, currency: 'USD', stage: 'Qualification', closeDate: '2024-06-30T00:00:00.000Z', ownerId: '4150868000090000101' },
      associations: { companies: ['4150868000040000001'], contacts: [] },
      remoteCreatedAt: '2024-05-01T04:30:00.000Z',
      remoteUpdatedAt: '2024-05-02T08:30:00.000Z',
    });
    // Lookups live as associations: their `name` follows the linked record and would go stale here.
    expect(record.properties).not.toHaveProperty('Account_Name');
    expect(record.properties).not.toHaveProperty('id');
    expect(record.properties.Owner).toEqual(deal.Owner);
  });

  it('reads an account\'s Website as its domain, and writes a domain back as the Website', () => {
    const account = mapRecord('companies', { id: '4150868000040000001', Account_Name: 'Acme', Website: 'https://www.Acme.example/about', Created_Time: deal.Created_Time, Modified_Time: deal.Modified_Time });
    expect(account.fields).toMatchObject({ name: 'Acme', domain: 'acme.example' });
    expect(account.associations).toEqual({});
    expect(writeFields(zohoFields.companies, { name: 'Analytical Engines', domain: 'engines.example.com', ownerId: null })).toEqual({ Account_Name: 'Analytical Engines', Website: 'engines.example.com', Owner: '' });
  });
});

describe('Zoho errors → our codes', () => {
  const headers = new Headers();
  it.each([
    [401, { code: 'INVALID_TOKEN', message: 'invalid oauth token', status: 'error', details: {} }, 'auth_revoked'],
    [401, { code: 'OAUTH_SCOPE_MISMATCH', message: 'Unauthorized', status: 'error', details: {} }, 'insufficient_scope'],
    [429, { code: 'RATE_LIMIT_EXCEEDED', message: 'Too many requests. Please try again later.', status: 'error' }, 'rate_limited'],
    [429, { code: 'LIMIT_EXCEEDED', message: 'API credits exhausted', status: 'error' }, 'quota_exhausted'],
    [400, { code: 'EXPIRED_VALUE', message: 'the given page_token has expired', status: 'error' }, 'cursor_invalid'],
    [400, { code: 'REQUIRED_PARAM_MISSING', message: 'One of the expected parameter is missing', status: 'error' }, 'invalid_request'],
    [500, { code: 'INTERNAL_ERROR', message: 'Internal server error occurred.', status: 'error' }, 'temporary'],
    [503, '<html><body>503 Service Temporarily Unavailable</body></html>', 'temporary'],
  ] as const)('%i %j → %s', (status, body, code) => {
    expect(parseZohoError(status, body, headers).code).toBe(code);
  });
});

describe('Zoho data centres', () => {
  it('are read from the API domain', async () => {
    const { dataCentreOf } = await import('../../src/crm/zoho/spec.js');
    expect(dataCentreOf('https://www.zohoapis.eu')).toBe('Europe');
    expect(dataCentreOf('https://www.zohoapis.com.au')).toBe('Australia');
    expect(dataCentreOf('https://www.zohoapis.com')).toBe('United States');
    expect(dataCentreOf('http://127.0.0.1:4104')).toBeNull();
  });
});

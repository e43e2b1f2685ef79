import { describe, expect, it } from 'vitest';
import { writeFields } from '../../src/crm/field-codec.js';
import { parseSalesforceError } from '../../src/crm/salesforce/errors.js';
import { mapRecord, soqlDateTime, soqlString, toSalesforceValues } from '../../src/crm/salesforce/mapping.js';
import { salesforceModule } from '../../src/crm/salesforce/module.js';
import { salesforceFields } from '../../src/crm/salesforce/spec.js';

const contact = {
  attributes: { type: 'Contact', url: '/services/data/v60.0/sobjects/Contact/003xx000004TmiQAAS' },
  Id: '003xx000004TmiQAAS', FirstName: 'Ada', LastName: 'Lovelace', Email: 'Ada@Example.com', Phone: null, Title: 'Countess',
  AccountId: '001xx000003DGb2AAG', OwnerId: '005xx0000012345AAA', Loyalty_Tier__c: 'Gold', IsDeleted: false,
  CreatedDate: '2024-05-01T10:00:00.000+0000', LastModifiedDate: '2024-05-02T08:30:00.000+0000', SystemModstamp: '2024-05-03T08:30:00.000+0000',
};

describe('Salesforce record mapping', () => {
  it('maps a contact: canonical fields, every field kept in properties (custom ones too), no attributes envelope', () => {
    const record = mapRecord('contacts', contact, { companies: ['001xx000003DGb2AAG'] });
    expect(record).toEqual({
      remoteId: '003xx000004TmiQAAS',
      fields: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: null, jobTitle: 'Countess', ownerId: '005xx0000012345AAA' },
      properties: expect.objectContaining({ Email: 'Ada@Example.com', Loyalty_Tier__c: 'Gold', AccountId: '001xx000003DGb2AAG' }),
      associations: { companies: ['001xx000003DGb2AAG'] },
      remoteCreatedAt: '2024-05-01T10:00:00.000Z',
      // SystemModstamp, not LastModifiedDate: it also moves on system changes.
      remoteUpdatedAt: '2024-05-03T08:30:00.000Z',
    });
    expect(record.properties).not.toHaveProperty('attributes');
  });

  it('reads an account website as its domain and opportunity numbers and dates as typed values', () => {
    const account = mapRecord('companies', { Id: '001', CreatedDate: '2024-01-01T00:00:00.000+0000', SystemModstamp: '2024-01-01T00:00:00.000+0000', Name: 'Acme', Website: 'https://WWW.Acme.example/about' });
    expect(account.fields).toMatchObject({ name: 'Acme', domain: 'acme.example' });
    const deal = mapRecord('deals', { Id: '006', CreatedDate: '2024-01-01T00:00:00.000+0000', SystemModstamp: '2024-01-01T00:00:00.000+0000', Name: 'Renewal', Amount: 1500.5, StageName: 'Prospecting', CloseDate: '2024-06-30', CurrencyIsoCode: 'EUR' });
    expect(deal.fields).toMatchObject({ name: 'Renewal', amount: 1500.5, stage: 'Prospecting', closeDate: '2024-06-30T00:00:00.000Z', currency: 'EUR', pipeline: null });
  });

  it('writes through the same table: dates as YYYY-MM-DD, cleared values as null', () => {
    const values = toSalesforceValues(writeFields(salesforceFields.deals, { name: 'Difference engine', amount: 1843, closeDate: '2026-12-31T00:00:00.000Z', stage: null }));
    expect(values).toEqual({ Name: 'Difference engine', Amount: '1843', CloseDate: '2026-12-31', StageName: null });
  });

  it('builds SOQL literals: unquoted UTC datetimes, escaped strings', () => {
    expect(soqlDateTime('2026-12-02T14:30:05.123Z')).toBe('2026-12-02T14:30:05Z');
    expect(soqlString("O'Brien \\ Co")).toBe("'O\\'Brien \\\\ Co'");
  });

  it('plans a refresh from issued_at (there is no expires_in)', () => {
    expect(salesforceModule.tokenExpiry!({ issued_at: '1714557600000' })).toEqual(new Date(1714557600000 + 2 * 3600_000));
    expect(salesforceModule.tokenExpiry!({})).toBeNull();
  });
});

describe('Salesforce error parsing', () => {
  const parse = (status: number, body: unknown) => parseSalesforceError(status, body, new Headers());

  it('reads the error array', () => {
    expect(parse(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }])).toMatchObject({ code: 'auth_revoked', details: { providerCode: 'INVALID_SESSION_ID' } });
    expect(parse(400, [{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]).code).toBe('cursor_invalid');
    expect(parse(400, [{ message: "No such column 'Bogus'", errorCode: 'INVALID_FIELD' }]).code).toBe('invalid_request');
    expect(parse(404, [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]).code).toBe('not_found');
    expect(parse(403, [{ message: 'The REST API is not enabled for this Organization.', errorCode: 'API_DISABLED_FOR_ORG' }]).code).toBe('insufficient_scope');
  });

  it('tells a spent daily allocation (stop, resume next run) from a concurrency refusal (retry soon); neither is a 429', () => {
    expect(parse(403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]).code).toBe('quota_exhausted');
    expect(parse(403, [{ message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }])).toMatchObject({ code: 'rate_limited', details: { retryAfterMs: 1000 } });
  });

  it('treats server errors and gateway pages as temporary, naming the status rather than the markup', () => {
    expect(parse(500, [{ message: 'An unexpected error occurred.', errorCode: 'UNKNOWN_EXCEPTION' }]).code).toBe('temporary');
    const gateway = parse(503, '<html><body>503</body></html>');
    expect(gateway).toMatchObject({ code: 'temporary', message: 'Salesforce answered HTTP 503 Service Unavailable' });
  });
});

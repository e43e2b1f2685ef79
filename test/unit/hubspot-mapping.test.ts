import { describe, expect, it } from 'vitest';
import { parseHubspotError } from '../../src/crm/hubspot/errors.js';
import { writeFields } from '../../src/crm/field-codec.js';
import { compareIds, mapRecord } from '../../src/crm/hubspot/mapping.js';
import { hubspotFields } from '../../src/crm/hubspot/spec.js';

describe('HubSpot record mapping', () => {
  it('maps a contact, lower-casing the email and keeping the raw properties', () => {
    const record = mapRecord('contacts', {
      id: '512',
      properties: { firstname: 'Ada', lastname: 'Lovelace', email: 'Ada@Example.com', phone: '', jobtitle: null, hubspot_owner_id: '77', createdate: '2024-05-01T10:00:00.000Z', lastmodifieddate: '2024-05-02T08:30:00.000Z' },
      createdAt: '2024-05-01T10:00:00.000Z', updatedAt: '2024-05-02T08:30:00.000Z', archived: false,
      associations: { companies: { results: [{ id: '9001', type: 'contact_to_company' }, { id: '9001', type: 'contact_to_company_unlabeled' }, { id: '12', type: 'contact_to_company_unlabeled' }] } },
    }, true);
    expect(record).toEqual({
      remoteId: '512',
      fields: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: null, jobTitle: null, ownerId: '77' },
      properties: expect.objectContaining({ email: 'Ada@Example.com' }),
      associations: { companies: ['12', '9001'] },
      remoteCreatedAt: '2024-05-01T10:00:00.000Z',
      remoteUpdatedAt: '2024-05-02T08:30:00.000Z',
    });
  });

  it('parses deal amounts and dates from strings, and leaves garbage as null', () => {
    const deal = mapRecord('deals', { id: '77', properties: { dealname: 'Renewal', amount: '1500.50', closedate: '1719705600000', dealstage: 'closedwon', pipeline: 'default', hs_lastmodifieddate: '2024-06-01T00:00:00Z' } }, false);
    expect(deal.fields).toMatchObject({ name: 'Renewal', amount: 1500.5, closeDate: '2024-06-30T00:00:00.000Z', stage: 'closedwon' });
    expect(deal.associations).toBeUndefined();
    expect(deal.remoteUpdatedAt).toBe('2024-06-01T00:00:00.000Z');
    expect(mapRecord('deals', { id: '1', properties: { amount: 'lots', closedate: 'soon' } }, false).fields).toMatchObject({ amount: null, closeDate: null });
  });

  it('orders ids numerically', () => {
    expect(['100', '9', '12'].sort(compareIds)).toEqual(['9', '12', '100']);
  });
});

describe('HubSpot error parsing', () => {
  const headers = new Headers();
  it.each([
    [429, { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', policyName: 'TEN_SECONDLY_ROLLING' }, 'rate_limited'],
    [429, { status: 'error', message: 'You have reached your daily limit.', policyName: 'DAILY' }, 'quota_exhausted'],
    [401, { status: 'error', message: 'expired', category: 'EXPIRED_AUTHENTICATION' }, 'auth_revoked'],
    [403, { status: 'error', message: 'missing scopes', category: 'MISSING_SCOPES' }, 'insufficient_scope'],
    [404, { status: 'error', message: 'resource not found', category: 'OBJECT_NOT_FOUND' }, 'not_found'],
    [400, { status: 'error', message: 'bad', category: 'VALIDATION_ERROR' }, 'invalid_request'],
    [502, '<html>Bad gateway</html>', 'temporary'],
    [500, { status: 'error', message: 'internal error', category: 'INTERNAL_ERROR' }, 'temporary'],
  ])('HTTP %i → %s', (status, body, code) => {
    expect(parseHubspotError(status, body, headers).code).toBe(code);
  });

  it('honours Retry-After when HubSpot sends one', () => {
    expect(parseHubspotError(503, {}, new Headers({ 'retry-after': '3' })).details.retryAfterMs).toBe(3000);
  });
});

describe('writing canonical fields back as HubSpot properties', () => {
  it('uses the same table backwards: names, number and date forms, null clears, absent is left alone', () => {
    expect(writeFields(hubspotFields.deals, { name: 'Renewal', amount: 1500.5, closeDate: '2024-06-30T00:00:00.000Z', stage: null }))
      .toEqual({ dealname: 'Renewal', amount: '1500.5', closedate: '2024-06-30T00:00:00.000Z', dealstage: '' });
    expect(writeFields(hubspotFields.contacts, { email: 'ada@example.com' })).toEqual({ email: 'ada@example.com' });
  });

  it('refuses a field our model does not have', () => {
    expect(() => writeFields(hubspotFields.contacts, { nickname: 'x' } as never)).toThrow(/nickname is not a canonical field/);
  });
});

import { describe, expect, it } from 'vitest';
import type { RecordFilter } from '../../src/crm/connector.js';
import { hubspotFilterGroups, hubspotFilterSupport } from '../../src/crm/hubspot/filters.js';
import { pipedriveFilterSupport, pipedriveListingParams } from '../../src/crm/pipedrive/filters.js';
import { salesforceFilterSupport, soqlWhere } from '../../src/crm/salesforce/filters.js';
import { zohoFilterSupport } from '../../src/crm/zoho/filters.js';

/** Each CRM's translation of a selective-sync filter into its own query, or its reason not to. */
const stageAndEmail: RecordFilter = {
  match: 'all',
  conditions: [{ field: 'lifecyclestage', operator: 'in', value: ['Customer', 'lead'] }, { field: 'email', operator: 'known' }, { field: 'createdate', operator: 'after', value: '2025-01-01' }],
};

describe('HubSpot search filter groups', () => {
  it('an all filter is one group of AND-ed filters, IN values in lower case, dates as epoch milliseconds', () => {
    expect(hubspotFilterGroups(stageAndEmail)).toEqual({ groups: [[
      { propertyName: 'lifecyclestage', operator: 'IN', values: ['customer', 'lead'] },
      { propertyName: 'email', operator: 'HAS_PROPERTY' },
      { propertyName: 'createdate', operator: 'GT', value: String(Date.parse('2025-01-01')) },
    ]] });
  });

  it('an any filter is one group per condition (OR-ed), up to search\'s 5 groups', () => {
    const any: RecordFilter = { match: 'any', conditions: [{ field: 'amount', operator: 'greater', value: 1000 }, { field: 'dealstage', operator: 'unknown' }] };
    expect(hubspotFilterGroups(any)).toEqual({ groups: [[{ propertyName: 'amount', operator: 'GT', value: '1000' }], [{ propertyName: 'dealstage', operator: 'NOT_HAS_PROPERTY' }]] });
    const six: RecordFilter = { match: 'any', conditions: Array.from({ length: 6 }, (_, i) => ({ field: `p${i}`, operator: 'known' as const })) };
    expect(hubspotFilterGroups(six)).toEqual({ reason: expect.stringContaining('at most 5') });
  });

  it('contains stays local: left out of an all filter (the rest still narrows), an any filter is not pushed at all', () => {
    const withContains: RecordFilter = { match: 'all', conditions: [{ field: 'name', operator: 'contains', value: 'acme' }, { field: 'city', operator: 'equals', value: 'Paris' }] };
    expect(hubspotFilterGroups(withContains)).toEqual({ groups: [[{ propertyName: 'city', operator: 'EQ', value: 'Paris' }]] });
    expect(hubspotFilterSupport.pushDown('companies', { ...withContains, match: 'any' })).toEqual({ pushed: false, reason: expect.stringContaining('contains') });
    expect(hubspotFilterSupport.pushDown('companies', { match: 'all', conditions: [withContains.conditions[0]!] }).pushed).toBe(false);
  });

  it('keeps a group within 10 filters, one of them the listing\'s time window', () => {
    const many: RecordFilter = { match: 'all', conditions: Array.from({ length: 12 }, (_, i) => ({ field: `p${i}`, operator: 'known' as const })) };
    const result = hubspotFilterGroups(many) as { groups: unknown[][] };
    expect(result.groups[0]).toHaveLength(9);
  });
});

describe('Salesforce SOQL WHERE', () => {
  const types = new Map([['Industry', 'picklist'], ['AnnualRevenue', 'currency'], ['CreatedDate', 'datetime'], ['CloseDate', 'date'], ['IsActive__c', 'boolean'], ['Name', 'string']]);
  const typeOf = (field: string) => types.get(field);

  it('writes literals by the field\'s describe type', () => {
    expect(soqlWhere({ match: 'all', conditions: [
      { field: 'Industry', operator: 'in', value: ['Banking', "O'Reilly"] },
      { field: 'AnnualRevenue', operator: 'greater', value: 1e6 },
      { field: 'CreatedDate', operator: 'after', value: '2025-01-01T12:30:00.000Z' },
      { field: 'IsActive__c', operator: 'equals', value: true },
      { field: 'Name', operator: 'known' },
    ] }, typeOf)).toBe("(Industry IN ('Banking', 'O\\'Reilly')) AND (AnnualRevenue > 1000000) AND (CreatedDate > 2025-01-01T12:30:00Z) AND (IsActive__c = true) AND (Name != null)");
  });

  it('compares a date field inclusively, so a bound with a time of day drops nothing the local filter keeps', () => {
    expect(soqlWhere({ match: 'all', conditions: [{ field: 'CloseDate', operator: 'before', value: '2025-06-30T15:00:00Z' }] }, typeOf)).toBe('(CloseDate <= 2025-06-30)');
  });

  it('contains is LIKE on text fields, its own wildcards and quotes escaped; on other types it stays local', () => {
    expect(soqlWhere({ match: 'all', conditions: [{ field: 'Name', operator: 'contains', value: "50% O'Neil_x" }] }, typeOf)).toBe("(Name LIKE '%50\\% O\\'Neil\\_x%')");
    expect(soqlWhere({ match: 'all', conditions: [{ field: 'AnnualRevenue', operator: 'contains', value: '12' }] }, typeOf)).toBeNull();
    expect(salesforceFilterSupport.pushDown('contacts', { match: 'all', conditions: [{ field: 'Name', operator: 'contains', value: 'x' }] }).pushed).toBe(true);
  });

  it('any is OR-ed, and only whole; conditions on fields describe does not list stay local', () => {
    expect(soqlWhere({ match: 'any', conditions: [{ field: 'Name', operator: 'unknown' }, { field: 'AnnualRevenue', operator: 'less', value: 5 }] }, typeOf)).toBe('(Name = null) OR (AnnualRevenue < 5)');
    expect(soqlWhere({ match: 'any', conditions: [{ field: 'Name', operator: 'unknown' }, { field: 'Missing__c', operator: 'known' }] }, typeOf)).toBeNull();
    expect(soqlWhere({ match: 'all', conditions: [{ field: 'Missing__c', operator: 'known' }, { field: 'Name', operator: 'equals', value: 'Acme' }] }, typeOf)).toBe("(Name = 'Acme')");
  });
});

describe('Pipedrive listing parameters', () => {
  it('narrow a full listing by the ids the v2 listing takes (equals, or a one-value in), the rest of an all filter left to Pulse', () => {
    const deals: RecordFilter = { match: 'all', conditions: [
      { field: 'pipeline_id', operator: 'equals', value: 2 }, { field: 'stage_id', operator: 'in', value: ['7'] }, { field: 'title', operator: 'contains', value: 'renewal' },
    ] };
    expect(pipedriveListingParams('deals', deals)).toEqual({ pipeline_id: 2, stage_id: 7 });
    expect(pipedriveFilterSupport.pushDown('deals', deals)).toEqual({ pushed: true });
  });

  it('gives none for ids the object\'s listing does not take, several values, a repeated parameter or an any of several', () => {
    expect(pipedriveListingParams('companies', { match: 'all', conditions: [{ field: 'stage_id', operator: 'equals', value: 7 }] })).toBeNull();
    expect(pipedriveListingParams('deals', { match: 'all', conditions: [{ field: 'stage_id', operator: 'in', value: ['7', '8'] }] })).toBeNull();
    expect(pipedriveListingParams('deals', { match: 'all', conditions: [{ field: 'owner_id', operator: 'equals', value: 1 }, { field: 'owner_id', operator: 'equals', value: 2 }] })).toBeNull();
    expect(pipedriveListingParams('deals', { match: 'any', conditions: [{ field: 'owner_id', operator: 'equals', value: 1 }, { field: 'stage_id', operator: 'equals', value: 2 }] })).toBeNull();
    expect(pipedriveListingParams('contacts', { match: 'any', conditions: [{ field: 'owner_id', operator: 'equals', value: '12' }] })).toEqual({ owner_id: 12 });
    expect(pipedriveFilterSupport.pushDown('deals', stageAndEmail)).toMatchObject({ pushed: false, reason: expect.stringContaining('owner_id') });
  });
});

describe('CRMs without a push-down yet', () => {
  it('say so, and read nested raw values for the local evaluation', () => {
    expect(zohoFilterSupport.pushDown('deals', stageAndEmail)).toMatchObject({ pushed: false });
    expect(pipedriveFilterSupport.readValue!({ custom_fields: { abc123: { value: 50, currency: 'EUR' } } }, 'abc123')).toBe(50);
    expect(pipedriveFilterSupport.readValue!({ emails: [{ value: 'a@b.c', primary: true }] }, 'emails')).toBe('a@b.c');
    expect(zohoFilterSupport.readValue!({ Owner: { id: '42', name: 'Ann' } }, 'Owner')).toBe('42');
  });
});

import { describe, expect, it } from 'vitest';
import { SOBJECTS } from '../../src/sandbox/salesforce/objects.js';
import { checkFields, matches, parseSoql, sortRows, SoqlError } from '../../src/sandbox/salesforce/soql.js';

describe('the emulator\'s SOQL subset', () => {
  it('parses fields, parent fields, WHERE with AND/OR/IN and datetime literals, ORDER BY and LIMIT', () => {
    const q = parseSoql("SELECT Id, Name, Account.Name FROM Opportunity WHERE (SystemModstamp >= 2026-01-01T00:00:00Z AND StageName IN ('Prospecting', 'Closed Won')) OR Amount > 1000 ORDER BY SystemModstamp, Id DESC NULLS LAST LIMIT 10 OFFSET 5");
    expect(q).toMatchObject({ fields: ['Id', 'Name', 'Account.Name'], object: 'Opportunity', limit: 10, offset: 5, count: false });
    expect(q.orderBy).toEqual([{ field: 'SystemModstamp', descending: false, nullsLast: false }, { field: 'Id', descending: true, nullsLast: true }]);
    expect(q.where).toMatchObject({ kind: 'or', parts: [{ kind: 'and' }, { kind: 'compare', field: 'Amount', op: '>', value: 1000 }] });
    expect(parseSoql('SELECT COUNT() FROM Contact')).toMatchObject({ count: true, fields: [] });
  });

  it('evaluates conditions: datetimes as instants, strings case-insensitively, NOT IN, != and null', () => {
    const row: Record<string, unknown> = { SystemModstamp: '2026-03-01T10:00:00.000+0000', StageName: 'Prospecting', Amount: 500, AccountId: null };
    const where = (soql: string) => parseSoql(`SELECT Id FROM Opportunity WHERE ${soql}`).where;
    const test = (soql: string) => matches(where(soql), (name) => row[name], (name) => SOBJECTS.deals.fields.find((f) => f.name === name));
    expect(test('SystemModstamp >= 2026-03-01T10:00:00Z')).toBe(true);
    expect(test('SystemModstamp > 2026-03-01T10:00:00Z')).toBe(false);
    expect(test("StageName = 'prospecting'")).toBe(true);
    expect(test("StageName NOT IN ('Prospecting')")).toBe(false);
    expect(test('AccountId = null AND Amount != 600')).toBe(true);
    expect(test('NOT (Amount < 100)')).toBe(true);
  });

  it('evaluates LIKE case-insensitively over the whole value: % any run, _ one character, a backslash escapes them', () => {
    const row: Record<string, unknown> = { Name: 'Acme 100% Widgets_Q1', StageName: null };
    const test = (soql: string) => matches(parseSoql(`SELECT Id FROM Opportunity WHERE ${soql}`).where, (name) => row[name], (name) => SOBJECTS.deals.fields.find((f) => f.name === name));
    expect(test("Name LIKE '%widgets%'")).toBe(true);
    expect(test("Name LIKE 'acme%'")).toBe(true);
    expect(test("Name LIKE 'widgets%'")).toBe(false);
    expect(test("Name LIKE 'Acme 1_0%'")).toBe(true);
    expect(test("Name LIKE '%100\\% W%'")).toBe(true);
    expect(test("Name LIKE '%1\\%%'")).toBe(false);
    expect(test("Name LIKE '%s\\_Q1'")).toBe(true);
    expect(test("StageName LIKE '%'")).toBe(false);
  });

  it('answers MALFORMED_QUERY and INVALID_FIELD as Salesforce does', () => {
    const code = (soql: string) => {
      try {
        const q = parseSoql(soql);
        checkFields(q, SOBJECTS.contacts, { account: SOBJECTS.companies });
        return 'ok';
      } catch (error) {
        return (error as SoqlError).errorCode;
      }
    };
    expect(code('SELECT Id FROM Contact WHERE')).toBe('MALFORMED_QUERY');
    expect(code('SELECT Id FROM Contact GROUP BY Id')).toBe('MALFORMED_QUERY');
    expect(code('SELECT Id, Nope__c FROM Contact')).toBe('INVALID_FIELD');
    expect(code('SELECT Id, Account.Nope FROM Contact')).toBe('INVALID_FIELD');
    expect(code('SELECT Id, Account.Name, Loyalty_Tier__c FROM Contact ORDER BY Id')).toBe('ok');
  });

  it('sorts by several keys with nulls first by default', () => {
    const rows = [{ a: 2, b: 'x' }, { a: null, b: 'y' }, { a: 1, b: 'z' }, { a: 1, b: 'a' }];
    expect(sortRows(rows, parseSoql('SELECT Id FROM Contact ORDER BY a, b').orderBy, (r, f) => (r as Record<string, unknown>)[f]).map((r) => r.b)).toEqual(['y', 'a', 'z', 'x']);
  });
});

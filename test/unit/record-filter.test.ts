import { describe, expect, it } from 'vitest';
import type { CrmField, FilterCondition, RecordFilter } from '../../src/crm/connector.js';
import { conditionProblem, filterFieldsProblem, filterProblem, matchesCondition, matchesFilter } from '../../src/crm/record-filter.js';

/** Selective sync's local evaluation: the definition of "matches" every CRM's push-down must cover. */
const condition = (operator: FilterCondition['operator'], value?: FilterCondition['value']): FilterCondition => ({ field: 'f', operator, value });

describe('a condition on a raw CRM value', () => {
  it('equals compares text case-insensitively, numbers numerically and booleans as the CRMs send them', () => {
    expect(matchesCondition(condition('equals', 'Customer'), 'customer')).toBe(true);
    expect(matchesCondition(condition('equals', 'customer'), 'customers')).toBe(false);
    expect(matchesCondition(condition('equals', 100), '100.0')).toBe(true);
    expect(matchesCondition(condition('equals', 100), 100)).toBe(true);
    expect(matchesCondition(condition('equals', true), 'true')).toBe(true);
    expect(matchesCondition(condition('equals', false), true)).toBe(false);
    expect(matchesCondition(condition('equals', 'x'), undefined)).toBe(false);
  });

  it('in matches any of the values; contains is a case-insensitive substring', () => {
    expect(matchesCondition(condition('in', ['lead', 'customer']), 'Customer')).toBe(true);
    expect(matchesCondition(condition('in', ['lead']), 'other')).toBe(false);
    expect(matchesCondition(condition('in', ['42']), 42)).toBe(true);
    expect(matchesCondition(condition('contains', 'acme'), 'The ACME Corp')).toBe(true);
    expect(matchesCondition(condition('contains', 'acme'), null)).toBe(false);
  });

  it('known and unknown treat null, undefined and the empty string as no value', () => {
    for (const empty of [null, undefined, '']) {
      expect(matchesCondition(condition('known'), empty)).toBe(false);
      expect(matchesCondition(condition('unknown'), empty)).toBe(true);
    }
    expect(matchesCondition(condition('known'), 0)).toBe(true);
    expect(matchesCondition(condition('known'), false)).toBe(true);
  });

  it('before and after compare instants, from ISO text or epoch milliseconds; an unreadable date matches neither', () => {
    expect(matchesCondition(condition('after', '2025-01-01'), '2025-03-02T10:00:00Z')).toBe(true);
    expect(matchesCondition(condition('after', '2025-01-01'), String(Date.parse('2024-12-31T00:00:00Z')))).toBe(false);
    expect(matchesCondition(condition('before', '2025-01-01T00:00:00Z'), '2024-12-31')).toBe(true);
    expect(matchesCondition(condition('before', '2025-01-01'), 'soon')).toBe(false);
    expect(matchesCondition(condition('after', '2025-01-01'), 'soon')).toBe(false);
  });

  it('greater and less compare numbers; text that is not a number matches neither', () => {
    expect(matchesCondition(condition('greater', 1000), '1500.50')).toBe(true);
    expect(matchesCondition(condition('greater', 1000), 1000)).toBe(false);
    expect(matchesCondition(condition('less', 1000), 999)).toBe(true);
    expect(matchesCondition(condition('less', 1000), 'n/a')).toBe(false);
    expect(matchesCondition(condition('less', 1000), '')).toBe(false);
  });
});

describe('a filter', () => {
  const properties = { lifecyclestage: 'customer', amount: '5000', email: '' };
  const all: RecordFilter = { match: 'all', conditions: [{ field: 'lifecyclestage', operator: 'equals', value: 'customer' }, { field: 'email', operator: 'known' }] };

  it('all needs every condition, any one of them; no conditions match everything', () => {
    expect(matchesFilter(all, properties)).toBe(false);
    expect(matchesFilter({ ...all, match: 'any' }, properties)).toBe(true);
    expect(matchesFilter({ match: 'all', conditions: [] }, properties)).toBe(true);
  });

  it('reads values through the CRM\'s reader where its raw shapes nest them', () => {
    const nested = { owner: { id: 7, name: 'Ann' } };
    const read = (props: Record<string, unknown>, field: string) => (props[field] as { id?: unknown } | undefined)?.id;
    expect(matchesFilter({ match: 'all', conditions: [{ field: 'owner', operator: 'equals', value: 7 }] }, nested, read)).toBe(true);
  });
});

describe('a filter\'s problems, as the API refuses them', () => {
  const rule = { pattern: /^[a-z_]+$/, rule: 'lower case letters and underscores' };

  it('names the operator whose value does not fit', () => {
    expect(conditionProblem(condition('in', []))).toMatch(/at least one value/);
    expect(conditionProblem(condition('in', 'lead'))).toMatch(/list of values/);
    expect(conditionProblem(condition('after', '31/01/2025'))).toMatch(/ISO 8601/);
    expect(conditionProblem(condition('before', '2025-02-30T99:00:00Z'))).toMatch(/ISO 8601/);
    expect(conditionProblem(condition('greater', '10'))).toMatch(/needs a number/);
    expect(conditionProblem(condition('known', 'yes'))).toMatch(/takes no value/);
    expect(conditionProblem(condition('equals'))).toMatch(/needs one value/);
    expect(conditionProblem(condition('contains', ' '))).toMatch(/non-empty text/);
    expect(conditionProblem(condition('after', '2025-01-31'))).toBeNull();
    expect(conditionProblem(condition('after', '2025-01-31T12:00:00+01:00'))).toBeNull();
  });

  it('gives the path of the condition at fault and checks the CRM\'s field-name rule', () => {
    expect(filterProblem({ match: 'all', conditions: [{ field: 'ok', operator: 'known' }, { field: 'Bad Name', operator: 'known' }] }, rule))
      .toEqual({ path: 'conditions.1.field', message: '"Bad Name" is not a field name: lower case letters and underscores.' });
    expect(filterProblem({ match: 'any', conditions: [{ field: 'ok', operator: 'in', value: [] }] }, rule)?.path).toBe('conditions.0.value');
    expect(filterProblem({ match: 'any', conditions: [{ field: 'ok', operator: 'in', value: ['a'] }] }, rule)).toBeNull();
  });
});

describe('filterFieldsProblem (against the CRM\'s fields)', () => {
  const fields: CrmField[] = [
    { name: 'jobtitle', label: 'Job Title', type: 'text', readOnly: false, required: false, custom: false },
    { name: 'closedate', label: 'Close Date', type: 'datetime', readOnly: false, required: false, custom: false },
    { name: 'amount', label: 'Amount', type: 'currency', readOnly: false, required: false, custom: false },
    { name: 'tier', label: 'Tier', type: 'enumeration', options: [{ value: 'GOLD', label: 'Gold' }], readOnly: false, required: false, custom: true },
  ];
  const check = (field: string, operator: FilterCondition['operator']) => filterFieldsProblem({ match: 'all', conditions: [{ field, operator }] }, fields, "HubSpot's deals");

  it('accepts each operator on the types it means something for', () => {
    for (const [field, operator] of [['jobtitle', 'contains'], ['tier', 'contains'], ['closedate', 'before'], ['closedate', 'after'], ['amount', 'greater'], ['amount', 'less'], ['tier', 'in'], ['amount', 'known']] as const) {
      expect(check(field, operator)).toBeNull();
    }
  });

  it('refuses a field the CRM does not have, and an operator that means nothing for the field\'s type, naming the path', () => {
    expect(check('nope', 'known')).toEqual({ path: 'conditions.0.field', message: 'HubSpot\'s deals has no field "nope": the fields API lists the ones it has.' });
    expect(check('jobtitle', 'after')).toMatchObject({ path: 'conditions.0.operator', message: expect.stringContaining('applies to date or datetime fields') });
    expect(check('closedate', 'greater')).toMatchObject({ path: 'conditions.0.operator' });
    expect(check('amount', 'contains')).toMatchObject({ path: 'conditions.0.operator' });
  });
});

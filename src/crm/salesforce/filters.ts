import type { FilterSupport } from '../connector-module.js';
import type { FilterCondition, RecordFilter } from '../connector.js';
import { soqlDateTime, soqlString } from './mapping.js';
import { salesforceLimits } from './spec.js';

/**
 * Selective sync at Salesforce: a filter becomes a SOQL WHERE clause on the full listing (REST pages
 * by Id and Bulk API jobs alike) and a `SELECT COUNT()` for the preview.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_conditionexpression.htm
 * Literals follow the field's describe type (date fields take `YYYY-MM-DD`, datetimes an instant);
 * a date field is compared inclusively (`<=`, `>=`) so that a bound with a time of day never drops a
 * record the local evaluation keeps. `contains` is LIKE '%…%' (case-insensitive in SOQL, as ours;
 * `%`, `_` and `\` escaped) on text fields only. Conditions on fields describe does not list, or
 * that do not fit their type, stay local: an `all` filter pushes the rest, an `any` filter only whole.
 */
export type FieldTypeOf = (field: string) => string | undefined;

const NUMERIC = new Set(['int', 'double', 'currency', 'percent', 'long']);
/** Describe types LIKE applies to. */
const TEXT = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'combobox']);

/** `'%value%'` for LIKE: the value's own `%`, `_` and backslashes are literal. */
const likeLiteral = (value: string) => `'%${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/[%_]/g, '\\$&')}%'`;

function literal(value: string | number | boolean, type: string): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (NUMERIC.has(type) && Number.isFinite(Number(value)) && value.trim() !== '') return String(Number(value));
  if (type === 'boolean' && /^(true|false)$/i.test(value)) return value.toLowerCase();
  return soqlString(value);
}

function condition(c: FilterCondition, typeOf: FieldTypeOf): string | null {
  const type = typeOf(c.field);
  if (!type || !/^[A-Za-z][A-Za-z0-9_]*$/.test(c.field)) return null;
  const { field, value } = c;
  const date = (iso: string) => (type === 'date' ? new Date(Date.parse(iso)).toISOString().slice(0, 10) : soqlDateTime(iso));
  switch (c.operator) {
    case 'equals': return type === 'date' || type === 'datetime' ? null : `${field} = ${literal(value as string | number | boolean, type)}`;
    case 'in': return `${field} IN (${(value as string[]).map((item) => literal(item, type)).join(', ')})`;
    case 'known': return `${field} != null`;
    case 'unknown': return `${field} = null`;
    case 'before': return type === 'date' || type === 'datetime' ? `${field} ${type === 'date' ? '<=' : '<'} ${date(String(value))}` : null;
    case 'after': return type === 'date' || type === 'datetime' ? `${field} ${type === 'date' ? '>=' : '>'} ${date(String(value))}` : null;
    case 'greater': return NUMERIC.has(type) ? `${field} > ${Number(value)}` : null;
    case 'less': return NUMERIC.has(type) ? `${field} < ${Number(value)}` : null;
    case 'contains': return TEXT.has(type) ? `${field} LIKE ${likeLiteral(String(value))}` : null;
  }
}

/** The WHERE expression (without WHERE) a full listing may use, or null when it must list everything. */
export function soqlWhere(filter: RecordFilter, typeOf: FieldTypeOf): string | null {
  const parts = filter.conditions.map((c) => condition(c, typeOf));
  if (filter.match === 'any') return parts.length > 0 && parts.every((p) => p !== null) ? parts.map((p) => `(${p})`).join(' OR ') : null;
  const pushable = parts.filter((p): p is string => p !== null);
  return pushable.length > 0 ? pushable.map((p) => `(${p})`).join(' AND ') : null;
}

export const salesforceFilterSupport: FilterSupport = {
  fieldName: { pattern: /^[A-Za-z][A-Za-z0-9_]*$/, rule: 'Salesforce field API names are letters, digits and underscores, starting with a letter (e.g. Industry, Tier__c)' },
  pushDown(_object, filter) {
    // Field types are known only from describe, at listing time: a condition that does not fit its
    // field's type (or names a field describe does not list) is left to the local evaluation there.
    return filter.conditions.length > 0 ? { pushed: true } : { pushed: false, reason: 'An empty filter selects every record.' };
  },
  pageSize: { full: salesforceLimits.queryBatchSize, filtered: salesforceLimits.queryBatchSize },
};

/**
 * Property definitions per object (what `/crm/v3/properties/{object}` lists and what writes are
 * validated against). Only the properties the generator fills plus the system ones; HubSpot has
 * hundreds more, which a client should not depend on.
 */
import type { ObjectType } from './objects.js';

export interface PropertyDef {
  name: string;
  label: string;
  type: 'string' | 'number' | 'datetime' | 'date' | 'enumeration' | 'bool';
  fieldType: 'text' | 'textarea' | 'number' | 'date' | 'select' | 'phonenumber' | 'booleancheckbox' | 'calculation_equation';
  groupName: string;
  options?: string[];
  readOnly?: boolean;
  /** Made by the account (`hubspotDefined: false`), not one of HubSpot's own. */
  custom?: boolean;
}

export const LIFECYCLE_STAGES = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'];
export const LEAD_STATUSES = ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING'];
export const INDUSTRIES = ['COMPUTER_SOFTWARE', 'FINANCIAL_SERVICES', 'HOSPITAL_HEALTH_CARE', 'RETAIL', 'MARKETING_AND_ADVERTISING', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'CONSTRUCTION', 'EDUCATION_MANAGEMENT'];
export const DEAL_STAGES = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost'];
export const DEAL_TYPES = ['newbusiness', 'existingbusiness'];
/** Options of the account's custom properties: coded values, words as labels (`GOLD` → "Gold"). */
export const TIERS = ['BRONZE', 'SILVER', 'GOLD', 'PLATINUM'];
export const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH'];

const text = (name: string, label: string, groupName: string): PropertyDef => ({ name, label, type: 'string', fieldType: 'text', groupName });
const num = (name: string, label: string, groupName: string): PropertyDef => ({ name, label, type: 'number', fieldType: 'number', groupName });
const select = (name: string, label: string, groupName: string, options: string[]): PropertyDef => ({ name, label, type: 'enumeration', fieldType: 'select', groupName, options });
/** The account's own properties, as a portal has them: a picklist and a number per object. */
const custom = (def: PropertyDef): PropertyDef => ({ ...def, groupName: 'custom_properties', custom: true });
const system = (modified: string): PropertyDef[] => [
  { name: 'createdate', label: 'Create Date', type: 'datetime', fieldType: 'date', groupName: 'system', readOnly: true },
  { name: modified, label: 'Last Modified Date', type: 'datetime', fieldType: 'date', groupName: 'system', readOnly: true },
  { name: 'hs_object_id', label: 'Record ID', type: 'number', fieldType: 'number', groupName: 'system', readOnly: true },
  { name: 'hubspot_owner_id', label: 'Owner', type: 'enumeration', fieldType: 'select', groupName: 'system' },
];

export const PROPERTIES: Record<ObjectType, PropertyDef[]> = {
  contacts: [
    text('firstname', 'First Name', 'contactinformation'),
    text('lastname', 'Last Name', 'contactinformation'),
    text('email', 'Email', 'contactinformation'),
    { ...text('phone', 'Phone Number', 'contactinformation'), fieldType: 'phonenumber' },
    text('company', 'Company Name', 'contactinformation'),
    text('jobtitle', 'Job Title', 'contactinformation'),
    text('city', 'City', 'contactinformation'),
    text('country', 'Country/Region', 'contactinformation'),
    select('lifecyclestage', 'Lifecycle Stage', 'contactinformation', LIFECYCLE_STAGES),
    select('hs_lead_status', 'Lead Status', 'sales_properties', LEAD_STATUSES),
    custom(select('loyalty_tier', 'Loyalty Tier', '', TIERS)),
    custom(num('engagement_score', 'Engagement Score', '')),
    ...system('lastmodifieddate'),
  ],
  companies: [
    text('name', 'Company name', 'companyinformation'),
    text('domain', 'Company Domain Name', 'companyinformation'),
    text('website', 'Website URL', 'companyinformation'),
    { ...text('phone', 'Phone Number', 'companyinformation'), fieldType: 'phonenumber' },
    text('city', 'City', 'companyinformation'),
    text('country', 'Country/Region', 'companyinformation'),
    select('industry', 'Industry', 'companyinformation', INDUSTRIES),
    num('numberofemployees', 'Number of Employees', 'companyinformation'),
    num('annualrevenue', 'Annual Revenue', 'companyinformation'),
    select('lifecyclestage', 'Lifecycle Stage', 'companyinformation', LIFECYCLE_STAGES),
    custom(select('customer_tier', 'Customer Tier', '', TIERS)),
    custom(num('health_score', 'Health Score', '')),
    ...system('hs_lastmodifieddate'),
  ],
  deals: [
    text('dealname', 'Deal Name', 'dealinformation'),
    num('amount', 'Amount', 'dealinformation'),
    { name: 'closedate', label: 'Close Date', type: 'datetime', fieldType: 'date', groupName: 'dealinformation' },
    select('pipeline', 'Pipeline', 'dealinformation', ['default']),
    select('dealstage', 'Deal Stage', 'dealinformation', DEAL_STAGES),
    select('dealtype', 'Deal Type', 'dealinformation', DEAL_TYPES),
    { ...text('description', 'Deal Description', 'dealinformation'), fieldType: 'textarea' },
    custom(select('deal_priority', 'Deal Priority', '', PRIORITIES)),
    custom(num('discount_percent', 'Discount (%)', '')),
    ...system('hs_lastmodifieddate'),
  ],
};

const byName = new Map(
  (Object.keys(PROPERTIES) as ObjectType[]).map((t) => [t, new Map(PROPERTIES[t].map((p) => [p.name, p]))] as const),
);

export function propertyDef(type: ObjectType, name: string): PropertyDef | undefined {
  return byName.get(type)?.get(name);
}

/** HubSpot's per-property validation errors for a write (empty when valid). */
export function validateWrite(type: ObjectType, props: Record<string, unknown>): { name: string; error: string; message: string }[] {
  const errors: { name: string; error: string; message: string }[] = [];
  for (const [name, raw] of Object.entries(props)) {
    const def = propertyDef(type, name);
    const value = raw === null || raw === undefined ? '' : String(raw);
    if (!def) errors.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
    else if (def.readOnly) errors.push({ name, error: 'READ_ONLY_VALUE', message: `"${name}" is a read only property; its value cannot be set.` });
    else if (value === '') continue;
    else if (def.type === 'number' && !Number.isFinite(Number(value))) errors.push({ name, error: 'INVALID_FLOAT', message: `${value} was not a valid number.` });
    else if (def.type === 'datetime' && !/^\d+$/.test(value) && Number.isNaN(Date.parse(value))) errors.push({ name, error: 'INVALID_DATE', message: `${value} was not a valid long or ISO 8601 date.` });
    else if (def.options && name !== 'hubspot_owner_id' && !def.options.includes(value)) errors.push({ name, error: 'INVALID_OPTION', message: `${value} was not one of the allowed options: [${def.options.join(', ')}]` });
  }
  return errors;
}

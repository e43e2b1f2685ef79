/**
 * Zoho CRM's three modules as data: API names, the record type each maps to (our object names), id
 * ranges, scopes, and every field the emulator serves with its data type, so listing, writes and the
 * fields metadata all read one table. Field API names: Zoho's standard layouts (crm-api-facts §4F).
 */
export type ObjectType = 'contacts' | 'companies' | 'deals';

export type FieldType = 'text' | 'email' | 'phone' | 'website' | 'picklist' | 'integer' | 'currency' | 'date' | 'lookup' | 'ownerlookup' | 'datetime';

export interface FieldSpec {
  api_name: string;
  label: string;
  type: FieldType;
  /** The mandatory fields a create must carry (MANDATORY_NOT_FOUND otherwise). */
  mandatory?: boolean;
  /** Set by Zoho itself; a write naming it is ignored. */
  system?: boolean;
  picklist?: readonly string[];
  /** For lookups: the object whose record this field points at. */
  lookup?: ObjectType;
  /** Made by the org (`custom_field: true` in the fields metadata), not one of Zoho's standard fields. */
  custom?: boolean;
}

export interface ModuleSpec {
  apiName: 'Contacts' | 'Accounts' | 'Deals';
  singular: string;
  /** First internal ordinal id (ids are 19-digit strings outside: see ids.ts). */
  firstId: number;
  /** The field whose value names a record (deleted listing `display_name`, lookups' `name`). */
  nameField: string;
  fields: FieldSpec[];
  scope: string;
}

export const INDUSTRIES = ['Technology', 'Manufacturing', 'Retail', 'Finance', 'Healthcare', 'Education', 'Government/Military', 'Real Estate', 'Consulting', 'Communications'] as const;
export const LEAD_SOURCES = ['Advertisement', 'Cold Call', 'Employee Referral', 'External Referral', 'Online Store', 'Partner', 'Web Download', 'Trade Show'] as const;
export const DEAL_STAGES = ['Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'] as const;
export const DEAL_TYPES = ['New Business', 'Existing Business'] as const;
export const PIPELINES = ['Standard (Standard)'] as const;
export const TIERS = ['Bronze', 'Silver', 'Gold', 'Platinum'] as const;
export const PRIORITIES = ['Low', 'Medium', 'High'] as const;

const owner: FieldSpec = { api_name: 'Owner', label: 'Owner', type: 'ownerlookup' };
const system: FieldSpec[] = [
  { api_name: 'Created_Time', label: 'Created Time', type: 'datetime', system: true },
  { api_name: 'Modified_Time', label: 'Modified Time', type: 'datetime', system: true },
];

export const MODULES: Record<ObjectType, ModuleSpec> = {
  contacts: {
    apiName: 'Contacts', singular: 'Contact', firstId: 10_000_001, nameField: 'Last_Name', scope: 'contacts',
    fields: [
      owner,
      { api_name: 'First_Name', label: 'First Name', type: 'text' },
      { api_name: 'Last_Name', label: 'Last Name', type: 'text', mandatory: true },
      { api_name: 'Email', label: 'Email', type: 'email' },
      { api_name: 'Phone', label: 'Phone', type: 'phone' },
      { api_name: 'Title', label: 'Title', type: 'text' },
      { api_name: 'Mailing_City', label: 'Mailing City', type: 'text' },
      { api_name: 'Mailing_Country', label: 'Mailing Country', type: 'text' },
      { api_name: 'Lead_Source', label: 'Lead Source', type: 'picklist', picklist: LEAD_SOURCES },
      { api_name: 'Account_Name', label: 'Account Name', type: 'lookup', lookup: 'companies' },
      { api_name: 'Loyalty_Tier', label: 'Loyalty Tier', type: 'picklist', picklist: TIERS, custom: true },
      { api_name: 'Engagement_Score', label: 'Engagement Score', type: 'integer', custom: true },
      ...system,
    ],
  },
  companies: {
    apiName: 'Accounts', singular: 'Account', firstId: 40_000_001, nameField: 'Account_Name', scope: 'accounts',
    fields: [
      owner,
      { api_name: 'Account_Name', label: 'Account Name', type: 'text', mandatory: true },
      { api_name: 'Website', label: 'Website', type: 'website' },
      { api_name: 'Phone', label: 'Phone', type: 'phone' },
      { api_name: 'Industry', label: 'Industry', type: 'picklist', picklist: INDUSTRIES },
      { api_name: 'Billing_City', label: 'Billing City', type: 'text' },
      { api_name: 'Billing_Country', label: 'Billing Country', type: 'text' },
      { api_name: 'Employees', label: 'Employees', type: 'integer' },
      { api_name: 'Annual_Revenue', label: 'Annual Revenue', type: 'currency' },
      { api_name: 'Customer_Tier', label: 'Customer Tier', type: 'picklist', picklist: TIERS, custom: true },
      { api_name: 'Health_Score', label: 'Health Score', type: 'integer', custom: true },
      ...system,
    ],
  },
  deals: {
    apiName: 'Deals', singular: 'Deal', firstId: 70_000_001, nameField: 'Deal_Name', scope: 'deals',
    fields: [
      owner,
      { api_name: 'Deal_Name', label: 'Deal Name', type: 'text', mandatory: true },
      { api_name: 'Amount', label: 'Amount', type: 'currency' },
      { api_name: 'Currency', label: 'Currency', type: 'picklist', picklist: ['USD', 'EUR', 'GBP'] },
      { api_name: 'Stage', label: 'Stage', type: 'picklist', picklist: DEAL_STAGES },
      { api_name: 'Pipeline', label: 'Pipeline', type: 'picklist', picklist: PIPELINES },
      { api_name: 'Closing_Date', label: 'Closing Date', type: 'date' },
      { api_name: 'Type', label: 'Type', type: 'picklist', picklist: DEAL_TYPES },
      { api_name: 'Account_Name', label: 'Account Name', type: 'lookup', lookup: 'companies' },
      { api_name: 'Contact_Name', label: 'Contact Name', type: 'lookup', lookup: 'contacts' },
      { api_name: 'Deal_Priority', label: 'Deal Priority', type: 'picklist', picklist: PRIORITIES, custom: true },
      { api_name: 'Discount_Percent', label: 'Discount (%)', type: 'integer', custom: true },
      ...system,
    ],
  },
};

export const OBJECT_TYPES = Object.keys(MODULES) as ObjectType[];

/** Module API names are matched case-insensitively in paths, as Zoho does. */
export function moduleByApiName(name: string): ObjectType | undefined {
  return OBJECT_TYPES.find((t) => MODULES[t].apiName.toLowerCase() === name.toLowerCase());
}

/** Accepts our names (admin API) and Zoho's module names. */
export function resolveObjectType(name: string): ObjectType | undefined {
  return (OBJECT_TYPES as string[]).includes(name) ? (name as ObjectType) : moduleByApiName(name);
}

export function fieldOf(type: ObjectType, apiName: string): FieldSpec | undefined {
  return MODULES[type].fields.find((f) => f.api_name === apiName);
}

/** The lookup fields of a module: which stored link each one shows. */
export const lookupsOf = (type: ObjectType) => MODULES[type].fields.filter((f) => f.type === 'lookup') as (FieldSpec & { lookup: ObjectType })[];

/** Read scopes that open a module: its own, the ALL/READ of modules, or the module's ALL. */
export function readScopes(type: ObjectType): string[] {
  const m = MODULES[type].scope;
  return [`ZohoCRM.modules.${m}.READ`, `ZohoCRM.modules.${m}.ALL`, 'ZohoCRM.modules.READ', 'ZohoCRM.modules.ALL'];
}

export function writeScopes(type: ObjectType, op: 'CREATE' | 'UPDATE' | 'DELETE'): string[] {
  const m = MODULES[type].scope;
  return [`ZohoCRM.modules.${m}.${op}`, `ZohoCRM.modules.${m}.ALL`, 'ZohoCRM.modules.ALL'];
}

/**
 * Salesforce's sObjects as data: our object names ↔ sObject types, 18-character ids with the type's
 * key prefix, and each type's fields (name, SOAP type, picklist values) for `describe` and for SOQL
 * field checks. Custom fields end in `__c` as in a real org.
 */
export const OBJECT_TYPES = ['contacts', 'companies', 'deals'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export type FieldType = 'id' | 'reference' | 'string' | 'email' | 'phone' | 'url' | 'picklist' | 'currency' | 'double' | 'int' | 'date' | 'datetime' | 'boolean' | 'textarea';

export interface FieldSpec {
  name: string;
  type: FieldType;
  label: string;
  /** Set by the platform: not createable or updateable. */
  system?: boolean;
  /** Required on create (REQUIRED_FIELD_MISSING otherwise). */
  required?: boolean;
  picklist?: string[];
  /** For reference fields: the sObject it points at and the relationship name (`Account`). */
  referenceTo?: string;
  relationshipName?: string;
}

export interface SObjectSpec {
  type: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: FieldSpec[];
}

const system = (name: string, type: FieldType, label: string): FieldSpec => ({ name, type, label, system: true });
const SYSTEM_FIELDS: FieldSpec[] = [
  system('Id', 'id', 'Record ID'),
  system('IsDeleted', 'boolean', 'Deleted'),
  system('CreatedDate', 'datetime', 'Created Date'),
  system('LastModifiedDate', 'datetime', 'Last Modified Date'),
  system('SystemModstamp', 'datetime', 'System Modstamp'),
];
const OWNER: FieldSpec = { name: 'OwnerId', type: 'reference', label: 'Owner ID', referenceTo: 'User', relationshipName: 'Owner' };
const ACCOUNT: FieldSpec = { name: 'AccountId', type: 'reference', label: 'Account ID', referenceTo: 'Account', relationshipName: 'Account' };

export const INDUSTRIES = ['Agriculture', 'Banking', 'Biotechnology', 'Communications', 'Consulting', 'Education', 'Electronics', 'Energy', 'Engineering', 'Finance', 'Healthcare', 'Insurance', 'Manufacturing', 'Media', 'Retail', 'Technology', 'Transportation'];
export const STAGES = ['Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'];
export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
export const TIERS = ['Bronze', 'Silver', 'Gold', 'Platinum'];
export const PRIORITIES = ['Low', 'Medium', 'High'];

export const SOBJECTS: Record<ObjectType, SObjectSpec> = {
  contacts: {
    type: 'Contact', label: 'Contact', labelPlural: 'Contacts', keyPrefix: '003',
    fields: [
      ...SYSTEM_FIELDS,
      { name: 'FirstName', type: 'string', label: 'First Name' },
      { name: 'LastName', type: 'string', label: 'Last Name', required: true },
      { name: 'Email', type: 'email', label: 'Email' },
      { name: 'Phone', type: 'phone', label: 'Business Phone' },
      { name: 'Title', type: 'string', label: 'Title' },
      { name: 'MailingCity', type: 'string', label: 'Mailing City' },
      { name: 'MailingCountry', type: 'string', label: 'Mailing Country' },
      { name: 'LeadSource', type: 'picklist', label: 'Lead Source', picklist: LEAD_SOURCES },
      ACCOUNT, OWNER,
      { name: 'Loyalty_Tier__c', type: 'picklist', label: 'Loyalty Tier', picklist: TIERS },
      { name: 'Engagement_Score__c', type: 'double', label: 'Engagement Score' },
    ],
  },
  companies: {
    type: 'Account', label: 'Account', labelPlural: 'Accounts', keyPrefix: '001',
    fields: [
      ...SYSTEM_FIELDS,
      { name: 'Name', type: 'string', label: 'Account Name', required: true },
      { name: 'Website', type: 'url', label: 'Website' },
      { name: 'Industry', type: 'picklist', label: 'Industry', picklist: INDUSTRIES },
      { name: 'Phone', type: 'phone', label: 'Account Phone' },
      { name: 'BillingCity', type: 'string', label: 'Billing City' },
      { name: 'BillingCountry', type: 'string', label: 'Billing Country' },
      { name: 'NumberOfEmployees', type: 'int', label: 'Employees' },
      { name: 'AnnualRevenue', type: 'currency', label: 'Annual Revenue' },
      OWNER,
      { name: 'Customer_Tier__c', type: 'picklist', label: 'Customer Tier', picklist: TIERS },
      { name: 'Health_Score__c', type: 'double', label: 'Health Score' },
    ],
  },
  deals: {
    type: 'Opportunity', label: 'Opportunity', labelPlural: 'Opportunities', keyPrefix: '006',
    fields: [
      ...SYSTEM_FIELDS,
      { name: 'Name', type: 'string', label: 'Name', required: true },
      { name: 'Amount', type: 'currency', label: 'Amount' },
      { name: 'StageName', type: 'picklist', label: 'Stage', picklist: STAGES, required: true },
      { name: 'CloseDate', type: 'date', label: 'Close Date', required: true },
      { name: 'Probability', type: 'double', label: 'Probability (%)' },
      { name: 'CurrencyIsoCode', type: 'picklist', label: 'Opportunity Currency', picklist: ['USD', 'EUR', 'GBP'] },
      ACCOUNT, OWNER,
      // The record type selects the sales process (the stages a deal moves through).
      { name: 'RecordTypeId', type: 'reference', label: 'Record Type ID', referenceTo: 'RecordType' },
      { name: 'Renewal__c', type: 'boolean', label: 'Renewal' },
      { name: 'Deal_Priority__c', type: 'picklist', label: 'Deal Priority', picklist: PRIORITIES },
      { name: 'Discount_Percent__c', type: 'double', label: 'Discount (%)' },
    ],
  },
};

/** OpportunityContactRole: how Salesforce links contacts to opportunities (deal ↔ contact). */
export const CONTACT_ROLE: SObjectSpec = {
  type: 'OpportunityContactRole', label: 'Opportunity Contact Role', labelPlural: 'Opportunity Contact Role', keyPrefix: '00K',
  fields: [...SYSTEM_FIELDS, { name: 'OpportunityId', type: 'reference', label: 'Opportunity ID', referenceTo: 'Opportunity', relationshipName: 'Opportunity' },
    { name: 'ContactId', type: 'reference', label: 'Contact ID', referenceTo: 'Contact', relationshipName: 'Contact' },
    { name: 'Role', type: 'picklist', label: 'Role', picklist: ['Decision Maker', 'Evaluator', 'Influencer', 'Other'] },
    { name: 'IsPrimary', type: 'boolean', label: 'Primary' }],
};

/**
 * Organization: the org itself, one row, readable by any API user (`SELECT Name FROM Organization`);
 * its Name is what people call the org, its Id the userinfo's `organization_id`.
 */
export const ORGANIZATION: SObjectSpec = {
  type: 'Organization', label: 'Organization', labelPlural: 'Organizations', keyPrefix: '00D',
  fields: [system('Id', 'id', 'Organization ID'), system('CreatedDate', 'datetime', 'Created Date'), system('LastModifiedDate', 'datetime', 'Last Modified Date'),
    system('SystemModstamp', 'datetime', 'System Modstamp'), { name: 'Name', type: 'string', label: 'Name' },
    { name: 'OrganizationType', type: 'picklist', label: 'Edition', picklist: ['Developer Edition', 'Professional Edition', 'Enterprise Edition', 'Unlimited Edition'] },
    { name: 'IsSandbox', type: 'boolean', label: 'Is Sandbox' }, { name: 'InstanceName', type: 'string', label: 'Instance Name' }],
};

export const typeOfSObject = (name: string): ObjectType | undefined => OBJECT_TYPES.find((t) => SOBJECTS[t].type.toLowerCase() === name.toLowerCase());

export function resolveObjectType(name: string): ObjectType | undefined {
  return (OBJECT_TYPES as readonly string[]).includes(name) ? (name as ObjectType) : typeOfSObject(name);
}

/** Field names are case-insensitive in SOQL; a query projects every field of every row, so the lookup is a map per object. */
const fieldsByName = new WeakMap<SObjectSpec, Map<string, FieldSpec>>();
export function fieldOf(spec: SObjectSpec, name: string): FieldSpec | undefined {
  let byName = fieldsByName.get(spec);
  if (!byName) fieldsByName.set(spec, (byName = new Map(spec.fields.map((f) => [f.name.toLowerCase(), f]))));
  return byName.get(name.toLowerCase());
}

/**
 * Ids: key prefix, a 12-digit number (the collection's numeric id) and the 3-character case suffix
 * Salesforce appends to make 18-character ids case-insensitive (all digits here, so "AAA").
 */
export const sfId = (prefix: string, n: number) => `${prefix}${String(n).padStart(12, '0')}AAA`;

/** The numeric id inside a 15- or 18-character id of this prefix, or -1. */
export function numericId(prefix: string, id: string): number {
  if (typeof id !== 'string' || !(id.length === 15 || id.length === 18) || !id.startsWith(prefix)) return -1;
  const digits = id.slice(3, 15);
  return /^\d{12}$/.test(digits) ? Number(digits) : -1;
}

/** First numeric ids, so ids of different types never look alike. */
export const FIRST_ID: Record<ObjectType, number> = { contacts: 1_000_001, companies: 2_000_001, deals: 3_000_001 };

/**
 * HubSpot's three CRM object types as data: names, type ids, the property that carries the modification
 * time (contacts differ from companies and deals), default properties, scopes and association labels.
 * https://developers.hubspot.com/docs/guides/crm/using-object-apis
 */
export type ObjectType = 'contacts' | 'companies' | 'deals';

export interface ObjectSpec {
  typeId: string;
  singular: string;
  /** Upper-case name used in HubSpot error messages ("Could not get some CONTACT objects"). */
  errorName: string;
  modifiedProperty: 'lastmodifieddate' | 'hs_lastmodifieddate';
  defaultProperties: string[];
  /** Properties matched by the search `query` parameter. */
  queryProperties: string[];
  firstId: number;
  readScope: string;
  writeScope: string;
}

export const OBJECTS = {
  contacts: {
    typeId: '0-1',
    singular: 'contact',
    errorName: 'CONTACT',
    modifiedProperty: 'lastmodifieddate',
    defaultProperties: ['firstname', 'lastname', 'email'],
    queryProperties: ['firstname', 'lastname', 'email', 'phone', 'company'],
    firstId: 101,
    readScope: 'crm.objects.contacts.read',
    writeScope: 'crm.objects.contacts.write',
  },
  companies: {
    typeId: '0-2',
    singular: 'company',
    errorName: 'COMPANY',
    modifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['name', 'domain'],
    queryProperties: ['name', 'domain', 'phone', 'website'],
    firstId: 5_000_001,
    readScope: 'crm.objects.companies.read',
    writeScope: 'crm.objects.companies.write',
  },
  deals: {
    typeId: '0-3',
    singular: 'deal',
    errorName: 'DEAL',
    modifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['dealname', 'amount', 'closedate', 'pipeline', 'dealstage'],
    queryProperties: ['dealname'],
    firstId: 9_000_001,
    readScope: 'crm.objects.deals.read',
    writeScope: 'crm.objects.deals.write',
  },
} as const satisfies Record<ObjectType, ObjectSpec>;

export const OBJECT_TYPES = Object.keys(OBJECTS) as ObjectType[];

/** Accepts `contacts`, `contact`, `0-1` (any case), as HubSpot does in paths. */
export function resolveObjectType(name: string): ObjectType | undefined {
  const n = name.toLowerCase();
  for (const type of OBJECT_TYPES) {
    const spec: ObjectSpec = OBJECTS[type];
    if (n === type || n === spec.singular || n === spec.typeId) return type;
  }
  return undefined;
}

/** v4 association types (HUBSPOT_DEFINED). The first id of a pair is the "Primary" label. */
export const ASSOCIATION_TYPES: Record<string, { primary?: number; unlabeled: number; name: string }> = {
  'contacts>companies': { primary: 1, unlabeled: 279, name: 'contact_to_company' },
  'companies>contacts': { primary: 2, unlabeled: 280, name: 'company_to_contact' },
  'deals>contacts': { unlabeled: 3, name: 'deal_to_contact' },
  'contacts>deals': { unlabeled: 4, name: 'contact_to_deal' },
  'deals>companies': { primary: 5, unlabeled: 341, name: 'deal_to_company' },
  'companies>deals': { primary: 6, unlabeled: 342, name: 'company_to_deal' },
};

export function associationTypeId(from: ObjectType, to: ObjectType): number | undefined {
  return ASSOCIATION_TYPES[`${from}>${to}`]?.unlabeled;
}

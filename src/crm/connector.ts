import type { ObjectType, PlatformId } from './platforms.js';

/**
 * The one narrow contract between the sync engine and a CRM. A cursor goes in, canonical records
 * and the next cursor come out; connectors never touch the database and never decide what to do
 * about a failure (they throw ProviderError with a code, the engine decides). How a connector lists
 * (pages, a bulk job, a search) is its own choice per object and run; the engine sees only pages.
 * What a CRM sends is checked where it enters (provider-contract.ts): a response without the fields
 * we read fails with `provider_contract`, naming the path, instead of writing nulls.
 */

/** Our unified model's typed columns, per object; everything else stays in `properties`. */
export interface ContactFields {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  jobTitle: string | null;
  ownerId: string | null;
}
export interface CompanyFields {
  name: string | null;
  domain: string | null;
  industry: string | null;
  phone: string | null;
  city: string | null;
  country: string | null;
  ownerId: string | null;
}
export interface DealFields {
  name: string | null;
  amount: number | null;
  currency: string | null;
  stage: string | null;
  pipeline: string | null;
  closeDate: string | null;
  ownerId: string | null;
}
export interface FieldsOf {
  contacts: ContactFields;
  companies: CompanyFields;
  deals: DealFields;
}

/** Remote ids of associated records, by object type, as stored on this record. */
export type Associations = Partial<Record<ObjectType, string[]>>;

export interface CanonicalRecord<O extends ObjectType = ObjectType> {
  remoteId: string;
  fields: FieldsOf[O];
  /** The provider's properties as it sent them (the raw JSON). */
  properties: Record<string, unknown>;
  /** Present when this page carried associations; absent means "unknown, keep what we have". */
  associations?: Associations;
  remoteCreatedAt: string | null;
  remoteUpdatedAt: string | null;
}

/**
 * Where a listing stands. `mode: 'full'` walks everything; `mode: 'changes'` walks what changed at
 * or after `since`. `position` is the provider's own paging state, opaque to the engine.
 */
export interface ListCursor {
  mode: 'full' | 'changes';
  since?: string;
  position?: unknown;
}

export interface RecordPage<O extends ObjectType = ObjectType> {
  records: CanonicalRecord<O>[];
  /**
   * Remote ids this page reports deleted, for CRMs whose listings carry deletions (Salesforce
   * `queryAll` rows with IsDeleted, flagged rows in Zoho and Pipedrive): deletion mode `in_page`.
   */
  deleted?: string[];
  /** Null when the listing is complete. */
  next: ListCursor | null;
}

export interface DeletionPage {
  remoteIds: string[];
  /** Provider paging state for the next page, null when done. */
  next: unknown | null;
}

export interface Quota {
  /** What the figure counts, e.g. "requests today" or "requests per 10 s". */
  name: string;
  used: number | null;
  limit: number | null;
  resetsAt: string | null;
}

export interface AccountInfo {
  externalAccountId: string;
  displayName: string;
  grantedScopes: string[];
}

/** A label the CRM shows for a coded value of one of our canonical fields (deal stage, industry…). */
export interface FieldOption {
  object: ObjectType;
  /** Our canonical field name ("stage"), not the CRM's property name. */
  field: string;
  value: string;
  label: string;
  displayOrder: number;
}

/**
 * The kinds of value a CRM field holds, in our words: every CRM's own types map onto these, and a
 * field mapping is checked by them (a number is not mapped onto a date).
 */
export type CrmFieldType = 'text' | 'number' | 'currency' | 'date' | 'datetime' | 'boolean' | 'enumeration' | 'lookup' | 'owner';

/** One field of a CRM object as its metadata describes it (HubSpot properties, Salesforce describe…). */
export interface CrmField {
  /** The CRM's API name (`qualifiedtobuy`'s property, `Customer_Tier__c`, a Pipedrive hash key). */
  name: string;
  label: string;
  type: CrmFieldType;
  /** For enumerations: the values and the labels the CRM shows for them, in its order. */
  options?: { value: string; label: string }[];
  readOnly: boolean;
  required: boolean;
  /** Made by the account (custom), not part of the CRM's standard object. */
  custom: boolean;
}

/** A condition on one CRM field, for selective sync (#16). Values are compared as the field's type says. */
export interface FilterCondition {
  field: string;
  operator: 'equals' | 'in' | 'contains' | 'known' | 'unknown' | 'before' | 'after' | 'greater' | 'less';
  /** Absent for `known`/`unknown`; a list for `in`; an ISO date or instant for `before`/`after`. */
  value?: string | number | boolean | string[];
}

/** Conditions combined with AND (`all`) or OR (`any`). */
export interface RecordFilter {
  match: 'all' | 'any';
  conditions: FilterCondition[];
}

/**
 * What an integration's settings ask of a listing beyond the module's field table: the CRM fields
 * its custom mappings read, and which records to sync. Empty: the defaults, every record.
 */
export interface ListingSelection {
  properties: Partial<Record<ObjectType, string[]>>;
  filters: Partial<Record<ObjectType, RecordFilter>>;
}

/** A check of the CRM's own for the connection test (beyond reachability, scopes and quota). */
export interface ConnectionCheck {
  id: string;
  label: string;
  status: 'pass' | 'warn' | 'fail';
  /** What it found and, unless it passed, what to do. */
  message: string;
}

export interface WriteResult {
  remoteId: string;
}

export interface Connector {
  readonly platform: PlatformId;
  /**
   * One page of records. A cursor the CRM no longer accepts (an expired query locator or search
   * window) throws `cursor_invalid`: the engine then lists the object in full again.
   */
  listRecords<O extends ObjectType>(object: O, cursor: ListCursor): Promise<RecordPage<O>>;
  /**
   * One page of records deleted in the CRM since `since`; `position` null starts from the beginning.
   * Only for deletion mode `listing` (connector-module.ts).
   */
  listDeleted?(object: ObjectType, position: unknown | null, since: string | null): Promise<DeletionPage>;
  /** How many live records the CRM holds (for progress bars); null when the CRM cannot say cheaply. */
  countRecords(object: ObjectType): Promise<number | null>;
  /**
   * How many live records match a filter, counted by the CRM (a filter preview): for CRMs whose
   * query can count with it. Absent, or null for a filter it cannot count: unknown.
   */
  countMatching?(object: ObjectType, filter: RecordFilter): Promise<number | null>;
  /**
   * The given records as they are now (without associations: the engine reads those after), and
   * the ids the CRM no longer holds live. For changes a webhook named: read by id, they need no
   * listing and no search index (which trails writes). Absent: the engine lists the changes instead.
   */
  readRecords?<O extends ObjectType>(object: O, remoteIds: string[]): Promise<{ records: CanonicalRecord<O>[]; missing: string[] }>;
  /** Associations of the given records, for changes the records' own timestamps do not show. */
  readAssociations(object: ObjectType, remoteIds: string[]): Promise<Map<string, Associations>>;
  /** Who we are connected as, and the scopes the grant really holds. */
  account(): Promise<AccountInfo>;
  /** The provider's own usage figures. */
  quota(): Promise<Quota[]>;
  /** The CRM's labels for coded field values, from its metadata (a few requests; not per record). */
  fieldOptions(): Promise<FieldOption[]>;
  /**
   * Every field of one object as the CRM's metadata API describes it (one request or a few), its
   * own types mapped onto ours: what custom field mappings are chosen from and checked against.
   */
  describeFields(object: ObjectType): Promise<CrmField[]>;
  /** Writes take our canonical fields; the connector maps them to the CRM's properties (null clears a value). */
  create<O extends ObjectType>(object: O, records: { fields: Partial<FieldsOf[O]> }[]): Promise<WriteResult[]>;
  update<O extends ObjectType>(object: O, records: { remoteId: string; fields: Partial<FieldsOf[O]> }[]): Promise<WriteResult[]>;
  archive(object: ObjectType, remoteIds: string[]): Promise<void>;
  /** Checks only this CRM can answer (object permissions, features its edition lacks), for the connection test. */
  checks?(): Promise<ConnectionCheck[]>;
  /** Revoke the grant at the provider (disconnect). */
  revoke(refreshToken: string | null, accessToken: string | null): Promise<void>;
}


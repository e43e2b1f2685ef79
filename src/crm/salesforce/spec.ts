import { instant, lowercase, number, text, type FieldCodec, type FieldTables } from '../field-codec.js';
import type { ObjectType } from '../platforms.js';

/**
 * Salesforce as data: our objects' sObjects, the canonical fields ↔ sObject fields table (read and
 * written through the same table), and the API's sizes and thresholds.
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/
 */

/** Accounts keep a website, not a domain: the domain is the website's host without `www.`. */
const websiteDomain = (property: string): FieldCodec<string> => ({
  property,
  read(raw) {
    if (typeof raw !== 'string' || raw === '') return null;
    const host = (() => {
      try {
        return new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`).hostname;
      } catch {
        return raw;
      }
    })();
    return host.toLowerCase().replace(/^www\./, '');
  },
  write: (value) => value ?? '',
});

/** A `date` field (CloseDate) read as an instant at midnight UTC, written as `YYYY-MM-DD`. */
const dateOnly = (property: string): FieldCodec<string> => ({ ...instant(property), write: (value) => (value ? value.slice(0, 10) : '') });

export const salesforceFields: FieldTables = {
  contacts: {
    firstName: text('FirstName'), lastName: text('LastName'), email: lowercase('Email'),
    phone: text('Phone'), jobTitle: text('Title'), ownerId: text('OwnerId'),
  },
  companies: {
    name: text('Name'), domain: websiteDomain('Website'), industry: text('Industry'),
    phone: text('Phone'), city: text('BillingCity'), country: text('BillingCountry'), ownerId: text('OwnerId'),
  },
  deals: {
    // A sales process (our pipeline) is chosen through the opportunity's record type.
    name: text('Name'), amount: number('Amount'), currency: text('CurrencyIsoCode'), stage: text('StageName'),
    pipeline: text('RecordTypeId'), closeDate: dateOnly('CloseDate'), ownerId: text('OwnerId'),
  },
};

export interface SalesforceObjectSpec {
  sobject: string;
  /** Fields every listing selects even if describe were to hide them (the rest come from describe). */
  required: string[];
  /** Values Salesforce requires on create that our model may not have (defaults, documented in the README). */
  createDefaults?: () => Record<string, string>;
}

export const salesforceObjects: Record<ObjectType, SalesforceObjectSpec> = {
  contacts: { sobject: 'Contact', required: ['Id', 'CreatedDate', 'SystemModstamp', 'AccountId'] },
  companies: { sobject: 'Account', required: ['Id', 'CreatedDate', 'SystemModstamp'] },
  deals: {
    sobject: 'Opportunity',
    required: ['Id', 'CreatedDate', 'SystemModstamp', 'AccountId'],
    // StageName and CloseDate are required on every opportunity; a deal made in Pulse without them
    // starts at the first stage and closes in 30 days, as Salesforce's own quick-create suggests.
    createDefaults: () => ({ StageName: 'Prospecting', CloseDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10) }),
  },
};

export const salesforceLimits = {
  apiVersion: 'v60.0',
  /** REST query pages: the API's default and maximum batch. */
  queryBatchSize: 2000,
  /** A full listing's page is about a tenth of the object, at least this many rows (the API's smallest batch). */
  minPageSize: 200,
  pagesPerObject: 10,
  /** Deleted rows stay visible to queryAll this long (the recycle bin). */
  recycleBinMs: 15 * 86_400_000,
  /** sObject Collections take 200 records per call. */
  collectionSize: 200,
  /** Ids per `IN (…)` list, keeping a GET query URL far below the 16 kB request-line limit. */
  idsPerQuery: 200,
  /** Encoded characters a by-id query may take in its GET URL (select list and ids), below the 16 kB request line. */
  queryUrlBudget: 12_000,
  /** Above this many rows a full listing goes through Bulk API 2.0 (measured by a COUNT() query). */
  bulkThreshold: 50_000,
  /**
   * Rows per CSV page of a bulk job's results. A page is held whole while it is parsed and mapped
   * (about 4 kB of heap a row with every field selected): at 10,000 rows, two objects listed side by
   * side ran a worker with a 128 MB heap out of memory at 300k records. 5,000 keeps it within bounds for
   * 200 requests per million rows, next to the org's 110,000 a day.
   */
  bulkPageSize: 5_000,
  bulkPollMaxMs: 10_000,
  /** Access tokens carry no lifetime; the default session timeout is 2 hours (401 refreshes sooner). */
  sessionHintMs: 2 * 60 * 60_000,
  limitHeader: 'sforce-limit-info',
  /**
   * A sync stops (partial, resumed by the next run) once the org's rolling 24-hour allocation is this
   * used: the rest is left to the org's other integrations and its own users, and the allocation is
   * a hard 403 for all of them once spent.
   */
  allocationStopShare: 0.95,
} as const;

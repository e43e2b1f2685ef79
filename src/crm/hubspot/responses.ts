import { z } from 'zod';

/**
 * The HubSpot responses the connector reads, checked where they enter (the HTTP client's `schema`):
 * the envelope and every field we use, nothing more. Loose objects, so fields HubSpot adds pass
 * through untouched; a missing or mistyped field fails as `provider_contract`, naming its path.
 * Shapes: HubSpot's CRM v3/v4 OpenAPI specs (HubSpot/HubSpot-public-api-spec-collection).
 */
const id = z.string().min(1);
const propertyValues = z.record(z.string(), z.string().nullable());

export const hubspotRecord = z.looseObject({
  id,
  properties: propertyValues,
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  archived: z.boolean().optional(),
  archivedAt: z.string().optional(),
  associations: z.record(z.string(), z.looseObject({ results: z.array(z.looseObject({ id, type: z.string().optional() })) })).optional(),
});

const paging = z.looseObject({ next: z.looseObject({ after: z.string() }).optional() }).optional();

export const recordList = z.looseObject({ results: z.array(hubspotRecord), paging });
/** A batch read: the records found (ids not found are listed in `errors`, which we do not need). */
export const batchRead = z.looseObject({ results: z.array(hubspotRecord) });
export const searchResults = recordList.extend({ total: z.number().int().nonnegative() });
export const searchTotal = z.looseObject({ total: z.number().int().nonnegative() });
export const writtenRecords = z.looseObject({ results: z.array(z.looseObject({ id })) });

export const associationBatch = z.looseObject({
  results: z.array(z.looseObject({
    from: z.looseObject({ id }),
    to: z.array(z.looseObject({ toObjectId: z.union([z.number(), z.string()]) })),
    paging,
  })),
});

export const accountDetails = z.looseObject({ portalId: z.number().int() });
export const accessTokenInfo = z.looseObject({ hub_id: z.number().int(), hub_domain: z.string().optional(), scopes: z.array(z.string()).optional() });

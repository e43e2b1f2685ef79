import { z } from 'zod';

/**
 * The Zoho responses the connector reads, checked where they enter: the envelope and every field we
 * use. Loose objects, so fields Zoho adds pass through; a missing or mistyped field fails as
 * `provider_contract`, naming its path. 204 (nothing) and 304 (nothing new) have no body: `undefined`.
 * Shapes: Zoho's OpenAPI files for v8 (zoho/crm-oas, record.json, users.json, org.json).
 */
const id = z.string().regex(/^\d+$/);
const lookup = z.looseObject({ id }).nullable().optional();

export const zohoRecord = z.looseObject({
  id,
  Created_Time: z.string(),
  Modified_Time: z.string(),
  Account_Name: z.unknown().optional(),
  Contact_Name: lookup,
});

const info = z.looseObject({ more_records: z.boolean(), next_page_token: z.string().nullable().optional() });

export const recordPage = z.union([z.looseObject({ data: z.array(zohoRecord), info }), z.undefined()]);
export const deletedPage = z.union([
  z.looseObject({ data: z.array(z.looseObject({ id, deleted_time: z.string().nullable().optional() })), info: z.looseObject({ more_records: z.boolean() }) }),
  z.undefined(),
]);
export const recordCount = z.looseObject({ count: z.number().int().nonnegative() });
/** Records read by `ids=`: those Zoho still holds live (no `info` needed); 204, no body, when it holds none. */
export const recordsById = z.union([z.looseObject({ data: z.array(zohoRecord) }), z.undefined()]);
export const lookupsPage = z.union([z.looseObject({ data: z.array(z.looseObject({ id })) }), z.undefined()]);

const rowResult = z.looseObject({ status: z.string(), code: z.string(), message: z.string().optional(), details: z.looseObject({ id: id.optional() }).optional() });
export const writeResults = z.looseObject({ data: z.array(rowResult) });
export type WriteRow = z.infer<typeof rowResult>;

export const currentUser = z.looseObject({ users: z.array(z.looseObject({ id, email: z.string().optional(), full_name: z.string().optional() })).min(1) });
export const orgDetails = z.looseObject({
  org: z.array(z.looseObject({
    id, company_name: z.string().nullable().optional(),
    license_details: z.looseObject({ paid_type: z.string().nullable().optional(), users_license_purchased: z.number().nullable().optional() }).optional(),
  })).min(1),
});
export const fieldsMetadata = z.looseObject({
  fields: z.array(z.looseObject({ api_name: z.string(), pick_list_values: z.array(z.looseObject({ actual_value: z.string(), display_value: z.string() })).optional() })),
});

import { z } from 'zod';

/** Salesforce's responses as far as the connector reads them (checked where they enter: http `schema`). */
export const sfRecord = z.object({
  Id: z.string(),
  CreatedDate: z.string(),
  SystemModstamp: z.string(),
}).passthrough();

export const queryResult = z.object({
  totalSize: z.number(),
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(sfRecord),
});

export const recordCounts = z.object({ sObjects: z.array(z.object({ name: z.string(), count: z.number() })) });

export const contactRoles = z.object({
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(z.object({ OpportunityId: z.string(), ContactId: z.string().nullable() }).passthrough()),
});

export const describeResult = z.object({
  name: z.string(),
  queryable: z.boolean(),
  fields: z.array(z.object({ name: z.string(), type: z.string() }).passthrough()),
});

export const userInfo = z.object({ organization_id: z.string(), preferred_username: z.string().optional(), name: z.string().optional() }).passthrough();
export const organization = z.object({ records: z.array(z.object({ Name: z.string().nullable().optional() }).passthrough()) });
export const introspection = z.object({ active: z.boolean(), scope: z.string().optional() }).passthrough();

const pair = z.object({ Max: z.number(), Remaining: z.number() });
export const limitsResult = z.object({ DailyApiRequests: pair, DailyBulkV2QueryJobs: pair.optional() }).passthrough();

export const saveResults = z.array(z.object({
  id: z.string().optional().nullable(),
  success: z.boolean(),
  errors: z.array(z.object({ statusCode: z.string(), message: z.string(), fields: z.array(z.string()).optional() })),
}));

export const bulkJob = z.object({ id: z.string(), state: z.enum(['Open', 'UploadComplete', 'InProgress', 'JobComplete', 'Failed', 'Aborted']) }).passthrough();

import { z } from 'zod';

/**
 * The Pipedrive responses the connector reads, checked where they enter: the `{ success, data,
 * additional_data }` envelope and every field we use. Loose objects, so fields Pipedrive adds pass
 * through untouched. Shapes: the official SDK's v2 models (pipedrive npm, src/versions/v2/models).
 */
const id = z.number().int();
const time = z.string().min(1);

export const pipedriveRecord = z.looseObject({
  id,
  add_time: time,
  update_time: time,
  is_deleted: z.boolean().optional(),
  org_id: id.nullable().optional(),
  person_id: id.nullable().optional(),
});

const nextCursor = z.looseObject({ next_cursor: z.string().nullable().optional() }).nullable().optional();

export const recordList = z.looseObject({ success: z.literal(true), data: z.array(pipedriveRecord).nullable(), additional_data: nextCursor });
export const writtenRecord = z.looseObject({ success: z.literal(true), data: pipedriveRecord });
export const deletedRecord = z.looseObject({ success: z.literal(true), data: z.looseObject({ id }) });

export const currentUser = z.looseObject({
  success: z.literal(true),
  data: z.looseObject({ id, company_id: id, company_name: z.string(), company_domain: z.string().optional() }),
});

const option = z.looseObject({ id: z.union([z.number(), z.string()]), label: z.string() });
export const fieldList = z.looseObject({
  success: z.literal(true),
  data: z.array(z.looseObject({ key: z.string(), name: z.string(), options: z.array(option).nullable().optional() })).nullable(),
});
export const namedList = z.looseObject({
  success: z.literal(true),
  data: z.array(z.looseObject({ id, name: z.string(), order_nr: z.number().optional() })).nullable(),
  additional_data: nextCursor,
});

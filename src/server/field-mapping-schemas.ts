import { z } from 'zod';
import { objectTypes } from '../crm/platforms.js';
import { mappingDirections, pulseFieldTypes } from '../sync/custom-fields.js';
import { withExample } from './schemas.js';

/** Schemas of the CRM field metadata and custom field mapping endpoints (#16). */
export const objectParam = z.enum(objectTypes);
const fieldType = z.enum(pulseFieldTypes);

export const crmFieldSchema = z.object({
  name: z.string().describe('The CRM\'s API name'),
  label: z.string(),
  type: fieldType,
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional().describe('Enumerations: values and the labels the CRM shows'),
  readOnly: z.boolean(),
  required: z.boolean(),
  custom: z.boolean().describe('Made by the account, not part of the CRM\'s standard object'),
});

export const fieldListSchema = withExample(z.object({
  object: objectParam, fetchedAt: z.string().nullable(), fields: z.array(crmFieldSchema),
}), {
  object: 'contacts', fetchedAt: '2026-03-02T10:05:12.481Z',
  fields: [{ name: 'loyalty_tier', label: 'Loyalty Tier', type: 'enumeration', options: [{ value: 'GOLD', label: 'Gold' }], readOnly: false, required: false, custom: true }],
}, 'The object\'s fields as the CRM describes them (cached per integration; refresh with POST …/fields/refresh).');

export const fieldsRefreshedSchema = withExample(z.object({
  fetchedAt: z.string(), fields: z.object({ contacts: z.number(), companies: z.number(), deals: z.number() }),
}), { fetchedAt: '2026-03-02T10:05:12.481Z', fields: { contacts: 14, companies: 13, deals: 13 } }, 'Read again from the CRM: how many fields each object has.');

const options = z.record(z.string(), z.string().max(500)).nullable().optional()
  .describe('Enumerations: CRM option value → what Pulse stores; values left out keep the CRM\'s label');

export const mappingInputSchema = z.strictObject({
  pulseField: z.string().min(1).max(64).describe('The name the value gets in customFields'),
  crmField: z.string().min(1).max(255).describe('The CRM field\'s API name (GET …/fields)'),
  pulseType: fieldType,
  direction: z.enum(mappingDirections).optional().describe('crm_to_pulse (default); the others arrive with two-way sync'),
  options,
});

export const mappingsPutSchema = z.strictObject({ object: objectParam, mappings: z.array(mappingInputSchema).max(100) });
export const mappingsPreviewBodySchema = mappingsPutSchema;

const customMapping = z.object({
  pulseField: z.string(), crmField: z.string(), pulseType: fieldType, direction: z.enum(mappingDirections), options: z.record(z.string(), z.string()).nullable().optional(),
});

export const mappingsSchema = withExample(z.object({
  objects: z.array(z.object({
    object: objectParam,
    defaults: z.array(z.object({ pulseField: z.string(), crmField: z.string(), direction: z.literal('crm_to_pulse') }))
      .describe('The unified columns and the CRM properties they come from (read-only)'),
    custom: z.array(customMapping),
  })),
}), {
  objects: [{
    object: 'contacts',
    defaults: [{ pulseField: 'email', crmField: 'email', direction: 'crm_to_pulse' }],
    custom: [{ pulseField: 'tier', crmField: 'loyalty_tier', pulseType: 'enumeration', direction: 'crm_to_pulse', options: { GOLD: 'Gold' } }],
  }],
}, 'Per object: the defaults (read-only) and your custom mappings.');

export const mappingsSavedSchema = withExample(z.object({
  object: objectParam,
  custom: z.array(customMapping),
  outcome: z.enum(['rederived', 'full_sync_scheduled', 'fetch_needed'])
    .describe('rederived: values were computed from stored data; full_sync_scheduled: a mapped field was never fetched, so the object is listed again; fetch_needed: the same, but this server runs no job queue'),
  rederived: z.number().describe('Records whose custom fields changed now'),
  fetch: z.object({ fields: z.array(z.string()), logId: z.string().nullable() }).describe('CRM fields no stored record holds, and the sync run that will fetch them'),
}), {
  object: 'contacts', custom: [{ pulseField: 'tier', crmField: 'loyalty_tier', pulseType: 'enumeration', direction: 'crm_to_pulse', options: { GOLD: 'Gold' } }],
  outcome: 'rederived', rederived: 1240, fetch: { fields: [], logId: null },
});

export const mappingsPreviewSchema = withExample(z.object({
  object: objectParam,
  total: z.number().describe('Local (synced, not deleted) records of the object'),
  records: z.array(z.object({ remoteId: z.string(), customFields: z.record(z.string(), z.unknown()) })),
  mappings: z.array(z.object({ pulseField: z.string(), crmField: z.string(), source: z.enum(['stored', 'needs_fetch']) })),
}), {
  object: 'contacts', total: 1240, records: [{ remoteId: '51', customFields: { tier: 'Gold' } }],
  mappings: [{ pulseField: 'tier', crmField: 'loyalty_tier', source: 'stored' }],
}, 'The proposed mappings applied to a few local records; nothing is saved.');

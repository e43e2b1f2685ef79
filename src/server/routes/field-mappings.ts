import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CrmField } from '../../crm/connector.js';
import { moduleFor } from '../../crm/modules.js';
import { objectTypes, platforms, type ObjectType } from '../../crm/platforms.js';
import { integrationsRepository, type Integration } from '../../db/integrations-repository.js';
import { withUser } from '../../db/tenant.js';
import { AppError, notFound } from '../../lib/errors.js';
import type { AppContext } from '../../app-context.js';
import { checkMappings, customFieldsReader, reservedNames, type FieldMapping, type ProposedMapping } from '../../sync/custom-fields.js';
import { fieldPathOf } from '../../sync/field-mappings.js';
import { crmFieldsOf, readFieldsFromCrm } from '../crm-fields.js';
import { fieldMappingsRepository } from '../../sync/field-mappings-repository.js';
import { fieldMetadataRepository } from '../../sync/field-metadata-repository.js';
import { recordTables } from '../../sync/record-tables.js';
import { syncStateRepository } from '../../sync/sync-state-repository.js';
import {
  fieldListSchema, fieldsRefreshedSchema, mappingsPreviewBodySchema, mappingsPreviewSchema, mappingsPutSchema, mappingsSavedSchema, mappingsSchema, objectParam,
} from '../field-mapping-schemas.js';
import { errorBodySchema, idParams } from '../schemas.js';

/** Local records a preview shows. */
const PREVIEW_RECORDS = 5;

/**
 * The CRM's field metadata (cached per integration) and custom field mappings (#16): list, replace
 * an object's mappings (re-deriving stored values, or scheduling the listing that fetches a field
 * never fetched), and preview proposed mappings on local records.
 */
export function fieldMappingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const errors = { 400: errorBodySchema, 404: errorBodySchema, 502: errorBodySchema };
    const tenant = <T>(userId: string, work: Parameters<typeof withUser<T>>[2]) => withUser(ctx.db.pool, userId, work);
    const integrationOf = async (userId: string, id: string): Promise<Integration> => {
      const found = await tenant(userId, (tx) => integrationsRepository(tx, ctx.keys).find(id));
      if (!found) throw notFound('Integration');
      return found;
    };
    const readFromCrm = (integration: Integration, userId: string, objects?: ObjectType[]) => readFieldsFromCrm(ctx, userId, integration, objects);
    const fieldsOf = (userId: string, integration: Integration, object: ObjectType) => crmFieldsOf(ctx, userId, integration, object);
    const checked = (integration: Integration, object: ObjectType, proposed: ProposedMapping[], fields: CrmField[]): FieldMapping[] => {
      const table = moduleFor(integration.platform).fields[object] as Record<string, unknown>;
      const reserved = reservedNames(Object.keys(table), recordTables[object].associations.map(([column]) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())));
      const { mappings, problems } = checkMappings(object, proposed, fields, reserved, platforms[integration.platform].name);
      if (problems.length) throw new AppError('validation_failed', problems.join(' '), { problems });
      return mappings;
    };
    /** A PUT's or preview's body checked against the CRM's fields: the integration, the object and the complete mappings. */
    const proposal = async (userId: string, id: string, body: { object: ObjectType; mappings: ProposedMapping[] }) => {
      const integration = await integrationOf(userId, id);
      const { fields } = await fieldsOf(userId, integration, body.object);
      return { integration, object: body.object, mappings: checked(integration, body.object, body.mappings, fields), path: fieldPathOf(integration.platform) };
    };

    app.get('/api/integrations/:id/fields', {
      schema: {
        operationId: 'listCrmFields', summary: 'The CRM\'s fields of one object, with labels, types and options', tags: ['fields'],
        params: idParams, querystring: z.strictObject({ object: objectParam }), response: { 200: fieldListSchema, ...errors },
      },
    }, async (request) => {
      const integration = await integrationOf(request.caller.userId, request.params.id);
      const { fields, fetchedAt } = await fieldsOf(request.caller.userId, integration, request.query.object);
      return { object: request.query.object, fetchedAt, fields };
    });

    app.post('/api/integrations/:id/fields/refresh', {
      schema: {
        operationId: 'refreshCrmFields', summary: 'Read the CRM\'s field metadata again (every object)', tags: ['fields'],
        params: idParams, response: { 200: fieldsRefreshedSchema, ...errors },
      },
    }, async (request) => {
      const integration = await integrationOf(request.caller.userId, request.params.id);
      await readFromCrm(integration, request.caller.userId);
      const lists = await tenant(request.caller.userId, (tx) => Promise.all(objectTypes.map((object) => fieldMetadataRepository(tx).list(integration.id, object))));
      return {
        fetchedAt: lists[0]?.fetchedAt ?? new Date().toISOString(),
        fields: Object.fromEntries(objectTypes.map((object, i) => [object, lists[i]!.fields.length])) as Record<ObjectType, number>,
      };
    });

    app.get('/api/integrations/:id/mappings', {
      schema: {
        operationId: 'listFieldMappings', summary: 'Default and custom field mappings, per object', tags: ['fields'],
        params: idParams, response: { 200: mappingsSchema, ...errors },
      },
    }, async (request) => {
      const integration = await integrationOf(request.caller.userId, request.params.id);
      const custom = await tenant(request.caller.userId, (tx) => fieldMappingsRepository(tx, integration.id).list());
      const module = moduleFor(integration.platform);
      return {
        objects: objectTypes.map((object) => ({
          object,
          defaults: Object.entries(module.fields[object] as Record<string, { property: string }>)
            .map(([pulseField, codec]) => ({ pulseField, crmField: codec.property, direction: 'crm_to_pulse' as const })),
          custom: custom.filter((mapping) => mapping.object === object).map(({ object: _, ...mapping }) => mapping),
        })),
      };
    });

    app.put('/api/integrations/:id/mappings', {
      schema: {
        operationId: 'replaceFieldMappings', summary: 'Replace one object\'s custom field mappings', tags: ['fields'],
        description: 'Checks each mapping against the CRM\'s fields and the type compatibility table, saves them, and re-derives every record\'s customFields '
          + 'from its stored raw properties (no CRM request). A mapped CRM field no stored record holds is fetched by a new full listing of the object: the answer says which happened.',
        params: idParams, body: mappingsPutSchema, response: { 200: mappingsSavedSchema, ...errors },
      },
    }, async (request) => {
      const userId = request.caller.userId;
      const { integration, object, mappings, path } = await proposal(userId, request.params.id, request.body);
      const { rederived, missing } = await tenant(userId, async (tx) => {
        const repository = fieldMappingsRepository(tx, integration.id);
        await repository.replace(object, mappings);
        const missing = await repository.neverFetched(object, mappings, path);
        // Stored data first, in any case: every other mapping is right at once, the missing ones fill in with the listing.
        const rederived = await repository.rederive(object, mappings, path);
        if (missing.length) await syncStateRepository(tx, integration.id).restartFull(object);
        return { rederived, missing };
      });
      let logId: string | null = null;
      if (missing.length && ctx.sync) logId = (await ctx.sync.request({ userId, integrationId: integration.id })).logId;
      await ctx.events?.publish(userId, { type: 'integration.updated', integrationId: integration.id });
      return {
        object,
        custom: mappings,
        outcome: missing.length === 0 ? 'rederived' as const : logId ? 'full_sync_scheduled' as const : 'fetch_needed' as const,
        rederived,
        fetch: { fields: missing, logId },
      };
    });

    app.post('/api/integrations/:id/mappings/preview', {
      schema: {
        operationId: 'previewFieldMappings', summary: 'Apply proposed mappings to a few local records, without saving', tags: ['fields'],
        params: idParams, body: mappingsPreviewBodySchema, response: { 200: mappingsPreviewSchema, ...errors },
      },
    }, async (request) => {
      const userId = request.caller.userId;
      const { integration, object, mappings, path } = await proposal(userId, request.params.id, request.body);
      const { sample, missing } = await tenant(userId, async (tx) => {
        const repository = fieldMappingsRepository(tx, integration.id);
        return { sample: await repository.sample(object, PREVIEW_RECORDS), missing: new Set(await repository.neverFetched(object, mappings, path)) };
      });
      const read = customFieldsReader(mappings, path);
      return {
        object,
        total: sample.total,
        records: sample.records.map((record) => ({ remoteId: record.remoteId, customFields: read(record.properties) })),
        mappings: mappings.map((mapping) => ({ pulseField: mapping.pulseField, crmField: mapping.crmField, source: missing.has(mapping.crmField) ? 'needs_fetch' as const : 'stored' as const })),
      };
    });
  };
}

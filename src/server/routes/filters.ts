import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RecordFilter } from '../../crm/connector.js';
import { moduleFor } from '../../crm/modules.js';
import { objectTypes, platforms, type ObjectType } from '../../crm/platforms.js';
import { filterFieldsProblem, filterProblem } from '../../crm/record-filter.js';
import { integrationsRepository, type Integration } from '../../db/integrations-repository.js';
import { recordFiltersRepository, type RecordFilters } from '../../db/record-filters-repository.js';
import { AppError, notFound } from '../../lib/errors.js';
import { filterReport } from '../../sync/filter-preview.js';
import { syncStateRepository } from '../../sync/sync-state-repository.js';
import type { AppContext } from '../../app-context.js';
import { z } from 'zod';
import { errorBodySchema, filterPreviewSchema, filtersBodySchema, filtersReportSchema, filtersSavedSchema, idParams } from '../schemas.js';
import { crmFieldsOf } from '../crm-fields.js';
import { asCaller } from '../tenant-request.js';

/**
 * Selective sync (#16): an integration's filters per object, what each costs (pushed into the CRM's
 * full listing or applied by Pulse), and a preview of proposed ones before they are saved. Saving a
 * changed filter lists that object in full at the next run, which removes what no longer matches.
 */
const filtersQuery = z.object({ counts: z.enum(['true', 'false']).optional().describe('Ask the CRM for its counts (a few requests; on Zoho, credits).') });

export function filterRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const errors = { 400: errorBodySchema, 404: errorBodySchema };
    const findIntegration = async (request: Parameters<typeof asCaller>[1], id: string): Promise<Integration> => {
      const found = await asCaller(ctx, request, (tx) => integrationsRepository(tx, ctx.keys).find(id));
      if (!found) throw notFound('Integration');
      return found;
    };

    app.get('/api/integrations/:id/filters', {
      schema: {
        operationId: 'getFilters', summary: 'An integration\'s sync filters, where each is applied and what a full sync costs with it', tags: ['filters'],
        description: 'Spends no CRM request unless `counts=true`: then the CRM counts each object (with its filter where it can), for the listing requests a full sync would spend.',
        params: idParams, querystring: filtersQuery, response: { 200: filtersReportSchema, ...errors },
      },
    }, async (request) => {
      const integration = await findIntegration(request, request.params.id);
      const filters = await asCaller(ctx, request, (tx) => recordFiltersRepository(tx).get(integration.id));
      return { objects: await filterReport(ctx, request.caller.userId, integration, filters, { local: false, crmCounts: request.query.counts === 'true' }) };
    });

    app.put('/api/integrations/:id/filters', {
      schema: {
        operationId: 'putFilters', summary: 'Set sync filters (null removes one); a changed filter lists its object in full at the next sync', tags: ['filters'],
        params: idParams, body: filtersBodySchema, response: { 200: filtersSavedSchema, ...errors },
      },
    }, async (request) => {
      const integration = await findIntegration(request, request.params.id);
      const proposed = await checkedFilters(ctx, request.caller.userId, integration, request.body);
      const changed = await asCaller(ctx, request, async (tx) => {
        const objects = await recordFiltersRepository(tx).put(integration.id, proposed);
        // The next run lists these objects in full: what no longer matches is not seen, so it is removed.
        for (const object of objects) await syncStateRepository(tx, integration.id).restartFull(object);
        return objects;
      });
      const sync = changed.length > 0 && ctx.sync && integration.status !== 'needs_reauth'
        ? await ctx.sync.request({ userId: request.caller.userId, integrationId: integration.id }) : null;
      const filters = await asCaller(ctx, request, (tx) => recordFiltersRepository(tx).get(integration.id));
      return {
        filters: Object.fromEntries(objectTypes.map((object) => [object, filters[object] ?? null])) as Record<ObjectType, RecordFilter | null>,
        fullSync: { objects: changed, logId: sync?.logId ?? null },
      };
    });

    app.post('/api/integrations/:id/filters/preview', {
      schema: {
        operationId: 'previewFilters', summary: 'What proposed filters would sync: the CRM\'s counts, the local records that match, and the requests a full sync costs', tags: ['filters'],
        params: idParams, body: filtersBodySchema, response: { 200: filterPreviewSchema, ...errors },
      },
    }, async (request) => {
      const integration = await findIntegration(request, request.params.id);
      const proposed = await checkedFilters(ctx, request.caller.userId, integration, request.body);
      const saved = await asCaller(ctx, request, (tx) => recordFiltersRepository(tx).get(integration.id));
      // Objects the proposal does not name keep their saved filter; null previews none.
      const filters: RecordFilters = { ...saved };
      for (const object of objectTypes) if (object in proposed) filters[object] = proposed[object] ?? undefined;
      return { objects: await filterReport(ctx, request.caller.userId, integration, filters, { local: true, crmCounts: true }) };
    });
  };
}

/**
 * The body's filters, each checked against the CRM's field-name rule and its operator's value, then
 * against the CRM's fields of the object (their metadata, read once if none is stored): 400 naming the path.
 */
async function checkedFilters(ctx: AppContext, userId: string, integration: Integration, body: Partial<Record<ObjectType, RecordFilter | null>>): Promise<Partial<Record<ObjectType, RecordFilter | null>>> {
  const { fieldName } = moduleFor(integration.platform).filters;
  const refuse = (object: ObjectType, problem: { path: string; message: string }) =>
    new AppError('validation_failed', `body.${object}.${problem.path}: ${problem.message}`, { path: `body.${object}.${problem.path}` });
  for (const object of objectTypes) {
    const filter = body[object];
    if (!filter) continue;
    const problem = filterProblem(filter, fieldName);
    if (problem) throw refuse(object, problem);
    if (filter.conditions.length === 0) continue;
    const { fields } = await crmFieldsOf(ctx, userId, integration, object);
    const mismatch = filterFieldsProblem(filter, fields, `${platforms[integration.platform].name}'s ${object}`);
    if (mismatch) throw refuse(object, mismatch);
  }
  return body;
}

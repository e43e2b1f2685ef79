import type { Connector, ListingSelection } from '../crm/connector.js';
import { moduleFor } from '../crm/modules.js';
import { objectTypes, type ObjectType, type PlatformId } from '../crm/platforms.js';
import { withUser } from '../db/tenant.js';
import type { AppContext } from '../app-context.js';
import { customFieldsReader, topLevel, type CustomFieldsReader, type FieldPath } from './custom-fields.js';
import { fieldMappingsRepository } from './field-mappings-repository.js';
import { fieldMetadataRepository } from './field-metadata-repository.js';
import { syncStateRepository } from './sync-state-repository.js';

/** Where a CRM keeps a field's value in stored properties (its module's fieldPath, else at the top). */
export const fieldPathOf = (platform: PlatformId): FieldPath => moduleFor(platform).fieldPath ?? topLevel;

/**
 * What a sync run needs of an integration's mappings: the CRM fields its listing must ask for, and a
 * reader per object that turns each record's properties into its custom_fields as rows are written.
 */
export async function mappingsForRun(ctx: AppContext, userId: string, integrationId: string, platform: PlatformId): Promise<{
  properties: ListingSelection['properties']; customFields: Record<ObjectType, CustomFieldsReader>; loaded: string;
}> {
  const mappings = await withUser(ctx.db.pool, userId, (tx) => fieldMappingsRepository(tx, integrationId).list());
  const path = fieldPathOf(platform);
  const properties: ListingSelection['properties'] = {};
  const customFields = {} as Record<ObjectType, CustomFieldsReader>;
  for (const object of objectTypes) {
    const own = mappings.filter((mapping) => mapping.object === object);
    if (own.length) properties[object] = [...new Set(own.map((mapping) => mapping.crmField))];
    customFields[object] = customFieldsReader(own, path);
  }
  return { properties, customFields, loaded: JSON.stringify(mappings) };
}

/**
 * Mappings saved while a run was writing: its rows carry values read with the mappings it loaded, and
 * its listing's end may have overwritten the relisting the save asked for. So, at its end, a run whose
 * mappings changed meanwhile re-derives the objects' values from what is stored, and has the next run
 * list again an object whose newly mapped fields no record holds. Returns the objects it re-derived.
 */
export async function settleMappingsChangedDuringRun(ctx: AppContext, userId: string, integrationId: string, platform: PlatformId, loaded: string): Promise<ObjectType[]> {
  return withUser(ctx.db.pool, userId, async (tx) => {
    const repository = fieldMappingsRepository(tx, integrationId);
    const now = await repository.list();
    if (JSON.stringify(now) === loaded) return [];
    const before = JSON.parse(loaded) as typeof now;
    const path = fieldPathOf(platform);
    const changed = objectTypes.filter((object) => JSON.stringify(now.filter((m) => m.object === object)) !== JSON.stringify(before.filter((m) => m.object === object)));
    for (const object of changed) {
      const mappings = now.filter((mapping) => mapping.object === object);
      if ((await repository.neverFetched(object, mappings, path)).length) await syncStateRepository(tx, integrationId).restartFull(object);
      await repository.rederive(object, mappings, path);
    }
    return changed;
  });
}

/** Reads every object's field metadata from the CRM and stores it (replacing what was there). */
export async function refreshFieldMetadata(ctx: AppContext, userId: string, integrationId: string, connector: Connector, objects: readonly ObjectType[] = objectTypes): Promise<void> {
  for (const object of objects) {
    const fields = await connector.describeFields(object);
    await withUser(ctx.db.pool, userId, (tx) => fieldMetadataRepository(tx).replace(integrationId, object, fields));
  }
}

const METADATA_FRESH_MS = 60 * 60_000;

/**
 * At a full sync someone asked for (when what is stored is over an hour old), and at the first run that finds none: like the labels
 * (field-options.ts), a failure costs only fresh metadata, so it is logged, not thrown.
 */
export async function refreshFieldMetadataForRun(ctx: AppContext, job: { userId: string; integrationId: string }, connector: Connector, full: boolean): Promise<void> {
  try {
    const { fetchedAt } = await withUser(ctx.db.pool, job.userId, (tx) => fieldMetadataRepository(tx).list(job.integrationId, 'contacts'));
    // A full sync re-reads metadata older than this; "Refresh fields" reads it at once. Fields change
    // rarely, and re-reading them after every full sync spent requests right after a run's listing.
    const fresh = fetchedAt !== null && Date.now() - Date.parse(fetchedAt) < METADATA_FRESH_MS;
    if (fetchedAt !== null && (!full || fresh)) return;
    await refreshFieldMetadata(ctx, job.userId, job.integrationId, connector);
  } catch (error) {
    ctx.logger.warn({ err: error, integrationId: job.integrationId }, 'could not read the CRM\'s field metadata; the stored list stays until the next full sync');
  }
}

import type { AppContext } from '../app-context.js';
import { integrationConnector } from '../crm/connectors.js';
import { platforms, type ObjectType } from '../crm/platforms.js';
import { ProviderError } from '../crm/provider-error.js';
import type { Integration } from '../db/integrations-repository.js';
import { withUser } from '../db/tenant.js';
import { AppError } from '../lib/errors.js';
import { refreshFieldMetadata } from '../sync/field-mappings.js';
import { fieldMetadataRepository } from '../sync/field-metadata-repository.js';

/**
 * The CRM's field metadata as the routes use it (mappings and filters are both checked against it):
 * read through from the CRM, and the cache in front of it.
 */

/** Reads metadata from the CRM into the cache; its failure is a 502 saying what the CRM answered, not a 500. */
export async function readFieldsFromCrm(ctx: AppContext, userId: string, integration: Integration, objects?: ObjectType[]): Promise<void> {
  try {
    await refreshFieldMetadata(ctx, userId, integration.id, integrationConnector(ctx, integration), objects);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    throw new AppError('provider_error', `${platforms[integration.platform].name} did not give its field metadata: ${error.message}`, { code: error.code });
  }
}

/** An object's stored metadata, read from the CRM first if none is stored yet. */
export async function crmFieldsOf(ctx: AppContext, userId: string, integration: Integration, object: ObjectType) {
  const stored = await withUser(ctx.db.pool, userId, (tx) => fieldMetadataRepository(tx).list(integration.id, object));
  if (stored.fetchedAt) return stored;
  await readFieldsFromCrm(ctx, userId, integration, [object]);
  return withUser(ctx.db.pool, userId, (tx) => fieldMetadataRepository(tx).list(integration.id, object));
}

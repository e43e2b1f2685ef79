import type { ConnectorModule } from './connector-module.js';
import { hubspotModule } from './hubspot/module.js';
import { salesforceModule } from './salesforce/module.js';
import type { PlatformId } from './platforms.js';
import { pipedriveModule } from './pipedrive/module.js';
import { zohoModule } from './zoho/module.js';

/**
 * The CRMs the engine can sync, by registry id. A CRM joins with one line here and its folder
 * `src/crm/<id>/`; until then its registry entry shows on the chooser as "coming soon".
 */
export const connectorModules: Partial<Record<PlatformId, ConnectorModule>> = {
  hubspot: hubspotModule,
  pipedrive: pipedriveModule,
  salesforce: salesforceModule,
  zoho: zohoModule,
};

export class UnsupportedPlatformError extends Error {
  override name = 'UnsupportedPlatformError';
}

export function moduleFor(platform: PlatformId): ConnectorModule {
  const module = connectorModules[platform];
  if (!module) throw new UnsupportedPlatformError(`${platform} is described in the registry but its connector is not built yet.`);
  return module;
}

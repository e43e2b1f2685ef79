import type { Connector } from '../crm/connector.js';
import { withUser } from '../db/tenant.js';
import { fieldOptionsRepository } from './field-options-repository.js';
import type { AppContext } from '../app-context.js';

/**
 * Reads the CRM's labels at every full sync asked for (and at the first run that finds none, for integrations
 * synced before labels were kept); incremental runs spend no request on them. A failure costs only
 * the labels: raw values show until the next full sync, so it is logged, not thrown.
 */
export async function refreshFieldOptions(ctx: AppContext, job: { userId: string; integrationId: string }, connector: Connector, full: boolean): Promise<void> {
  try {
    const known = await withUser(ctx.db.pool, job.userId, (tx) => fieldOptionsRepository(tx).has(job.integrationId));
    if (known && !full) return;
    const options = await connector.fieldOptions();
    await withUser(ctx.db.pool, job.userId, (tx) => fieldOptionsRepository(tx).replace(job.integrationId, options));
  } catch (error) {
    ctx.logger.warn({ err: error, integrationId: job.integrationId }, 'could not read the CRM\'s field labels; raw values show until the next full sync');
  }
}

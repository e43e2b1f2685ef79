import { integrationsRepository, type Integration } from '../../src/db/integrations-repository.js';
import { exchangeCode } from '../../src/crm/oauth.js';
import { beginOAuth } from '../../src/crm/oauth-begin.js';
import { completeOAuth, startOAuth } from '../../src/crm/oauth-flow.js';
import type { AppContext } from '../../src/app-context.js';
import { answerConsent } from './sandbox.js';
import { asUser, ensureUser } from './users.js';


/** Connects HubSpot for `sub` through the real OAuth flow against the sandbox (its first account, or `accountId`); returns the integration. */
export async function connectHubspot(ctx: AppContext, sub: string, accountId?: number): Promise<Integration> {
  const userId = await ensureUser(ctx, sub);
  // The browser's part (begin from the app's origin, the flow's cookie) played in process.
  const appOrigin = new URL(ctx.config.publicUrl).origin;
  const { ticket } = await startOAuth(ctx, userId, { platform: 'hubspot', appOrigin });
  const begun = await beginOAuth(ctx, ticket, appOrigin, 'popup');
  if (!begun.ok) throw new Error(`begin failed: ${begun.message}`);
  const outcome = await completeOAuth(ctx, await answerConsent(begun.authorizeUrl, 'allow', accountId), begun.cookie.value);
  if (!outcome.ok) throw new Error(`connect failed: ${outcome.message}`);
  return outcome.integration;
}

export function credentialsOf(ctx: AppContext, integration: Integration) {
  return asUser(ctx, integration.userId, (tx) => integrationsRepository(tx, ctx.keys).readCredentials(integration.id));
}

export function reload(ctx: AppContext, integration: Integration) {
  return asUser(ctx, integration.userId, async (tx) => (await integrationsRepository(tx, ctx.keys).find(integration.id))!);
}

/** Marks the stored access token as expiring now, so the next use must refresh it. */
export function expireStoredToken(ctx: AppContext, integration: Integration) {
  return asUser(ctx, integration.userId, (tx) => tx.query(`UPDATE crm_integrations SET token_expires_at = now() - interval '1 minute' WHERE id = $1`, [integration.id]));
}

export { exchangeCode };

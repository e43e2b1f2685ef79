import type { Integration } from '../db/integrations-repository.js';
import type { AppContext } from '../server/context.js';
import type { Connector } from './connector.js';
import { createConnector } from './connectors.js';
import { objectTypes, platforms } from './platforms.js';
import { ProviderError } from './provider-error.js';

/**
 * "Will sync work?", answered by the provider itself: can we reach it with this grant, does the
 * grant cover every object we sync, how much of the quota is left. Each check says pass / warn /
 * fail with a sentence a person can act on.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface Check {
  id: string;
  label: string;
  status: CheckStatus;
  message: string;
  /** For quota checks: figures for a usage bar. */
  usage?: { used: number; limit: number; resetsAt: string | null };
}

/** Above this share of a quota the check warns. */
const QUOTA_WARN_SHARE = 0.9;

export async function testConnection(ctx: AppContext, integration: Integration): Promise<Check[]> {
  const spec = platforms[integration.platform];
  const connector: Connector = createConnector(ctx, ctx.services, {
    platform: integration.platform,
    externalAccountId: integration.externalAccountId,
    tokens: ctx.services.tokens.source(integration),
  });

  let account;
  try {
    account = await connector.account();
  } catch (error) {
    return [{ id: 'connectivity', label: 'API reachable', status: 'fail', message: explain(spec.name, error) }];
  }
  const checks: Check[] = [{
    id: 'connectivity', label: 'API reachable', status: 'pass',
    message: `Connected to ${spec.name} account ${account.displayName} (${account.externalAccountId}).`,
  }];

  for (const object of objectTypes) {
    const needed = spec.scopes.filter((scope) => scope.reads?.includes(object)).map((scope) => scope.name);
    const missing = needed.filter((scope) => !account.grantedScopes.includes(scope));
    checks.push(missing.length === 0
      ? { id: `scope:${object}`, label: `Permission to read ${spec.objects[object]}`, status: 'pass', message: `${spec.objects[object]} can be read.` }
      : { id: `scope:${object}`, label: `Permission to read ${spec.objects[object]}`, status: 'fail',
        message: `The grant lacks ${missing.join(', ')}, so ${spec.objects[object]} cannot sync. Reconnect and allow ${missing.length > 1 ? 'these scopes' : 'this scope'} on the consent page.` });
  }

  try {
    const quotas = await connector.quota();
    if (quotas.length === 0) checks.push({ id: 'quota', label: 'API quota', status: 'pass', message: `${spec.name} reports no quota for this connection.` });
    for (const quota of quotas) {
      const known = quota.used !== null && quota.limit !== null && quota.limit > 0;
      const share = known ? quota.used! / quota.limit! : 0;
      const resets = quota.resetsAt ? ` It resets at ${new Date(quota.resetsAt).toUTCString()}.` : '';
      checks.push({
        id: `quota:${quota.name}`,
        label: `API quota — ${quota.name.toLowerCase()}`,
        status: share >= QUOTA_WARN_SHARE ? 'warn' : 'pass',
        message: !known ? `${quota.name}: no figures reported.`
          : share >= QUOTA_WARN_SHARE
            ? `${quota.used!.toLocaleString('en')} of ${quota.limit!.toLocaleString('en')} ${quota.name.toLowerCase()} are used (${Math.round(share * 100)}%). Syncs may stop early until it resets.${resets}`
            : `${quota.used!.toLocaleString('en')} of ${quota.limit!.toLocaleString('en')} ${quota.name.toLowerCase()} used.${resets}`,
        usage: known ? { used: quota.used!, limit: quota.limit!, resetsAt: quota.resetsAt } : undefined,
      });
    }
  } catch (error) {
    checks.push({ id: 'quota', label: 'API quota', status: 'warn', message: `Could not read the quota: ${explain(spec.name, error)}` });
  }
  return checks;
}

function explain(name: string, error: unknown): string {
  if (!(error instanceof ProviderError)) return `Unexpected error: ${(error as Error).message}`;
  switch (error.code) {
    case 'auth_revoked': return `${name} no longer accepts this connection's token. Reconnect the integration.`;
    case 'insufficient_scope': return `${name} refused for lack of permission (${error.message}). Reconnect and allow the requested scopes.`;
    case 'rate_limited': case 'quota_exhausted': return `${name} is rate-limiting this account right now (${error.message}). Try again later.`;
    case 'temporary': return `${name} did not answer properly (${error.message}). Check that it is reachable and retry.`;
    default: return error.message;
  }
}

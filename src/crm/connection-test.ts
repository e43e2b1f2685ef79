import type { ConnectionProblem, Integration } from '../db/integrations-repository.js';
import type { AppContext } from '../app-context.js';
import type { Connector } from './connector.js';
import { integrationConnector } from './connectors.js';
import { moduleFor } from './modules.js';
import { objectTypes, platforms, type ObjectType } from './platforms.js';
import { ProviderError, type ProviderErrorCode } from './provider-error.js';

/**
 * "Will sync work?", answered by the provider itself: can we reach it with this grant, does the
 * grant cover every object we sync, how much of the quota is left. Each check says pass / warn /
 * fail with a sentence a person can act on; checks that could not run say so ("skipped") instead of
 * vanishing. The verdict tells the two kinds of failure apart, because their fixes differ: a
 * problem the user fixes by reconnecting (a permission left out, a revoked grant) and one on the
 * CRM's side (down, rate-limiting) that only needs a later retry.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skipped';

export interface Check {
  id: string;
  label: string;
  status: CheckStatus;
  message: string;
  /** For quota checks: figures for a usage bar. */
  usage?: { used: number; limit: number; resetsAt: string | null };
}

export interface ConnectionVerdict {
  checks: Check[];
  /** Null when sync will work; otherwise who can fix it and how, in one sentence. */
  problem: Omit<ConnectionProblem, 'checkedAt'> | null;
}

/** Above this share of a quota the check warns. */
const QUOTA_WARN_SHARE = 0.9;

/** Codes the user fixes by signing in again; every other failure is the CRM's and passes on retry. */
const fixedByReconnecting: ProviderErrorCode[] = ['auth_revoked', 'insufficient_scope'];

export async function testConnection(ctx: AppContext, integration: Integration): Promise<ConnectionVerdict> {
  const spec = platforms[integration.platform];
  const connector: Connector = integrationConnector(ctx, integration);
  const scopeLabel = (object: ObjectType) => `Permission to read ${spec.objects[object]}`;

  let account;
  try {
    account = await connector.account();
  } catch (error) {
    const reconnect = error instanceof ProviderError && fixedByReconnecting.includes(error.code);
    const notRun = `Runs once ${spec.name} answers.`;
    return {
      checks: [
        { id: 'connectivity', label: 'API reachable', status: 'fail', message: explain(spec.name, error) },
        ...objectTypes.map((object) => ({ id: `scope:${object}`, label: scopeLabel(object), status: 'skipped' as const, message: notRun })),
        { id: 'quota', label: 'API quota', status: 'skipped', message: notRun },
      ],
      problem: reconnect
        ? { kind: 'reconnect', message: `${spec.name} no longer accepts this connection. Reconnect ${spec.name} to sign in again.` }
        : { kind: 'retry', message: `${spec.name} is not answering right now. This is on ${spec.name}'s side: nothing to change here. Test again in a few minutes.` },
    };
  }
  const checks: Check[] = [{
    id: 'connectivity', label: 'API reachable', status: 'pass',
    message: `Connected to ${spec.name} account ${account.displayName} (${account.externalAccountId}).`,
  }];

  // CRMs with no endpoint that lists a token's scopes say them only in the token response: stored at connect.
  const granted = account.grantedScopes.length > 0 ? account.grantedScopes : integration.grantedScopes ?? [];
  const unreadable: string[] = [];
  for (const object of objectTypes) {
    const needed = spec.scopes.filter((scope) => scope.reads?.includes(object));
    const missing = needed.filter((scope) => !granted.includes(scope.name));
    if (missing.length > 0) unreadable.push(spec.objects[object]);
    checks.push(missing.length === 0
      ? { id: `scope:${object}`, label: scopeLabel(object), status: 'pass', message: `${spec.objects[object]} can be read.` }
      : { id: `scope:${object}`, label: scopeLabel(object), status: 'fail',
        message: `The permission "${missing.map((scope) => scope.description).join('", "')}" was not granted (${missing.map((scope) => scope.name).join(', ')}), so ${spec.objects[object]} cannot sync. Reconnect and allow it on the consent page.` });
  }

  // Registered webhooks need a scope of their own; without it sync works, deletions just arrive later.
  const subscriptions = moduleFor(integration.platform).subscriptions;
  if (subscriptions) {
    checks.push(granted.includes(subscriptions.scope)
      ? { id: 'webhooks', label: 'Change notifications', status: 'pass', message: subscriptions.manual
        // Nothing to check at the CRM: the person adds them in its set-up pages, which no app can read back.
        ? `${spec.name} pushes changes to Pulse within seconds once you add the ${subscriptions.manual.name} shown under "Set up real-time updates" on the dashboard; until then they come with the scheduled sync.`
        : `${spec.name} may notify Pulse of changes (${subscriptions.scope}).` }
      : { id: 'webhooks', label: 'Change notifications', status: 'warn', message: `The permission ${subscriptions.scope} was not granted. ${subscriptions.withoutIt}` });
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
  // The CRM's own checks (object permissions, edition features): a failing one is fixed in the CRM.
  let ownFailure: string | null = null;
  if (connector.checks) {
    try {
      const own = await connector.checks();
      checks.push(...own);
      ownFailure = own.find((check) => check.status === 'fail')?.message ?? null;
    } catch (error) {
      checks.push({ id: 'crm-checks', label: `${spec.name} settings`, status: 'warn', message: `Could not run ${spec.name}'s own checks: ${explain(spec.name, error)}` });
    }
  }
  return {
    checks,
    problem: unreadable.length === 0 ? (ownFailure ? { kind: 'reconnect', message: ownFailure } : null) : {
      kind: 'reconnect',
      message: `Pulse may not read ${unreadable.join(' and ')}. Reconnect ${spec.name} and allow every permission on its consent page.`,
    },
  };
}

function explain(name: string, error: unknown): string {
  if (!(error instanceof ProviderError)) return `Unexpected error: ${(error as Error).message}. Retry the test; if it keeps failing, reconnect.`;
  switch (error.code) {
    case 'auth_revoked': return `${name} no longer accepts this connection's token. Reconnect the integration.`;
    case 'insufficient_scope': return `${name} refused for lack of permission. Reconnect and allow the requested permissions.`;
    case 'rate_limited': case 'quota_exhausted': return `${name} is rate-limiting this account right now. Retry in a few minutes.`;
    case 'temporary': return `${name} did not answer properly (a problem on ${name}'s side). Retry in a few minutes.`;
    default: return `${error.message}. Retry the test; if it keeps failing, reconnect.`;
  }
}

/**
 * `signed_access_token` of `GET /oauth/v1/access-tokens/{token}`: every field the `SignedAccessToken`
 * schema of HubSpot's OAuth v1 OpenAPI spec requires (appId, appInstallId, audience, expiresAt, hubId,
 * hublet, installingUserId, isPrivateDistribution, isServiceAccount, isUserLevel, newSignature,
 * scopeToScopeGroupPks, scopes, signature, trialScopeToScopeGroupPks, trialScopes, userId), also shown
 * at https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/get-oauth-token-metadata.
 * The spec types `scopes` and the `*Pks` fields as opaque strings and does not say what they hold;
 * here they are the granted scopes space-separated, "" for trial scopes and scope-group maps, and the
 * signatures are HMAC-SHA256 of the token under the app's client secret.
 */
import { createHmac } from 'node:crypto';
import type { AccessToken } from '../core/tokens.js';

export function signedAccessToken(t: AccessToken, appId: number, clientSecret: string) {
  const sign = (salt: string) => createHmac('sha256', clientSecret).update(`${salt}${t.token}`).digest('base64');
  return {
    expiresAt: t.expiresAt,
    scopes: t.scopes.join(' '),
    hubId: t.accountId,
    userId: t.userId,
    appId,
    appInstallId: `${appId}-${t.accountId}`,
    audience: t.clientId,
    hublet: 'na1',
    installingUserId: t.userId,
    isUserLevel: false,
    isPrivateDistribution: false,
    isServiceAccount: false,
    trialScopes: '',
    trialScopeToScopeGroupPks: '',
    scopeToScopeGroupPks: '',
    signature: sign('v1:'),
    newSignature: sign('v2:'),
  };
}

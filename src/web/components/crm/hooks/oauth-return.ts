import { oauthErrorMessage } from './oauth-popup';

export interface OAuthReturn {
  /** Connected: resume the wizard at this integration's connection test. */
  integrationId?: string;
  /** Not connected: the words to show on the wizard's first step. */
  error?: string;
}

/**
 * What came back from a full-page OAuth flow (popup blocked): `?connected=<id>` or `?oauth_error=<reason>`
 * on the page that started it. Read once and removed from the address bar, so a reload or a later
 * "Connect CRM" starts fresh; the host clears its copy when the resumed wizard closes.
 */
export function takeOAuthReturn(): OAuthReturn {
  const url = new URL(window.location.href);
  const integrationId = url.searchParams.get('connected') ?? undefined;
  const reason = url.searchParams.get('oauth_error');
  if (!integrationId && !reason) return {};
  url.searchParams.delete('connected');
  url.searchParams.delete('oauth_error');
  window.history.replaceState(window.history.state, '', url);
  return { integrationId, error: reason ? oauthErrorMessage(reason) : undefined };
}

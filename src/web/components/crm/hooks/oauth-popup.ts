import type { ApiClient, OAuthStart } from '../../../api/client';
import type { OAuthResultMessage } from '../../../api/types';

export type OAuthOutcome =
  | { ok: true; integrationId: string }
  | { ok: false; reason: string; message: string }
  | { ok: 'redirecting' };

const POPUP_FEATURES = 'popup,width=520,height=720';

/** The page to come back to after a full-page redirect, without a previous attempt's result. */
export function currentReturnPath(): string {
  const url = new URL(window.location.href);
  url.searchParams.delete('connected');
  url.searchParams.delete('oauth_error');
  return `${url.pathname}${url.search}`;
}

/**
 * Opens the provider's consent page in a popup and resolves with what the callback page posts back.
 * The popup is opened synchronously inside the click (before any await) so popup blockers allow it;
 * when they block it anyway, the whole page goes to the consent page and comes back to `returnTo`.
 */
export async function connectWithPopup(api: ApiClient, start: OAuthStart): Promise<OAuthOutcome> {
  const popup = window.open('', 'pulse-crm-oauth', POPUP_FEATURES);
  let authorizeUrl: string;
  try {
    ({ authorizeUrl } = await api.startOAuth({ returnTo: currentReturnPath(), ...start }));
  } catch (error) {
    popup?.close();
    throw error;
  }
  if (!popup) {
    window.location.assign(authorizeUrl);
    return { ok: 'redirecting' };
  }
  popup.location.href = authorizeUrl;
  popup.focus();
  return waitForResult(popup, new URL(api.baseUrl || window.location.origin, window.location.href).origin);
}

function waitForResult(popup: Window, apiOrigin: string): Promise<OAuthOutcome> {
  return new Promise((resolve) => {
    let closedSince = 0;
    const finish = (outcome: OAuthOutcome) => {
      window.removeEventListener('message', onMessage);
      clearInterval(timer);
      resolve(outcome);
    };
    const onMessage = (event: MessageEvent) => {
      const data = event.data as OAuthResultMessage | undefined;
      if (event.origin !== apiOrigin || data?.source !== 'pulse-crm' || data.type !== 'oauth-result') return;
      finish(data.ok ? { ok: true, integrationId: data.integrationId } : { ok: false, reason: data.reason, message: data.message });
    };
    // The result page posts, then closes itself; give its message a moment to arrive first.
    const timer = setInterval(() => {
      if (!popup.closed) return;
      if (!closedSince) closedSince = Date.now();
      else if (Date.now() - closedSince > 600) {
        finish({ ok: false, reason: 'closed', message: 'The sign-in window was closed before the connection finished. Nothing was connected; press Connect to try again.' });
      }
    }, 200);
    window.addEventListener('message', onMessage);
  });
}

/** Words for the `?oauth_error=<reason>` a full-page redirect comes back with. */
export function oauthErrorMessage(reason: string): string {
  const messages: Record<string, string> = {
    denied: 'You declined access on the consent page, so nothing was connected.',
    expired_state: 'The sign-in link expired (they last 10 minutes). Start again.',
    replayed_state: 'That sign-in link was already used. Start again.',
    code_rejected: 'The CRM rejected the authorization. Nothing was connected; start again.',
    unreachable: 'The CRM could not be reached to finish the connection. Check the network and try again.',
  };
  return messages[reason] ?? 'The connection did not finish, so nothing was connected. Start again.';
}

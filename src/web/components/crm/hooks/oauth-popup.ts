import type { ApiClient, OAuthFlow, OAuthStart } from '../../../api/client';
import type { OAuthResultMessage } from '../../../api/types';

export type OAuthOutcome =
  | { ok: true; integrationId: string }
  | { ok: false; reason: string; message: string }
  | { ok: 'redirecting' };

const POPUP_NAME = 'pulse-crm-oauth';
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
 * when they block it anyway, the whole page goes through the flow and comes back to `returnTo`.
 * Either way the flow is begun on Pulse's origin from this page, which binds it to this browser
 * (src/crm/oauth-begin.ts).
 */
export async function connectWithPopup(api: ApiClient, start: OAuthStart): Promise<OAuthOutcome> {
  const popup = window.open('', POPUP_NAME, POPUP_FEATURES);
  let flow: OAuthFlow;
  try {
    flow = await api.startOAuth({ returnTo: currentReturnPath(), appOrigin: window.location.origin, ...start });
  } catch (error) {
    popup?.close();
    throw error;
  }
  if (!popup) {
    beginInThisPage(flow);
    return { ok: 'redirecting' };
  }
  popup.location.href = flow.beginUrl;
  popup.focus();
  return waitForResult(popup, flow);
}

/** Full-page fallback: a form POST, so the browser's Origin header tells Pulse which page began the flow. */
function beginInThisPage(flow: OAuthFlow): void {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = flow.beginUrl;
  form.hidden = true;
  const ticket = document.createElement('input');
  ticket.type = 'hidden';
  ticket.name = 'ticket';
  ticket.value = flow.ticket;
  form.append(ticket);
  document.body.append(form);
  form.submit();
}

/**
 * Talks only to the popup, and only while it shows a page of Pulse's (the begin page asks for the
 * ticket; the result page posts the outcome). Pulse's origin is the begin URL's, which may differ from
 * this page's (a host app elsewhere, or localhost vs 127.0.0.1).
 */
function waitForResult(popup: Window, flow: OAuthFlow): Promise<OAuthOutcome> {
  const pulseOrigin = new URL(flow.beginUrl).origin;
  return new Promise((resolve) => {
    let closedSince = 0;
    let ticketSent = false;
    const finish = (outcome: OAuthOutcome) => {
      window.removeEventListener('message', onMessage);
      clearInterval(timer);
      resolve(outcome);
    };
    const onMessage = (event: MessageEvent) => {
      const data = event.data as OAuthResultMessage | { source: 'pulse-crm'; type: 'oauth-begin-ready' } | undefined;
      if (event.source !== popup || event.origin !== pulseOrigin || data?.source !== 'pulse-crm') return;
      if (data.type === 'oauth-begin-ready' && !ticketSent) {
        ticketSent = true;
        popup.postMessage({ source: 'pulse-crm', type: 'oauth-begin', ticket: flow.ticket }, pulseOrigin);
      } else if (data.type === 'oauth-result') {
        finish(data.ok ? { ok: true, integrationId: data.integrationId } : { ok: false, reason: data.reason, message: data.message });
      }
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

/** Words for the `?oauth_error=<reason>` a full-page redirect comes back with (the callback's reasons). */
export function oauthErrorMessage(reason: string): string {
  const messages: Record<string, string> = {
    denied: 'You declined access on the consent page, so nothing was connected. Press Connect again when you are ready.',
    expired_state: 'The sign-in link expired (they last 10 minutes). Start again.',
    replayed_state: 'That sign-in link was already used. Start again.',
    code_rejected: 'The CRM rejected the authorization. Nothing was connected; start again.',
    wrong_account: 'You signed in to a different account than the one this integration syncs. Nothing was changed.',
    unreachable: 'The CRM could not be reached to finish the connection. Check the network and try again.',
  };
  return messages[reason] ?? 'The connection did not finish, so nothing was connected. Start again.';
}

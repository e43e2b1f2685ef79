import type { FastifyReply } from 'fastify';
import type { CallbackOutcome, ResultTarget } from '../crm/oauth-flow.js';
import { escapeHtml, scriptJson, sendStandalonePage } from './standalone-page.js';

/**
 * Where the provider sends the browser back. In the full-page fallback it goes straight back to the
 * page that started the flow, with the result in the query (`connected=<id>` or `oauth_error=<reason>`)
 * for the wizard to resume. In the popup it posts the result to the opener — at the app origin recorded
 * with the state, which may differ from this server's (localhost vs 127.0.0.1, a host app elsewhere) —
 * and closes. A callback from another browser gets words only: no script, no link into the app.
 */
export function backUrl(outcome: CallbackOutcome, target: ResultTarget): string {
  const url = new URL(target.returnTo ?? '/', target.appOrigin);
  if (outcome.ok) url.searchParams.set('connected', outcome.integration.id);
  else url.searchParams.set('oauth_error', outcome.reason);
  return url.toString();
}

export function sendOAuthResult(reply: FastifyReply, outcome: CallbackOutcome): FastifyReply {
  const target = outcome.target;
  if (target?.display === 'page' && target.returnTo) {
    return reply.status(303).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(backUrl(outcome, target), 303);
  }
  const title = outcome.ok ? (outcome.reconnected ? 'Reconnected' : 'Connected') : 'Not connected';
  const text = outcome.ok ? `${escapeHtml(outcome.integration.displayName ?? 'Your CRM')} is connected.` : escapeHtml(outcome.message);
  const link = target ? `<p><a href="${escapeHtml(backUrl(outcome, target))}">Back to Pulse</a></p>` : '';
  const message = outcome.ok
    ? { source: 'pulse-crm', type: 'oauth-result', ok: true, integrationId: outcome.integration.id, reconnected: outcome.reconnected }
    : { source: 'pulse-crm', type: 'oauth-result', ok: false, reason: outcome.reason, message: outcome.message };
  return sendStandalonePage(reply, outcome.ok ? 200 : 400, {
    title,
    tone: outcome.ok ? 'ok' : 'fail',
    body: `<p>${text}</p>${link}`,
    script: target ? `(function () {
  if (window.opener && !window.opener.closed) {
    window.opener.postMessage(${scriptJson(message)}, ${scriptJson(target.appOrigin)});
    window.close();
  }
})();` : undefined,
  });
}

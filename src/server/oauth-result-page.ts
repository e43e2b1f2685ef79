import type { CallbackOutcome } from '../crm/oauth-flow.js';

/**
 * The page the provider redirects back to. In a popup it hands the result to the wizard that opened
 * it (postMessage to our own origin only) and closes; in a full tab it says what happened and links
 * back. Either way the words on the page are enough on their own.
 */
const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderOAuthResult(outcome: CallbackOutcome): string {
  const message = outcome.ok
    ? { source: 'pulse-crm', type: 'oauth-result', ok: true, integrationId: outcome.integration.id, reconnected: outcome.reconnected }
    : { source: 'pulse-crm', type: 'oauth-result', ok: false, reason: outcome.reason, message: outcome.message };
  const title = outcome.ok ? (outcome.reconnected ? 'Reconnected' : 'Connected') : 'Not connected';
  const body = outcome.ok
    ? `${escape(outcome.integration.displayName ?? 'Your CRM')} is connected. You can close this window and return to Pulse.`
    : escape(outcome.message);
  const back = outcome.returnTo ?? '/';
  const separator = back.includes('?') ? '&' : '?';
  const backWithResult = outcome.ok ? `${back}${separator}connected=${outcome.integration.id}` : `${back}${separator}oauth_error=${outcome.reason}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — Pulse</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1.5rem;color:#1f2937}
h1{font-size:1.4rem}.ok{color:#047857}.fail{color:#b91c1c}a{color:#4f46e5}</style></head>
<body><main><h1 class="${outcome.ok ? 'ok' : 'fail'}">${title}</h1><p>${body}</p><p><a href="${escape(backWithResult)}">Back to Pulse</a></p></main>
<script>
  (function () {
    var result = ${JSON.stringify(message).replace(/</g, '\\u003c')};
    if (window.opener && !window.opener.closed) {
      window.opener.postMessage(result, window.location.origin);
      window.close();
    }
  })();
</script></body></html>`;
}

import type { FastifyReply } from 'fastify';
import { escapeHtml, scriptJson, sendStandalonePage } from './standalone-page.js';

/**
 * The first page of the wizard's popup, on Pulse's own origin. It tells its opener it is ready; the
 * opener answers with the flow's ticket; `event.origin` — which the browser fills in and no page can
 * forge — goes with the ticket to `POST /crm/oauth/begin`, which sets this browser's cookie for the
 * flow if that origin is the one that started it. Then on to the CRM's consent page.
 */
const script = `(function () {
  var status = document.getElementById('status');
  var fail = function (text) { status.textContent = text; document.querySelector('h1').textContent = 'Not connected'; };
  if (!window.opener) return fail('This window was not opened by Pulse. Nothing was connected; start the connection again from Pulse.');
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (event.source !== window.opener || !data || data.source !== 'pulse-crm' || data.type !== 'oauth-begin' || typeof data.ticket !== 'string') return;
    fetch('/crm/oauth/begin', {
      method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ticket: data.ticket, origin: event.origin })
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body && body.error ? body.error.message : 'The sign-in could not start.');
        window.location.replace(body.authorizeUrl);
      });
    }).catch(function (error) { fail(error.message); });
  });
  window.opener.postMessage(${scriptJson({ source: 'pulse-crm', type: 'oauth-begin-ready' })}, '*');
})();`;

export function sendBeginPage(reply: FastifyReply): FastifyReply {
  return sendStandalonePage(reply, 200, {
    title: 'Connecting…', tone: 'neutral', connect: 'self', referrerPolicy: 'same-origin',
    body: '<p id="status" role="status">Opening your CRM\'s sign-in page…</p>', script,
  });
}

/** The full-page fallback's next step: a new navigation, so the host page's CSP `form-action` does not govern the CRM's URL. */
export function sendBeginRedirectPage(reply: FastifyReply, authorizeUrl: string): FastifyReply {
  return sendStandalonePage(reply, 200, {
    title: 'Connecting…', tone: 'neutral',
    body: `<p>Opening your CRM's sign-in page… <a href="${escapeHtml(authorizeUrl)}">Continue</a></p>`,
    script: `window.location.replace(${scriptJson(authorizeUrl)});`,
  });
}

export function sendBeginRefused(reply: FastifyReply, message: string): FastifyReply {
  return sendStandalonePage(reply, 403, { title: 'Not connected', tone: 'fail', body: `<p>${escapeHtml(message)}</p>` });
}

/**
 * The consent page Salesforce shows on the login host ("Allow Access?"), served on the emulator's
 * origin: a plain HTML form (no script) readable at 375 px, with the org to connect as a select.
 */
import type { SandboxAccount, SandboxApp } from '../core/store.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface ConsentParams {
  response_type: string;
  client_id: string;
  redirect_uri: string;
  scope?: string;
  state?: string;
  code_challenge?: string;
  code_challenge_method?: string;
  prompt?: string;
  login_hint?: string;
  display?: string;
  /**
   * Not Salesforce's: the login host the person chose in Pulse (production, sandbox, My Domain). This
   * one origin stands for all of them, so the page says which one it is playing.
   */
  sandbox_login_host?: string;
}

const SCOPE_TEXT: Record<string, string> = {
  api: 'Manage user data via APIs', refresh_token: 'Perform requests at any time', offline_access: 'Perform requests at any time',
  id: 'Access the identity URL service', openid: 'Access unique user identifiers', profile: 'Access your basic information', email: 'Access your email address', full: 'Full access', web: 'Access the Salesforce API Platform',
};

const style = [
  'body{font-family:system-ui,sans-serif;max-width:30rem;margin:2rem auto;padding:0 1rem;color:#181818;line-height:1.5}',
  'h1{font-size:1.3rem}label{display:block;font-weight:600;margin-bottom:.3rem}',
  'select{width:100%;font:inherit;padding:.5rem;box-sizing:border-box}li{overflow-wrap:anywhere}',
  '.actions{display:flex;flex-wrap:wrap;gap:.6rem;margin-top:1rem}button{font:inherit;min-height:2.75rem;padding:.6rem 1.4rem;flex:1 1 8rem}',
].join('');

export function consentPage(app: SandboxApp, orgs: SandboxAccount[], params: ConsentParams): string {
  const hidden = Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(String(v))}">`).join('\n    ');
  const scopes = (params.scope ?? 'api refresh_token').split(/\s+/).filter(Boolean);
  const options = orgs.map((o) => `<option value="${o.id}">${esc(o.name)} - ${esc(o.users[0]?.email ?? '')}</option>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Allow Access? | Salesforce</title><style>${style}</style></head><body>
  <h1>Allow Access?</h1>
  ${loginHostLine(params.sandbox_login_host)}
  <form method="post" action="/services/oauth2/authorize">
    ${hidden}
    <label for="org">Log in to</label>
    <select id="org" name="org">${options}</select>
    <p>${esc(app.name ?? 'This app')} is asking to:</p>
    <ul>${scopes.map((s) => `<li>${esc(SCOPE_TEXT[s] ?? s)}</li>`).join('')}</ul>
    <div class="actions">
      <button type="submit" name="decision" value="allow">Allow</button>
      <button type="submit" name="decision" value="deny">Deny</button>
    </div>
  </form>
</body></html>`;
}

/** "Signing in at test.salesforce.com", when the flow named the login host it chose. */
function loginHostLine(origin: string | undefined): string {
  if (!origin) return '';
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return '';
  }
  return `<p class="login-host">Signing in at <strong>${esc(host)}</strong></p>`;
}

export function errorPage(detail: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Error | Salesforce</title></head>
<body><h1>OAuth Error</h1><p>${esc(detail)}</p></body></html>`;
}

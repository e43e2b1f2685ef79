/**
 * The consent page HubSpot shows at app.hubspot.com/oauth/authorize, served here on the API origin.
 * A plain HTML form (no script), so a browser or a test can approve it: the fields it POSTs back to
 * /oauth/authorize are listed in src/sandbox/README.md.
 */
import type { SandboxAccount, SandboxApp } from '../core/store.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface ConsentParams {
  client_id: string;
  redirect_uri: string;
  scope: string;
  optional_scope?: string;
  state?: string;
  code_challenge?: string;
  code_challenge_method?: string;
}

export function consentPage(app: SandboxApp, accounts: SandboxAccount[], params: ConsentParams, pinnedAccount?: number): string {
  const hidden = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(String(v))}">`)
    .join('\n      ');
  const scopes = [...params.scope.split(/\s+/), ...(params.optional_scope?.split(/\s+/) ?? [])].filter(Boolean);
  const options = accounts
    .filter((a) => pinnedAccount === undefined || a.id === pinnedAccount)
    .map((a) => `<option value="${a.id}">${esc(a.name)} (${a.id}) - ${esc(a.users[0]?.email ?? '')}</option>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Connect ${esc(app.name ?? 'app')} to HubSpot</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;color:#33475b}button{padding:.6rem 1.4rem;margin-right:.6rem}</style>
</head><body>
  <h1>Connect ${esc(app.name ?? 'app')} to your HubSpot account</h1>
  <form method="post" action="/oauth/authorize">
      ${hidden}
    <label for="account_id">Choose an account</label>
    <select id="account_id" name="account_id">${options}</select>
    <h2>This app is requesting access to</h2>
    <ul>${scopes.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
    <button type="submit" name="decision" value="allow">Allow</button>
    <button type="submit" name="decision" value="deny">Deny</button>
  </form>
</body></html>`;
}

export function errorPage(title: string, detail: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head>
<body><h1>${esc(title)}</h1><p>${esc(detail)}</p></body></html>`;
}

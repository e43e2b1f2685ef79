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

/** Readable and tappable at 375 px as at 1280 (the popup is often a phone's whole screen). */
const style = [
  'body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#33475b;line-height:1.5}',
  'h1{font-size:1.4rem}h2{font-size:1.1rem}',
  'label{display:block;font-weight:600;margin-bottom:.3rem}',
  'select{width:100%;max-width:100%;font:inherit;padding:.5rem;box-sizing:border-box}',
  'li{overflow-wrap:anywhere}',
  '.actions{display:flex;flex-wrap:wrap;gap:.6rem}',
  'button{font:inherit;min-height:2.75rem;padding:.6rem 1.4rem;flex:1 1 8rem}',
].join('');

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
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Connect ${esc(app.name ?? 'app')} to HubSpot</title>
<style>${style}</style>
</head><body>
  <h1>Connect ${esc(app.name ?? 'app')} to your HubSpot account</h1>
  <form method="post" action="/oauth/authorize">
      ${hidden}
    <label for="account_id">Choose an account</label>
    <select id="account_id" name="account_id">${options}</select>
    <h2>This app is requesting access to</h2>
    <ul>${scopes.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
    <div class="actions">
      <button type="submit" name="decision" value="allow">Allow</button>
      <button type="submit" name="decision" value="deny">Deny</button>
    </div>
  </form>
</body></html>`;
}

export function errorPage(title: string, detail: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title></head>
<body><h1>${esc(title)}</h1><p>${esc(detail)}</p></body></html>`;
}

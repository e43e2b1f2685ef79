/**
 * The page oauth.pipedrive.com shows when an app asks to be installed, served on the emulator's
 * origin. A plain HTML form (no script), readable and tappable at 375 px: it POSTs back to
 * /oauth/authorize with the query's parameters, the chosen company (`account_id`) and `decision`.
 */
import type { SandboxAccount, SandboxApp } from '../core/store.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const style = [
  'body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#192435;line-height:1.5}',
  'h1{font-size:1.4rem}h2{font-size:1.1rem}',
  'label{display:block;font-weight:600;margin-bottom:.3rem}',
  'select{width:100%;max-width:100%;font:inherit;padding:.5rem;box-sizing:border-box}',
  'li{overflow-wrap:anywhere}',
  '.actions{display:flex;flex-wrap:wrap;gap:.6rem}',
  'button{font:inherit;min-height:2.75rem;padding:.6rem 1.4rem;flex:1 1 8rem}',
].join('');

export function consentPage(app: SandboxApp, accounts: SandboxAccount[], params: Record<string, string | undefined>): string {
  const hidden = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(String(v))}">`)
    .join('\n      ');
  const options = accounts.map((a) => `<option value="${a.id}">${esc(a.name)} (${esc(a.domain)}) - ${esc(a.users[0]?.email ?? '')}</option>`).join('');
  const scopes = [...(app.scopes ?? [])];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Install ${esc(app.name ?? 'app')} - Pipedrive</title>
<style>${style}</style>
</head><body>
  <h1>${esc(app.name ?? 'This app')} wants to access your Pipedrive company</h1>
  <form method="post" action="/oauth/authorize">
      ${hidden}
    <label for="account_id">Company</label>
    <select id="account_id" name="account_id">${options}</select>
    <h2>The app will be able to</h2>
    <ul>${scopes.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
    <div class="actions">
      <button type="submit" name="decision" value="allow">Allow and install</button>
      <button type="submit" name="decision" value="deny">Cancel</button>
    </div>
  </form>
</body></html>`;
}

export function errorPage(title: string, detail: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title></head>
<body><h1>${esc(title)}</h1><p>${esc(detail)}</p></body></html>`;
}

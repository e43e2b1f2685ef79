/**
 * The consent page Zoho shows at accounts.zoho.com/oauth/v2/auth, here on the emulator's origin: a
 * plain form (no script) with the data centre to sign in to (as Zoho's accounts page offers), the org
 * and Accept / Deny. Readable and tappable at 375 px: the popup is often a phone's whole screen.
 */
import type { SandboxAccount, SandboxApp } from '../core/store.js';
import type { DataCentre } from './datacentres.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const style = [
  'body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1f2d3d;line-height:1.5}',
  'h1{font-size:1.4rem}h2{font-size:1.1rem}label{display:block;font-weight:600;margin:.8rem 0 .3rem}',
  'select{width:100%;max-width:100%;font:inherit;padding:.5rem;box-sizing:border-box}li{overflow-wrap:anywhere}',
  '.actions{display:flex;flex-wrap:wrap;gap:.6rem;margin-top:1rem}button{font:inherit;min-height:2.75rem;padding:.6rem 1.4rem;flex:1 1 8rem}',
].join('');

/** `orgs` with the DC each lives in, so a person can tell which data centre to pick for an org (an org in another DC than the one picked is refused). */
export function consentPage(app: SandboxApp, action: string, params: Record<string, string>, dcs: DataCentre[], orgs: { org: SandboxAccount; dc: DataCentre }[], scopes: string[]): string {
  const hidden = Object.entries(params).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('\n    ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(app.name ?? 'App')} would like to access your Zoho CRM</title><style>${style}</style></head><body>
  <h1>${esc(app.name ?? 'App')} would like to access your Zoho CRM data</h1>
  <form method="post" action="${esc(action)}">
    ${hidden}
    <label for="location">Data centre</label>
    <select id="location" name="location">${dcs.map((dc) => `<option value="${dc.location}">${esc(dc.name)} (${esc(new URL(dc.accountsServer).host)})</option>`).join('')}</select>
    <label for="org_id">Organization</label>
    <select id="org_id" name="org_id">${orgs.map(({ org: o, dc }) => `<option value="${o.id}">${esc(o.name)} (${o.id}) - ${esc(o.users[0]?.email ?? '')} - ${esc(dc.name)}</option>`).join('')}</select>
    <h2>It will be able to</h2>
    <ul>${scopes.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
    <div class="actions">
      <button type="submit" name="decision" value="allow">Accept</button>
      <button type="submit" name="decision" value="deny">Deny</button>
    </div>
  </form>
</body></html>`;
}

export function errorPage(title: string, detail: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title></head>
<body><h1>${esc(title)}</h1><p>${esc(detail)}</p></body></html>`;
}

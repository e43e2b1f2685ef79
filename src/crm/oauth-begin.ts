import { oauthStatesRepository } from '../db/oauth-states-repository.js';
import { asSystem } from '../db/tenant.js';
import { decryptSecret } from '../lib/secrets.js';
import type { AppContext } from '../app-context.js';
import { browserCookieName, newBrowserNonce, sha256, verifierPlace } from './oauth-binding.js';
import { loginEndpoints } from './login-host.js';
import { authorizeUrl, pkceChallenge } from './oauth.js';
import { platforms } from './platforms.js';

/**
 * The browser begins a connect flow: `oauth/start` (an API call with a bearer token, maybe from a
 * host app on another origin) returned a ticket; the page that called it hands the ticket to Pulse's
 * own origin together with proof of where it comes from — postMessage's `event.origin` in the popup,
 * the `Origin` header of a form POST in the full-page fallback. If that origin is the one recorded
 * at start, this browser gets the flow's cookie and goes on to the provider's consent page.
 * The ticket is the state itself: once begun it is bound to this browser, before that it cannot finish.
 */
export type Display = 'popup' | 'page';

export type BeginOutcome =
  | { ok: true; authorizeUrl: string; cookie: { name: string; value: string; maxAgeSeconds: number } }
  | { ok: false; message: string };

const refused = 'This sign-in could not start: the link is unknown, already used or expired, or it was opened from a site that did not start it. Nothing was connected; start the connection again from Pulse.';

export async function beginOAuth(ctx: AppContext, ticket: string, origin: string | undefined, display: Display): Promise<BeginOutcome> {
  if (!origin) return { ok: false, message: refused };
  const browser = newBrowserNonce();
  // One statement: a ticket begins once, from its own origin, before it expires.
  const row = await asSystem(ctx.db.pool, (tx) => oauthStatesRepository(tx).begin(sha256(ticket), origin, browser.hash, display));
  if (!row) return { ok: false, message: refused };
  const spec = platforms[row.platform];
  const required = spec.scopes.filter((scope) => scope.required).map((scope) => scope.name);
  const verifier = row.sealedVerifier ? decryptSecret(ctx.keys, row.sealedVerifier, verifierPlace(sha256(ticket))) : null;
  const endpoints = ctx.endpoints(row.platform);
  const url = new URL(authorizeUrl(row.platform, loginEndpoints(endpoints, row.loginHost), {
    redirectUri: row.redirectUri,
    state: ticket,
    requiredScopes: required,
    optionalScopes: row.scopes.filter((scope) => !required.includes(scope)),
    codeChallenge: verifier ? await pkceChallenge(verifier) : undefined,
  }));
  // The emulator stands for every login host; this tells it (and its consent page) which one was chosen.
  if (endpoints.mode === 'sandbox' && row.loginHost) url.searchParams.set('sandbox_login_host', row.loginHost);
  return { ok: true, authorizeUrl: url.toString(), cookie: { name: browserCookieName(ticket), value: browser.nonce, maxAgeSeconds: row.secondsLeft } };
}

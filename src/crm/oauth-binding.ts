import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The browser half of a connect flow's state (RFC 9700 §4.7): when the browser begins the flow it gets
 * a random nonce in an HttpOnly, SameSite=Lax cookie, and only the nonce's hash is stored with the
 * state. The callback accepts the provider's answer only from a browser that still holds that cookie,
 * so a consent link forwarded to another person's browser connects nothing.
 */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** One cookie per flow, so two flows in two tabs do not overwrite each other's binding. */
export function browserCookieName(state: string): string {
  return `pulse_oauth_${sha256(state).slice(0, 16)}`;
}

export function newBrowserNonce(): { nonce: string; hash: string } {
  const nonce = randomBytes(32).toString('base64url');
  return { nonce, hash: sha256(nonce) };
}

export function holdsBrowserNonce(nonce: string | undefined, storedHash: string | null): boolean {
  if (!nonce || !storedHash) return false;
  const given = Buffer.from(sha256(nonce), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** Reads one cookie from a `Cookie` header (no cookie plugin for two cookies a flow). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** Scoped to the callback path, gone when the state expires; `Secure` whenever PUBLIC_URL is https. */
export function browserCookie(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  return [`${name}=${value}`, 'Path=/crm/oauth/callback', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`, 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join('; ');
}

/** Where a flow's PKCE verifier is stored; it is sealed to that row (see lib/secrets.ts). */
export const verifierPlace = (stateHash: string) => ({ table: 'oauth_states', column: 'code_verifier', row: stateHash });

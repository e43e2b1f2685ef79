import { isLoopback, type Config } from '../config.js';

/**
 * Where a connect flow may come from and go back to. The browser proves the origin of the page that
 * starts a flow (postMessage's `event.origin`, a form POST's `Origin` header); only origins listed here
 * may start one, so a page on someone else's site cannot bind a victim's browser to its flow.
 */
export function allowedAppOrigins(config: Pick<Config, 'publicUrl' | 'appOrigins'>): Set<string> {
  const publicUrl = new URL(config.publicUrl);
  const origins = new Set([publicUrl.origin, ...config.appOrigins]);
  // http://localhost:3000 and http://127.0.0.1:3000 are the same server to the person typing them
  // (issue 11: the README said one, PUBLIC_URL defaulted to the other); no other site can be there.
  if (isLoopback(publicUrl.hostname.replace(/^\[|\]$/g, ''))) {
    for (const host of ['localhost', '127.0.0.1', '[::1]']) {
      origins.add(new URL(`${publicUrl.protocol}//${host}${publicUrl.port ? `:${publicUrl.port}` : ''}`).origin);
    }
  }
  return origins;
}

/**
 * `returnTo` as a path on this site, or null. Resolved with `new URL` against PUBLIC_URL (so `//evil.com`
 * and `/\evil.com`, which browsers read as other hosts, fail the origin check), and refused when a
 * decoded form could be read as another host later (`/%5Cevil.com`, `/%2F%2Fevil.com`).
 */
export function safeReturnPath(value: string, publicUrl: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (!value.startsWith('/') || /[\\\s\u0000-\u001f\u007f]/.test(value)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  if (decoded.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(decoded)) return null;
  const base = new URL(publicUrl);
  const resolved = new URL(value, base);
  if (resolved.origin !== base.origin) return null;
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}

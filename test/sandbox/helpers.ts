/** Shared steps for sandbox tests: admin calls, approving the consent form, reading the store. */
import { HUBSPOT_DEFAULT_REDIRECT_URIS, HUBSPOT_REQUIRED_SCOPES } from '../../src/sandbox/hubspot/app.js';
import { SANDBOX_APPS, type Sandbox } from '../../src/sandbox/index.js';

export const APP = SANDBOX_APPS.hubspot;
export const REDIRECT_URI = HUBSPOT_DEFAULT_REDIRECT_URIS[0]!;

export async function admin<T = any>(sb: Sandbox, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${sb.urls.hubspot}/_sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A token minted by admin (skipping the consent page); scopes default to all the app's scopes. */
export async function mintToken(sb: Sandbox, extra: { scopes?: string[]; accountId?: number } = {}) {
  const { body } = await admin(sb, 'POST', '/tokens', extra);
  return body as { access_token: string; refresh_token: string; expires_in: number; hub_id: number };
}

/** Approves the consent form as a browser would, returning the redirect's query parameters. */
export async function approveConsent(sb: Sandbox, fields: Record<string, string> = {}, decision = 'allow'): Promise<URLSearchParams> {
  const form = new URLSearchParams({ client_id: APP.clientId, redirect_uri: REDIRECT_URI, scope: HUBSPOT_REQUIRED_SCOPES.join(' '), state: 'st-1', decision, ...fields });
  const res = await fetch(`${sb.urls.hubspot}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  if (res.status !== 302) throw new Error(`consent POST answered ${res.status}: ${await res.text()}`);
  return new URL(res.headers.get('location')!).searchParams;
}

export async function api(sb: Sandbox, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${sb.urls.hubspot}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** The admin NDJSON export of a collection. */
export async function exportRecords(sb: Sandbox, type: string, archived = 'false', accountId?: number) {
  const res = await fetch(`${sb.urls.hubspot}/_sandbox/records/${type}?archived=${archived}${accountId === undefined ? '' : `&accountId=${accountId}`}`);
  const text = await res.text();
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; createdAt: string; updatedAt: string; archived: boolean; properties: Record<string, string>; associations: Record<string, string[]> });
}

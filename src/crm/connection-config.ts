import { isIP } from 'node:net';
import type { ProviderEndpoints } from './endpoints.js';
import { platforms, type PlatformId, type PlatformSpec } from './platforms.js';
import { ProviderError } from './provider-error.js';

/**
 * Per-connection configuration: where a connected account lives, for CRMs that tell us only at
 * token time (Salesforce `instance_url`, Pipedrive and Zoho `api_domain`, Zoho's accounts server in
 * the callback). The registry names the fields a CRM keeps and the origins each may point at; we
 * send requests (with the user's token) to these URLs, so each value is an SSRF risk until checked:
 * only an https origin on an allowed host, no IP literal, no credentials, no other port. In sandbox
 * mode the emulator's origin is the only one allowed, and the real hosts are not.
 *
 * A real CRM names an origin (Zoho's api_domain is https://www.zohoapis.eu), and requests are built on
 * it, never on its path. An emulator has one origin for every region it plays, so it names a region by
 * a path prefix (`http://127.0.0.1:4104/eu`): in sandbox mode that prefix is kept (plain path
 * segments only, on the emulator's own origin), so a non-US account works through Pulse unchanged.
 */
export type ConnectionConfig = Record<string, string>;

export interface ConnectionField {
  /** The field's name in the token response, or the callback's query parameter, or the start request's choice. */
  name: string;
  /**
   * `start`: the person chose it before signing in (a login host, platforms.ts LoginHostSpec). It is
   * kept as chosen even in sandbox mode, where the emulator stands for every choice and serves it.
   */
  from: 'token' | 'callback' | 'start';
  /**
   * Origins the value may name: `https://*.pipedrive.com`, where `*` stands for one or more DNS
   * labels, or an exact origin `https://www.zohoapis.eu`.
   */
  allow: string[];
  /** Without it the connection cannot work: a response lacking it is refused. */
  required: boolean;
}

export interface ConnectionSpec {
  fields: ConnectionField[];
  /** The field whose origin serves this connection's API (instead of the registry's apiBaseUrl). */
  apiBase?: string;
  /** The field whose origin serves token refresh and revocation (Zoho: the user's data centre). */
  tokenOrigin?: string;
}

export type KeptConfig =
  | { ok: true; config: ConnectionConfig }
  | { ok: false; field: string; problem: string };

/**
 * Reads and checks the fields a CRM keeps from a token response (and the callback's query).
 * `sandboxOrigin` is the emulator's origin when the platform runs on its sandbox, else null.
 */
export function keepConnectionConfig(
  spec: PlatformSpec, sources: { token: Record<string, unknown>; callback?: URLSearchParams; start?: ConnectionConfig }, sandboxOrigin: string | null,
  only?: ConnectionField['from'],
): KeptConfig {
  const config: ConnectionConfig = {};
  for (const field of (spec.connection?.fields ?? []).filter((f) => !only || f.from === only)) {
    const raw = field.from === 'token' ? sources.token[field.name] : field.from === 'callback' ? sources.callback?.get(field.name) : sources.start?.[field.name];
    if (raw === undefined || raw === null || raw === '') {
      if (field.required) return { ok: false, field: field.name, problem: 'is missing' };
      continue;
    }
    if (typeof raw !== 'string') return { ok: false, field: field.name, problem: 'is not a URL' };
    // A chosen login host keeps its real value in sandbox mode (the emulator stands for every host).
    const sandboxed = sandboxOrigin && field.from !== 'start' ? sandboxOrigin : null;
    const problem = locationProblem(raw, sandboxed ? [sandboxed] : field.allow) ?? (sandboxed ? sandboxPathProblem(raw) : null);
    if (problem) return { ok: false, field: field.name, problem };
    config[field.name] = raw;
  }
  return { ok: true, config };
}

/** One or more DNS labels: letters, digits and inner hyphens. */
const DNS_LABELS = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** Why a URL may not be used (null when it may): checked against origin patterns. */
export function locationProblem(value: string, allow: string[]): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.username || url.password) return 'carries credentials';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const allowed = allow.some((pattern) => {
    const want = new URL(pattern.replace('*.', 'wildcard.'));
    if (url.protocol !== want.protocol || url.port !== want.port) return false;
    // An IP literal is only ever allowed by an exact pattern naming it (the local sandbox).
    if (!pattern.includes('*.')) return host === want.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) return false;
    const suffix = want.hostname.slice('wildcard'.length);
    return host.endsWith(suffix) && DNS_LABELS.test(host.slice(0, -suffix.length));
  });
  return allowed ? null : `points at ${url.protocol}//${url.host}, which is not one of this CRM's hosts`;
}

/** A region prefix on the emulator's origin: plain path segments, nothing else (no query, fragment, dot segments or escapes). */
const SANDBOX_PREFIX = /^(\/[A-Za-z0-9_-]+)*\/?$/;
function sandboxPathProblem(value: string): string | null {
  const url = new URL(value);
  const normalised = value !== url.origin + url.pathname && value !== url.origin;
  return normalised || url.search || url.hash || !SANDBOX_PREFIX.test(url.pathname) ? 'names a path the sandbox does not serve regions under' : null;
}

/** The emulator's origin when the platform runs on its sandbox (the only place values may point then), else null. */
export const sandboxOrigin = (endpoints: ProviderEndpoints): string | null => (endpoints.mode === 'sandbox' ? new URL(endpoints.apiBaseUrl).origin : null);

/**
 * The base a kept field names: its origin (requests are built on it, never on its path), or in
 * sandbox mode the origin and the emulator's region prefix (checked by keepConnectionConfig).
 */
export function baseOf(config: ConnectionConfig, field: string | undefined, mode: ProviderEndpoints['mode']): string | null {
  const value = field ? config[field] : undefined;
  if (!value) return null;
  const url = new URL(value);
  return mode === 'sandbox' ? url.origin + url.pathname.replace(/\/$/, '') : url.origin;
}

/**
 * A platform's endpoints for one connection: its API (and, for Zoho, token) origin moved to where
 * the account lives. Stored values are checked again here, so a row edited behind our back cannot
 * send a request (and the user's token) anywhere the allowlist does not name.
 */
export function connectionEndpoints(platform: PlatformId, endpoints: ProviderEndpoints, config: ConnectionConfig): ProviderEndpoints {
  const connection = platforms[platform].connection;
  if (!connection || endpoints.mode === 'missing') return endpoints;
  const kept = keepConnectionConfig(platforms[platform], { token: config, callback: new URLSearchParams(config), start: config }, sandboxOrigin(endpoints));
  if (!kept.ok) throw new ProviderError('invalid_request', `This connection's stored ${kept.field} ${kept.problem}; reconnect the integration.`);
  const api = baseOf(config, connection.apiBase, endpoints.mode);
  return { ...movedTokenEndpoints(connection, endpoints, config), apiBaseUrl: api ?? endpoints.apiBaseUrl };
}

/** A URL moved onto another origin, path and query kept; swapped as text so a path template like /refresh-tokens/{token} survives unencoded. */
export function onOrigin<T extends string | undefined>(url: T, origin: string | null): T {
  return (url && origin ? origin + url.slice(new URL(url).origin.length) : url) as T;
}

/**
 * Where the authorization code is exchanged: at the token origin the callback names (Zoho's
 * `accounts-server`: a code issued in the EU is only good there), once that value is checked.
 * CRMs whose callback names nothing keep the registry's token URL.
 */
export function exchangeEndpoints(platform: PlatformId, endpoints: ProviderEndpoints, callback: URLSearchParams): { ok: true; endpoints: ProviderEndpoints } | Extract<KeptConfig, { ok: false }> {
  const connection = platforms[platform].connection;
  if (!connection || endpoints.mode === 'missing') return { ok: true, endpoints };
  const kept = keepConnectionConfig(platforms[platform], { token: {}, callback }, sandboxOrigin(endpoints), 'callback');
  if (!kept.ok) return kept;
  return { ok: true, endpoints: movedTokenEndpoints(connection, endpoints, kept.config) };
}

function movedTokenEndpoints(connection: ConnectionSpec, endpoints: ProviderEndpoints, config: ConnectionConfig): ProviderEndpoints {
  // A chosen login host is served by the emulator in sandbox mode (its URLs already point there).
  const chosen = connection.fields.find((field) => field.name === connection.tokenOrigin)?.from === 'start';
  const accounts = endpoints.mode === 'sandbox' && chosen ? null : baseOf(config, connection.tokenOrigin, endpoints.mode);
  return { ...endpoints, tokenUrl: onOrigin(endpoints.tokenUrl, accounts), revokeUrl: onOrigin(endpoints.revokeUrl, accounts) };
}

import { locationProblem, onOrigin, type ConnectionConfig } from './connection-config.js';
import type { ProviderEndpoints } from './endpoints.js';
import { loginHostOrigins, type PlatformSpec } from './platforms.js';

/**
 * The person's choice of sign-in host (platforms.ts LoginHostSpec), from the start request to the
 * flow's endpoints. A typed host is an address we will send the user's code and refresh token to,
 * so it passes the CRM's allowlist (https, the CRM's own domain, no IP, no credentials, no port).
 */
export interface LoginHostChoice {
  /** One of the platform's option ids, or its custom id with `url`. */
  option: string;
  url?: string;
}

export type ChosenLoginHost =
  | { ok: true; origin: string | null }
  | { ok: false; field: string; problem: string };

/** The origin the choice names (null: the CRM's default), or what is wrong with it, naming the request field. */
export function chooseLoginHost(spec: PlatformSpec, choice: LoginHostChoice | undefined): ChosenLoginHost {
  if (!choice) return { ok: true, origin: null };
  const hosts = spec.loginHosts;
  if (!hosts) return { ok: false, field: 'loginHost', problem: `${spec.name} has one sign-in address; leave loginHost out` };
  const fixed = hosts.options.find((option) => option.id === choice.option);
  if (fixed) return { ok: true, origin: fixed.origin };
  const custom = hosts.custom;
  if (!custom || choice.option !== custom.id) {
    const ids = [...hosts.options.map((option) => option.id), ...(custom ? [custom.id] : [])];
    return { ok: false, field: 'loginHost.option', problem: `must be one of ${ids.join(', ')}` };
  }
  const url = choice.url?.trim();
  if (!url) return { ok: false, field: 'loginHost.url', problem: `is required for ${custom.label}, like ${custom.placeholder}` };
  // A bare host name is what people copy from the browser's address bar; https is the only scheme allowed anyway.
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `https://${url}`;
  const problem = locationProblem(absolute, custom.allow);
  if (problem) return { ok: false, field: 'loginHost.url', problem: `${problem}: use an address like ${custom.placeholder}` };
  const parsed = new URL(absolute);
  if (parsed.pathname !== '/' || parsed.search || parsed.hash) {
    return { ok: false, field: 'loginHost.url', problem: `must be the address alone, like ${custom.placeholder}` };
  }
  return { ok: true, origin: parsed.origin };
}

/** The login host a connection keeps, when it is still one of the CRM's (a stored value is checked again before use). */
export function keptLoginHost(spec: PlatformSpec, config: ConnectionConfig): string | null {
  const value = spec.loginHosts ? config[spec.loginHosts.field] : undefined;
  return value && !locationProblem(value, loginHostOrigins(spec.loginHosts!)) ? new URL(value).origin : null;
}

/**
 * The flow's endpoints on the chosen login host: authorize, token and revoke move there (a code is
 * exchanged, and a token refreshed, where it was issued). In sandbox mode the emulator stands for
 * every host, so nothing moves.
 */
export function loginEndpoints(endpoints: ProviderEndpoints, origin: string | null): ProviderEndpoints {
  if (!origin || endpoints.mode !== 'configured') return endpoints;
  return {
    ...endpoints,
    authorizeUrl: onOrigin(endpoints.authorizeUrl, origin),
    tokenUrl: onOrigin(endpoints.tokenUrl, origin),
    revokeUrl: onOrigin(endpoints.revokeUrl, origin),
  };
}

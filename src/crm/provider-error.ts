/**
 * Every provider failure reduces to one of these codes, and the sync engine handles each in one
 * place: temporary → retry with backoff; rate_limited → wait for the window; quota_exhausted → stop
 * the run as partial, resume next time; auth_revoked / insufficient_scope → pause and ask to
 * reconnect; cursor_invalid → list the object in full again; provider_contract → the CRM answered
 * without a field we read (the object fails, naming the path, rather than storing nulls); not_found; unknown.
 */
export const providerErrorCodes = [
  'temporary', 'rate_limited', 'quota_exhausted', 'auth_revoked', 'insufficient_scope', 'cursor_invalid', 'not_found', 'invalid_request',
  'provider_contract', 'unknown',
] as const;
export type ProviderErrorCode = (typeof providerErrorCodes)[number];

export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly details: {
      status?: number; retryAfterMs?: number; providerCode?: string;
      /** The request never got a whole answer: refused, reset, timed out, or its body broke off. */
      unreachable?: boolean;
    } = {},
  ) {
    super(message);
  }
}

/** Codes worth another attempt of the same request. */
export const retryable = (code: ProviderErrorCode) => code === 'temporary' || code === 'rate_limited';

/** Gateway statuses that mean the CRM is down or out of reach, not that it failed our request. */
const outageStatuses = new Set([502, 503, 504]);

/**
 * A failure that says the CRM could not be reached (connection refused or reset, a timeout, a
 * gateway's 502/503/504, a body that broke off) rather than that it refused the request: worth
 * waiting out for minutes. A 500 is the CRM failing on this request, so it keeps the short budget;
 * 429s, auth and permission failures are never an outage.
 */
export function isOutage(error: unknown): boolean {
  if (!(error instanceof ProviderError) || error.code !== 'temporary') return false;
  return error.details.unreachable === true || (error.details.status !== undefined && outageStatuses.has(error.details.status));
}

/** Retry-After as seconds or an HTTP date, in milliseconds. */
export function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

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
    readonly details: { status?: number; retryAfterMs?: number; providerCode?: string } = {},
  ) {
    super(message);
  }
}

/** Codes worth another attempt of the same request. */
export const retryable = (code: ProviderErrorCode) => code === 'temporary' || code === 'rate_limited';

/** Retry-After as seconds or an HTTP date, in milliseconds. */
export function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

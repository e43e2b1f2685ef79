import { ProviderError, retryAfterMs, type ProviderErrorCode } from '../provider-error.js';

/**
 * HubSpot's error bodies → our codes. Pure: status, body and headers in, ProviderError out.
 * Bodies: `{ status: "error", message, correlationId, category, errors?, policyName? }`.
 * https://developers.hubspot.com/docs/api/error-handling
 */
interface HubspotErrorBody {
  message?: string;
  category?: string;
  policyName?: string;
  errorType?: string;
}

const byCategory: Record<string, ProviderErrorCode> = {
  EXPIRED_AUTHENTICATION: 'auth_revoked',
  INVALID_AUTHENTICATION: 'auth_revoked',
  MISSING_SCOPES: 'insufficient_scope',
  OBJECT_NOT_FOUND: 'not_found',
  VALIDATION_ERROR: 'invalid_request',
  CONFLICT: 'invalid_request',
};

const statusTexts: Record<number, string> = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

export function parseHubspotError(status: number, body: unknown, headers: Headers): ProviderError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as HubspotErrorBody;
  // Gateways answer with HTML pages: say the status, not the markup.
  const plain = typeof body === 'string' && body && !/^\s*</.test(body) ? body.slice(0, 200) : undefined;
  const message = b.message ?? plain ?? (statusTexts[status] ? `HTTP ${status} ${statusTexts[status]}` : `HTTP ${status}`);
  const details = { status, retryAfterMs: retryAfterMs(headers.get('retry-after')), providerCode: b.category ?? b.policyName };
  if (status === 429) {
    // The daily quota does not come back within this run; the 10-second and search windows do.
    if (b.policyName === 'DAILY') return new ProviderError('quota_exhausted', `HubSpot's daily API limit is spent: ${message}`, details);
    return new ProviderError('rate_limited', `HubSpot rate limit: ${message}`, { ...details, retryAfterMs: details.retryAfterMs ?? 1000 });
  }
  if (status >= 500 || status === 408) {
    return new ProviderError('temporary', message.startsWith('HTTP ') ? `HubSpot answered ${message}` : `HubSpot answered ${status}: ${message}`, details);
  }
  const code = (b.category ? byCategory[b.category] : undefined) ?? (status === 401 ? 'auth_revoked' : status === 403 ? 'insufficient_scope' : status === 404 ? 'not_found' : status === 400 ? 'invalid_request' : 'unknown');
  return new ProviderError(code, `HubSpot: ${message}`, details);
}

import { ProviderError, retryAfterMs, type ProviderErrorCode } from '../provider-error.js';

/**
 * Zoho's error bodies → our codes. Pure: status, body and headers in, ProviderError out.
 * Body: `{code, details, message, status: "error"}` (OAS `API_Exception`).
 * https://www.zoho.com/crm/developer/docs/api/v8/status-codes.html
 */
interface ZohoErrorBody {
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
}

const byCode: Record<string, ProviderErrorCode> = {
  INVALID_TOKEN: 'auth_revoked',
  AUTHENTICATION_FAILURE: 'auth_revoked',
  OAUTH_SCOPE_MISMATCH: 'insufficient_scope',
  NO_PERMISSION: 'insufficient_scope',
  INVALID_URL_PATTERN: 'not_found',
  INVALID_MODULE: 'invalid_request',
  INVALID_DATA: 'invalid_request',
  REQUIRED_PARAM_MISSING: 'invalid_request',
  MANDATORY_NOT_FOUND: 'invalid_request',
  DUPLICATE_DATA: 'invalid_request',
  EXPIRED_VALUE: 'cursor_invalid',
  PAGINATION_LIMIT_EXCEEDED: 'cursor_invalid',
  DISCRETE_PAGINATION_LIMIT_EXCEEDED: 'cursor_invalid',
};

const statusTexts: Record<number, string> = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

export function parseZohoError(status: number, body: unknown, headers: Headers): ProviderError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as ZohoErrorBody;
  const plain = typeof body === 'string' && body && !/^\s*</.test(body) ? body.slice(0, 200) : undefined;
  const message = b.message ?? plain ?? (statusTexts[status] ? `HTTP ${status} ${statusTexts[status]}` : `HTTP ${status}`);
  const details = { status, retryAfterMs: retryAfterMs(headers.get('retry-after')), providerCode: b.code };
  if (status === 429) {
    // Spent credits come back only as the rolling 24 h moves on; too many calls at once, in a moment.
    if (b.code === 'LIMIT_EXCEEDED') return new ProviderError('quota_exhausted', `Zoho CRM's API credits for the last 24 hours are spent: ${message}`, details);
    return new ProviderError('rate_limited', `Zoho CRM rate limit: ${message}`, { ...details, retryAfterMs: details.retryAfterMs ?? 1000 });
  }
  if (status >= 500 || status === 408) {
    return new ProviderError('temporary', message.startsWith('HTTP ') ? `Zoho CRM answered ${message}` : `Zoho CRM answered ${status}: ${message}`, details);
  }
  const code = (b.code ? byCode[b.code] : undefined) ?? (status === 401 ? 'auth_revoked' : status === 403 ? 'insufficient_scope' : status === 404 ? 'not_found' : status === 400 ? 'invalid_request' : 'unknown');
  return new ProviderError(code, `Zoho CRM: ${b.code ? `${b.code}: ` : ''}${message}`, details);
}

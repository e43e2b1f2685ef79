import { ProviderError, retryAfterMs } from '../provider-error.js';
import { pipedriveLimits } from './spec.js';

/**
 * Pipedrive's error answers → our codes. Pure: status, body and headers in. Bodies share one
 * envelope, `{ success: false, error, error_info, data, additional_data }` (the gateway's 401 adds
 * `errorCode`); a spent daily token budget is a 429 with `x-daily-ratelimit-token-remaining: 0`,
 * which does not come back before midnight, unlike the 2-second burst window.
 * https://pipedrive.readme.io/docs/core-api-concepts-http-status-codes
 */
interface PipedriveErrorBody {
  error?: unknown;
  error_info?: unknown;
  code?: unknown;
}

const statusTexts: Record<number, string> = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

/** The next midnight UTC: when Pipedrive's daily budget starts again (its server time). */
export function budgetResetsAt(now = Date.now()): string {
  const day = 86_400_000;
  return new Date(Math.floor(now / day) * day + day).toISOString();
}

export function parsePipedriveError(status: number, body: unknown, headers: Headers): ProviderError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as PipedriveErrorBody;
  const plain = typeof body === 'string' && body && !/^\s*</.test(body) ? body.slice(0, 200) : undefined;
  const message = typeof b.error === 'string' ? b.error : plain ?? (statusTexts[status] ? `HTTP ${status} ${statusTexts[status]}` : `HTTP ${status}`);
  const details = { status, retryAfterMs: retryAfterMs(headers.get('retry-after')), providerCode: typeof b.code === 'string' ? b.code : undefined };
  if (status === 429) {
    if (headers.get(pipedriveLimits.headers.dailyRemaining) === '0') {
      return new ProviderError('quota_exhausted', `Pipedrive's daily API token budget is spent (${message}); it resets at ${budgetResetsAt()}.`, details);
    }
    return new ProviderError('rate_limited', `Pipedrive rate limit: ${message}`, { ...details, retryAfterMs: details.retryAfterMs ?? 2_000 });
  }
  if (status >= 500 || status === 408) {
    return new ProviderError('temporary', message.startsWith('HTTP ') ? `Pipedrive answered ${message}` : `Pipedrive answered ${status}: ${message}`, details);
  }
  const code = status === 401 ? 'auth_revoked' : status === 403 ? 'insufficient_scope' : status === 404 || status === 410 ? 'not_found' : status === 400 || status === 422 ? 'invalid_request' : 'unknown';
  return new ProviderError(code, `Pipedrive: ${message}`, details);
}

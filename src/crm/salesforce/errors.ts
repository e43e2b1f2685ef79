import { ProviderError, type ProviderErrorCode } from '../provider-error.js';

/**
 * Salesforce's error bodies → our codes. Pure: status, body and headers in, ProviderError out.
 * REST errors are an array `[{ message, errorCode, fields? }]`; gateways answer with HTML pages.
 * Salesforce sends no 429 and no Retry-After: a spent daily allocation is 403 REQUEST_LIMIT_EXCEEDED
 * "TotalRequests Limit exceeded."; the same code for a concurrency limit comes back within seconds.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */
interface SalesforceError { message?: string; errorCode?: string }

const byCode: Record<string, ProviderErrorCode> = {
  INVALID_SESSION_ID: 'auth_revoked',
  INSUFFICIENT_ACCESS: 'insufficient_scope',
  INSUFFICIENT_ACCESS_OR_READONLY: 'insufficient_scope',
  API_DISABLED_FOR_ORG: 'insufficient_scope',
  API_CURRENTLY_DISABLED: 'insufficient_scope',
  NOT_FOUND: 'not_found',
  ENTITY_IS_DELETED: 'not_found',
  INVALID_QUERY_LOCATOR: 'cursor_invalid',
  MALFORMED_QUERY: 'invalid_request',
  INVALID_FIELD: 'invalid_request',
  INVALID_TYPE: 'invalid_request',
  JSON_PARSER_ERROR: 'invalid_request',
  REQUIRED_FIELD_MISSING: 'invalid_request',
  INVALID_FIELD_FOR_INSERT_UPDATE: 'invalid_request',
  FIELD_INTEGRITY_EXCEPTION: 'invalid_request',
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 'invalid_request',
  INVALIDJOB: 'invalid_request',
  JOB_NOT_COMPLETE: 'temporary',
  UNKNOWN_EXCEPTION: 'temporary',
  SERVER_UNAVAILABLE: 'temporary',
};

/** Our name for a refused bulk job creation (Salesforce says REQUEST_LIMIT_EXCEEDED, as for everything else). */
export const BULK_JOBS_SPENT = 'BULK_JOBS_SPENT';

const statusTexts: Record<number, string> = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

export function firstError(body: unknown): SalesforceError {
  const first = Array.isArray(body) ? body[0] : body;
  return typeof first === 'object' && first !== null ? (first as SalesforceError) : {};
}

export function parseSalesforceError(status: number, body: unknown, _headers: Headers): ProviderError {
  const e = firstError(body);
  const plain = typeof body === 'string' && body && !/^\s*</.test(body) ? body.slice(0, 200) : undefined;
  const message = e.message ?? plain ?? (statusTexts[status] ? `HTTP ${status} ${statusTexts[status]}` : `HTTP ${status}`);
  const details = { status, providerCode: e.errorCode };
  if (e.errorCode === 'REQUEST_LIMIT_EXCEEDED') {
    // The daily allocation does not come back within this run; a concurrency refusal does.
    if (/TotalRequests/i.test(message)) return new ProviderError('quota_exhausted', `Salesforce's daily API allocation is spent: ${message}`, details);
    // Bulk jobs have their own daily allowance: spent, a listing goes through REST instead (connector.ts).
    if (/bulk/i.test(message)) return new ProviderError('quota_exhausted', `Salesforce's daily Bulk API job allowance is spent: ${message}`, { ...details, providerCode: BULK_JOBS_SPENT });
    return new ProviderError('rate_limited', `Salesforce request limit: ${message}`, { ...details, retryAfterMs: 1000 });
  }
  if (status >= 500 || status === 408) return new ProviderError('temporary', message.startsWith('HTTP ') ? `Salesforce answered ${message}` : `Salesforce answered ${status}: ${message}`, details);
  const code = (e.errorCode ? byCode[e.errorCode] : undefined) ?? (status === 401 ? 'auth_revoked' : status === 403 ? 'insufficient_scope' : status === 404 ? 'not_found' : status === 400 ? 'invalid_request' : 'unknown');
  return new ProviderError(code, `Salesforce: ${e.errorCode ? `${e.errorCode}: ` : ''}${message}`, details);
}

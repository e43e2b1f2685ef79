/**
 * Zoho's answers to the pipeline's refusals: 401 INVALID_TOKEN (also for an expired token: Zoho does
 * not tell them apart), 401 OAUTH_SCOPE_MISMATCH, 429 RATE_LIMIT_EXCEEDED or, for spent credits,
 * LIMIT_EXCEEDED, 500 INTERNAL_ERROR, and a gateway's HTML page for 502/503/504.
 */
import { gatewayPage, type Refusals } from '../core/emulator.js';
import { zohoError } from './errors.js';

export const ZOHO_REFUSALS: Refusals = {
  unauthenticated: () => ({ body: zohoError('INVALID_TOKEN', 'invalid oauth token') }),
  expired: () => ({ body: zohoError('INVALID_TOKEN', 'invalid oauth token') }),
  missingScope: () => ({ status: 401, body: zohoError('OAUTH_SCOPE_MISMATCH', 'Unauthorized') }),
  rateLimited: (_req, policy) => (policy === 'daily'
    ? { body: zohoError('LIMIT_EXCEEDED', 'API credits exhausted for the last 24 hours', { limit_type: 'credits' }) }
    : { body: zohoError('RATE_LIMIT_EXCEEDED', 'Too many requests. Please try again later.') }),
  serverError: (_req, status) => (status === 500 ? { body: zohoError('INTERNAL_ERROR', 'Internal server error occurred.') } : gatewayPage(status)),
  invalidRequest: (_req, message) => ({ body: zohoError('INVALID_DATA', 'invalid data', { reason: message }) }),
  notFound: () => ({ body: zohoError('INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one') }),
};

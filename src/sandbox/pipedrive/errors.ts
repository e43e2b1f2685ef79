/**
 * Pipedrive's error envelope, the same for every API error: `{ success: false, error, error_info,
 * data: null, additional_data: null }`; the gateway's 401 adds `errorCode` and the header
 * `x-401-by-gw: true`. The OAuth server answers `{ success: false, message, error }`.
 */
import type { FastifyReply } from 'fastify';
import { gatewayPage, type Refusals } from '../core/emulator.js';

export const ERROR_INFO = 'Please check developers.pipedrive.com for more information about Pipedrive API.';

export const errorBody = (error: string, extra: Record<string, unknown> = {}) => ({ success: false, error, error_info: ERROR_INFO, data: null, additional_data: null, ...extra });

export function sendError(reply: FastifyReply, status: number, error: string, extra?: Record<string, unknown>) {
  return reply.code(status).type('application/json').send(errorBody(error, extra));
}

export const notFound = (reply: FastifyReply, what = 'Not found') => sendError(reply, 404, what);
export const badRequest = (reply: FastifyReply, message: string) => sendError(reply, 400, message);

/** The OAuth server's error body (token and revoke endpoints). */
export function oauthError(reply: FastifyReply, status: number, error: string, message: string) {
  return reply.code(status).type('application/json').send({ success: false, message, error });
}

const unauthorized = { status: 401, body: { success: false, error: 'unauthorized access', errorCode: 401, error_info: ERROR_INFO } };

export const PIPEDRIVE_REFUSALS: Refusals = {
  unauthenticated: () => unauthorized,
  expired: () => unauthorized,
  missingScope: (_req, scopes) => ({ status: 403, body: errorBody(`Scope and URL mismatch`, { required_scopes: scopes }) }),
  rateLimited: (_req, policy) => ({
    status: 429,
    body: errorBody(policy === 'daily' ? 'Daily API token budget exceeded' : 'Request over limit', policy === 'daily' ? { code: 'daily_token_budget_exceeded' } : {}),
  }),
  serverError: (_req, status) => (status === 500 ? { status, body: errorBody('Internal server error') } : gatewayPage(status)),
  invalidRequest: (_req, message) => ({ status: 400, body: errorBody(`Invalid request: ${message}`) }),
  notFound: () => ({ status: 404, body: errorBody('Unknown method .') }),
};

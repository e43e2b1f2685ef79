/**
 * Salesforce's error shapes: REST errors are always an array `[{ message, errorCode, fields? }]`;
 * the OAuth endpoints answer `{ error, error_description }`. The refusals the shared pipeline makes
 * are worded here (401 INVALID_SESSION_ID, 403 REQUEST_LIMIT_EXCEEDED, 500 UNKNOWN_EXCEPTION…).
 */
import { randomInt } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { gatewayPage, type Refusals } from '../core/emulator.js';

export interface SfError { message: string; errorCode: string; fields?: string[] }

export const sfErrors = (errorCode: string, message: string, fields?: string[]): SfError[] => [{ message, errorCode, ...(fields ? { fields } : {}) }];

export function sendSfError(reply: FastifyReply, status: number, errorCode: string, message: string, fields?: string[]) {
  return reply.code(status).type('application/json;charset=UTF-8').send(sfErrors(errorCode, message, fields));
}

export function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply.code(status).type('application/json;charset=UTF-8').send({ error, error_description: description });
}

const SESSION = 'Session expired or invalid';

export const SALESFORCE_REFUSALS: Refusals = {
  unauthenticated: () => ({ body: sfErrors('INVALID_SESSION_ID', SESSION) }),
  // Salesforce never says a session timed out rather than being invalid: the same 401 either way.
  expired: () => ({ body: sfErrors('INVALID_SESSION_ID', SESSION) }),
  missingScope: () => ({ status: 403, body: sfErrors('INSUFFICIENT_ACCESS', 'This session is not valid for use with the REST API') }),
  // No 429 and no Retry-After: both the daily allocation and a burst refusal are 403 REQUEST_LIMIT_EXCEEDED.
  rateLimited: (_req, policy) => ({
    status: 403,
    body: sfErrors('REQUEST_LIMIT_EXCEEDED', policy === 'daily' ? 'TotalRequests Limit exceeded.' : 'ConcurrentPerOrgLongTxn Limit exceeded.'),
  }),
  serverError: (_req, status) => (status === 500
    ? { body: sfErrors('UNKNOWN_EXCEPTION', `An unexpected error occurred. Please include this ErrorId if you contact support: ${randomInt(1e9)}-${randomInt(1e5)} (${randomInt(1e9)})`) }
    : gatewayPage(status)),
  invalidRequest: (_req, message) => ({ body: sfErrors('JSON_PARSER_ERROR', message) }),
  notFound: () => ({ body: sfErrors('NOT_FOUND', 'The requested resource does not exist') }),
};

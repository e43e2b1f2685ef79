/**
 * HubSpot's error bodies. CRM errors share one envelope (`status: "error"`, `message`, `correlationId`,
 * `category`, optional `errors`, `context`, `links`); the OAuth v1 token endpoint uses its own
 * (`status` is the error code, e.g. BAD_REFRESH_TOKEN). The correlation id is the request's, also sent
 * as `X-HubSpot-Correlation-Id`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface HubspotErrorExtras {
  errors?: { message: string; code?: string; in?: string; context?: Record<string, string[]> }[];
  context?: Record<string, string[]>;
  links?: Record<string, string>;
  subCategory?: string;
}

export function errorBody(req: FastifyRequest, category: string, message: string, extras: HubspotErrorExtras = {}) {
  return { status: 'error', message, correlationId: req.id, ...extras, category };
}

export function sendError(req: FastifyRequest, reply: FastifyReply, status: number, category: string, message: string, extras?: HubspotErrorExtras) {
  return reply.code(status).type('application/json;charset=utf-8').send(errorBody(req, category, message, extras));
}

/**
 * 404 `OBJECT_NOT_FOUND`; with the id asked for, HubSpot names it in `context.id`
 * (`{"category":"OBJECT_NOT_FOUND","context":{"id":["…"]},…}` as observed from api.hubapi.com;
 * `context` is a map of string arrays in the `Error` schema of every HubSpot OpenAPI spec).
 */
export const notFound = (req: FastifyRequest, reply: FastifyReply, message = 'resource not found', id?: string) =>
  sendError(req, reply, 404, 'OBJECT_NOT_FOUND', message, id === undefined ? undefined : { context: { id: [id] } });

export const validation = (req: FastifyRequest, reply: FastifyReply, message: string, extras?: HubspotErrorExtras) =>
  sendError(req, reply, 400, 'VALIDATION_ERROR', message, extras);

/** Body for property validation failures, as HubSpot embeds them as JSON in the message. */
export function propertyErrorMessage(errors: { name: string; error: string; message: string }[]): string {
  const items = errors.map((e) => ({ isValid: false, message: e.message, error: e.error, name: e.name }));
  return `Property values were not valid: ${JSON.stringify(items)}`;
}

/**
 * The OAuth v1 token endpoint's error body: HubSpot's `status` code (BAD_REFRESH_TOKEN, …) and the
 * RFC 6749 `error`/`error_description` pair, plus `category`, which the `Error` schema of HubSpot's
 * OAuth v1 OpenAPI spec requires (`required: [category, correlationId, message]`); the docs' token
 * error example carries `"category": "VALIDATION_ERROR"`
 * (https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/create-oauth-token).
 */
export function oauthError(req: FastifyRequest, reply: FastifyReply, status: string, message: string, oauthCode = 'invalid_grant') {
  return reply.code(400).type('application/json;charset=utf-8').send({
    status,
    message,
    correlationId: req.id,
    requestId: req.id,
    category: 'VALIDATION_ERROR',
    error: oauthCode,
    error_description: message,
  });
}

export const RATE_LIMIT_MESSAGES = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  DAILY: 'You have reached your daily limit.',
  SECONDLY: 'You have reached your secondly limit.',
} as const;

/**
 * The 429 body: the documented fields (https://developers.hubspot.com/docs/api/usage-details, "the 429
 * response will have the following format": status, message, errorType RATE_LIMIT, correlationId,
 * policyName, requestId) plus `category: "RATE_LIMITS"`, which the `Error` schema of HubSpot's OpenAPI
 * specs requires and which live 429 bodies carry.
 */
export function rateLimitBody(req: FastifyRequest, policyName: keyof typeof RATE_LIMIT_MESSAGES) {
  return {
    status: 'error',
    message: RATE_LIMIT_MESSAGES[policyName],
    errorType: 'RATE_LIMIT',
    correlationId: req.id,
    policyName,
    requestId: req.id,
    category: 'RATE_LIMITS',
  };
}

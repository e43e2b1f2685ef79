import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, errorStatus, type ErrorCode } from '../lib/errors.js';

/**
 * The one error handler: every failure leaves as `{ error: { code, message, details } }`. Our
 * AppErrors keep their message; framework 4xx errors get a sentence saying what to fix; anything
 * else is a bug, logged in full and answered with a bare 500.
 */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

const frameworkErrors: Record<string, [ErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['payload_too_large', 'The request body is too large (limit 1 MiB).'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['bad_request', 'Send the body as JSON with "Content-Type: application/json".'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['bad_request', 'The JSON body is empty; send an object.'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['bad_request', 'The body is not valid JSON.'],
};

export function sendError(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      return reply.status(error.status).send(sendError(error.code, error.message, error.details));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((issue) => ({
        where: `${error.validationContext}${issue.instancePath ? issue.instancePath.replaceAll('/', '.') : ''}`,
        problem: issue.message,
      }));
      const summary = issues.map((issue) => `${issue.where}: ${issue.problem}`).join('; ');
      return reply.status(400).send(sendError('validation_failed', `Invalid request — ${summary}`, issues));
    }
    const known = error.code ? frameworkErrors[error.code] : undefined;
    if (known) return reply.status(errorStatus[known[0]]).send(sendError(known[0], known[1]));
    if (error.statusCode && error.statusCode < 500) {
      return reply.status(error.statusCode).send(sendError('bad_request', error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send(sendError('internal', 'Something went wrong on our side. It was logged; try again.'));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(sendError('not_found', `No route ${request.method} ${request.url.split('?')[0]}.`));
  });
}

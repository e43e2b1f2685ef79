import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable, isRejectedValue } from '../db/unavailable.js';
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

/** Malformed URLs never reach a route: Fastify hands them to this before routing. */
export function badUrlError(path: string): ErrorBody {
  return sendError('bad_request', `The path ${JSON.stringify(path.split('?')[0]!.slice(0, 200))} is not a valid URL: a "%" must start an escape like %20.`);
}

const RETRY_AFTER_SECONDS = 5;

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
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return reply.status(503).header('retry-after', String(RETRY_AFTER_SECONDS))
        .send(sendError('not_ready', `The database is not reachable right now. Nothing was changed; try again in ${RETRY_AFTER_SECONDS} seconds.`));
    }
    if (isRejectedValue(error)) {
      // Input should be refused at the edge; this is the net under that, and the log says what slipped.
      request.log.warn({ err: error }, 'the database refused a value the request schema let through');
      return reply.status(400).send(sendError('validation_failed', 'A value in the request is out of the range this API accepts; check dates, cursors and text for stray characters.'));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send(sendError('internal', 'Something went wrong on our side. It was logged; try again.'));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(sendError('not_found', `No route ${request.method} ${request.url.split('?')[0]}.`));
  });
}

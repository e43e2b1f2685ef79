import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { ErrorCode } from '../lib/errors.js';
import type { Config } from '../config.js';
import type { ErrorBody } from './errors.js';
import { errorBodySchema } from './schemas.js';

/**
 * The OpenAPI document at /api/openapi.json, generated from the routes' own schemas, and its
 * reference page at /api/docs. What every route shares is added here, once, from the same rules the
 * server follows: a route is authenticated unless its config says `public` (so it documents a 401
 * and the bearer scheme), `tokenInQuery` routes also take `?access_token=`, and every error
 * response is the one error body with an example of its status.
 */

type JsonSchema = Record<string, unknown>;

/** What each documented error status means here, with a body this API really sends. */
const errorResponses: Record<number, { description: string; example: ErrorBody }> = {
  400: { description: 'The request is not valid; `details` says where and why.', example: invalid('params.id', 'must be a UUID like 0b6f7c1e-2f4a-4c7e-9a55-3f1d2b9e8c10') },
  401: {
    description: 'No bearer token, or one that was rejected.',
    example: error('unauthorized', 'Send the host app\'s JWT as "Authorization: Bearer <token>".'),
  },
  404: { description: 'No such integration for this user.', example: error('not_found', 'Integration was not found.') },
  409: {
    description: 'The integration cannot sync in its current state.',
    example: error('conflict', 'This integration needs to be reconnected before it can sync: use Reconnect to sign in to the CRM again.'),
  },
  422: {
    description: 'The CRM is listed but cannot be connected yet.',
    example: error('unsupported_platform', 'Acme CRM is listed but cannot be connected yet. Choose one of the CRMs marked available for now.'),
  },
  502: {
    description: 'The CRM refused or failed a request this needed (its field metadata); the message says what it answered.',
    example: error('provider_error', 'HubSpot did not give its field metadata: the connection\'s grant lacks a scope this needs.'),
  },
  503: {
    description: 'This process cannot do it now (no job queue, no event bus, or the database is not reachable).',
    example: error('not_ready', 'This server runs no job queue; start it with "pulse-crm start" or "pulse-crm server".'),
  },
};

function error(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

function invalid(where: string, problem: string): ErrorBody {
  return error('validation_failed', `Invalid request — ${where}: ${problem}`, [{ where, problem }]);
}

/** A 400 about the part of the request the route validates: its path id, else its body, else its query. */
const invalidExamples = {
  body: invalid('body.platform', 'platform must be one of hubspot, salesforce, pipedrive, zoho'),
  querystring: invalid('querystring.integrationId', 'Invalid UUID'),
};

const isErrorBody = (schema: JsonSchema | undefined) =>
  !!schema && typeof schema.properties === 'object' && schema.properties !== null && 'error' in schema.properties && Object.keys(schema.properties).length === 1;

type TransformInput = Parameters<typeof jsonSchemaTransform>[0] & { route: { config?: { public?: boolean; tokenInQuery?: boolean } } };

export function transformRoute(input: TransformInput): ReturnType<typeof jsonSchemaTransform> {
  const result = jsonSchemaTransform(input);
  const schema = result.schema as JsonSchema & { hide?: boolean; response?: Record<string, JsonSchema> };
  if (!schema || schema.hide) return result;
  const config = input.route.config ?? {};
  const response: Record<string, JsonSchema> = { ...schema.response };

  if (config.public) {
    schema.security = [];
  } else if (!response['401']) {
    // Converted as the route's own responses are, so the 401 is the same error body.
    const unauthorized = jsonSchemaTransform({ ...input, schema: { response: { 401: errorBodySchema } } });
    response['401'] = (unauthorized.schema as { response: Record<string, JsonSchema> }).response['401']!;
  }
  for (const [status, body] of Object.entries(response)) {
    // "No content" has no body to describe: @fastify/swagger leaves the content out for type null.
    if (status === '204') response[status] = { type: 'null', description: body.description ?? 'No content.' };
    const known = errorResponses[Number(status)];
    if (known && isErrorBody(body)) {
      const routeSchema = input.schema as { params?: unknown; body?: unknown; querystring?: unknown } | undefined;
      const example = status !== '400' || routeSchema?.params ? known.example
        : routeSchema?.body ? invalidExamples.body : routeSchema?.querystring ? invalidExamples.querystring : known.example;
      response[status] = { ...body, description: known.description, examples: [example] };
    }
    // A response declared per media type (the event stream) keeps its example on the media type,
    // as @fastify/swagger does for the others: OpenAPI 3.0 schemas have no `examples`.
    for (const media of Object.values((body.content ?? {}) as Record<string, { schema?: JsonSchema; example?: unknown }>)) {
      const examples = media.schema?.examples;
      if (Array.isArray(examples) && examples.length > 0) {
        media.example = examples[0];
        delete media.schema!.examples;
      }
    }
  }
  schema.response = Object.fromEntries(Object.entries(response).sort(([a], [b]) => Number(a) - Number(b)));

  if (config.tokenInQuery && !schema.querystring) {
    schema.querystring = {
      type: 'object',
      properties: {
        access_token: { type: 'string', description: 'The bearer token, for clients that cannot send headers (EventSource).' },
      },
    };
  }
  return result;
}

export async function registerOpenApi(app: FastifyInstance, config: Pick<Config, 'publicUrl'>): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Pulse CRM Integrations API',
        version: '1.0.0',
        description: 'Connect a CRM and read its synced contacts, companies and deals. Every operation takes the host app\'s JWT '
          + 'as a bearer token unless it says otherwise; every error is `{ "error": { "code", "message", "details"? } }`.',
        license: { name: 'Proprietary' },
      },
      servers: [{ url: config.publicUrl, description: 'This server (PUBLIC_URL)' }],
      tags: [
        { name: 'health', description: 'Readiness' },
        { name: 'platforms', description: 'The CRMs this server can connect' },
        { name: 'connect', description: 'Connecting a CRM and checking the connection' },
        { name: 'integrations', description: 'Your connected CRMs' },
        { name: 'sync', description: 'Sync runs and live events' },
        { name: 'data', description: 'Synced contacts, companies and deals' },
        { name: 'fields', description: 'The CRM\'s fields and your custom field mappings' },
        { name: 'filters', description: 'Selective sync: which records of each object are synced' },
      ],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: transformRoute as never,
  });
  // The reference page: Swagger UI's own files, served from node_modules (no CDN), public like the
  // document it reads, outside the authenticated scope.
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    // BaseLayout: no top bar, whose Swagger logo carries an inline <style> the app's CSP refuses
    // (and whose URL box would load other documents). The page then needs no CSP of its own.
    uiConfig: { layout: 'BaseLayout', deepLinking: true, displayOperationId: true, defaultModelsExpandDepth: 0 },
    theme: {
      title: 'Pulse CRM Integrations API reference',
      // A file, not inline, for the same CSP: on a phone the operation ids would squeeze the paths.
      css: [{ filename: 'pulse.css', content: '@media (max-width: 600px) { .swagger-ui .opblock .opblock-summary-operation-id { display: none; } }' }],
    },
  });
}

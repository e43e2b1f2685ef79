/**
 * HubSpot's answers to the refusals the shared pipeline makes: 401 INVALID_AUTHENTICATION /
 * EXPIRED_AUTHENTICATION, 403 MISSING_SCOPES, 429 with the policy name, 500 INTERNAL_ERROR JSON and
 * a gateway's HTML page for 502/503/504.
 */
import { gatewayPage, type Refusals } from '../core/emulator.js';
import { errorBody, rateLimitBody } from './errors.js';

const NO_CREDENTIALS =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';
const POLICY = { window: 'TEN_SECONDLY_ROLLING', daily: 'DAILY', secondly: 'SECONDLY' } as const;

export const HUBSPOT_REFUSALS: Refusals = {
  unauthenticated: (req) => ({ body: errorBody(req, 'INVALID_AUTHENTICATION', NO_CREDENTIALS) }),
  expired: (req, token, agoMs) => ({
    body: errorBody(req, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${Math.max(1, Math.round(agoMs / 1000))} second(s) ago.`, {
      context: { 'expire time': [new Date(token.expiresAt!).toISOString()] },
    }),
  }),
  missingScope: (req, scopes) => ({
    body: errorBody(
      req,
      'MISSING_SCOPES',
      'This app hasn\'t been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.',
      {
        errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: scopes } }],
        links: { scopes: 'https://developers.hubspot.com/scopes' },
      },
    ),
  }),
  rateLimited: (req, policy) => ({ body: rateLimitBody(req, POLICY[policy]) }),
  serverError: (req, status) => (status === 500 ? { body: errorBody(req, 'INTERNAL_ERROR', 'internal error') } : gatewayPage(status)),
  invalidRequest: (req, message) => ({ body: errorBody(req, 'VALIDATION_ERROR', `Invalid input JSON: ${message}`) }),
  notFound: (req) => ({ body: errorBody(req, 'OBJECT_NOT_FOUND', 'resource not found') }),
};

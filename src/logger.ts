import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a logged object. Tokens travel under these names
 * in requests, provider responses and our own rows; the redaction test logs each of them.
 */
export const redactedPaths = [
  'access_token', 'refresh_token', 'api_key', 'client_secret', 'code', 'code_verifier', 'password', 'token',
  'accessToken', 'refreshToken', 'apiKey', 'clientSecret', 'codeVerifier',
  '*.access_token', '*.refresh_token', '*.api_key', '*.client_secret', '*.code_verifier', '*.password', '*.token',
  '*.accessToken', '*.refreshToken', '*.apiKey', '*.clientSecret',
  'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.headers.authorization',
];

/**
 * OAuth callbacks carry the authorization code in the query string, and webhook addresses of CRMs
 * that send no credential end in their secret (`/crm/webhooks/<crm>/<subscription>/<secret>`): keep
 * both out of request logs.
 */
export function scrubUrl(url: string): string {
  return url
    .replace(/([?&](?:code|state|token|access_token|refresh_token|hapikey|api_token)=)[^&#]*/gi, '$1[redacted]')
    .replace(/^(\/crm\/webhooks\/[^/?#]+\/[^/?#]+\/)[^/?#]+/i, '$1[redacted]');
}

const serializers = {
  req: (req: { method?: string; url?: string; id?: string }) => ({ id: req.id, method: req.method, url: scrubUrl(req.url ?? '') }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
  err: pino.stdSerializers.err,
};

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  return pino({ level, serializers, redact: { paths: redactedPaths, censor: '[redacted]' } }, destination);
}

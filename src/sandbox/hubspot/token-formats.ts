/**
 * Token shapes like HubSpot's: long opaque access tokens (base64url, starting with "C"), refresh
 * tokens and codes with a hublet prefix, private-app tokens "pat-na1-<uuid>". Clients must treat them
 * as opaque; the length keeps clients honest about column sizes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { TokenFormats } from '../core/tokens.js';

export const HUBSPOT_TOKEN_FORMATS: TokenFormats = {
  access: () => `C${randomBytes(120).toString('base64url')}`,
  refresh: () => `na1-${randomUUID().slice(0, 4)}-${randomUUID()}`,
  code: () => `na1-${randomUUID().slice(0, 4)}-${randomUUID()}`,
  privateApp: () => `pat-na1-${randomUUID()}`,
};

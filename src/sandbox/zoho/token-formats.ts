/** Zoho tokens: `1000.<32 hex>.<32 hex>`; clients must treat them as opaque. */
import { randomBytes } from 'node:crypto';
import type { TokenFormats } from '../core/tokens.js';

const part = () => randomBytes(16).toString('hex');

export const ZOHO_TOKEN_FORMATS: TokenFormats = {
  access: () => `1000.${part()}.${part()}`,
  refresh: () => `1000.${part()}.${part()}`,
  code: () => `1000.${part()}.${part()}`,
  privateApp: () => `1000.${part()}.${part()}`,
};

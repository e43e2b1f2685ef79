/**
 * Token shapes like Pipedrive's: `<company id>:<user id>:<hex>` style access and refresh tokens and
 * short hex codes. Clients must treat them as opaque.
 */
import { randomBytes } from 'node:crypto';
import type { TokenFormats } from '../core/tokens.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export const PIPEDRIVE_TOKEN_FORMATS: TokenFormats = {
  access: () => `v1u:${randomBytes(96).toString('base64url')}`,
  refresh: () => `${13_000_001}:${hex(4)}:${hex(20)}`,
  code: () => `${hex(8)}.${hex(20)}`,
  privateApp: () => hex(20),
};

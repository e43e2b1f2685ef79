import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets at rest: AES-256-GCM, one random 96-bit IV per value, the key id in the clear so a
 * rotated key ring still opens old values. Format: `enc:v2:<keyId>:<iv>.<tag>.<ciphertext>` (base64url).
 * The key ring's first key encrypts; every key decrypts.
 *
 * Each value is bound (as GCM associated data) to its key id and to its place — table, column and
 * row — so someone who can write to the database but holds no key cannot move one user's token into
 * another user's row, or a refresh token into the access-token column: it would no longer open.
 * `enc:v1:` values (bound to the key id only, written before places were) still open;
 * `pulse-crm rotate-key` rewrites them bound.
 */
export interface KeyRing {
  primary: { id: string; key: Buffer };
  keys: Map<string, Buffer>;
}

export class SecretError extends Error {
  override name = 'SecretError';
}

const PREFIX = 'enc:v2:';
const LEGACY_PREFIX = 'enc:v1:';

/** Where a secret is stored, bound into its ciphertext. */
export interface SecretPlace {
  table: string;
  column: string;
  /** The row's primary key, as text. */
  row: string;
}

const associatedData = (keyId: string, place: SecretPlace | null) =>
  Buffer.from(place ? `${keyId}\n${place.table}.${place.column}\n${place.row}` : keyId);

/** Parses `id:base64key[,id:base64key...]` (first is primary); each key must be 32 bytes. */
export function parseKeyRing(spec: string): KeyRing {
  const entries = spec.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
    const match = /^([A-Za-z0-9_-]{1,32}):(.+)$/.exec(part);
    if (!match) throw new SecretError('PULSE_ENCRYPTION_KEY must look like "<key id>:<base64 of 32 bytes>", comma-separated for several keys (first one encrypts).');
    const key = Buffer.from(match[2]!, 'base64');
    if (key.length !== 32) throw new SecretError(`PULSE_ENCRYPTION_KEY key "${match[1]}" is ${key.length} bytes; AES-256 needs 32 (generate one with: openssl rand -base64 32).`);
    return [match[1]!, key] as const;
  });
  if (entries.length === 0) throw new SecretError('PULSE_ENCRYPTION_KEY holds no key.');
  const [id, key] = entries[0]!;
  return { primary: { id, key }, keys: new Map(entries) };
}

export function formatKeyRing(ring: KeyRing): string {
  const rest = [...ring.keys].filter(([id]) => id !== ring.primary.id);
  return [[ring.primary.id, ring.primary.key] as const, ...rest].map(([id, key]) => `${id}:${key.toString('base64')}`).join(',');
}

export function newKey(): { id: string; key: Buffer } {
  return { id: `k${Date.now().toString(36)}`, key: randomBytes(32) };
}

export function encryptSecret(ring: KeyRing, plaintext: string, place: SecretPlace): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ring.primary.key, iv);
  cipher.setAAD(associatedData(ring.primary.id, place));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${PREFIX}${ring.primary.id}:${[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.')}`;
}

export function decryptSecret(ring: KeyRing, stored: string, place: SecretPlace): string {
  const legacy = stored.startsWith(LEGACY_PREFIX);
  if (!legacy && !stored.startsWith(PREFIX)) throw new SecretError('A stored secret is not in the encrypted format; refusing to use it.');
  const [keyId, payload] = splitOnce(stored.slice(PREFIX.length), ':');
  const key = ring.keys.get(keyId);
  if (!key) throw new SecretError(`A stored secret was encrypted with key "${keyId}", which is not in PULSE_ENCRYPTION_KEY. Add that key back (after the primary) to read it.`);
  const [iv, tag, body] = payload.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !body) throw new SecretError('A stored secret is malformed.');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(associatedData(keyId, legacy ? null : place));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretError(`The secret stored in ${place.table}.${place.column} does not open for this row: it was altered or moved from another row. Reconnect to store a fresh one.`);
  }
}

/** The key a stored value was encrypted with, and whether it is bound to its place (v2). */
export function describeSecret(stored: string): { keyId: string; bound: boolean } | undefined {
  const bound = stored.startsWith(PREFIX);
  if (!bound && !stored.startsWith(LEGACY_PREFIX)) return undefined;
  return { keyId: splitOnce(stored.slice(PREFIX.length), ':')[0], bound };
}

function splitOnce(value: string, separator: string): [string, string] {
  const at = value.indexOf(separator);
  return at < 0 ? [value, ''] : [value.slice(0, at), value.slice(at + 1)];
}

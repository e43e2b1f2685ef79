import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets at rest: AES-256-GCM, one random 96-bit IV per value, the key id in the clear so a
 * rotated key ring still opens old values. Format: `enc:v1:<keyId>:<iv>.<tag>.<ciphertext>` (base64url).
 * The key ring's first key encrypts; every key decrypts.
 */
export interface KeyRing {
  primary: { id: string; key: Buffer };
  keys: Map<string, Buffer>;
}

export class SecretError extends Error {
  override name = 'SecretError';
}

const PREFIX = 'enc:v1:';

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

export function encryptSecret(ring: KeyRing, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ring.primary.key, iv);
  // The key id is bound as associated data so a value cannot be relabelled to another key.
  cipher.setAAD(Buffer.from(ring.primary.id));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${PREFIX}${ring.primary.id}:${[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.')}`;
}

export function decryptSecret(ring: KeyRing, stored: string): string {
  if (!stored.startsWith(PREFIX)) throw new SecretError('A stored secret is not in the encrypted format; refusing to use it.');
  const [keyId, payload] = splitOnce(stored.slice(PREFIX.length), ':');
  const key = ring.keys.get(keyId);
  if (!key) throw new SecretError(`A stored secret was encrypted with key "${keyId}", which is not in PULSE_ENCRYPTION_KEY. Add that key back (after the primary) to read it.`);
  const [iv, tag, body] = payload.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !body) throw new SecretError('A stored secret is malformed.');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(keyId));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}

export function keyIdOf(stored: string): string | undefined {
  return stored.startsWith(PREFIX) ? splitOnce(stored.slice(PREFIX.length), ':')[0] : undefined;
}

function splitOnce(value: string, separator: string): [string, string] {
  const at = value.indexOf(separator);
  return at < 0 ? [value, ''] : [value.slice(0, at), value.slice(at + 1)];
}

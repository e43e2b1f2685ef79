import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, parseKeyRing } from '../../src/lib/secrets.js';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('secrets', () => {
  const ring = parseKeyRing(`${key('new')},${key('old')}`);

  it('round-trips and never repeats a ciphertext', () => {
    const a = encryptSecret(ring, 'token-123');
    const b = encryptSecret(ring, 'token-123');
    expect(a).not.toBe(b);
    expect(a.startsWith('enc:v1:new:')).toBe(true);
    expect(decryptSecret(ring, a)).toBe('token-123');
  });

  it('detects tampering and a relabelled key id', () => {
    const sealed = encryptSecret(ring, 'token-123');
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => decryptSecret(ring, tampered)).toThrow();
    expect(() => decryptSecret(ring, sealed.replace('enc:v1:new:', 'enc:v1:old:'))).toThrow();
  });

  it('explains a missing key and a bad key spec', () => {
    const other = parseKeyRing(key('other'));
    expect(() => decryptSecret(other, encryptSecret(ring, 'x'))).toThrow(/encrypted with key "new", which is not in PULSE_ENCRYPTION_KEY/);
    expect(() => parseKeyRing('k1:c2hvcnQ=')).toThrow(/is 5 bytes; AES-256 needs 32/);
    expect(() => parseKeyRing('just-a-key')).toThrow(/must look like/);
  });

  it('refuses to read plaintext as if it were a secret', () => {
    expect(() => decryptSecret(ring, 'plain-token')).toThrow(/not in the encrypted format/);
  });
});

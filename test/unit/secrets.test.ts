import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, describeSecret, encryptSecret, parseKeyRing } from '../../src/lib/secrets.js';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const here = { table: 'crm_integrations', column: 'access_token', row: '0b6f7c1e-2f4a-4c7e-9a55-3f1d2b9e8c10' };

describe('secrets', () => {
  const ring = parseKeyRing(`${key('new')},${key('old')}`);

  it('round-trips and never repeats a ciphertext', () => {
    const a = encryptSecret(ring, 'token-123', here);
    const b = encryptSecret(ring, 'token-123', here);
    expect(a).not.toBe(b);
    expect(a.startsWith('enc:v2:new:')).toBe(true);
    expect(describeSecret(a)).toEqual({ keyId: 'new', bound: true });
    expect(decryptSecret(ring, a, here)).toBe('token-123');
  });

  it('detects tampering and a relabelled key id', () => {
    const sealed = encryptSecret(ring, 'token-123', here);
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => decryptSecret(ring, tampered, here)).toThrow();
    expect(() => decryptSecret(ring, sealed.replace('enc:v2:new:', 'enc:v2:old:'), here)).toThrow();
  });

  it('does not open a value moved to another row, column or table', () => {
    const sealed = encryptSecret(ring, 'token-123', here);
    for (const elsewhere of [{ ...here, row: '11111111-2f4a-4c7e-9a55-3f1d2b9e8c10' }, { ...here, column: 'refresh_token' }, { ...here, table: 'oauth_states' }]) {
      expect(() => decryptSecret(ring, sealed, elsewhere)).toThrow(/altered or moved from another row/);
    }
  });

  it('still opens values written before they were bound to a place (enc:v1), wherever they are', () => {
    const [id, material] = [ring.primary.id, ring.primary.key];
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', material, iv).setAAD(Buffer.from(id));
    const body = Buffer.concat([cipher.update('legacy-token', 'utf8'), cipher.final()]);
    const legacy = `enc:v1:${id}:${[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.')}`;
    expect(describeSecret(legacy)).toEqual({ keyId: id, bound: false });
    expect(decryptSecret(ring, legacy, here)).toBe('legacy-token');
  });

  it('explains a missing key and a bad key spec', () => {
    const other = parseKeyRing(key('other'));
    expect(() => decryptSecret(other, encryptSecret(ring, 'x', here), here)).toThrow(/encrypted with key "new", which is not in PULSE_ENCRYPTION_KEY/);
    expect(() => parseKeyRing('k1:c2hvcnQ=')).toThrow(/is 5 bytes; AES-256 needs 32/);
    expect(() => parseKeyRing('just-a-key')).toThrow(/must look like/);
  });

  it('refuses to read plaintext as if it were a secret', () => {
    expect(() => decryptSecret(ring, 'plain-token', here)).toThrow(/not in the encrypted format/);
  });
});

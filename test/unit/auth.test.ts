import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createAuthenticator, userIdFor } from '../../src/server/auth.js';

describe('authentication', () => {
  it('accepts an HS256 token and derives a stable user id from sub', async () => {
    const secret = 'x'.repeat(32);
    const authenticate = createAuthenticator(loadConfig({ PULSE_AUTH_JWT_SECRET: secret }));
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('user-42').setExpirationTime('5m').sign(new TextEncoder().encode(secret));
    const caller = await authenticate(`Bearer ${token}`);
    expect(caller).toMatchObject({ sub: 'user-42', userId: userIdFor('user-42') });
    expect(caller.userId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('rejects a missing, forged or expired token with a reason', async () => {
    const authenticate = createAuthenticator(loadConfig({ PULSE_AUTH_JWT_SECRET: 'x'.repeat(32) }));
    await expect(authenticate(undefined)).rejects.toThrow(/Authorization: Bearer/);
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('u').sign(new TextEncoder().encode('y'.repeat(32)));
    await expect(authenticate(`Bearer ${forged}`)).rejects.toThrow(/rejected \(signature verification failed\)/);
    const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('u').setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(new TextEncoder().encode('x'.repeat(32)));
    await expect(authenticate(`Bearer ${expired}`)).rejects.toThrow(/"exp" claim/);
  });

  describe('with a JWKS URL', () => {
    let url: string;
    let privateKey: CryptoKey;
    const server = createServer();
    beforeAll(async () => {
      const pair = await generateKeyPair('RS256');
      privateKey = pair.privateKey as CryptoKey;
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
      server.on('request', (_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('verifies tokens signed by the host app key set', async () => {
      const authenticate = createAuthenticator(loadConfig({ PULSE_AUTH_JWKS_URL: url }));
      const token = await new SignJWT({ email: 'a@b.test' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('jwks-user').setExpirationTime('5m').sign(privateKey);
      expect(await authenticate(`Bearer ${token}`)).toMatchObject({ sub: 'jwks-user', email: 'a@b.test' });
    });
  });
});

/**
 * OAuth state shared by every provider: authorization codes, access tokens and refresh tokens. The
 * token text formats are the provider's (passed in), the bookkeeping is the same everywhere.
 */
import { createHash } from 'node:crypto';
import type { Clock } from './clock.js';

export interface Grant {
  clientId: string;
  accountId: number;
  userId: number;
  scopes: string[];
}

export interface AccessToken extends Grant {
  token: string;
  kind: 'oauth' | 'private';
  issuedAt: number;
  /** null: never expires (private-app tokens). */
  expiresAt: number | null;
  revoked: boolean;
  refreshToken?: string;
}

export interface RefreshToken extends Grant {
  token: string;
  revoked: boolean;
}

export interface AuthCode extends Grant {
  code: string;
  redirectUri: string;
  expiresAt: number;
  used: boolean;
  codeChallenge?: string;
  codeChallengeMethod?: string;
}

export interface TokenFormats {
  access(): string;
  refresh(): string;
  code(): string;
  privateApp(): string;
}

export class TokenStore {
  readonly codes = new Map<string, AuthCode>();
  readonly access = new Map<string, AccessToken>();
  readonly refresh = new Map<string, RefreshToken>();

  constructor(
    private readonly clock: Clock,
    private readonly formats: TokenFormats,
  ) {}

  issueCode(grant: Grant, redirectUri: string, ttlMs: number, challenge?: { value: string; method: string }): AuthCode {
    const code: AuthCode = {
      ...grant,
      code: this.formats.code(),
      redirectUri,
      expiresAt: this.clock.now() + ttlMs,
      used: false,
      ...(challenge ? { codeChallenge: challenge.value, codeChallengeMethod: challenge.method } : {}),
    };
    this.codes.set(code.code, code);
    return code;
  }

  /** Access token (and a refresh token unless one is being reused). */
  issue(grant: Grant, ttlSeconds: number, refreshToken?: string): { access: AccessToken; refresh: RefreshToken } {
    let refresh = refreshToken ? this.refresh.get(refreshToken) : undefined;
    if (!refresh) {
      refresh = { ...grant, token: this.formats.refresh(), revoked: false };
      this.refresh.set(refresh.token, refresh);
    }
    const now = this.clock.now();
    const access: AccessToken = {
      ...grant,
      token: this.formats.access(),
      kind: 'oauth',
      issuedAt: now,
      expiresAt: now + ttlSeconds * 1000,
      revoked: false,
      refreshToken: refresh.token,
    };
    this.access.set(access.token, access);
    return { access, refresh };
  }

  issuePrivate(grant: Grant): AccessToken {
    const token: AccessToken = {
      ...grant,
      token: this.formats.privateApp(),
      kind: 'private',
      issuedAt: this.clock.now(),
      expiresAt: null,
      revoked: false,
    };
    this.access.set(token.token, token);
    return token;
  }

  /** Revokes a refresh token and every access token minted from it. */
  revokeRefresh(token: string): boolean {
    const refresh = this.refresh.get(token);
    if (!refresh || refresh.revoked) return false;
    refresh.revoked = true;
    for (const a of this.access.values()) if (a.refreshToken === token) a.revoked = true;
    return true;
  }

  /** Makes matching live access tokens expired as of now; returns how many. */
  expireAccess(match: (t: AccessToken) => boolean): number {
    const now = this.clock.now();
    let n = 0;
    for (const t of this.access.values()) {
      if (t.revoked || !match(t) || (t.expiresAt !== null && t.expiresAt <= now)) continue;
      t.expiresAt = now;
      n++;
    }
    return n;
  }

  /** Revokes matching access tokens and their refresh tokens (an uninstall); returns how many. */
  revokeAll(match: (t: Grant) => boolean): number {
    let n = 0;
    for (const t of this.access.values()) if (!t.revoked && match(t)) (t.revoked = true), n++;
    for (const r of this.refresh.values()) if (!r.revoked && match(r)) (r.revoked = true), n++;
    return n;
  }
}

/** RFC 7636 S256 / plain check. */
export function pkceMatches(verifier: string, challenge: string, method: string): boolean {
  if (method === 'plain') return verifier === challenge;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}

/**
 * Applies the account's limit settings to an authenticated request: the rolling burst window (per
 * app and account, or per account), the daily quota per account, and the per-second search limit.
 * Search spends the daily quota but not the burst window. The emulator names the refused policy and
 * chooses the headers. Returns false after sending the refusal.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from './context.js';
import type { EmulatorPolicy, LimitPolicy, LimitUsage } from './emulator.js';
import { sendRefusal } from './refuse.js';
import type { AccessToken } from './tokens.js';

/** The daily counter's key; the admin API reads it too. */
export const dailyKey = (accountId: number) => `${accountId}:daily`;

export function applyRateLimit(ctx: EmulatorContext, emulator: EmulatorPolicy, req: FastifyRequest, reply: FastifyReply, token: AccessToken, kind: 'api' | 'search'): boolean {
  if (!ctx.options.rateLimits) return true;
  const limits = req.sandbox.account.limits;
  const accountKey = `${token.accountId}:`;
  const perApp = (emulator.limits.windowPer ?? 'app') === 'app';
  const windowKey = `${accountKey}${!perApp ? 'account' : token.kind === 'private' ? 'private' : token.clientId}`;
  const setHeaders = (window: number | null, daily: number) => {
    const usage: LimitUsage = {
      window: limits.windowMax === null || window === null ? null : { max: limits.windowMax, remaining: window, windowMs: limits.windowMs },
      daily: limits.dailyMax === null ? null : { max: limits.dailyMax, remaining: daily },
    };
    for (const [name, value] of Object.entries(emulator.limits.headers?.(usage, limits, kind) ?? {})) reply.header(name, value);
  };
  const refuse = (policy: LimitPolicy) => {
    sendRefusal(reply, emulator.refusals.rateLimited(req, policy), 429);
    return false;
  };

  const daily = ctx.limiter.daily(dailyKey(token.accountId), limits.dailyMax, false);
  if (kind === 'search') {
    const searchKey = `${accountKey}search`;
    if (limits.searchPerSecond !== null && !ctx.limiter.window(searchKey, limits.searchPerSecond, 1000, false).allowed) return refuse('secondly');
    if (!daily.allowed) return refuse('daily');
    if (limits.searchPerSecond !== null) ctx.limiter.window(searchKey, limits.searchPerSecond, 1000);
    const spent = ctx.limiter.daily(dailyKey(token.accountId), limits.dailyMax);
    setHeaders(null, spent.remaining);
    return true;
  }

  const window = limits.windowMax === null ? null : ctx.limiter.window(windowKey, limits.windowMax, limits.windowMs, false);
  if (!daily.allowed) {
    setHeaders(window?.remaining ?? 0, 0);
    return refuse('daily');
  }
  if (window && !window.allowed) {
    setHeaders(0, daily.remaining);
    return refuse('window');
  }
  const after = limits.windowMax === null ? null : ctx.limiter.window(windowKey, limits.windowMax, limits.windowMs);
  const spent = ctx.limiter.daily(dailyKey(token.accountId), limits.dailyMax);
  setHeaders(after?.remaining ?? 0, spent.remaining);
  return true;
}

/**
 * Applies the account's limit settings to an authenticated request: the rolling 10-second window per
 * app and account, the daily quota per account, and the search per-second limit. Non-search responses
 * carry `X-HubSpot-RateLimit-*` headers (daily ones only for private-app tiers); search responses carry
 * none, as on the real API. Returns false after sending the 429.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessToken } from '../core/tokens.js';
import type { HubspotContext } from './context.js';
import { rateLimitBody } from './errors.js';

export function applyRateLimit(ctx: HubspotContext, req: FastifyRequest, reply: FastifyReply, token: AccessToken, kind: 'api' | 'search'): boolean {
  const limits = req.hs.account.limits;
  if (!ctx.options.rateLimits) return true;
  const accountKey = `${token.accountId}:`;
  const windowKey = `${accountKey}${token.kind === 'private' ? 'private' : token.clientId}`;
  const refuse = (policy: 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY') => {
    reply.code(429).type('application/json;charset=utf-8').send(rateLimitBody(req, policy));
    return false;
  };

  const daily = ctx.limiter.daily(`${accountKey}daily`, limits.dailyMax, false);
  if (kind === 'search') {
    if (limits.searchPerSecond !== null && !ctx.limiter.window(`${accountKey}search`, limits.searchPerSecond, 1000, false).allowed) return refuse('SECONDLY');
    if (!daily.allowed) return refuse('DAILY');
    if (limits.searchPerSecond !== null) ctx.limiter.window(`${accountKey}search`, limits.searchPerSecond, 1000);
    ctx.limiter.daily(`${accountKey}daily`, limits.dailyMax);
    return true;
  }

  const window = limits.windowMax === null ? null : ctx.limiter.window(windowKey, limits.windowMax, limits.windowMs, false);
  const headers = (remaining: number, dailyRemaining: number) => {
    if (limits.windowMax !== null) {
      reply.header('X-HubSpot-RateLimit-Interval-Milliseconds', String(limits.windowMs));
      reply.header('X-HubSpot-RateLimit-Max', String(limits.windowMax));
      reply.header('X-HubSpot-RateLimit-Remaining', String(remaining));
    }
    if (limits.dailyHeaders && limits.dailyMax !== null) {
      reply.header('X-HubSpot-RateLimit-Daily', String(limits.dailyMax));
      reply.header('X-HubSpot-RateLimit-Daily-Remaining', String(dailyRemaining));
    }
  };
  if (!daily.allowed) {
    headers(window?.remaining ?? 0, 0);
    return refuse('DAILY');
  }
  if (window && !window.allowed) {
    headers(0, daily.remaining);
    return refuse('TEN_SECONDLY_ROLLING');
  }
  const after = limits.windowMax === null ? null : ctx.limiter.window(windowKey, limits.windowMax, limits.windowMs);
  const spent = ctx.limiter.daily(`${accountKey}daily`, limits.dailyMax);
  headers(after?.remaining ?? 0, spent.remaining);
  return true;
}

import { timingSafeEqual } from 'node:crypto';
import type { ZodType } from 'zod';

/**
 * What every CRM's webhook receiver does with a delivery before anything CRM-specific: compare a
 * credential in constant time, and read the body as JSON of the expected shape, saying where it is
 * wrong (the inbound route answers 400 with it).
 */
export function sameSecret(given: string | Buffer, expected: string | Buffer): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function parseDelivery<T>(body: string, schema: ZodType<T>): { ok: true; data: T } | { ok: false; problem: string } {
  // PostgreSQL's jsonb cannot hold NUL; no real event carries one.
  if (body.includes('\\u0000')) return { ok: false, problem: 'NUL characters are not accepted' };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'body: not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, problem: `${issue.path.join('.') || 'body'}: ${issue.message}` };
  }
  return { ok: true, data: parsed.data };
}

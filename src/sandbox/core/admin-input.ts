/** zod parsing for admin bodies: invalid input answers 400 `{ error: { code, message, details } }`. */
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

export const ADMIN = { config: { sandbox: { kind: 'admin', admin: true } } };

export function parse<T extends z.ZodType>(schema: T, input: unknown, reply: FastifyReply): z.infer<T> | undefined {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  void reply.code(400).send({ error: { code: 'invalid_input', message: 'Invalid admin request body', details: result.error.issues } });
  return undefined;
}

export function adminError(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ error: { code, message } });
}

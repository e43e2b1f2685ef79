/** Sends an emulator's refusal: its status (or the pipeline's default for that refusal), type and body. */
import type { FastifyReply } from 'fastify';
import type { Refusal } from './emulator.js';

export function sendRefusal(reply: FastifyReply, refusal: Refusal, defaultStatus: number): FastifyReply {
  return reply
    .code(refusal.status ?? defaultStatus)
    .type(refusal.type ?? 'application/json;charset=utf-8')
    .send(refusal.body);
}

/**
 * Zoho's error envelope `{code, details, message, status: "error"}` (OAS `API_Exception`), at the top
 * level or per item in `data[]`, and the OAuth server's errors, which come with HTTP 200.
 */
import type { FastifyReply } from 'fastify';

export interface ZohoError {
  code: string;
  details: Record<string, unknown>;
  message: string;
  status: 'error';
}

export const zohoError = (code: string, message: string, details: Record<string, unknown> = {}): ZohoError => ({ code, details, message, status: 'error' });

export function sendZohoError(reply: FastifyReply, status: number, code: string, message: string, details: Record<string, unknown> = {}) {
  return reply.code(status).type('application/json;charset=utf-8').send(zohoError(code, message, details));
}

/** accounts.zoho.com answers token errors with 200 and `{"error": "..."}`. */
export const oauthError = (reply: FastifyReply, error: string, description?: string) => reply.code(200).send(description ? { error, error_description: description } : { error });

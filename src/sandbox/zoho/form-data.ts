/**
 * Bodies as Zoho's own SDKs send them: the token request's parameters as multipart/form-data (text
 * fields only, all a token request has), and record writes as JSON with no Content-Type at all, which
 * Zoho's API takes as JSON.
 */
import type { FastifyInstance } from 'fastify';

export function parseMultipartFields(body: string, contentType: string): Record<string, string> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) throw Object.assign(new Error('multipart body without a boundary'), { statusCode: 400 });
  const fields: Record<string, string> = {};
  for (const part of body.split(`--${boundary[1] ?? boundary[2]}`)) {
    const match = /^\r\n([\s\S]*?)\r\n\r\n([\s\S]*)\r\n$/.exec(part);
    const name = match && /name="([^"]*)"/i.exec(match[1]!)?.[1];
    if (name) fields[name] = match[2]!;
  }
  return fields;
}

export function registerFormData(app: FastifyInstance): void {
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string' }, (req, body, done) => {
    try {
      done(null, parseMultipartFields(String(body), String(req.headers['content-type'])));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(Object.assign(error as Error, { statusCode: 400 }), undefined);
    }
  });
}

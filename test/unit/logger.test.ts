import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubUrl } from '../../src/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(chunk.toString()); done(); } });
  return { logger: createLogger('info', stream), text: () => lines.join('') };
}

describe('logger redaction', () => {
  it('blanks tokens, secrets and authorization headers wherever they appear', () => {
    const { logger, text } = capture();
    logger.info({
      access_token: 'AT-1', refresh_token: 'RT-1', client_secret: 'CS-1',
      response: { access_token: 'AT-2', refreshToken: 'RT-2' },
      req: { method: 'GET', url: '/crm/oauth/callback?code=CODE-1&state=STATE-1' },
      headers: { authorization: 'Bearer AT-3' },
    }, 'token exchange');
    const output = text();
    for (const secret of ['AT-1', 'RT-1', 'CS-1', 'AT-2', 'RT-2', 'AT-3', 'CODE-1', 'STATE-1']) expect(output).not.toContain(secret);
    expect(output).toContain('[redacted]');
  });

  it('scrubs credentials out of URLs', () => {
    expect(scrubUrl('/cb?code=abc&state=def&x=1')).toBe('/cb?code=[redacted]&state=[redacted]&x=1');
    // A webhook address whose last segment is its secret; the subscription id before it is no secret.
    expect(scrubUrl('/crm/webhooks/crm/0b6f7c1e-2f4a-4c7e-9a55-3f1d2b9e8c10/s3cr3t')).toBe('/crm/webhooks/crm/0b6f7c1e-2f4a-4c7e-9a55-3f1d2b9e8c10/[redacted]');
    expect(scrubUrl('/crm/webhooks/crm/0b6f7c1e-2f4a-4c7e-9a55-3f1d2b9e8c10')).toBe('/crm/webhooks/crm/0b6f7c1e-2f4a-4c7e-9a55-3f1d2b9e8c10');
  });
});

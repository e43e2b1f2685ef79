import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/**
 * The small server-rendered pages of the connect flow (begin, result). Each carries its own
 * Content-Security-Policy with a per-response nonce, so its one inline script keeps running under a
 * strict global CSP, and nothing else can run or frame it. COOP stays `unsafe-none`: these pages live
 * in the wizard's popup and must keep `window.opener` to hand back the result.
 */
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON safe inside a <script> element. */
export const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

export interface PageContent {
  title: string;
  tone: 'ok' | 'fail' | 'neutral';
  /** Trusted HTML (callers escape what they interpolate). */
  body: string;
  /** Given the nonce, the inline script to run, if any. */
  script?: string;
  /** Origins the script may fetch (besides none). */
  connect?: 'self';
  /** `same-origin` when the script's own POST must carry its Origin; otherwise nothing is sent on. */
  referrerPolicy?: 'same-origin';
}

export function sendStandalonePage(reply: FastifyReply, status: number, page: PageContent): FastifyReply {
  const nonce = randomBytes(18).toString('base64');
  const csp = [
    "default-src 'none'", `style-src 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`, page.connect ? "connect-src 'self'" : '',
    "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
  ].filter(Boolean).join('; ');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} — Pulse</title>
<style nonce="${nonce}">body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1.5rem;color:#1f2937}
h1{font-size:1.4rem}.ok{color:#047857}.fail{color:#b91c1c}a{color:#4f46e5}</style></head>
<body><main><h1 class="${page.tone}">${escapeHtml(page.title)}</h1>${page.body}</main>
${page.script ? `<script nonce="${nonce}">${page.script}</script>` : ''}</body></html>`;
  return reply
    .status(status)
    .header('content-security-policy', csp)
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('cross-origin-opener-policy', 'unsafe-none')
    .header('cache-control', 'no-store')
    .header('referrer-policy', page.referrerPolicy ?? 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(html);
}

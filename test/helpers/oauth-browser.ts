import type { FastifyInstance } from 'fastify';

/**
 * One browser's part of the connect flow, over `inject`: its cookie jar, and "begin" as the wizard's
 * popup does it (the begin page's own same-origin POST, reporting the opener's origin). Two of these
 * are two people's browsers.
 */
export interface TestBrowser {
  cookies: Map<string, string>;
  cookieHeader(): string;
  keep(setCookie: string | string[] | undefined): void;
}

export function testBrowser(): TestBrowser {
  const cookies = new Map<string, string>();
  return {
    cookies,
    cookieHeader: () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    keep(setCookie) {
      for (const line of [setCookie ?? []].flat()) {
        const [pair, ...attributes] = line.split(';');
        const [name, value] = pair!.split('=') as [string, string];
        if (attributes.some((a) => /max-age=0$/i.test(a.trim()))) cookies.delete(name);
        else cookies.set(name, value);
      }
    },
  };
}

/** The popup's begin step in `browser`: the begin page posts the ticket with its opener's origin. */
export async function beginInPopup(app: FastifyInstance, browser: TestBrowser, publicOrigin: string, ticket: string, openerOrigin = publicOrigin) {
  const response = await app.inject({
    method: 'POST', url: '/crm/oauth/begin',
    headers: { origin: publicOrigin, cookie: browser.cookieHeader() },
    payload: { ticket, origin: openerOrigin },
  });
  browser.keep(response.headers['set-cookie']);
  return response;
}

/** The provider sends `browser` back to our callback. */
export async function callbackIn(app: FastifyInstance, browser: TestBrowser, url: URL) {
  const response = await app.inject({ url: `${url.pathname}${url.search}`, headers: { cookie: browser.cookieHeader() } });
  browser.keep(response.headers['set-cookie']);
  return response;
}

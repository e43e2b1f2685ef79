/**
 * A client of the emulators' consent pages, for the bench and the tests: any emulator's page
 * answered "allow" without knowing whose it is. Every consent page keeps one convention (see
 * ../README.md): a <form> whose hidden inputs carry the request, selects whose first option is the
 * default account (and data centre), and a button with value "allow". Returns where the emulator
 * sends the browser (our callback). With `account`, a select offering that account's id as an option
 * answers with it instead of its first (a tenant of its own among many accounts).
 */
export async function answerConsentForm(authorizeUrl: string, account?: number): Promise<URL> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`The consent page answered ${page.status}: ${html.slice(0, 300)}`);
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`The consent page has no form: ${html.slice(0, 300)}`);
  const attribute = (tag: string, name: string) => {
    const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
    return match ? decodeEntities(match[1] ?? match[2] ?? match[3] ?? '') : undefined;
  };
  const fields = new URLSearchParams();
  for (const [input] of form[2]!.matchAll(/<input\b[^>]*>/gi)) {
    if ((attribute(input, 'type') ?? '').toLowerCase() !== 'hidden') continue;
    const name = attribute(input, 'name');
    if (name) fields.append(name, attribute(input, 'value') ?? '');
  }
  for (const [, tag, options] of form[2]!.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
    const name = attribute(tag!, 'name');
    const first = /<option\b([^>]*)>([\s\S]*?)<\/option>/i.exec(options!);
    const offered = [...options!.matchAll(/<option\b([^>]*)>/gi)].map(([, attributes]) => attribute(attributes!, 'value'));
    if (name && account !== undefined && offered.includes(String(account))) fields.append(name, String(account));
    else if (name && first) fields.append(name, attribute(first[1]!, 'value') ?? decodeEntities(first[2]!.trim()));
  }
  const allow = [...form[2]!.matchAll(/<button\b[^>]*>/gi)].map(([tag]) => tag).find((tag) => attribute(tag, 'value') === 'allow');
  if (!allow) throw new Error('The consent form has no button with value "allow"');
  fields.append(attribute(allow, 'name') ?? 'decision', 'allow');
  const method = (attribute(form[1]!, 'method') ?? 'get').toUpperCase();
  const action = new URL(attribute(form[1]!, 'action') ?? '', authorizeUrl);
  if (method === 'GET') for (const [key, value] of fields) action.searchParams.append(key, value);
  const response = await fetch(action, method === 'GET' ? { redirect: 'manual' } : { method, body: fields, redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status < 300 || response.status >= 400 || !location) throw new Error(`The consent form did not redirect (HTTP ${response.status}): ${await response.text()}`);
  return new URL(location, action);
}

const decodeEntities = (value: string) => value
  .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
  .replace(/&#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)))
  .replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');


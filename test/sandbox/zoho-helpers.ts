/** Shared steps of the Zoho emulator tests: the consent page answered as a person would, the records export. */
import type { Sandbox } from '../../src/sandbox/index.js';

export const ZOHO_REDIRECT_URI = 'http://127.0.0.1:3999/crm/oauth/callback';
export const ZOHO_SCOPES = 'ZohoCRM.modules.ALL,ZohoCRM.users.READ,ZohoCRM.org.READ,ZohoCRM.settings.ALL';

/** GET the consent page, POST "Accept" with its first data centre and org; returns the redirect's query. */
export async function answerZohoConsent(sb: Sandbox<'zoho'>, options: { location?: string; prefix?: string; accessType?: string } = {}): Promise<URLSearchParams> {
  const url = sb.urls.zoho;
  const prefix = options.prefix ?? '';
  const query = new URLSearchParams({ client_id: sb.apps.zoho.clientId, redirect_uri: ZOHO_REDIRECT_URI, response_type: 'code', scope: ZOHO_SCOPES, access_type: options.accessType ?? 'offline', state: 'st-1' });
  const page = await fetch(`${url}${prefix}/oauth/v2/auth?${query}`);
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}`);
  const html = await page.text();
  const org = /name="org_id"><option value="(\d+)"/.exec(html)![1]!;
  const location = options.location ?? /name="location"><option value="([a-z]+)"/.exec(html)![1]!;
  const form = new URLSearchParams({ ...Object.fromEntries(query), location, org_id: org, decision: 'allow' });
  const answer = await fetch(`${url}${prefix}/oauth/v2/auth`, { method: 'POST', body: form, redirect: 'manual' });
  if (answer.status !== 302) throw new Error(`consent answered ${answer.status}: ${await answer.text()}`);
  return new URL(answer.headers.get('location')!).searchParams;
}

export interface ExportedZohoRecord { id: string; updatedAt: string; archived: boolean; properties: Record<string, unknown>; associations: Record<string, string[]> }

export async function exportZoho(sb: Sandbox<'zoho'>, object: string, archived = 'false'): Promise<ExportedZohoRecord[]> {
  const response = await fetch(`${sb.urls.zoho}/_sandbox/records/${object}?archived=${archived}`);
  return (await response.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

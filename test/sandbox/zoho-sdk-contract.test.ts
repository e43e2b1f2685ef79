/**
 * Zoho's official TypeScript SDK for API v8 drives the emulator, unchanged: a custom Environment
 * points its API URL and accounts URL at the emulator. Where the SDK fails, the emulator is wrong.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ZOHO from '@zohocrm/typescript-sdk-8.0';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { answerZohoConsent, exportZoho, ZOHO_REDIRECT_URI } from './zoho-helpers.js';

let sb: Sandbox<'zoho'>;
let dir: string;
beforeAll(async () => {
  sb = await startSandbox({ providers: ['zoho'], seed: 7, records: { contacts: 450, companies: 60, deals: 120 }, redirectUris: [ZOHO_REDIRECT_URI] });
  dir = mkdtempSync(join(tmpdir(), 'zoho-sdk-'));
  const url = sb.urls.zoho;
  const code = (await answerZohoConsent(sb)).get('code')!;
  const token = new ZOHO.OAuthBuilder().clientId(sb.apps.zoho.clientId).clientSecret(sb.apps.zoho.clientSecret).grantToken(code).redirectURL(ZOHO_REDIRECT_URI).build();
  const environment = new ZOHO.Environment(url, `${url}/oauth/v2/token`, url);
  const config = new ZOHO.SDKConfigBuilder().autoRefreshFields(false).pickListValidation(false).build();
  await (await new ZOHO.InitializeBuilder())
    .environment(environment).token(token).store(new ZOHO.FileStore(join(dir, 'tokens.txt'))).SDKConfig(config).resourcePath(dir)
    .initialize();
}, 60_000);
afterAll(async () => {
  await sb?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const Records = ZOHO.Record;

async function getPage(module: string, params: [unknown, unknown][], headers: [unknown, unknown][] = []) {
  const paramMap = new ZOHO.ParameterMap();
  for (const [key, value] of params) await paramMap.add(key as never, value as never);
  const headerMap = new ZOHO.HeaderMap();
  for (const [key, value] of headers) await headerMap.add(key as never, value as never);
  return new Records.RecordOperations(module).getRecords(paramMap, headerMap);
}

describe('Zoho CRM v8 through the official SDK', () => {
  it('exchanges the consent page\'s code and lists every contact with page_token to the end', async () => {
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const response = await getPage('Contacts', [[Records.GetRecordsParam.FIELDS, 'First_Name,Last_Name,Email,Account_Name,Modified_Time'], [Records.GetRecordsParam.PER_PAGE, 200], [Records.GetRecordsParam.SORT_ORDER, 'asc'], ...(pageToken ? [[Records.GetRecordsParam.PAGE_TOKEN, pageToken] as [unknown, unknown]] : [])]);
      expect(response.getStatusCode()).toBe(200);
      const wrapper = response.getObject();
      expect(wrapper).toBeInstanceOf(Records.ResponseWrapper);
      const body = wrapper as InstanceType<typeof Records.ResponseWrapper>;
      for (const record of body.getData()) seen.push(String(record.getId()));
      pageToken = body.getInfo().getMoreRecords() ? body.getInfo().getNextPageToken() : undefined;
    } while (pageToken);
    expect(seen).toEqual((await exportZoho(sb, 'contacts')).map((r) => r.id));
  });

  it('reads lookups, owners and times as the SDK types them', async () => {
    const response = await getPage('Deals', [[Records.GetRecordsParam.FIELDS, 'Deal_Name,Amount,Account_Name,Owner,Closing_Date,Modified_Time'], [Records.GetRecordsParam.PER_PAGE, 5]]);
    const deal = (response.getObject() as InstanceType<typeof Records.ResponseWrapper>).getData()[0]!;
    expect(typeof deal.getKeyValue('Deal_Name')).toBe('string');
    expect(deal.getKeyValue('Modified_Time')).toBeInstanceOf(Date);
    expect(typeof deal.getKeyValue('Amount')).toBe('number');
  });

  it('sees 304 for a conditional listing with nothing newer, and an API error in Zoho\'s envelope', async () => {
    const none = await getPage('Contacts', [[Records.GetRecordsParam.FIELDS, 'Last_Name']], [[Records.GetRecordsHeader.IF_MODIFIED_SINCE, new Date('2099-01-01T00:00:00Z')]]);
    expect(none.getStatusCode()).toBe(304);
    const tooFar = await getPage('Contacts', [[Records.GetRecordsParam.FIELDS, 'Last_Name'], [Records.GetRecordsParam.PAGE, 11], [Records.GetRecordsParam.PER_PAGE, 200]]);
    expect(tooFar.getStatusCode()).toBe(400);
    const error = tooFar.getObject() as InstanceType<typeof Records.APIException>;
    expect(error.getCode().getValue()).toBe('DISCRETE_PAGINATION_LIMIT_EXCEEDED');
  });

  it('creates records (mixed results answer 207) and reads the count', async () => {
    const ok = new Records.Record();
    ok.addKeyValue('Last_Name', 'Lovelace');
    ok.addKeyValue('First_Name', 'Ada');
    const bad = new Records.Record();
    bad.addKeyValue('First_Name', 'No last name');
    const body = new Records.BodyWrapper();
    body.setData([ok, bad]);
    const response = await new Records.RecordOperations('Contacts').createRecords(body, new ZOHO.HeaderMap());
    expect(response.getStatusCode()).toBe(207);
    const rows = (response.getObject() as InstanceType<typeof Records.ActionWrapper>).getData();
    expect(rows[0]).toBeInstanceOf(Records.SuccessResponse);
    expect((rows[1] as InstanceType<typeof Records.APIException>).getCode().getValue()).toBe('MANDATORY_NOT_FOUND');
    const count = await new Records.RecordOperations('Contacts').recordCount(new ZOHO.ParameterMap());
    expect((count.getObject() as InstanceType<typeof Records.CountWrapper>).getCount()).toBe(451n);
  });

  it('reads records by ids= (how Pulse reads the records a notification named): live ones only, 204 when none is', async () => {
    const [first, second, gone] = (await exportZoho(sb, 'contacts')).map((r) => r.id);
    const deleted = await fetch(`${sb.urls.zoho}/_sandbox/records/contacts/${gone}`, { method: 'DELETE' });
    expect(deleted.ok).toBe(true);
    const ids = (list: string[]) => getPage('Contacts', [[Records.GetRecordsParam.IDS, list.join(',')], [Records.GetRecordsParam.FIELDS, 'Last_Name,Account_Name,Modified_Time']]);
    const response = await ids([first!, gone!, second!]);
    expect(response.getStatusCode()).toBe(200);
    const records = (response.getObject() as InstanceType<typeof Records.ResponseWrapper>).getData();
    expect(records.map((record) => String(record.getId())).sort()).toEqual([first, second].sort());
    expect(records[0]!.getKeyValue('Modified_Time')).toBeInstanceOf(Date);
    expect((await ids([gone!])).getStatusCode()).toBe(204);
  });
});

/**
 * The Salesforce emulator narrows a query to the rows an index would reach (Id bounds and IN lists,
 * SystemModstamp lower bounds, a deal range's contact roles). Narrowing must never change an answer:
 * each query here is compared with the same query made un-narrowable (its WHERE inside an OR with a
 * condition that matches nothing), which reads every row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

let sb: Sandbox<'salesforce'>;
let url: string;
let token: string;
const base = '/services/data/v60.0';

beforeAll(async () => {
  sb = await startSandbox({ providers: ['salesforce'], seed: 11, records: { contacts: 1500, companies: 120, deals: 400 } });
  url = sb.urls.salesforce;
  token = (await call('POST', '/_sandbox/tokens', {})).access_token;
});
afterAll(() => sb.close());

async function call(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Every row of a query (queryAll with `all`), following nextRecordsUrl. */
async function rows(soql: string, all = false): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let page = await call('GET', `${base}/${all ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`);
  out.push(...page.records);
  while (!page.done) {
    page = await call('GET', page.nextRecordsUrl);
    out.push(...page.records);
  }
  return out;
}

/** The same WHERE, made un-narrowable: only top-level conditions narrow, and this Id matches nothing. */
const scanned = (soql: string) => soql.replace(/ WHERE (.*?)( ORDER BY .*)?$/, (_, where: string, order = '') => ` WHERE (${where}) OR Id = '003000000000000AAA'${order}`);

async function expectSameAnswer(soql: string, all = false) {
  const narrowed = await rows(soql, all);
  expect(narrowed).toEqual(await rows(scanned(soql), all));
  return narrowed;
}

describe('queries narrowed by an index answer as a full scan does', () => {
  it('Id bounds and IN lists', async () => {
    const ids = (await rows('SELECT Id FROM Contact ORDER BY Id')).map((r) => r.Id as string);
    const some = [ids[7]!, ids[900]!, ids[3]!, ids[1499]!];
    expect(await expectSameAnswer(`SELECT Id, LastName FROM Contact WHERE Id IN ('${some.join("','")}')`)).toHaveLength(4);
    expect(await expectSameAnswer(`SELECT Id FROM Contact WHERE Id > '${ids[100]}' AND Id <= '${ids[300]}' ORDER BY Id`)).toHaveLength(200);
    expect(await expectSameAnswer(`SELECT Id FROM Contact WHERE Id IN ('003999999999999AAA', 'not an id')`)).toHaveLength(0);
  });

  it('changes since a time, deletions included for queryAll, in SystemModstamp order', async () => {
    const { nowMs } = await call('POST', '/_sandbox/clock', { advanceMs: 60_000 });
    const since = new Date(nowMs).toISOString().replace('Z', '+0000');
    await call('POST', '/_sandbox/clock', { advanceMs: 1_000 });
    const ids = (await rows('SELECT Id FROM Contact ORDER BY Id LIMIT 50')).map((r) => r.Id as string);
    await call('PATCH', `${base}/sobjects/Contact/${ids[10]}`, { LastName: 'Changed' });
    await call('DELETE', `${base}/sobjects/Contact/${ids[20]}`);
    await call('POST', `${base}/sobjects/Contact`, { LastName: 'New' });
    const soql = `SELECT Id, LastName, IsDeleted, SystemModstamp FROM Contact WHERE SystemModstamp >= ${since} ORDER BY SystemModstamp, Id`;
    const changed = await expectSameAnswer(soql, true);
    expect(changed.map((r) => r.LastName)).toEqual(expect.arrayContaining(['Changed', 'New']));
    expect(changed.find((r) => r.Id === ids[20])).toMatchObject({ IsDeleted: true });
    expect(changed).toHaveLength(3);
    expect(await expectSameAnswer(soql)).toHaveLength(2);
  });

  it("a range of deals' contact roles, and roles changed since a time", async () => {
    const deals = (await rows('SELECT Id FROM Opportunity ORDER BY Id')).map((r) => r.Id as string);
    const inRange = await expectSameAnswer(`SELECT OpportunityId, ContactId FROM OpportunityContactRole WHERE OpportunityId >= '${deals[40]}' AND OpportunityId <= '${deals[80]}'`);
    expect(inRange.length).toBeGreaterThan(0);
    expect(inRange.every((r) => (r.OpportunityId as string) >= deals[40]! && (r.OpportunityId as string) <= deals[80]!)).toBe(true);
    await expectSameAnswer(`SELECT OpportunityId, ContactId FROM OpportunityContactRole WHERE OpportunityId IN ('${deals[5]}','${deals[300]}')`);

    const { nowMs } = await call('POST', '/_sandbox/clock', { advanceMs: 60_000 });
    const since = new Date(nowMs).toISOString().replace('Z', '+0000');
    await call('POST', '/_sandbox/clock', { advanceMs: 1_000 });
    const contact = (await rows('SELECT Id FROM Contact ORDER BY Id LIMIT 1'))[0]!.Id as string;
    await call('PUT', '/_sandbox/associations', { fromType: 'deals', fromId: deals[123], toType: 'contacts', toId: contact });
    await call('DELETE', `${base}/sobjects/Opportunity/${deals[200]}`);
    const soql = `SELECT OpportunityId, ContactId, IsDeleted FROM OpportunityContactRole WHERE SystemModstamp >= ${since}`;
    const changed = await expectSameAnswer(soql, true);
    expect(changed).toContainEqual(expect.objectContaining({ OpportunityId: deals[123], ContactId: contact, IsDeleted: false }));
    expect(changed.filter((r) => r.OpportunityId === deals[200]).every((r) => r.IsDeleted === true)).toBe(true);
  });
});

/**
 * Seeded Salesforce data: columns (ids, times, links) built eagerly, fields derived per record from
 * (seed, ordinal) on read, as in every emulator (../core/collection.ts). Values are stored under the
 * sObject field names; AccountId and contact roles are links in the association store.
 */
import { Collection, type Props } from '../core/collection.js';
import { buildPools, gappedIds, linkColumn, slug, spreadTimes, type NamePools } from '../core/generator.js';
import { hash32, pick, stringKey, unit } from '../core/random.js';
import { emptyDataset, type Dataset, type SandboxAccount, type SandboxUser } from '../core/store.js';
import { FIRST_ID, INDUSTRIES, LEAD_SOURCES, OBJECT_TYPES, PRIORITIES, STAGES, TIERS, type ObjectType } from './objects.js';

export interface RecordCounts { contacts: number; companies: number; deals: number }

/** Seeded data ends here, so the same seed gives the same timestamps on any day. */
export const DEFAULT_ANCHOR = Date.UTC(2026, 9, 1);

export function splitCounts(records: number | Partial<RecordCounts> | undefined): RecordCounts {
  if (records === undefined) return { contacts: 0, companies: 0, deals: 0 };
  if (typeof records === 'number') {
    const companies = Math.round(records * 0.1);
    const deals = Math.round(records * 0.2);
    return { contacts: records - companies - deals, companies, deals };
  }
  return { contacts: records.contacts ?? 0, companies: records.companies ?? 0, deals: records.deals ?? 0 };
}

const pools = new Map<number, NamePools>();
const poolsFor = (seed: number) => {
  let p = pools.get(seed);
  if (!p) pools.set(seed, (p = buildPools(seed)));
  return p;
};
const phone = (h: number) => `(${200 + (h % 800)}) 555-${String(h % 10000).padStart(4, '0')}`;
const day = (ms: number) => new Date(ms - (ms % 86_400_000)).toISOString().slice(0, 10);

/** The owner ids (User, prefix 005) of an org's users. */
export const ownerIdOf = (user: SandboxUser) => `005${String(user.ownerId).padStart(12, '0')}AAA`;

export function seedDataset(seed: number, counts: RecordCounts, users: SandboxUser[], anchor = DEFAULT_ANCHOR): Dataset {
  const p = poolsFor(seed);
  const data = emptyDataset();
  const owners = users.map(ownerIdOf);
  const owner = (key: number, i: number) => (owners.length ? pick(owners, seed, key, i) : '');
  const key = (t: string) => stringKey(`salesforce:${t}`);
  const kC = key('contacts');
  const kA = key('companies');
  const kO = key('deals');
  const contactAccount = linkColumn(seed, kC ^ 1, counts.contacts, counts.companies, 0.9);
  const dealAccount = linkColumn(seed, kO ^ 1, counts.deals, counts.companies, 0.95);
  const dealContact = linkColumn(seed, kO ^ 2, counts.deals, counts.contacts, 0.9);
  const companySlugs = p.companies.map(slug);
  const companyName = (i: number) => p.companies[i % p.companies.length]!;
  const domain = (i: number) => `${companySlugs[i % p.companies.length]}${Math.floor(i / p.companies.length) || ''}.${pick(p.tlds, seed, kA ^ 2, i)}`;

  const deriveAccount = (i: number): Props => ({
    Name: companyName(i), Website: `www.${domain(i)}`, Industry: pick(INDUSTRIES, seed, kA ^ 3, i), Phone: phone(hash32(seed, kA ^ 4, i)),
    BillingCity: pick(p.cities, seed, kA ^ 5, i), BillingCountry: pick(p.countries, seed, kA ^ 6, i),
    NumberOfEmployees: String(5 + (hash32(seed, kA ^ 7, i) % 5000)), AnnualRevenue: String((1 + (hash32(seed, kA ^ 8, i) % 5000)) * 10000),
    OwnerId: owner(kA ^ 9, i), Customer_Tier__c: pick(TIERS, seed, kA ^ 10, i), Health_Score__c: String(hash32(seed, kA ^ 11, i) % 101),
  });
  const deriveContact = (i: number): Props => {
    const first = pick(p.firstNames, seed, kC ^ 2, i);
    const last = pick(p.lastNames, seed, kC ^ 3, i);
    const account = contactAccount[i]!;
    return {
      FirstName: first, LastName: last, Email: `${slug(first)}.${slug(last)}${i}@${account >= 0 ? domain(account) : 'example.com'}`,
      Phone: phone(hash32(seed, kC ^ 4, i)), Title: pick(p.jobTitles, seed, kC ^ 5, i), MailingCity: pick(p.cities, seed, kC ^ 6, i),
      MailingCountry: pick(p.countries, seed, kC ^ 7, i), LeadSource: pick(LEAD_SOURCES, seed, kC ^ 8, i), OwnerId: owner(kC ^ 9, i),
      Loyalty_Tier__c: unit(seed, kC ^ 10, i) < 0.3 ? pick(TIERS, seed, kC ^ 11, i) : '', Engagement_Score__c: String(hash32(seed, kC ^ 12, i) % 101),
    };
  };
  const dealTimes = spreadTimes(seed, kO, counts.deals, anchor);
  const deriveDeal = (i: number): Props => {
    const account = dealAccount[i]!;
    const stage = pick(STAGES, seed, kO ^ 3, i);
    return {
      Name: `${account >= 0 ? companyName(account) : pick(p.lastNames, seed, kO ^ 4, i)} - ${pick(p.products, seed, kO ^ 5, i)}`,
      Amount: String((1 + (hash32(seed, kO ^ 6, i) % 2000)) * 50), StageName: stage,
      CloseDate: day(dealTimes.created[i]! + Math.floor(unit(seed, kO ^ 7, i) * 180) * 86_400_000),
      Probability: String(stage === 'Closed Won' ? 100 : stage === 'Closed Lost' ? 0 : 10 * (1 + (STAGES.indexOf(stage) % 9))),
      CurrencyIsoCode: 'USD', OwnerId: owner(kO ^ 8, i), Renewal__c: unit(seed, kO ^ 9, i) < 0.2 ? 'true' : 'false',
      Deal_Priority__c: pick(PRIORITIES, seed, kO ^ 10, i), Discount_Percent__c: String(hash32(seed, kO ^ 11, i) % 31),
    };
  };
  const make = (type: ObjectType, k: number, count: number, derive: (i: number) => Props, times = spreadTimes(seed, k, count, anchor)) =>
    new Collection(type, { ids: gappedIds(seed, k, count, FIRST_ID[type]), ...times }, derive, FIRST_ID[type]);
  data.collections.set('contacts', make('contacts', kC, counts.contacts, deriveContact));
  data.collections.set('companies', make('companies', kA, counts.companies, deriveAccount));
  data.collections.set('deals', make('deals', kO, counts.deals, deriveDeal, dealTimes));
  data.associations.setColumn('contacts', 'companies', contactAccount);
  data.associations.setColumn('deals', 'companies', dealAccount);
  data.associations.setColumn('deals', 'contacts', dealContact);
  return data;
}

/** The fields a "touch" (a user's edit of one field) changes, per object. */
const TOUCHABLE: Record<ObjectType, string[]> = { contacts: ['Title', 'Phone', 'MailingCity', 'LeadSource'], companies: ['Phone', 'NumberOfEmployees', 'BillingCity', 'Industry'], deals: ['Amount', 'StageName', 'Probability'] };

/** A realistic new record (admin create without fields). */
export function generateFields(account: SandboxAccount, seed: number, type: ObjectType, n: number): Props {
  const p = poolsFor(seed);
  const k = stringKey(`salesforce:generated:${type}`) ^ account.id;
  const h = (salt: number) => hash32(seed, k ^ salt, n);
  const owner = account.users.length ? ownerIdOf(account.users[h(1) % account.users.length]!) : '';
  if (type === 'companies') {
    const name = pick(p.companies, seed, k ^ 2, n);
    return { Name: name, Website: `www.${slug(name)}-${n}.com`, Industry: pick(INDUSTRIES, seed, k ^ 3, n), Phone: phone(h(4)), BillingCity: pick(p.cities, seed, k ^ 5, n),
      BillingCountry: pick(p.countries, seed, k ^ 6, n), NumberOfEmployees: String(5 + (h(7) % 5000)), AnnualRevenue: String((1 + (h(8) % 5000)) * 10000), OwnerId: owner, Customer_Tier__c: pick(TIERS, seed, k ^ 9, n) };
  }
  if (type === 'contacts') {
    const first = pick(p.firstNames, seed, k ^ 10, n);
    const last = pick(p.lastNames, seed, k ^ 11, n);
    return { FirstName: first, LastName: last, Email: `${slug(first)}.${slug(last)}.n${n}@example.com`, Phone: phone(h(12)), Title: pick(p.jobTitles, seed, k ^ 13, n),
      MailingCity: pick(p.cities, seed, k ^ 14, n), MailingCountry: pick(p.countries, seed, k ^ 15, n), LeadSource: pick(LEAD_SOURCES, seed, k ^ 16, n), OwnerId: owner, Loyalty_Tier__c: '' };
  }
  return { Name: `${pick(p.companies, seed, k ^ 17, n)} - ${pick(p.products, seed, k ^ 18, n)}`, Amount: String((1 + (h(19) % 2000)) * 50), StageName: pick(STAGES.slice(0, 8), seed, k ^ 20, n),
    CloseDate: day(Date.UTC(2026, 0, 1) + (h(21) % 540) * 86_400_000), Probability: '20', CurrencyIsoCode: 'USD', OwnerId: owner, Renewal__c: 'false' };
}

/** One changed field, as a user's edit would. */
export function touchFields(account: SandboxAccount, seed: number, type: ObjectType, current: Props, n: number): Props {
  const fields = TOUCHABLE[type];
  for (let attempt = 0; attempt < 16; attempt++) {
    const field = fields[(n + attempt) % fields.length]!;
    const value = type === 'deals' && field === 'StageName' ? pick(STAGES, seed, n, attempt) : type === 'deals' ? String(10 * (1 + ((n + attempt) % 9)) * (field === 'Amount' ? 37 : 1))
      : generateFields(account, seed, type, n * 31 + attempt + 1)[field]!;
    if (value !== current[field]) return { [field]: value };
  }
  return { Phone: phone(hash32(seed, n, 7919)) };
}

export { OBJECT_TYPES };

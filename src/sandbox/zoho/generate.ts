/**
 * Seeded Zoho data: id, time and link columns built eagerly (well under a second for a million
 * records), field values derived per record on read from (seed, ordinal), so memory stays flat.
 * Times are whole seconds, as Zoho keeps them. Lookups (Account_Name, Contact_Name) are links in the
 * association store, shown as `{name, id}` when a record is served.
 */
import { Collection, type Props } from '../core/collection.js';
import { buildPools, gappedIds, linkColumn, slug, spreadTimes, type NamePools } from '../core/generator.js';
import { hash32, pick, stringKey, unit } from '../core/random.js';
import { emptyDataset, type Dataset, type SandboxUser } from '../core/store.js';
import { toSecond } from './ids.js';
import { DEAL_STAGES, DEAL_TYPES, INDUSTRIES, LEAD_SOURCES, MODULES, PRIORITIES, TIERS, type ObjectType } from './modules.js';

export interface RecordCounts {
  contacts: number;
  companies: number;
  deals: number;
}

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
function poolsFor(seed: number): NamePools {
  let p = pools.get(seed);
  if (!p) pools.set(seed, (p = buildPools(seed)));
  return p;
}

const phone = (seed: number, key: number, i: number) => {
  const h = hash32(seed, key, i);
  return `+1 ${200 + (h % 800)}-555-${String(h % 10000).padStart(4, '0')}`;
};

function secondTimes(seed: number, key: number, count: number, anchor: number) {
  const times = spreadTimes(seed, key, count, anchor);
  for (let i = 0; i < count; i++) {
    times.created[i] = toSecond(times.created[i]!);
    times.updated[i] = Math.max(times.created[i]!, toSecond(times.updated[i]!));
  }
  return times;
}

/** Owners are stored by user ordinal (a string, like every stored value); serialize.ts shows the lookup. */
export function seedDataset(seed: number, counts: RecordCounts, owners: SandboxUser[], anchor = DEFAULT_ANCHOR): Dataset {
  const p = poolsFor(seed);
  const data = emptyDataset();
  const ownerIds = owners.map((o) => String(o.id));
  const owner = (key: number, i: number) => (ownerIds.length ? pick(ownerIds, seed, key, i) : '');
  const key = (t: string) => stringKey(`zoho:${t}`);
  const kC = key('contacts');
  const kA = key('accounts');
  const kD = key('deals');

  const contactAccount = linkColumn(seed, kC ^ 1, counts.contacts, counts.companies, 0.9);
  const dealAccount = linkColumn(seed, kD ^ 1, counts.deals, counts.companies, 0.95);
  const dealContact = linkColumn(seed, kD ^ 2, counts.deals, counts.contacts, 0.9);

  const companySlugs = p.companies.map(slug);
  const firstSlugs = p.firstNames.map(slug);
  const lastSlugs = p.lastNames.map(slug);
  const companyName = (i: number) => {
    const round = Math.floor(i / p.companies.length);
    return `${p.companies[i % p.companies.length]!}${round ? ` ${round + 1}` : ''}`;
  };
  const companyDomain = (i: number) => {
    const round = Math.floor(i / p.companies.length);
    return `${companySlugs[i % p.companies.length]}${round ? round + 1 : ''}.${pick(p.tlds, seed, kA ^ 2, i)}`;
  };

  const deriveAccount = (i: number): Props => ({
    Owner: owner(kA ^ 10, i),
    Account_Name: companyName(i),
    Website: `https://www.${companyDomain(i)}`,
    Phone: phone(seed, kA ^ 3, i),
    Industry: pick(INDUSTRIES, seed, kA ^ 6, i),
    Billing_City: pick(p.cities, seed, kA ^ 4, i),
    Billing_Country: pick(p.countries, seed, kA ^ 5, i),
    Employees: String(5 + (hash32(seed, kA ^ 7, i) % 5000)),
    Annual_Revenue: String((1 + (hash32(seed, kA ^ 8, i) % 5000)) * 10000),
    Customer_Tier: pick(TIERS, seed, kA ^ 11, i),
    Health_Score: String(hash32(seed, kA ^ 12, i) % 101),
  });

  const deriveContact = (i: number): Props => {
    const fi = hash32(seed, kC ^ 2, i) % p.firstNames.length;
    const li = hash32(seed, kC ^ 3, i) % p.lastNames.length;
    const company = contactAccount[i]!;
    const domain = company >= 0 ? companyDomain(company) : `${pick(['gmail', 'outlook', 'yahoo', 'proton'], seed, kC ^ 4, i)}.com`;
    return {
      Owner: owner(kC ^ 11, i),
      First_Name: p.firstNames[fi]!,
      Last_Name: p.lastNames[li]!,
      Email: `${firstSlugs[fi]}.${lastSlugs[li]}${i}@${domain}`,
      Phone: phone(seed, kC ^ 5, i),
      Title: pick(p.jobTitles, seed, kC ^ 6, i),
      Mailing_City: pick(p.cities, seed, kC ^ 7, i),
      Mailing_Country: pick(p.countries, seed, kC ^ 8, i),
      Lead_Source: pick(LEAD_SOURCES, seed, kC ^ 9, i),
      Loyalty_Tier: pick(TIERS, seed, kC ^ 12, i),
      Engagement_Score: String(hash32(seed, kC ^ 13, i) % 101),
    };
  };

  const dealTimes = secondTimes(seed, kD, counts.deals, anchor);
  const deriveDeal = (i: number): Props => {
    const company = dealAccount[i]!;
    const close = dealTimes.created[i]! + Math.floor(unit(seed, kD ^ 4, i) * 180) * 86_400_000;
    return {
      Owner: owner(kD ^ 9, i),
      Deal_Name: `${company >= 0 ? companyName(company) : pick(p.lastNames, seed, kD ^ 5, i)} - ${pick(p.products, seed, kD ^ 6, i)}`,
      Amount: String((1 + (hash32(seed, kD ^ 7, i) % 2000)) * 50),
      Currency: 'USD',
      Stage: pick(DEAL_STAGES, seed, kD ^ 3, i),
      Pipeline: 'Standard (Standard)',
      Closing_Date: new Date(close).toISOString().slice(0, 10),
      Type: pick(DEAL_TYPES, seed, kD ^ 8, i),
      Deal_Priority: pick(PRIORITIES, seed, kD ^ 10, i),
      Discount_Percent: String(hash32(seed, kD ^ 11, i) % 31),
    };
  };

  const make = (type: ObjectType, k: number, count: number, derive: (i: number) => Props, times = secondTimes(seed, k, count, anchor)) =>
    new Collection(type, { ids: gappedIds(seed, k, count, MODULES[type].firstId), ...times }, derive, MODULES[type].firstId);
  data.collections.set('contacts', make('contacts', kC, counts.contacts, deriveContact));
  data.collections.set('companies', make('companies', kA, counts.companies, deriveAccount));
  data.collections.set('deals', make('deals', kD, counts.deals, deriveDeal, dealTimes));
  data.associations.setColumn('contacts', 'companies', contactAccount);
  data.associations.setColumn('deals', 'companies', dealAccount);
  data.associations.setColumn('deals', 'contacts', dealContact);
  return data;
}

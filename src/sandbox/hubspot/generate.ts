/**
 * Seeded HubSpot data: columns (ids, times, links) are built eagerly, which takes well under a second
 * for a million records; properties are derived per record on read from the seed and the ordinal, so
 * the same seed always serves the same records and memory stays flat.
 */
import { Collection, type Props } from '../core/collection.js';
import { buildPools, gappedIds, linkColumn, slug, spreadTimes, type NamePools } from '../core/generator.js';
import { hash32, pick, stringKey, unit } from '../core/random.js';
import { emptyDataset, type Dataset, type SandboxUser } from '../core/store.js';
import { OBJECTS, type ObjectType } from './objects.js';
import { DEAL_STAGES, DEAL_TYPES, INDUSTRIES, LEAD_STATUSES, LIFECYCLE_STAGES, PRIORITIES, TIERS } from './properties.js';

export interface RecordCounts {
  contacts: number;
  companies: number;
  deals: number;
}

/** Seeded data ends here, so the same seed gives the same timestamps on any day. */
export const DEFAULT_ANCHOR = Date.UTC(2026, 9, 1);

/** `records: N` split 70 / 10 / 20 across contacts, companies, deals. */
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

function phone(seed: number, key: number, i: number): string {
  const h = hash32(seed, key, i);
  return `+1 ${200 + (h % 800)}-555-${String(h % 10000).padStart(4, '0')}`;
}

export function seedDataset(seed: number, counts: RecordCounts, owners: SandboxUser[], anchor = DEFAULT_ANCHOR): Dataset {
  const p = poolsFor(seed);
  const data = emptyDataset();
  const ownerIds = owners.map((o) => String(o.ownerId));
  const owner = (key: number, i: number) => (ownerIds.length ? pick(ownerIds, seed, key, i) : '');
  const key = (t: string) => stringKey(`hubspot:${t}`);
  const kC = key('contacts');
  const kO = key('companies');
  const kD = key('deals');

  const contactCompany = linkColumn(seed, kC ^ 1, counts.contacts, counts.companies, 0.9);
  const dealCompany = linkColumn(seed, kD ^ 1, counts.deals, counts.companies, 0.95);
  const dealContact = linkColumn(seed, kD ^ 2, counts.deals, counts.contacts, 0.9);

  // Slugs are computed once per pool entry: deriving runs for every record served.
  const companySlugs = p.companies.map(slug);
  const firstSlugs = p.firstNames.map(slug);
  const lastSlugs = p.lastNames.map(slug);
  const companyName = (i: number) => p.companies[i % p.companies.length]!;
  const companyDomain = (i: number) => {
    const round = Math.floor(i / p.companies.length);
    return `${companySlugs[i % p.companies.length]}${round ? round + 1 : ''}.${pick(p.tlds, seed, kO ^ 2, i)}`;
  };

  const deriveCompany = (i: number): Props => ({
    name: companyName(i),
    domain: companyDomain(i),
    website: `https://www.${companyDomain(i)}`,
    phone: phone(seed, kO ^ 3, i),
    city: pick(p.cities, seed, kO ^ 4, i),
    country: pick(p.countries, seed, kO ^ 5, i),
    industry: pick(INDUSTRIES, seed, kO ^ 6, i),
    numberofemployees: String(5 + (hash32(seed, kO ^ 7, i) % 5000)),
    annualrevenue: String((1 + (hash32(seed, kO ^ 8, i) % 5000)) * 10000),
    lifecyclestage: pick(LIFECYCLE_STAGES, seed, kO ^ 9, i),
    hubspot_owner_id: owner(kO ^ 10, i),
    customer_tier: pick(TIERS, seed, kO ^ 11, i),
    health_score: String(hash32(seed, kO ^ 12, i) % 101),
  });

  const deriveContact = (i: number): Props => {
    const fi = hash32(seed, kC ^ 2, i) % p.firstNames.length;
    const li = hash32(seed, kC ^ 3, i) % p.lastNames.length;
    const first = p.firstNames[fi]!;
    const last = p.lastNames[li]!;
    const company = contactCompany[i]!;
    const domain = company >= 0 ? companyDomain(company) : `${pick(['gmail', 'outlook', 'yahoo', 'proton'], seed, kC ^ 4, i)}.com`;
    return {
      firstname: first,
      lastname: last,
      email: `${firstSlugs[fi]}.${lastSlugs[li]}${i}@${domain}`,
      phone: phone(seed, kC ^ 5, i),
      company: company >= 0 ? companyName(company) : '',
      jobtitle: pick(p.jobTitles, seed, kC ^ 6, i),
      city: pick(p.cities, seed, kC ^ 7, i),
      country: pick(p.countries, seed, kC ^ 8, i),
      lifecyclestage: pick(LIFECYCLE_STAGES, seed, kC ^ 9, i),
      hs_lead_status: pick(LEAD_STATUSES, seed, kC ^ 10, i),
      hubspot_owner_id: owner(kC ^ 11, i),
      loyalty_tier: unit(seed, kC ^ 12, i) < 0.6 ? pick(TIERS, seed, kC ^ 13, i) : '',
      engagement_score: String(hash32(seed, kC ^ 14, i) % 101),
    };
  };

  const dealTimes = spreadTimes(seed, kD, counts.deals, anchor);
  const deriveDeal = (i: number): Props => {
    const company = dealCompany[i]!;
    const stage = pick(DEAL_STAGES, seed, kD ^ 3, i);
    const created = dealTimes.created[i]!;
    const close = created + Math.floor(unit(seed, kD ^ 4, i) * 180) * 86_400_000;
    return {
      dealname: `${company >= 0 ? companyName(company) : pick(p.lastNames, seed, kD ^ 5, i)} - ${pick(p.products, seed, kD ^ 6, i)}`,
      amount: String((1 + (hash32(seed, kD ^ 7, i) % 2000)) * 50),
      closedate: new Date(close - (close % 86_400_000)).toISOString(),
      pipeline: 'default',
      dealstage: stage,
      dealtype: pick(DEAL_TYPES, seed, kD ^ 8, i),
      description: '',
      hubspot_owner_id: owner(kD ^ 9, i),
      deal_priority: pick(PRIORITIES, seed, kD ^ 10, i),
      discount_percent: String(hash32(seed, kD ^ 11, i) % 31),
    };
  };

  const make = (type: ObjectType, k: number, count: number, derive: (i: number) => Props, times = spreadTimes(seed, k, count, anchor)) =>
    new Collection(type, { ids: gappedIds(seed, k, count, OBJECTS[type].firstId), ...times }, derive, OBJECTS[type].firstId);
  data.collections.set('contacts', make('contacts', kC, counts.contacts, deriveContact));
  data.collections.set('companies', make('companies', kO, counts.companies, deriveCompany));
  data.collections.set('deals', make('deals', kD, counts.deals, deriveDeal, dealTimes));
  data.associations.setColumn('contacts', 'companies', contactCompany);
  data.associations.setColumn('deals', 'companies', dealCompany);
  data.associations.setColumn('deals', 'contacts', dealContact);
  return data;
}

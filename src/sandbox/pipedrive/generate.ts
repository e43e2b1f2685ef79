/**
 * Seeded Pipedrive data: columns (ids, times, links) built eagerly, properties derived per record on
 * read from the seed and the ordinal (flat strings, the v2 shape is made in serialize.ts).
 */
import { Collection, type Props } from '../core/collection.js';
import { buildPools, gappedIds, linkColumn, slug, spreadTimes, type NamePools } from '../core/generator.js';
import { hash32, pick, stringKey, unit } from '../core/random.js';
import { emptyDataset, type Dataset, type SandboxUser } from '../core/store.js';
import { CURRENCIES, customKey, DEAL_STATUSES, INDUSTRIES, PRIORITIES, STAGES, TIERS, type ObjectType } from './objects.js';

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
function poolsFor(seed: number): NamePools {
  let p = pools.get(seed);
  if (!p) pools.set(seed, (p = buildPools(seed)));
  return p;
}

const phone = (seed: number, key: number, i: number) => {
  const h = hash32(seed, key, i);
  return `+1 ${200 + (h % 800)}-555-${String(h % 10000).padStart(4, '0')}`;
};

export const LEAD_SOURCE = customKey('contacts', 'Lead source');
export const ORG_PHONE = customKey('companies', 'Phone');
export const DEAL_SOURCE = customKey('deals', 'Source');
const LOYALTY_TIER = customKey('contacts', 'Loyalty tier');
const ENGAGEMENT = customKey('contacts', 'Engagement score');
const CUSTOMER_TIER = customKey('companies', 'Customer tier');
const HEALTH = customKey('companies', 'Health score');
const PRIORITY = customKey('deals', 'Priority');
const DISCOUNT = customKey('deals', 'Discount %');

export function seedDataset(seed: number, counts: RecordCounts, owners: SandboxUser[], anchor = DEFAULT_ANCHOR): Dataset {
  const p = poolsFor(seed);
  const data = emptyDataset();
  const ownerIds = owners.map((o) => String(o.id));
  const owner = (key: number, i: number) => pick(ownerIds, seed, key, i);
  const key = (t: string) => stringKey(`pipedrive:${t}`);
  const kC = key('persons');
  const kO = key('organizations');
  const kD = key('deals');
  const personOrg = linkColumn(seed, kC ^ 1, counts.contacts, counts.companies, 0.85);
  const dealOrg = linkColumn(seed, kD ^ 1, counts.deals, counts.companies, 0.95);
  const dealPerson = linkColumn(seed, kD ^ 2, counts.deals, counts.contacts, 0.9);
  const companySlugs = p.companies.map(slug);
  const companyName = (i: number) => p.companies[i % p.companies.length]!;
  const companyDomain = (i: number) => {
    const round = Math.floor(i / p.companies.length);
    return `${companySlugs[i % p.companies.length]}${round ? round + 1 : ''}.${pick(p.tlds, seed, kO ^ 2, i)}`;
  };

  const deriveOrg = (i: number): Props => ({
    name: companyName(i),
    owner_id: owner(kO ^ 10, i),
    address_locality: pick(p.cities, seed, kO ^ 4, i),
    address_country: pick(p.countries, seed, kO ^ 5, i),
    website: companyDomain(i),
    industry: String(pick(INDUSTRIES, seed, kO ^ 6, i).id),
    [ORG_PHONE]: phone(seed, kO ^ 3, i),
    [CUSTOMER_TIER]: String(pick(TIERS, seed, kO ^ 11, i).id),
    [HEALTH]: String(hash32(seed, kO ^ 12, i) % 101),
  });

  const deriveContact = (i: number): Props => {
    const first = pick(p.firstNames, seed, kC ^ 2, i);
    const last = pick(p.lastNames, seed, kC ^ 3, i);
    const org = personOrg[i]!;
    const domain = org >= 0 ? companyDomain(org) : `${pick(['gmail', 'outlook', 'yahoo', 'proton'], seed, kC ^ 4, i)}.com`;
    return {
      name: `${first} ${last}`,
      first_name: first,
      last_name: last,
      email: `${slug(first)}.${slug(last)}${i}@${domain}`,
      phone: phone(seed, kC ^ 5, i),
      owner_id: owner(kC ^ 11, i),
      job_title: pick(p.jobTitles, seed, kC ^ 6, i),
      [LEAD_SOURCE]: pick(['Web form', 'Event', 'Referral', 'Import'], seed, kC ^ 7, i),
      [LOYALTY_TIER]: String(pick(TIERS, seed, kC ^ 12, i).id),
      [ENGAGEMENT]: String(hash32(seed, kC ^ 13, i) % 101),
    };
  };

  const dealTimes = spreadTimes(seed, kD, counts.deals, anchor);
  const deriveDeal = (i: number): Props => {
    const org = dealOrg[i]!;
    const created = dealTimes.created[i]!;
    const close = created + Math.floor(unit(seed, kD ^ 4, i) * 180) * 86_400_000;
    const stage = pick(STAGES, seed, kD ^ 3, i);
    return {
      title: `${org >= 0 ? companyName(org) : pick(p.lastNames, seed, kD ^ 5, i)} - ${pick(p.products, seed, kD ^ 6, i)}`,
      value: String((1 + (hash32(seed, kD ^ 7, i) % 2000)) * 50),
      currency: pick(CURRENCIES, seed, kD ^ 8, i),
      status: pick(DEAL_STATUSES, seed, kD ^ 12, i),
      stage_id: String(stage.id),
      pipeline_id: String(stage.pipelineId),
      owner_id: owner(kD ^ 9, i),
      expected_close_date: new Date(close).toISOString().slice(0, 10),
      [DEAL_SOURCE]: pick(['Web', 'Referral', 'Event', 'Outbound'], seed, kD ^ 13, i),
      [PRIORITY]: String(pick(PRIORITIES, seed, kD ^ 14, i).id),
      [DISCOUNT]: String(hash32(seed, kD ^ 15, i) % 31),
    };
  };

  const make = (type: ObjectType, k: number, count: number, derive: (i: number) => Props, times = spreadTimes(seed, k, count, anchor)) =>
    new Collection(type, { ids: gappedIds(seed, k, count, 1), ...times }, derive, 1);
  data.collections.set('contacts', make('contacts', kC, counts.contacts, deriveContact));
  data.collections.set('companies', make('companies', kO, counts.companies, deriveOrg));
  data.collections.set('deals', make('deals', kD, counts.deals, deriveDeal, dealTimes));
  data.associations.setColumn('contacts', 'companies', personOrg);
  data.associations.setColumn('deals', 'companies', dealOrg);
  data.associations.setColumn('deals', 'contacts', dealPerson);
  return data;
}

/** A realistic new record's properties (admin create without properties). */
export function generateProperties(seed: number, type: ObjectType, ordinal: number): Props {
  const data = seedDataset(seed + 7919 * (ordinal + 1), { contacts: type === 'contacts' ? 1 : 0, companies: type === 'companies' ? 1 : 0, deals: type === 'deals' ? 1 : 0 }, [{ id: 0, ownerId: 0, email: '', firstName: '', lastName: '' }]);
  const props = data.collections.get(type)!.props(0);
  delete props.owner_id;
  if (type === 'contacts') props.email = props.email!.replace('@', `.n${ordinal}@`);
  return props;
}

/** One generated field changed, as a user's edit (admin PATCH without properties). */
export function touchProperties(type: ObjectType, current: Props, salt: number): Props {
  if (type === 'contacts') return { phone: `+1 555-${String(salt % 10000).padStart(4, '0')}` };
  if (type === 'companies') return { address_locality: `Touched ${salt}` };
  return { value: String(Number(current.value ?? 0) + 50) };
}

/**
 * One realistic record at a time, for admin creates without properties and for "touches" (a CRM
 * user's edit of one field). Values come from the same name pools as the seeded data, picked by hash
 * of (seed, object, n), so a test run is repeatable; a new contact's `company` and email domain (and a
 * new deal's name) are those of one of the account's live companies, as most are (no link is made).
 */
import type { Props } from '../core/collection.js';
import { buildPools, slug, type NamePools } from '../core/generator.js';
import { hash32, pick, stringKey } from '../core/random.js';
import type { SandboxAccount } from '../core/store.js';
import type { ObjectType } from './objects.js';
import { DEAL_STAGES, DEAL_TYPES, INDUSTRIES, LEAD_STATUSES, LIFECYCLE_STAGES } from './properties.js';

let cached: { seed: number; pools: NamePools } | undefined;
function poolsFor(seed: number): NamePools {
  if (cached?.seed !== seed) cached = { seed, pools: buildPools(seed) };
  return cached.pools;
}

const phone = (h: number) => `+1 ${200 + (h % 800)}-555-${String(h % 10000).padStart(4, '0')}`;

/** The fields a touch changes, one at a time, per object. */
const TOUCHABLE: Record<ObjectType, string[]> = {
  contacts: ['jobtitle', 'phone', 'city', 'hs_lead_status'],
  companies: ['phone', 'numberofemployees', 'city', 'industry'],
  deals: ['amount', 'dealstage', 'dealtype'],
};

export function generateProperties(account: SandboxAccount, seed: number, type: ObjectType, n: number): Props {
  const p = poolsFor(seed);
  const k = stringKey(`hubspot:generated:${type}`) ^ account.id;
  const h = (salt: number) => hash32(seed, k ^ salt, n);
  const owner = String(account.users.length ? account.users[h(1) % account.users.length]!.ownerId : '');
  const companies = account.data.collections.get('companies');
  const companySlot = companies && companies.liveCount > 0 ? companies.page(h(2) % companies.size, 1, false)[0] : undefined;
  const companyName = companySlot === undefined ? pick(p.companies, seed, k ^ 3, n) : companies!.prop(companySlot, 'name') ?? '';
  if (type === 'companies') {
    const name = `${pick(p.companies, seed, k ^ 4, n)}`;
    const domain = `${slug(name)}-${n}.${pick(p.tlds, seed, k ^ 5, n)}`;
    return {
      name, domain, website: `https://www.${domain}`, phone: phone(h(6)), city: pick(p.cities, seed, k ^ 7, n), country: pick(p.countries, seed, k ^ 8, n),
      industry: pick(INDUSTRIES, seed, k ^ 9, n), numberofemployees: String(5 + (h(10) % 5000)), annualrevenue: String((1 + (h(11) % 5000)) * 10000),
      lifecyclestage: pick(LIFECYCLE_STAGES, seed, k ^ 12, n), hubspot_owner_id: owner,
    };
  }
  if (type === 'contacts') {
    const first = pick(p.firstNames, seed, k ^ 13, n);
    const last = pick(p.lastNames, seed, k ^ 14, n);
    const domain = (companySlot !== undefined && companies!.prop(companySlot, 'domain')) || 'gmail.com';
    return {
      firstname: first, lastname: last, email: `${slug(first)}.${slug(last)}.n${n}@${domain}`, phone: phone(h(15)), company: companyName,
      jobtitle: pick(p.jobTitles, seed, k ^ 16, n), city: pick(p.cities, seed, k ^ 17, n), country: pick(p.countries, seed, k ^ 18, n),
      lifecyclestage: pick(LIFECYCLE_STAGES, seed, k ^ 19, n), hs_lead_status: pick(LEAD_STATUSES, seed, k ^ 20, n), hubspot_owner_id: owner,
    };
  }
  const close = Date.UTC(2026, 0, 1) + (h(21) % 540) * 86_400_000;
  return {
    dealname: `${companyName} - ${pick(p.products, seed, k ^ 22, n)}`, amount: String((1 + (h(23) % 2000)) * 50), closedate: new Date(close).toISOString(),
    pipeline: 'default', dealstage: pick(DEAL_STAGES, seed, k ^ 24, n), dealtype: pick(DEAL_TYPES, seed, k ^ 25, n), hubspot_owner_id: owner,
  };
}

/** One changed field, as a CRM user's edit would: a generated value that differs from the current one. */
export function touchProperties(account: SandboxAccount, seed: number, type: ObjectType, current: Props, n: number): Props {
  const fields = TOUCHABLE[type];
  for (let attempt = 0; attempt < 16; attempt++) {
    const field = fields[(n + attempt) % fields.length]!;
    const value = generateProperties(account, seed, type, n * 31 + attempt + 1)[field]!;
    if (value !== current[field]) return { [field]: value };
  }
  // Every draw matched the current value (all but impossible): move the amount or phone number.
  return type === 'deals' ? { amount: String(Number(current.amount || 0) + 50) } : { phone: phone(hash32(seed, n, 7919)) };
}

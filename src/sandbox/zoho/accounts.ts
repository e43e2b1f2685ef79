/**
 * Zoho orgs: users who own records, the seeded dataset, the edition (limit tier) and the data centre
 * the org lives in. The default org is in the US DC; `POST /_sandbox/accounts` adds more (the DC of a
 * new org: `PUT /_sandbox/orgs/{id}` `{ location }`).
 */
import type { NewAccount, RecordCountsInput } from '../core/emulator.js';
import { buildPools, slug } from '../core/generator.js';
import { pick } from '../core/random.js';
import type { SandboxAccount, SandboxStore, SandboxUser } from '../core/store.js';
import type { ZohoContext } from './context.js';
import { DEFAULT_LOCATION } from './datacentres.js';
import { DEFAULT_ANCHOR, seedDataset, splitCounts } from './generate.js';

export const DEFAULT_ORG_ID = 60_000_001;
const USERS_PER_ORG = 8;

function users(seed: number, orgId: number, domain: string, firstEmail?: string): SandboxUser[] {
  const pools = buildPools(seed + orgId);
  return Array.from({ length: USERS_PER_ORG }, (_, i) => {
    const firstName = pick(pools.firstNames, seed, orgId, i);
    const lastName = pick(pools.lastNames, seed, orgId + 1, i);
    const email = i === 0 && firstEmail ? firstEmail : `${slug(firstName)}.${slug(lastName)}@${domain}`;
    const id = 90_000_000 + (orgId % 1000) * 100 + i + 1;
    return { id, ownerId: id, email, firstName, lastName };
  });
}

export function createOrg(store: SandboxStore, orgs: ZohoContext['orgs'], input: Omit<NewAccount, 'records'> & { records?: RecordCountsInput }, anchor = DEFAULT_ANCHOR): SandboxAccount {
  let id = input.id ?? DEFAULT_ORG_ID;
  while (input.id === undefined && store.accounts.has(id)) id++;
  if (store.accounts.has(id)) throw new Error(`org ${id} already exists`);
  const domain = input.domain ?? (id === DEFAULT_ORG_ID ? 'pulse-demo.example.com' : `org-${id}.example.com`);
  const people = users(store.seed, id, domain, input.userEmail);
  const account: SandboxAccount = {
    id,
    name: input.name ?? (id === DEFAULT_ORG_ID ? 'Pulse Demo Org' : `Org ${id}`),
    domain,
    timeZone: 'UTC',
    currency: 'USD',
    users: people,
    limits: input.limits,
    data: seedDataset(store.seed + id - DEFAULT_ORG_ID, splitCounts(input.records), people, anchor),
    createdAt: anchor - 5 * 365 * 86_400_000,
  };
  store.accounts.set(id, account);
  orgs.set(id, { location: DEFAULT_LOCATION, edition: input.limits.tier });
  return account;
}

export function reseedOrg(store: SandboxStore, account: SandboxAccount, seed: number, records: RecordCountsInput, anchor = DEFAULT_ANCHOR): void {
  store.seed = seed;
  account.data = seedDataset(seed + account.id - DEFAULT_ORG_ID, splitCounts(records), account.users, anchor);
}

/** Salesforce orgs: users who own records, the seeded dataset and the edition's limits. */
import { buildPools, slug } from '../core/generator.js';
import { pick } from '../core/random.js';
import type { LimitSettings, SandboxAccount, SandboxStore, SandboxUser } from '../core/store.js';
import { DEFAULT_ANCHOR, seedDataset, splitCounts, type RecordCounts } from './generate.js';

export const DEFAULT_ORG = 31_000_001;
const USERS_PER_ORG = 8;

export interface OrgInput {
  id?: number;
  name?: string;
  domain?: string;
  userEmail?: string;
  records?: number | Partial<RecordCounts>;
  limits: LimitSettings;
}

function users(seed: number, orgId: number, domain: string, firstEmail?: string): SandboxUser[] {
  const pools = buildPools(seed + orgId);
  return Array.from({ length: USERS_PER_ORG }, (_, i) => {
    const firstName = pick(pools.firstNames, seed, orgId, i);
    const lastName = pick(pools.lastNames, seed, orgId + 1, i);
    const email = i === 0 && firstEmail ? firstEmail : `${slug(firstName)}.${slug(lastName)}@${domain}`;
    const id = (orgId % 1000) * 100_000 + 7_000_000 + i + 1;
    return { id, ownerId: id, email, firstName, lastName };
  });
}

export function createOrg(store: SandboxStore, input: OrgInput, anchor = DEFAULT_ANCHOR): SandboxAccount {
  let id = input.id ?? DEFAULT_ORG;
  while (input.id === undefined && store.accounts.has(id)) id++;
  if (store.accounts.has(id)) throw new Error(`org ${id} already exists`);
  const domain = input.domain ?? (id === DEFAULT_ORG ? 'pulse-demo.example.com' : `org-${id}.example.com`);
  const people = users(store.seed, id, domain, input.userEmail);
  const org: SandboxAccount = {
    id, name: input.name ?? (id === DEFAULT_ORG ? 'Pulse Demo Org' : `Org ${id}`), domain, timeZone: 'UTC', currency: 'USD', users: people, limits: input.limits,
    data: seedDataset(store.seed + id - DEFAULT_ORG, splitCounts(input.records), people, anchor), createdAt: anchor - 5 * 365 * 86_400_000,
  };
  store.accounts.set(id, org);
  return org;
}

export function reseedOrg(store: SandboxStore, org: SandboxAccount, seed: number, records: number | Partial<RecordCounts>, anchor = DEFAULT_ANCHOR): void {
  store.seed = seed;
  org.data = seedDataset(seed + org.id - DEFAULT_ORG, splitCounts(records), org.users, anchor);
}

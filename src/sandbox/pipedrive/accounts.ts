/**
 * Pipedrive companies (our accounts): users who own records (a 10-seat company by default), the
 * seeded dataset and the plan's limits.
 */
import { buildPools, slug } from '../core/generator.js';
import { pick } from '../core/random.js';
import type { LimitSettings, SandboxAccount, SandboxStore, SandboxUser } from '../core/store.js';
import { DEFAULT_ANCHOR, seedDataset, splitCounts, type RecordCounts } from './generate.js';
import { DEFAULT_SEATS } from './limits.js';

export const DEFAULT_COMPANY_ID = 13_000_001;

export interface AccountInput {
  id?: number;
  name?: string;
  domain?: string;
  userEmail?: string;
  records?: number | Partial<RecordCounts>;
  limits: LimitSettings;
}

function users(seed: number, companyId: number, domain: string, firstEmail?: string): SandboxUser[] {
  const pools = buildPools(seed + companyId);
  return Array.from({ length: DEFAULT_SEATS }, (_, i) => {
    const firstName = pick(pools.firstNames, seed, companyId, i);
    const lastName = pick(pools.lastNames, seed, companyId + 1, i);
    const email = i === 0 && firstEmail ? firstEmail : `${slug(firstName)}.${slug(lastName)}@${domain}`;
    const id = (companyId % 1000) * 100_000 + 21_000_000 + i + 1;
    return { id, ownerId: id, email, firstName, lastName };
  });
}

export function createAccount(store: SandboxStore, input: AccountInput, anchor = DEFAULT_ANCHOR): SandboxAccount {
  let id = input.id ?? DEFAULT_COMPANY_ID;
  while (input.id === undefined && store.accounts.has(id)) id++;
  if (store.accounts.has(id)) throw new Error(`company ${id} already exists`);
  const domain = input.domain ?? (id === DEFAULT_COMPANY_ID ? 'pulse-demo.pipedrive.example.com' : `company-${id}.pipedrive.example.com`);
  const people = users(store.seed, id, domain, input.userEmail);
  const account: SandboxAccount = {
    id,
    name: input.name ?? (id === DEFAULT_COMPANY_ID ? 'Pulse Demo Company' : `Company ${id}`),
    domain,
    timeZone: 'UTC',
    currency: 'USD',
    users: people,
    limits: input.limits,
    data: seedDataset(store.seed + id - DEFAULT_COMPANY_ID, splitCounts(input.records), people, anchor),
    createdAt: anchor - 5 * 365 * 86_400_000,
  };
  store.accounts.set(id, account);
  return account;
}

export function reseedAccount(store: SandboxStore, account: SandboxAccount, seed: number, records: number | Partial<RecordCounts>, anchor = DEFAULT_ANCHOR): void {
  store.seed = seed;
  account.data = seedDataset(seed + account.id - DEFAULT_COMPANY_ID, splitCounts(records), account.users, anchor);
}

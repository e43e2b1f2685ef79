/**
 * HubSpot accounts (portals): users who own records, the seeded dataset and the limit tier. The
 * default account always exists; admin can add more (they start empty unless seeded).
 */
import { buildPools, slug } from '../core/generator.js';
import { pick } from '../core/random.js';
import type { LimitSettings, SandboxAccount, SandboxStore, SandboxUser } from '../core/store.js';
import { DEFAULT_ANCHOR, seedDataset, splitCounts, type RecordCounts } from './generate.js';

export const DEFAULT_HUB_ID = 21_000_001;
const USERS_PER_ACCOUNT = 8;

export interface AccountInput {
  id?: number;
  name?: string;
  domain?: string;
  userEmail?: string;
  records?: number | Partial<RecordCounts>;
  limits: LimitSettings;
}

function users(seed: number, accountId: number, domain: string, firstEmail?: string): SandboxUser[] {
  const pools = buildPools(seed + accountId);
  return Array.from({ length: USERS_PER_ACCOUNT }, (_, i) => {
    const firstName = pick(pools.firstNames, seed, accountId, i);
    const lastName = pick(pools.lastNames, seed, accountId + 1, i);
    const email = i === 0 && firstEmail ? firstEmail : `${slug(firstName)}.${slug(lastName)}@${domain}`;
    return { id: (accountId % 1000) * 100_000 + 5_000_000 + i + 1, ownerId: (accountId % 1000) * 1_000_000 + 100_000_000 + i * 37 + 1, email, firstName, lastName };
  });
}

export function createAccount(store: SandboxStore, input: AccountInput, anchor = DEFAULT_ANCHOR): SandboxAccount {
  let id = input.id ?? DEFAULT_HUB_ID;
  while (input.id === undefined && store.accounts.has(id)) id++;
  if (store.accounts.has(id)) throw new Error(`account ${id} already exists`);
  const domain = input.domain ?? (id === DEFAULT_HUB_ID ? 'pulse-demo.example.com' : `portal-${id}.example.com`);
  const people = users(store.seed, id, domain, input.userEmail);
  const account: SandboxAccount = {
    id,
    name: input.name ?? (id === DEFAULT_HUB_ID ? 'Pulse Demo Portal' : `Portal ${id}`),
    domain,
    timeZone: 'UTC',
    currency: 'USD',
    users: people,
    limits: input.limits,
    data: seedDataset(store.seed + id - DEFAULT_HUB_ID, splitCounts(input.records), people, anchor),
    createdAt: anchor - 5 * 365 * 86_400_000,
  };
  store.accounts.set(id, account);
  return account;
}

/** Replaces an account's records with freshly generated ones. */
export function reseedAccount(store: SandboxStore, account: SandboxAccount, seed: number, records: number | Partial<RecordCounts>, anchor = DEFAULT_ANCHOR): void {
  store.seed = seed;
  account.data = seedDataset(seed + account.id - DEFAULT_HUB_ID, splitCounts(records), account.users, anchor);
}

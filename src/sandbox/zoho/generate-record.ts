/**
 * New records and edits made "by a user" through the admin API, in the API's input shape: realistic
 * values from the same pools as the seed, and a touch that always changes a value (so Modified_Time moves).
 */
import { buildPools, slug } from '../core/generator.js';
import { hash32, pick } from '../core/random.js';
import type { SandboxAccount } from '../core/store.js';
import { DEAL_STAGES, INDUSTRIES, type ObjectType } from './modules.js';

const pools = new Map<number, ReturnType<typeof buildPools>>();

export function generateRecord(account: SandboxAccount, seed: number, type: ObjectType, ordinal: number): Record<string, unknown> {
  let p = pools.get(seed);
  if (!p) pools.set(seed, (p = buildPools(seed)));
  const k = hash32(seed, account.id, ordinal + 7_777_777);
  if (type === 'contacts') {
    const first = pick(p.firstNames, seed, k, 1);
    const last = pick(p.lastNames, seed, k, 2);
    return { First_Name: first, Last_Name: last, Email: `${slug(first)}.${slug(last)}.new${ordinal}@example.com`, Phone: `+1 555-01${String(k % 100).padStart(2, '0')}`, Title: pick(p.jobTitles, seed, k, 3) };
  }
  if (type === 'companies') {
    const name = `${pick(p.companies, seed, k, 1)} ${ordinal}`;
    return { Account_Name: name, Website: `https://www.${slug(name)}.com`, Industry: pick(INDUSTRIES, seed, k, 2), Billing_City: pick(p.cities, seed, k, 3) };
  }
  return { Deal_Name: `${pick(p.products, seed, k, 1)} ${ordinal}`, Amount: 100 + (k % 900) * 50, Stage: pick(DEAL_STAGES, seed, k, 2), Closing_Date: '2026-12-31', Currency: 'USD', Pipeline: 'Standard (Standard)' };
}

/** One field changed to a value it does not have now. */
export function touchRecord(account: SandboxAccount, type: ObjectType, slot: number): Record<string, unknown> {
  const coll = account.data.collections.get(type)!;
  const field = type === 'deals' ? 'Amount' : 'Phone';
  const current = coll.prop(slot, field) ?? '';
  if (type === 'deals') return { Amount: (Number(current) || 0) + 50 };
  const h = hash32(coll.updated[slot]! % 1_000_003, slot, current.length);
  let next = `+1 ${200 + (h % 800)}-555-${String(h % 10000).padStart(4, '0')}`;
  if (next === current) next = `${next}1`;
  return { Phone: next };
}

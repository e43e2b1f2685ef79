/** The seeded generator: deterministic, split as documented, realistic enough, linked. */
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { splitCounts } from '../../src/sandbox/hubspot/generate.js';
import { exportRecords } from './helpers.js';

describe('generated records', () => {
  it('splits a total 70 / 10 / 20', () => {
    expect(splitCounts(1_000_000)).toEqual({ contacts: 700_000, companies: 100_000, deals: 200_000 });
  });

  it('are identical for the same seed and differ for another', async () => {
    const dump = async (seed: number) => {
      const sb = await startSandbox({ port: 0, seed, records: 300 });
      const out = await Promise.all(['contacts', 'companies', 'deals'].map((t) => exportRecords(sb, t)));
      await sb.close();
      return out;
    };
    const a = await dump(42);
    expect(await dump(42)).toEqual(a);
    expect((await dump(43))[0]![0]!.properties.email).not.toBe(a[0]![0]!.properties.email);
  });

  it('look like CRM data and point at owners, companies and contacts', async () => {
    const sb = await startSandbox({ port: 0, seed: 5, records: 1000 });
    const [contacts = [], companies, deals] = await Promise.all(['contacts', 'companies', 'deals'].map((t) => exportRecords(sb, t)));
    const owners = new Set(sb.hubspot.store.account()!.users.map((u) => String(u.ownerId)));
    expect(contacts).toHaveLength(700);
    expect(new Set(contacts.map((c) => c.properties.email)).size).toBe(700);
    for (const c of contacts.slice(0, 50)) {
      expect(c.properties.email).toMatch(/^[a-z0-9.]+@[a-z0-9.-]+\.[a-z]+$/);
      expect(owners.has(c.properties.hubspot_owner_id!)).toBe(true);
      expect(Date.parse(c.updatedAt)).toBeGreaterThanOrEqual(Date.parse(c.properties.createdate!));
    }
    const companyIds = new Set(companies!.map((c) => c.id));
    const linked = deals!.filter((d) => d.associations.companies!.length > 0);
    expect(linked.length).toBeGreaterThan(deals!.length * 0.8);
    expect(linked.every((d) => companyIds.has(d.associations.companies![0]!))).toBe(true);
    expect(Number(deals![0]!.properties.amount)).toBeGreaterThan(0);
    const years = new Set(contacts.map((c) => c.properties.createdate!.slice(0, 4)));
    expect(years.size).toBeGreaterThanOrEqual(3);
    await sb.close();
  });
});

/**
 * Provider-agnostic generator primitives: name pools drawn once from faker under the seed (so 1M
 * records need only a few thousand faker calls), ids with gaps, creation/modification times spread
 * over years, and link columns. Values per record are then picked by hash in the provider's deriver.
 */
import { Faker, en } from '@faker-js/faker';
import { hash32, unit } from './random.js';

export interface NamePools {
  firstNames: string[];
  lastNames: string[];
  companies: string[];
  cities: string[];
  countries: string[];
  jobTitles: string[];
  products: string[];
  tlds: string[];
}

const YEAR_MS = 365 * 86_400_000;

export function buildPools(seed: number): NamePools {
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  const unique = (n: number, make: () => string) => [...new Set(Array.from({ length: n }, make))];
  return {
    firstNames: unique(600, () => faker.person.firstName()),
    lastNames: unique(1200, () => faker.person.lastName()),
    companies: unique(6000, () => faker.company.name()),
    cities: unique(400, () => faker.location.city()),
    countries: ['United States', 'United Kingdom', 'Germany', 'France', 'Canada', 'Australia', 'Netherlands', 'Spain'],
    jobTitles: unique(300, () => faker.person.jobTitle()),
    products: unique(200, () => faker.commerce.productName()),
    tlds: ['com', 'io', 'net', 'co', 'org', 'dev'],
  };
}

/** Increasing ids starting at `first`, with gaps of 1-3 so clients cannot assume contiguity. */
export function gappedIds(seed: number, key: number, count: number, first: number): number[] {
  const ids = new Array<number>(count);
  let id = first;
  for (let i = 0; i < count; i++) {
    ids[i] = id;
    id += 1 + (hash32(seed, key, i) % 3);
  }
  return ids;
}

/**
 * Creation times rising with the ordinal across `years` before `anchor`, modification times between
 * creation and anchor, skewed towards creation (most records are rarely touched again).
 */
export function spreadTimes(seed: number, key: number, count: number, anchor: number, years = 3): { created: number[]; updated: number[] } {
  const span = years * YEAR_MS;
  const created = new Array<number>(count);
  const updated = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const c = Math.floor(anchor - span + (span * (i + unit(seed, key, i))) / Math.max(count, 1));
    const r = unit(seed, key ^ 0x5bd1e995, i);
    created[i] = c;
    updated[i] = c + Math.floor((anchor - c) * r * r * r);
  }
  return { created, updated };
}

/** For each of `count` records, a target ordinal in [0, targetCount) with probability `share`, else -1. */
export function linkColumn(seed: number, key: number, count: number, targetCount: number, share = 1): Int32Array {
  const column = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    column[i] = targetCount > 0 && unit(seed, key, i) < share ? hash32(seed, key ^ 0x27d4eb2d, i) % targetCount : -1;
  }
  return column;
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '');
}

import type { ObjectType } from '../crm/platforms.js';
import type { SandboxChild } from './sandbox-child.js';

/**
 * The incremental scenario's edits, made in the CRM as a person would (the sandbox's admin API
 * behaves like CRM-UI edits): `total` changes split over the objects like the records (70/10/20),
 * each object's half updates, a quarter creates, a quarter deletes, on records spread over the id
 * range. Deterministic for a given seed.
 */
export interface ChangeCounts { creates: number; updates: number; deletes: number }

const SHARE: Record<ObjectType, number> = { contacts: 0.7, companies: 0.1, deals: 0.2 };

function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const createBody = (object: ObjectType, n: number, tag: string): Record<string, string> => ({
  contacts: { firstname: 'Bench', lastname: `Created ${n}`, email: `bench-${tag}-${n}@example.com`, jobtitle: 'Tester' },
  companies: { name: `Bench Co ${tag} ${n}`, domain: `bench-${tag}-${n}.example.com`, city: 'Lyon' },
  deals: { dealname: `Bench deal ${tag} ${n}`, amount: String(1000 + n), dealstage: 'qualifiedtobuy', pipeline: 'default' },
}[object]);

const updateBody = (object: ObjectType, n: number): Record<string, string> => ({
  contacts: { jobtitle: `Changed ${n}`, phone: `+33 1 00 00 ${String(n).padStart(4, '0')}` },
  companies: { city: `Changed ${n}` },
  deals: { amount: String(5000 + n), dealstage: 'closedwon' },
}[object]);

/** Ids of existing records spread over each object's id range, found through the list API. */
async function spreadIds(sandbox: SandboxChild, token: string, object: ObjectType, wanted: number, rand: () => number): Promise<string[]> {
  const counts = (await sandbox.admin<{ accounts: { counts: Record<string, number> }[] }>('GET', '/_sandbox')).accounts[0]!.counts;
  const first = await listIds(sandbox, token, object, undefined, 1);
  const live = counts[object] ?? 0;
  const found = new Set<string>();
  for (let tries = 0; found.size < wanted && tries < wanted * 4; tries++) {
    // Ids have gaps of 1-3 (mean 2): aim inside the range, take the first few at that point.
    const after = Number(first[0]) + Math.floor(rand() * live * 1.9);
    for (const id of await listIds(sandbox, token, object, String(after), 3)) if (found.size < wanted) found.add(id);
  }
  return [...found];
}

async function listIds(sandbox: SandboxChild, token: string, object: ObjectType, after: string | undefined, limit: number): Promise<string[]> {
  const url = `${sandbox.url}/crm/v3/objects/${object}?limit=${limit}&properties=hs_object_id${after ? `&after=${after}` : ''}`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`listing ${object} for the change set answered ${response.status}`);
  return ((await response.json()) as { results: { id: string }[] }).results.map((r) => String(r.id));
}

export async function makeChanges(sandbox: SandboxChild, total: number, seed: number): Promise<Record<ObjectType, ChangeCounts>> {
  const rand = random(seed);
  const tag = `${seed}-${Date.now().toString(36)}`;
  const { access_token: token } = await sandbox.admin<{ access_token: string }>('POST', '/_sandbox/tokens', {});
  const result = {} as Record<ObjectType, ChangeCounts>;
  const work: (() => Promise<unknown>)[] = [];
  let assigned = 0;
  for (const object of Object.keys(SHARE) as ObjectType[]) {
    const share = object === 'deals' ? total - assigned : Math.round(total * SHARE[object]);
    assigned += share;
    const creates = Math.floor(share / 4);
    const deletes = Math.floor(share / 4);
    const updates = share - creates - deletes;
    const ids = await spreadIds(sandbox, token, object, updates + deletes, rand);
    if (ids.length < updates + deletes) throw new Error(`the sandbox holds too few ${object} for ${updates + deletes} changes`);
    result[object] = { creates, updates, deletes };
    for (let n = 0; n < creates; n++) work.push(() => sandbox.admin('POST', `/_sandbox/records/${object}`, { properties: createBody(object, n, tag) }));
    ids.slice(0, updates).forEach((id, n) => work.push(() => sandbox.admin('PATCH', `/_sandbox/records/${object}/${id}`, { properties: updateBody(object, n) })));
    for (const id of ids.slice(updates)) work.push(() => sandbox.admin('DELETE', `/_sandbox/records/${object}/${id}`));
  }
  // A few at a time: the edits are setup, not measured.
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => { while (next < work.length) await work[next++]!(); }));
  return result;
}

import type { ObjectType } from '../crm/platforms.js';
import type { ChangeCounts } from './profile.js';
import type { SandboxChild } from './sandbox-child.js';
import { ndjson } from './ndjson.js';

/**
 * The incremental scenario's edits, made in the CRM as a person would (the emulators' admin API
 * behaves like CRM-UI edits): `total` changes split over the objects like the records (70/10/20),
 * each object's half updates, a quarter creates, a quarter deletes, on records spread over the
 * whole listing. An object whose deletions the CRM does not list (they arrive by webhook) gets
 * updates instead: a scheduled incremental sync cannot see them, by design. The emulator generates what is created and what an update changes, so the same
 * code edits any CRM. Deterministic for a given seed.
 */
const SHARE: Record<ObjectType, number> = { contacts: 0.7, companies: 0.1, deals: 0.2 };

function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** `wanted` distinct live ids drawn over the whole export (a reservoir sample: one pass, any size). */
async function spreadIds(sandbox: SandboxChild, object: ObjectType, wanted: number, rand: () => number): Promise<string[]> {
  const sample: string[] = [];
  let seen = 0;
  for await (const record of ndjson(`${sandbox.url}/_sandbox/records/${object}?archived=false`)) {
    const id = String(record.id);
    if (sample.length < wanted) sample.push(id);
    else {
      const slot = Math.floor(rand() * (seen + 1));
      if (slot < wanted) sample[slot] = id;
    }
    seen++;
  }
  return sample;
}

export async function makeChanges(sandbox: SandboxChild, total: number, seed: number, listsDeletions: (object: ObjectType) => boolean): Promise<Record<ObjectType, ChangeCounts>> {
  const rand = random(seed);
  const result = {} as Record<ObjectType, ChangeCounts>;
  const work: (() => Promise<unknown>)[] = [];
  let assigned = 0;
  for (const object of Object.keys(SHARE) as ObjectType[]) {
    const share = object === 'deals' ? total - assigned : Math.round(total * SHARE[object]);
    assigned += share;
    const creates = Math.floor(share / 4);
    const deletes = listsDeletions(object) ? Math.floor(share / 4) : 0;
    const updates = share - creates - deletes;
    const ids = await spreadIds(sandbox, object, updates + deletes, rand);
    if (ids.length < updates + deletes) throw new Error(`the sandbox holds too few ${object} for ${updates + deletes} changes`);
    result[object] = { creates, updates, deletes };
    for (let n = 0; n < creates; n++) work.push(() => sandbox.admin('POST', `/_sandbox/records/${object}`, {}));
    for (const id of ids.slice(0, updates)) work.push(() => sandbox.admin('PATCH', `/_sandbox/records/${object}/${encodeURIComponent(id)}`, {}));
    for (const id of ids.slice(updates)) work.push(() => sandbox.admin('DELETE', `/_sandbox/records/${object}/${encodeURIComponent(id)}`));
  }
  // A few at a time: the edits are setup, not measured.
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => { while (next < work.length) await work[next++]!(); }));
  return result;
}

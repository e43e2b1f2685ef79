/**
 * The admin record API every emulator implements the same way (its routes, this shape; see
 * ../README.md "Admin record routes"): the object names are ours, the properties the CRM's own.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ADMIN, adminError } from './admin-input.js';
import type { SandboxAccount, SandboxStore } from './store.js';

export const RECORD_OBJECTS = ['contacts', 'companies', 'deals'] as const;
export type RecordObject = (typeof RECORD_OBJECTS)[number];

/** One line of `GET /_sandbox/records/:object` and the body of create / update answers. */
export interface AdminRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  /** Exactly as the CRM's API would return them (system properties included). */
  properties: Record<string, unknown>;
  /** Linked record ids by our object name. */
  associations: Partial<Record<RecordObject, string[]>>;
}

const accountId = z.number().int().optional();
const id = z.union([z.string(), z.number()]);

export const adminRecordBodies = {
  /** Without `properties` the emulator generates a realistic record. */
  create: z.object({ properties: z.record(z.string(), z.unknown()).optional(), accountId }),
  /** Without `properties` the emulator changes one generated field, as a CRM user's edit would. */
  update: z.object({ properties: z.record(z.string(), z.unknown()).optional() }),
  association: z.object({ fromType: z.string(), fromId: id, toType: z.string(), toId: id, accountId }),
};

/** `archived=false|true|all` (default false). */
export function archivedFilter(value: string | undefined): (archived: boolean) => boolean {
  if (value === 'all') return () => true;
  return value === 'true' ? (archived) => archived : (archived) => !archived;
}

/**
 * NDJSON of many records, sent in ~256 kB chunks with a turn of the event loop between them, so a
 * million-record export neither blocks the loop for long nor sits in memory whole.
 */
export function ndjson(records: Iterable<AdminRecord>): Readable {
  async function* lines() {
    let chunk = '';
    for (const record of records) {
      chunk += `${JSON.stringify(record)}\n`;
      if (chunk.length > 256_000) {
        yield chunk;
        chunk = '';
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (chunk) yield chunk;
  }
  return Readable.from(lines());
}

type Request = { query: unknown };

/**
 * What every emulator's admin record routes start from: the account a request names (404 when
 * unknown), our object name resolved the emulator's way (400 with the names it knows), the query.
 */
export function adminRecordLookups<T extends RecordObject>(store: SandboxStore, resolve: (name: string) => T | undefined, accountWord = 'account') {
  const queryOf = (req: Request) => req.query as Record<string, string | undefined>;
  return {
    queryOf,
    account(id: number | undefined, reply: FastifyReply): SandboxAccount | undefined {
      const found = store.account(id);
      if (!found) adminError(reply, 404, 'not_found', `unknown ${accountWord} ${id}`);
      return found;
    },
    typeOf(name: string, reply: FastifyReply): T | undefined {
      const type = resolve(name);
      if (!type) adminError(reply, 400, 'invalid_input', `unknown object type ${name}; one of ${RECORD_OBJECTS.join(', ')}`);
      return type;
    },
    accountOfQuery: (req: Request) => (queryOf(req).accountId ? Number(queryOf(req).accountId) : undefined),
  };
}

/**
 * `GET /_sandbox/records/:object?archived=&accountId=`: every live or archived record as NDJSON, in
 * the emulator's own shape (`record`), which returns null for one the CRM has already forgotten.
 */
export function registerRecordsExport<T extends RecordObject>(
  app: FastifyInstance, lookups: ReturnType<typeof adminRecordLookups<T>>,
  record: (account: SandboxAccount, type: T, slot: number) => AdminRecord | null,
): void {
  app.get('/_sandbox/records/:object', ADMIN, async (req, reply) => {
    const type = lookups.typeOf((req.params as { object: string }).object, reply);
    const account = type && lookups.account(lookups.accountOfQuery(req), reply);
    if (!type || !account) return reply;
    const wanted = archivedFilter(lookups.queryOf(req).archived);
    const coll = account.data.collections.get(type)!;
    function* records() {
      for (let slot = 0; slot < coll.size; slot++) {
        if ((!coll.isLive(slot) && !coll.isArchived(slot)) || !wanted(coll.isArchived(slot))) continue;
        const line = record(account!, type!, slot);
        if (line) yield line;
      }
    }
    return reply.type('application/x-ndjson').send(ndjson(records()));
  });
}

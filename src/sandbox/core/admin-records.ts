/**
 * The admin record API every emulator implements the same way (its routes, this shape; see
 * ../README.md "Admin record routes"): the object names are ours, the properties the CRM's own.
 */
import { Readable } from 'node:stream';
import { z } from 'zod';

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

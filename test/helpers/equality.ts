import { recordTables } from '../../src/sync/record-tables.js';
import { asSystem } from '../../src/db/tenant.js';
import { objectTypes, type ObjectType } from '../../src/crm/platforms.js';
import type { AppContext } from '../../src/app-context.js';
import type { Sandbox } from '../../src/sandbox/index.js';

/**
 * Compares what Pulse holds for an integration with what an emulator holds, record by record: the
 * live ids, each record's creation and modification times, every provider property Pulse stored
 * (whatever the CRM calls them) and the associations among live records. Returns the differences.
 */
interface SandboxRecord {
  id: string | number;
  createdAt?: string;
  updatedAt: string;
  archived: boolean;
  properties: Record<string, unknown>;
  associations?: Record<string, (string | number)[]>;
}

/** An emulator: today's HubSpot sandbox object, or any emulator's origin URL. */
export type EmulatorRef = Sandbox | string;
const originOf = (target: EmulatorRef) => (typeof target === 'string' ? target : target.urls.hubspot);

export async function sandboxRecords(sandbox: EmulatorRef, object: ObjectType, accountId?: number): Promise<SandboxRecord[]> {
  const response = await fetch(`${originOf(sandbox)}/_sandbox/records/${object}?archived=false${accountId ? `&accountId=${accountId}` : ''}`);
  if (!response.ok) throw new Error(`records export of ${object} answered ${response.status}`);
  return (await response.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** JSON equality where a missing value and null are the same (CRMs drop empty properties). */
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value === null || value === undefined ? null : new Date(String(value)).toISOString());

/**
 * Associations are compared among live records only: a link to a deleted record is dangling on
 * both sides (the CRM stops listing it; Pulse keeps the id and the target row is soft-deleted).
 */
export async function differences(ctx: AppContext, sandbox: EmulatorRef, integrationId: string, accountId?: number): Promise<string[]> {
  const problems: string[] = [];
  const all = new Map<ObjectType, SandboxRecord[]>();
  for (const object of objectTypes) all.set(object, await sandboxRecords(sandbox, object, accountId));
  const live = new Map([...all].map(([object, records]) => [object, new Set(records.map((r) => String(r.id)))]));
  for (const object of objectTypes) {
    const expected = all.get(object)!;
    const { table, associations } = recordTables[object];
    const rows = await asSystem(ctx.db.pool, async (tx) => (await tx.query(
      `SELECT remote_id, remote_created_at, remote_updated_at, ${associations.map(([c]) => c).concat('properties').join(', ')} FROM ${table} WHERE integration_id = $1 AND deleted_at IS NULL`,
      [integrationId],
    )).rows);
    const ours = new Map(rows.map((row) => [row.remote_id as string, row]));
    if (ours.size !== expected.length) problems.push(`${object}: Pulse has ${ours.size} live records, the emulator ${expected.length}`);
    for (const record of expected) {
      const row = ours.get(String(record.id));
      if (!row) { problems.push(`${object} ${record.id}: missing`); continue; }
      if (iso(row.remote_updated_at) !== iso(record.updatedAt)) problems.push(`${object} ${record.id}: updatedAt ${iso(row.remote_updated_at)} ≠ ${record.updatedAt}`);
      if (record.createdAt !== undefined && iso(row.remote_created_at) !== iso(record.createdAt)) problems.push(`${object} ${record.id}: createdAt ${iso(row.remote_created_at)} ≠ ${record.createdAt}`);
      const stored = Object.keys(row.properties ?? {});
      if (stored.length === 0 && Object.values(record.properties).some((value) => value !== null && value !== '')) problems.push(`${object} ${record.id}: Pulse stored no properties`);
      for (const key of stored) {
        if (!same(row.properties[key], record.properties[key])) problems.push(`${object} ${record.id}: ${key} ${JSON.stringify(row.properties[key])} ≠ ${JSON.stringify(record.properties[key])}`);
      }
      for (const [column, other] of associations) {
        const want = (record.associations?.[other] ?? []).map(String).filter((id) => live.get(other)!.has(id)).sort();
        const have = row[column] === null ? ['<unknown>'] : [...row[column]].filter((id: string) => live.get(other)!.has(id)).sort();
        if (JSON.stringify(want) !== JSON.stringify(have)) problems.push(`${object} ${record.id}: ${other} [${have}] ≠ [${want}]`);
      }
    }
  }
  return problems.slice(0, 20);
}

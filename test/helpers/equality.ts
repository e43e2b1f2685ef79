import { recordTables } from '../../src/sync/record-tables.js';
import { asSystem } from '../../src/db/tenant.js';
import { objectTypes, type ObjectType } from '../../src/crm/platforms.js';
import type { AppContext } from '../../src/app-context.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { hubspotObjects } from '../../src/crm/hubspot/spec.js';

/**
 * Compares what Pulse holds for an integration with what the sandbox holds, record by record:
 * the live ids, each record's modification time and associations. Returns the differences.
 */
interface SandboxRecord {
  id: string | number;
  updatedAt: string;
  archived: boolean;
  properties: Record<string, string | null>;
  associations?: Record<string, (string | number)[]>;
}

export async function sandboxRecords(sandbox: Sandbox, object: ObjectType): Promise<SandboxRecord[]> {
  const text = await (await fetch(`${sandbox.urls.hubspot}/_sandbox/records/${object}?archived=false`)).text();
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/**
 * Associations are compared among live records only: a link to a deleted record is dangling on
 * both sides (HubSpot stops listing it; Pulse keeps the id and the target row is soft-deleted).
 */
export async function differences(ctx: AppContext, sandbox: Sandbox, integrationId: string): Promise<string[]> {
  const problems: string[] = [];
  const all = new Map<ObjectType, SandboxRecord[]>();
  for (const object of objectTypes) all.set(object, await sandboxRecords(sandbox, object));
  const live = new Map([...all].map(([object, records]) => [object, new Set(records.map((r) => String(r.id)))]));
  for (const object of objectTypes) {
    const expected = all.get(object)!;
    const { table, associations } = recordTables[object];
    const rows = await asSystem(ctx.db.pool, async (tx) => (await tx.query(
      `SELECT remote_id, remote_updated_at, ${associations.map(([c]) => c).concat('properties').join(', ')} FROM ${table} WHERE integration_id = $1 AND deleted_at IS NULL`,
      [integrationId],
    )).rows);
    const ours = new Map(rows.map((row) => [row.remote_id as string, row]));
    if (ours.size !== expected.length) problems.push(`${object}: Pulse has ${ours.size} live records, the sandbox ${expected.length}`);
    for (const record of expected) {
      const row = ours.get(String(record.id));
      if (!row) { problems.push(`${object} ${record.id}: missing`); continue; }
      if (row.remote_updated_at.toISOString() !== new Date(record.updatedAt).toISOString()) problems.push(`${object} ${record.id}: updatedAt ${row.remote_updated_at.toISOString()} ≠ ${record.updatedAt}`);
      for (const key of hubspotObjects[object].properties) {
        if ((row.properties[key] ?? null) !== (record.properties[key] ?? null)) problems.push(`${object} ${record.id}: ${key} ${row.properties[key]} ≠ ${record.properties[key]}`);
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

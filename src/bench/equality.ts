import { createHash } from 'node:crypto';
import { objectTypes, type ObjectType } from '../crm/platforms.js';
import { asSystem } from '../db/tenant.js';
import { recordTables } from '../sync/record-tables.js';
import type { BenchPulse } from './context.js';
import { ndjson } from './ndjson.js';

/**
 * Does Pulse hold exactly the emulator's records? Live ids, each record's creation and modification
 * times, every CRM property Pulse stored (whatever the CRM calls them: the keys Pulse holds for that
 * object, a missing value equal to null, as in test/helpers/equality.ts) and the associations among
 * live records (a link to a deleted record dangles on both sides). Streams the emulator's NDJSON
 * export and pages through our tables by key; the emulator's side is kept as a digest per record,
 * so a million records fit in a few hundred MB.
 */
interface Expected { createdMs: number | null; updatedMs: number; digest: string; links: string[]; seen?: boolean }

const digest = (values: unknown[]) => createHash('sha1').update(JSON.stringify(values)).digest('base64');
const millis = (value: unknown) => (value === undefined || value === null ? null : Date.parse(String(value)));

const PAGE = 20_000;

/** The property keys Pulse stored for this object: what its connector asked the CRM for. */
async function storedKeys(pulse: Pick<BenchPulse, 'ctx' | 'integrationId'>, object: ObjectType): Promise<string[]> {
  const { table } = recordTables[object];
  return asSystem(pulse.ctx.db.pool, async (tx) => (await tx.query(
    `SELECT DISTINCT jsonb_object_keys(properties) AS key FROM ${table} WHERE integration_id = $1 ORDER BY 1`, [pulse.integrationId],
  )).rows.map((row: { key: string }) => row.key));
}

export async function differences(pulse: Pick<BenchPulse, 'ctx' | 'integrationId'>, sandboxUrl: string, limit = 20, accountId?: number): Promise<string[]> {
  const problems: string[] = [];
  const expected = new Map<ObjectType, Map<string, Expected>>();
  const keysOf = new Map<ObjectType, string[]>();
  for (const object of objectTypes) {
    const keys = await storedKeys(pulse, object);
    keysOf.set(object, keys);
    const others = recordTables[object].associations.map(([, other]) => other);
    const byId = new Map<string, Expected>();
    for await (const record of ndjson(`${sandboxUrl}/_sandbox/records/${object}?archived=false${accountId === undefined ? '' : `&accountId=${accountId}`}`)) {
      byId.set(String(record.id), {
        createdMs: millis(record.createdAt),
        updatedMs: Date.parse(record.updatedAt),
        digest: digest(keys.map((key) => record.properties[key] ?? null)),
        links: others.map((other) => (record.associations?.[other] ?? []).map(String).join(',')),
      });
    }
    expected.set(object, byId);
  }
  const live = (object: ObjectType, ids: string[]) => ids.map(String).filter((id) => expected.get(object)!.has(id)).sort().join(',');

  for (const object of objectTypes) {
    const want = expected.get(object)!;
    const { table, associations } = recordTables[object];
    const keys = keysOf.get(object)!;
    let after = '';
    for (;;) {
      const rows = await asSystem(pulse.ctx.db.pool, async (tx) => (await tx.query(
        `SELECT remote_id, remote_created_at, remote_updated_at, properties${associations.map(([c]) => `, ${c}`).join('')} FROM ${table}
         WHERE integration_id = $1 AND deleted_at IS NULL AND remote_id > $2 ORDER BY remote_id LIMIT ${PAGE}`,
        [pulse.integrationId, after],
      )).rows);
      for (const row of rows) {
        const record = want.get(row.remote_id);
        const say = (what: string) => problems.length < limit && problems.push(`${object} ${row.remote_id}: ${what}`);
        if (!record) { say('not in the sandbox (or deleted there)'); continue; }
        record.seen = true;
        if (row.remote_updated_at?.getTime() !== record.updatedMs) say(`updatedAt ${row.remote_updated_at?.toISOString()} ≠ ${new Date(record.updatedMs).toISOString()}`);
        if (record.createdMs !== null && row.remote_created_at?.getTime() !== record.createdMs) say(`createdAt ${row.remote_created_at?.toISOString()} ≠ ${new Date(record.createdMs).toISOString()}`);
        const values = keys.map((key) => row.properties[key] ?? null);
        if (digest(values) !== record.digest) say(`stored properties differ from the sandbox's (ours: ${JSON.stringify(values)})`);
        associations.forEach(([column, other], i) => {
          const have = row[column] === null ? '<unknown>' : live(other, row[column]);
          const wanted = live(other, record.links[i] ? record.links[i]!.split(',') : []);
          if (have !== wanted) say(`${other} [${have}] ≠ [${wanted}]`);
        });
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.remote_id;
    }
    let missing = 0;
    for (const [id, record] of want) {
      if (record.seen) continue;
      if (missing++ < 5) problems.push(`${object} ${id}: missing in Pulse`);
    }
    if (missing > 5) problems.push(`${object}: ${missing} sandbox records missing in Pulse in all`);
  }
  return problems;
}

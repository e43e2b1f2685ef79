import type pg from 'pg';
import { objectTypes, type ObjectType } from '../crm/platforms.js';
import { copyInRows } from './copy.js';
import { cpuMeter } from './cpu.js';
import type { BenchProfile } from './profile.js';
import type { SandboxChild } from './sandbox-child.js';

/**
 * What Pulse's full sync is compared with, measured in the same run against the same emulator and
 * PostgreSQL, each into a fresh table shaped like a generic sync engine's records table (one JSONB
 * document per record, keyed by connection, model and CRM id):
 * - page-by-page: each object concurrently, fetch a page, upsert it as JSONB in one statement, then
 *   fetch the next (the shape of Nango's HubSpot sync templates and most hosted sync engines);
 * - row-by-row: the objects one after another, one upsert per record (a hand-written sync service);
 * - concurrent ceiling: what this machine does at best with these pages: fetch and COPY at the same
 *   time, each object's pages written while its next ones are fetched, no mapping, no checkpoints.
 *   On 2 shared cores this, not fetch alone or COPY alone, is the floor.
 * CPU is the bench process's (which runs the baselines) and the PostgreSQL server's, from /proc.
 */
export interface BaselineResult {
  name: 'page-by-page' | 'row-by-row' | 'concurrent ceiling';
  wallMs: number;
  records: number;
  requests: number;
  recordsPerSecond: number;
  cpu: { processSeconds: number | null; postgresSeconds: number | null };
}

const TABLE = 'bench_baseline_records';
const CONNECTION_ID = 1;

type Pages = (object: ObjectType) => AsyncIterable<{ id: string }[]>;

async function freshTable(pool: pg.Pool): Promise<void> {
  await pool.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await pool.query(`CREATE TABLE ${TABLE} (
    connection_id int NOT NULL, model text NOT NULL, external_id text NOT NULL, json jsonb NOT NULL, data_hash text,
    created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, model, external_id))`);
}

const UPSERT_PAGE = `INSERT INTO ${TABLE} (connection_id, model, external_id, json, data_hash)
  SELECT $1, $2, r.id, r.json, md5(r.json::text) FROM jsonb_to_recordset($3::jsonb) AS r(id text, json jsonb)
  ON CONFLICT (connection_id, model, external_id) DO UPDATE SET json = EXCLUDED.json, data_hash = EXCLUDED.data_hash, updated_at = now()`;

const UPSERT_ROW = `INSERT INTO ${TABLE} (connection_id, model, external_id, json, data_hash) VALUES ($1, $2, $3, $4::jsonb, md5($4::text))
  ON CONFLICT (connection_id, model, external_id) DO UPDATE SET json = EXCLUDED.json, data_hash = EXCLUDED.data_hash, updated_at = now()`;

/** A record as a line of COPY's text format: JSON has no raw tab or newline, but its backslashes are COPY's escapes. */
const copyLine = (object: ObjectType, record: { id: string }) =>
  `${CONNECTION_ID}\t${object}\t${record.id}\t${JSON.stringify(record).replaceAll('\\', '\\\\')}\n`;

async function pageByPage(pool: pg.Pool, pages: Pages): Promise<{ records: number; requests: number }> {
  let records = 0;
  let requests = 0;
  await Promise.all(objectTypes.map(async (object) => {
    for await (const page of pages(object)) {
      requests++;
      records += page.length;
      await pool.query(UPSERT_PAGE, [CONNECTION_ID, object, JSON.stringify(page.map((record) => ({ id: record.id, json: record })))]);
    }
  }));
  return { records, requests };
}

async function rowByRow(pool: pg.Pool, pages: Pages): Promise<{ records: number; requests: number }> {
  let records = 0;
  let requests = 0;
  for (const object of objectTypes) {
    for await (const page of pages(object)) {
      requests++;
      for (const record of page) {
        await pool.query(UPSERT_ROW, [CONNECTION_ID, object, record.id, JSON.stringify(record)]);
        records++;
      }
    }
  }
  return { records, requests };
}

async function concurrentCeiling(pool: pg.Pool, pages: Pages): Promise<{ records: number; requests: number }> {
  let records = 0;
  let requests = 0;
  await Promise.all(objectTypes.map(async (object) => {
    const queued: string[] = [];
    let fetching = true;
    // Calling a spent resolve is harmless: the writer re-checks the queue each time it wakes.
    let wake = () => {};
    const fetcher = (async () => {
      try {
        for await (const page of pages(object)) {
          requests++;
          records += page.length;
          queued.push(page.map((record) => copyLine(object, record)).join(''));
          wake();
        }
      } finally {
        fetching = false;
        wake();
      }
    })();
    const client = await pool.connect();
    try {
      // Everything fetched while the last COPY ran goes in the next one.
      while (fetching || queued.length > 0) {
        if (queued.length === 0) {
          await new Promise<void>((resolve) => { wake = resolve; });
          continue;
        }
        await copyInRows(client, `${TABLE} (connection_id, model, external_id, json)`, Buffer.from(queued.splice(0).join('')));
      }
    } finally {
      client.release();
    }
    await fetcher;
  }));
  return { records, requests };
}

const patterns = { 'page-by-page': pageByPage, 'row-by-row': rowByRow, 'concurrent ceiling': concurrentCeiling } as const;

export async function runBaselines(
  pool: pg.Pool, sandbox: SandboxChild, profile: BenchProfile,
  options: { onPhase?(phase: string, total: number): void } = {},
): Promise<BaselineResult[]> {
  if (!profile.plainPages) return [];
  const { access_token: token } = await sandbox.admin<{ access_token: string }>('POST', '/_sandbox/tokens', {});
  const pages: Pages = (object) => profile.plainPages!(sandbox.url, token, object);
  const results: BaselineResult[] = [];
  try {
    for (const [name, run] of Object.entries(patterns) as [BaselineResult['name'], typeof pageByPage][]) {
      options.onPhase?.(`baseline: ${name}`, 1);
      await freshTable(pool);
      const cpu = cpuMeter('self');
      const started = performance.now();
      const { records, requests } = await run(pool, pages);
      const wallMs = performance.now() - started;
      results.push({ name, wallMs, records, requests, recordsPerSecond: (records * 1000) / wallMs, cpu: cpu() });
    }
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${TABLE}`);
  }
  return results;
}

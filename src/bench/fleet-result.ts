import { cpus, loadavg, totalmem } from 'node:os';
import pg from 'pg';
import type { PlatformId } from '../crm/platforms.js';
import type { Target } from './run.js';

/**
 * What the many-tenant and crash scenarios report: the same targets table as the sync bench (figure,
 * limit, ratio, met), the figures behind it as labelled rows, every detail in `data` for the JSON,
 * and notes saying what bounds each figure.
 */
export interface FleetResult {
  scenario: 'tenants' | 'crashes' | 'archive' | 'embedded' | 'filter';
  provider: PlatformId;
  /** File name without date or extension, e.g. `<crm>-tenants-50x10000`. */
  name: string;
  title: string;
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; databaseVersion: string; loadAverage: { start: number; end: number } };
  options: Record<string, number | string>;
  targets: Target[];
  figures: { label: string; value: string }[];
  equal: boolean;
  differences: string[];
  data: Record<string, unknown>;
  notes: string[];
  /** What ran where, when it is not the fleet's (emulator and separate `pulse-crm worker` processes). */
  setup?: string;
}

export const WORKER_RSS_LIMIT_MB = 300;

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** A target "measured ≤ limit", with the ratio of the two. */
export function atMost(name: string, measured: number, limit: number, show: (value: number) => string, binding?: string): Target {
  const met = measured <= limit;
  return { name, measured: show(measured), limit: show(limit), ratio: limit > 0 ? measured / limit : null, met, ...(met ? {} : { binding }) };
}

export async function machineOf(databaseUrl: string, loadAtStart: number): Promise<FleetResult['machine']> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let version = '?';
  try { version = (await client.query('SHOW server_version')).rows[0].server_version; } finally { await client.end(); }
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? '?', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version,
    databaseVersion: `PostgreSQL ${version}`, loadAverage: { start: round(loadAtStart), end: round(loadavg()[0]!) },
  };
}

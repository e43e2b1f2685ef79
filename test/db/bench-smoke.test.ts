import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReport } from '../../src/bench/report.js';
import { benchProfiles } from '../../src/bench/profiles.js';
import { runBench } from '../../src/bench/run.js';
import type { PlatformId } from '../../src/crm/platforms.js';
import { engine } from '../helpers/database.js';

/**
 * The benchmark runs end to end at 1,000 records for every CRM it has a profile for, and its
 * equality check holds. Nothing here asserts speed: figures on a shared test machine mean nothing;
 * `npm run bench` is where speed is measured. On PGlite one CRM is enough: the embedded path is the
 * same for all of them.
 */
const providers = (Object.keys(benchProfiles) as PlatformId[]).filter((id, index) => engine === 'postgres' || index === 0);

describe.each(providers)(`bench smoke of %s on ${engine}`, (provider) => {
  it('runs a full and an incremental sync, writes the report, and finds Pulse equal to the emulator', async () => {
    const adminUrl = process.env.PULSE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const result = await runBench({
      provider,
      records: 1000,
      database: engine === 'postgres' ? { kind: 'postgres', url: adminUrl } : { kind: 'pglite' },
      pgliteRecords: 0,
      limitedRecords: 0,
      smallRecords: 0,
      changes: 100,
      seed: 3,
    });
    expect(result).toMatchObject({
      provider,
      records: 1000,
      database: engine,
      full: { wallMs: expect.any(Number), requests: expect.any(Number), minRequests: expect.any(Number), peakRssMb: expect.any(Number) },
      incremental: { changes: 100, wallMs: expect.any(Number), requests: expect.any(Number) },
      ceilings: { fetchMs: expect.any(Number), copyMs: expect.any(Number), rateLimitFloorMs: null, responseCheckMs: expect.any(Number) },
      equal: true,
    });
    expect(result.scenarios[0]!.differences).toEqual([]);
    expect(result.full.requests).toBeGreaterThanOrEqual(result.full.minRequests);
    // On the PostgreSQL server, CRMs whose profile gives plain pages have the peers' patterns beside, each
    // having written every record once, with CPU from /proc.
    const baselines = result.scenarios[0]!.baselines;
    if (engine === 'postgres' && benchProfiles[provider]!.plainPages) {
      expect(baselines.map((baseline) => baseline.name)).toEqual(['page-by-page', 'row-by-row', 'concurrent ceiling']);
      for (const baseline of baselines) expect(baseline).toMatchObject({ records: 1000, cpu: { processSeconds: expect.any(Number), postgresSeconds: expect.any(Number) } });
      expect(result.full.cpu.processSeconds).toBeGreaterThan(0);
      expect(result.targets.map((target) => target.name).join('\n')).toMatch(/faster baseline[\s\S]*concurrent fetch\+COPY ceiling[\s\S]*page-by-page baseline/);
    } else {
      expect(baselines).toEqual([]);
    }

    const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-smoke-'));
    try {
      const paths = writeReport(result, dir);
      expect(JSON.parse(readFileSync(paths.json, 'utf8'))).toMatchObject({ provider, records: 1000, equal: true });
      expect(readFileSync(paths.markdown, 'utf8')).toContain('| target | measured |');
      if (baselines.length) expect(readFileSync(paths.markdown, 'utf8')).toContain('## Baselines (same pages, same PostgreSQL, this run)');
      expect(readFileSync(paths.svg, 'utf8')).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

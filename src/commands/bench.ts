import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { writeReport } from '../bench/report.js';
import { benchProfiles } from '../bench/profiles.js';
import { runBench } from '../bench/run.js';
import { platformIds } from '../crm/platforms.js';

/**
 * `pulse-crm bench --provider <id>` (`npm run bench`): runs the sync benchmark of one CRM against its
 * emulator and writes bench/results/<date>-<id>-<records>.{json,md,svg}. Exits 1 when Pulse and the
 * emulator differ.
 */
export interface BenchCommandOptions {
  provider: string;
  records: number;
  pgliteRecords?: number;
  limitedRecords?: number;
  smallRecords: number;
  changes: number;
  seed: number;
  out?: string;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export async function benchCommand(options: BenchCommandOptions): Promise<void> {
  const provider = platformIds.find((id) => id === options.provider && benchProfiles[id]);
  if (!provider) {
    console.error(`pulse-crm bench: --provider must be one of ${Object.keys(benchProfiles).join(', ')} (got "${options.provider}").`);
    process.exitCode = 2;
    return;
  }
  const url = process.env.DATABASE_URL;
  if (!url) console.log('DATABASE_URL is not set: measuring on embedded PGlite only. Set it to a PostgreSQL server to measure there.');
  const bar = new cliProgress.SingleBar({
    format: '{phase} [{bar}] {percentage}% | {value}/{total} | {rate}/s',
    hideCursor: true,
    clearOnComplete: false,
  }, cliProgress.Presets.shades_classic);
  let phaseStart = performance.now();
  let active = false;
  const result = await runBench({
    provider,
    records: options.records,
    database: url ? { kind: 'postgres', url } : { kind: 'pglite' },
    pgliteRecords: options.pgliteRecords ?? Math.min(options.records, 100_000),
    limitedRecords: options.limitedRecords ?? Math.min(options.records, 100_000),
    smallRecords: options.smallRecords,
    changes: options.changes,
    seed: options.seed,
    onPhase(phase, total) {
      // No terminal (CI, a log file): one line per phase instead of a bar.
      if (!process.stderr.isTTY) return void console.log(`${new Date().toISOString()} ${phase}`);
      if (active) bar.stop();
      phaseStart = performance.now();
      bar.start(total, 0, { phase: phase.padEnd(44), rate: 0 });
      active = true;
    },
    onProgress(value) {
      const seconds = (performance.now() - phaseStart) / 1000;
      bar.update(value, { rate: seconds > 0 ? Math.round(value / seconds) : 0 });
    },
  }).finally(() => active && bar.stop());
  const paths = writeReport(result, options.out ?? join(repoRoot, 'bench', 'results'));
  console.log('');
  for (const target of result.targets) console.log(`${target.met ? 'met ' : 'MISS'}  ${target.name}: ${target.measured} (limit ${target.limit})`);
  console.log(`\nReport: ${paths.markdown}\nChart:  ${paths.svg}\nData:   ${paths.json}`);
  if (!result.equal) {
    for (const scenario of result.scenarios.filter((s) => !s.equal)) console.error(`${scenario.label}: Pulse differs from the sandbox:\n  ${scenario.differences.join('\n  ')}`);
    console.error('pulse-crm bench: FAILED — the database does not hold exactly the sandbox\'s records.');
    process.exitCode = 1;
  }
}

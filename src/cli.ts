import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from './config.js';
import { DataDirInUseError } from './db/embedded.js';
import { AppError } from './lib/errors.js';
import { SecretError } from './lib/secrets.js';
import { MigrationError } from './db/migrate.js';

/**
 * `pulse-crm`: one binary for every process kind. Each command imports only what it needs, so a
 * worker never loads the web build and a server with real credentials never loads the sandbox.
 */
const program = new Command('pulse-crm').description('Pulse CRM Integrations').showHelpAfterError();

const int = (name: string) => (value: string) => {
  const parsed = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`${name} must be a whole number.`);
  return parsed;
};

program.command('start').description('server + worker in one process, on the embedded database by default')
  .action(async () => (await import('./commands/start.js')).start({ worker: true, sandbox: true, web: true }));

program.command('server').description('HTTP server only (run workers separately)')
  .action(async () => (await import('./commands/start.js')).start({ worker: false, sandbox: false, web: true }));

program.command('worker').description('sync workers only')
  .action(async () => (await import('./commands/start.js')).start({ worker: true, sandbox: false, web: false, http: false }));

program.command('migrate').description('apply database migrations and exit')
  .action(async () => (await import('./commands/migrate.js')).migrateCommand());

program.command('rotate-key').description('re-encrypt every stored secret under a new key')
  .action(async () => (await import('./commands/rotate-key.js')).rotateKeyCommand());

program.command('sync').description('run a sync in the foreground, with a progress bar and a summary')
  .argument('<integration>', 'integration id (see "pulse-crm status")')
  .option('--full', 'list everything again instead of only the changes')
  .action(async (integration: string, options) => (await import('./commands/sync.js')).syncCommand(integration, options));

program.command('status').description('list integrations with their last sync')
  .action(async () => (await import('./commands/status.js')).statusCommand());

program.command('sandbox').description('run the CRM sandbox emulators on their fixed ports')
  .option('--seed <n>', 'data generator seed', int('--seed'), 1)
  .option('--records <n>', 'records to generate', int('--records'), 1000)
  .option('--host <host>', 'interface to bind', '127.0.0.1')
  .option('--port <n>', 'base port: each emulator listens at its fixed port\'s offset from 4101 (5101 → 5101, 5102, ...)', int('--port'))
  .option('--data-dir <dir>', 'keep accounts, tokens, records and change history in <dir> across restarts (default: in memory only; a directory keeps the seed and record counts it was created with)')
  .action(async (options) => (await import('./sandbox/cli.js')).runSandboxCommand(options));

program.command('bench').description('sync benchmark of one CRM against its emulator; writes bench/results/')
  .option('--provider <id>', 'the CRM to measure (hubspot, salesforce, pipedrive, zoho)', 'hubspot')
  .option('--scenario <name>', 'sync (one tenant: full, incremental, ceilings), tenants (many tenants on a few workers), crashes (workers SIGKILLed mid-sync), realtime (edits in the CRM pushed to Pulse), archive (an incremental against a large archive), filter (a full sync with a filter matching 10 %) or embedded (memory of `pulse-crm start` on PGlite through a sync and API clients); tenants, crashes, realtime, archive and filter need DATABASE_URL', 'sync')
  .option('--records <n>', 'sync: records for the main run (default 100,000); tenants: records per tenant (default 10,000); crashes: contacts, companies and deals added in the usual proportions (default 100,000); archive: records generated, archived included (default archived + 10,000); embedded: records in the emulator (default 100,000)', int('--records'))
  .option('--pglite-records <n>', 'records for the PGlite row (0: skip; default min(records, 100k))', int('--pglite-records'))
  .option('--limited-records <n>', 'records for the run under the CRM\'s realistic limits (0: skip; default min(records, 100k))', int('--limited-records'))
  .option('--small-records <n>', 'records for the end-to-end small run (0: skip)', int('--small-records'), 1000)
  .option('--changes <n>', 'sync, archive: changes before the incremental sync (default 1000); realtime: edits pushed (default 100)', int('--changes'))
  .option('--interval-ms <n>', 'realtime: time between edits (default 300)', int('--interval-ms'))
  .option('--seed <n>', 'data generator seed', int('--seed'), 1)
  .option('--tenants <n>', 'tenants: tenants synced together (default 50)', int('--tenants'))
  .option('--workers <n>', 'tenants, crashes: `pulse-crm worker` processes (default 2)', int('--workers'))
  .option('--big-records <n>', 'tenants: records of the big tenant started first (0: skip that part; default 500,000)', int('--big-records'))
  .option('--small-tenants <n>', 'tenants: small tenants started right after the big one (default 20)', int('--small-tenants'))
  .option('--archived <n>', 'archive: records deleted in the CRM before the full sync (default 100,000)', int('--archived'))
  .option('--clients <n>', 'embedded: concurrent API clients after the sync (default 200)', int('--clients'))
  .option('--client-seconds <n>', 'embedded: how long the clients page the contacts (default 30)', int('--client-seconds'))
  .option('--kills <n>', 'crashes: worker SIGKILLs at evenly spread progress points (default 20)', int('--kills'))
  .option('--heartbeat-timeout-ms <n>', 'crashes: the workers\' PULSE_HEARTBEAT_TIMEOUT_MS (default 3000)', int('--heartbeat-timeout-ms'))
  .option('--scheduler-tick-ms <n>', 'crashes: the workers\' PULSE_SCHEDULER_INTERVAL_MS (default 500)', int('--scheduler-tick-ms'))
  .option('--out <dir>', 'where reports go (default bench/results)')
  .action(async (options) => (await import('./commands/bench.js')).benchCommand(options));

program.command('bench-data-api').description('the synced-data API under many tenants at once, with and without its index; needs DATABASE_URL (a server to create a scratch database on)')
  .option('--rows <n>', 'contacts in total', int('--rows'), 1_000_000)
  .option('--users <n>', 'users they are spread over', int('--users'), 100)
  .option('--clients <n>', 'concurrent clients', int('--clients'), 200)
  .option('--requests <n>', 'requests per client', int('--requests'), 25)
  .option('--page-size <n>', 'records per page', int('--page-size'), 100)
  .option('--out <dir>', 'where reports go (default bench/results)')
  .action(async (options) => (await import('./commands/bench-data-api.js')).benchDataApiCommand(options));

try {
  await program.parseAsync();
} catch (error) {
  const expected = [ConfigError, DataDirInUseError, AppError, SecretError, MigrationError].some((kind) => error instanceof kind);
  if (!expected) throw error;
  console.error(`pulse-crm: ${(error as Error).message}`);
  process.exit(1);
}

import { z } from 'zod';

/**
 * Every environment variable the product reads, validated once at start. A bad value stops the
 * process with a message naming the variable, instead of failing later somewhere far away.
 */
const optionalString = z.string().trim().min(1).optional();
const port = z.coerce.number().int().min(0).max(65535);

const schema = z.object({
  PORT: port.default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url().optional().describe('The URL people and CRMs reach this server at; default http://HOST:PORT'),
  PULSE_APP_ORIGINS: optionalString.describe('Origins of host apps (besides PUBLIC_URL) that run the connect flow, comma-separated'),
  PULSE_CORS_ORIGINS: optionalString.describe('Origins of host apps that call the API from the browser (CORS), comma-separated; they may also run the connect flow'),
  DATABASE_URL: z.url().optional(),
  PULSE_DATA_DIR: z.string().trim().min(1).default('.pulse'),
  PULSE_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PULSE_ENCRYPTION_KEY: optionalString,
  PULSE_AUTH_JWT_SECRET: optionalString,
  PULSE_AUTH_JWKS_URL: z.url().optional(),
  PULSE_AUTH_ISSUER: optionalString,
  PULSE_AUTH_AUDIENCE: optionalString,
  PULSE_METRICS_TOKEN: z.string().trim().min(16, 'use at least 16 characters (e.g. openssl rand -hex 24)').optional(),
  PULSE_SANDBOX: z.enum(['auto', 'off']).default('auto'),
  PULSE_SANDBOX_HOST: z.string().trim().min(1).default('127.0.0.1'),
  PULSE_SANDBOX_PORT: port.default(4101),
  PULSE_SANDBOX_RECORDS: z.coerce.number().int().min(0).max(10_000_000).default(2_000)
    .describe('Records each local emulator seeds its account with when its data directory is new (70% contacts, 10% companies, 20% deals)'),
  PULSE_MEMORY_LOG_MS: z.coerce.number().int().min(0).max(3_600_000).default(0)
    .describe('Diagnostics: log this process\'s memory (RSS, V8 heap, embedded database) at this interval; 0: off'),
  PULSE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(64)
    .describe('Sync runs one worker process keeps going at once; most of a run is waiting on its CRM account, which costs little'),
  PULSE_WORKER_RECORD_BUDGET: z.coerce.number().int().min(100).max(10_000_000).default(20_000)
    .describe('Fetched records one worker process holds at once across its runs (memory); listings wait their turn beyond it'),
  PULSE_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  PULSE_SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  PULSE_HEARTBEAT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  PULSE_WEBHOOK_SETTLE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000)
    .describe('How long pushed changes gather before one run applies them together'),
  PULSE_REALTIME_POLL_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60)
    .describe('While an integration\'s pushed changes arrive and miss nothing, its scheduled listing runs this often (the safety net)'),
  PULSE_ARCHIVE_SWEEP_MINUTES: z.coerce.number().int().min(0).max(10_080).default(60)
    .describe('How often an incremental sync reads a deleted listing that costs the whole archive (HubSpot); 0: every run. Daily at most while the CRM pushes deletions'),
  PULSE_CRM_OUTAGE_WINDOW_MS: z.coerce.number().int().min(0).max(3_600_000).default(180_000)
    .describe('How long a sync keeps retrying a CRM it cannot reach before the object fails'),
  PULSE_CRM_OUTAGE_RETRY_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000)
    .describe('First automatic retry of a run cut short by an outage; doubles per outage in a row, up to the sync interval'),
  PULSE_TEST_KILL_AFTER_TOKEN_REFRESH: z.enum(['1']).optional().describe('Tests only: the process kills itself (SIGKILL) the moment a refreshed token pair is stored'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HUBSPOT_CLIENT_ID: optionalString,
  HUBSPOT_CLIENT_SECRET: optionalString,
  HUBSPOT_APP_ID: optionalString.describe('The public app\'s id, for its webhook subscriptions (with HUBSPOT_DEVELOPER_API_KEY)'),
  HUBSPOT_DEVELOPER_API_KEY: optionalString.describe('The developer account\'s API key: Pulse keeps the app\'s webhook target and subscriptions in place with it'),
  SALESFORCE_CLIENT_ID: optionalString,
  SALESFORCE_CLIENT_SECRET: optionalString,
  SALESFORCE_LOGIN_URL: z.url().optional(),
  PIPEDRIVE_CLIENT_ID: optionalString,
  PIPEDRIVE_CLIENT_SECRET: optionalString,
  ZOHO_CLIENT_ID: optionalString,
  ZOHO_CLIENT_SECRET: optionalString,
  ZOHO_ACCOUNTS_URL: z.url().optional(),
});

export type Config = z.infer<typeof schema> & {
  publicUrl: string;
  /** Origins that may start a connect flow: PULSE_APP_ORIGINS and PULSE_CORS_ORIGINS. */
  appOrigins: string[];
  /** Origins whose pages may call the API (CORS): PULSE_CORS_ORIGINS only. */
  corsOrigins: string[];
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings in .env files mean "not set", as most tools read them.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}\nFix these variables (see .env.example).`);
  }
  const config = parsed.data;
  for (const provider of ['HUBSPOT', 'SALESFORCE', 'PIPEDRIVE', 'ZOHO'] as const) {
    const id = config[`${provider}_CLIENT_ID`];
    const secret = config[`${provider}_CLIENT_SECRET`];
    if (Boolean(id) !== Boolean(secret)) {
      throw new ConfigError(`Invalid configuration: set both ${provider}_CLIENT_ID and ${provider}_CLIENT_SECRET, or neither (neither uses the sandbox).`);
    }
  }
  const shownHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const publicUrl = (config.PUBLIC_URL ?? `http://${shownHost}:${config.PORT}`).replace(/\/$/, '');
  const corsOrigins = parseOrigins('PULSE_CORS_ORIGINS', config.PULSE_CORS_ORIGINS);
  // A host app that may call the API from its pages embeds the wizard too, so it may start a connect flow.
  const appOrigins = [...new Set([...parseOrigins('PULSE_APP_ORIGINS', config.PULSE_APP_ORIGINS), ...corsOrigins])];
  return { ...config, publicUrl, appOrigins, corsOrigins };
}

/** `https://app.example.com,http://localhost:5173` → origins; anything with a path, no scheme or a wildcard is refused. */
function parseOrigins(variable: string, value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter(Boolean).map((item) => {
    const origin = URL.canParse(item) ? new URL(item).origin : 'null';
    if (origin === 'null' || item.includes('*') || origin !== item.replace(/\/$/, '')) {
      throw new ConfigError(`Invalid configuration: ${variable} must list exact origins like https://app.example.com (scheme, host, port; no path, no wildcard), not "${item}".`);
    }
    return origin;
  });
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { SignJWT } from 'jose';
import { userIdFor } from '../server/auth.js';
import { freshServerDatabase } from './context.js';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * The synced-data API under many tenants at once: `users` users with `rows / users` contacts each,
 * `clients` concurrent clients each reading its own user's contacts without an integration filter
 * (the query RLS narrows to the caller), against a real `pulse-crm server` process on PostgreSQL.
 * The same load runs twice in one go — with the (user_id, updated_at, id) index and without it — so
 * the figure comes with the baseline it is compared with.
 */
export interface DataApiBenchOptions {
  adminUrl: string;
  rows: number;
  users: number;
  clients: number;
  requestsPerClient: number;
  /** Records per page (the API's default is 100). */
  pageSize: number;
  out: string;
  log: (line: string) => void;
}

const SECRET = 'bench-secret-at-least-32-bytes-long!!';

export async function runDataApiBench(options: DataApiBenchOptions) {
  const database = await freshServerDatabase(options.adminUrl);
  const server = await startServer( { DATABASE_URL: database.url, PULSE_AUTH_JWT_SECRET: SECRET, PULSE_SANDBOX: 'off', LOG_LEVEL: 'warn', PULSE_DB_POOL_SIZE: '20' });
  try {
    options.log(`seeding ${options.rows.toLocaleString('en')} contacts over ${options.users} users`);
    const seedStarted = performance.now();
    await sql(database.url, 'SELECT 1'); // the server applied the migrations before it answered healthy
    await seed(database.url, options.rows, options.users);
    options.log(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
    const tokens = await Promise.all(Array.from({ length: options.users }, (_, i) => token(`bench-user-${i}`)));
    // The ceiling: the same clients and requests on the lightest authenticated route (the caller's
    // integrations: a JWT check, one tenant transaction, a one-row answer) — what this machine can
    // serve at this concurrency before any page of records is read.
    const ceiling = await load(server.baseUrl, tokens, options, () => '/api/integrations');
    options.log(`ceiling (/api/integrations): p50 ${ceiling.p50} ms, p99 ${ceiling.p99} ms, ${ceiling.rps} requests/s`);
    const withIndex = await load(server.baseUrl, tokens, options);
    options.log(`with the index: p50 ${withIndex.p50} ms, p99 ${withIndex.p99} ms, ${withIndex.rps} requests/s`);
    await sql(database.url, 'DROP INDEX crm_contacts_user_updated_idx; ANALYZE crm_contacts');
    const withoutIndex = await load(server.baseUrl, tokens, options);
    options.log(`without it:     p50 ${withoutIndex.p50} ms, p99 ${withoutIndex.p99} ms, ${withoutIndex.rps} requests/s`);
    const { rows, users, clients, requestsPerClient, pageSize } = options;
    const result = { date: new Date().toISOString(), rows, users, clients, requestsPerClient, pageSize, ceiling, withIndex, withoutIndex };
    writeFileSync(`${options.out}.json`, JSON.stringify(result, null, 2));
    writeFileSync(`${options.out}.md`, report(result));
    return result;
  } finally {
    await server.stop();
    await database.drop();
  }
}

async function sql(url: string, text: string, values?: unknown[]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

async function seed(url: string, rows: number, users: number) {
  const perUser = Math.ceil(rows / users);
  await sql(url, `
    INSERT INTO users (id, external_id) SELECT u.id::uuid, u.sub FROM jsonb_to_recordset($1::jsonb) AS u(id text, sub text);
    `.trim(), [JSON.stringify(Array.from({ length: users }, (_, i) => ({ id: userIdFor(`bench-user-${i}`), sub: `bench-user-${i}` })))]);
  await sql(url, `INSERT INTO crm_integrations (user_id, platform, display_name, external_account_id)
    SELECT id, 'hubspot', 'bench', external_id FROM users`);
  await sql(url, `INSERT INTO crm_contacts (integration_id, user_id, remote_id, first_name, email, properties, updated_at)
    SELECT i.id, i.user_id, g::text, 'Contact ' || g, 'c' || g || '@example.test', '{}'::jsonb, now() - g * interval '1 second'
    FROM crm_integrations i CROSS JOIN generate_series(1, $1) g`, [perUser]);
  await sql(url, 'ANALYZE');
}

function token(sub: string) {
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('2h').sign(new TextEncoder().encode(SECRET));
}

/** Every client reads its user's first page, then follows the cursor, `requestsPerClient` times. */
async function load(baseUrl: string, tokens: string[], options: DataApiBenchOptions,
  path = (cursor: string | null) => `/api/contacts?limit=${options.pageSize}${cursor ? `&cursor=${cursor}` : ''}`) {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: options.clients }, async (_, client) => {
    const authorization = `Bearer ${tokens[client % tokens.length]}`;
    let cursor: string | null = null;
    for (let i = 0; i < options.requestsPerClient; i++) {
      const url = `${baseUrl}${path(cursor)}`;
      const sent = performance.now();
      const response = await fetch(url, { headers: { authorization } });
      const body = (await response.json()) as { nextCursor?: string | null };
      latencies.push(performance.now() - sent);
      if (!response.ok) failures++;
      cursor = body.nextCursor ?? null;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!);
  return { requests: latencies.length, failures, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: Math.round(latencies.at(-1)!), rps: Math.round(latencies.length / seconds) };
}

type LoadResult = Awaited<ReturnType<typeof load>>;

function report(result: { date: string; rows: number; users: number; clients: number; requestsPerClient: number; pageSize: number; ceiling: LoadResult; withIndex: LoadResult; withoutIndex: LoadResult }): string {
  const row = (name: string, r: LoadResult) => `| ${name} | ${r.requests} | ${r.failures} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.max} | ${r.rps} |`;
  return `# Data API under many tenants — ${result.date.slice(0, 10)}

${result.rows.toLocaleString('en')} contacts over ${result.users} users on PostgreSQL; ${result.clients} concurrent clients, each reading its
own user's contacts (\`GET /api/contacts?limit=${result.pageSize}\`, no integration filter, following the cursor) ${result.requestsPerClient} times,
against a \`pulse-crm server\` process. Server, database and clients share the same 2 cores. Latency in ms.

| | requests | failed | p50 | p95 | p99 | max | requests/s |
|---|---|---|---|---|---|---|---|
${row('ceiling: /api/integrations, same clients (same run)', result.ceiling)}
${row('with the (user_id, updated_at, id) index', result.withIndex)}
${row('without it (baseline, same run)', result.withoutIndex)}

Target: p99 ≤ 100 ms with the index. Each figure is also a ratio to the ceiling: p99 ${(result.withIndex.p99 / Math.max(1, result.ceiling.p99)).toFixed(1)}× the
ceiling's with the index, ${(result.withoutIndex.p99 / Math.max(1, result.ceiling.p99)).toFixed(1)}× without it. The clients run closed-loop (each sends its next request when
the last one is answered), so a saturated machine shows as latency: p50 ≈ clients ÷ requests/s.
`;
}

/** A real `pulse-crm server` on a free port, ready when its health check answers. */
async function startServer(env: Record<string, string>): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  const cli = fileURLToPath(new URL('../../bin/pulse-crm.js', import.meta.url));
  const child = spawn(process.execPath, [cli, 'server'], { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`pulse-crm server exited (${child.exitCode})`);
    if (await fetch(`${baseUrl}/api/health`).then((r) => r.ok, () => false)) break;
    if (i > 300) throw new Error('pulse-crm server did not become healthy in 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { baseUrl, stop: () => new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); }) };
}

export const dataApiReportPath = (dir: string) => join(dir, `${new Date().toISOString().slice(0, 10)}-data-api`);

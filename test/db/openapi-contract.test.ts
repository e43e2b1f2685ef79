import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorStatus } from '../../src/lib/errors.js';
import { buildApp } from '../../src/server/app.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { engine } from '../helpers/database.js';
import { repoRoot } from '../helpers/process.js';
import { TEST_JWT_SECRET } from '../helpers/users.js';

/**
 * The API's contract as a host app consumes it: the OpenAPI document passes Redocly's recommended
 * rules, says for every operation what it is called, what it returns and how it fails (with
 * examples), and a TypeScript client generated from it type-checks a program that uses it — while a
 * wrong use does not. The document does not depend on the database engine: checked once, on PGlite.
 */

const run = promisify(execFile);

interface Operation {
  operationId?: string;
  summary?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { example?: unknown; schema?: unknown }> }>;
}
interface Document {
  info: { license?: unknown };
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
}

/** Warnings Redocly may still give, each for a reason; anything else fails the test. */
const acceptedWarnings = [
  // The product is private and has no licence page to link to.
  { ruleId: 'info-license-strict', pointer: '#/info/license/url' },
  // Health is public and answers 200 or 503; there is no 4xx it could honestly document.
  { ruleId: 'operation-4xx-response', pointer: '#/paths/~1api~1health/get/responses' },
];

describe.runIf(engine === 'pglite')('the OpenAPI contract', () => {
  let ctx: TestContext;
  let document: Document;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    ctx = await createTestContext({ PULSE_AUTH_JWT_SECRET: TEST_JWT_SECRET, PUBLIC_URL: 'https://crm.pulse-host.test' });
    const app = await buildApp(ctx, { serveWeb: false });
    const response = await app.inject({ url: '/api/openapi.json' });
    await app.close();
    expect(response.statusCode).toBe(200);
    document = response.json();
    dir = mkdtempSync(join(tmpdir(), 'pulse-openapi-'));
    file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document, null, 2));
  });
  afterAll(async () => {
    await ctx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const operations = () => Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })));

  it('passes Redocly\'s recommended lint with 0 errors and no warning beyond the accepted ones', async () => {
    const cli = join(repoRoot, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
    // Redocly exits non-zero when it finds errors; its JSON report is what the test reads either way.
    const { stdout } = await run(process.execPath, [cli, 'lint', '--extends', 'recommended', '--format=json', file], {
      cwd: dir,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
    };
    const problems = report.problems.map((problem) => ({ ruleId: problem.ruleId, severity: problem.severity, pointer: problem.location[0]?.pointer, message: problem.message }));
    expect(problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(report.totals.errors).toBe(0);
    const unexpected = problems.filter((problem) => !acceptedWarnings.some((accepted) => accepted.ruleId === problem.ruleId && accepted.pointer === problem.pointer));
    expect(unexpected).toEqual([]);
    expect(report.totals.warnings).toBeLessThanOrEqual(acceptedWarnings.length);
  });

  it('names the server from PUBLIC_URL', () => {
    expect(document.servers).toEqual([expect.objectContaining({ url: 'https://crm.pulse-host.test' })]);
  });

  it('gives every operation a unique camelCase operationId, a summary, its error responses and examples', () => {
    const ids = new Set<string>();
    for (const { name, operation } of operations()) {
      expect(operation.operationId, name).toMatch(/^[a-z][A-Za-z]+$/);
      expect(ids.has(operation.operationId!), `${name}: operationId ${operation.operationId} is used twice`).toBe(false);
      ids.add(operation.operationId!);
      expect(operation.summary?.trim(), `${name}: summary`).toBeTruthy();

      const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
      const statuses = Object.keys(operation.responses).map(Number);
      if (!isPublic) expect(statuses, `${name}: an authenticated operation documents 401`).toContain(401);
      expect(statuses.some((status) => status >= 400), `${name}: documents how it fails`).toBe(true);

      for (const [status, response] of Object.entries(operation.responses)) {
        for (const [type, media] of Object.entries(response.content ?? {})) {
          expect(media.example, `${name} ${status} ${type}: example`).toBeDefined();
          const error = (media.example as { error?: { code: keyof typeof errorStatus; message: string } }).error;
          if (Number(status) >= 400 && error) {
            // The documented error shape, with a code that really answers with this status.
            expect(error.message, `${name} ${status}`).toEqual(expect.any(String));
            expect(errorStatus[error.code], `${name} ${status}: code ${error.code}`).toBe(Number(status));
          }
        }
      }
    }
    expect(ids.size).toBeGreaterThanOrEqual(18);
    expect([...ids]).toEqual(expect.arrayContaining(['listIntegrations', 'getIntegration', 'startSync', 'startOAuth', 'listContacts', 'streamEvents']));
  });

  it('documents the live-event stream as text/event-stream', () => {
    const stream = document.paths['/api/events']!.get!;
    expect(Object.keys(stream.responses['200']!.content!)).toEqual(['text/event-stream']);
    expect(stream.responses['200']!.content!['text/event-stream']!.example).toMatch(/^event: /);
  });

  it('generates a TypeScript client that type-checks a program using it, and refuses a wrong use', async () => {
    const ast = await openapiTS(document as never);
    writeFileSync(join(dir, 'api.d.ts'), astToString(ast));
    // A small host app, written against the generated types the way openapi-fetch and friends use them.
    writeFileSync(join(dir, 'client.ts'), `
import type { operations, paths } from './api';

type Json<R> = R extends { content: { 'application/json': infer Body } } ? Body : never;
declare function request(method: string, path: string, body?: unknown): Promise<unknown>;

export async function listIntegrations(): Promise<Json<operations['listIntegrations']['responses'][200]>> {
  return request('GET', '/api/integrations') as never;
}
export async function startSync(
  id: paths['/api/integrations/{id}/sync']['post']['parameters']['path']['id'],
  body: NonNullable<paths['/api/integrations/{id}/sync']['post']['requestBody']>['content']['application/json'],
): Promise<Json<operations['startSync']['responses'][202]>> {
  return request('POST', \`/api/integrations/\${id}/sync\`, body) as never;
}
export async function listContacts(query: operations['listContacts']['parameters']['query']): Promise<Json<operations['listContacts']['responses'][200]>> {
  return request('GET', '/api/contacts', query) as never;
}

export async function main(): Promise<string> {
  const { integrations } = await listIntegrations();
  const first = integrations[0];
  if (!first) return 'none';
  const status: 'connected' | 'needs_reauth' | 'error' | 'disabled' = first.status;
  const started = await startSync(first.id, { full: true });
  const logId: string = started.logId;
  const joined: boolean = started.joined;
  const page = await listContacts({ integrationId: first.id, limit: 50 });
  const emails: (string | null)[] = page.items.map((contact) => contact.email);
  const next: string | null = page.nextCursor;
  const failure: Json<operations['startSync']['responses'][409]> = { error: { code: 'conflict', message: 'Reconnect first.' } };
  return [status, logId, joined, emails.length, next, failure.error.code].join(' ');
}
`);
    // The same program gone wrong: each line must be refused.
    writeFileSync(join(dir, 'wrong.ts'), `
import { listIntegrations, startSync } from './client';

export async function wrong(): Promise<void> {
  const { integrations } = await listIntegrations();
  await startSync(integrations[0]!.id, { full: 'yes' });
  const name: string = integrations[0]!.displayName;
  void integrations[0]!.lastSyncTime;
}
`);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler', lib: ['es2022'], types: [], skipLibCheck: true },
      files: ['api.d.ts', 'client.ts', 'wrong.ts'],
    }));
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const { stdout } = await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: dir })
      .catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const diagnostics = stdout.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(diagnostics.filter((line) => !line.startsWith('wrong.ts')), 'the generated client and the program using it').toEqual([]);
    const wrongLines = new Set(diagnostics.map((line) => /^wrong\.ts\((\d+),/.exec(line)?.[1]));
    // { full: 'yes' } (line 6), a nullable name taken as string (line 7), a field that does not exist (line 8).
    expect([...wrongLines].sort()).toEqual(['6', '7', '8']);
  }, 60_000);
});

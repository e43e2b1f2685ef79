import { fileURLToPath } from 'node:url';
import { AppError } from '../lib/errors.js';
import { dataApiReportPath, runDataApiBench } from '../bench/data-api-load.js';

/** `pulse-crm bench-data-api`: writes bench/results/<date>-data-api.{json,md}. */
export async function benchDataApiCommand(options: { rows: number; users: number; clients: number; requests: number; pageSize: number; out?: string }): Promise<void> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new AppError('validation_failed', 'Set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres); the bench creates and drops a scratch database there.');
  const out = dataApiReportPath(options.out ?? fileURLToPath(new URL('../../bench/results/', import.meta.url)));
  await runDataApiBench({ adminUrl, rows: options.rows, users: options.users, clients: options.clients, requestsPerClient: options.requests, pageSize: options.pageSize, out, log: (line) => console.log(line) });
  console.log(`report: ${out}.md`);
}

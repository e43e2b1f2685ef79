import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * SQL lives in repositories (issue 12, item 6): a route, command or sync step asks a
 * `*-repository.ts` for what it needs and never writes a statement itself, so every statement
 * against a table can be found, reviewed for RLS and indexes, and changed in one place. This reads
 * src/ and names each `.query(` outside a repository as file:line.
 *
 * The exceptions are infrastructure, not table access; each says why. A new one needs a reason as
 * good: most "just one query" cases belong in the repository of the table they touch.
 */
const repoRoot = join(import.meta.dirname, '../..');
const src = join(repoRoot, 'src');

/** Whole files that may call `.query(`. */
const allowedFiles: Record<string, string> = {
  'src/db/tenant.ts': 'opens the transactions and sets the role and user for RLS (BEGIN, set_config, SET LOCAL ROLE)',
  'src/db/pool.ts': 'creates and checks the connection pool',
  'src/db/migrate.ts': 'applies the migrations and records them (its own bookkeeping table, under an advisory lock)',
  'src/db/embedded.ts': 'starts embedded PGlite and prepares its roles',
  'src/crm/rate-limiter.ts': 'the cross-process limiter is one statement against its own table',
  'src/events/bus.ts': 'LISTEN/NOTIFY for live events: a channel, not a table',
  'src/sync/queue.ts': "pg-boss's SQL adapter, its wake-up LISTEN/NOTIFY and its set-up lock: the queue's own machinery",
  'src/lib/reencrypt.ts': 'key rotation re-seals whichever secret columns it is given, generically, as the system role',
};

/** Folders whose every file may: they are not the product. */
const allowedFolders: Record<string, string> = {
  'src/bench/': 'benchmark set-up: builds, copies and drops its own tables to measure ceilings',
};

/** Single statements allowed (once each) in a file that must otherwise go through repositories. */
const allowedStatements: { file: string; statement: string; why: string }[] = [
  { file: 'src/sync/object-sync.ts', statement: "tx.query('SET LOCAL synchronous_commit = off')", why: 'a setting of the sync transaction, not table access' },
  { file: 'src/server/routes/health.ts', statement: "ctx.db.pool.query('SELECT 1')", why: 'the health check asks only whether the database answers' },
];

/** `.query(` and `.query<T>(` on anything, and `tx.query` / `pool.query` however they are called. */
const queryCall = /\.query\s*[<(]|\b(tx|pool)\.query\b/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [relative(repoRoot, path).split('\\').join('/')] : [];
  });
}

const isRepository = (file: string) => /-repository\.ts$/.test(file);
const isAllowedFile = (file: string) => file in allowedFiles || Object.keys(allowedFolders).some((folder) => file.startsWith(folder));

describe('SQL only in repositories', () => {
  it('calls .query( only in *-repository.ts files and the listed infrastructure', () => {
    const offenders = sourceFiles(src)
      .filter((file) => !isRepository(file) && !isAllowedFile(file))
      .flatMap((file) => {
        // Each listed statement excuses one line: a second copy of it is a new statement to justify.
        const unused = allowedStatements.filter((allowed) => allowed.file === file);
        return readFileSync(join(repoRoot, file), 'utf8').split('\n').flatMap((line, index) => {
          if (!queryCall.test(line)) return [];
          const allowed = unused.findIndex(({ statement }) => line.includes(statement));
          if (allowed >= 0) { unused.splice(allowed, 1); return []; }
          return [`${file}:${index + 1}`];
        });
      });
    expect(offenders, `SQL outside a repository; move it into the *-repository.ts of the table it touches:\n${offenders.join('\n')}`).toEqual([]);
  });

  it('lists only files that exist and statements that are still there (a stale exception hides nothing, but misleads)', () => {
    const missing = [...Object.keys(allowedFiles), ...Object.keys(allowedFolders)].filter((path) => !existsSync(join(repoRoot, path)));
    const gone = allowedStatements.filter(({ file, statement }) => !existsSync(join(repoRoot, file)) || !readFileSync(join(repoRoot, file), 'utf8').includes(statement))
      .map(({ file, statement }) => `${file}: ${statement}`);
    expect([...missing, ...gone]).toEqual([]);
  });
});

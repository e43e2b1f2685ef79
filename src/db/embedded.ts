import { mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * Embedded PostgreSQL: PGlite (Postgres compiled to WASM) persisted in the data directory and served
 * on a private unix socket, so the rest of the product talks to it through the same `pg` pool as to
 * a real server. PGlite is a single session: code must only use transaction-local settings.
 */
export interface EmbeddedDatabase {
  /** `pg` connection options: host is the socket's directory, as libpq expects. */
  connection: { host: string; port: number; user: string; database: string };
  /** The WASM linear memory PostgreSQL runs in, bytes: it grows with what the database holds and never shrinks. */
  wasmMemoryBytes(): number;
  close(): Promise<void>;
}

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

/**
 * PostgreSQL's buffer cache inside the WASM memory, which grows to hold it and never gives memory
 * back. PGlite's initdb picks 128MB, which took its memory from 128 to 189 MB resident after a sync
 * (`pulse-crm bench --scenario embedded`); the table files are read through the operating system,
 * whose page cache (shared, reclaimable) serves what no longer fits here.
 */
export const SHARED_BUFFERS = '16MB';

/**
 * V8 compiles PostgreSQL's 9 MB of WASM twice: at once with its baseline compiler (Liftoff), then the
 * functions that run hot again with its optimizing one, on background threads whose compiler memory
 * stays in glibc's per-thread arenas. Measured on `pulse-crm start`: ~80 MB of RSS for the optimized
 * tier; the baseline code also starts faster. Set before PGlite compiles (the flag is read at compile
 * time); it applies to WASM this process compiles later too.
 */
function boundWasmCompilation(): void {
  setFlagsFromString('--liftoff-only');
}

const SOCKET_PORT = 5432; // only names the socket file `.s.PGSQL.5432` inside our private directory

export async function startEmbeddedDatabase(dataDir: string | null, maxConnections: number): Promise<EmbeddedDatabase> {
  const releaseLock = dataDir ? lockDataDir(dataDir) : () => {};
  let db: PGlite | undefined;
  let socketDir: string | undefined;
  try {
    boundWasmCompilation();
    const options = { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`] };
    db = dataDir ? new PGlite(join(resolve(dataDir), 'pgdata'), options) : new PGlite(options);
    await db.waitReady;
    socketDir = mkdtempSync(join(tmpdir(), 'pulse-pg-'));
    const server = new PGLiteSocketServer({ db, path: join(socketDir, `.s.PGSQL.${SOCKET_PORT}`), maxConnections });
    await server.start();
    const [openDb, dir] = [db, socketDir];
    return {
      connection: { host: socketDir, port: SOCKET_PORT, user: 'postgres', database: 'postgres' },
      wasmMemoryBytes: () => openDb.Module.wasmMemory.buffer.byteLength,
      async close() {
        await server.stop();
        await openDb.close();
        rmSync(dir, { recursive: true, force: true });
        releaseLock();
      },
    };
  } catch (error) {
    await db?.close().catch(() => {});
    if (socketDir) rmSync(socketDir, { recursive: true, force: true });
    releaseLock();
    throw error;
  }
}

/**
 * PGlite would corrupt its files if two processes opened them, so the data directory carries a
 * lock file with the owner's pid; a lock left by a dead process is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lockPath = join(dataDir, 'pulse.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockPath, 'utf8'));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new DataDirInUseError(
          `The data directory ${resolve(dataDir)} is in use by process ${owner}. Stop that process, or set PULSE_DATA_DIR to another directory.`,
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirInUseError(`Could not lock the data directory ${resolve(dataDir)}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

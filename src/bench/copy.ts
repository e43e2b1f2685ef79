import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import type pg from 'pg';

/**
 * COPY over the `pg` client without another dependency: a "submittable" the client drives through
 * the CopyOut / CopyIn sub-protocols. Out streams into a file; in streams a file in 1 MiB chunks (or
 * rows from memory), waiting for the socket to drain, so neither side holds a file in memory.
 */
interface Connection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
}

abstract class CopyCommand {
  callback?: (error: Error | null) => void;
  private error: Error | null = null;
  constructor(readonly text: string) {}
  submit(connection: Connection) { connection.query(this.text); }
  handleError(error: Error) { this.error = error; }
  handleCommandComplete() {}
  handleEmptyQuery() {}
  handleRowDescription() {}
  handleDataRow() {}
  handleCopyInResponse(connection: Connection) { connection.sendCopyFail('unexpected COPY FROM'); }
  handleCopyData(_message: { chunk: Buffer }) {}
  handleReadyForQuery() { this.callback?.(this.error); }
}

class CopyOutToFile extends CopyCommand {
  constructor(text: string, private readonly fd: number) { super(text); }
  override handleCopyData(message: { chunk: Buffer }) { writeSync(this.fd, message.chunk); }
}

/** COPY FROM STDIN fed by `chunks`, waiting for the socket to drain between them. */
class CopyIn extends CopyCommand {
  constructor(text: string, private readonly chunks: () => Iterable<Buffer>) { super(text); }
  override handleCopyInResponse(connection: Connection) {
    void (async () => {
      try {
        for (const chunk of this.chunks()) {
          connection.sendCopyFromChunk(chunk);
          if (connection.stream.writableNeedDrain) await new Promise((resolve) => connection.stream.once('drain', resolve));
        }
        connection.endCopyFrom();
      } catch (error) {
        connection.sendCopyFail(String(error));
      }
    })();
  }
}

/** A file in 1 MiB chunks. */
function* fileChunks(path: string): Iterable<Buffer> {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) return;
      yield Buffer.from(buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
}

function run(client: pg.PoolClient, command: CopyCommand): Promise<void> {
  return new Promise((resolve, reject) => {
    command.callback = (error) => (error ? reject(error) : resolve());
    void client.query(command as never);
  });
}

export async function copyOut(client: pg.PoolClient, sql: string, path: string): Promise<void> {
  const fd = openSync(path, 'w');
  try { await run(client, new CopyOutToFile(`COPY (${sql}) TO STDOUT`, fd)); } finally { closeSync(fd); }
}

export function copyIn(client: pg.PoolClient, table: string, path: string): Promise<void> {
  return run(client, new CopyIn(`COPY ${table} FROM STDIN`, () => fileChunks(path)));
}

/** Rows already in COPY's text format, from memory. */
export function copyInRows(client: pg.PoolClient, table: string, rows: Buffer): Promise<void> {
  return run(client, new CopyIn(`COPY ${table} FROM STDIN`, () => [rows]));
}

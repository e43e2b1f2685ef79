/**
 * The files of one emulator's data directory: `world.json` (what the seeded world is made from,
 * written once) and `journal.ndjson` (one accepted write per line, appended before its answer is
 * sent). Appends are `writeSync` on a file opened for appending, without fsync: once the call returns
 * the line is in the kernel, so a killed process (SIGKILL, OOM) loses nothing it acknowledged, at no
 * cost per request; only a crash of the machine itself could lose the last lines, which a sandbox
 * need not survive (fsync per write would cost every write a disk flush).
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** What a restart must know to regenerate the seeded world before replaying the journal. */
export interface WorldFile {
  version: 1;
  seed: number;
  records: unknown;
}

/** One accepted write: the request as received, plus what a replay cannot recompute. */
export interface JournalEntry {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The raw body, base64; absent when empty. */
  body?: string;
  /** Every clock reading the request made, in order. */
  times: number[];
  /** Every token text (access, refresh, code) the request minted, in order. */
  minted: string[];
  /** The status it was answered with, to report a replay that went differently. */
  status: number;
}

export class JournalFile {
  private fd: number | null = null;
  private readonly worldPath: string;
  private readonly journalPath: string;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.worldPath = join(dir, 'world.json');
    this.journalPath = join(dir, 'journal.ndjson');
  }

  readWorld(): WorldFile | null {
    if (!existsSync(this.worldPath)) return null;
    return JSON.parse(readFileSync(this.worldPath, 'utf8')) as WorldFile;
  }

  /** Written through a rename, so a kill mid-write leaves either no world or a whole one. */
  writeWorld(world: WorldFile): void {
    writeFileSync(`${this.worldPath}.tmp`, JSON.stringify(world), { mode: 0o600 });
    renameSync(`${this.worldPath}.tmp`, this.worldPath);
  }

  /**
   * The entries written so far. A last line without its newline is a write the process was killed in
   * the middle of, never acknowledged: it is cut off so the next append starts on a line of its own.
   */
  readEntries(): JournalEntry[] {
    if (!existsSync(this.journalPath)) return [];
    const text = readFileSync(this.journalPath, 'utf8');
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) truncateSync(this.journalPath, Buffer.byteLength(text.slice(0, end)));
    return text.slice(0, end).split('\n').filter(Boolean).map((line) => JSON.parse(line) as JournalEntry);
  }

  append(entry: JournalEntry): void {
    this.fd ??= openSync(this.journalPath, 'a', 0o600);
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

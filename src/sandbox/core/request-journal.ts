/**
 * An emulator that survives a restart, by command sourcing: the seeded world is a pure function of
 * (seed, record counts), so a restart regenerates it and replays, in order and through the same
 * routes, every request that wrote since. What a replay could not recompute is recorded on a "tape"
 * with each request and played back to it: every clock reading (so a replayed write stamps the same
 * modification times) and every token text minted (so the tokens clients hold stay valid). The tape
 * follows the request through its async work with AsyncLocalStorage, so concurrent requests never
 * take each other's readings.
 *
 * Everything is generic: accounts, grants, records, associations, recycle bins, change logs and each
 * emulator's own maps come back because the same handlers rebuild them, and an emulator adds no hook.
 * Without a data directory none of this is installed: the bench's 1M-record sandboxes pay nothing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from './clock.js';
import type { JournalEntry, JournalFile } from './journal-file.js';
import type { TokenFormats } from './tokens.js';

interface Tape {
  replay: boolean;
  times: number[];
  minted: string[];
  nextTime: number;
  nextMint: number;
  /** The request got past authentication, limits and faults: its handler ran. */
  handled: boolean;
  /** Answered: later readings (timers the request started) are live ones. */
  done: boolean;
}

const tapes = new AsyncLocalStorage<Tape>();

const newTape = (replay = false, times: number[] = [], minted: string[] = []): Tape => ({ replay, times, minted, nextTime: 0, nextMint: 0, handled: false, done: false });

/** A clock whose readings inside a journaled request are recorded (or, in a replay, played back). */
export function journaledClock(inner: Clock): Clock {
  return {
    now() {
      const tape = tapes.getStore();
      if (!tape || tape.done) return inner.now();
      if (tape.replay) return tape.times[tape.nextTime++] ?? tape.times[tape.times.length - 1] ?? inner.now();
      const now = inner.now();
      tape.times.push(now);
      return now;
    },
    advance: (ms) => inner.advance(ms),
    offset: () => inner.offset(),
  };
}

/** Token formats whose random texts are recorded (or, in a replay, played back). */
export function journaledFormats(inner: TokenFormats): TokenFormats {
  const wrap = (make: () => string) => () => {
    const tape = tapes.getStore();
    if (!tape || tape.done) return make();
    if (tape.replay) return tape.minted[tape.nextMint++] ?? make();
    const token = make();
    tape.minted.push(token);
    return token;
  };
  return Object.fromEntries(Object.entries(inner).map(([name, make]) => [name, wrap(make)])) as unknown as TokenFormats;
}

/** Route kinds that only read, even when sent as a POST (a search body, a COQL query). */
const READ_KINDS = new Set(['search', 'list']);
/** Admin state that is about the test run, not the CRM: injected faults, request counts. */
const TRANSIENT_ADMIN = ['/_sandbox/faults', '/_sandbox/requests'];
/** Headers that describe one connection, not the request. */
const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'expect', 'accept-encoding']);

/**
 * Whether a request may change state. OAuth routes count whatever their method (a GET revoke, a
 * consent answered by GET); other GETs never do.
 */
function writes(req: FastifyRequest): boolean {
  const config = req.routeOptions.config?.sandbox;
  if (!config) return false;
  if (config.admin) return req.method !== 'GET' && !TRANSIENT_ADMIN.some((p) => req.url.startsWith(p));
  if (config.kind === 'authorize' || config.kind === 'token') return true;
  return req.method !== 'GET' && req.method !== 'HEAD' && !config.readOnly && !READ_KINDS.has(config.kind);
}

export interface ReplayReport {
  replayed: number;
  /** Entries answered with another status than the first time (a sign the world diverged). */
  diverged: number;
  ms: number;
}

export class RequestJournal {
  private readonly state = new WeakMap<FastifyRequest, { tape: Tape; body?: Buffer }>();
  private replaying: Tape | undefined;

  constructor(private readonly file: JournalFile) {}

  /** Installs the recording hooks; call right after the request pipeline, before the routes. */
  attach(app: FastifyInstance): void {
    app.addHook('onRequest', async (req) => {
      if (writes(req)) this.state.set(req, { tape: this.replaying ?? newTape() });
    });
    // The raw body, as received: re-encoding a parsed one would not survive every CRM's content types.
    app.addHook('preParsing', async (req, _reply, payload) => {
      const state = this.state.get(req);
      if (!state || state.tape.replay || req.method === 'GET' || req.method === 'HEAD') return payload;
      const chunks: Buffer[] = [];
      for await (const chunk of payload) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
      state.body = Buffer.concat(chunks);
      const copy = Readable.from([state.body], { objectMode: false }) as Readable & { receivedEncodedLength?: number };
      copy.receivedEncodedLength = state.body.length;
      return copy;
    });
    // Body parsing runs on the socket's events, outside any context: enter the tape after it.
    app.addHook('preValidation', (req, _reply, done) => {
      const state = this.state.get(req);
      if (state) tapes.run(state.tape, done);
      else done();
    });
    app.addHook('preHandler', async (req) => {
      const state = this.state.get(req);
      if (state) state.tape.handled = true;
    });
    // Before the answer leaves: what a client was told happened is on disk.
    app.addHook('onSend', async (req, reply, payload) => {
      const state = this.state.get(req);
      if (!state || state.tape.done) return payload;
      state.tape.done = true;
      if (state.tape.handled && !state.tape.replay) this.file.append(entryOf(req, reply.statusCode, state.tape, state.body));
      return payload;
    });
  }

  /** Plays the journal back through `app` (not yet listening), as fast as it goes. */
  async replay(app: FastifyInstance): Promise<ReplayReport> {
    const started = performance.now();
    const entries = this.file.readEntries();
    let diverged = 0;
    try {
      for (const entry of entries) {
        this.replaying = newTape(true, entry.times, entry.minted);
        const answer = await app.inject({
          method: entry.method as 'POST',
          url: entry.url,
          headers: entry.headers,
          ...(entry.body !== undefined ? { payload: Buffer.from(entry.body, 'base64') } : {}),
        });
        if (answer.statusCode !== entry.status) diverged++;
      }
    } finally {
      this.replaying = undefined;
    }
    return { replayed: entries.length, diverged, ms: Math.round(performance.now() - started) };
  }

  close(): void {
    this.file.close();
  }
}

function entryOf(req: FastifyRequest, status: number, tape: Tape, body: Buffer | undefined): JournalEntry {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: req.method, url: req.url, headers, ...(body?.length ? { body: body.toString('base64') } : {}), times: tape.times, minted: tape.minted, status };
}

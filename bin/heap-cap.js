// The long-running commands bound their own memory. V8 grows its heap lazily: a worker whose live
// data is a few MB reaches ~400 MB over a large sync without a cap, and an operator should not have
// to know the flag that prevents it. A heap size can only be set when Node starts, so a command that
// runs without one starts itself again with it, as a child that lives and dies with this process.
import { spawn } from 'node:child_process';

/** Old-space cap per command, MB. A worker's sync streams through bounded batches; `start` also holds the API server and the embedded emulators. */
export const HEAP_CAP_MB = { worker: 192, server: 256, start: 384 };

const SUPERVISED = 'PULSE_HEAP_CAPPED';

/**
 * glibc gives each thread that allocates its own 64 MB malloc arena and keeps what was freed there.
 * V8's background threads (compilers, GC helpers) and libuv's pool each filled one: ~120 MB of freed
 * memory still resident in `pulse-crm start` (bench --scenario embedded: 2 arenas took 40 MB less
 * than none set, 1 another 40 MB). JavaScript runs on one thread, so one shared arena costs the
 * helpers a lock, not time we could measure. Like the heap cap it must be in the environment before
 * the process starts; an operator's own MALLOC_ARENA_MAX wins.
 */
const MALLOC_ARENAS = '1';

/** The cap this invocation should run under, or null: another command, or a cap the operator chose. */
export function heapCapFor(argv = process.argv, execArgv = process.execArgv, env = process.env) {
  const cap = HEAP_CAP_MB[argv[2]];
  if (!cap || env[SUPERVISED]) return null;
  const chosen = [...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)].some((flag) => flag.startsWith('--max-old-space-size'));
  return chosen ? null : cap;
}

/**
 * Runs this command again with `--max-old-space-size=capMb` and mirrors it: signals are passed on,
 * and its exit (code or signal) becomes ours. The child runs in its own process group so a Ctrl-C
 * reaches it once, through us. If this process is killed outright (SIGKILL, OOM killer), the IPC
 * channel closes and the child dies the same way: a supervisor killed mid-sync is a crash, and the
 * run must be recovered as one, not continued by an orphan nobody can stop.
 */
export function runWithHeapCap(capMb) {
  const child = spawn(process.execPath, [`--max-old-space-size=${capMb}`, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? MALLOC_ARENAS, [SUPERVISED]: String(capMb) },
    detached: true,
  });
  const forward = (signal) => () => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward(signal));
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else {
      process.exit(code ?? 1);
    }
  });
}

/** In the child: die with the supervisor. The channel must not keep an otherwise finished process alive. */
export function followSupervisor() {
  if (!process.env[SUPERVISED] || !process.channel) return;
  process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
  process.channel.unref();
}

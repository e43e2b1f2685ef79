import { getHeapStatistics } from 'node:v8';
import type { Database } from './db/pool.js';
import type { Logger } from './logger.js';

/**
 * PULSE_MEMORY_LOG_MS: where this process's memory is, logged at an interval, so an operator (or the
 * embedded bench) can tell the V8 heap from what lives outside it — PGlite's WASM memory, Buffers —
 * without attaching a profiler. The figures are cheap to read; the timer never keeps the process up.
 */
export interface MemoryFigures {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  heapLimitMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  /** Embedded database only. */
  wasmMb?: number;
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export function memoryFigures(db?: Pick<Database, 'wasmMemoryBytes'>): MemoryFigures {
  const usage = process.memoryUsage();
  const wasm = db?.wasmMemoryBytes?.();
  return {
    rssMb: mb(usage.rss), heapUsedMb: mb(usage.heapUsed), heapTotalMb: mb(usage.heapTotal),
    heapLimitMb: mb(getHeapStatistics().heap_size_limit), externalMb: mb(usage.external), arrayBuffersMb: mb(usage.arrayBuffers),
    ...(wasm === undefined ? {} : { wasmMb: mb(wasm) }),
  };
}

/** Starts the log when intervalMs > 0; returns its stop. */
export function startMemoryLog(intervalMs: number, logger: Logger, db?: Pick<Database, 'wasmMemoryBytes'>): () => void {
  if (intervalMs <= 0) return () => {};
  const log = () => logger.info({ memory: memoryFigures(db) }, 'memory');
  log();
  const timer = setInterval(log, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

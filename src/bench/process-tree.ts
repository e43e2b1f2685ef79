import { readFileSync } from 'node:fs';

/**
 * A process and its descendants, from /proc (Linux): a `pulse-crm` command is a small supervisor and
 * the child it starts under its heap cap (bin/heap-cap.js), so what it costs is both. `'self'` is this
 * process alone: its children are the bench's own helpers (the emulator, workers), not its cost.
 */
export function processTree(pid: number | 'self'): (number | 'self')[] {
  if (pid === 'self') return ['self'];
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return [pid, ...children.flatMap(processTree)];
  } catch {
    return [pid];
  }
}

/** A number of kB from a /proc status-like file (`VmRSS`, `VmHWM`, `Pss`…), in bytes; 0 once the process is gone. */
export function procKb(pid: number | 'self', file: 'status' | 'smaps_rollup', field: string): number {
  try {
    return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

import { readdirSync, readFileSync } from 'node:fs';
import { processTree } from './process-tree.js';

/**
 * CPU time from /proc, in seconds (user + system), for "CPU per record": the syncing process's tree
 * and the PostgreSQL server's processes. A backend that exits during a run leaves its time in the
 * postmaster's reaped-children counters (cutime, cstime), so the server's figure counts those too.
 * Linux only; null elsewhere. The machine must be quiet: the server's figure is every database's.
 */
const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux platform Node runs on.

interface Times { utime: number; stime: number; cutime: number; cstime: number; ppid: number; comm: string }

function timesOf(pid: number | 'self'): Times | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields after it are fixed.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), utime: Number(fields[11]), stime: Number(fields[12]), cutime: Number(fields[13]), cstime: Number(fields[14]), comm };
  } catch {
    return null;
  }
}

/** The process and its descendants (a worker runs under its supervisor); `'self'` is this process alone. */
export function processTreeCpuSeconds(pid: number | 'self'): number | null {
  const times = processTree(pid).map(timesOf);
  if (!times[0]) return null;
  return times.reduce((sum, each) => sum + (each ? each.utime + each.stime : 0), 0) / TICKS_PER_SECOND;
}

/** Every `postgres` process on this machine, with what exited backends left to the postmaster. */
export function postgresCpuSeconds(): number | null {
  let ticks = 0;
  let found = false;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const times = timesOf(Number(entry));
    if (!times || times.comm !== 'postgres') continue;
    found = true;
    ticks += times.utime + times.stime;
    // The postmaster (its parent is not a postgres process) holds its reaped backends' time.
    if (timesOf(times.ppid)?.comm !== 'postgres') ticks += times.cutime + times.cstime;
  }
  return found ? ticks / TICKS_PER_SECOND : null;
}

/** CPU spent between `start()` and the returned function's call, by the process tree and by PostgreSQL. */
export function cpuMeter(pid: number | 'self'): () => { processSeconds: number | null; postgresSeconds: number | null } {
  const process0 = processTreeCpuSeconds(pid);
  const postgres0 = postgresCpuSeconds();
  return () => {
    const process1 = processTreeCpuSeconds(pid);
    const postgres1 = postgresCpuSeconds();
    return {
      processSeconds: process0 !== null && process1 !== null ? process1 - process0 : null,
      postgresSeconds: postgres0 !== null && postgres1 !== null ? postgres1 - postgres0 : null,
    };
  };
}

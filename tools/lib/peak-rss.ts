import { readFileSync } from 'node:fs';

/** The process's peak resident set size (VmHWM) from /proc, or the current RSS where /proc is not there. */
export function peakRssBytes(pid: number | 'self' = 'self'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    if (match) return Number(match[1]) * 1024;
  } catch {
    /* not Linux */
  }
  return pid === 'self' ? process.memoryUsage().rss : 0;
}

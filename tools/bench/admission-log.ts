import type { Redis } from 'ioredis';

/**
 * Records every admission the shared Gong limiter makes, by sampling its sliding log (a sorted set of admission
 * times, taken from Redis' clock) faster than entries leave it: each stays at least one window (1 s + margin).
 */
export interface AdmissionLog {
  /** Admission times (ms epoch, Redis clock), sorted. */
  stop(): Promise<number[]>;
}

export function sampleAdmissions(redis: Redis, logKey: string, everyMs = 150): AdmissionLog {
  const seen = new Map<string, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const flat = await redis.zrange(logKey, 0, -1, 'WITHSCORES');
      for (let i = 0; i + 1 < flat.length; i += 2) seen.set(flat[i]!, Number(flat[i + 1]));
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return [...seen.values()].sort((a, b) => a - b);
    },
  };
}

/** Most requests whose times fall in any window of `windowMs` (inclusive start, exclusive end), by a two-pointer sweep. */
export function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/**
 * Lag from admission (Redis clock) to arrival at the emulator (same machine clock), pairing the k-th admission with
 * the k-th arrival. An approximation when requests overtake each other, exact in the order statistics that matter:
 * a request admitted early and sent late shows as a large lag.
 */
export function admissionLags(admissions: number[], arrivals: number[]): number[] {
  const sortedArrivals = [...arrivals].sort((a, b) => a - b);
  const n = Math.min(admissions.length, sortedArrivals.length);
  return Array.from({ length: n }, (_, k) => sortedArrivals[k]! - admissions[k]!);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

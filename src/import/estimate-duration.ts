/** What the budget lets imports do, for an estimate of how long the rest of a run takes. */
export interface ImportBudget {
  /** Gong requests per second (GONG_RATE_LIMIT_PER_SECOND): imports get all of it while no live call waits. */
  perSecond: number;
  /** Import requests allowed per day (IMPORT_DAILY_SHARE of GONG_DAILY_LIMIT). */
  importDailyLimit: number;
  /** Import requests left today. */
  importRemainingToday: number;
  msUntilReset: number;
  dayMs: number;
  /** Gong requests per call: 2 in push mode (create + upload). @defaultValue 2 */
  requestsPerCall?: number;
}

/**
 * Seconds until `calls` more calls are in Gong: at the measured rate when there is one (live calls take their
 * share), else at the full per-second rate, and never faster than the import share of each day allows.
 */
export function estimateImportSeconds(calls: number, budget: ImportBudget, measuredCallsPerSecond?: number): number {
  if (calls <= 0) return 0;
  const perCall = budget.requestsPerCall ?? 2;
  const requestRate = Math.max(1e-6, measuredCallsPerSecond && measuredCallsPerSecond > 0 ? measuredCallsPerSecond * perCall : budget.perSecond);
  let left = calls * perCall;
  const today = Math.min(left, Math.max(0, budget.importRemainingToday));
  left -= today;
  if (left <= 0) return today / requestRate;
  // Today's share runs out: the rest goes day by day, each day's share at the request rate.
  let seconds = Math.max(today / requestRate, budget.msUntilReset / 1000);
  const perDay = Math.max(1, budget.importDailyLimit);
  const fullDays = Math.floor((left - 1) / perDay);
  seconds += (fullDays * budget.dayMs) / 1000;
  seconds += (left - fullDays * perDay) / requestRate;
  return seconds;
}

/** `3 h 20 min`, `45 s`, `2 d 4 h`: for a person reading progress. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

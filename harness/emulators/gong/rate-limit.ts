/** The limits as read at each check, so `configure` takes effect on the next request. */
export interface RateLimits {
  ratePerSecond: number;
  dailyLimit: number;
  dayLengthMs: number;
}

/** Whether a request may proceed; when not, the Retry-After to send and the error text. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; message: string };

export interface RateLimiter {
  /** Decides for a request arriving now; an allowed request counts against both budgets, a refused one against neither. */
  admit(): RateDecision;
  reset(): void;
}

const WINDOW_MS = 1000;

/**
 * Gong's company-wide limits: a per-second rate and a daily budget, shared by all endpoints. The per-second limit
 * is a true sliding window (at most N accepted requests in any 1000 ms), the strictest reading of "3 per second",
 * so a client that merely spaces bursts by wall-clock seconds still meets 429s, as it may against Gong.
 */
export function createRateLimiter(limits: () => RateLimits, now: () => number = Date.now): RateLimiter {
  let recent: number[] = []; // arrival times of accepted requests in the last second, oldest first
  let dayStart = now();
  let usedToday = 0;

  return {
    admit() {
      const t = now();
      const { ratePerSecond, dailyLimit, dayLengthMs } = limits();

      // Day windows follow each other from the emulator's start, like a budget that resets at a fixed hour.
      if (t >= dayStart + dayLengthMs) {
        dayStart += Math.floor((t - dayStart) / dayLengthMs) * dayLengthMs;
        usedToday = 0;
      }
      // The daily budget is checked first: its Retry-After is the one a client must honour.
      if (usedToday >= dailyLimit) {
        return {
          allowed: false,
          retryAfterSeconds: wholeSeconds(dayStart + dayLengthMs - t),
          message: `API daily request limit of ${dailyLimit} reached; the budget resets at ${new Date(dayStart + dayLengthMs).toISOString()}`,
        };
      }

      while (recent.length > 0 && recent[0]! <= t - WINDOW_MS) recent.shift();
      if (recent.length >= ratePerSecond) {
        // A slot frees when enough of the requests in the window turn 1000 ms old to bring it under the limit.
        const oldestInWindow = recent[recent.length - Math.ceil(ratePerSecond)] ?? recent[0]!;
        return {
          allowed: false,
          retryAfterSeconds: wholeSeconds(oldestInWindow + WINDOW_MS - t),
          message: `API request rate limit of ${ratePerSecond} requests per second exceeded`,
        };
      }

      if (Number.isFinite(ratePerSecond)) recent.push(t);
      usedToday += 1;
      return { allowed: true };
    },
    reset() {
      recent = [];
      dayStart = now();
      usedToday = 0;
    },
  };
}

/** Retry-After is documented as whole seconds; never 0, which would invite an immediate retry. */
function wholeSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

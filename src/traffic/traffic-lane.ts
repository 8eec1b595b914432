/**
 * Which lane a Gong request travels in. Live calls (webhooks) always go first; import requests take only turns no
 * live request is waiting for, and at most a share of the day's budget.
 */
export type TrafficLane = 'live' | 'import';

/** How one request asks the limiter. */
export interface TrafficScope {
  /** @defaultValue 'live' */
  lane?: TrafficLane;
  /** Ties a look (awaitTurn) to the take (acquire) that follows it; random when not given. */
  ticket?: string;
}

/** The day's requests imports may use: a share of the daily limit, rounded down, at least one. */
export function importDailyLimit(dailyLimit: number, share: number): number {
  return Math.max(1, Math.floor(dailyLimit * share));
}

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
  /** An import request's share of the day kept for the request that must follow it (import lane only). */
  reservation?: ImportReservation;
}

/**
 * A call needs two requests in push mode, the create and the upload. An import's create is admitted only while the
 * day's import share has room for both, and it keeps the second for its upload ('reserve'); the upload then takes
 * the room it was kept ('use'). So the share never runs out between the two, leaving a call in Gong without its
 * recording until the next day. Keyed by the job's id; a reservation no upload comes for lapses (GongTrafficOptions).
 */
export interface ImportReservation {
  id: string;
  kind: 'reserve' | 'use';
}

/** The day's requests imports may use: a share of the daily limit, rounded down, at least one. */
export function importDailyLimit(dailyLimit: number, share: number): number {
  return Math.max(1, Math.floor(dailyLimit * share));
}

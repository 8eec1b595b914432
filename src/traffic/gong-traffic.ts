import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../redis/redis-connection.js';
import type { GongOperation } from '../gong/gong-errors.js';
import { ACQUIRE_SCRIPT, PAUSE_SCRIPT, REMAINING_SCRIPT } from './acquire-script.js';
import { GongBudgetExhaustedError, GongPausedError, ImportShareSpentError, TenantRateBusyError } from './traffic-errors.js';
import { trafficKeys } from './traffic-keys.js';
import { importDailyLimit, type TrafficLane, type TrafficScope } from './traffic-lane.js';

export interface GongTrafficOptions {
  redis: RedisClient;
  /** The hash-tagged queue prefix; the limiter's keys live under it. */
  prefix: string;
  /** Requests allowed in any sliding second, company-wide. @defaultValue 3 */
  perSecond: number;
  /** Requests allowed per day, company-wide. @defaultValue 10000 */
  dailyLimit: number;
  /** Length of the budget's day (UTC-aligned); shortened in tests. @defaultValue 86400000 */
  dayMs: number;
  /** The share of `dailyLimit` that import requests may use (IMPORT_DAILY_SHARE). @defaultValue 0.5 */
  importDailyShare?: number;
  /**
   * Added to the one-second window so that requests admitted exactly a second apart still arrive more than a
   * second apart at Gong, whatever the network does in between. @defaultValue 50
   */
  windowMarginMs: number;
  /**
   * The longest a request sleeps in place while requests are paused after a 429. A longer pause throws
   * GongPausedError instead, so the job is delayed and its worker slot is free (and a shutdown is not held up).
   * @defaultValue 5000
   */
  maxInlinePauseMs?: number;
  /** Whose budget this is: a tenant other than the default one has its own keys (traffic-keys.ts). */
  tenant?: string;
  /**
   * The longest a request sleeps in place for a turn of the rate. A longer wait throws TenantRateBusyError, so the
   * job leaves its worker slot to another tenant's call. Unset (one tenant), requests always wait in place.
   * @defaultValue Infinity
   */
  maxInlineRateWaitMs?: number;
  /**
   * How long an import create's reservation of the share for its upload lasts (traffic-lane.ts): the upload normally
   * follows within seconds; a job that dies in between gives the room back after this. @defaultValue 1800000
   */
  importReservationMs?: number;
  /** Told how long a request waited, and why. */
  onWait?: (reason: 'rate' | 'paused', seconds: number) => void;
}

export interface GongTraffic {
  /**
   * Resolves when a request may go. Throws GongBudgetExhaustedError when the day's budget is spent,
   * GongPausedError when a 429 pause lasts longer than `maxInlinePauseMs`, and the signal's reason when aborted.
   */
  acquire(operation: GongOperation, signal?: AbortSignal, scope?: TrafficScope): Promise<void>;
  /**
   * Resolves when a request would be admitted now, taking nothing; throws as acquire does. For a request that must
   * prepare something slow before it is sent (opening a recording): prepare after this, then acquire, so the
   * time the limiter records is when the request really leaves, and the prepared stream does not sit idle long.
   */
  awaitTurn(operation: GongOperation, signal?: AbortSignal, scope?: TrafficScope): Promise<void>;
  /** Holds every worker's Gong requests back for `ms` (after a 429). */
  pauseFor(ms: number): Promise<void>;
  remainingToday(): Promise<number>;
  /** What is left today of the whole budget and of the imports' share, and when the day resets. */
  budgetToday(): Promise<BudgetToday>;
}

export interface BudgetToday {
  remaining: number;
  importRemaining: number;
  msUntilReset: number;
}

type Verdict = [number, number, number];

/** awaitTurn() resolves this long before the turn is due: about what opening a recording takes. */
const TURN_LOOKAHEAD_MS = 30;

/**
 * How long a waiting live request's entry outlives the wait it was told: it asks again by then, unless its process
 * died, and then imports are held back at most this long by a request that will never come.
 */
const LIVE_WAITER_LINGER_MS = 1_000;

/**
 * The one limiter in front of every Gong request (create, upload, user look-up) in every process. BullMQ's own
 * limiter counts job starts in fixed windows, and rate-limiter-flexible's Redis limiter is a fixed window too: both
 * can let twice the limit through across a window edge, which Gong answers with 429. A sliding log cannot.
 */
export function createGongTraffic(options: GongTrafficOptions): GongTraffic {
  const keys = trafficKeys(options.prefix, options.tenant);
  const maxInlineRateWaitMs = options.maxInlineRateWaitMs ?? Infinity;
  const importLimit = importDailyLimit(options.dailyLimit, options.importDailyShare ?? 0.5);
  const windowMs = 1000 + options.windowMarginMs;
  const onWait = options.onWait ?? (() => {});
  const maxInlinePauseMs = options.maxInlinePauseMs ?? 5_000;
  const reservationMs = options.importReservationMs ?? 30 * 60_000;

  /** Asks the script until it admits (take) or would admit (look only); sleeps between asks. */
  async function waitForAdmission(signal: AbortSignal | undefined, take: boolean, scope: TrafficScope = {}): Promise<void> {
    // An upload looks, then takes, with one ticket: the live-waiting entry its look left is the one its take clears.
    const member = scope.ticket ?? randomUUID();
    const lane: TrafficLane = scope.lane ?? 'live';
    let waitedRate = 0;
    let waitedPause = 0;
    try {
      for (;;) {
        signal?.throwIfAborted();
        const [verdict, waitMs] = (await options.redis.eval(
          ACQUIRE_SCRIPT,
          5,
          keys.log,
          keys.daily,
          keys.pause,
          keys.liveWaiting,
          keys.importReservations,
          options.perSecond,
          windowMs,
          options.dailyLimit,
          options.dayMs,
          member,
          take ? '0' : '1',
          lane,
          importLimit,
          LIVE_WAITER_LINGER_MS,
          // The script keeps and uses reservations in the import lane only.
          scope.reservation?.kind ?? '',
          scope.reservation?.id ?? '',
          reservationMs,
        )) as Verdict;
        if (verdict === 1) return;
        // Looking only: a turn due within the look-ahead counts, so opening the recording overlaps the last wait.
        if (!take && verdict === 0 && waitMs <= TURN_LOOKAHEAD_MS) return;
        if (verdict === -1) throw new GongBudgetExhaustedError(waitMs);
        if (verdict === -3) throw new ImportShareSpentError(waitMs);
        if (verdict === 2 && waitMs > maxInlinePauseMs) throw new GongPausedError(waitMs);
        if (verdict === 0 && waitMs > maxInlineRateWaitMs) throw new TenantRateBusyError(waitMs);
        // A little jitter keeps many waiting workers from asking again in the same millisecond.
        const pause = waitMs + Math.floor(Math.random() * 5);
        await sleep(pause, undefined, { signal });
        if (verdict === 2) waitedPause += pause;
        else waitedRate += pause;
      }
    } finally {
      if (waitedRate) onWait('rate', waitedRate / 1000);
      if (waitedPause) onWait('paused', waitedPause / 1000);
    }
  }

  return {
    acquire: (_operation, signal, scope) => waitForAdmission(signal, true, scope),
    awaitTurn: (_operation, signal, scope) => waitForAdmission(signal, false, scope),
    async pauseFor(ms) {
      await options.redis.eval(PAUSE_SCRIPT, 1, keys.pause, Math.max(1, Math.ceil(ms)));
    },
    async remainingToday() {
      return (await this.budgetToday()).remaining;
    },
    async budgetToday() {
      const [remaining, importRemaining, msUntilReset] = (await options.redis.eval(REMAINING_SCRIPT, 2, keys.daily, keys.importReservations, options.dailyLimit, options.dayMs, importLimit)) as number[];
      return { remaining: Number(remaining), importRemaining: Number(importRemaining), msUntilReset: Number(msUntilReset) };
    },
  };
}

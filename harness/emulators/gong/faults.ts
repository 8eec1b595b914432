import type { Operation } from './types.js';

/** Failures to inject into the next requests, the ones Gong and networks really produce. */
export interface GongFaults {
  /**
   * Answer the next `times` (default 1) requests of `op` with `status` (default 503) and a Gong error body, doing
   * nothing. A 429 carries `Retry-After: retryAfterSeconds` (default 1).
   */
  failNext(op: Operation, opts?: { status?: number; times?: number; retryAfterSeconds?: number }): void;
  /** Do the next `times` requests of `op` fully (create the call, store the media), then destroy the socket unanswered. */
  dropResponseNext(op: Operation, opts?: { times?: number }): void;
  /** Destroy the connection of the next `times` media uploads after `afterBytes` (default 64 KiB) of body; store nothing. */
  cutUploadNext(opts?: { afterBytes?: number; times?: number }): void;
  clear(): void;
}

/** The fault queue as the request pipeline sees it: each take consumes one planned fault. */
export interface FaultQueue extends GongFaults {
  takeFailure(op: Operation): PlannedFailure | undefined;
  takeDrop(op: Operation): boolean;
  /** The byte count after which to cut the next upload, if one is planned. */
  takeCut(): number | undefined;
}

const OPERATIONS: readonly Operation[] = ['createCall', 'uploadMedia', 'listUsers', 'other'];

export interface PlannedFailure {
  status: number;
  retryAfterSeconds: number;
}

/** Planned faults, consumed in the order they were planned. */
export function createFaults(): FaultQueue {
  let failures: Array<{ op: Operation } & PlannedFailure> = [];
  let drops: Operation[] = [];
  let cuts: number[] = [];

  // Takes the first planned entry for the operation, keeping the others in order.
  const take = <T>(list: T[], matches: (entry: T) => boolean): T | undefined => {
    const index = list.findIndex(matches);
    return index < 0 ? undefined : list.splice(index, 1)[0];
  };

  return {
    failNext(op, opts = {}) {
      checkOperation(op);
      const status = opts.status ?? 503;
      if (!Number.isInteger(status) || status < 100 || status > 599) throw new Error(`failNext status must be an HTTP status, got ${status}`);
      const retryAfterSeconds = opts.retryAfterSeconds ?? 1;
      if (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 1) throw new Error(`failNext retryAfterSeconds must be a whole number of at least 1, got ${retryAfterSeconds}`);
      failures.push(...repeat({ op, status, retryAfterSeconds }, opts.times));
    },
    dropResponseNext(op, opts = {}) {
      checkOperation(op);
      drops.push(...repeat(op, opts.times));
    },
    cutUploadNext(opts = {}) {
      const afterBytes = opts.afterBytes ?? 64 * 1024;
      if (!Number.isInteger(afterBytes) || afterBytes < 0) throw new Error(`cutUploadNext afterBytes must be a whole number, got ${afterBytes}`);
      cuts.push(...repeat(afterBytes, opts.times));
    },
    clear() {
      failures = [];
      drops = [];
      cuts = [];
    },
    takeFailure: (op) => take(failures, (f) => f.op === op),
    takeDrop: (op) => take(drops, (d) => d === op) !== undefined,
    takeCut: () => cuts.shift(),
  };
}

function checkOperation(op: Operation): void {
  if (!OPERATIONS.includes(op)) throw new Error(`Unknown operation ${String(op)}; expected one of ${OPERATIONS.join(', ')}`);
}

function repeat<T>(entry: T, times = 1): T[] {
  if (!Number.isInteger(times) || times < 1) throw new Error(`times must be a whole number of at least 1, got ${times}`);
  return Array.from({ length: times }, () => entry);
}

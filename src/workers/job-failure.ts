import { UnrecoverableError } from 'bullmq';
import type { LastFailureRecord } from '../queue/call-job.js';
import { formatFailedReason, type Classification, type FailureClass } from './classify-failure.js';

/** What every failure the processor throws carries, read by code as properties (never parsed from the message). */
interface JobFailureFields {
  readonly failureClass: FailureClass;
  /** Gong's `requestId` when Gong answered: what Gong support asks for. */
  readonly requestId: string | undefined;
}

/**
 * The job failed this attempt and BullMQ retries it with backoff (counting an attempt). The message is the stored
 * failed reason, `[class] reason`, so that operators can filter on it; code reads `failureClass`.
 */
export class RetryableJobFailure extends Error implements JobFailureFields {
  override readonly name = 'RetryableJobFailure';
  readonly code = 'JOB_RETRYABLE';
  readonly failureClass: FailureClass;
  readonly requestId: string | undefined;
  constructor(decision: Classification, options: { cause: unknown }) {
    super(formatFailedReason(decision), options);
    this.failureClass = decision.failureClass;
    this.requestId = decision.requestId;
  }
}

/**
 * The job cannot succeed without an operator: BullMQ moves it to failed at once (it recognises UnrecoverableError
 * by class, so the error keeps its own name).
 */
export class PermanentJobFailure extends UnrecoverableError implements JobFailureFields {
  override readonly name = 'PermanentJobFailure';
  readonly code = 'JOB_PERMANENT';
  readonly failureClass: FailureClass;
  readonly requestId: string | undefined;
  constructor(decision: Classification, options: { cause: unknown }) {
    super(formatFailedReason(decision));
    // UnrecoverableError's constructor takes only a message.
    Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, writable: true, configurable: true });
    this.failureClass = decision.failureClass;
    this.requestId = decision.requestId;
  }
}

export type JobFailure = RetryableJobFailure | PermanentJobFailure;

/** The error the processor throws for a classified failure that is not waited out. */
export function jobFailureFor(decision: Classification, cause: unknown): JobFailure {
  return decision.action === 'fail' ? new PermanentJobFailure(decision, { cause }) : new RetryableJobFailure(decision, { cause });
}

export function isJobFailure(error: unknown): error is JobFailure {
  return error instanceof RetryableJobFailure || error instanceof PermanentJobFailure;
}

/**
 * Saved on the job with each failure, so that lists and `show` read the class instead of parsing the reason. Its
 * `reason` is the failed reason it belongs to: a later failure BullMQ makes itself (a stalled job) has another one.
 */
export function lastFailureOf(failure: JobFailure): LastFailureRecord {
  return { failureClass: failure.failureClass, reason: failure.message, ...(failure.requestId ? { requestId: failure.requestId } : {}) };
}

/**
 * The class of a stored failure. Jobs that failed before the class was saved on them still name it in their reason's
 * `[class]` prefix: that prefix is read here, and only for them.
 */
export function storedFailureClass(failedReason: string | undefined, last: LastFailureRecord | undefined): FailureClass | 'unknown' | undefined {
  if (failedReason === undefined) return undefined;
  if (last) return last.reason === failedReason ? (last.failureClass as FailureClass) : 'unknown';
  const legacy = /^\[([a-z_]+)\]/.exec(failedReason);
  return (legacy?.[1] as FailureClass | undefined) ?? 'unknown';
}

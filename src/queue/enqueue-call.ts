import type { JobsOptions, Queue } from 'bullmq';
import { CALL_JOB_NAME, type CallJobData } from './call-job.js';
import { CallQueue } from './call-queue.js';
import { jobIdForCall } from './job-id.js';
import type { ReplicaWaiter } from '../redis/replica-wait.js';

export interface JobRetention {
  /** How many attempts a job gets for retryable failures. @defaultValue 8 */
  attempts: number;
  /** First backoff delay; doubles per attempt, with jitter. @defaultValue 5000 */
  backoffMs: number;
  /** Finished jobs are kept this long so that late redeliveries are still recognised. @defaultValue 7 days */
  keepCompletedSeconds: number;
  /** Failed jobs are kept this long for operators to inspect and replay. @defaultValue 30 days */
  keepFailedSeconds: number;
}

export interface EnqueueResult {
  jobId: string;
  /** True when a job for this call already existed: nothing new was added. */
  duplicate: boolean;
  /** With `duplicate`: the data of the job that was there, for sources that must tell a redelivery from a new event. */
  existing?: CallJobData;
}

export function callJobOptions(jobId: string, retention: JobRetention): JobsOptions & { jobId: string } {
  return {
    jobId,
    attempts: retention.attempts,
    backoff: { type: 'exponential', delay: retention.backoffMs, jitter: 0.5 },
    removeOnComplete: { age: retention.keepCompletedSeconds },
    removeOnFail: { age: retention.keepFailedSeconds },
    // Failed jobs keep stack traces; thousands of long ones have filled Redis elsewhere.
    stackTraceLimit: 3,
  };
}

/** Redis cannot take the job now: the caller answers 503 and the sender delivers again. */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
  readonly code = 'QUEUE_UNAVAILABLE';
}

export interface ProducerGuard {
  /** The producer's Redis connection; an add is not even tried while it is not ready. */
  connection: { status: string };
  /** An add that takes longer is answered as unavailable (it may still land: a redelivery then finds it). @defaultValue 5000 */
  timeoutMs: number;
  /**
   * When set and enabled (REDIS_WAIT_REPLICAS > 0), the add counts only once that many replicas hold it: otherwise
   * ReplicationTimeoutError, answered 503, and the sender's redelivery finds the job by its id.
   */
  replicas?: ReplicaWaiter;
}

/**
 * Fails fast instead of letting a webhook wait on Redis: BullMQ's add can wait for a reconnection in some
 * connection states even with ioredis' offline queue off, and a phone system's webhook must not hang.
 */
export async function enqueueCallGuarded(queue: Queue<CallJobData>, data: CallJobData, retention: JobRetention, guard: ProducerGuard, delayMs = 0): Promise<EnqueueResult> {
  if (guard.connection.status !== 'ready') throw new QueueUnavailableError(`Redis connection is ${guard.connection.status}`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError(`Redis did not take the job within ${guard.timeoutMs} ms`)), guard.timeoutMs);
  });
  try {
    return await Promise.race([enqueueDurably(queue, data, retention, guard.replicas, delayMs), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The add, then the replicas' acknowledgement. A redelivery of a call whose job is already there waits too: the add
 * script writes a "duplicated" event even then, and WAIT covers every write of the connection up to that one, the
 * earlier delivery's job included (the replication stream is one ordered log).
 */
async function enqueueDurably(queue: Queue<CallJobData>, data: CallJobData, retention: JobRetention, replicas: ReplicaWaiter | undefined, delayMs: number): Promise<EnqueueResult> {
  const result = await enqueueCall(queue, data, retention, delayMs);
  if (replicas?.enabled) await replicas.waitForReplicas();
  return result;
}

/**
 * Adds the call's job once, and tells whether it was new. The add itself answers that (CallQueue.addOnce: one Redis
 * command per webhook). Where it cannot (a plain Queue, or a BullMQ path it does not wrap) the job is read back: the
 * data carries a random intake id, so if the stored job's data holds a different one, this delivery was a
 * duplicate. Only the job's `data` field is read, and parsed only for a duplicate (whose sources may compare it).
 * Throws when Redis cannot take the job; nothing half-made is left, since the add is one atomic script.
 * `delayMs` makes the job due later (tenant pacing: its tenant's next free Gong slot); 0 makes it due now.
 */
export async function enqueueCall(queue: Queue<CallJobData>, data: CallJobData, retention: JobRetention, delayMs = 0): Promise<EnqueueResult> {
  const jobId = jobIdForCall(data.clientUniqueId, data.tenant);
  const opts = delayMs > 0 ? { ...callJobOptions(jobId, retention), delay: delayMs } : callJobOptions(jobId, retention);
  const existed = queue instanceof CallQueue ? await queue.addOnce(data, opts) : await addReportingNothing(queue, data, opts);
  if (existed === false) return { jobId, duplicate: false };
  const client = await queue.client;
  const stored = await client.hget(queue.toKey(jobId), 'data');
  if (existed === undefined && stored !== null && stored.includes(`"intakeId":${JSON.stringify(data.intakeId)}`)) return { jobId, duplicate: false };
  return { jobId, duplicate: true, existing: stored === null ? undefined : (JSON.parse(stored) as CallJobData) };
}

async function addReportingNothing(queue: Queue<CallJobData>, data: CallJobData, opts: JobsOptions): Promise<undefined> {
  await queue.add(CALL_JOB_NAME, data, opts);
  return undefined;
}

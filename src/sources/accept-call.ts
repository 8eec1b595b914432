import { randomUUID } from 'node:crypto';
import type { CallJobData } from '../queue/call-job.js';
import { QueueUnavailableError, type EnqueueResult } from '../queue/enqueue-call.js';
import { isTransientRedisError } from '../redis/redis-errors.js';
import type { SourceResponse } from './source-handler.js';

export type CallIntake = Pick<CallJobData, 'clientUniqueId' | 'recording'> & Partial<Pick<CallJobData, 'call' | 'pendingDetails' | 'rep'>>;

/** Puts a job in Redis; throws when Redis cannot take it. */
export type EnqueueCall = (data: CallJobData) => Promise<EnqueueResult>;

/**
 * The end of every source's handler: stamp the job, put it in Redis, and answer 202 only once it is there.
 * When Redis cannot take it the answer is 503, so the phone system delivers again later; the add is atomic, so
 * nothing half-made stays behind. Any other error is a bug, not an outage: it is rethrown so that the app's error
 * handler logs it and answers 500, instead of it hiding behind "queue unavailable".
 */
export async function acceptCall(source: string, intake: CallIntake, enqueue: EnqueueCall, now = new Date()): Promise<SourceResponse> {
  const data: CallJobData = { schemaVersion: 1, source, ...intake, receivedAt: now.toISOString(), intakeId: randomUUID() };
  try {
    const { jobId, duplicate } = await enqueue(data);
    return { status: 202, outcome: duplicate ? 'duplicate' : 'accepted', body: { jobId, duplicate } };
  } catch (error) {
    if (!isQueueUnavailable(error)) throw error;
    return {
      status: 503,
      outcome: 'unavailable',
      headers: { 'retry-after': '5' },
      body: { error: 'queue_unavailable', message: 'The job queue cannot take the call right now; deliver it again later' },
    };
  }
}

/** True when Redis could not take the job now (a redelivery may succeed), false for anything else. */
function isQueueUnavailable(error: unknown): boolean {
  return error instanceof QueueUnavailableError || isTransientRedisError(error);
}

import { randomUUID } from 'node:crypto';
import type { CallJobData } from '../queue/call-job.js';
import { QueueUnavailableError, type EnqueueResult } from '../queue/enqueue-call.js';
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

/** What ioredis rejects commands with while the connection is down, closing, or not yet back (plain Errors). */
const CONNECTION_MESSAGES = [
  'Connection is closed.',
  "Stream isn't writeable and enableOfflineQueue options is false",
  "Cluster isn't ready and enableOfflineQueue options is false",
  'Cluster is disconnected.',
  'Node is disconnected',
  'None of startup nodes is available',
  'Command timed out',
];
/** ioredis' own classes for giving up (matched by name: sources should not depend on the Redis client). */
const CONNECTION_ERROR_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError', 'AbortError', 'InterruptError']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Redis answers that pass once a fail-over, a restart or memory pressure is over; other replies (script errors) are bugs. */
const TRANSIENT_REPLY = /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY|OOM|NOREPLICAS|MISCONF)\b/;

/** True when Redis could not take the job now (a redelivery may succeed), false for anything else. */
function isQueueUnavailable(error: unknown): boolean {
  if (error instanceof QueueUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && SOCKET_CODES.has(code)) return true;
  if (CONNECTION_ERROR_NAMES.has(error.name)) return true;
  if (error.name === 'ReplyError') return TRANSIENT_REPLY.test(error.message);
  return CONNECTION_MESSAGES.includes(error.message) || error.message.startsWith('connect ETIMEDOUT');
}

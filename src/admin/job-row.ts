import type { Job } from 'bullmq';
import type { CallJobData } from '../queue/call-job.js';
import { callIdFromJobId } from '../queue/job-id.js';
import type { FailureClass } from '../workers/classify-failure.js';
import { storedFailureClass } from '../workers/job-failure.js';

/** The states an operator can list. */
export const LISTABLE_STATES = ['failed', 'completed', 'waiting', 'active', 'delayed', 'prioritized'] as const;
export type ListableState = (typeof LISTABLE_STATES)[number];

/** One job as operators see it in lists: what call, where it stands, why it failed. Never the stack trace. */
export interface JobRow {
  jobId: string;
  /** The phone system's call id (Gong's clientUniqueId). */
  callId: string;
  source: string;
  state: ListableState;
  /** The class saved with the job's last failure; absent when the job has not failed. */
  failureClass?: FailureClass | 'unknown';
  failedReason?: string;
  attemptsMade: number;
  /** Set once Gong created the call: a replay resumes with the upload and never creates a second call. */
  gongCallId?: string;
  /** When the webhook arrived (ISO-8601). */
  receivedAt: string;
  /** When the job last finished (ISO-8601), for completed and failed jobs. */
  finishedOn?: string;
}

export function toJobRow(job: Job<CallJobData>, state: ListableState): JobRow {
  const jobId = job.id ?? '';
  // Defensive reads: a job added by hand (or by an older version) may lack fields.
  const data: Partial<CallJobData> = job.data ?? {};
  const failedReason = job.failedReason || undefined;
  return {
    jobId,
    callId: data.clientUniqueId ?? callIdFromJobId(jobId) ?? jobId,
    source: data.source ?? 'unknown',
    state,
    failureClass: storedFailureClass(failedReason, data.lastFailure),
    failedReason,
    attemptsMade: job.attemptsMade ?? 0,
    gongCallId: data.gongCallId,
    receivedAt: data.receivedAt ?? new Date(job.timestamp).toISOString(),
    finishedOn: job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined,
  };
}

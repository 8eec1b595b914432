import type { Queue } from 'bullmq';
import type { CallJobData } from '../queue/call-job.js';
import { jobIdForCall } from '../queue/job-id.js';
import type { FailureClass } from '../workers/classify-failure.js';
import { storedFailureClass } from '../workers/job-failure.js';
import { JobNotFoundError } from './admin-errors.js';

/** Everything about one call's job that helps an operator decide what to do. Never the stack trace. */
export interface CallView {
  jobId: string;
  callId: string;
  /** BullMQ's state: waiting, active, delayed, prioritized, completed, failed… */
  state: string;
  failureClass?: FailureClass | 'unknown';
  failedReason?: string;
  attemptsMade: number;
  /** The job's data: call details, recording pointer, checkpoints. Job data never holds credentials. */
  data: CallJobData;
  /** What the worker returned, for a completed job. */
  result?: unknown;
  addedAt: string;
  processedOn?: string;
  finishedOn?: string;
}

/** The job of a call, found through its call id and tenant (`jobIdForCall`; the default tenant when none is given). Throws {@link JobNotFoundError} when there is none. */
export async function showCall(queue: Queue<CallJobData>, callId: string, tenant?: string): Promise<CallView> {
  const jobId = jobIdForCall(callId, tenant);
  const job = await queue.getJob(jobId);
  if (!job) throw new JobNotFoundError(jobId);
  const state = await job.getState();
  const failedReason = job.failedReason || undefined;
  return {
    jobId,
    callId,
    state,
    failureClass: storedFailureClass(failedReason, job.data?.lastFailure),
    failedReason,
    attemptsMade: job.attemptsMade,
    data: job.data,
    result: job.returnvalue ?? undefined,
    addedAt: new Date(job.timestamp).toISOString(),
    processedOn: job.processedOn ? new Date(job.processedOn).toISOString() : undefined,
    finishedOn: job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined,
  };
}

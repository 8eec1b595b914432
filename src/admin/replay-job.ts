import type { Job, Queue } from 'bullmq';
import type { CallJobData } from '../queue/call-job.js';
import { callIdFromJobId } from '../queue/job-id.js';
import { JobNotFoundError, JobNotReplayableError } from './admin-errors.js';

/** What a replay did. */
export interface ReplayResult {
  jobId: string;
  callId: string;
  /** The Gong call the replay resumes (upload only, no second create); absent when the call was never created. */
  resumesGongCallId?: string;
}

/**
 * Moves a failed job back to waiting as if it were new: attempts and the 429-wait counter start again, and its
 * data is kept, checkpoints included, so a job that already created its Gong call only uploads the media.
 * Throws {@link JobNotFoundError}, or {@link JobNotReplayableError} for a job that is not failed.
 */
export async function replayJob(queue: Queue<CallJobData>, jobId: string): Promise<ReplayResult> {
  const job = (await queue.getJob(jobId)) as Job<CallJobData> | undefined;
  if (!job) throw new JobNotFoundError(jobId);
  const state = await job.getState();
  if (state !== 'failed') throw new JobNotReplayableError(jobId, state);
  const { rateLimitedWaits, ...rest } = job.data;
  // Written while the job is failed, when no worker holds it, so no fresh checkpoint is overwritten; most jobs have no
  // counter and are not written at all. (Only two replays of one job in the same milliseconds could write stale data
  // after the other's worker saved; even then Gong's duplicate answer gives the worker the call id back.)
  if (rateLimitedWaits !== undefined) await job.updateData(rest as CallJobData);
  try {
    // One script: checks the job is still in the failed set, then moves it to wait with the attempt counts reset.
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  } catch (error) {
    // Someone else replayed it (or it was removed) between the state check and now.
    throw new JobNotReplayableError(jobId, await job.getState().catch(() => 'unknown'), { cause: error });
  }
  return { jobId, callId: job.data.clientUniqueId ?? callIdFromJobId(jobId) ?? jobId, resumesGongCallId: job.data.gongCallId };
}

import type { Queue } from 'bullmq';
import type { CallJobData } from '../queue/call-job.js';
import { toJobRow } from './job-row.js';
import { replayJob } from './replay-job.js';
import { scanJobs, type JobFilter } from './scan-jobs.js';

export interface ReplayManyOptions extends JobFilter {
  /** Only say which jobs match; change nothing. */
  dryRun: boolean;
  /** Replays in flight at once. @defaultValue 16 */
  concurrency?: number;
}

/** A matched job, in brief (small, so that tens of thousands fit in memory). */
export interface ReplayCandidate {
  jobId: string;
  callId: string;
  failureClass: string;
  /** True when the job already has its Gong call: the replay only uploads the media. */
  resumes: boolean;
}

export interface ReplayManyResult {
  dryRun: boolean;
  /** How many failed jobs matched. */
  matched: number;
  /** How many were moved back to waiting (0 in a dry run). */
  replayed: number;
  /** The matched jobs, newest first. */
  jobs: ReplayCandidate[];
  /** Jobs that matched but could not be replayed (replayed by someone else meanwhile, removed…). */
  errors: Array<{ jobId: string; error: string }>;
}

/**
 * Replays every failed job that matches the filter (or, in a dry run, only lists them). Failed jobs are read a
 * page at a time and only their ids are kept; the matches are replayed after the scan, since replaying removes jobs
 * from the failed set and would shift the pages still to read. The Gong traffic limiter spreads the replayed jobs'
 * requests, so a large replay cannot trip Gong's limits.
 */
export async function replayMany(queue: Queue<CallJobData>, options: ReplayManyOptions): Promise<ReplayManyResult> {
  const jobs: ReplayCandidate[] = [];
  for await (const job of scanJobs(queue, 'failed', options)) {
    const row = toJobRow(job, 'failed');
    jobs.push({ jobId: row.jobId, callId: row.callId, failureClass: row.failureClass ?? 'unknown', resumes: row.gongCallId !== undefined });
  }
  const result: ReplayManyResult = { dryRun: options.dryRun, matched: jobs.length, replayed: 0, jobs, errors: [] };
  if (options.dryRun) return result;
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const { jobId } = jobs[next++]!;
      try {
        await replayJob(queue, jobId);
        result.replayed += 1;
      } catch (error) {
        result.errors.push({ jobId, error: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 16) }, lane));
  return result;
}

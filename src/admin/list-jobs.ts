import type { Queue } from 'bullmq';
import type { CallJobData } from '../queue/call-job.js';
import { toJobRow, type JobRow, type ListableState } from './job-row.js';
import { scanJobs, type JobFilter } from './scan-jobs.js';

export interface ListJobsOptions extends JobFilter {
  state: ListableState;
  /** At most this many rows, newest first. @defaultValue 50 */
  limit?: number;
}

/** The newest jobs of one state that match the filter, as rows for a table or JSON. */
export async function listJobs(queue: Queue<CallJobData>, options: ListJobsOptions): Promise<JobRow[]> {
  const limit = options.limit ?? 50;
  const rows: JobRow[] = [];
  if (limit <= 0) return rows;
  for await (const job of scanJobs(queue, options.state, options)) {
    rows.push(toJobRow(job, options.state));
    if (rows.length >= limit) break;
  }
  return rows;
}

import type { Job, Queue } from 'bullmq';
import type { CallJobData } from '../queue/call-job.js';
import type { ListableState } from './job-row.js';
import { tenantOf } from '../tenants/tenant-id.js';

/** Which jobs of a state an operator means. Both parts are optional; together they must both match. */
export interface JobFilter {
  /** Finished jobs: finished at or after this time. Unfinished jobs: added at or after it. */
  since?: Date;
  /** Text the failed reason contains, case-insensitively (e.g. `import`, `gong_auth`, a bucket name). */
  reason?: string;
  /** Only this tenant's jobs (`default` for the environment's company). */
  tenant?: string;
}

/** Jobs read per Redis round trip: large enough to be quick, small enough never to hold a big backlog in memory. @defaultValue 500 */
export const SCAN_PAGE_SIZE = 500;

/**
 * Yields the jobs of one state that match the filter, newest first, one page at a time. Failed and completed jobs
 * are kept ordered by finish time, so with `since` the scan stops at the first older page instead of reading them all.
 * Jobs that move while the scan runs may shift pages; ids already yielded are never yielded twice.
 */
export async function* scanJobs(queue: Queue<CallJobData>, state: ListableState, filter: JobFilter = {}, pageSize = SCAN_PAGE_SIZE): AsyncGenerator<Job<CallJobData>> {
  const finished = state === 'failed' || state === 'completed';
  const since = filter.since?.getTime();
  const needle = filter.reason?.toLowerCase();
  const seen = new Set<string>();
  for (let start = 0; ; start += pageSize) {
    const page = (await queue.getJobs([state], start, start + pageSize - 1, false)) as Job<CallJobData>[];
    if (page.length === 0) return;
    let olderThanSince = false;
    for (const job of page) {
      if (!job?.id || seen.has(job.id)) continue;
      seen.add(job.id);
      const at = finished ? job.finishedOn : job.timestamp;
      if (since !== undefined && (at ?? 0) < since) {
        olderThanSince = true;
        continue;
      }
      if (needle !== undefined && !(job.failedReason ?? '').toLowerCase().includes(needle)) continue;
      if (filter.tenant !== undefined && tenantOf(job.data ?? {}) !== filter.tenant) continue;
      yield job;
    }
    // Newest first: once a whole page position is past `since`, every later page is older still.
    if (finished && olderThanSince) return;
  }
}

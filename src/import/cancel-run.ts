import type { Queue } from 'bullmq';
import type { CallJobData } from '../queue/call-job.js';
import type { RunStore } from './run-store.js';

/** States where a job has not started: removing it loses nothing that reached Gong. */
const NOT_STARTED = ['waiting', 'prioritized', 'delayed', 'paused'] as const;
const PAGE = 200;

/**
 * Cancels a run: its reader stops at its next batch, and every job of the run not yet taken by a worker is removed,
 * unless it already has a Gong call (a retry waiting after the create), which is left to finish. Active jobs finish;
 * failed ones stay for inspection. Safe to repeat.
 */
export async function cancelRun(queue: Queue<CallJobData>, store: RunStore, name: string): Promise<{ removed: number; kept: number }> {
  await store.get(name); // throws when there is no such run
  await store.setStatus(name, 'cancelled');
  let removed = 0;
  let kept = 0;
  for (const state of NOT_STARTED) {
    let start = 0;
    for (;;) {
      const jobs = await queue.getJobs([state], start, start + PAGE - 1, true);
      if (jobs.length === 0) break;
      let stayed = 0;
      for (const job of jobs) {
        if (!job || job.data.import?.run !== name || job.data.gongCallId) {
          stayed++;
          if (job?.data.import?.run === name) kept++;
          continue;
        }
        // A job a worker took in the meantime is locked and cannot be removed: it stays and finishes.
        const gone = await job.remove().then(() => true, () => false);
        if (gone) removed++;
        else {
          stayed++;
          kept++;
        }
      }
      start += stayed;
    }
  }
  await store.addCancelled(name, removed);
  return { removed, kept };
}

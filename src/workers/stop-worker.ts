import type { Worker } from 'bullmq';
import type { Logger } from '../logging/logger.js';

/**
 * Stops a worker in order: take no new jobs, let the running ones finish within `graceMs`, then cancel what is
 * left; cancelled jobs hand themselves back to the queue with their checkpoint (see process-call-job).
 * `worker.close()` has no deadline of its own, hence the timer.
 */
export async function stopWorker(worker: Worker, graceMs: number, logger: Logger): Promise<void> {
  const timer = setTimeout(() => {
    logger.warn({ graceMs }, 'shutdown grace period over: handing running jobs back to the queue');
    worker.cancelAllJobs('shutdown');
  }, graceMs);
  try {
    await worker.close();
  } finally {
    clearTimeout(timer);
  }
}

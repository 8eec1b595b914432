import type { Job, Worker } from 'bullmq';
import type { RedisClient } from '../redis/redis-connection.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { CALL_QUEUE_NAME, type CallJobData, type CallJobResult } from '../queue/call-job.js';
import { createRunOutcomes } from '../import/run-outcomes.js';
import { BackoffWorker } from './backoff-worker.js';
import { isJobFailure, PermanentJobFailure } from './job-failure.js';
import { tenantLabel } from '../tenants/tenant-id.js';
import { createCallProcessor, type CallProcessorDeps } from './process-call-job.js';

export interface CallWorkerOptions {
  connection: RedisClient;
  /** BullMQ key prefix, already hash-tagged. */
  prefix: string;
  /** Jobs processed at once by this process. @defaultValue 4 */
  concurrency: number;
  /**
   * How long a job's lock lives without renewal. The worker renews it every half of this while the job runs, so
   * a long upload keeps it; a killed worker's jobs are picked up again this long after it died.
   * @defaultValue 60000
   */
  lockDurationMs: number;
  /** Told of every error the worker emits (Redis refusing its commands, mostly): counted, and logged at a bounded rate. */
  onError: (error: Error) => void;
}

/** The BullMQ worker around the call processor, reporting every job's end to the metrics. */
export function createCallWorker(options: CallWorkerOptions, deps: Omit<CallProcessorDeps, 'onUploaded'>, metrics: Metrics, logger: Logger): Worker<CallJobData, CallJobResult> {
  const processor = createCallProcessor({ ...deps, onUploaded: (bytes) => metrics.uploadBytes.inc(bytes) });
  const worker = new BackoffWorker<CallJobData, CallJobResult>(CALL_QUEUE_NAME, processor, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: Math.max(1_000, Math.floor(options.lockDurationMs / 2)),
    // A job whose worker died twice is still worth a third try; its checkpoint prevents double work.
    maxStalledCount: 2,
    autorun: false,
  });

  const imports = createRunOutcomes(options.connection, options.prefix);
  const tellRun = (outcome: Promise<void>) => outcome.catch((err: Error) => logger.warn({ err: { message: err.message } }, 'could not record the job on its import run'));
  worker.on('completed', (job) => {
    metrics.jobsFinished.inc({ outcome: 'completed', failure_class: 'none', ...tenantLabel(job.data.tenant) });
    if (job.data.import) {
      void tellRun(imports.completed(job.data.import, job.id!));
      // An imported call's "received" is when it was queued, maybe days ago: it would swamp the live latency.
      return;
    }
    const received = Date.parse(job.data.receivedAt);
    if (!Number.isNaN(received)) metrics.jobEndToEnd.observe(tenantLabel(job.data.tenant), (Date.now() - received) / 1000);
  });
  worker.on('failed', (job: Job<CallJobData> | undefined, error) => {
    // Errors BullMQ makes itself (a job that stalled too often) carry no class.
    const failureClass = isJobFailure(error) ? error.failureClass : 'unknown';
    const requestId = isJobFailure(error) ? error.requestId : undefined;
    if (job && willRetry(job, error)) {
      metrics.jobRetries.inc({ failure_class: failureClass, ...tenantLabel(job.data.tenant) });
    } else {
      metrics.jobsFinished.inc({ outcome: 'failed', failure_class: failureClass, ...tenantLabel(job?.data.tenant) });
      if (job?.data.import) void tellRun(imports.failed(job.data.import, job.id!));
      logger.error({ jobId: job?.id, ...(job?.data.tenant ? { tenant: job.data.tenant } : {}), callId: job?.data.clientUniqueId, gongCallId: job?.data.gongCallId, failureClass, requestId }, `job failed for good: ${error.message}`);
    }
  });
  worker.on('error', options.onError);
  return worker;
}

function willRetry(job: Job, error: Error): boolean {
  if (error instanceof PermanentJobFailure || error.name === 'UnrecoverableError') return false;
  return job.attemptsMade < (job.opts.attempts ?? 1);
}

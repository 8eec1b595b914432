import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { CALL_JOB_NAME, type CallJobData } from '../queue/call-job.js';
import { callJobOptions, type JobRetention } from '../queue/enqueue-call.js';
import { jobIdForCall } from '../queue/job-id.js';
import type { RedisClient } from '../redis/redis-connection.js';
import type { CallIntake } from '../sources/accept-call.js';
import { DEFAULT_TENANT } from '../tenants/tenant-id.js';

/**
 * BullMQ priority of imported jobs. A worker takes from the `wait` list (where jobs without a priority, i.e. every
 * webhook's, go) before it looks at the `prioritized` set (node_modules/bullmq/dist/esm/commands/includes/
 * fetchNextJob.lua), so any priority above 0 puts imports behind every live call waiting for a worker.
 */
export const IMPORT_PRIORITY = 10;

/** Job data sources tag imported calls with; a metric label, so one fixed value. */
export const IMPORT_SOURCE = 'import';

export interface BatchCall {
  line: number;
  intake: CallIntake;
}

export interface BatchResult {
  queued: number;
  /** Calls that had a job already, not made by this run: nothing added for them. */
  duplicate: number;
}

/**
 * Puts one batch of a run's calls in the queue with one addBulk (one round trip, one script per job). Job ids come
 * from the call ids, as for webhooks, so a call already in the queue (another run, a webhook, this run before a
 * crash) is not added again: those found first are counted as duplicates unless they are this run's own.
 */
export async function enqueueBatch(queue: Queue<CallJobData>, redis: RedisClient, run: string, calls: BatchCall[], retention: JobRetention, tenant = DEFAULT_TENANT): Promise<BatchResult> {
  const now = new Date();
  // One manifest may name a call twice: the first line wins, as a second webhook for it would be a duplicate.
  const byId = new Map<string, BatchCall>();
  let duplicate = 0;
  for (const call of calls) {
    const id = jobIdForCall(call.intake.clientUniqueId, tenant);
    if (byId.has(id)) duplicate++;
    else byId.set(id, call);
  }
  const ids = [...byId.keys()];
  if (ids.length === 0) return { queued: 0, duplicate };
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hget(queue.toKey(id), 'data');
  const existing = await pipeline.exec();
  const fresh: Array<[string, BatchCall]> = [];
  let ownAgain = 0;
  ids.forEach((id, i) => {
    const data = existing?.[i]?.[1] as string | null | undefined;
    if (!data) fresh.push([id, byId.get(id)!]);
    else if (isRunsOwn(data, run)) ownAgain++;
    else duplicate++;
  });
  if (fresh.length) {
    await queue.addBulk(
      fresh.map(([jobId, call]) => {
        const data: CallJobData = {
          schemaVersion: 1,
          source: IMPORT_SOURCE,
          ...call.intake,
          receivedAt: now.toISOString(),
          intakeId: randomUUID(),
          import: { run, line: call.line },
          // As a webhook on /t/<tenant>/ would: the job goes to that tenant's Gong, under its own budget.
          ...(tenant === DEFAULT_TENANT ? {} : { tenant }),
        };
        return { name: CALL_JOB_NAME, data, opts: { ...callJobOptions(jobId, retention), priority: IMPORT_PRIORITY } };
      }),
    );
  }
  return { queued: fresh.length + ownAgain, duplicate };
}

function isRunsOwn(data: string, run: string): boolean {
  try {
    return (JSON.parse(data) as CallJobData).import?.run === run;
  } catch {
    return false;
  }
}

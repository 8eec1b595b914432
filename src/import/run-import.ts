import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import type { CallJobData } from '../queue/call-job.js';
import type { JobRetention } from '../queue/enqueue-call.js';
import type { RedisClient } from '../redis/redis-connection.js';
import { enqueueBatch, type BatchCall } from './enqueue-batch.js';
import type { ImportCursor, ImportRow } from './import-row.js';
import type { RunStore } from './run-store.js';

export interface RunImportOptions {
  queue: Queue<CallJobData>;
  /** The queue's connection, for the look-ups before each batch. */
  redis: RedisClient;
  store: RunStore;
  retention: JobRetention;
  /** Rows per addBulk and per progress record. @defaultValue 500 */
  batchSize?: number;
  /**
   * Reading pauses while the queue holds more jobs than this waiting (waiting + prioritized + delayed), and goes on
   * once it is below half. Gong takes at most a few calls a second, so jobs queued far ahead only take Redis memory
   * (about 1.5 kB each, see docs/import.md): 10,000 is over half an hour of work at 3 requests/s. @defaultValue 10000
   */
  maxQueued?: number;
  /** How often a paused reader looks at the queue again. @defaultValue 1000 */
  pollMs?: number;
  /** Told after every batch. */
  onBatch?: () => void;
  signal?: AbortSignal;
  /** The tenant the calls belong to. @defaultValue 'default' */
  tenant?: string;
}

/**
 * Reads a source into the queue, batch by batch: each batch is added, then its counts and the cursor past it are
 * recorded in one transaction, so a crash anywhere loses at most the batch in flight, which a resume adds again
 * (its jobs are found by id and not doubled). A run cancelled meanwhile stops at the next batch.
 */
export async function runImport(name: string, rows: AsyncIterable<ImportRow>, options: RunImportOptions): Promise<void> {
  const batchSize = options.batchSize ?? 500;
  const maxQueued = options.maxQueued ?? 10_000;
  let calls: BatchCall[] = [];
  let invalid: Array<{ line: number; problems: unknown }> = [];
  let skipped = 0;
  let read = 0;
  let cursor: ImportCursor | undefined;

  const flush = async (): Promise<boolean> => {
    if ((await options.store.get(name)).status === 'cancelled') return false;
    await waitForRoom(options.queue, maxQueued, options.pollMs ?? 1_000, options.signal);
    const result = await enqueueBatch(options.queue, options.redis, name, calls, options.retention, options.tenant);
    await options.store.recordBatch(name, { read, invalid: invalid.length, skipped, queued: result.queued, duplicate: result.duplicate }, cursor!, invalid);
    calls = [];
    invalid = [];
    skipped = 0;
    read = 0;
    options.onBatch?.();
    return true;
  };

  for await (const row of rows) {
    options.signal?.throwIfAborted();
    read++;
    cursor = { line: row.line, ...(row.kind !== 'invalid' && row.recordingKey && !row.recordingKey.startsWith('s3://') ? { key: row.recordingKey } : {}) };
    if (row.kind === 'call') calls.push({ line: row.line, intake: row.intake });
    else if (row.kind === 'invalid') invalid.push({ line: row.line, problems: row.problems });
    else skipped++;
    if (read >= batchSize && !(await flush())) return;
  }
  if (read > 0 && !(await flush())) return;
  const run = await options.store.get(name);
  if (run.status !== 'cancelled') await options.store.setStatus(name, 'queued');
}

async function waitForRoom(queue: Queue<CallJobData>, maxQueued: number, pollMs: number, signal?: AbortSignal): Promise<void> {
  const queued = async () => {
    const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed');
    return (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0);
  };
  if ((await queued()) < maxQueued) return;
  while ((await queued()) > maxQueued / 2) await sleep(pollMs, undefined, { signal });
}

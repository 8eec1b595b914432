import { Queue, QueueEvents } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { CALL_QUEUE_NAME, type CallJobData, type CallJobResult } from '../../src/queue/call-job.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A queue prefix no other test run shares; the service wraps it in a hash tag as in production. */
export function uniquePrefix(label: string): string {
  return `test-${label}-${randomBytes(4).toString('hex')}`;
}

export interface TestQueue {
  queue: Queue<CallJobData, CallJobResult>;
  events: QueueEvents;
  /** Job counts by state. */
  counts(): Promise<Record<string, number>>;
  /** Deletes this run's keys (only those under its own prefix) and closes connections. */
  close(): Promise<void>;
}

/** The test's view of the service's queue, with the same hash-tagged prefix the service uses. */
export async function openTestQueue(prefix: string, redisUrl = TEST_REDIS_URL): Promise<TestQueue> {
  const tagged = `{${prefix}}`;
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue<CallJobData, CallJobResult>(CALL_QUEUE_NAME, { connection, prefix: tagged });
  // Each job.waitUntilFinished() listens for the queue closing; tests and benchmarks wait on hundreds at once.
  queue.setMaxListeners(0);
  const eventsConnection = connection.duplicate();
  const events = new QueueEvents(CALL_QUEUE_NAME, { connection: eventsConnection, prefix: tagged });
  await events.waitUntilReady();
  return {
    queue,
    events,
    counts: () => queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'),
    async close() {
      await events.close();
      await queue.close();
      const keys = await scanKeys(connection, `${tagged}:*`);
      if (keys.length) await connection.del(...keys);
      // BullMQ leaves connections it was given open: they are ours to close.
      await Promise.all([connection.quit(), eventsConnection.quit()]);
    },
  };
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

import { Redis } from 'ioredis';
import { BackoffWorker } from '../../src/workers/backoff-worker.js';
import { TEST_REDIS_URL, uniquePrefix } from '../../harness/support/test-queue.js';

/**
 * A service stopped right after it started (a pod killed during its roll-out, a test) closes a worker whose
 * blocking connection may still be starting: that must end cleanly, not with an unhandled error.
 */
describe('closing a worker', () => {
  const prefix = `{${uniquePrefix('worker-close')}}`;
  const escaped: unknown[] = [];
  const record = (reason: unknown) => escaped.push(reason);

  beforeAll(() => process.on('unhandledRejection', record));
  afterAll(async () => {
    process.off('unhandledRejection', record);
    // Only this run's keys (the workers' meta and stalled-check keys).
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('When workers are closed within milliseconds of starting, then no error escapes', async () => {
    // The window is a few milliseconds wide (INFO in flight on the blocking connection): many tries at spread delays.
    for (let i = 0; i < 60; i++) {
      const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
      const worker = new BackoffWorker(`close-${i}`, async () => {}, { connection, prefix, autorun: false });
      worker.on('error', () => {});
      void worker.run().catch(() => {});
      await new Promise((r) => setTimeout(r, i % 8));
      await worker.close();
      await connection.quit();
    }
    // Let the last closes' socket events arrive: the escaped errors come after close() has returned.
    await new Promise((r) => setTimeout(r, 200));
    expect(escaped.map((e) => (e as Error).message)).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import { startGongEmulator, type GongEmulator } from '../../harness/emulators/gong/create-gong-emulator.js';
import { startLocalS3, type LocalS3 } from '../../harness/support/local-s3.js';
import { makeWav } from '../../harness/support/make-wav.js';
import { localServiceEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';
import type { ServiceHandle } from '../../harness/support/service-logs.js';
import { tenantSecret, writeTenantsFile } from '../../harness/support/tenant-fixtures.js';
import { openTestQueue, TEST_REDIS_URL, uniquePrefix, type TestQueue } from '../../harness/support/test-queue.js';
import { recordingReadyEvent, sendGenericWebhook } from '../../harness/support/webhook.js';
import { jobIdForCall } from '../../src/queue/job-id.js';

/**
 * Fair service: tenant A's backlog of 2,000 calls must not delay tenant B's calls beyond what B's own Gong rate
 * needs. Without it, B's calls would queue behind A's whole backlog (at A's 3 requests/s, over 20 minutes).
 */
describe('fair service between tenants', () => {
  let s3: LocalS3;
  let gongA: GongEmulator;
  let gongB: GongEmulator;
  let service: ServiceHandle;
  let queue: TestQueue;

  beforeAll(async () => {
    [s3, gongA, gongB] = await Promise.all([
      startLocalS3(['recordings', 'a-recordings', 'b-recordings']),
      startGongEmulator({ accessKey: 'a-key', accessKeySecret: 'a-secret', ratePerSecond: 3 }),
      startGongEmulator({ accessKey: 'b-key', accessKeySecret: 'b-secret', ratePerSecond: 3 }),
    ]);
    const tenants = writeTenantsFile([
      { id: 'tenant-a', gongUrl: gongA.url, accessKey: 'a-key', accessKeySecret: 'a-secret', ratePerSecond: 3, buckets: ['a-recordings'] },
      { id: 'tenant-b', gongUrl: gongB.url, accessKey: 'b-key', accessKeySecret: 'b-secret', ratePerSecond: 3, buckets: ['b-recordings'] },
    ]);
    const prefix = uniquePrefix('fairness');
    queue = await openTestQueue(prefix);
    service = await startInProcess(
      localServiceEnv(
        { redisUrl: TEST_REDIS_URL, prefix, gongUrl: gongA.url, s3Endpoint: s3.endpoint },
        { ...tenants.env, TENANTS_FILE: tenants.file, WORKER_CONCURRENCY: '4', WORKER_LOCK_DURATION_MS: '4000', WORKER_SHUTDOWN_GRACE_MS: '5000', GONG_RATE_WINDOW_MARGIN_MS: '200' },
      ),
    );
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    // The backlog is this test's own prefix: remove it rather than leave 2,000 jobs in the shared Redis.
    await queue?.queue.obliterate({ force: true }).catch(() => undefined);
    await Promise.all([s3?.close(), gongA?.close(), gongB?.close(), queue?.close()]);
  });

  it("when tenant A has a backlog of 2,000 calls, then each of tenant B's calls is in B's Gong within B's own rate's time (plus slack), not after A's backlog", async () => {
    await s3.put('a-recordings', 'same.wav', makeWav(4 * 1024));
    // A's backlog: 2,000 webhooks, 20 at a time.
    const aIds: string[] = [];
    for (let batch = 0; batch < 100; batch++) {
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const callId = `a-${randomUUID()}`;
          aIds.push(callId);
          const answer = await sendGenericWebhook(`${service.url}/t/tenant-a`, recordingReadyEvent(callId, 'same.wav', { recording: { bucket: 'a-recordings', key: 'same.wav' } }), { secret: tenantSecret('tenant-a') });
          expect(answer.statusCode).toBe(202);
        }),
      );
    }
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const callId = `b-${randomUUID()}`;
      await s3.put('b-recordings', `${callId}.wav`, makeWav(4 * 1024));
      const sent = Date.now();
      const answer = await sendGenericWebhook(`${service.url}/t/tenant-b`, recordingReadyEvent(callId, `${callId}.wav`, { recording: { bucket: 'b-recordings', key: `${callId}.wav` } }), { secret: tenantSecret('tenant-b') });
      expect(answer.statusCode).toBe(202);
      const job = (await queue.queue.getJob(jobIdForCall(callId, 'tenant-b')))!;
      await job.waitUntilFinished(queue.events, 120_000);
      latencies.push(Date.now() - sent);
    }
    // B's two requests at 3/s need about 0.7 s; 8 s leaves room for a loaded 2-core machine. A's backlog alone
    // would take more than 20 minutes.
    expect(Math.max(...latencies)).toBeLessThan(8_000);
    expect(gongB.ledger.count({ status: 429 })).toBe(0);
    expect(gongA.ledger.count({ status: 429 })).toBe(0);
    // A was served meanwhile, at its own rate.
    expect(gongA.ledger.count({ op: 'createCall', status: 200 })).toBeGreaterThan(0);
    const waiting = await queue.queue.getJobCounts('waiting', 'delayed');
    expect(waiting.delayed).toBeGreaterThan(1_500); // the backlog waits as delayed jobs, holding no worker slot
  }, 240_000);
});

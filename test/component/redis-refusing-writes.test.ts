import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import got from 'got';
import { Redis } from 'ioredis';
import { makeWav } from '../../harness/support/make-wav.js';
import { startOwnRedis, type OwnRedis } from '../../harness/support/own-redis.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';
import type { ServiceHandle } from '../../harness/support/service-logs.js';
import { recordingReadyEvent, sendGenericWebhook } from '../../harness/support/webhook.js';

/** Commands Redis has executed so far (all clients), from INFO commandstats. */
async function commandsServed(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  return [...info.matchAll(/calls=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

function metricValue(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.split(',').every((label) => l.includes(label)));
  return line ? Number(line.split(' ').pop()) : 0;
}

/**
 * A Redis that answers PING but refuses every write: maxmemory reached under noeviction (CONFIG SET maxmemory 1
 * makes any used memory too much). The service must answer 503, not spin, not flood its log, and say so in a metric.
 */
describe('when Redis is out of memory', () => {
  let redis: OwnRedis;
  let admin: Redis;
  let env: PipelineEnv;
  let service: ServiceHandle;

  beforeAll(async () => {
    redis = await startOwnRedis();
    admin = new Redis(redis.url);
    // Slow uploads, one job at a time: Redis fills up while a job is in flight and others wait, the state in which
    // BullMQ's worker fetches again at once after each refused fetch.
    env = await startPipelineEnv('oom', { uploadBytesPerSecond: 64 * 1024 });
    service = await startInProcess(
      env.serviceEnv({ ROLE: 'all', REDIS_URL: redis.url, LOG_LEVEL: 'info', WORKER_CONCURRENCY: '1' }),
    );
    await service.waitForLog((l) => l.msg === 'worker started');
  });
  afterAll(async () => {
    await service?.stop();
    await admin?.quit();
    await env?.close();
    await redis?.stop();
  });

  /** A recording in S3 and its accepted webhook. */
  async function accept(): Promise<{ callId: string; key: string; bytes: number }> {
    const callId = `pbx-${randomUUID()}`;
    const key = `2026/12/02/${callId}.wav`;
    const audio = makeWav(128 * 1024);
    await env.s3.put('recordings', key, audio);
    const answer = await sendGenericWebhook(service.url, recordingReadyEvent(callId, key));
    expect(answer.statusCode).toBe(202);
    return { callId, key, bytes: audio.length };
  }

  it('When Redis refuses writes mid-backlog, then webhooks get 503, the worker backs off instead of spinning, the log stays short and the metric counts it; once memory is freed every call reaches Gong once with its media', async () => {
    const uploading = once(env.gong.events, 'upload-progress');
    const backlog = [await accept(), await accept(), await accept()];
    await uploading;
    const late = { callId: `pbx-${randomUUID()}`, key: '2026/12/02/late.wav', bytes: 64 * 1024 };
    await env.s3.put('recordings', late.key, makeWav(late.bytes));
    await admin.config('SET', 'maxmemory', '1');
    try {
      const refused = await sendGenericWebhook(service.url, recordingReadyEvent(late.callId, late.key));
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBeDefined();

      const logLinesBefore = service.logs.length;
      const before = await commandsServed(admin);
      await new Promise((r) => setTimeout(r, 4_000)); // a span of time is what is measured here
      const perSecond = ((await commandsServed(admin)) - before) / 4;
      // Without the back-off: thousands of commands per second and as many log lines.
      expect(perSecond).toBeLessThan(200);
      expect(service.logs.length - logLinesBefore).toBeLessThan(30);

      const metrics = (await got(`${service.url}/metrics`)).body;
      expect(metricValue(metrics, 'gong_ingest_redis_errors_total', 'kind="oom"')).toBeGreaterThan(0);
    } finally {
      await admin.config('SET', 'maxmemory', '0');
    }

    let accepted;
    for (let i = 0; i < 50; i++) {
      accepted = await sendGenericWebhook(service.url, recordingReadyEvent(late.callId, late.key));
      if (accepted.statusCode === 202) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(accepted?.statusCode).toBe(202);
    const all = [...backlog, late];
    await waitFor(() => all.every(({ callId }) => env.gong.ledger.byClientUniqueId(callId)?.media !== undefined), 60_000);
    for (const { callId, bytes } of all) {
      const calls = env.gong.ledger.calls().filter((c) => c.clientUniqueId === callId);
      expect(calls).toHaveLength(1);
      expect(calls[0]!.media?.bytes).toBe(bytes);
    }
  });
});

/** Resolves once the condition holds, checking on every emulator event and at least every 250 ms. */
async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

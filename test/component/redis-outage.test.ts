import { randomUUID } from 'node:crypto';
import got from 'got';
import { startOwnRedis, type OwnRedis } from '../../harness/support/own-redis.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';
import type { ServiceHandle } from '../../harness/support/service-logs.js';
import { openTestQueue } from '../../harness/support/test-queue.js';
import { recordingReadyEvent, sendGenericWebhook } from '../../harness/support/webhook.js';

/** The API against a Redis of its own that the test kills and restarts. */
describe('when Redis is unavailable', () => {
  let redis: OwnRedis;
  let env: PipelineEnv;
  let api: ServiceHandle;

  beforeAll(async () => {
    redis = await startOwnRedis();
    env = await startPipelineEnv('outage');
    api = await startInProcess(env.serviceEnv({ ROLE: 'api', REDIS_URL: redis.url }));
  });
  afterAll(async () => {
    await api?.stop();
    await env?.close();
    await redis?.stop();
  });

  it('When Redis is down, then the webhook answers 503 with Retry-After and readiness fails; once it is back, the same delivery is accepted', async () => {
    const callId = `pbx-${randomUUID()}`;
    await redis.stop();

    const refused = await sendGenericWebhook(api.url, recordingReadyEvent(callId, 'a.wav'));
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(JSON.parse(refused.body)).toMatchObject({ error: 'queue_unavailable' });
    expect((await got(`${api.url}/readyz`, { throwHttpErrors: false })).statusCode).toBe(503);
    expect((await got(`${api.url}/healthz`)).statusCode).toBe(200);

    await redis.start();
    let accepted;
    for (let i = 0; i < 50; i++) {
      accepted = await sendGenericWebhook(api.url, recordingReadyEvent(callId, 'a.wav'));
      if (accepted.statusCode === 202) break;
      await new Promise((r) => setTimeout(r, 200)); // reconnect backoff has no event the test can see from outside
    }
    expect(accepted?.statusCode).toBe(202);
    expect(JSON.parse(accepted!.body)).toMatchObject({ duplicate: false });

    const queue = await openTestQueue(env.prefix, redis.url);
    try {
      expect(await queue.counts()).toMatchObject({ waiting: 1 });
    } finally {
      await queue.close();
    }
  });
});

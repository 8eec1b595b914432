import { randomUUID } from 'node:crypto';
import got from 'got';
import { Redis } from 'ioredis';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { startOwnRedis, type OwnRedis } from '../../harness/support/own-redis.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';
import type { ServiceHandle } from '../../harness/support/service-logs.js';
import { recordingReadyEvent, sendGenericWebhook } from '../../harness/support/webhook.js';

/** The job's hash as stored on one Redis node (the service wraps the prefix in a hash tag). */
const jobKey = (prefix: string, callId: string) => `{${prefix}}:calls:${jobIdForCall(callId)}`;

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A master and one replica of the test's own; the API answers 202 only once the replica holds the job. */
describe('durable acceptance (REDIS_WAIT_REPLICAS=1)', () => {
  let master: OwnRedis;
  let replica: OwnRedis;
  let onMaster: Redis;
  let onReplica: Redis;
  let env: PipelineEnv;
  let api: ServiceHandle;

  beforeAll(async () => {
    master = await startOwnRedis();
    replica = await startOwnRedis(['--replicaof', '127.0.0.1', String(master.port)]);
    onMaster = new Redis(master.url);
    onReplica = new Redis(replica.url, { maxRetriesPerRequest: null });
    await waitUntil(async () => /state=online/.test(await onMaster.info('replication')));
    env = await startPipelineEnv('durable');
    api = await startInProcess(env.serviceEnv({ ROLE: 'api', REDIS_URL: master.url, REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '300' }));
  });
  afterAll(async () => {
    await api?.stop();
    onMaster?.disconnect();
    onReplica?.disconnect();
    await env?.close();
    await replica?.stop();
    await master?.stop();
  });

  it('When the replica is there, then the job is on the replica by the time the webhook is answered 202', async () => {
    const callId = `pbx-${randomUUID()}`;
    const answer = await sendGenericWebhook(api.url, recordingReadyEvent(callId, 'a.wav'));
    expect(answer.statusCode).toBe(202);
    // Read on the replica at once: no waiting, the 202 promised it was there.
    expect(await onReplica.exists(jobKey(env.prefix, callId))).toBe(1);
  });

  it('When no replica acknowledges in time, then the answer is 503 with Retry-After; once the replica is back the redelivery is accepted as the same job, and it is on the replica', async () => {
    const callId = `pbx-${randomUUID()}`;
    await replica.stop();
    await waitUntil(async () => (await onMaster.info('replication')).includes('connected_slaves:0'));

    const refused = await sendGenericWebhook(api.url, recordingReadyEvent(callId, 'a.wav'));
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(JSON.parse(refused.body)).toMatchObject({ error: 'queue_unavailable' });
    const metrics = (await got(`${api.url}/metrics`)).body;
    expect(metrics).toMatch(/gong_ingest_redis_replica_waits_total\{role="api",outcome="timeout"\} [1-9]/);

    await replica.start();
    await waitUntil(async () => /state=online/.test(await onMaster.info('replication')));
    let accepted;
    for (let i = 0; i < 30; i++) {
      accepted = await sendGenericWebhook(api.url, recordingReadyEvent(callId, 'a.wav'));
      if (accepted.statusCode === 202) break;
      await new Promise((r) => setTimeout(r, 200)); // the fail-fast window after a timeout has no event to wait on
    }
    expect(accepted?.statusCode).toBe(202);
    // The first delivery's job was on the master all along: the redelivery is the same job, not a second one.
    expect(JSON.parse(accepted!.body)).toMatchObject({ jobId: jobIdForCall(callId), duplicate: true });
    await onReplica.ping();
    expect(await onReplica.exists(jobKey(env.prefix, callId))).toBe(1);
  });
});

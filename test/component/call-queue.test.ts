import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startOwnRedis, type OwnRedis } from '../../harness/support/own-redis.js';
import { CALL_JOB_NAME, CALL_QUEUE_NAME, type CallJobData } from '../../src/queue/call-job.js';
import { createCallQueue, WRAPPED_ADD_SCRIPTS, type CallQueue } from '../../src/queue/call-queue.js';
import { callJobOptions, enqueueCall, type JobRetention } from '../../src/queue/enqueue-call.js';
import { jobIdForCall } from '../../src/queue/job-id.js';

const retention: JobRetention = { attempts: 8, backoffMs: 5_000, keepCompletedSeconds: 3_600, keepFailedSeconds: 7_200 };

function callData(callId: string, intakeId = randomUUID()): CallJobData {
  return {
    schemaVersion: 1,
    source: 'generic',
    clientUniqueId: callId,
    recording: { kind: 's3', bucket: 'recordings', key: `2026/12/03/${callId}.wav` },
    receivedAt: '2026-12-03T10:00:00.000Z',
    intakeId,
  };
}

/** The commands clients send while `work` runs (MONITOR; not those the scripts run inside Redis). */
async function commandsSentDuring(redisUrl: string, work: () => Promise<unknown>): Promise<string[]> {
  const connection = new Redis(redisUrl);
  const monitor = await connection.monitor();
  const sent: string[] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (!source.includes('lua')) sent.push(args[0]!.toLowerCase());
  });
  try {
    await work();
    // MONITOR's lines may arrive a little after the replies.
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    monitor.disconnect();
    connection.disconnect();
  }
  return sent;
}

/**
 * The calls queue's add tells whether the call was new in the same script that adds it (CallQueue): what Redis
 * holds must be exactly what BullMQ's own add stores, and a duplicate must be told apart without a second read.
 * On a Redis of the test's own: it counts commands and empties the script cache.
 */
describe('the calls queue', () => {
  let redis: OwnRedis;
  let client: Redis;
  let queue: CallQueue;
  const prefix = '{call-queue-test}';

  beforeAll(async () => {
    redis = await startOwnRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: null, enableAutoPipelining: true });
    queue = createCallQueue(client, prefix);
  });
  afterAll(async () => {
    await queue?.close();
    await client?.quit();
    await redis?.stop();
  });

  it('When the installed BullMQ is loaded, then both add scripts a call can take are wrapped', () => {
    // A BullMQ whose scripts cannot be wrapped still works (read back), but slower: this says so before a deploy.
    expect(WRAPPED_ADD_SCRIPTS).toEqual(['addStandardJob', 'addDelayedJob']);
  });

  it('When new calls are added, then each add is one script call and nothing is read back', async () => {
    let results: Awaited<ReturnType<typeof enqueueCall>>[] = [];
    const sent = await commandsSentDuring(redis.url, async () => {
      results = await Promise.all(Array.from({ length: 20 }, (_, i) => enqueueCall(queue, callData(`new-${i}`), retention)));
    });
    expect(results.filter((r) => !r.duplicate)).toHaveLength(20);
    // The first add also writes BullMQ's version into the queue's meta (once per queue), and loads the script.
    expect(sent.filter((c) => c.startsWith('eval'))).toHaveLength(20);
    expect(sent.filter((c) => !c.startsWith('eval') && c !== 'hset')).toEqual([]);
    expect(await queue.getWaitingCount()).toBeGreaterThanOrEqual(20);
  });

  it('When the same call is delivered ten times at once, then one delivery is new and the others see its job unchanged', async () => {
    const deliveries = Array.from({ length: 10 }, () => callData('redelivered'));
    const results = await Promise.all(deliveries.map((d) => enqueueCall(queue, d, retention)));
    const fresh = results.filter((r) => !r.duplicate);
    expect(fresh).toHaveLength(1);
    const winner = deliveries[results.indexOf(fresh[0]!)]!;
    for (const r of results.filter((x) => x.duplicate)) expect(r.existing?.intakeId).toBe(winner.intakeId);
    expect((await queue.getJob(jobIdForCall('redelivered')))?.data.intakeId).toBe(winner.intakeId);
  });

  it.each([
    ['due now', 0],
    ['due later (tenant pacing)', 60_000],
  ])('When a call %s is added, then Redis holds what BullMQ\'s own add stores', async (_what, delayMs) => {
    const plainPrefix = `{call-queue-plain-${delayMs}}`;
    const plain = new Queue<CallJobData>(CALL_QUEUE_NAME, { connection: client, prefix: plainPrefix });
    try {
      const data = callData(`same-${delayMs}`);
      const jobId = jobIdForCall(data.clientUniqueId);
      const opts = { ...callJobOptions(jobId, retention), ...(delayMs ? { delay: delayMs } : {}) };
      await enqueueCall(queue, data, retention, delayMs);
      await plain.add(CALL_JOB_NAME, data, opts);
      const stored = async (p: string) => {
        const { timestamp: _t, ...hash } = await client.hgetall(`${p}:${CALL_QUEUE_NAME}:${jobId}`);
        const events = (await client.xrange(`${p}:${CALL_QUEUE_NAME}:events`, '-', '+')).filter(([, f]) => f[3] === jobId).map(([, f]) => f[1]);
        const view = new Queue(CALL_QUEUE_NAME, { connection: client, prefix: p });
        const state = await view.getJobState(jobId);
        await view.close();
        return { hash, events, state };
      };
      const ours = await stored(prefix);
      expect(ours).toEqual(await stored(plainPrefix));
      expect(ours.state).toBe(delayMs ? 'delayed' : 'waiting');
    } finally {
      await plain.obliterate({ force: true });
      await plain.close();
    }
  });

  it('When Redis has lost its scripts (a restart or a fail-over), then the next add still lands and says so', async () => {
    await client.script('FLUSH');
    const result = await enqueueCall(queue, callData('after-flush'), retention);
    expect(result.duplicate).toBe(false);
    expect(await queue.getJob(result.jobId)).toBeDefined();
    expect((await enqueueCall(queue, callData('after-flush'), retention)).duplicate).toBe(true);
  });
});

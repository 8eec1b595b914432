import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import got from 'got';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { makeWav, sha256 } from '../../harness/support/make-wav.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';
import type { ServiceHandle } from '../../harness/support/service-logs.js';
import { openTestQueue, uniquePrefix, type TestQueue } from '../../harness/support/test-queue.js';
import { recordingReadyEvent, sendGenericWebhook } from '../../harness/support/webhook.js';

/**
 * Gong traffic control end to end: several worker processes share one limiter through Redis, against the
 * emulator enforcing Gong's limits the way Gong does.
 */
describe('Gong traffic control', () => {
  let env: PipelineEnv;
  const services: ServiceHandle[] = [];
  const queues: TestQueue[] = [];

  beforeAll(async () => {
    env = await startPipelineEnv('traffic', { ratePerSecond: 4 });
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await Promise.all(queues.map((q) => q.close()));
    await env?.close();
  });
  afterEach(() => env.gong.faults.clear());

  /** An API and `workers` worker processes on a fresh queue prefix, with extra settings. */
  async function deployment(workers: number, settings: Record<string, string> = {}) {
    // Each deployment's limiter is its own (fresh prefix), but the emulator's strict second is shared by the tests:
    // let the previous test's last requests leave it, or this test's first one may be Gong's fifth in a second.
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const prefix = uniquePrefix('traffic');
    const queue = await openTestQueue(prefix);
    queues.push(queue);
    // The emulator stamps arrivals in this (busy) jest process, so give the strict second a margin that a loaded
    // CI machine cannot eat; production's 50 ms default is measured in the benchmark, not here.
    const base = env.serviceEnv({ QUEUE_PREFIX: prefix, GONG_RATE_LIMIT_PER_SECOND: '4', GONG_RATE_WINDOW_MARGIN_MS: '200', ...settings });
    const track = async (started: Promise<ServiceHandle>) => {
      const service = await started;
      services.push(service); // as soon as it runs, so a failed start of another is still cleaned up
      return service;
    };
    const api = await track(startInProcess({ ...base, ROLE: 'api' }));
    const workerProcs = await Promise.all(Array.from({ length: workers }, () => track(startInProcess({ ...base, ROLE: 'worker', WORKER_CONCURRENCY: '4' }))));
    return { api, workers: workerProcs, queue, prefix };
  }

  async function ingest(d: Awaited<ReturnType<typeof deployment>>, overrides: Record<string, unknown> = {}) {
    const callId = `pbx-${randomUUID()}`;
    const audio = makeWav(32 * 1024);
    await env.s3.put('recordings', `${callId}.wav`, audio);
    const answer = await sendGenericWebhook(d.api.url, recordingReadyEvent(callId, `${callId}.wav`, overrides));
    expect(answer.statusCode).toBe(202);
    return { callId, audio, job: (await d.queue.queue.getJob(jobIdForCall(callId)))! };
  }

  it('When two worker processes work a backlog against a strict limit, then Gong never answers 429', async () => {
    env.gong.ledger.reset();
    const d = await deployment(2);
    const calls = await Promise.all(Array.from({ length: 12 }, () => ingest(d)));
    await Promise.all(calls.map((c) => c.job.waitUntilFinished(d.queue.events, 60_000)));
    expect(env.gong.ledger.count({ status: 429 })).toBe(0);
    expect(env.gong.ledger.count({ op: 'createCall', status: 200 })).toBe(12);
    expect(env.gong.ledger.count({ op: 'uploadMedia', status: 201 })).toBe(12);
  });

  it('When Gong answers 429 with Retry-After, then every worker holds back, the job costs no attempt, and it finishes', async () => {
    const d = await deployment(2);
    env.gong.faults.failNext('createCall', { status: 429 });
    const first = await ingest(d);
    await first.job.waitUntilFinished(d.queue.events, 30_000);
    const requests = env.gong.ledger.requests();
    const throttled = requests.find((r) => r.status === 429)!;
    const after = requests.filter((r) => r.at > throttled.at);
    expect(after.length).toBeGreaterThan(0);
    expect(Math.min(...after.map((r) => r.at)) - throttled.at).toBeGreaterThanOrEqual(900); // Retry-After: 1
    const finished = await d.queue.queue.getJob(first.job.id!);
    expect(finished?.data.rateLimitedWaits).toBe(1);
    expect(finished?.attemptsMade).toBeLessThanOrEqual(1); // the completing run only; the 429 did not count
    const metrics = await got(`${d.workers[0]!.url}/metrics`).text() + (await got(`${d.workers[1]!.url}/metrics`).text());
    expect(metrics).toMatch(/gong_ingest_gong_requests_total\{operation="createCall",status="429"\} 1/);
  });

  it("When Gong's 429 asks for a long pause, then the other jobs are delayed rather than holding worker slots, and all finish with one 429", async () => {
    env.gong.ledger.reset();
    const d = await deployment(1);
    // Longer than a worker sleeps in place (5 s): the jobs behind it must leave their slots, not sleep in them.
    env.gong.faults.failNext('createCall', { status: 429, retryAfterSeconds: 12 });
    const throttledJobDelayed = once(d.queue.events, 'delayed');
    const first = await ingest(d);
    await throttledJobDelayed;
    const others = await Promise.all([ingest(d), ingest(d)]);
    const othersDelayed = await Promise.all(others.map((c) => waitForState(d.queue, c.job.id!, 'delayed', 6_000)));
    expect(othersDelayed).toEqual([true, true]);
    await Promise.all([first, ...others].map((c) => c.job.waitUntilFinished(d.queue.events, 30_000)));

    const requests = env.gong.ledger.requests().filter((r) => r.op !== 'other');
    const throttled = requests.find((r) => r.status === 429)!;
    expect(requests.filter((r) => r.status === 429)).toHaveLength(1);
    expect(Math.min(...requests.filter((r) => r.at > throttled.at).map((r) => r.at)) - throttled.at).toBeGreaterThanOrEqual(11_900);
    expect((await d.queue.queue.getJob(first.job.id!))?.data.rateLimitedWaits).toBe(1);
    for (const c of others) {
      const done = await d.queue.queue.getJob(c.job.id!);
      expect(done?.data.rateLimitedWaits ?? 0).toBe(0);
      expect(done?.attemptsMade).toBeLessThanOrEqual(1); // the delay for the pause counted no attempt
    }
  });

  it('When a call created in push mode is finished after a switch to pull mode, then its media is uploaded, not skipped', async () => {
    env.gong.ledger.reset();
    const push = await deployment(1);
    env.gong.faults.failNext('uploadMedia', { status: 500, times: 20 });
    const { callId, audio, job } = await ingest(push);
    await waitFor(async () => Boolean((await push.queue.queue.getJob(job.id!))?.data.gongCallId), 15_000);
    // The operator switches to pull while the job is retrying: stop the push worker, start a pull one.
    await push.workers[0]!.stop();
    env.gong.faults.clear();
    const pull = await startInProcess({ ...env.serviceEnv({ QUEUE_PREFIX: push.prefix, MEDIA_MODE: 'pull' }), ROLE: 'worker' });
    services.push(pull);
    await (await push.queue.queue.getJob(job.id!))!.promote().catch(() => {}); // skip the rest of the backoff
    const result = await job.waitUntilFinished(push.queue.events, 30_000);
    expect(result).toMatchObject({ mode: 'push', bytes: audio.length });
    expect(env.gong.ledger.count({ op: 'createCall', status: 200 })).toBe(1);
    expect(env.gong.ledger.byClientUniqueId(callId)?.media).toMatchObject({ bytes: audio.length, sha256: sha256(audio) });
  });

  it('When the daily budget is spent, then jobs wait (delayed, no failure) and finish after the reset', async () => {
    env.gong.ledger.reset();
    const d = await deployment(1, { GONG_DAILY_LIMIT: '4', GONG_DAILY_WINDOW_SECONDS: '4' });
    // 5 calls need 10 requests: more than two 4-second days can hold, so some job must wait for a reset.
    // Start just after a day begins (days are whole multiples of 4 s): a request admitted at a day's very end could
    // otherwise arrive at the emulator in the next day and be counted there.
    await new Promise((resolve) => setTimeout(resolve, 4_000 - (Date.now() % 4_000) + 50));
    const delayed = once(d.queue.events, 'delayed');
    const calls = [];
    for (let i = 0; i < 5; i++) calls.push(await ingest(d));
    await delayed;
    await Promise.all(calls.map((c) => c.job.waitUntilFinished(d.queue.events, 30_000)));
    const perDay = new Map<number, number>();
    for (const r of env.gong.ledger.requests()) perDay.set(Math.floor(r.at / 4000), (perDay.get(Math.floor(r.at / 4000)) ?? 0) + 1);
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(4);
    expect(perDay.size).toBeGreaterThanOrEqual(2);
    for (const c of calls) expect((await d.queue.queue.getJob(c.job.id!))?.failedReason).toBeUndefined();
    const metrics = await got(`${d.workers[0]!.url}/metrics`).text();
    expect(metrics).toMatch(/gong_ingest_gong_daily_budget_remaining [0-4]/);
  });

  it('When the webhook names the rep by email, then the worker pages through GET /v2/users once and caches the directory', async () => {
    env.gong.configure({
      users: Array.from({ length: 250 }, (_, i) => ({ id: String(9000 + i), emailAddress: `rep${i}@acme.com` })),
      usersPageSize: 100,
    });
    env.gong.ledger.reset();
    const d = await deployment(1);
    const byEmail = (email: string) => ({ primaryUser: undefined, primaryUserEmail: email, parties: [{ name: 'Rep', emailAddress: email }, { phoneNumber: '+15551234567' }] });
    const first = await ingest(d, byEmail('rep249@acme.com'));
    await first.job.waitUntilFinished(d.queue.events, 30_000);
    expect(env.gong.ledger.count({ op: 'listUsers', status: 200 })).toBe(3);
    expect(env.gong.ledger.byClientUniqueId(first.callId)?.body).toMatchObject({ primaryUser: '9249', parties: [{ emailAddress: 'rep249@acme.com', userId: '9249' }, { phoneNumber: '+15551234567' }] });

    const second = await ingest(d, byEmail('REP7@acme.com'));
    await second.job.waitUntilFinished(d.queue.events, 30_000);
    expect(env.gong.ledger.count({ op: 'listUsers', status: 200 })).toBe(3);
    expect(env.gong.ledger.byClientUniqueId(second.callId)?.body).toMatchObject({ primaryUser: '9007' });
  });

  it('When the rep email is unknown to Gong, then the job fails for good naming the email', async () => {
    const d = await deployment(1);
    const unknown = await ingest(d, { primaryUser: undefined, primaryUserEmail: 'ghost@acme.com', parties: [{ emailAddress: 'ghost@acme.com' }] });
    await expect(unknown.job.waitUntilFinished(d.queue.events, 30_000)).rejects.toThrow(/\[unknown_user\] No Gong user found for the rep \(tried: ghost@acme.com\)/);
    expect(env.gong.ledger.byClientUniqueId(unknown.callId)).toBeUndefined();
  });

  it('When MEDIA_MODE is pull, then one request per call carries a pre-signed URL and Gong fetches the exact bytes', async () => {
    env.gong.ledger.reset();
    const d = await deployment(1, { MEDIA_MODE: 'pull' });
    const stored = once(env.gong.events, 'media-stored');
    const { callId, audio, job } = await ingest(d);
    const result = await job.waitUntilFinished(d.queue.events, 30_000);
    await stored;
    expect(result).toMatchObject({ mode: 'pull', bytes: audio.length });
    const call = env.gong.ledger.byClientUniqueId(callId)!;
    expect(call.media).toMatchObject({ via: 'download', bytes: audio.length, sha256: sha256(audio) });
    expect(String(call.body.downloadMediaUrl)).toContain('X-Amz-Signature');
    expect(env.gong.ledger.requests().filter((r) => r.op !== 'other')).toHaveLength(1);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

const waitForState = (queue: TestQueue, jobId: string, state: string, timeoutMs: number) =>
  waitFor(async () => (await queue.queue.getJobState(jobId)) === state, timeoutMs);

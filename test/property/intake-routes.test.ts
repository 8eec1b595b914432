import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Response } from 'got';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { startOwnRedis, type OwnRedis } from '../../harness/support/own-redis.js';
import { eventBridgeDelivery, genericDelivery, snsDelivery, twilioDelivery, type Delivery } from './intake-arbitraries.js';
import { startIntakeService, type IntakeService } from './intake-service.js';

/**
 * Property tests over every intake route, through real HTTP to the service in its own process, real Redis under
 * its own prefix: hostile but validly signed bodies are never a 5xx, a refused body leaves no job, an accepted call
 * is exactly one job however often it is delivered, and every job id answered is found in Redis with its call id.
 * FUZZ_RUNS sets the bodies per route (the default keeps CI quick); FUZZ_REPORT names a file for the figures.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const ROUTES = ['generic', 'twilio', 'sns', 'eventbridge'] as const;
type Route = (typeof ROUTES)[number];
const figures = new Map<Route | 'redis-down', { tried: number; accepted: number; byStatus: Record<string, number> }>();

function count(route: Route | 'redis-down', status: number): void {
  const f = figures.get(route) ?? { tried: 0, accepted: 0, byStatus: {} };
  f.tried++;
  if (status === 202) f.accepted++;
  f.byStatus[status] = (f.byStatus[status] ?? 0) + 1;
  figures.set(route, f);
}

afterAll(() => {
  if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, `${JSON.stringify({ runsPerRoute: RUNS, routes: Object.fromEntries(figures) }, null, 2)}\n`);
});

describe('Every intake route under hostile, validly signed bodies', () => {
  let intake: IntakeService;

  beforeAll(async () => {
    intake = await startIntakeService('fuzz');
  });
  afterAll(async () => {
    await intake?.close();
  });

  const send = (d: Delivery): Promise<Response<string>> => {
    switch (d.route) {
      case 'generic':
        return intake.generic(d.rawBody);
      case 'twilio':
        return intake.twilioCallback(d.params);
      case 'sns':
        return intake.snsNotification(d.message, d.envelope);
      case 'eventbridge':
        return intake.eventBridge(d.rawBody);
    }
  };
  const jobCount = async () => Object.values(await intake.env.queue.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'paused')).reduce((a, b) => a + b, 0);
  const jobsIn = (body: Record<string, unknown>): Array<{ jobId: string; duplicate: boolean }> =>
    (Array.isArray(body.jobs) ? body.jobs : [body]) as Array<{ jobId: string; duplicate: boolean }>;

  async function checkDelivery(d: Delivery): Promise<void> {
    const before = await jobCount();
    const first = await send(d);
    count(d.route, first.statusCode);
    expect(first.statusCode).toBeLessThan(500);
    const body = JSON.parse(first.body) as Record<string, unknown>;
    if (first.statusCode !== 202) {
      expect(await jobCount()).toBe(before);
      if (first.statusCode === 400) {
        expect(body.fields).toEqual(expect.arrayContaining([{ field: expect.any(String), problem: expect.any(String) }]));
      }
      return;
    }
    const jobs = jobsIn(body);
    expect(jobs.length).toBeGreaterThan(0);
    for (const { jobId } of jobs) {
      const job = await intake.env.queue.queue.getJob(jobId);
      expect(job).toBeDefined();
      expect(jobIdForCall(job!.data.clientUniqueId)).toBe(jobId);
      if (d.route === 'generic') expect(job!.data.clientUniqueId).toBe(d.callId);
      // Only callbacks of the configured account become jobs.
      if (d.route === 'twilio') expect(job!.data.pendingDetails).toMatchObject({ resolver: 'twilio', hints: { accountSid: intake.twilio.accountSid } });
    }
    const added = jobs.filter((j) => !j.duplicate).length;
    expect(await jobCount()).toBe(before + added);
    // The same body again, as a sender's retry: the same jobs, all duplicates, nothing added.
    const again = await send(d);
    expect(again.statusCode).toBe(202);
    expect(jobsIn(JSON.parse(again.body) as Record<string, unknown>)).toEqual(jobs.map((j) => ({ jobId: j.jobId, duplicate: true })));
    expect(await jobCount()).toBe(before + added);
  }

  /**
   * The property over a route's generated bodies, then the check that it was not vacuous: the bodies reached both
   * acceptance and refusal. In the same test, so that it holds whatever order the tests run in.
   */
  const property = (route: Route, arbitrary: () => fc.Arbitrary<Delivery>) => async () => {
    await fc.assert(fc.asyncProperty(arbitrary(), checkDelivery), { numRuns: RUNS });
    const f = figures.get(route);
    expect(f?.accepted).toBeGreaterThan(0);
    expect((f?.tried ?? 0) - (f?.accepted ?? 0)).toBeGreaterThan(0);
  };

  it('When the generic webhook gets hostile bodies, then no 5xx, no job for a refusal, one job per accepted call found by its id, and both happen', property('generic', genericDelivery), 600_000);
  it('When the Twilio callback gets hostile parameters, then the same holds', property('twilio', () => twilioDelivery(intake.twilio.accountSid)), 600_000);
  it('When SNS delivers hostile S3 events, then the same holds', property('sns', snsDelivery), 600_000);
  it('When EventBridge delivers hostile S3 events, then the same holds', property('eventbridge', eventBridgeDelivery), 600_000);
});

describe('Intake routes while Redis is down', () => {
  let redis: OwnRedis;
  let intake: IntakeService;
  beforeAll(async () => {
    redis = await startOwnRedis();
    intake = await startIntakeService('fuzz-down', { REDIS_URL: redis.url });
    await redis.stop();
  });
  afterAll(async () => {
    // Back up first, so the service's shutdown does not wait on a Redis that is gone.
    await redis?.start();
    await intake?.close();
    await redis?.stop();
  });

  it('When Redis is stopped, then every route answers a body it would accept with 503 and Retry-After, and a hostile one with a 4xx, never another 5xx', async () => {
    const anyRoute = fc.oneof(genericDelivery(), twilioDelivery(intake.twilio.accountSid), snsDelivery(), eventBridgeDelivery());
    let unavailable = 0;
    await fc.assert(
      fc.asyncProperty(anyRoute, async (d) => {
        const res = await (d.route === 'generic' ? intake.generic(d.rawBody) : d.route === 'twilio' ? intake.twilioCallback(d.params) : d.route === 'sns' ? intake.snsNotification(d.message, d.envelope) : intake.eventBridge(d.rawBody));
        count('redis-down', res.statusCode);
        if (res.statusCode >= 500) {
          expect(res.statusCode).toBe(503);
          expect(res.headers['retry-after']).toBeDefined();
          unavailable++;
        }
      }),
      { numRuns: Math.min(RUNS, 60) },
    );
    expect(unavailable).toBeGreaterThan(0);
  }, 600_000);
});

import { Redis } from 'ioredis';
import { createGongTraffic } from '../../src/traffic/gong-traffic.js';
import { GongBudgetExhaustedError, GongPausedError } from '../../src/traffic/traffic-errors.js';
import { TEST_REDIS_URL, uniquePrefix } from '../../harness/support/test-queue.js';

/** The shared limiter's script on the real Redis, used the way several worker processes use it. */
describe('shared Gong limiter', () => {
  const clients: Redis[] = [];
  const client = () => {
    const c = new Redis(TEST_REDIS_URL);
    clients.push(c);
    return c;
  };
  afterAll(async () => {
    const prefixes = [...new Set(used)];
    const cleaner = client();
    for (const prefix of prefixes) {
      const keys = await cleaner.keys(`${prefix}:*`);
      if (keys.length) await cleaner.del(...keys);
    }
    await Promise.all(clients.map((c) => c.quit()));
  });
  const used: string[] = [];
  const prefix = () => {
    const p = `{${uniquePrefix('limiter')}}`;
    used.push(p);
    return p;
  };

  it('When three clients race for 20 requests at 5 per second, then no sliding second ever holds more than 5', async () => {
    const shared = prefix();
    const limiters = [1, 2, 3].map(() => createGongTraffic({ redis: client(), prefix: shared, perSecond: 5, dailyLimit: 10_000, dayMs: 86_400_000, windowMarginMs: 100 }));
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        await limiters[i % 3]!.acquire('createCall');
        times.push(Date.now());
      }),
    );
    times.sort((a, b) => a - b);
    for (let i = 5; i < times.length; i++) expect(times[i]! - times[i - 5]!).toBeGreaterThanOrEqual(1000);
  });

  it('When the daily budget is spent, then acquire throws with the time until the reset and the gauge reads 0', async () => {
    const limiter = createGongTraffic({ redis: client(), prefix: prefix(), perSecond: 100, dailyLimit: 3, dayMs: 60_000, windowMarginMs: 0 });
    // Days are whole minutes: not in a minute's last second, or the day could turn between the acquires.
    if (Date.now() % 60_000 > 59_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - (Date.now() % 60_000) + 50));
    for (let i = 0; i < 3; i++) await limiter.acquire('createCall');
    expect(await limiter.remainingToday()).toBe(0);
    const error = await limiter.acquire('createCall').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GongBudgetExhaustedError);
    expect((error as GongBudgetExhaustedError).resetInMs).toBeGreaterThan(0);
    expect((error as GongBudgetExhaustedError).resetInMs).toBeLessThanOrEqual(60_000);
  });

  it('When a 429 pauses the limiter, then no client gets a request through before the pause ends', async () => {
    const shared = prefix();
    const [a, b] = [1, 2].map(() => createGongTraffic({ redis: client(), prefix: shared, perSecond: 100, dailyLimit: 1000, dayMs: 86_400_000, windowMarginMs: 0 }));
    const waits: Array<[string, number]> = [];
    const observed = createGongTraffic({ redis: client(), prefix: shared, perSecond: 100, dailyLimit: 1000, dayMs: 86_400_000, windowMarginMs: 0, onWait: (reason, s) => waits.push([reason, s]) });
    const pausedAt = Date.now();
    await a!.pauseFor(800);
    await Promise.all([b!.acquire('uploadMedia'), observed.acquire('createCall')]);
    expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(790);
    expect(waits.find(([reason]) => reason === 'paused')?.[1]).toBeGreaterThan(0.5);
  });

  it('When a 429 pause is longer than a worker should sleep with a job in hand, then acquire throws at once with the time left', async () => {
    const shared = prefix();
    const limiter = createGongTraffic({ redis: client(), prefix: shared, perSecond: 100, dailyLimit: 1000, dayMs: 86_400_000, windowMarginMs: 0, maxInlinePauseMs: 500 });
    await limiter.pauseFor(30_000);
    const started = Date.now();
    const error = await limiter.acquire('createCall').catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(500);
    expect(error).toBeInstanceOf(GongPausedError);
    expect((error as GongPausedError).resumeInMs).toBeGreaterThan(29_000);
    expect((error as GongPausedError).resumeInMs).toBeLessThanOrEqual(30_000);
  });

  it('When a shutdown aborts a request waiting its turn, then acquire gives up at once instead of sleeping out the wait', async () => {
    const limiter = createGongTraffic({ redis: client(), prefix: prefix(), perSecond: 100, dailyLimit: 1000, dayMs: 86_400_000, windowMarginMs: 0, maxInlinePauseMs: 10_000 });
    await limiter.pauseFor(5_000);
    const shutdown = new AbortController();
    const started = Date.now();
    const waiting = limiter.acquire('uploadMedia', shutdown.signal).catch((e: unknown) => e);
    setTimeout(() => shutdown.abort(new Error('shutdown grace ran out')), 200);
    const error = await waiting;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toMatchObject({ name: 'AbortError' });
  });

  it('When a request only waits for its turn, then it takes no slot and no budget, and waits as long as acquire would', async () => {
    const limiter = createGongTraffic({ redis: client(), prefix: prefix(), perSecond: 2, dailyLimit: 1000, dayMs: 86_400_000, windowMarginMs: 0 });
    for (let i = 0; i < 5; i++) await limiter.awaitTurn('uploadMedia');
    expect(await limiter.remainingToday()).toBe(1000);
    await limiter.acquire('createCall');
    await limiter.acquire('createCall');
    const started = Date.now();
    await limiter.awaitTurn('uploadMedia');
    expect(Date.now() - started).toBeGreaterThanOrEqual(400); // the window is full until the first request is 1 s old
    expect(await limiter.remainingToday()).toBe(998);
  });
});

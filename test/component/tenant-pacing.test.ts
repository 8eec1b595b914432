import { Redis } from 'ioredis';
import { TEST_REDIS_URL, uniquePrefix } from '../../harness/support/test-queue.js';
import { createTenantPacing, type TenantPace } from '../../src/traffic/tenant-pacing.js';
import { trafficKeys } from '../../src/traffic/traffic-keys.js';

/** Tenant pacing against the real Redis: slots handed out at the tenant's rate, and given back for duplicates. */
describe('tenant pacing slots', () => {
  // 2 requests per call at 2 requests/s over a 1 s window: one call every 1,000 ms.
  const pace: TenantPace = { perSecond: 2, windowMs: 1_000, requestsPerCall: 2 };
  let redis: Redis;
  let prefix: string;

  beforeEach(() => {
    redis = new Redis(TEST_REDIS_URL);
    prefix = `{${uniquePrefix('pacing')}}`;
  });

  afterEach(async () => {
    await redis.del(trafficKeys(prefix, 'acme').nextSlot, trafficKeys(prefix, 'other').nextSlot);
    await redis.quit();
  });

  it('spreads one tenant’s calls one call-cost apart, starting now', async () => {
    const pacing = createTenantPacing({ redis, prefix });
    const delays = [];
    for (let i = 0; i < 3; i++) delays.push(await pacing.reserve('acme', pace));
    expect(delays[0]).toBe(0);
    // Redis' clock moves on between the calls: each delay is about one cost (1,000 ms) more than the one before.
    expect(delays[1]).toBeGreaterThan(900);
    expect(delays[1]).toBeLessThanOrEqual(1_000);
    expect(delays[2]).toBeGreaterThan(1_900);
    expect(delays[2]).toBeLessThanOrEqual(2_000);
  });

  it('gives back a duplicate’s slot, so a redelivered webhook does not delay the tenant’s next call', async () => {
    const pacing = createTenantPacing({ redis, prefix });
    await pacing.reserve('acme', pace); // the first delivery: due now
    await pacing.reserve('acme', pace); // the redelivery reserves before the add finds the duplicate...
    expect(await pacing.release('acme', pace)).toBeGreaterThan(900); // ...and gives its slot back
    const next = await pacing.reserve('acme', pace);
    // The next new call is one call behind the first, not two.
    expect(next).toBeGreaterThan(900);
    expect(next).toBeLessThanOrEqual(1_000);
  });

  it('never moves a slot back before now, and leaves other tenants alone', async () => {
    const pacing = createTenantPacing({ redis, prefix });
    await pacing.reserve('other', pace);
    await pacing.reserve('other', pace);
    expect(await pacing.release('acme', pace)).toBe(0); // nothing reserved for acme: nothing to give back
    expect(await pacing.reserve('acme', pace)).toBe(0);
    // Three releases for two reservations: the slot stops at now.
    for (let i = 0; i < 3; i++) await pacing.release('other', pace);
    expect(await pacing.reserve('other', pace)).toBe(0);
    expect(await redis.pttl(trafficKeys(prefix, 'other').nextSlot)).toBeGreaterThan(0);
  });
});

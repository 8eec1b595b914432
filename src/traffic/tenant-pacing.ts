import type { RedisClient } from '../redis/redis-connection.js';
import { trafficKeys } from './traffic-keys.js';

/**
 * Reserves the tenant's next dispatch slot and returns how far from now it is (0 when the slot is now). Each call
 * moves the slot on by `costMs`, the time the tenant's Gong rate needs for one call's requests. Redis' clock.
 * KEYS: 1 next-slot. ARGV: 1 costMs, 2 key lifetime in ms.
 */
const RESERVE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1])) or 0)
redis.call('SET', KEYS[1], slot + tonumber(ARGV[1]), 'PX', math.max(1000, slot + tonumber(ARGV[1]) - now + tonumber(ARGV[2])))
return slot - now
`;

/**
 * Gives back a slot that `reserve` handed out for a call that turned out to be a duplicate (a redelivered webhook):
 * the tenant's next slot moves back by `costMs`, never before now. Without it every redelivery would push the
 * tenant's later calls one call's worth into the future. When other calls reserved after this one, their jobs keep
 * their delays and the next call of the tenant fills the hole; the Gong limiter still bounds the tenant's rate.
 * KEYS: 1 next-slot. ARGV: 1 costMs.
 */
const RELEASE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local slot = tonumber(redis.call('GET', KEYS[1]))
if not slot or slot <= now then return 0 end
local back = math.max(now, slot - tonumber(ARGV[1]))
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('SET', KEYS[1], back, 'PX', ttl) else redis.call('SET', KEYS[1], back) end
return slot - back
`;

export interface TenantPacingOptions {
  redis: RedisClient;
  /** Hash-tagged queue prefix. */
  prefix: string;
}

export interface TenantPace {
  /** Gong requests allowed per sliding window. */
  perSecond: number;
  /** The limiter's window: 1000 ms + GONG_RATE_WINDOW_MARGIN_MS. */
  windowMs: number;
  /** Gong requests one call costs: 2 pushed (create, upload), 1 pulled. */
  requestsPerCall: number;
}

/**
 * Fair service between tenants without BullMQ Pro's groups. A call's job is made due no sooner than its tenant's
 * Gong rate could serve it: jobs of a tenant with a backlog of 10,000 are spread over the future at that tenant's
 * own rate (delayed jobs hold no worker slot), while a quiet tenant's call is due at once and goes to the front of
 * what is ready. Workers then take due jobs first come, first served, which interleaves the tenants by their rates.
 * docs/multi-tenant.md says why this rather than a queue per tenant or priorities, with figures.
 */
export function createTenantPacing(options: TenantPacingOptions) {
  /** Milliseconds from now to the slot reserved for one more call of `tenant`. */
  async function reserve(tenant: string, pace: TenantPace): Promise<number> {
    return Number(await options.redis.eval(RESERVE_SCRIPT, 1, trafficKeys(options.prefix, tenant).nextSlot, slotCostMs(pace), 60_000));
  }
  /** Undoes one `reserve` of `tenant` whose call was not enqueued (a duplicate); returns the milliseconds given back. */
  async function release(tenant: string, pace: TenantPace): Promise<number> {
    return Number(await options.redis.eval(RELEASE_SCRIPT, 1, trafficKeys(options.prefix, tenant).nextSlot, slotCostMs(pace)));
  }
  return {
    reserve,
    release,
    /**
     * Runs `add` with the delay of the tenant's next slot, and gives the slot back when the add made no job (a
     * redelivered webhook), or each redelivery would delay the tenant's next calls. Giving back is best effort
     * (`onReleaseError`): the call is queued already, and a slot not given back only delays one later call.
     */
    async pacedAdd<R extends { duplicate: boolean }>(tenant: string, pace: TenantPace, add: (delayMs: number) => Promise<R>, onReleaseError: (error: Error) => void): Promise<R> {
      const result = await add(await reserve(tenant, pace));
      if (result.duplicate) await release(tenant, pace).catch(onReleaseError);
      return result;
    },
  };
}

/** The time the tenant's Gong rate needs for one call's requests. */
function slotCostMs(pace: TenantPace): number {
  return Math.ceil((pace.requestsPerCall * pace.windowMs) / pace.perSecond);
}

export type TenantPacing = ReturnType<typeof createTenantPacing>;

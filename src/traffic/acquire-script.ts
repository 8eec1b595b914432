/**
 * One atomic decision per Gong request, shared by every worker through Redis:
 *   - a pause set after a 429 holds everyone back until it ends;
 *   - the day's budget (UTC days of `dayMs`) must have a request left;
 *   - a sliding log (sorted set of request times) admits at most `limit` requests in any `windowMs`;
 *   - admissions are spaced at least windowMs / limit apart: a burst of `limit` requests at once would reach
 *     Gong spread out by queueing, and the next burst's first request could then land inside the same second.
 * Time comes from Redis (TIME), so pods with skewed clocks still agree. All three keys carry the queue's hash tag,
 * so the script runs on Redis Cluster.
 *
 * KEYS: 1 sliding-log zset, 2 daily hash {day, used}, 3 pause-until (ms epoch)
 * ARGV: 1 limit, 2 windowMs, 3 dailyLimit, 4 dayMs, 5 unique member, 6 '1' to only look (admit nothing)
 * Returns {verdict, waitMs, remainingToday}: verdict 1 = go (or, only looking: would go now); 0 = wait waitMs (rate)
 * and ask again; 2 = wait waitMs (paused after a 429) and ask again; -1 = budget spent (waitMs until the day resets).
 */
export const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local dailyLimit = tonumber(ARGV[3])
local dayMs = tonumber(ARGV[4])

local day = math.floor(now / dayMs)
local used = 0
local daily = redis.call('HMGET', KEYS[2], 'day', 'used')
if tonumber(daily[1]) == day then used = tonumber(daily[2]) or 0 end

local pauseUntil = tonumber(redis.call('GET', KEYS[3]) or '0')
if pauseUntil > now then return {2, pauseUntil - now, dailyLimit - used} end
if used >= dailyLimit then return {-1, (day + 1) * dayMs - now, 0} end

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tonumber(oldest[2]) + windowMs - now + 1, dailyLimit - used}
end
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
local spacing = math.floor(windowMs / limit)
if newest[2] and now - tonumber(newest[2]) < spacing then
  return {0, tonumber(newest[2]) + spacing - now, dailyLimit - used}
end

if ARGV[6] == '1' then return {1, 0, dailyLimit - used} end
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('PEXPIRE', KEYS[1], windowMs * 2)
redis.call('HSET', KEYS[2], 'day', day, 'used', used + 1)
redis.call('PEXPIRE', KEYS[2], dayMs * 2)
return {1, 0, dailyLimit - used - 1}
`;

/** Reads the budget left today without taking any. KEYS: 1 daily hash. ARGV: 1 dailyLimit, 2 dayMs. */
export const REMAINING_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local day = math.floor(now / tonumber(ARGV[2]))
local daily = redis.call('HMGET', KEYS[1], 'day', 'used')
if tonumber(daily[1]) == day then return tonumber(ARGV[1]) - (tonumber(daily[2]) or 0) end
return tonumber(ARGV[1])
`;

/** Extends the shared pause to `now + ms` unless a longer one is already set. KEYS: 1 pause-until. ARGV: 1 ms. */
export const PAUSE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > current then redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1]) + 1000) end
return untilMs
`;

/**
 * One atomic decision per Gong request, shared by every worker through Redis:
 *   - a pause set after a 429 holds everyone back until it ends;
 *   - the day's budget (UTC days of `dayMs`) must have a request left; an import request also needs a request
 *     left in the import share of the day (`importUsed` < importDailyLimit, same hash, same day) besides those kept
 *     for uploads that follow an admitted create: an import create that an upload will follow needs room for both
 *     and keeps the second (a reservation, by job id, until it is used or lapses), the upload takes its kept room;
 *   - live calls first: a live request that is not admitted registers in the live-waiting set (its ticket, scored
 *     with the time after which the entry is stale), and an import request is admitted only while that set is
 *     empty, so an import never takes the turn a waiting live request is due;
 *   - a sliding log (sorted set of request times) admits at most `limit` requests in any `windowMs`;
 *   - admissions are spaced at least windowMs / limit apart: a burst of `limit` requests at once would reach
 *     Gong spread out by queueing, and the next burst's first request could then land inside the same second.
 * Time comes from Redis (TIME), so pods with skewed clocks still agree. All keys carry the queue's hash tag, so
 * the script runs on Redis Cluster.
 *
 * KEYS: 1 sliding-log zset, 2 daily hash {day, used, importUsed}, 3 pause-until (ms epoch), 4 live-waiting zset,
 *       5 import reservations zset (job id → ms epoch the reservation lapses)
 * ARGV: 1 limit, 2 windowMs, 3 dailyLimit, 4 dayMs, 5 ticket (unique per request), 6 '1' to only look (admit
 *       nothing), 7 lane ('live' | 'import'), 8 importDailyLimit, 9 how long a live waiter's entry outlives its wait,
 *       10 reservation kind ('' | 'reserve' | 'use'; import lane only), 11 reservation id, 12 how long a reservation
 *       lasts (ms)
 * Returns {verdict, waitMs, remainingToday}: verdict 1 = go (or, only looking: would go now); 0 = wait waitMs (rate,
 * or an import behind a live request) and ask again; 2 = wait waitMs (paused after a 429) and ask again; -1 =
 * budget spent (waitMs until the day resets); -3 = the import share is spent (waitMs until the day resets).
 */
export const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local dailyLimit = tonumber(ARGV[3])
local dayMs = tonumber(ARGV[4])
local ticket = ARGV[5]
local live = ARGV[7] ~= 'import'
local importLimit = tonumber(ARGV[8])
local linger = tonumber(ARGV[9])
local reserveKind = ARGV[10]
local reserveId = ARGV[11]
local reserveMs = tonumber(ARGV[12])

local day = math.floor(now / dayMs)
local used = 0
local importUsed = 0
local daily = redis.call('HMGET', KEYS[2], 'day', 'used', 'importUsed')
if tonumber(daily[1]) == day then
  used = tonumber(daily[2]) or 0
  importUsed = tonumber(daily[3]) or 0
end

-- A live request not admitted now stays registered until it asks again (or its entry goes stale).
local function waitLive(verdict, waitMs)
  if live then redis.call('ZADD', KEYS[4], now + waitMs + linger, ticket) end
  return {verdict, waitMs, dailyLimit - used}
end

local pauseUntil = tonumber(redis.call('GET', KEYS[3]) or '0')
if pauseUntil > now then return waitLive(2, pauseUntil - now) end
if used >= dailyLimit then
  if live then redis.call('ZREM', KEYS[4], ticket) end
  return {-1, (day + 1) * dayMs - now, 0}
end
if not live then
  -- The share's room kept for uploads whose create was admitted, this request's own reservation aside.
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now)
  local kept = redis.call('ZCARD', KEYS[5])
  if reserveKind ~= '' and redis.call('ZSCORE', KEYS[5], reserveId) then kept = kept - 1 end
  local needed = 1
  if reserveKind == 'reserve' then needed = 2 end
  if importUsed + kept + needed > importLimit then return {-3, (day + 1) * dayMs - now, dailyLimit - used} end
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
  if redis.call('ZCARD', KEYS[4]) > 0 then return {0, math.floor(windowMs / limit), dailyLimit - used} end
end

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return waitLive(0, tonumber(oldest[2]) + windowMs - now + 1)
end
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
local spacing = math.floor(windowMs / limit)
if newest[2] and now - tonumber(newest[2]) < spacing then
  return waitLive(0, tonumber(newest[2]) + spacing - now)
end

-- Only looking: a live request keeps its place while it prepares (opens the recording), then takes the turn.
if ARGV[6] == '1' then return waitLive(1, 0) end
redis.call('ZADD', KEYS[1], now, ticket)
redis.call('PEXPIRE', KEYS[1], windowMs * 2)
if live then
  redis.call('ZREM', KEYS[4], ticket)
  redis.call('HSET', KEYS[2], 'day', day, 'used', used + 1, 'importUsed', importUsed)
else
  redis.call('HSET', KEYS[2], 'day', day, 'used', used + 1, 'importUsed', importUsed + 1)
  if reserveKind == 'reserve' then
    redis.call('ZADD', KEYS[5], now + reserveMs, reserveId)
    redis.call('PEXPIRE', KEYS[5], reserveMs * 2)
  elseif reserveKind == 'use' then
    redis.call('ZREM', KEYS[5], reserveId)
  end
end
redis.call('PEXPIRE', KEYS[2], dayMs * 2)
redis.call('PEXPIRE', KEYS[4], dayMs * 2)
return {1, 0, dailyLimit - used - 1}
`;

/**
 * Reads the budget left today without taking any. KEYS: 1 daily hash, 2 import reservations zset. ARGV: 1
 * dailyLimit, 2 dayMs, 3 importDailyLimit. Returns {remaining, importRemaining, msUntilReset}: importRemaining leaves
 * out the room kept for uploads, and is also capped by what is left of the whole day.
 */
export const REMAINING_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local dayMs = tonumber(ARGV[2])
local day = math.floor(now / dayMs)
local used, importUsed = 0, 0
local daily = redis.call('HMGET', KEYS[1], 'day', 'used', 'importUsed')
if tonumber(daily[1]) == day then
  used = tonumber(daily[2]) or 0
  importUsed = tonumber(daily[3]) or 0
end
local remaining = tonumber(ARGV[1]) - used
local kept = redis.call('ZCOUNT', KEYS[2], '(' .. now, '+inf')
return {remaining, math.max(0, math.min(remaining, tonumber(ARGV[3]) - importUsed - kept)), (day + 1) * dayMs - now}
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

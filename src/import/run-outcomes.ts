import type { CallImportRef } from '../queue/call-job.js';
import type { RedisClient } from '../redis/redis-connection.js';

/**
 * What a worker tells an import run when one of its jobs ends: in Gong (counted; a replayed failure leaves the
 * failed set) or failed for good (in the failed set, by line, for the failed-rows file). Only runs that exist are
 * touched, so a job whose run was deleted does not bring a half record back.
 */
const COMPLETED_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'inGong', 1)
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`;
const FAILED_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
`;

export interface RunOutcomes {
  completed(ref: CallImportRef, jobId: string): Promise<void>;
  failed(ref: CallImportRef, jobId: string): Promise<void>;
}

export function createRunOutcomes(redis: RedisClient, prefix: string): RunOutcomes {
  const keys = (run: string) => [`${prefix}:import:run:${run}`, `${prefix}:import:run:${run}:failed`];
  return {
    async completed(ref, jobId) {
      await redis.eval(COMPLETED_SCRIPT, 2, ...keys(ref.run), jobId);
    },
    async failed(ref, jobId) {
      await redis.eval(FAILED_SCRIPT, 2, ...keys(ref.run), jobId, ref.line);
    },
  };
}

import type { RedisSettings } from '../config/load-config.js';
import { createRedisConnection, type RedisClient } from '../redis/redis-connection.js';
import { EXIT, type CliIo } from './cli-commands.js';

/** How long to wait for Redis before giving up. @defaultValue 10000 */
const CONNECT_TIMEOUT_MS = 10_000;

/** Connects for one command and always closes Redis afterwards; exit code 1 when Redis does not answer. */
export async function withRedis(settings: RedisSettings, io: CliIo, run: (redis: RedisClient) => Promise<number>): Promise<number> {
  const redis = createRedisConnection(settings, 'producer');
  let lastError = '';
  redis.on('error', (err: Error) => (lastError = err.message));
  try {
    if (!(await ready(redis, CONNECT_TIMEOUT_MS))) {
      io.err(`Redis did not answer within ${CONNECT_TIMEOUT_MS / 1000} s (REDIS_MODE=${settings.mode})${lastError ? `: ${lastError}` : ''}`);
      return EXIT.failed;
    }
    return await run(redis);
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

function ready(redis: RedisClient, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

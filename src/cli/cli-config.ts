import { envSchema } from '../config/config-schema.js';
import { redisProblems } from '../config/redis-settings.js';
import { ConfigError, describeIssues, redisSettings, withoutBlanks, type RedisSettings } from '../config/load-config.js';

/**
 * The CLI needs only to reach the queue, so it reads only the Redis settings: an operator's shell has no
 * WEBHOOK_SECRET or Gong credentials, and should not need them. The fields are picked from the service's own
 * schema, so names, defaults and checks cannot drift apart.
 */
export const cliEnvSchema = envSchema.pick({
  REDIS_MODE: true,
  REDIS_URL: true,
  REDIS_SENTINELS: true,
  REDIS_SENTINEL_NAME: true,
  REDIS_CLUSTER_NODES: true,
  REDIS_TLS: true,
  REDIS_TLS_CA_FILE: true,
  REDIS_TLS_CERT_FILE: true,
  REDIS_TLS_KEY_FILE: true,
  REDIS_SENTINEL_TLS: true,
  REDIS_WAIT_REPLICAS: true,
  REDIS_WAIT_TIMEOUT_MS: true,
  REDIS_USERNAME: true,
  REDIS_PASSWORD: true,
  QUEUE_PREFIX: true,
});

/** Reads the Redis settings the way the service does. Throws {@link ConfigError} listing every problem, never a value. */
export function loadCliRedisSettings(env: NodeJS.ProcessEnv = process.env): RedisSettings {
  const blankless = withoutBlanks(env);
  const parsed = cliEnvSchema.safeParse(blankless);
  const problems = [...(parsed.success ? [] : describeIssues(parsed.error)), ...redisProblems(blankless).map((p) => `${p.path}: ${p.message}`)];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return redisSettings(parsed.data);
}

import { envSchema } from '../config/config-schema.js';
import { redisProblems } from '../config/redis-settings.js';
import { ConfigError, describeIssues, redisSettings, withoutBlanks, type RedisSettings } from '../config/load-config.js';
import type { JobRetention } from '../queue/enqueue-call.js';
import { cliEnvSchema } from './cli-config.js';

/**
 * What `import` and `imports` need beyond Redis: where the recordings are (S3), how jobs are kept and retried (the
 * same as the service's, so imported jobs behave like webhook ones), and the Gong budget settings, for estimates.
 * Picked from the service's own schema, so names, defaults and checks are the service's. No Gong credentials and
 * no webhook secret: the CLI never talks to Gong.
 */
const importEnvSchema = cliEnvSchema
  .extend(
    envSchema.pick({
      S3_ENDPOINT: true,
      S3_FORCE_PATH_STYLE: true,
      AWS_REGION: true,
      AWS_DEFAULT_REGION: true,
      JOB_ATTEMPTS: true,
      JOB_BACKOFF_MS: true,
      KEEP_COMPLETED_JOBS_SECONDS: true,
      KEEP_FAILED_JOBS_SECONDS: true,
      GONG_RATE_LIMIT_PER_SECOND: true,
      GONG_DAILY_LIMIT: true,
      GONG_DAILY_WINDOW_SECONDS: true,
      IMPORT_DAILY_SHARE: true,
    }).shape,
  )
  // Listing and cancelling runs reads no recording; only starting or checking an import needs the buckets.
  .extend({ S3_ALLOWED_BUCKETS: envSchema.shape.S3_ALLOWED_BUCKETS.optional() });

export interface CliImportSettings {
  redis: RedisSettings;
  s3: { endpoint?: string; forcePathStyle: boolean; region: string; allowedBuckets?: string[] };
  retention: JobRetention;
  traffic: { perSecond: number; dailyLimit: number; dayMs: number; windowMarginMs: number; importDailyShare: number };
}

export function loadCliImportSettings(env: NodeJS.ProcessEnv = process.env): CliImportSettings {
  const blankless = withoutBlanks(env);
  const parsed = importEnvSchema.safeParse(blankless);
  const problems = [...(parsed.success ? [] : describeIssues(parsed.error)), ...redisProblems(blankless).map((p: { path: string; message: string }) => `${p.path}: ${p.message}`)];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    redis: redisSettings(e),
    s3: { endpoint: e.S3_ENDPOINT, forcePathStyle: e.S3_FORCE_PATH_STYLE, region: e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? 'us-east-1', allowedBuckets: e.S3_ALLOWED_BUCKETS },
    retention: { attempts: e.JOB_ATTEMPTS, backoffMs: e.JOB_BACKOFF_MS, keepCompletedSeconds: e.KEEP_COMPLETED_JOBS_SECONDS, keepFailedSeconds: e.KEEP_FAILED_JOBS_SECONDS },
    traffic: { perSecond: e.GONG_RATE_LIMIT_PER_SECOND, dailyLimit: e.GONG_DAILY_LIMIT, dayMs: e.GONG_DAILY_WINDOW_SECONDS * 1000, windowMarginMs: 0, importDailyShare: e.IMPORT_DAILY_SHARE },
  };
}

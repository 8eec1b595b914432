import { readFileSync } from 'node:fs';
import { envSchema } from '../config/config-schema.js';
import { parseTenantEntries, TenantsFileError } from '../tenants/resolve-tenants.js';
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
      TENANTS_FILE: true,
    }).shape,
  )
  // Listing and cancelling runs reads no recording; only starting or checking an import needs the buckets.
  .extend({ S3_ALLOWED_BUCKETS: envSchema.shape.S3_ALLOWED_BUCKETS.optional() });

export interface CliImportSettings {
  redis: RedisSettings;
  s3: { endpoint?: string; forcePathStyle: boolean; region: string; allowedBuckets?: string[] };
  retention: JobRetention;
  traffic: { perSecond: number; dailyLimit: number; dayMs: number; windowMarginMs: number; importDailyShare: number };
  /** TENANTS_FILE's tenants, for `import --tenant`: buckets and limits only (the CLI reads no tenant secret). */
  tenants: Array<{ id: string; allowedBuckets: string[]; ratePerSecond: number; dailyLimit: number }>;
}

export function loadCliImportSettings(env: NodeJS.ProcessEnv = process.env): CliImportSettings {
  const blankless = withoutBlanks(env);
  const parsed = importEnvSchema.safeParse(blankless);
  const problems = [...(parsed.success ? [] : describeIssues(parsed.error)), ...redisProblems(blankless).map((p: { path: string; message: string }) => `${p.path}: ${p.message}`)];
  const tenants = parsed.success ? readTenants(parsed.data.TENANTS_FILE, problems) : [];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    redis: redisSettings(e),
    s3: { endpoint: e.S3_ENDPOINT, forcePathStyle: e.S3_FORCE_PATH_STYLE, region: e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? 'us-east-1', allowedBuckets: e.S3_ALLOWED_BUCKETS },
    retention: { attempts: e.JOB_ATTEMPTS, backoffMs: e.JOB_BACKOFF_MS, keepCompletedSeconds: e.KEEP_COMPLETED_JOBS_SECONDS, keepFailedSeconds: e.KEEP_FAILED_JOBS_SECONDS },
    traffic: { perSecond: e.GONG_RATE_LIMIT_PER_SECOND, dailyLimit: e.GONG_DAILY_LIMIT, dayMs: e.GONG_DAILY_WINDOW_SECONDS * 1000, windowMarginMs: 0, importDailyShare: e.IMPORT_DAILY_SHARE },
    tenants,
  };
}

function readTenants(file: string | undefined, problems: string[]): CliImportSettings['tenants'] {
  if (!file) return [];
  try {
    return parseTenantEntries(readFileSync(file, 'utf8')).map((t) => ({ id: t.id, allowedBuckets: t.allowedBuckets, ratePerSecond: t.gong.ratePerSecond, dailyLimit: t.gong.dailyLimit }));
  } catch (error) {
    if (error instanceof TenantsFileError) problems.push(...error.problems.map((p) => `TENANTS_FILE: ${p}`));
    else problems.push(`TENANTS_FILE: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
    return [];
  }
}

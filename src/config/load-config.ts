import type { z } from 'zod';
import { zodFieldProblems } from '../validation/field-problems.js';
import { crossFieldProblems, envSchema, type Env } from './config-schema.js';
import { redisProblems, redisSettings, type RedisSettings } from './redis-settings.js';
import { userMapProblems } from './user-map-problems.js';
import { otelProblems } from './otel-problems.js';
import { readTenantsFile } from './tenants-problems.js';
import type { TenantSet } from '../tenants/tenant-settings.js';
import { tracingRequested } from '../telemetry/tracing-wanted.js';

export type { HostPort, RedisSettings, RedisTls } from './redis-settings.js';
export type { GongAuth } from './gong-auth.js';
import type { GongAuth } from './gong-auth.js';
export { hashTaggedPrefix, redisSettings } from './redis-settings.js';

/** The service's settings, grouped by the part that uses them. */
export interface Config {
  port: number;
  role: 'all' | 'api' | 'worker';
  logLevel: Env['LOG_LEVEL'];
  redis: RedisSettings;
  worker: { concurrency: number; lockDurationMs: number; shutdownGraceMs: number };
  /** ROLE=api: how long shutdown may take in all (requests in flight, then Redis) before the process exits anyway. */
  api: { shutdownGraceMs: number };
  jobs: { attempts: number; backoffMs: number; keepCompletedSeconds: number; keepFailedSeconds: number };
  gong: { baseUrl: string; auth: GongAuth; requestTimeoutMs: number; uploadTimeoutMs: number; userCacheTtlSeconds: number };
  traffic: { perSecond: number; dailyLimit: number; dayMs: number; windowMarginMs: number; maxRateLimitedWaits: number; importDailyShare: number };
  media: { mode: 'push' | 'pull'; pullUrlTtlSeconds: number };
  /** `region`: AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1 (`regionDefaulted`, which the worker warns about). */
  s3: { endpoint?: string; forcePathStyle: boolean; allowedBuckets: string[]; region: string; regionDefaulted: boolean };
  webhook: { secret: string; toleranceSeconds: number };
  /** Bearer token for /admin; without it /admin is off. */
  adminToken?: string;
  sources: SourcesConfig;
  /** TENANTS_FILE's Gong companies, beside the implicit default one of these settings (empty without the file). */
  tenants: TenantSet;
}

export interface SourcesConfig {
  publicBaseUrl?: string;
  twilio: { accountSid?: string; authToken?: string; apiKeySid?: string; apiKeySecret?: string; apiBaseUrl: string };
  userMapFile?: string;
  defaultPrimaryUser?: string;
  sns: { certHostPattern: string; topicArns?: string[] };
  eventBridge: { authHeader: string; authSecret?: string };
  connect: { instanceId?: string; endpoint?: string; region: string };
}


/** Thrown with every invalid setting listed, so an operator fixes them all in one go. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads and validates the environment, and reads USER_MAP_FILE to check it. Values are never echoed into errors:
 * some of them are secrets.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankless = withoutBlanks(env);
  const parsed = envSchema.safeParse(blankless);
  const tenants = readTenantsFile(blankless);
  const problems = [
    ...(parsed.success ? [] : describeIssues(parsed.error)),
    ...tenants.problems.map((p) => `TENANTS_FILE: ${p}`),
    ...[...crossFieldProblems(blankless), ...redisProblems(blankless), ...userMapProblems(blankless), ...otelProblems(blankless, tracingRequested(blankless))].map((p) => `${p.path}: ${p.message}`),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  // AWS_REGION, else AWS_DEFAULT_REGION (EKS sets both for IRSA), else us-east-1: the SDK would otherwise fail every
  // read with "Region is missing" long after start-up, and S3-compatible stores often have no region at all.
  const awsRegion = e.AWS_REGION ?? e.AWS_DEFAULT_REGION;
  const region = awsRegion ?? 'us-east-1';
  return {
    port: e.PORT,
    role: e.ROLE,
    logLevel: e.LOG_LEVEL,
    redis: redisSettings(e),
    api: { shutdownGraceMs: e.API_SHUTDOWN_GRACE_MS },
    worker: {
      concurrency: e.WORKER_CONCURRENCY,
      lockDurationMs: e.WORKER_LOCK_DURATION_MS,
      shutdownGraceMs: e.WORKER_SHUTDOWN_GRACE_MS,
    },
    jobs: {
      attempts: e.JOB_ATTEMPTS,
      backoffMs: e.JOB_BACKOFF_MS,
      keepCompletedSeconds: e.KEEP_COMPLETED_JOBS_SECONDS,
      keepFailedSeconds: e.KEEP_FAILED_JOBS_SECONDS,
    },
    gong: {
      baseUrl: e.GONG_BASE_URL.replace(/\/+$/, ''),
      auth: gongAuth(e),
      requestTimeoutMs: e.GONG_REQUEST_TIMEOUT_MS,
      uploadTimeoutMs: e.GONG_UPLOAD_TIMEOUT_MS,
      userCacheTtlSeconds: e.GONG_USER_CACHE_TTL_SECONDS,
    },
    traffic: {
      perSecond: e.GONG_RATE_LIMIT_PER_SECOND,
      dailyLimit: e.GONG_DAILY_LIMIT,
      dayMs: e.GONG_DAILY_WINDOW_SECONDS * 1000,
      windowMarginMs: e.GONG_RATE_WINDOW_MARGIN_MS,
      maxRateLimitedWaits: e.GONG_MAX_RATE_LIMITED_WAITS,
      importDailyShare: e.IMPORT_DAILY_SHARE,
    },
    media: { mode: e.MEDIA_MODE, pullUrlTtlSeconds: e.PULL_URL_TTL_SECONDS },
    s3: { endpoint: e.S3_ENDPOINT, forcePathStyle: e.S3_FORCE_PATH_STYLE, allowedBuckets: e.S3_ALLOWED_BUCKETS, region, regionDefaulted: !awsRegion },
    webhook: { secret: e.WEBHOOK_SECRET, toleranceSeconds: e.WEBHOOK_TOLERANCE_SECONDS },
    adminToken: e.ADMIN_TOKEN,
    sources: {
      publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
      twilio: {
        accountSid: e.TWILIO_ACCOUNT_SID,
        authToken: e.TWILIO_AUTH_TOKEN,
        apiKeySid: e.TWILIO_API_KEY_SID,
        apiKeySecret: e.TWILIO_API_KEY_SECRET,
        apiBaseUrl: e.TWILIO_API_BASE_URL.replace(/\/+$/, ''),
      },
      userMapFile: e.USER_MAP_FILE,
      defaultPrimaryUser: e.GONG_DEFAULT_PRIMARY_USER,
      sns: { certHostPattern: e.SNS_CERT_HOST_PATTERN, topicArns: e.SNS_TOPIC_ARNS },
      eventBridge: { authHeader: e.EVENTBRIDGE_AUTH_HEADER.toLowerCase(), authSecret: e.EVENTBRIDGE_AUTH_SECRET },
      connect: { instanceId: e.CONNECT_INSTANCE_ID, endpoint: e.CONNECT_ENDPOINT, region },
    },
    tenants: { file: e.TENANTS_FILE, tenants: tenants.tenants, environment: blankless, defaultBuckets: e.S3_ALLOWED_BUCKETS },
  };
}

/** Drops unset and empty variables: deployment templates often render an unset value as "". */
export function withoutBlanks(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

/** zod's issues as "NAME: problem" lines. */
/** A zod error on the environment as lines for {@link ConfigError}; a problem with no path is the environment's. */
export function describeIssues(error: z.ZodError): string[] {
  return zodFieldProblems(error, { whole: '(environment)' }).map((p) => `${p.field}: ${p.problem}`);
}

function gongAuth(e: Env): GongAuth {
  if (e.GONG_ACCESS_KEY && e.GONG_ACCESS_KEY_SECRET) {
    return { kind: 'basic', accessKey: e.GONG_ACCESS_KEY, accessKeySecret: e.GONG_ACCESS_KEY_SECRET };
  }
  if (e.GONG_BEARER_TOKEN) return { kind: 'bearer', token: e.GONG_BEARER_TOKEN };
  return { kind: 'none' };
}

import { envSchema, type Env } from './config-schema.js';
import { redisSettings } from './redis-settings.js';
import type { GongAuth } from './gong-auth.js';

/**
 * The settings schema's output: the variables, checked by `envSchema`, grouped by the part of the service that
 * uses them. `Config` is this schema's output type, so a setting is declared once (name, rule and default in
 * config-schema.ts) and placed once (here); there is no second, hand-written description of it.
 */
export const configSchema = envSchema.transform(groupSettings);

function groupSettings(e: Env) {
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
    oauth: oauthSettings(e),
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
  };
}

// In its own file, so that the tenants' settings (read by load-config) can name it without an import cycle.
export type { GongAuth } from './gong-auth.js';

/** Gong's OAuth app, when configured (the cross-field rules make the four parts go together). */
function oauthSettings(e: Env) {
  if (!e.GONG_OAUTH_CLIENT_ID || !e.GONG_OAUTH_CLIENT_SECRET || !e.GONG_OAUTH_REDIRECT_URL || !e.TOKEN_ENCRYPTION_KEY) return undefined;
  return {
    clientId: e.GONG_OAUTH_CLIENT_ID,
    clientSecret: e.GONG_OAUTH_CLIENT_SECRET,
    redirectUrl: e.GONG_OAUTH_REDIRECT_URL,
    authorizeUrl: e.GONG_OAUTH_AUTHORIZE_URL,
    tokenUrl: e.GONG_OAUTH_TOKEN_URL,
    scopes: e.GONG_OAUTH_SCOPES,
    key: e.TOKEN_ENCRYPTION_KEY,
    previousKey: e.TOKEN_ENCRYPTION_KEY_PREVIOUS,
  };
}

function gongAuth(e: Env): GongAuth {
  if (e.GONG_ACCESS_KEY && e.GONG_ACCESS_KEY_SECRET) {
    return { kind: 'basic', accessKey: e.GONG_ACCESS_KEY, accessKeySecret: e.GONG_ACCESS_KEY_SECRET };
  }
  if (e.GONG_BEARER_TOKEN) return { kind: 'bearer', token: e.GONG_BEARER_TOKEN };
  return { kind: 'none' };
}

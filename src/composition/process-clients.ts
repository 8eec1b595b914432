import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/load-config.js';
import type { Logger } from '../logging/logger.js';
import { createRunStore } from '../import/run-store.js';
import { createMetrics, IMPORT_RUNS_EXPORTED, QUEUE_STATES, type Metrics } from '../metrics/metrics.js';
import { createOAuthRuntime, type OAuthRuntime } from '../oauth/oauth-runtime.js';
import { createCallQueue } from '../queue/call-queue.js';
import { createRedisConnection, type RedisClient } from '../redis/redis-connection.js';
import { createRedisErrorReporter } from '../redis/redis-error-reporter.js';
import { createReplicaWaiter, type ReplicaWaiter } from '../redis/replica-wait.js';
import { createS3Client } from '../storage/s3-recordings.js';
import { createTenantBudgets } from '../tenants/tenant-budgets.js';
import { maxInlineRateWaitMs } from '../tenants/tenant-pace.js';
import { createTenantsFile, type TenantDirectory } from '../tenants/tenants-file.js';
import { createGongTraffic, type GongTraffic } from '../traffic/gong-traffic.js';
import { createTenantPacing } from '../traffic/tenant-pacing.js';

/** The clients every role shares, each built once per process. */
export interface Core {
  redis: RedisClient;
  queue: ReturnType<typeof createCallQueue>;
  /** The default tenant's limiter and budget: the worker's gate, /metrics' budget gauge and the admin imports alike. */
  traffic: GongTraffic;
  tenants: TenantDirectory;
  /** The TENANTS_FILE tenants' limiters, one each, shared the same way. */
  tenantBudgets: ReturnType<typeof createTenantBudgets>;
  multiTenant: boolean;
  pacing?: ReturnType<typeof createTenantPacing>;
  metrics: Metrics;
  replicas: ReplicaWaiter;
  s3?: S3Client;
  /** Gong OAuth (GONG_OAUTH_*): the tenants' sealed tokens, their sessions, the token endpoint. */
  oauth?: OAuthRuntime;
  reportRedisError: ReturnType<typeof createRedisErrorReporter>;
}

/** Builds the clients every role shares, once, with their error listeners attached in the same tick. */
export function buildCore(config: Config, logger: Logger): Core {
  const redis = createRedisConnection(config.redis, 'producer');
  const queue = createCallQueue(redis, config.redis.prefix);
  // TENANTS_FILE: the Gong companies beside the default one, kept current as the file changes. Its reloads are
  // counted from the next tick on, when `metrics` below exists.
  const multiTenant = Boolean(config.tenants.file);
  const tenants = createTenantsFile({ set: config.tenants, logger, onReload: (outcome) => metrics.tenantsFileReloads.inc({ outcome }) });
  const tenantBudgets = createTenantBudgets(redis, config, tenants, (tenant, reason, seconds) => metrics.rateLimitWait.inc({ reason, tenant }, seconds));
  const runStore = createRunStore(redis, config.redis.prefix);
  const oauth = config.oauth ? createOAuthRuntime(redis, config.redis.prefix, config.oauth) : undefined;
  const oauthTenants = () => tenants.list().filter((t) => t.gong.auth.kind === 'oauth');
  const traffic = createGongTraffic({
    redis,
    prefix: config.redis.prefix,
    ...config.traffic,
    maxInlineRateWaitMs: multiTenant ? maxInlineRateWaitMs(config.traffic) : undefined,
    onWait: (reason, seconds) => metrics.rateLimitWait.inc({ reason }, seconds),
  });
  const metrics = createMetrics({
    queueCounts: () => queue.getJobCounts(...QUEUE_STATES),
    redisPing: async () => (await redis.ping()) === 'PONG',
    gongBudgetRemaining: () => traffic.remainingToday(),
    importRuns: () => runStore.list(IMPORT_RUNS_EXPORTED),
    importBudgetRemaining: async () => (await traffic.budgetToday()).importRemaining,
    tenantBudgets: multiTenant ? () => tenantBudgets.remaining() : undefined,
    tenantConnections: oauth
      ? () => Promise.all(oauthTenants().map(async (t) => ({ tenant: t.id, needsConnecting: (await oauth.connection(t.id)).state !== 'connected' })))
      : undefined,
  });
  // Listeners in the same tick the clients were made in: no connection event can come before them.
  const reportRedisError = createRedisErrorReporter({ role: 'api', logger, count: (kind) => metrics.redisErrors.inc({ role: 'api', kind }) });
  redis.on('error', (err: Error) => reportRedisError(err, 'connection'));
  queue.on('error', (err) => reportRedisError(err, 'queue'));
  const replicas = createReplicaWaiter(redis, {
    replicas: config.redis.waitReplicas,
    timeoutMs: config.redis.waitTimeoutMs,
    slotKey: config.redis.prefix,
    onResult: (outcome) => metrics.replicaWaits.inc({ role: 'api', outcome }),
  });
  return {
    redis,
    queue,
    traffic,
    tenants,
    tenantBudgets,
    multiTenant,
    pacing: multiTenant ? createTenantPacing({ redis, prefix: config.redis.prefix }) : undefined,
    metrics,
    replicas,
    // One S3 client per process, for the worker, the sources' resolvers and the admin imports alike.
    s3: config.role !== 'api' || config.adminToken ? createS3Client(config.s3) : undefined,
    oauth,
    reportRedisError,
  };
}

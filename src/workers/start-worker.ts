import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/load-config.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { createRedisConnection } from '../redis/redis-connection.js';
import { createRedisErrorReporter } from '../redis/redis-error-reporter.js';
import { createReplicaWaiter, ReplicationTimeoutError } from '../redis/replica-wait.js';
import { DEFAULT_TENANT } from '../tenants/tenant-id.js';
import { maxInlineRateWaitMs } from '../tenants/tenant-pace.js';
import type { TenantDirectory } from '../tenants/tenants-file.js';
import { createGongScope } from './gong-scope.js';
import { createTenantRuntimes } from './tenant-runtimes.js';
import { createCallWorker } from './call-worker.js';

export type { WorkerExtensions } from './worker-extensions.js';
import type { WorkerExtensions } from './worker-extensions.js';

/** With TENANTS_FILE: the tenants, and how to build a tenant's source additions from its settings. */
export interface MultiTenantWorker {
  tenants: TenantDirectory;
  extensionsFor: (config: Config) => Promise<WorkerExtensions & { close?(): void }>;
}

/**
 * Wires the worker: its Redis connection, the default tenant's Gong scope (limiter, client, S3 through the process's one client, user look-up), the
 * TENANTS_FILE tenants' scopes when there are some, and the processor.
 */
export function startWorker(config: Config, s3Client: S3Client, metrics: Metrics, logger: Logger, extensions: WorkerExtensions = {}, multi?: MultiTenantWorker) {
  const redis = createRedisConnection(config.redis, 'worker');
  const reportRedisError = createRedisErrorReporter({ role: 'worker', logger, count: (kind) => metrics.redisErrors.inc({ role: 'worker', kind }) });
  redis.on('error', (err: Error) => reportRedisError(err, 'connection'));
  const replicas = createReplicaWaiter(redis, {
    replicas: config.redis.waitReplicas,
    timeoutMs: config.redis.waitTimeoutMs,
    slotKey: config.redis.prefix,
    onResult: (outcome) => metrics.replicaWaits.inc({ role: 'worker', outcome }),
  });
  const multiTenant = Boolean(config.tenants.file);
  const scope = createGongScope({
    config,
    tenant: DEFAULT_TENANT,
    redis,
    s3Client,
    metrics,
    extensions,
    maxInlineRateWaitMs: multiTenant ? maxInlineRateWaitMs(config.traffic) : undefined,
  });
  const tenants = multiTenant && multi ? createTenantRuntimes({ config, redis, s3Client, metrics, tenants: multi.tenants, extensionsFor: multi.extensionsFor }) : undefined;
  const worker = createCallWorker(
    {
      connection: redis,
      prefix: config.redis.prefix,
      concurrency: config.worker.concurrency,
      lockDurationMs: config.worker.lockDurationMs,
      onError: (err) => reportRedisError(err, 'worker'),
    },
    {
      ...scope.deps,
      logger,
      resolvers: extensions.resolvers,
      tenants,
      maxRateLimitedWaits: config.traffic.maxRateLimitedWaits,
      // Best effort: a checkpoint the replicas did not take in time is still saved on the master (see afterCheckpoint).
      afterCheckpoint: replicas.enabled ? () => replicas.waitForReplicas().catch(ignoreReplicationTimeout) : undefined,
    },
    metrics,
    logger,
  );
  void worker.run();
  logger.info({ concurrency: config.worker.concurrency, mediaMode: config.media.mode }, 'worker started');
  if (config.s3.regionDefaulted && !config.s3.endpoint) {
    logger.warn({ region: config.s3.region }, 'AWS_REGION is not set: using us-east-1; set it to the region of the recordings bucket');
  }
  return { worker, redis };
}

function ignoreReplicationTimeout(error: unknown): void {
  if (!(error instanceof ReplicationTimeoutError)) throw error;
}

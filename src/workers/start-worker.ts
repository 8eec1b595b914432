import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/load-config.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { createRedisConnection } from '../redis/redis-connection.js';
import { createRedisErrorReporter } from '../redis/redis-error-reporter.js';
import { createReplicaWaiter, ReplicationTimeoutError } from '../redis/replica-wait.js';
import { DEFAULT_TENANT } from '../tenants/tenant-id.js';
import type { TenantDirectory } from '../tenants/tenants-file.js';
import type { TenantSettings } from '../tenants/tenant-settings.js';
import type { GongTraffic } from '../traffic/gong-traffic.js';
import type { OAuthRuntime } from '../oauth/oauth-runtime.js';
import { createGongScope } from './gong-scope.js';
import { createTenantRuntimes } from './tenant-runtimes.js';
import { createCallWorker } from './call-worker.js';

export type { WorkerExtensions } from './worker-extensions.js';
import type { WorkerExtensions } from './worker-extensions.js';

/** With TENANTS_FILE: the tenants, and how to build a tenant's source additions from its settings. */
export interface MultiTenantWorker {
  tenants: TenantDirectory;
  extensionsFor: (config: Config) => Promise<WorkerExtensions & { close?(): void }>;
  /** A tenant's limiter for its settings, built once per process (the one /metrics and the admin API read). */
  trafficFor: (settings: TenantSettings) => GongTraffic;
}

/** What the composition root built once and the worker shares with the rest of the process. */
export interface WorkerParts {
  /** The process's one S3 client. */
  s3Client: S3Client;
  /** The default tenant's limiter and budget (the same object /metrics and the admin imports read). */
  traffic: GongTraffic;
  metrics: Metrics;
  logger: Logger;
  /** What the phone-system sources add (resolvers, URL readers, the user map). @defaultValue {} */
  extensions?: WorkerExtensions;
  /** Gong OAuth, when configured: the OAuth tenants' token sessions, one per tenant per process. */
  oauth?: OAuthRuntime;
}

/**
 * Wires the worker: its Redis connection (BullMQ's, apart from the producer's), the default tenant's Gong scope
 * (client, recordings, user look-up behind the shared limiter), the TENANTS_FILE tenants' scopes when there are
 * some, and the processor. `close()` stops what the tenants' scopes watch; the caller closes the worker first.
 */
export function startWorker(config: Config, parts: WorkerParts, multi?: MultiTenantWorker) {
  const { s3Client, metrics, logger, traffic } = parts;
  const extensions = parts.extensions ?? {};
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
  const scope = createGongScope({ config, tenant: DEFAULT_TENANT, redis, s3Client, metrics, extensions, traffic });
  const tenants = multiTenant && multi ? createTenantRuntimes({ config, redis, s3Client, metrics, tenants: multi.tenants, extensionsFor: multi.extensionsFor, trafficFor: multi.trafficFor, oauth: parts.oauth }) : undefined;
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
  return { worker, redis, close: () => tenants?.close() };
}

function ignoreReplicationTimeout(error: unknown): void {
  if (!(error instanceof ReplicationTimeoutError)) throw error;
}

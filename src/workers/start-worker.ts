import type { Config } from '../config/load-config.js';
import { createGongClient } from '../gong/gong-client.js';
import { createUserDirectory } from '../gong/user-directory.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { createRedisConnection } from '../redis/redis-connection.js';
import { createRedisErrorReporter } from '../redis/redis-error-reporter.js';
import { createReplicaWaiter, ReplicationTimeoutError } from '../redis/replica-wait.js';
import { createRecordingStore, type RecordingReaders } from '../storage/recording-store.js';
import { createS3Client, createS3RecordingReader } from '../storage/s3-recordings.js';
import { createGongTraffic } from '../traffic/gong-traffic.js';
import { createCallWorker } from './call-worker.js';
import type { DetailsResolver } from '../calls/details-resolver.js';
import type { IdentityMap } from '../calls/identity-map.js';

/** What phone-system sources add to the worker: readers for their recordings, resolvers for their metadata. */
export interface WorkerExtensions {
  urlReaders?: RecordingReaders['url'];
  resolvers?: Record<string, DetailsResolver>;
  identityMap?: IdentityMap;
}

/** Wires the worker: its Redis connection, the shared Gong limiter, the Gong client, S3 and the processor. */
export function startWorker(config: Config, metrics: Metrics, logger: Logger, extensions: WorkerExtensions = {}) {
  const redis = createRedisConnection(config.redis, 'worker');
  const reportRedisError = createRedisErrorReporter({ role: 'worker', logger, count: (kind) => metrics.redisErrors.inc({ role: 'worker', kind }) });
  redis.on('error', (err: Error) => reportRedisError(err, 'connection'));
  const replicas = createReplicaWaiter(redis, {
    replicas: config.redis.waitReplicas,
    timeoutMs: config.redis.waitTimeoutMs,
    slotKey: config.redis.prefix,
    onResult: (outcome) => metrics.replicaWaits.inc({ role: 'worker', outcome }),
  });
  const traffic = createGongTraffic({
    redis,
    prefix: config.redis.prefix,
    ...config.traffic,
    onWait: (reason, seconds) => metrics.rateLimitWait.inc({ reason }, seconds),
  });
  const gong = createGongClient({
    baseUrl: config.gong.baseUrl,
    auth: config.gong.auth,
    requestTimeoutMs: config.gong.requestTimeoutMs,
    uploadTimeoutMs: config.gong.uploadTimeoutMs,
    gate: (operation, signal, scope) => traffic.acquire(operation, signal, scope),
    awaitTurn: (operation, signal, scope) => traffic.awaitTurn(operation, signal, scope),
    observe: (operation, status, seconds) => {
      metrics.gongRequests.inc({ operation, status: String(status) });
      metrics.gongRequestDuration.observe({ operation }, seconds);
    },
  });
  const s3 = createS3RecordingReader(createS3Client(config.s3), config.s3.allowedBuckets);
  const directory = createUserDirectory({ gong, redis, prefix: config.redis.prefix, ttlSeconds: config.gong.userCacheTtlSeconds });
  const worker = createCallWorker(
    {
      connection: redis,
      prefix: config.redis.prefix,
      concurrency: config.worker.concurrency,
      lockDurationMs: config.worker.lockDurationMs,
      onError: (err) => reportRedisError(err, 'worker'),
    },
    {
      gong,
      logger,
      recordings: createRecordingStore({ s3, url: extensions.urlReaders }),
      resolvers: extensions.resolvers,
      rep: { directory, identityMap: extensions.identityMap, defaultPrimaryUser: config.sources.defaultPrimaryUser },
      media: { mode: config.media.mode, pullUrlTtlSeconds: config.media.pullUrlTtlSeconds, presign: (ref, info, ttl) => s3.presign(ref, info, ttl) },
      pauseGong: (ms) => traffic.pauseFor(ms),
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

import type { Config } from '../config/load-config.js';
import { createGongClient } from '../gong/gong-client.js';
import { createUserDirectory } from '../gong/user-directory.js';
import type { Metrics } from '../metrics/metrics.js';
import type { RedisClient } from '../redis/redis-connection.js';
import { createRecordingStore } from '../storage/recording-store.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3RecordingReader } from '../storage/s3-recordings.js';
import type { GongTraffic } from '../traffic/gong-traffic.js';
import { DEFAULT_TENANT, tenantLabel } from '../tenants/tenant-id.js';
import type { OAuthRuntime } from '../oauth/oauth-runtime.js';
import type { TenantScopeDeps } from './process-call-job.js';
import type { WorkerExtensions } from './worker-extensions.js';

/** What one Gong company's jobs are processed with: its client, limiter, recordings, rep look-up. */
export type GongScopeDeps = TenantScopeDeps;

export interface GongScope {
  deps: GongScopeDeps;
  traffic: GongTraffic;
}

export interface GongScopeOptions {
  /** The settings as the tenant sees them (tenants/tenant-config.ts for a TENANTS_FILE tenant). */
  config: Config;
  tenant: string;
  redis: RedisClient;
  /** The process's one S3 client: tenants share the store's endpoint and credentials, each with its own buckets. */
  s3Client: S3Client;
  metrics: Metrics;
  extensions: WorkerExtensions;
  /** Gong OAuth, when configured: an OAuth tenant's client takes its token and API host from its session. */
  oauth?: OAuthRuntime;
  /** The tenant's limiter, built once per process (process-clients for the default tenant, tenant-budgets for the others). */
  traffic: GongTraffic;
}

/**
 * Builds the Gong side of the worker for one tenant around its limiter and budget (keys per tenant): its Gong client (base
 * URL, credentials), its buckets, its user directory cache (keys per tenant) and user map. The default tenant's keys
 * and labels are the ones a single-company deployment always had.
 */
export function createGongScope(options: GongScopeOptions): GongScope {
  const { config, redis, metrics, extensions, tenant, traffic } = options;
  const labels = tenantLabel(tenant);
  const gong = createGongClient({
    baseUrl: config.gong.baseUrl,
    auth: config.gong.auth,
    session: config.gong.auth.kind === 'oauth' ? options.oauth?.sessionFor(tenant) : undefined,
    requestTimeoutMs: config.gong.requestTimeoutMs,
    uploadTimeoutMs: config.gong.uploadTimeoutMs,
    gate: (operation, signal, scope) => traffic.acquire(operation, signal, scope),
    awaitTurn: (operation, signal, scope) => traffic.awaitTurn(operation, signal, scope),
    observe: (operation, status, seconds) => {
      metrics.gongRequests.inc({ operation, status: String(status), ...labels });
      metrics.gongRequestDuration.observe({ operation, ...labels }, seconds);
    },
  });
  const s3 = createS3RecordingReader(options.s3Client, config.s3.allowedBuckets);
  // The directory cache is per Gong company: the same email is another user id (or none) in another company.
  const directoryPrefix = tenant === DEFAULT_TENANT ? config.redis.prefix : `${config.redis.prefix}:tenant:${tenant}`;
  const directory = createUserDirectory({ gong, redis, prefix: directoryPrefix, ttlSeconds: config.gong.userCacheTtlSeconds });
  return {
    traffic,
    deps: {
      gong,
      recordings: createRecordingStore({ s3, url: extensions.urlReaders }),
      rep: { directory, identityMap: extensions.identityMap, defaultPrimaryUser: config.sources.defaultPrimaryUser },
      media: { mode: config.media.mode, pullUrlTtlSeconds: config.media.pullUrlTtlSeconds, presign: (ref, info, ttl) => s3.presign(ref, info, ttl) },
      pauseGong: (ms) => traffic.pauseFor(ms),
    },
  };
}

import type { ConnectionOptions } from 'node:tls';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisSettings, RedisTls } from '../config/load-config.js';

/** A standalone/Sentinel client or a Cluster client: BullMQ and this service's scripts take either. */
export type RedisClient = Redis | Cluster;

/**
 * Producers (the webhook API) must fail fast when Redis is away so the webhook answers 503 and the phone system
 * retries; workers must wait for Redis forever instead of crashing.
 */
export type RedisRole = 'producer' | 'worker';

export function createRedisConnection(settings: RedisSettings, role: RedisRole): RedisClient {
  const roleOptions: RedisOptions =
    role === 'producer'
      ? {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          commandTimeout: 5_000,
          connectTimeout: 5_000,
          // Concurrent webhooks' commands leave in one socket write per event-loop turn instead of one each: the
          // writes were a quarter of the API's CPU per webhook (bench:intake). Producer connections only: they send
          // no blocking command but WAIT, which blocks the connection either way; BullMQ's workers block on BZPOPMIN
          // and have been reported to misbehave with it.
          enableAutoPipelining: true,
        }
      : { maxRetriesPerRequest: null, enableReadyCheck: true };
  const tls = settings.tls ? tlsOptions(settings.tls) : undefined;
  const common: RedisOptions = {
    ...roleOptions,
    // Reconnect with a capped backoff; never give up (a worker that stops reconnecting silently stops working).
    retryStrategy: (times) => Math.min(times * 200, 5_000),
    ...(settings.username ? { username: settings.username } : {}),
    ...(settings.password ? { password: settings.password } : {}),
    ...(tls ? { tls } : {}),
  };
  switch (settings.mode) {
    case 'standalone':
      return new Redis(settings.url, common);
    case 'sentinel':
      return new Redis({
        ...common,
        sentinels: settings.sentinels,
        name: settings.sentinelName,
        ...(settings.password ? { sentinelPassword: settings.password } : {}),
        // Without it ioredis learns of a promotion only when its socket breaks: a manual fail-over left the service
        // writing to the demoted master for ~11 s, and those writes were discarded when it became a replica.
        failoverDetector: true,
        // In Sentinel mode ioredis ignores `tls` unless told, and the sentinels' own TLS is a separate option.
        ...(tls ? { enableTLSForSentinelMode: true } : {}),
        ...(settings.sentinelTls ? { sentinelTLS: tls ?? {} } : {}),
      });
    case 'cluster': {
      const { enableOfflineQueue, retryStrategy: _perNode, ...redisOptions } = common;
      const options: ClusterOptions = {
        redisOptions,
        enableOfflineQueue,
        clusterRetryStrategy: (times) => Math.min(times * 200, 5_000),
        // Managed clusters (ElastiCache, MemoryDB) present TLS certificates for their configuration endpoint.
        ...(tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
      };
      return new Cluster(settings.clusterNodes ?? [], options);
    }
  }
}

/** PEM contents read at start-up by the config module; no file is read here. */
function tlsOptions(tls: RedisTls): ConnectionOptions {
  return {
    ...(tls.ca ? { ca: tls.ca } : {}),
    ...(tls.cert ? { cert: tls.cert } : {}),
    ...(tls.key ? { key: tls.key } : {}),
  };
}

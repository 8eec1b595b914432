import { Cluster, Redis } from 'ioredis';
import type { RedisClusterNodes } from '../../support/redis/redis-cluster.js';
import { tlsClientOptions, type RedisNode } from '../../support/redis/redis-node.js';
import type { TlsFiles } from '../../support/redis/tls-certs.js';
import type { SentinelGroup } from '../../support/redis/sentinel-group.js';
import type { RedisTopology } from './fault-rig.js';

/** The rig's own reader waits through outages instead of failing: it must see the end state, not the fault. */
const patient = { maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(times * 100, 1_000) };

export function standaloneTopology(node: RedisNode): RedisTopology {
  return { env: { REDIS_MODE: 'standalone', REDIS_URL: node.url }, connect: () => node.client(patient) };
}

/** With `tls`, the data nodes (and, with `sentinelTls`, the sentinels) speak TLS; the rig's reader follows suit. */
export function sentinelTopology(group: SentinelGroup, tls?: TlsFiles, sentinelTls = false): RedisTopology {
  const sentinels = group.sentinels.map((s) => ({ host: s.host, port: s.port }));
  const tlsOptions = tls ? { enableTLSForSentinelMode: true, tls: tlsClientOptions(tls), ...(sentinelTls ? { sentinelTLS: tlsClientOptions(tls) } : {}) } : {};
  return {
    env: { REDIS_MODE: 'sentinel', REDIS_SENTINELS: group.sentinelList, REDIS_SENTINEL_NAME: group.name },
    connect: () => new Redis({ ...patient, sentinels, name: group.name, failoverDetector: true, ...tlsOptions }),
  };
}

export function clusterTopology(cluster: RedisClusterNodes): RedisTopology {
  const nodes = cluster.nodes.map((n) => ({ host: n.host, port: n.port }));
  return {
    env: { REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: cluster.seeds },
    connect: () => new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: null }, clusterRetryStrategy: () => 500 }),
  };
}

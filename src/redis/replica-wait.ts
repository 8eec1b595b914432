import calculateSlot from 'cluster-key-slot';
import { Cluster, type Redis } from 'ioredis';
import type { RedisClient } from './redis-connection.js';

export interface ReplicaWaitOptions {
  /** Replicas that must hold a write before it counts as durable; 0 turns waiting off. @defaultValue 0 */
  replicas: number;
  /** How long to wait for them. @defaultValue 1000 */
  timeoutMs: number;
  /** A key on the queue's hash tag: in Cluster mode WAIT must go to the master that holds that slot. */
  slotKey: string;
  /** Told how each wait ended, for the metrics. */
  onResult?: (outcome: 'acknowledged' | 'timeout' | 'skipped') => void;
}

/** Too few replicas acknowledged the writes in time: the caller must not promise the write survives a fail-over. */
export class ReplicationTimeoutError extends Error {
  override readonly name = 'ReplicationTimeoutError';
  readonly code = 'REPLICATION_TIMEOUT';
  constructor(
    readonly acknowledged: number,
    readonly wanted: number,
    timeoutMs: number,
  ) {
    super(`${acknowledged} of ${wanted} Redis replicas acknowledged the write within ${timeoutMs} ms`);
  }
}

export interface ReplicaWaiter {
  readonly enabled: boolean;
  /**
   * Resolves once `replicas` replicas hold every write this connection has made so far; throws
   * ReplicationTimeoutError when they do not in time. Resolves at once when waiting is off.
   */
  waitForReplicas(): Promise<void>;
}

/**
 * Redis replicates asynchronously: a write it acknowledged is lost if the master dies before a replica has it, and
 * a master that was demoted while we wrote to it discards what we wrote. `WAIT n timeout` answers how many replicas
 * hold every write of this connection (a demoted master answers 0), so a job confirmed by WAIT survives the
 * promotion of any replica that acknowledged it.
 *
 * WAIT blocks the connection it is sent on, and the service's connections are shared by concurrent requests: while
 * the replicas are away every wait would hold the others up for the whole timeout. So after a timeout, waits fail at
 * once for one timeout's length (the caller answers 503 and the sender delivers again) before WAIT is tried again.
 */
export function createReplicaWaiter(redis: RedisClient, options: ReplicaWaitOptions): ReplicaWaiter {
  const slot = calculateSlot(options.slotKey);
  let failFastUntil = 0;
  let lastAcknowledged = 0;
  return {
    enabled: options.replicas > 0,
    async waitForReplicas() {
      if (options.replicas <= 0) return;
      if (Date.now() < failFastUntil) {
        options.onResult?.('skipped');
        throw new ReplicationTimeoutError(lastAcknowledged, options.replicas, options.timeoutMs);
      }
      const node = redis instanceof Cluster ? masterForSlot(redis, slot) : redis;
      const acknowledged = Number(await node.wait(options.replicas, options.timeoutMs));
      if (acknowledged >= options.replicas) {
        options.onResult?.('acknowledged');
        return;
      }
      lastAcknowledged = acknowledged;
      failFastUntil = Date.now() + options.timeoutMs;
      options.onResult?.('timeout');
      throw new ReplicationTimeoutError(acknowledged, options.replicas, options.timeoutMs);
    },
  };
}

/**
 * The connection the Cluster client uses for the slot's master: WAIT counts the writes made on that very
 * connection, and the job's writes went there because every key of the queue carries the same hash tag.
 */
function masterForSlot(cluster: Cluster, slot: number): Redis {
  const nodeKey = cluster.slots[slot]?.[0];
  const node = nodeKey ? cluster.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === nodeKey) : undefined;
  if (!node) throw Object.assign(new Error(`Cluster is disconnected. No master is known for slot ${slot}`), { name: 'ClusterAllFailedError' });
  return node;
}

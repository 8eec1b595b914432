import type { FaultFigures } from '../../support/fault-audit.js';
import { startRedisCluster } from '../../support/redis/redis-cluster.js';
import { waitForLink } from '../../support/redis/sentinel-group.js';
import { startFaultRig } from './fault-rig.js';
import { longestStallAfter } from './timing.js';
import { clusterTopology } from './topologies.js';

/**
 * Redis Cluster, 3 masters + 3 replicas; the service with REDIS_WAIT_REPLICAS=1. The master that holds the queue's
 * slot is killed (SIGKILL) while webhooks arrive and a worker uploads; its replica takes over after the node timeout,
 * then the killed node is started again and rejoins as the new master's replica.
 */
export async function clusterMasterKilledDuringIntake(options: { calls?: number; killAfter?: number } = {}): Promise<FaultFigures> {
  const calls = options.calls ?? 120;
  const after = options.killAfter ?? 40;
  const cluster = await startRedisCluster();
  const rig = await startFaultRig({ label: 'cluster-intake', topology: clusterTopology(cluster), serviceEnv: { REDIS_WAIT_REPLICAS: '1' } });
  try {
    const slotKey = `{${rig.prefix}}:calls`;
    await rig.startApi();
    await rig.startWorker();
    let killed: Promise<{ at: number; promotedMs: number; rejoinedMs: number }> | undefined;
    rig.phone.onAccepted((_call, total) => {
      if (total !== after) return;
      killed = (async () => {
        const master = await cluster.masterFor(slotKey);
        const at = Date.now();
        await master.kill();
        await cluster.waitHealthy(slotKey);
        const promotedMs = Date.now() - at;
        // The killed node comes back (as a pod would be restarted) once its replica took over, and rejoins as the
        // new master's replica. Until then the promoted master has no replica, so with REDIS_WAIT_REPLICAS=1 every
        // webhook is answered 503: nothing is acknowledged that a second failure could lose.
        await master.start();
        await waitForLink(master);
        return { at, promotedMs, rejoinedMs: Date.now() - at };
      })();
    });
    await rig.phone.deliverMany(calls, 4);
    const { at, promotedMs, rejoinedMs } = await killed!;
    await rig.settle();
    return rig.figures(
      'Cluster master killed during intake',
      `SIGKILL of the master holding the queue's slot after ${after} of ${calls} webhooks were accepted; the killed node restarted once its replica was promoted, and rejoined as replica`,
      longestStallAfter(at, rig.acceptedAt()),
      { promotedAfterMs: promotedMs, replicaBackAfterMs: rejoinedMs },
    );
  } finally {
    await rig.close();
    await cluster.remove();
  }
}

import type { FaultFigures } from '../../support/fault-audit.js';
import { startRedisCluster } from '../../support/redis/redis-cluster.js';
import { startFaultRig } from './fault-rig.js';
import { longestStallAfter } from './timing.js';
import { clusterTopology } from './topologies.js';

/**
 * Redis Cluster, 3 masters + 3 replicas; the service with REDIS_WAIT_REPLICAS=1. The master that holds the queue's
 * slot is killed (SIGKILL) while webhooks arrive and a worker uploads; its replica takes over after the node timeout.
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
    let killed: Promise<number> | undefined;
    rig.phone.onAccepted((_call, total) => {
      if (total !== after) return;
      killed = (async () => {
        const master = await cluster.masterFor(slotKey);
        const at = Date.now();
        await master.kill();
        return at;
      })();
    });
    await rig.phone.deliverMany(calls, 4);
    const at = await killed!;
    await cluster.waitHealthy(slotKey);
    await rig.settle();
    return rig.figures('Cluster master killed during intake', `SIGKILL of the master holding the queue's slot after ${after} of ${calls} webhooks were accepted`, longestStallAfter(at, rig.acceptedAt()));
  } finally {
    await rig.close();
    await cluster.remove();
  }
}

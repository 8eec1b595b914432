import { expectEveryAcceptedCallOnceWithItsBytes } from './expect-figures.js';
import { clusterMasterKilledDuringIntake } from '../../harness/faults/scenarios/cluster-failover.js';

/** Redis Cluster 3 masters + 3 replicas of the test's own; the service with REDIS_WAIT_REPLICAS=1. */
describe('Redis Cluster failover', () => {
  it("When the master holding the queue's slot is killed during intake, then webhooks get 503 (never 500) and every call answered 202 reaches Gong once with its bytes", async () => {
    const figures = await clusterMasterKilledDuringIntake({ calls: 80, killAfter: 25 });
    expectEveryAcceptedCallOnceWithItsBytes(figures, 80);
  }, 300_000);
});

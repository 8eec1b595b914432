import type { FaultFigures } from '../../support/fault-audit.js';
import { startSentinelGroup } from '../../support/redis/sentinel-group.js';
import { startFaultRig } from './fault-rig.js';
import { longestStallAfter } from './timing.js';
import { sentinelTopology } from './topologies.js';

export interface SentinelScenarioOptions {
  /** @defaultValue 120 */
  calls?: number;
  /** The accepted (intake) or uploaded (backlog) call after which the failover starts. @defaultValue 40 */
  failoverAfter?: number;
}

/**
 * Master, replica, three sentinels; the service with REDIS_WAIT_REPLICAS=1 (a 202 only once the replica has the
 * job). `SENTINEL FAILOVER` while webhooks arrive (4 at a time) and a worker uploads.
 */
export async function sentinelFailoverDuringIntake(options: SentinelScenarioOptions = {}): Promise<FaultFigures> {
  const calls = options.calls ?? 120;
  const after = options.failoverAfter ?? 40;
  const group = await startSentinelGroup();
  const rig = await startFaultRig({ label: 'sentinel-intake', topology: sentinelTopology(group), serviceEnv: { REDIS_WAIT_REPLICAS: '1' } });
  try {
    await rig.startApi();
    await rig.startWorker();
    let failover: ReturnType<typeof group.failover> | undefined;
    rig.phone.onAccepted((_call, total) => {
      if (total === after) failover = group.failover();
    });
    await rig.phone.deliverMany(calls, 4);
    const { at } = await failover!;
    await rig.settle();
    return rig.figures('Sentinel failover during intake', `SENTINEL FAILOVER after ${after} of ${calls} webhooks were accepted (replica promoted, old master demoted)`, longestStallAfter(at, rig.acceptedAt()));
  } finally {
    await rig.close();
    await group.remove();
  }
}

/** The same group; a backlog already in Redis, two workers draining it; `SENTINEL FAILOVER` mid-drain. */
export async function sentinelFailoverDuringBacklog(options: SentinelScenarioOptions = {}): Promise<FaultFigures> {
  const calls = options.calls ?? 100;
  const after = options.failoverAfter ?? 25;
  const group = await startSentinelGroup();
  const rig = await startFaultRig({ label: 'sentinel-backlog', topology: sentinelTopology(group), serviceEnv: { REDIS_WAIT_REPLICAS: '1' } });
  try {
    await rig.startApi();
    await rig.phone.deliverMany(calls, 4);
    await Promise.all([rig.startWorker(), rig.startWorker()]);
    await rig.mediaStored(after);
    const { at } = await group.failover();
    await rig.settle();
    return rig.figures('Sentinel failover during a backlog', `SENTINEL FAILOVER after ${after} of ${calls} queued calls were uploaded, 2 workers`, longestStallAfter(at, rig.mediaStoredAt));
  } finally {
    await rig.close();
    await group.remove();
  }
}

import type { FaultFigures } from '../../support/fault-audit.js';
import { startRedisNode } from '../../support/redis/redis-node.js';
import { startFaultRig } from './fault-rig.js';
import { longestStallAfter } from './timing.js';
import { standaloneTopology } from './topologies.js';

/**
 * One Redis with AOF (`appendfsync always`), killed with SIGKILL mid-backlog while more webhooks arrive, and started
 * again on the same port and dir: it reloads the queue from its AOF.
 */
export async function aofRedisRestartedMidBacklog(options: { calls?: number; during?: number; killAfter?: number } = {}): Promise<FaultFigures> {
  const calls = options.calls ?? 80;
  const during = options.during ?? 30;
  const after = options.killAfter ?? 20;
  const node = await startRedisNode({ label: 'aof', args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
  const rig = await startFaultRig({ label: 'aof-restart', topology: standaloneTopology(node) });
  try {
    await rig.startApi();
    await rig.phone.deliverMany(calls, 4);
    await Promise.all([rig.startWorker(), rig.startWorker()]);
    await rig.mediaStored(after);
    const intake = rig.phone.deliverMany(during, 2);
    const at = Date.now();
    await node.kill();
    await node.start();
    const downMs = Date.now() - at;
    await intake;
    await rig.settle();
    return rig.figures('Redis (AOF) restarted mid-backlog', `SIGKILL of Redis after ${after} of ${calls} queued calls were uploaded, restarted on its AOF (down ${downMs} ms) while ${during} more webhooks arrived`, longestStallAfter(at, rig.mediaStoredAt), { redisDownMs: downMs });
  } finally {
    await rig.close();
    await node.remove();
  }
}

import type { FaultFigures } from '../../support/fault-audit.js';
import type { RequestRecord } from '../../emulators/gong/create-gong-emulator.js';
import { startRedisNode } from '../../support/redis/redis-node.js';
import type { ServiceProcess } from '../../support/service-process.js';
import { startFaultRig } from './fault-rig.js';
import { longestStallAfter, seededRandom } from './timing.js';
import { standaloneTopology } from './topologies.js';

/** The seed of the kill schedule; FAULT_SEED replays another one. */
export const DEFAULT_FAULT_SEED = 20261202;

/**
 * A backlog drained by 3 workers; at `kills` points drawn from a seeded generator (the n-th Gong request), one
 * worker chosen by the same generator is killed with SIGKILL and a new one started. Kills land before, between
 * and during creates and uploads.
 */
export async function workerSigkillDuringBacklog(options: { calls?: number; kills?: number; seed?: number } = {}): Promise<FaultFigures> {
  const calls = options.calls ?? 100;
  const kills = options.kills ?? 6;
  const seed = options.seed ?? DEFAULT_FAULT_SEED;
  const random = seededRandom(seed);
  // Kill points among the first 80 % of the 2 requests per call, so the last kill still leaves work to recover.
  const points = Array.from({ length: kills }, () => 1 + Math.floor(random() * calls * 2 * 0.8)).sort((a, b) => a - b);
  const node = await startRedisNode({ label: 'sigkill' });
  // Uploads slowed a little, so that a kill can land in the middle of one.
  const rig = await startFaultRig({ label: 'sigkill', topology: standaloneTopology(node), phone: { recordingBytes: 64 * 1024 } });
  rig.gong.configure({ uploadBytesPerSecond: 2 * 1024 * 1024 });
  try {
    await rig.startApi();
    await rig.phone.deliverMany(calls, 4);
    const live: ServiceProcess[] = await Promise.all([rig.startWorker(), rig.startWorker(), rig.startWorker()]);
    let requests = 0;
    let chain = Promise.resolve();
    const killTimes: number[] = [];
    const onRequest = (_r: RequestRecord) => {
      requests++;
      while (points.length > 0 && requests >= points[0]!) {
        points.shift();
        const victim = live.splice(Math.floor(random() * live.length), 1)[0]!;
        chain = chain.then(async () => {
          killTimes.push(Date.now());
          victim.proc.kill('SIGKILL');
          await victim.stop();
          live.push(await rig.startWorker());
        });
      }
    };
    rig.gong.events.on('request', onRequest);
    await rig.settle();
    rig.gong.events.off('request', onRequest);
    await chain;
    await rig.settle();
    return rig.figures('Worker SIGKILL at random points', `${killTimes.length} SIGKILLs of one of 3 workers at seeded points (seed ${seed}) during a backlog of ${calls} calls, each replaced`, longestStallAfter(killTimes[0] ?? Date.now(), rig.mediaStoredAt), {
      seed,
      kills: killTimes.length,
    });
  } finally {
    await rig.close();
    await node.remove();
  }
}

import got from 'got';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { FaultFigures } from '../../support/fault-audit.js';
import { startRedisNode } from '../../support/redis/redis-node.js';
import { waitUntil } from '../../support/redis/wait-until.js';
import { startFaultRig } from './fault-rig.js';
import { longestStallAfter } from './timing.js';
import { standaloneTopology } from './topologies.js';

/** How long the idle worker is watched while Redis refuses writes. */
export const OOM_WATCH_MS = 5_000;

/**
 * Redis with `noeviction` (as the README requires) filled to its `maxmemory`: every write is refused with OOM.
 * An idle worker is watched for a few seconds (its Redis commands, its log lines, its error metric), webhooks arrive
 * and must get 503, then `CONFIG SET maxmemory` raises the limit and everything accepted must drain.
 */
export async function redisOutOfMemory(options: { calls?: number } = {}): Promise<FaultFigures> {
  const calls = options.calls ?? 20;
  const node = await startRedisNode({ label: 'oom' });
  const rig = await startFaultRig({ label: 'oom', topology: standaloneTopology(node) });
  const admin = node.client();
  try {
    await rig.startApi();
    const at = Date.now();
    const filled = await fillToMaxmemory(admin);
    // The worker starts on the full Redis: one already blocked in its wait for jobs (a read, which OOM allows) would
    // not write, and so not meet the OOM, until a job arrives. Watch from its first complaint (or 15 s on).
    const worker = await rig.startWorker();
    await worker.waitForLog((l) => /OOM/.test(JSON.stringify(l)), 15_000).catch(() => undefined);
    const commandsBefore = await commandCount(admin);
    const logsBefore = worker.logs.length;
    await sleep(OOM_WATCH_MS); // a rate over a fixed window: this wait is the measurement, not a synchronisation
    const commands = (await commandCount(admin)) - commandsBefore - 1; // the second INFO itself
    const workerLogLines = worker.logs.length - logsBefore;

    const intake = rig.phone.deliverMany(calls, 4);
    await waitUntil(`${calls} webhooks to be refused while Redis is full`, async () => rig.phone.counts.unavailable503 + rig.phone.counts.otherServerErrors >= calls, 60_000);
    const redisErrorsCounted = await redisErrorsMetric(worker.url);
    const raisedAt = Date.now();
    await admin.config('SET', 'maxmemory', '0');
    await intake;
    await rig.settle();
    return rig.figures(
      'Redis out of memory',
      `maxmemory reached (noeviction, ${filled} filler keys); a worker started on it and watched idle for ${OOM_WATCH_MS / 1000} s; ${calls} webhooks; then CONFIG SET maxmemory 0`,
      longestStallAfter(raisedAt, rig.acceptedAt()),
      {
        idleWorkerRedisCommandsPerSecond: Math.round(commands / (OOM_WATCH_MS / 1000)),
        idleWorkerLogLines: workerLogLines,
        redisErrorsMetric: redisErrorsCounted,
        fullForMs: raisedAt - at,
      },
    );
  } finally {
    admin.disconnect();
    await rig.close();
    await node.remove();
  }
}

/** Sets maxmemory just above what Redis uses, then writes 64 KiB values until Redis answers OOM. */
async function fillToMaxmemory(redis: Redis): Promise<number> {
  const used = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
  await redis.config('SET', 'maxmemory', String(used + 2 * 1024 * 1024));
  const value = 'x'.repeat(64 * 1024);
  for (let i = 0; ; i++) {
    try {
      await redis.set(`oom-filler:${i}`, value);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('OOM')) return i;
      throw error;
    }
  }
}

/** Every command Redis was sent, run or refused (`INFO commandstats`: calls + rejected_calls). */
async function commandCount(redis: Redis): Promise<number> {
  let total = 0;
  for (const match of (await redis.info('commandstats')).matchAll(/calls=(\d+).*?rejected_calls=(\d+)/g)) total += Number(match[1]) + Number(match[2]);
  return total;
}

/** The sum of `gong_ingest_redis_errors_total` on a process's /metrics (0 when the metric is not there). */
export async function redisErrorsMetric(baseUrl: string): Promise<number> {
  const text = await got(`${baseUrl}/metrics`).text();
  let sum = 0;
  for (const match of text.matchAll(/^gong_ingest_redis_errors_total(?:\{[^}]*\})? (\S+)$/gm)) sum += Number(match[1]);
  return sum;
}
